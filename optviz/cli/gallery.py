"""``optviz gallery``: regenerate the teaching figures of ``gallery/``."""

from __future__ import annotations

import os
import sys
import time

import click

from ._common import clean_errors, interrupted

__all__ = ["gallery_command"]


@click.command("gallery")
@click.option(
    "--out", default="gallery", show_default=True, help="The gallery's root folder."
)
@click.option(
    "--only",
    multiple=True,
    metavar="NAME",
    help="Build only this entry (repeatable); the page (README.md, README.zh.md) "
    "is written only when every entry is built.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Every text in English (into --out, with README.md) or in Chinese (into "
    "--out/zh, with README.zh.md; drawn with the CJK font shipped with optviz).",
)
@click.option("--small", is_flag=True, help="Reduced sizes (quick; for tests).")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Scripts run side by side in this many processes, at most one per entry and "
    "as many as the memory available holds (about 250 MB each) [default: 2, or 1 on "
    "one core].",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress lines (none off a terminal either)."
)
@clean_errors
def gallery_command(out, only, lang, small, jobs, quiet):
    """Regenerate every gallery figure (PNG) and animation (GIF), deterministically,
    and the gallery's page: gallery/README.md in English, or with --lang zh the
    Chinese gallery in gallery/zh/ and its page gallery/README.zh.md.

    Each figure is made by a short script, gallery/plot_NN_NAME.py, that runs on its
    own too; the pages are written from their docstrings. Files are made in a temporary
    folder inside --out and moved in together at the end: an error, Ctrl-C or SIGTERM
    leaves --out as it was.
    The default builds the English gallery only; run it again with --lang zh for the
    Chinese one (each takes about half a minute on two cores).

    \b
    Entries: the CNN lessons (cnn-architecture, convolution, rgb-convolution,
    sliding-window, receptive-field, nonlinearity, activations, pooling-shift,
    fully-connected, losses, cross-entropy, ce-vs-mse, vanishing-gradients), the
    optimizer lessons (linear-regression, learning-rate, update-rules, explain-step,
    momentum-beta, momentum-ravine, rate-map, adaptive-lr,
    bias-correction), compare-SURFACE (quadratic, rosenbrock, beale, saddle,
    himmelblau), saddle-3d, sweep-rosenbrock, startmap-himmelblau, cnn-training (with
    the landscape), and the notes' last ideas (lr-decay, decay-rates, delta-role,
    momentum-sum-vs-adam-average, padding-coverage, stride-kernel, initialisation,
    zero-mean-zigzag, leaky-prelu, dying-relu, relu-explosion, batch-size; `optviz
    lesson NAME` makes one alone), and the optimizer zoo (optimizer-families,
    compare-modern).
    """
    from ..budget import GALLERY_WORKER_BYTES, cap_workers
    from ..gallery import Progress, build, entries

    total = len(only) or len(entries())
    if jobs is not None:
        jobs, _ = cap_workers(jobs, total, os.cpu_count() or 1, GALLERY_WORKER_BYTES)
    state = Progress()
    started = time.perf_counter()

    def report(name):
        if not quiet and sys.stderr.isatty():  # progress: on a terminal only
            seconds = time.perf_counter() - started
            n = len(state.built)
            click.echo(f"[{n:2d}/{total}] {name:<22} {seconds:6.1f} s", err=True)

    try:
        written = build(
            out,
            only=only,
            small=small,
            lang=lang,
            progress=report,
            state=state,
            jobs=jobs,
        )
    except KeyboardInterrupt as exc:
        moved = len(state.moved)  # all of this build's files or none
        what = (
            f"all {moved} files of this build were written to {out}/ (each complete)"
            if moved
            else f"nothing was written to {out}/"
        )
        interrupted(exc, what)
    where = out if lang == "en" else f"{out}/{lang}"
    click.echo(f"wrote {len(written)} files to {where}/")
