"""The explorer: one self-contained HTML page where a student drags the start, moves
the sliders and watches every optimizer's equations at work.

>>> page = explore("rosenbrock")          # doctest: +SKIP
>>> page.save("explore.html")             # doctest: +SKIP
"""

from .page import MAX_STEPS, Explorer, explore
from .translate import TranslationError, surface_js

__all__ = ["explore", "Explorer", "surface_js", "TranslationError", "MAX_STEPS"]
