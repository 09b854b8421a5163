"""Tuned settings reused (issue 20): compare, animate, lr and explore run each optimizer
at the settings ``optviz tune`` found for the surface and budget, and say so."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error

from optviz import recipes
from optviz.cli import main
from optviz.recipes.tune import load_tuned, tuned_specs
from optviz.spec import parse_spec
from optviz.surfaces import get

SPECS = ("sgd", "momentum", "adam")


@pytest.fixture(scope="module")
def tuned_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("t") / "tuned"
    args = ["tune", "quadratic", *sum((["-o", s] for s in SPECS), [])]
    args += ["--starts", "2", "--budget", "30,100", "--jobs", "1", "-q", "--out", str(out)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def _expected(record, label, budget):
    return record.choice(record["quadratic", label], budget)["settings"]


def test_compare_runs_each_optimizer_at_its_tuned_settings(tuned_dir):
    record = load_tuned(tuned_dir)
    result = recipes.compare("quadratic", SPECS, steps=60, tune=record)
    note = result.record.meta["figure"]["note"]
    assert sum(bool(_expected(record, s, 30)) for s in SPECS) >= 2
    for traj in result.record:
        want = _expected(record, traj.label, 30)  # the largest budget <= 60 steps
        hyper = traj.hyperparameters
        if not want:  # no setting reached tol within 30 steps: the default, said so
            assert hyper["lr"] == get("quadratic").default_lr(traj.label)
            assert f"not tuned there, as given: {traj.label}" in note
            continue
        assert hyper["lr"] == want["lr"]
        if "momentum" in want:
            assert hyper["momentum"] == want["momentum"]
        if "rho1" in want:
            assert tuple(hyper["betas"]) == (want["rho1"], want["rho2"])
    assert note.startswith("Tuned settings (optviz tune)")
    assert "budget 30 steps" in note and "2 random starts" in note
    assert result.settings["tuned"] == "optviz tune"
    # at 100 steps the budget-100 settings
    again = recipes.compare("quadratic", ["momentum"], steps=100, tune=record)
    assert (
        again.record["momentum"].hyperparameters["lr"]
        == _expected(record, "momentum", 100)["lr"]
    )


def test_a_surface_the_record_did_not_tune_is_refused(tuned_dir):
    with pytest.raises(ValueError, match="tuned settings are for quadratic, not beale"):
        recipes.compare("beale", SPECS, steps=30, tune=load_tuned(tuned_dir))


def test_an_optimizer_the_record_did_not_tune_keeps_its_settings(tuned_dir):
    record = load_tuned(tuned_dir)
    result = recipes.lr("quadratic", ["rmsprop:lr=0.01", "momentum"], steps=100,
                        tuned=record)  # fmt: skip
    assert result.record["rmsprop"].hyperparameters["lr"] == 0.01
    want = _expected(record, "momentum", 100)
    assert result.record["momentum"].hyperparameters["lr"] == want["lr"]
    footnote = result.figure._supxlabel.get_text()
    assert "not tuned there, as given: rmsprop" in " ".join(footnote.split())
    assert "Tuned settings (optviz tune)" in footnote


def test_explorer_specs_carry_the_exact_settings(tuned_dir):
    record = load_tuned(tuned_dir)
    specs, note = tuned_specs(record, "quadratic", ["momentum", "adam:eps=1e-6"], 100)
    name, kwargs = parse_spec(specs[0])
    want = _expected(record, "momentum", 100)
    assert name == "momentum" and kwargs == want
    name, kwargs = parse_spec(specs[1])
    want = _expected(record, "adam", 100)
    assert kwargs["eps"] == 1e-6 and kwargs["lr"] == want["lr"]
    assert kwargs["betas"] == (want["rho1"], want["rho2"])
    assert "Tuned settings" in note


def test_cli_compare_lr_explore_animate_take_tuned(tuned_dir, tmp_path):
    run = CliRunner().invoke
    base = ["quadratic", "-o", "momentum", "--steps", "40", "--tuned", str(tuned_dir)]
    r = run(main, ["compare", *base, "--out", str(tmp_path / "c.png")])
    assert r.exit_code == 0, r.output and (tmp_path / "c.png").exists()
    r = run(main, ["lr", *base, "--out", str(tmp_path / "l.png")])
    assert r.exit_code == 0, r.output
    r = run(main, ["explore", *base, "--out", str(tmp_path / "e.html")])
    assert r.exit_code == 0 and "note: Tuned settings" in r.output
    r = run(
        main, ["animate", *base, "--frames", "8", "-q", "--out", str(tmp_path / "a.gif")]
    )
    assert r.exit_code == 0 and "note: Tuned settings" in r.output


def test_cli_tune_and_tuned_together_or_a_bad_folder_are_usage_errors(tuned_dir, tmp_path):
    run = CliRunner().invoke
    r = run(main, ["compare", "quadratic", "--tune", "--tuned", str(tuned_dir)])
    assert r.exit_code == 2
    assert_one_line_error(r, "give --tune or --tuned DIR, not both")
    r = run(main, ["compare", "quadratic", "--tuned", str(tmp_path / "none")])
    assert r.exit_code == 2
    assert_one_line_error(r, "--tuned")


def test_a_saved_tuned_record_redraws_the_same_figure(tuned_dir, tmp_path):
    out = tmp_path / "again.png"
    r = CliRunner().invoke(
        main, ["redraw", str(tuned_dir / "tuned.npz"), "--out", str(out)]
    )
    assert r.exit_code == 0, r.output
    assert out.read_bytes() == (tuned_dir / "budget.png").read_bytes()
