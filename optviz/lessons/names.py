"""The lessons' names (the gallery entries and ``optviz lesson NAME``), in the order
the gallery shows them. Plain data: the command line's ``--help`` reads it."""

__all__ = ["NAMES"]

NAMES = (
    "lr-decay",
    "decay-rates",
    "delta-role",
    "momentum-sum-vs-adam-average",
    "padding-coverage",
    "stride-kernel",
    "initialisation",
    "zero-mean-zigzag",
    "leaky-prelu",
    "dying-relu",
    "relu-explosion",
    "batch-size",
)
