r"""CNN sweeps: optimizers x learning rates x seeds, trained in parallel, cached on disk.

Every training run of a sweep is independent, so :func:`cnn_sweep` hands them to
joblib: on the local cores by default, or through joblib's Dask backend onto a Dask
cluster (``scheduler=`` an address such as ``"tcp://10.0.0.5:8786"``, or a
``distributed.Client``). Each finished run is stored in a cache folder as one small
JSON file named by a hash of everything that determines it (:class:`CnnJob` and the
optviz version), written by the process that drives the sweep as results arrive. So
redrawing a figure never retrains, and a sweep that is interrupted resumes where it
stopped: the runs already in the cache are read, only the others are trained.

Fairness: for one seed, every optimizer and learning rate starts from the same initial
weights and sees the same sequence of mini-batches (the trainer's seeding), and the data
split is the same for all. The best learning rate of each optimizer is the one with the
highest mean final validation accuracy over the seeds (``criterion="val_accuracy"``)
or the lowest mean final validation loss (``"val_loss"``); a learning rate where any
seed diverged is never best.

>>> jobs = make_jobs(["sgd"], [0.1], seeds=1, dataset="digits", epochs=1, limit=100,
...                  channels=(2, 4))
>>> sweep = cnn_sweep(jobs, n_jobs=1, cache=None)
>>> sweep.frame[["optimizer", "lr", "seed"]].values.tolist()
[['sgd', 0.1, 0]]
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

import joblib
import numpy as np

from ._checks import check_int
from ._io import atomic_path
from .budget import Estimate, cap_workers, training
from .records.cnn_sweep import (
    CACHE_FORMAT,
    CNN_CRITERIA,
    RESULT_COLUMNS,
    CnnJob,
    CnnSweep,
    check_result,
)

__all__ = [
    "CnnJob",
    "make_jobs",
    "train_job",
    "RunCache",
    "cnn_sweep",
    "CnnSweep",
    "CNN_CRITERIA",
    "default_cache_dir",
    "default_cnn_lr_range",
    "RESULT_COLUMNS",
    "CACHE_FORMAT",
    "MAX_ENTRY_BYTES",
    "parallel_backend",
    "close_client",
]

#: The default grid spans the trainer's default learning rates widened by a decade.
CNN_GRID_DECADES = 1
DEFAULT_CNN_GRID_POINTS = 9
#: A cache entry larger than this is malformed (a real one is a few kB).
MAX_ENTRY_BYTES = 1 << 20
#: How long to try to reach a Dask scheduler given by address.
SCHEDULER_TIMEOUT = "10s"


def make_jobs(
    specs: Sequence[str],
    lrs: Sequence[float],
    *,
    seeds: int = 3,
    dataset: str = "digits",
    epochs: int = 10,
    batch_size: int = 64,
    limit: int | None = None,
    channels: tuple[int, int] | None = None,
    dtype: str = "float32",
) -> list[CnnJob]:
    """Every (SPEC, learning rate, seed), SPECs first: checked before any training.

    SPECs must not set ``lr`` (the sweep does); schedule keys are fine. Labels follow
    :func:`optviz.spec.build_optimizers` (a name given twice is told apart by its keys).
    """
    from .optimizers import DEFAULT_OPTIMIZERS
    from .spec import build_optimizers, parse_spec

    specs = list(specs) or list(DEFAULT_OPTIMIZERS)
    for spec in specs:
        if "lr" in parse_spec(spec)[1]:
            raise ValueError(
                f"in {spec!r}: a sweep sets lr itself; drop lr= and give the range with "
                "--lr MIN:MAX:N"
            )
    seeds = check_int("seeds", seeds, low=1, high=10_000)
    epochs = check_int("epochs", epochs, low=1, high=10_000)
    batch_size = check_int("batch_size", batch_size, low=1)
    lrs = [float(v) for v in lrs]
    if not lrs or not all(np.isfinite(v) and v > 0 for v in lrs):
        raise ValueError(f"learning rates must be > 0, got {lrs}")
    data = _dataset(dataset, limit, 0, dtype)  # checks the name; cached for the workers
    steps = epochs * -(-len(data.y_train) // batch_size)
    labels = list(build_optimizers(specs, steps=steps))  # checks every SPEC and key
    return [
        CnnJob(
            spec,
            label,
            lr,
            seed,
            dataset,
            epochs,
            batch_size,
            limit,
            0,
            None if channels is None else tuple(int(c) for c in channels),
            dtype,
        )
        for spec, label in zip(specs, labels)
        for lr in lrs
        for seed in range(seeds)
    ]


@lru_cache(maxsize=4)
def _dataset(name: str, limit: int | None, split_seed: int, dtype: str):
    from .nn.data import load_dataset

    return load_dataset(name, seed=split_seed, limit=limit, dtype=dtype)


def train_job(job: CnnJob) -> dict:
    """Train the network of ``job`` and return its summary (JSON-ready).

    Runs anywhere (a joblib worker, a Dask worker): it loads the data set itself.
    """
    from .nn.model import default_cnn
    from .nn.trainer import train
    from .spec import build_optimizer

    t0 = time.perf_counter()
    data = _dataset(job.dataset, job.limit, job.split_seed, job.dtype)
    per_epoch = -(-len(data.y_train) // job.batch_size)
    init_seed, batch_seed = np.random.SeedSequence(job.seed).spawn(2)
    model = default_cnn(
        data.image_shape,
        data.n_classes,
        channels=job.channels,
        seed=np.random.default_rng(init_seed),
        dtype=job.dtype,
    )
    name, optimizer = build_optimizer(
        job.spec, steps=job.epochs * per_epoch, default_lr=job.lr
    )
    history = train(
        model,
        optimizer,
        data,
        epochs=job.epochs,
        batch_size=job.batch_size,
        seed=np.random.default_rng(batch_seed),
        label=job.label,
    )

    def floats(a):
        return [None if not np.isfinite(v) else float(v) for v in np.asarray(a, float)]

    val_acc = np.asarray(history.val_accuracy, float)
    finite = val_acc[np.isfinite(val_acc)]
    return {
        "optimizer": name,
        "hyperparameters": optimizer.hyperparameters(),
        "train_loss": floats(history.train_loss),
        "val_loss": floats(history.val_loss),
        "val_accuracy": floats(history.val_accuracy),
        "diverged_at": int(history.diverged_at),
        "steps": int(history.steps),
        "best_val_accuracy": float(finite.max()) if len(finite) else None,
        "seconds": time.perf_counter() - t0,
        "data": data.describe(),
        "network": [repr(layer) for layer in model.layers],
    }


class RunCache:
    """Finished runs on disk: one JSON file per :class:`CnnJob`, named by its key.

    Files are written atomically, so an interrupted write leaves nothing behind."""

    def __init__(self, folder) -> None:
        self.malformed: list[Path] = []  # entries found malformed (and retrained)
        self.folder = Path(folder).expanduser()
        if self.folder.exists() and not self.folder.is_dir():
            raise ValueError(f"cache {self.folder} exists and is not a folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        if not os.access(self.folder, os.W_OK):
            raise ValueError(f"cache folder {self.folder} is not writable")

    def path(self, job: CnnJob) -> Path:
        return self.folder / f"{job.key()}.json"

    def get(self, job: CnnJob) -> dict | None:
        """The stored result of ``job``, or None (train it again) when there is none
        or the entry is malformed: unreadable, too large, not JSON, for another job,
        or missing what a sweep reads. Malformed entries are counted in
        :attr:`malformed`."""
        path = self.path(job)
        if not path.is_file():
            return None
        try:
            if path.stat().st_size > MAX_ENTRY_BYTES:
                raise ValueError("too large")
            stored = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(stored, dict):
                raise ValueError("not an object")
            if stored.get("job") != json.loads(json.dumps(asdict(job))):  # tuples: lists
                raise ValueError("holds another job")
            return check_result(stored.get("result"), job.epochs)
        except (OSError, ValueError, TypeError, RecursionError, UnicodeDecodeError):
            self.malformed.append(path)
            return None  # malformed: train again (put() replaces it)

    def put(self, job: CnnJob, result: dict) -> None:
        with atomic_path(self.path(job)) as tmp:
            tmp.write_text(json.dumps({"job": asdict(job), "result": result}) + "\n")


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/optviz/cnn-sweep`` (``~/.cache/optviz/cnn-sweep``)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "optviz" / "cnn-sweep"


def default_cnn_lr_range(names: Sequence[str]) -> tuple[float, float]:
    """Whole decades from one below the smallest to one above the largest of the
    trainer's default learning rates of ``names``."""
    import math

    from .nn.trainer import cnn_rates

    rates = cnn_rates()
    defaults = [rates.get(n, 0.01) for n in names] or [0.01]
    low = math.floor(math.log10(min(defaults))) - CNN_GRID_DECADES
    high = math.ceil(math.log10(max(defaults))) + CNN_GRID_DECADES
    return 10.0**low, 10.0**high


