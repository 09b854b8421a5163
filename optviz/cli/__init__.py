"""The ``optviz`` command: thin click commands over the library.

Each command lives in its own module here and is registered below.
"""

from __future__ import annotations

import click

from .._version import __version__

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="optviz")
def main():
    """See how optimizers work: SGD, momentum, Adagrad, RMSprop and Adam on loss
    surfaces and a small CNN, as figures and animations.

    Start with `optviz compare` (all five optimizers on Rosenbrock).
    """


def _register() -> None:
    from .animate import animate
    from .compare import compare
    from .explore import explore_command
    from .gallery import gallery_command
    from .landscape import landscape_command
    from .listing import list_command
    from .lr import lr_command
    from .map import map_command
    from .sweep import cnn_sweep_command, sweep_command
    from .train import train

    for command in (
        list_command,
        compare,
        animate,
        train,
        lr_command,
        sweep_command,
        map_command,
        cnn_sweep_command,
        landscape_command,
        gallery_command,
        explore_command,
    ):
        main.add_command(command)


_register()
