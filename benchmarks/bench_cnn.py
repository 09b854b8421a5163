"""Speed of the NumPy CNN against PyTorch on the CPU: time per training epoch.

Both train the same network from the same initial weights on the same data and the same
mini-batches (batch 64, float32, Adam lr=1e-3, one thread each), for two networks:

- ``digits``: optviz's default CNN for the 8x8 digits (conv 32@3x3 pad 1 -> ReLU ->
  max pool 2 -> conv 64@3x3 pad 1 -> ReLU -> max pool 2 -> dense 10), on the 1,438
  training digits;
- ``mnist``: a LeNet for 28x28 images (conv 8@5x5 -> pool 2 -> conv 16@5x5 -> pool 2
  -> dense 64 -> dense 10), on 6,000 generated 28x28 shape images.

Usage::

    python benchmarks/bench_cnn.py                 # both networks, 5 timed epochs
    python benchmarks/bench_cnn.py --net mnist --epochs 10 --profile

Prints seconds per epoch (median of the timed epochs, after one warm-up epoch),
images per second and the ratio optviz / PyTorch. PyTorch is optional: without it only
optviz is timed. ``--profile`` adds a cProfile of one optviz epoch.

Threads are pinned before numpy is imported (OPENBLAS_NUM_THREADS, OMP_NUM_THREADS,
MKL_NUM_THREADS, and ``torch.set_num_threads``). The environment's OPENBLAS_CORETYPE
and OPENBLAS_L2_SIZE, if set, are printed: they can change numpy's speed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

BATCH_SIZE = 64
LR = 1e-3
MNIST_IMAGES = 6000


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--net", choices=("digits", "mnist", "both"), default="both")
    p.add_argument("--epochs", type=int, default=5, help="timed epochs (after 1 warm-up)")
    p.add_argument("--threads", type=int, default=1, help="BLAS / torch threads")
    p.add_argument("--no-torch", action="store_true", help="time optviz only")
    p.add_argument("--profile", action="store_true", help="cProfile one optviz epoch")
    return p.parse_args(argv)


def pin_threads(n: int) -> None:
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)


def make_case(name: str):
    """(network, x, y) for one benchmark case; x float32 (N, C, H, W), y int64."""
    import numpy as np

    from optviz.nn import default_cnn, lenet
    from optviz.nn.data import load_dataset, shapes

    if name == "digits":
        data = load_dataset("digits", seed=0)
        net = default_cnn(data.image_shape, data.n_classes, seed=0, dtype=np.float32)
        return net, data.x_train, data.y_train
    x, y = shapes(MNIST_IMAGES, size=28, seed=0, dtype=np.float32)
    return lenet((1, 28, 28), 10, seed=0, dtype=np.float32), x, y


def torch_twin(net):
    """The same network in PyTorch, with the same initial weights."""
    import torch
    from torch import nn

    from optviz.nn import Conv2D, Dense, Flatten, MaxPool2D, ReLU

    layers = []
    for layer in net.layers:
        if isinstance(layer, Conv2D):
            t = nn.Conv2d(
                layer.in_channels,
                layer.out_channels,
                layer.kernel_size,
                stride=layer.stride,
                padding=layer.padding,
            )
        elif isinstance(layer, Dense):
            t = nn.Linear(layer.in_features, layer.out_features)
        elif isinstance(layer, MaxPool2D):
            t = nn.MaxPool2d(layer.kernel_size, stride=layer.stride)
        elif isinstance(layer, ReLU):
            t = nn.ReLU()
        elif isinstance(layer, Flatten):
            t = nn.Flatten()
        else:
            raise ValueError(f"no PyTorch twin for {layer!r}")
        if isinstance(layer, (Conv2D, Dense)):
            with torch.no_grad():
                t.weight.copy_(torch.from_numpy(layer.weight))
                t.bias.copy_(torch.from_numpy(layer.bias))
        layers.append(t)
    return nn.Sequential(*layers)


def epoch_orders(n: int, epochs: int):
    import numpy as np

    rng = np.random.default_rng(1)
    return [rng.permutation(n) for _ in range(epochs)]


def time_optviz(net, x, y, orders):
    from optviz.nn import CrossEntropyLoss
    from optviz.optimizers import Adam

    loss, opt = CrossEntropyLoss(), Adam(lr=LR)
    params, grads = net.parameters(), net.gradients()
    times, first_loss = [], None
    for order in orders:
        t0 = time.perf_counter()
        for start in range(0, len(order), BATCH_SIZE):
            idx = order[start : start + BATCH_SIZE]
            value = loss.forward(net.forward(x[idx]), y[idx])
            first_loss = value if first_loss is None else first_loss
            net.backward(loss.backward(), input_grad=False)
            opt.step(params, grads)
        times.append(time.perf_counter() - t0)
    return times, first_loss, value


def time_torch(model, x, y, orders):
    import torch
    import torch.nn.functional as F

    opt = torch.optim.Adam(model.parameters(), lr=LR)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    times, first_loss = [], None
    for order in orders:
        order_t = torch.from_numpy(order)
        t0 = time.perf_counter()
        for start in range(0, len(order), BATCH_SIZE):
            idx = order_t[start : start + BATCH_SIZE]
            loss = F.cross_entropy(model(xt[idx]), yt[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            value = loss.item()
            first_loss = value if first_loss is None else first_loss
        times.append(time.perf_counter() - t0)
    return times, first_loss, value


def profile_epoch(net, x, y, order) -> None:
    import cProfile
    import pstats

    from optviz.nn import CrossEntropyLoss
    from optviz.optimizers import Adam

    loss, opt = CrossEntropyLoss(), Adam(lr=LR)
    params, grads = net.parameters(), net.gradients()

    def epoch():
        for start in range(0, len(order), BATCH_SIZE):
            idx = order[start : start + BATCH_SIZE]
            loss.forward(net.forward(x[idx]), y[idx])
            net.backward(loss.backward(), input_grad=False)
            opt.step(params, grads)

    prof = cProfile.Profile()
    prof.runcall(epoch)
    pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(15)


def main(argv=None) -> None:
    args = parse_args(argv)
    pin_threads(args.threads)
    import numpy as np

    have_torch = False
    if not args.no_torch:
        try:
            import torch

            torch.set_num_threads(args.threads)
            have_torch = True
        except ImportError:
            print("PyTorch not importable: timing optviz only")
    env = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    print(
        f"numpy {np.__version__}"
        + (f", torch {torch.__version__}" if have_torch else "")
        + f"; threads {args.threads}; batch {BATCH_SIZE}; float32; Adam lr={LR}; "
        + ", ".join(f"{k}={v}" for k, v in env.items())
    )
    header = f"{'network':8s} {'images':>7s} {'optviz s/epoch':>15s} {'img/s':>8s}"
    if have_torch:
        header += f" {'torch s/epoch':>14s} {'img/s':>8s} {'ratio':>6s}"
    print(header)
    nets = ("digits", "mnist") if args.net == "both" else (args.net,)
    for name in nets:
        net, x, y = make_case(name)
        orders = epoch_orders(len(y), args.epochs + 1)
        twin = torch_twin(net) if have_torch else None  # before optviz trains net
        times, first, last = time_optviz(net, x, y, orders)
        ours = statistics.median(times[1:])
        line = f"{name:8s} {len(y):7d} {ours:15.4f} {len(y) / ours:8.0f}"
        if have_torch:
            t_times, t_first, t_last = time_torch(twin, x, y, orders)
            theirs = statistics.median(t_times[1:])
            line += f" {theirs:14.4f} {len(y) / theirs:8.0f} {ours / theirs:6.2f}"
            line += f"   (first-batch loss {first:.5f} vs {t_first:.5f}"
            line += f", last {last:.4f} vs {t_last:.4f})"
        print(line, flush=True)
        if args.profile:
            fresh, _, _ = make_case(name)
            profile_epoch(fresh, x, y, orders[0])


if __name__ == "__main__":
    main()
