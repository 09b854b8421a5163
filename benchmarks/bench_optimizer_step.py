"""One optimizer step on 1,000,000 float64 parameters: optviz, and torch.optim if present.

    python benchmarks/bench_optimizer_step.py
    python benchmarks/bench_optimizer_step.py --size 100000 --repeat 15 --torch-threads 1

Times ``opt.step(w, g)`` for every optimizer in ``OPTIMIZERS`` with its defaults (the
state already created by a first step). Where torch is importable it times
``torch.optim``'s step on a float64 tensor of the same size with the same
hyper-parameters (``foreach`` left at its default, as users get it) and prints the ratio
optviz / torch. The two are interleaved: each of ``--repeat`` rounds times ``--number``
steps of optviz, then of torch, and the ratio printed is the median of the rounds'
ratios, so a busy machine slows both sides alike. The NumPy side runs on one core;
torch's elementwise kernels may use several (``--torch-threads``).
"""

from __future__ import annotations

import argparse
import statistics
import timeit

import numpy as np

from optviz.optimizers import OPTIMIZERS

#: torch.optim class and keywords equal to each optviz optimizer with its defaults.
TORCH_EQUIVALENT = {
    "sgd": ("SGD", {}),
    "momentum": ("SGD", {"momentum": 0.9}),
    "nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}),
    "adagrad": ("Adagrad", {"eps": 1e-10}),
    "rmsprop": ("RMSprop", {"alpha": 0.99, "eps": 1e-8}),
    "adam": ("Adam", {"betas": (0.9, 0.999), "eps": 1e-8}),
    "adamw": ("AdamW", {"betas": (0.9, 0.999), "eps": 1e-8, "weight_decay": 1e-2}),
}
LR = 1e-3


def seconds(step, number: int) -> float:
    """Time of one call of ``step``, averaged over ``number`` calls."""
    return timeit.Timer(step).timeit(number=number) / number


def optviz_step(name: str, w, g):
    opt = OPTIMIZERS[name](lr=LR)
    step = lambda: opt.step(w, g)  # noqa: E731
    step()  # creates the state: not part of a step's cost
    return step


def torch_step(torch, name: str, w, g):
    cls, kwargs = TORCH_EQUIVALENT[name]
    p = torch.from_numpy(w.copy()).requires_grad_(True)
    p.grad = torch.from_numpy(g.copy())
    opt = getattr(torch.optim, cls)([p], lr=LR, **kwargs)
    opt.step()
    return opt.step


def interleaved(steps: list, repeat: int, number: int) -> list[list[float]]:
    """Per step function, its time in each of ``repeat`` rounds (all run each round)."""
    times = [[] for _ in steps]
    for _ in range(repeat):
        for k, step in enumerate(steps):
            times[k].append(seconds(step, number))
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
    args = parser.parse_args()  # fmt: skip

    try:
        if args.no_torch:
            raise ImportError
        import torch
    except ImportError:
        torch = None
    if torch is not None and args.torch_threads:
        torch.set_num_threads(args.torch_threads)

    rng = np.random.default_rng(0)
    w = rng.standard_normal(args.size)
    g = rng.standard_normal(args.size)
    ns = 1e9 / args.size

    print(
        f"one step on {args.size:,} float64 parameters; median of {args.repeat} x "
        f"{args.number} steps; numpy {np.__version__}"
        + (
            f", torch {torch.__version__} ({torch.get_num_threads()} threads)"
            if torch
            else ""
        )
    )
    header = f"{'optimizer':<10} {'optviz ms':>10} {'ns/param':>9}"
    if torch:
        header += f" {'torch ms':>9} {'ns/param':>9} {'optviz/torch':>13}"
    print(header)
    print("-" * len(header))
    for name in OPTIMIZERS:
        steps = [optviz_step(name, w.copy(), g)]
        if torch:
            steps.append(torch_step(torch, name, w, g))
        times = interleaved(steps, args.repeat, args.number)
        ours = statistics.median(times[0])
        row = f"{name:<10} {ours * 1e3:>10.2f} {ours * ns:>9.2f}"
        if torch:
            theirs = statistics.median(times[1])
            ratio = statistics.median(a / b for a, b in zip(*times))
            row += f" {theirs * 1e3:>9.2f} {theirs * ns:>9.2f} {ratio:>12.2f}x"
        print(row, flush=True)


if __name__ == "__main__":
    main()