def _backend_config(n_jobs: int, scheduler, runs: int):
    """joblib's configuration: local processes (at most one per run and as many as
    the memory available holds), or the Dask backend on a cluster."""
    if scheduler is None:
        workers, _ = cap_workers(n_jobs, runs, joblib.cpu_count())
        where = f"joblib, {workers} local process{'es' if workers > 1 else ''}"
        return joblib.parallel_config(n_jobs=workers), None, where, workers
    try:
        from dask.utils import parse_timedelta
        from distributed import Client
    except ImportError:  # pragma: no cover - depends on the environment
        raise ValueError(
            "--scheduler needs dask[distributed]: pip install 'optviz[dask]'"
        ) from None
    own = None
    client = scheduler
    if isinstance(scheduler, str):
        client = own = _connect(scheduler, parse_timedelta(SCHEDULER_TIMEOUT))
    if not isinstance(client, Client):
        raise ValueError(
            f"scheduler must be an address or a distributed.Client, got {client!r}"
        )
    where = client.scheduler.address if hasattr(client, "scheduler") else str(client)
    try:  # the cluster's worker threads, for the budget
        seconds = parse_timedelta(SCHEDULER_TIMEOUT)
        workers = max(1, sum(_bounded("Dask workers", client.ncores, seconds).values()))
    except Exception as exc:  # noqa: BLE001 - any failure to ask is one line
        if own is not None:
            own.close(timeout=parse_timedelta(SCHEDULER_TIMEOUT))
        raise ValueError(f"the Dask scheduler at {where} did not answer: {exc}") from None
    return (
        joblib.parallel_config(backend="dask", client=client, n_jobs=-1),
        own,
        f"joblib's Dask backend on {where}",
        workers,
    )


