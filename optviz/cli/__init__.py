"""The ``optviz`` command: thin click commands over the library.

Each command lives in its own module here and is registered below.
"""

from __future__ import annotations

import os
import sys

import click

from .._version import __version__
from ._common import interrupted, one_line

__all__ = ["main", "OneLineErrors", "ERROR_RULE"]

#: The error rule, shown at the end of ``optviz --help``.
ERROR_RULE = (
    "Errors: every error is one line 'Error: ...' on stderr. Exit codes: 0 success, "
    "1 an error (bad value, unreadable input, unwritable output), 2 a usage error "
    "(unknown command or option, bad choice, unknown name: surface, optimizer, "
    "hyper-parameter, schedule, data set), 130 interrupted (Ctrl-C; 143 after "
    "SIGTERM, 129 after SIGHUP), with a line saying what was written."
)


#: click >= 8.2 raises this for a bare group name; older versions print the help.
_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())


class OneLineErrors(click.Group):
    """A click group whose usage errors, like optviz's own, are one ``Error:`` line
    (click prints usage and a hint over four lines)."""

    def main(
        self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra
    ):
        from .._io import ledger
        from .._signals import raise_pending, terminate_like_interrupt

        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        ledger.reset()
        try:
            with terminate_like_interrupt():
                rv = super().main(args, prog_name, complete_var, False, **extra)
                raise_pending()  # a signal whose exception was lost on the way
        except _NO_ARGS as exc:  # plain `optviz`: the help, not an error
            click.echo(exc.format_message())
            sys.exit(0)
        except click.UsageError as exc:
            hint = f" (see {exc.ctx.command_path} --help)" if exc.ctx is not None else ""
            click.echo(f"Error: {one_line(exc.format_message())}{hint}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"Error: {one_line(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort as exc:
            interrupted(exc.__cause__)
        except KeyboardInterrupt as exc:
            interrupted(exc)
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(
    cls=OneLineErrors,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=ERROR_RULE,
)
@click.version_option(__version__, prog_name="optviz")
@click.option(
    "--plugin",
    "plugins",
    multiple=True,
    metavar="PATH.py|MODULE",
    help="Import this file or module first: the optimizers and surfaces it registers "
    "are known to every command (repeatable). Installed packages register through "
    "the entry-point groups optviz.optimizers and optviz.surfaces.",
)
def main(plugins):
    """See how optimizers work: SGD, momentum, Adagrad, RMSprop and Adam on loss
    surfaces and a small CNN, as figures and animations.

    Start with `optviz compare` (all five optimizers on Rosenbrock).
    """
    from ..plugins import load_entry_points, load_plugin

    try:
        load_entry_points()
        for plugin in plugins:
            load_plugin(plugin)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if os.environ.get("OPTVIZ_GALLERY_SMALL", "") not in ("", "0"):
        from ..recipes.sizes import set_small

        set_small(True)  # the gallery's test-sized runs, for its tests of the commands


def _register() -> None:
    from .animate import animate
    from .compare import compare
    from .explore import explore_command
    from .gallery import gallery_command
    from .landscape import landscape_command
    from .lesson import lesson_command
    from .listing import list_command
    from .lr import lr_command
    from .map import map_command
    from .redraw import redraw_command
    from .sweep import cnn_sweep_command, sweep_command
    from .train import train
    from .tune import tune_command

    for command in (
        list_command,
        compare,
        animate,
        train,
        lr_command,
        sweep_command,
        map_command,
        cnn_sweep_command,
        tune_command,
        landscape_command,
        redraw_command,
        lesson_command,
        gallery_command,
        explore_command,
    ):
        main.add_command(command)


_register()
