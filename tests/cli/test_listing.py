"""``optviz list``: the optimizers and the classical methods, each with one line saying
what it is and a line of its defaults."""

import pytest
from click.testing import CliRunner

from optviz.classical import CLASSICAL, SUMMARY
from optviz.cli import main
from optviz.cli.listing import summary
from optviz.optimizers import OPTIMIZERS


def listed(*args) -> list[str]:
    result = CliRunner().invoke(main, ["list", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


def entry(lines, name) -> list[str]:
    """The lines of one entry: its name's line and the indented lines under it."""
    start = next(i for i, line in enumerate(lines) if line.split()[:1] == [name])
    indent = len(lines[start]) - len(lines[start].lstrip()) + 1
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if len(line) - len(line.lstrip()) <= indent:
            break
        block.append(line)
    return block


def test_list_shows_the_classical_methods_beside_the_optimizers():
    lines = listed()
    heads = [line for line in lines if line and not line.startswith(" ")]
    assert heads[1].startswith("Optimizers") and heads[-1].startswith("Classical methods")
    for name in CLASSICAL:
        block = " ".join(" ".join(entry(lines, name)).split())
        assert SUMMARY[name] in block
    assert "scipy BFGS; gtol=1e-05" in " ".join(entry(lines, "bfgs"))
    assert "scipy L-BFGS-B; gtol=1e-05, maxcor=10" in " ".join(entry(lines, "lbfgs"))
    assert "c1=0.0001, c2=0.9" in " ".join(entry(lines, "gd-linesearch"))
    assert listed("classical")[0].startswith("Classical methods")
    assert not any(line.startswith("Classical") for line in listed("optimizers"))


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_has_a_one_sentence_description_and_its_defaults(name):
    block = entry(listed("optimizers"), name)
    text = " ".join(" ".join(block).split())
    assert ":math:" not in text and "``" not in text and "\\" not in text
    assert "lr=" in " ".join(block[1:])  # the defaults, under the description
    assert all(f"{key}=" in text for key in OPTIMIZERS[name].defaults)


def test_summary_is_the_first_sentence_without_markup():
    doc = """Rprop: only the sign of :math:`g` is used; each step size grows.

    More text. Not shown."""
    assert summary(doc) == "Rprop: only the sign of g is used; each step size grows."
    assert summary("ASGD keeps\n    :math:`\\bar w`, the average. Then more.") == (
        "ASGD keeps w\u0304, the average."
    )
    long = "A " + "very " * 30 + "long clause; and another. Next."
    assert summary(long) == "A " + "very " * 30 + "long clause"
    assert summary(None) == ""
