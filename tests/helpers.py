"""Checks several test modules share."""

from optviz.optimizers import SGD, Adam, Momentum, RMSprop


def assert_one_line_error(result, *fragments, in_last_line=True):
    """A CLI result that failed with one ``Error...`` line and no traceback; each
    fragment appears in that last line (or anywhere in the output)."""
    assert result.exit_code != 0
    out = result.output.strip()
    assert "Traceback" not in out
    last = out.splitlines()[-1]
    assert last.startswith("Error"), out
    where = last if in_last_line else out
    for fragment in fragments:
        assert fragment in where, where


def four_optimizers():
    """Four optimizers whose heads end well apart on Rosenbrock's map."""
    return {
        "sgd": SGD(lr=1e-3),
        "momentum": Momentum(lr=1e-3),
        "rmsprop": RMSprop(lr=0.02),
        "adam": Adam(lr=0.2),
    }
