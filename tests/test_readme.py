"""The README's Python example runs as written, and its commands exist."""

import re
from pathlib import Path

from click.testing import CliRunner

from optviz.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_python_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (block,) = re.findall(r"```python\n(.*?)```", README, re.S)
    exec(compile(block, "README.md", "exec"), {})
    assert (tmp_path / "adam-vs-momentum.png").stat().st_size > 0
    assert (tmp_path / "adam-vs-momentum.gif").stat().st_size > 0
    assert (tmp_path / "run.json").is_file()


def test_every_command_in_the_readme_exists():
    commands = set(re.findall(r"^optviz ([a-z-]+)", README, re.M))
    assert commands >= {"compare", "animate", "lr", "sweep", "map", "train", "gallery"}
    for name in commands:
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
