"""The ``optviz`` command: thin click commands over the library.

Each command lives in its own module here and is registered below.
"""

from __future__ import annotations

import click

from .. import __version__

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="optviz")
def main():
    """See how optimizers work: SGD, momentum, Adagrad, RMSprop and Adam on loss
    surfaces and a small CNN, as figures and animations.

    Start with `optviz compare` (all five optimizers on Rosenbrock).
    """


def _register() -> None:
    from .compare import compare
    from .listing import list_command

    for command in (list_command, compare):
        main.add_command(command)


_register()
