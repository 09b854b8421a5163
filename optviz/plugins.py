"""A user's own optimizers and surfaces, brought in.

An optimizer is one class and ``register()`` (see :mod:`optviz.optimizers`); a surface
is one :class:`~optviz.surfaces.Surface` and :func:`optviz.surfaces.register`. From
Python, importing the module that defines them is enough. From the command line,
``optviz --plugin PATH.py|MODULE COMMAND ...`` (repeatable) imports each first
(:func:`load_plugin`), and installed packages declare theirs in the entry-point groups
``optviz.optimizers`` and ``optviz.surfaces`` (:func:`load_entry_points`): an entry
point names a module (importing it registers), an Optimizer subclass or a Surface
(registered when loaded)::

    [project.entry-points."optviz.optimizers"]
    signum = "mypackage.signum:Signum"
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

__all__ = ["load_plugin", "load_entry_points", "GROUPS"]

#: The entry-point groups optviz reads, by what they register.
GROUPS = ("optviz.optimizers", "optviz.surfaces")


def load_plugin(spec: str) -> ModuleType:
    """Import ``spec``, a ``.py`` file or a module's dotted name, so that what it
    registers is known to optviz. A missing file or module, or an error while
    importing it, is a one-line ValueError."""
    spec = str(spec)
    if spec.endswith(".py") or "/" in spec or "\\" in spec:
        return _load_file(Path(spec).expanduser())
    if not spec or not all(part.isidentifier() for part in spec.split(".")):
        raise ValueError(f"plugin {spec!r} is neither a .py file nor a module name (a.b.c)")
    try:
        return importlib.import_module(spec)
    except ModuleNotFoundError as exc:
        if exc.name and (spec == exc.name or spec.startswith(exc.name + ".")):
            raise ValueError(f"plugin module {spec!r} is not installed") from None
        raise _failed(spec, exc) from None
    except Exception as exc:  # the user's code: any error, told in one line
        raise _failed(spec, exc) from None


def _load_file(path: Path) -> ModuleType:
    if not path.is_file():
        raise ValueError(f"plugin file {str(path)!r} does not exist")
    if path.suffix != ".py":
        raise ValueError(f"plugin file {str(path)!r} must be a .py file")
    resolved = str(path.resolve())
    digest = hashlib.sha1(resolved.encode()).hexdigest()[:8]
    name = f"optviz_plugin_{path.stem if path.stem.isidentifier() else 'file'}_{digest}"
    if name in sys.modules:  # the same file twice: once is enough
        return sys.modules[name]
    module_spec = importlib.util.spec_from_file_location(name, resolved)
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module  # dataclasses and pickling look the module up
    try:
        module_spec.loader.exec_module(module)
    except Exception as exc:
        del sys.modules[name]
        raise _failed(str(path), exc) from None
    return module


def _failed(what: str, exc: BaseException) -> ValueError:
    text = " ".join(str(exc).split())
    return ValueError(f"plugin {what!r} failed to load: {type(exc).__name__}: {text}")


def load_entry_points(groups=GROUPS) -> list[str]:
    """Load every installed entry point of ``groups``; return their names.

    A module entry point registers by being imported; an Optimizer subclass or a
    Surface it names is registered here."""
    from importlib.metadata import entry_points

    loaded = []
    for group in groups:
        for ep in entry_points(group=group):
            try:
                obj = ep.load()
            except Exception as exc:
                raise _failed(f"{group}:{ep.name}", exc) from None
            _register(obj, group, ep.name)
            loaded.append(ep.name)
    return loaded


def _register(obj, group: str, name: str) -> None:
    from . import surfaces
    from .optimizers import OPTIMIZERS, Optimizer, register

    if isinstance(obj, ModuleType):
        return
    if isinstance(obj, type) and issubclass(obj, Optimizer):
        if OPTIMIZERS.get(obj.name) is not obj:
            register(obj)
        return
    if isinstance(obj, surfaces.Surface):
        if surfaces.SURFACES.get(obj.name) is not obj:
            surfaces.register(obj)
        return
    raise ValueError(
        f"entry point {group}:{name} names {type(obj).__name__}, not a module, an "
        "Optimizer subclass or a Surface"
    )
