r"""Training: mini-batch gradient descent on a network, with any optimizer of optviz.

Each epoch the training images are shuffled afresh and cut into mini-batches, so every
image is used exactly once per epoch, in a random order (the notes' "random, without
repetition"). For each mini-batch::

    logits = model.forward(x)                      # (N, C, H, W) -> (N, K)
    loss   = CrossEntropyLoss(logits, y)
    model.backward(dL/dlogits)                     # fills model.gradients()
    opt.step(model.parameters(), model.gradients())   # w <- w - alpha * g, or ...

The very same optimizer classes run on the 2-D surfaces (Muon, which takes matrices
only, steps the weights as matrices, conv kernels flattened, and AdamW the biases:
:mod:`optviz.nn.stepping`). :func:`train_optimizers` trains one network per optimizer
from the same initial weights on the same sequence of mini-batches, so the optimizers
are the only difference.

A run whose loss stops being finite is stopped and recorded as diverged, never raised.
The library never prints: pass ``callback`` to follow progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping, Sequence

import numpy as np

from .._checks import check_int
from ..optimizers import OPTIMIZERS, Optimizer
from ..records import History, TrainingRun
from ..spec import build_optimizers as spec_build_optimizers
from .data import Dataset
from .layers import Sequential
from .losses import CrossEntropyLoss, Loss
from .model import default_cnn
from .stepping import optimizer_step
from .threads import blas_threads

__all__ = [
    "DEFAULT_LR",
    "cnn_rates",
    "MAX_EPOCHS",
    "MAX_BATCH_SIZE",
    "EVAL_BATCH_SIZE",
    "EXPLOSION_FACTOR",
    "EXPLOSION_FLOOR",
    "exploded",
    "TrainEvent",
    "minibatches",
    "evaluate",
    "train",
    "build_optimizers",
    "train_optimizers",
    "train_seeds",
    "MAX_SEEDS",
]

#: Learning rates that train :func:`~optviz.nn.model.default_cnn` well on the digits in
#: about 20 epochs with batches of 64 (a SPEC's ``lr=`` overrides them). The adaptive
#: methods divide by the root of the squared gradients, so their alpha is a step size
#: in weight units and is much smaller than plain SGD's.
DEFAULT_LR: dict[str, float] = {name: cls.cnn_lr for name, cls in OPTIMIZERS.items()}


def cnn_rates() -> dict[str, float]:
    """Each registered optimizer's ``cnn_lr`` now (a plugin's too; :data:`DEFAULT_LR`
    holds those registered when optviz was imported)."""
    return {name: cls.cnn_lr for name, cls in OPTIMIZERS.items()}


#: More epochs than this is a mistake, not a teaching run.
MAX_EPOCHS = 10_000
#: Larger mini-batches than this are refused.
MAX_BATCH_SIZE = 1_000_000
#: Validation images evaluated per forward pass.
EVAL_BATCH_SIZE = 512
#: A run diverges when a mini-batch loss exceeds this many times its first mini-batch
#: loss (see :func:`exploded`): cross-entropy starts near ln(classes), about 2.3 for ten
#: classes, so 1e3 x is far beyond any loss a training run passes through on its way
#: down, and an lr of 1e6 gets there within a few steps (its losses reach 1e24).
EXPLOSION_FACTOR = 1e3
#: The first loss counts as at least this much, so that a network that starts almost
#: perfect is not called diverged for a small rise.
EXPLOSION_FLOOR = 1.0


def exploded(loss: float, first_loss: float) -> bool:
    """Whether a mini-batch ``loss`` means the run diverged: it is not finite, or it is
    above :data:`EXPLOSION_FACTOR` x ``max(first_loss, EXPLOSION_FLOOR)``.

    >>> exploded(float("nan"), 2.3), exploded(1e24, 2.3), exploded(50.0, 2.3)
    (True, True, False)
    """
    if not np.isfinite(loss):
        return True
    return bool(loss > EXPLOSION_FACTOR * max(first_loss, EXPLOSION_FLOOR))


@dataclass(frozen=True)
class TrainEvent:
    """What :func:`train` tells its ``callback``: after every step (``kind="step"``)
    and after every epoch (``kind="epoch"``, with the validation results)."""

    kind: str  # "step" or "epoch"
    label: str
    epoch: int  # from 1
    step: int  # steps taken so far
    steps_per_epoch: int
    loss: float  # the mini-batch loss (step), the mean training loss (epoch)
    val_loss: float = float("nan")
    val_accuracy: float = float("nan")
    diverged: bool = False


def minibatches(n: int, batch_size: int, rng: np.random.Generator) -> Iterator[np.ndarray]:
    """Indices of one epoch's mini-batches: a fresh random permutation of ``0..n-1``
    cut into pieces of ``batch_size`` (the last one may be smaller). Every image comes
    exactly once.

    >>> [b.tolist() for b in minibatches(5, 2, np.random.default_rng(0))]
    [[2, 4], [3, 0], [1]]
    """
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        yield order[start : start + batch_size]


def evaluate(
    model: Sequential,
    x: np.ndarray,
    y: np.ndarray,
    loss: Loss | None = None,
    batch_size: int = EVAL_BATCH_SIZE,
) -> tuple[float, float]:
    """Mean loss and accuracy (share of argmax hits) of ``model`` on ``(x, y)``."""
    loss = CrossEntropyLoss() if loss is None else loss
    total, hits = 0.0, 0
    with blas_threads():  # one save and restore of the BLAS threads for all batches
        for start in range(0, len(y), batch_size):
            xb, yb = x[start : start + batch_size], y[start : start + batch_size]
            logits = model.forward(xb)  # (n, C, H, W) -> (n, K)
            total += loss.forward(logits, yb) * len(yb)
            hits += int(np.count_nonzero(np.argmax(logits, axis=1) == yb))
    return total / len(y), hits / len(y)


def _snapshot_plan(snapshot_every) -> tuple[int, bool]:
    """(every N steps or 0, at every epoch end)."""
    if snapshot_every is None:
        return 0, False
    if snapshot_every == "epoch":
        return 0, True
    return check_int("snapshot_every", snapshot_every, low=1), False


def train(
    model: Sequential,
    optimizer: Optimizer,
    data: Dataset,
    *,
    epochs: int = 20,
    batch_size: int = 64,
    seed=0,
    loss: Loss | None = None,
    snapshot_every: int | str | None = None,
    callback: Callable[[TrainEvent], None] | None = None,
    label: str | None = None,
) -> History:
    """Train ``model`` in place with ``optimizer`` on ``data``; return its history.

    Parameters
    ----------
    model : Sequential
        Updated in place.
    optimizer : Optimizer
        Any optimizer of :mod:`optviz.optimizers` (reset first).
    data : Dataset
        Training and validation images (see :func:`~optviz.nn.data.load_dataset`).
    epochs : int
        Passes over the training images.
    batch_size : int
        Images per step (the last batch of an epoch may be smaller).
    seed : int or Generator
        The order of the mini-batches.
    loss : Loss
        Default :class:`~optviz.nn.losses.CrossEntropyLoss` (on the logits).
    snapshot_every : int, "epoch" or None
        Record ``model.get_flat()`` at the start and after every N steps, or after
        every epoch (for loss-landscape trajectories).
    callback : callable, optional
        Called with a :class:`TrainEvent` after every step and every epoch.
    label : str, optional
        The history's label (default the optimizer's name).

    Returns
    -------
    History
        Per-step losses and per-epoch training/validation loss and accuracy.

    Notes
    -----
    If a mini-batch loss is not finite or explodes (:func:`exploded`: above
    :data:`EXPLOSION_FACTOR` times the first mini-batch's), or the validation loss is
    not finite, training stops: the history records ``diverged_at`` (that step) and NaN
    for the epochs not completed.
    """
    epochs = check_int("epochs", epochs, low=1, high=MAX_EPOCHS)
    batch_size = check_int("batch_size", batch_size, low=1, high=MAX_BATCH_SIZE)
    every, at_epochs = _snapshot_plan(snapshot_every)
    _check_trainable(model, optimizer, data)
    rng = np.random.default_rng(seed)
    x_train = np.asarray(data.x_train, dtype=model.dtype)  # cast once, not per batch
    x_val = np.asarray(data.x_val, dtype=model.dtype)
    run = _Run.start(
        model,
        optimizer,
        CrossEntropyLoss() if loss is None else loss,
        optimizer.name if label is None else label,
        epochs=epochs,
        per_epoch=-(-len(data.y_train) // batch_size),
        snapshots=(every, at_epochs),
        callback=callback,
    )
    # Overflow in a diverging run is expected and handled: keep numpy quiet about it.
    # blas_threads: each matrix product on the BLAS threads its size warrants.
    with (
        np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"),
        blas_threads(),
    ):
        for epoch in range(1, epochs + 1):
            tally = run.train_epoch(epoch, x_train, data.y_train, batch_size, rng)
            run.end_epoch(epoch, x_val, data.y_val, tally)
            if run.diverged_at >= 0:
                break
    return run.history()


def _check_trainable(model: Sequential, optimizer, data: Dataset) -> None:
    """A ValueError unless ``optimizer`` is an optviz optimizer, both image sets hold
    images and ``model`` maps one image of ``data`` to one score per class."""
    if not isinstance(optimizer, Optimizer):
        raise ValueError(f"optimizer must be an optviz Optimizer, got {optimizer!r}")
    if len(data.y_train) == 0 or len(data.y_val) == 0:
        raise ValueError("training and validation sets must not be empty")
    out_shape = model.output_shape((1, *data.image_shape))  # ValueError if it won't fit
    if out_shape != (1, data.n_classes):
        raise ValueError(
            f"the network's output has shape {out_shape[1:]} per image; the data set "
            f"has {data.n_classes} classes"
        )


@dataclass
class _Run:
    """One training run under way: what it steps (the model, its optimizer, loss and
    snapshot plan) and what it has recorded so far (per-step losses, per-epoch
    curves, snapshots, the step count and where it diverged)."""

    model: Sequential
    optimizer: Optimizer
    loss_fn: Loss
    label: str
    params: list
    grads: list
    step_fn: Callable[[], None]  # one step of the optimizer (stepping.optimizer_step)
    per_epoch: int
    every: int
    at_epochs: bool
    callback: Callable[[TrainEvent], None] | None
    step_loss: np.ndarray
    step_epoch: np.ndarray
    curves: dict
    snap_steps: list = field(default_factory=list)
    snaps: list = field(default_factory=list)
    step: int = 0
    diverged_at: int = -1
    first_loss: float | None = None

    @classmethod
    def start(
        cls, model, optimizer, loss_fn, label, *, epochs, per_epoch, snapshots, callback
    ):
        """A run with nothing recorded yet: ``optimizer`` reset, the model's starting
        weights snapshotted when ``snapshots = (every N steps, at epoch ends)`` asks
        for any."""
        params, grads = model.parameters(), model.gradients()
        optimizer.reset()
        every, at_epochs = snapshots
        run = cls(
            model=model,
            optimizer=optimizer,
            loss_fn=loss_fn,
            label=label,
            params=params,
            grads=grads,
            step_fn=optimizer_step(optimizer, params, grads),
            per_epoch=per_epoch,
            every=every,
            at_epochs=at_epochs,
            callback=callback,
            step_loss=np.full(epochs * per_epoch, np.nan),
            step_epoch=np.zeros(epochs * per_epoch, dtype=np.int64),
            curves={k: np.full(epochs, np.nan) for k in ("tl", "ta", "vl", "va")},
        )
        if every or at_epochs:
            run.snapshot()
        return run

    def snapshot(self) -> None:
        self.snap_steps.append(self.step)
        self.snaps.append(self.model.get_flat())

    def train_epoch(self, epoch, x_train, y_train, batch_size, rng) -> tuple:
        """One pass over the training images in mini-batches; stops at the step
        whose loss explodes. Returns (images seen, their summed loss, hits)."""
        model, loss_fn = self.model, self.loss_fn
        seen = total = hits = 0
        for idx in minibatches(len(y_train), batch_size, rng):
            xb, yb = x_train[idx], y_train[idx]
            logits = model.forward(xb)  # (N, C, H, W) -> (N, K)
            value = loss_fn.forward(logits, yb)
            self.step_epoch[self.step] = epoch
            self.step_loss[self.step] = value
            self.step += 1
            self.first_loss = value if self.first_loss is None else self.first_loss
            if exploded(value, self.first_loss):
                self.diverged_at = self.step
                break
            model.backward(loss_fn.backward(), input_grad=False)
            self.step_fn()
            seen += len(yb)
            total += value * len(yb)
            hits += int(np.count_nonzero(np.argmax(logits, axis=1) == yb))
            if self.every and self.step % self.every == 0:
                self.snapshot()
            if self.callback is not None:
                self.callback(
                    TrainEvent("step", self.label, epoch, self.step, self.per_epoch, value)
                )
        return seen, total, hits

    def end_epoch(self, epoch, x_val, y_val, tally) -> None:
        """Unless the run diverged: validate, record the epoch's curves from ``tally``
        (:meth:`train_epoch`'s) and the validation (a loss that is not finite is
        divergence) and snapshot at epoch ends; then tell the callback."""
        curves, (seen, total, hits) = self.curves, tally
        if self.diverged_at < 0:
            val_loss, val_acc = evaluate(self.model, x_val, y_val, self.loss_fn)
            if not np.isfinite(val_loss):
                self.diverged_at = self.step
            else:
                curves["tl"][epoch - 1] = total / seen
                curves["ta"][epoch - 1] = hits / seen
                curves["vl"][epoch - 1] = val_loss
                curves["va"][epoch - 1] = val_acc
                if self.at_epochs and (
                    not self.snap_steps or self.snap_steps[-1] != self.step
                ):
                    self.snapshot()
        if self.callback is not None:
            self.callback(
                TrainEvent(
                    "epoch",
                    self.label,
                    epoch,
                    self.step,
                    self.per_epoch,
                    float(curves["tl"][epoch - 1]),
                    float(curves["vl"][epoch - 1]),
                    float(curves["va"][epoch - 1]),
                    diverged=self.diverged_at >= 0,
                )
            )

    def history(self) -> History:
        """What the run recorded, cut to the steps taken."""
        step, curves, optimizer = self.step, self.curves, self.optimizer
        snaps = self.snaps
        return History(
            optimizer=optimizer.name,
            label=self.label,
            hyperparameters=optimizer.hyperparameters(),
            step_loss=self.step_loss[:step],
            step_epoch=self.step_epoch[:step],
            train_loss=curves["tl"],
            train_accuracy=curves["ta"],
            val_loss=curves["vl"],
            val_accuracy=curves["va"],
            diverged_at=self.diverged_at,
            snapshot_steps=np.asarray(self.snap_steps, dtype=np.int64),
            snapshots=np.array(snaps)
            if snaps
            else np.zeros((0, self.model.size), dtype=self.model.dtype),
        )


def build_optimizers(
    specs: Sequence[str] = (), steps: int | None = None
) -> dict[str, Optimizer]:
    """Optimizers by label from SPECs, with :data:`DEFAULT_LR` where ``lr`` is not given.

    The five of the notes when ``specs`` is empty; the SPEC grammar, schedule keys
    and labels are :func:`optviz.spec.build_optimizers`'. ``steps`` (epochs x batches
    per epoch) is what a cosine schedule spans.

    >>> build_optimizers(["sgd", "adam:lr=0.01"])
    {'sgd': SGD(lr=0.2), 'adam': Adam(lr=0.01, betas=[0.9, 0.999], eps=1e-08, \
weight_decay=0.0, amsgrad=False, bias_correction=True, eps_inside_sqrt=False)}
    """
    return spec_build_optimizers(specs, steps=steps, default_lr=cnn_rates())


def train_optimizers(
    data: Dataset,
    optimizers: Mapping[str, Optimizer] | Sequence[str] = (),
    *,
    model: Sequential | None = None,
    epochs: int = 20,
    batch_size: int = 64,
    seed: int = 0,
    dtype=np.float32,
    snapshot_every: int | str | None = None,
    callback: Callable[[TrainEvent], None] | None = None,
) -> TrainingRun:
    """Train one network per optimizer, all from the same initial weights and on the
    same sequence of mini-batches.

    Parameters
    ----------
    data : Dataset
    optimizers : dict of label -> Optimizer, or SPECs
        Default: the five of the notes with :data:`DEFAULT_LR`.
    model : Sequential, optional
        The network (its current weights are the common start). Default
        :func:`~optviz.nn.model.default_cnn` for the data's image shape and classes,
        initialised from ``seed``.
    epochs, batch_size, snapshot_every, callback
        As for :func:`train`.
    seed : int
        Initial weights and the order of the mini-batches.
    dtype : float32 or float64
        Of the default network.

    Returns
    -------
    TrainingRun
    """
    seed = check_int("seed", seed, low=0)
    if not isinstance(optimizers, Mapping):
        per_epoch = -(-len(data.y_train) // batch_size)
        optimizers = build_optimizers(optimizers, steps=epochs * per_epoch)
    if not optimizers:
        raise ValueError("no optimizers to train")
    init_seed, batch_seed = np.random.SeedSequence(seed).spawn(2)
    builder = None
    if model is None:
        model, builder = _default_network(data, np.random.default_rng(init_seed), dtype)
    start = model.get_flat()
    histories = []
    for label, optimizer in optimizers.items():
        model.set_flat(start)
        histories.append(
            train(
                model,
                optimizer,
                data,
                epochs=epochs,
                batch_size=batch_size,
                seed=np.random.default_rng(batch_seed),  # the same batches for all
                snapshot_every=snapshot_every,
                callback=callback,
                label=label,
            )
        )
    model.set_flat(start)
    meta = _run_meta(model, data, epochs, batch_size, builder)
    return TrainingRun(data.name, histories, seed=seed, meta=meta)


def _default_network(data: Dataset, rng: np.random.Generator, dtype) -> tuple:
    """:func:`~optviz.nn.model.default_cnn` for ``data``, initialised from ``rng``,
    and the builder that rebuilds it: ``default_cnn(**builder["arguments"])``."""
    model = default_cnn(data.image_shape, data.n_classes, seed=rng, dtype=dtype)
    builder = {
        "function": "optviz.nn.model.default_cnn",
        "arguments": {
            "input_shape": list(data.image_shape),
            "n_classes": data.n_classes,
            "channels": [model.layers[0].out_channels, model.layers[3].out_channels],
            "dtype": str(np.dtype(dtype)),
        },
    }
    return model, builder


def _run_meta(model: Sequential, data: Dataset, epochs, batch_size, builder) -> dict:
    """What a :class:`TrainingRun` records of how it was trained: the schedule, the
    network (its layers, builder and parameter shapes) and the data."""
    return {
        "epochs": epochs,
        "batch_size": batch_size,
        "dtype": str(np.dtype(model.dtype)),
        "network": [repr(layer) for layer in model.layers],
        "builder": builder,
        "parameters": [
            {"name": name, "shape": list(p.shape)}
            for name, p in zip(model.parameter_names(), model.parameters())
        ],
        "data": data.describe(),
    }


#: Most seeds :func:`train_seeds` trains (each one a whole training run).
MAX_SEEDS = 100


def train_seeds(
    data: Dataset,
    optimizers: Sequence[str] = (),
    *,
    seeds: Sequence[int] = (0, 1, 2),
    **kwargs,
) -> list[TrainingRun]:
    """:func:`train_optimizers` once per seed (initial weights and batch order), for
    figures that show the median and the spread over seeds
    (:func:`optviz.plot.training.curves_figure`).

    ``optimizers`` are SPECs (fresh optimizers for every seed); ``kwargs`` go to
    :func:`train_optimizers`.
    """
    seeds = [check_int("seed", s, low=0) for s in seeds]
    if not 1 <= len(seeds) <= MAX_SEEDS:
        raise ValueError(f"seeds must name 1 to {MAX_SEEDS} seeds, got {len(seeds)}")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must differ, got {seeds}")
    if isinstance(optimizers, Mapping):
        raise ValueError("train_seeds takes SPECs (optimizers are rebuilt per seed)")
    return [train_optimizers(data, list(optimizers), seed=s, **kwargs) for s in seeds]