def parallel_backend(n_jobs: int, scheduler, runs: int):
    """``(config, own_client, where, workers)``: joblib's configuration for ``runs``
    independent tasks, on local processes or a Dask cluster (``scheduler``: an address
    or a ``distributed.Client``), the client optviz opened (close it with
    :func:`close_client`), in words, and how many workers. Shared by the CNN sweep
    and the tuning protocol."""
    return _backend_config(n_jobs, scheduler, runs)


def close_client(client) -> None:
    """Close a client :func:`parallel_backend` opened, within the scheduler timeout."""
    if client is not None:
        from dask.utils import parse_timedelta

        client.close(timeout=parse_timedelta(SCHEDULER_TIMEOUT))


def _check_address(address: str) -> str:
    """``tcp://HOST:PORT`` (or ``HOST:PORT``), checked: the only address optviz
    connects to by itself (TLS and UCX need settings a plain address cannot carry:
    pass a ``distributed.Client`` instead)."""
    scheme, sep, rest = address.strip().partition("://")
    if not sep:
        scheme, rest = "tcp", address.strip()
    host, _, port = rest.rpartition(":")
    if scheme.lower() != "tcp":
        raise ValueError(
            f"scheduler address {address!r}: optviz connects over tcp:// only (for "
            f"{scheme}://, pass a distributed.Client made with its security settings)"
        )
    if not host.strip("[]") or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(
            f"scheduler address {address!r} is not tcp://HOST:PORT "
            "(e.g. tcp://10.0.0.5:8786)"
        )
    return f"tcp://{host}:{int(port)}"


