"""The Tuned record: its choices, tables and performance profiles, from hand-made
arrays whose answers are known, and its sidecar."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from optviz.records import Tuned, TunedSearch

INF = math.inf


def _search(surface, name, steps, lr=(0.1,), solved=None):
    n = len(lr)
    steps = np.array(steps, dtype=np.float64).reshape(n, 1)
    return TunedSearch(
        surface=surface,
        optimizer=name,
        name=name,
        hyperparameters={},
        keys=["lr"],
        values=np.array(lr, dtype=np.float64).reshape(n, 1),
        stage=np.zeros(n, dtype=np.int64),
        zoom=np.zeros(n, dtype=bool),
        steps=steps,
        gap=np.where(np.isfinite(steps), 1e-7, 1.0),
        auc=np.where(np.isfinite(steps), -3.0, 0.0),
        solved=np.where(np.isfinite(steps), 4, 0).astype(np.int64)
        if solved is None
        else np.array(solved, dtype=np.int64).reshape(n, 1),
        diverged=np.zeros((n, 1), dtype=np.int64),
    )


def _record(searches, surfaces=("a", "b")):
    starts = {s: np.zeros((4, 2)) for s in surfaces}
    return Tuned(list(surfaces), starts, [100], 1e-6, "steps", 0, searches)


def test_performance_profile_by_hand():
    # steps: on a, x 10 and y 20; on b, x fails and y 30
    rec = _record(
        [
            _search("a", "x", [10], lr=(0.1,)),
            _search("a", "y", [20], lr=(0.1,)),
            _search("b", "x", [INF], lr=(0.1,)),
            _search("b", "y", [30], lr=(0.1,)),
        ]
    )
    # one α per search: a fixed value, no edge
    prof = rec.profile(taus=[1.0, 1.9, 2.0, 10.0])
    np.testing.assert_array_equal(prof["x"], [0.5, 0.5, 0.5, 0.5])
    np.testing.assert_array_equal(prof["y"], [0.5, 0.5, 1.0, 1.0])
    np.testing.assert_array_equal(rec.costs()["x"], [10, INF])


def test_choice_lowest_objective_ties_and_edges_by_hand():
    s = _search("a", "x", [40, 12, 12, 30], lr=(0.01, 0.1, 0.2, 1.0))
    rec = _record([s], surfaces=("a",))
    c = rec.choice(s)
    assert c["index"] == 1 and c["value"] == 12 and c["ties"] == 2
    assert c["status"] == "best" and c["edges"] == []
    assert c["settings"] == {"lr": 0.1}
    s.steps[0, 0] = 5  # now the smallest α tried wins: an edge
    c = rec.choice(s)
    assert c["status"] == "edge" and c["edges"] == ["lr<"]
    assert rec.winners().winner.tolist() == [""]  # an edge never wins


def test_winner_by_budget_and_a_tie_between_optimizers():
    rec = _record(
        [
            _search("a", "x", [20, 10, 30], lr=(0.1, 0.2, 0.3)),
            _search("a", "y", [30, 10, 30], lr=(0.1, 0.2, 0.3)),
        ],
        surfaces=("a",),
    )
    w = rec.winners()
    assert w.winner.tolist() == ["tie"] and w.tied.tolist() == ["x y"]
    rec.searches[1].steps[1, 0] = 9
    assert rec.winners().winner.tolist() == ["y"]


def test_leaderboard_has_a_row_per_surface_optimizer_and_budget(tmp_path):
    rec = _record(
        [
            _search("a", "x", [10, 5, 30], lr=(0.1, 0.2, 0.3)),
            _search("b", "x", [INF, INF, INF], lr=(0.1, 0.2, 0.3)),
        ]
    )
    board = rec.leaderboard()
    assert board[["surface", "label", "budget"]].values.tolist() == [
        ["a", "x", 100],
        ["b", "x", 100],
    ]
    assert board.lr.tolist()[0] == 0.2 and math.isnan(board.lr.tolist()[1])
    assert board.solved.tolist() == [True, False]
    assert board.status.tolist() == ["best", "failed"]
    assert board.failures.tolist() == [0, 4]
    path = rec.save(tmp_path / "t.csv")
    info = json.loads(path.with_suffix(".json").read_text())
    for key in ("starts", "budgets", "seed", "grids", "objective", "statistic", "tol"):
        assert key in info
    assert info["statistic"] == "median over starts"
    back = Tuned.load(path)
    assert back == rec and np.isinf(back["b/x"].steps).all()


def test_access_by_surface_and_name():
    rec = _record([_search("a", "x", [1]), _search("b", "x", [2])])
    assert rec["a", "x"].surface == "a" and rec["b/x"].surface == "b"
    with pytest.raises(KeyError, match="it has: a/x, b/x"):
        rec["x"]
    one = _record([_search("a", "x", [1])], surfaces=("a",))
    assert one["x"].label == "a/x"


def test_a_budget_not_tuned_is_refused():
    rec = _record([_search("a", "x", [1])], surfaces=("a",))
    with pytest.raises(ValueError, match="budget 7 was not tuned; budgets: 100"):
        rec.settings("a", "x", 7)
