"""One optimizer step on 1,000,000 float64 parameters: optviz, and its reference if present.

    python benchmarks/bench_optimizer_step.py --torch-threads 1
    python benchmarks/bench_optimizer_step.py --size 100000 --only adam lion

Times ``opt.step(w, g)`` for every registered optimizer with its defaults (and AMSGrad,
``adam:amsgrad=true``), the state already created by a first step. Where torch is
importable it times the reference's step on a float64 tensor of the same size with the
same hyper-parameters: ``torch.optim``'s class, or where torch has none the authors'
package (:data:`TORCH_EQUIVALENT`; ``foreach`` left at its default, as users get it),
and prints the ratio optviz / reference. The two are interleaved: each of ``--repeat``
rounds times ``--number`` steps of optviz, then of the reference, and the ratio printed
is the median of the rounds' ratios, so a busy machine slows both sides alike. The NumPy
side runs on one core; torch's elementwise kernels may use several unless
``--torch-threads 1``. An optimizer of matrices (Muon) steps a square matrix of about
``--size`` elements. Without torch, optviz is timed alone.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import statistics
import time
import timeit

import numpy as np

from optviz.optimizers import OPTIMIZERS

#: The reference of each optviz optimizer with its defaults: (module, class, keywords)
#: of ``torch.optim`` or, where torch has none, of its authors' package (lion-pytorch,
#: adabelief-pytorch, schedulefree, prodigyopt). ``lr`` is set to :data:`LR` on both.
TORCH_EQUIVALENT = {
    "sgd": ("torch.optim", "SGD", {}),
    "momentum": ("torch.optim", "SGD", {"momentum": 0.9}),
    "nesterov": ("torch.optim", "SGD", {"momentum": 0.9, "nesterov": True}),
    "adagrad": ("torch.optim", "Adagrad", {"eps": 1e-10}),
    "rmsprop": ("torch.optim", "RMSprop", {"alpha": 0.99, "eps": 1e-8}),
    "adam": ("torch.optim", "Adam", {"betas": (0.9, 0.999), "eps": 1e-8}),
    "amsgrad": ("torch.optim", "Adam", {"amsgrad": True}),
    "adamw": ("torch.optim", "AdamW", {"weight_decay": 1e-2}),
    "adadelta": ("torch.optim", "Adadelta", {"rho": 0.9, "eps": 1e-6}),
    "adamax": ("torch.optim", "Adamax", {"betas": (0.9, 0.999), "eps": 1e-8}),
    "nadam": ("torch.optim", "NAdam", {"momentum_decay": 4e-3}),
    "radam": ("torch.optim", "RAdam", {}),
    "rprop": ("torch.optim", "Rprop", {"etas": (0.5, 1.2), "step_sizes": (1e-6, 50)}),
    "asgd": ("torch.optim", "ASGD", {"lambd": 1e-4, "alpha": 0.75, "t0": 1e6}),
    "adafactor": ("torch.optim", "Adafactor", {}),
    "muon": ("torch.optim", "Muon", {}),
    "lion": ("lion_pytorch", "Lion", {"betas": (0.9, 0.99)}),
    "adabelief": ("adabelief_pytorch", "AdaBelief", {"print_change_log": False}),
    "sfsgd": ("schedulefree", "SGDScheduleFree", {"momentum": 0.9}),
    "sfadamw": ("schedulefree", "AdamWScheduleFree", {}),
    "prodigy": ("prodigyopt", "Prodigy", {}),
}
#: Rows that are an optviz optimizer with options: name -> (registered name, keywords).
VARIANTS = {"amsgrad": ("adam", {"amsgrad": True})}
#: Optimizers of matrices: their parameter is square (the size rounded to a square).
MATRIX_ONLY = ("muon",)
LR = 1e-3


#: How a step is timed: the process's CPU time (the default: time other processes take
#: from this one is not counted, so a shared machine disturbs it less) or wall time.
CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def seconds(step, number: int, clock: str = "cpu") -> float:
    """Time of one call of ``step``, averaged over ``number`` calls."""
    return timeit.Timer(step, timer=CLOCKS[clock]).timeit(number=number) / number


def rows() -> list[str]:
    """Every registered optimizer, each variant after the optimizer it varies."""
    names = []
    for name in OPTIMIZERS:
        names.append(name)
        names += [row for row, (base, _) in VARIANTS.items() if base == name]
    return names


def optviz_step(name: str, w, g):
    base, kwargs = VARIANTS.get(name, (name, {}))
    opt = OPTIMIZERS[base](lr=LR, **kwargs)
    step = lambda: opt.step(w, g)  # noqa: E731
    step()  # creates the state: not part of a step's cost
    return step


def reference_step(torch, name: str, w, g):
    """The reference's ``step`` on a copy of ``w`` and ``g``, or None where neither
    torch nor the reference package has it."""
    if name not in TORCH_EQUIVALENT:
        return None
    module, cls, kwargs = TORCH_EQUIVALENT[name]
    try:
        ref = getattr(importlib.import_module(module), cls)
    except (ImportError, AttributeError):
        return None
    p = torch.from_numpy(w.copy()).requires_grad_(True)
    p.grad = torch.from_numpy(g.copy())
    with contextlib.redirect_stdout(io.StringIO()):  # AdaBelief prints its options
        opt = ref([p], lr=LR, **kwargs)
    if hasattr(opt, "train"):  # Schedule-Free: steps in train mode
        opt.train()
    opt.step()
    return opt.step


def interleaved(steps: list, repeat: int, number: int, clock: str = "cpu") -> list:
    """Per step function, its time in each of ``repeat`` rounds (all run each round)."""
    times = [[] for _ in steps]
    for _ in range(repeat):
        for k, step in enumerate(steps):
            times[k].append(seconds(step, number, clock))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=15, help="interleaved rounds")
    parser.add_argument("--number", type=int, default=10, help="steps per repeat")
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=None,
        help="torch.set_num_threads (default: torch's own)",
    )
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument("--only", nargs="*", help="these optimizers only (names)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    args = parser.parse_args()  # fmt: skip

    try:
        if args.no_torch:
            raise ImportError
        import torch
    except ImportError:
        torch = None
    if torch is not None and args.torch_threads:
        torch.set_num_threads(args.torch_threads)

    names = [n for n in rows() if not args.only or n in args.only]
    print(
        f"one step on {args.size:,} float64 parameters; median of {args.repeat} x "
        f"{args.number} steps, {args.clock} time; numpy {np.__version__}"
        + (
            f", torch {torch.__version__} ({torch.get_num_threads()} threads)"
            if torch
            else ""
        )
    )
    header = f"{'optimizer':<10} {'optviz ms':>10} {'ns/param':>9}"
    if torch:
        header += f" {'ref ms':>9} {'ns/param':>9} {'optviz/ref':>11}  reference"
    print(header)
    print("-" * len(header))
    for name in names:
        w, g = parameters(name, args.size)
        steps = [optviz_step(name, w.copy(), g)]
        if torch:
            steps.append(reference_step(torch, name, w, g))
        steps = [s for s in steps if s is not None]
        times = interleaved(steps, args.repeat, args.number, args.clock)
        ours = statistics.median(times[0])
        ns = 1e9 / w.size
        row = f"{name:<10} {ours * 1e3:>10.2f} {ours * ns:>9.2f}"
        if len(steps) == 2:
            theirs = statistics.median(times[1])
            ratio = statistics.median(a / b for a, b in zip(*times))
            module, cls, _ = TORCH_EQUIVALENT[name]
            row += f" {theirs * 1e3:>9.2f} {theirs * ns:>9.2f} {ratio:>10.2f}x"
            row += f"  {module}.{cls}"
        elif torch:
            row += f" {'-':>9} {'-':>9} {'-':>11}  (no reference importable)"
        print(row, flush=True)


def parameters(name: str, size: int):
    """Seeded parameters and gradient: a vector of ``size``, or for an optimizer of
    matrices a square matrix of about ``size`` elements."""
    rng = np.random.default_rng(0)
    n = round(size**0.5)
    shape = (n, n) if name in MATRIX_ONLY else (size,)
    return rng.standard_normal(shape), rng.standard_normal(shape)


if __name__ == "__main__":
    main()