def _bounded(what: str, call: Callable[[], object], seconds: float):
    """``call()`` in a daemon thread, given up after ``seconds`` (a Dask call that
    never returns must not hold the sweep for ever)."""
    box: dict = {}

    def run():
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - reported below, as one line
            box["error"] = exc

    thread = threading.Thread(target=run, name=f"optviz {what}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise TimeoutError(f"no answer within {seconds:g} s")
    if "error" in box:
        raise box["error"]
    return box.get("value")


def _connect(address: str, seconds: float):
    """A ``distributed.Client`` on the scheduler at ``address``: the handshake first,
    on its own, then the client, each bounded by ``seconds``; any failure is one
    ``ValueError`` line."""
    import asyncio

    from distributed import Client
    from distributed.comm import connect

    address = _check_address(address)

    async def handshake():
        comm = await connect(address, timeout=seconds)
        await comm.close()

    def probe():
        asyncio.run(asyncio.wait_for(handshake(), seconds))

    try:
        _bounded("Dask handshake", probe, seconds + 1)
        return _bounded(
            "Dask client", lambda: Client(address, timeout=seconds), 2 * seconds
        )
    except (OSError, TimeoutError, asyncio.TimeoutError) as exc:
        why = str(exc) or f"no answer as a Dask scheduler within {seconds:g} s"
        raise ValueError(f"cannot reach the Dask scheduler at {address}: {why}") from None
    except Exception as exc:  # a server that is not a Dask scheduler (HTTP, ...)
        why = f"{type(exc).__name__}: {exc}"[:120]
        raise ValueError(f"{address} did not answer as a Dask scheduler ({why})") from None


def _estimate(jobs: Sequence[CnnJob], workers: int, local: bool) -> Estimate:
    """What training ``jobs`` on ``workers`` workers (``local`` processes, or a
    cluster's) costs (their data set is loaded and cached by :func:`make_jobs`)."""
    job = jobs[0]
    data = _dataset(job.dataset, job.limit, job.split_seed, job.dtype)
    return training(
        len(jobs),
        max(j.epochs for j in jobs),
        len(data.y_train),
        workers=workers,
        local=local,
        data_bytes=data.x_train.nbytes + data.x_val.nbytes,
    )


def _from_cache(jobs: Sequence[CnnJob], store: RunCache | None):
    """``(results, todo)``: each job's cached result (None if there is none) and the
    indices of the jobs left to train."""
    results: list[dict | None] = [None] * len(jobs)
    todo = []
    for i, job in enumerate(jobs):
        hit = store.get(job) if store else None
        if hit is not None:
            results[i] = {**hit, "_cached": True}
        else:
            todo.append(i)
    return results, todo


def _train_all(jobs, todo, results, store, progress) -> None:
    """Train ``jobs[i]`` for each ``i`` in ``todo`` on joblib's configured backend,
    storing each result (in ``results`` and the cache) as it arrives: resumable."""
    done = len(jobs) - len(todo)
    parallel = joblib.Parallel(return_as="generator")
    outputs = parallel(joblib.delayed(train_job)(jobs[i]) for i in todo)
    for i, result in zip(todo, outputs):
        if store:
            store.put(jobs[i], result)
        results[i] = result
        done += 1
        if progress:
            progress(done, len(jobs))


def cnn_sweep(
    jobs: Sequence[CnnJob],
    *,
    n_jobs: int = -1,
    scheduler=None,
    cache: str | os.PathLike | None = "default",
    criterion: str = "val_accuracy",
    progress: Callable[[int, int], None] | None = None,
    lr_how: str = "given",
    check: Callable[[Estimate], None] | None = None,
) -> CnnSweep:
    """Train every job (those in the cache are read, not trained) and collect them.

    Parameters
    ----------
    jobs : sequence of CnnJob
        From :func:`make_jobs`.
    n_jobs : int
        Local worker processes (joblib's ``n_jobs``; -1 = every core), at most one
        per run to train and as many as the memory available holds
        (:func:`optviz.budget.cap_workers`).
    scheduler : str or distributed.Client, optional
        Run on this Dask cluster through joblib's Dask backend instead.
    cache : folder, "default" or None
        Where finished runs are kept (:func:`default_cache_dir` for ``"default"``;
        ``None`` keeps nothing).
    criterion : {"val_accuracy", "val_loss"}
        How the best learning rate is picked.
    progress : callable, optional
        ``progress(done, total)`` after every finished run (cached ones count at once).
    lr_how : str
        How the learning rates were chosen, in words, for the sidecar.
    check : callable, optional
        Called with the :class:`optviz.budget.Estimate` of the runs left to train
        (after the cache is read, on the workers there are) before any training: it
        raises to refuse them (the command line's budget).
    """
    if criterion not in CNN_CRITERIA:
        raise ValueError(
            f"criterion must be one of {', '.join(CNN_CRITERIA)}; got {criterion!r}"
        )
    jobs = list(jobs)
    if not jobs:
        raise ValueError("no training runs to do")
    n_jobs = check_int("jobs", n_jobs, low=-1)
    if n_jobs == 0:
        raise ValueError("jobs must be >= 1 (or -1 for every core), got 0")
    store = (
        RunCache(default_cache_dir() if cache == "default" else cache) if cache else None
    )
    results, todo = _from_cache(jobs, store)
    if progress:
        progress(len(jobs) - len(todo), len(jobs))
    config, own_client, where, workers = _backend_config(
        n_jobs, scheduler, len(todo) or len(jobs)
    )
    try:
        if todo and check is not None:
            check(_estimate([jobs[i] for i in todo], workers, scheduler is None))
        if todo:
            with config:
                _train_all(jobs, todo, results, store, progress)
    finally:
        if own_client is not None:
            from dask.utils import parse_timedelta

            own_client.close(timeout=parse_timedelta(SCHEDULER_TIMEOUT))
    meta = {
        "lr_how": lr_how,
        "parallel": where,
        "cache": None if store is None else str(store.folder),
    }
    if store is not None and store.malformed:
        meta["malformed_cache_entries"] = [p.name for p in store.malformed]
    return CnnSweep(jobs, results, criterion, meta)
