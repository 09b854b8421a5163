"""The lessons' names (the gallery entries that ``optviz lesson NAME`` makes), in the
order the gallery shows them. Plain data: the command line's ``--help`` reads it."""

__all__ = ["NAMES", "CNN", "OPTIMIZERS", "NOTES", "ZOO", "ANIMATED", "STILL"]

#: The CNN's lessons (the gallery's plot_01 to plot_13).
CNN = (
    "cnn-architecture",
    "convolution",
    "rgb-convolution",
    "sliding-window",
    "receptive-field",
    "nonlinearity",
    "activations",
    "pooling-shift",
    "fully-connected",
    "losses",
    "cross-entropy",
    "ce-vs-mse",
    "vanishing-gradients",
)

#: The optimizers' lessons (plot_14 to plot_22).
OPTIMIZERS = (
    "linear-regression",
    "learning-rate",
    "update-rules",
    "explain-step",
    "momentum-beta",
    "momentum-ravine",
    "rate-map",
    "adaptive-lr",
    "bias-correction",
)

#: The notes' last twelve ideas (plot_32 and later).
NOTES = (
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

#: The optimizer zoo (plot_44 and later).
ZOO = ("optimizer-families",)

NAMES = CNN + OPTIMIZERS + NOTES + ZOO

#: The lessons that are (also) an animation: ``optviz lesson NAME --out NAME.gif``.
ANIMATED = ("sliding-window", "linear-regression", "adaptive-lr")

#: The lessons that are a still figure (all but the sliding window, a GIF only).
STILL = tuple(n for n in NAMES if n != "sliding-window")
