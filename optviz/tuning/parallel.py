"""The tuning protocol's tasks (one per surface and optimizer) on joblib's local
processes or a Dask cluster, through the CNN sweep's joblib configuration
(:func:`optviz.cnn_sweep.parallel_backend`: tcp only, bounded timeouts). The tasks are
deterministic, so every backend gives the same numbers."""

from __future__ import annotations

from typing import Callable

__all__ = ["joblib_runner"]


def joblib_runner(n_jobs: int = -1, scheduler=None) -> Callable:
    """A ``runner(fn, jobs, progress) -> results`` for :func:`~.protocol.tune_suite`:
    ``fn(*job)`` for every job, in order, on ``n_jobs`` local processes (-1: every
    core) or on the Dask cluster ``scheduler``; ``progress(done, total)`` as each task
    finishes. ``runner.where`` says where, after a run."""

    def runner(fn, jobs, progress=None):
        import joblib

        from ..cnn_sweep import close_client, parallel_backend

        config, own, where, _ = parallel_backend(n_jobs, scheduler, len(jobs))
        runner.where = where
        try:
            with config:
                out = []
                outputs = joblib.Parallel(return_as="generator")(
                    joblib.delayed(fn)(*job) for job in jobs
                )
                for result in outputs:
                    out.append(result)
                    if progress is not None:
                        progress(len(out), len(jobs))
                return out
        finally:
            close_client(own)

    runner.where = "not run yet"
    return runner
