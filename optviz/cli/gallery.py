"""``optviz gallery``: regenerate the teaching figures of ``gallery/``."""

from __future__ import annotations

import sys
import time

import click

from ._common import EXIT_INTERRUPTED, clean_errors

__all__ = ["gallery_command"]


@click.command("gallery")
@click.option("--out", default="gallery", show_default=True, help="Folder to write.")
@click.option(
    "--only",
    multiple=True,
    metavar="NAME",
    help="Build only this entry (repeatable); README.md is written only "
    "when every entry is built.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Figure labels in English or Chinese (zh needs a CJK font).",
)
@click.option("--small", is_flag=True, help="Reduced sizes (quick; for tests).")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Scripts run side by side in this many processes [default: 2, or 1 on one core].",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="No progress lines (none off a terminal either)."
)
@clean_errors
def gallery_command(out, only, lang, small, jobs, quiet):
    """Regenerate every gallery figure (PNG) and animation (GIF), deterministically,
    and gallery/README.md with captions in English and Chinese.

    Each figure is made by a short script, gallery/plot_NN_NAME.py, that runs on its
    own too; README.md is written from their docstrings. Files are made in a temporary
    folder and moved into --out at the end: an error or Ctrl-C leaves --out as it was.

    \b
    Entries: activations, convolution, losses, linear-regression, compare-SURFACE
    (rosenbrock, beale, saddle, quadratic, himmelblau), momentum-ravine, adaptive-lr,
    bias-correction, fair-comparison, cnn.
    """
    from ..gallery import Progress, build, entries

    total = len(only) or len(entries())
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
    except KeyboardInterrupt:
        moved = len(state.moved)
        what = (
            f"{moved} files were already moved into {out}/ (each complete)"
            if moved
            else f"nothing was written to {out}/"
        )
        click.echo(f"Error: interrupted; {what}", err=True)
        sys.exit(EXIT_INTERRUPTED)
    click.echo(f"wrote {len(written)} files to {out}/")
