"""Validation accuracy of the default CNN on the digits: the median over three seeds.

The target: Adam (optviz's default learning rate for this network) reaches at least
98% validation accuracy within 20 epochs, as the median of seeds 0, 1 and 2. Each seed
changes the train/validation split, the initial weights and the batch order.

Usage::

    python benchmarks/cnn_accuracy.py                   # adam, 20 epochs, seeds 0 1 2
    python benchmarks/cnn_accuracy.py -o sgd -o momentum --epochs 20

Prints, per optimizer, the validation accuracy after the last epoch for every seed,
the best epoch's, and their medians.
"""

from __future__ import annotations

import argparse
import os
import time

TARGET = 0.98


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-o", "--optimizer", action="append", dest="specs", metavar="SPEC")
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)
    import numpy as np

    from optviz.nn.data import load_dataset
    from optviz.nn.trainer import train_optimizers

    specs = args.specs or ["adam"]
    final: dict[str, list] = {}
    best: dict[str, list] = {}
    started = time.perf_counter()
    for seed in args.seeds:
        data = load_dataset("digits", seed=seed)
        run = train_optimizers(data, specs, epochs=args.epochs, seed=seed)
        for h in run:
            final.setdefault(h.label, []).append(h.val_accuracy[-1])
            best.setdefault(h.label, []).append(np.nanmax(h.val_accuracy))
    seconds = time.perf_counter() - started
    print(f"digits, default CNN, {args.epochs} epochs, batch 64, seeds {args.seeds}")
    for label in final:
        med = float(np.median(final[label]))
        runs = " ".join(f"{100 * v:.2f}" for v in final[label])
        verdict = "meets" if med >= TARGET else "MISSES"
        print(
            f"{label:>10s}: last epoch {runs} -> median {100 * med:.2f}%"
            f" ({verdict} {100 * TARGET:.0f}%); best epoch median "
            f"{100 * float(np.median(best[label])):.2f}%"
        )
    print(f"({seconds:.1f} s)")


if __name__ == "__main__":
    main()
