"""The explorer: one self-contained HTML page where a student drags the start, moves
the sliders and watches every optimizer's equations at work.

``optviz.explore(surface, ...)`` builds it (this package is callable: it is
:func:`explore`, and its modules stay importable as ``optviz.explore.page``).

>>> import optviz
>>> page = optviz.explore("booth", ["sgd", "adam"])
>>> page.save("explore.html")  # doctest: +SKIP
"""

import sys
import types

from .page import MAX_STEPS, Explorer, explore
from .translate import TranslationError, surface_js

__all__ = ["explore", "Explorer", "surface_js", "TranslationError", "MAX_STEPS"]


class _CallablePackage(types.ModuleType):
    """``optviz.explore(...)`` is :func:`explore`."""

    def __call__(self, *args, **kwargs) -> Explorer:
        return explore(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
