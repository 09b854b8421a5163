"""How a figure is shown: its language, resolution, size or aspect, and paper or talk
style: one :class:`FigureSettings` that every command's figure goes through.

Nothing here is imported by the figures themselves: a recipe draws a figure as it
always does, and :meth:`FigureSettings.finish` gives it its size, style and language
afterwards (constrained layout lays it out again when drawn). The defaults leave a
figure exactly as drawn (same bytes).

>>> FigureSettings().is_default
True
>>> FigureSettings(aspect=(16, 9)).figsize((15.0, 6.6))
(15.0, 8.4375)
>>> FigureSettings(size=(8.0, 4.5)).figsize((15.0, 6.6))
(8.0, 4.5)
>>> FigureSettings(aspect=(16, 9)).pixels((640, 480))
(640, 360)
>>> FigureSettings(size=(8.0, 4.5), dpi=120).pixels((640, 480))
(960, 540)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from .._shared import LANGS

__all__ = [
    "FigureSettings",
    "DEFAULT_DPI",
    "DPI_RANGE",
    "SIZE_RANGE_INCHES",
    "STYLES",
    "ASPECTS",
    "ANIMATION_DPI",
]

#: A still figure's resolution unless --dpi says otherwise.
DEFAULT_DPI = 150
#: Below 50 dpi no text is legible; above 600 a slide figure is over 100 megapixels.
DPI_RANGE = (50, 600)
#: Inches per side: smaller cannot hold a panel's text, larger is a poster.
SIZE_RANGE_INCHES = (2.0, 40.0)
#: paper: as drawn; talk: larger text, thicker lines, for a projector.
STYLES = ("paper", "talk")
#: An animation's pixels per inch unless --dpi says otherwise.
ANIMATION_DPI = 100
#: The aspects --aspect offers (width:height).
ASPECTS = ("16:9", "4:3")


@dataclass(frozen=True)
class FigureSettings:
    """How one figure is shown.

    Parameters
    ----------
    lang : {"en", "zh"}
        The language of every text.
    dpi : int, optional
        Resolution of a PNG (default :data:`DEFAULT_DPI`).
    size : (width, height) in inches, optional
        The figure's size; exclusive with ``aspect``.
    aspect : (width, height), optional
        Keep the figure's width and set its height to ``width * h / w`` (16:9, 4:3).
    style : {"paper", "talk"}
        ``"talk"``: text and lines scaled up for a projector
        (:func:`optviz.plot.style.talk`).
    """

    lang: str = "en"
    dpi: int | None = None
    size: tuple[float, float] | None = None
    aspect: tuple[float, float] | None = None
    style: str = "paper"

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}, got {self.lang!r}")
        if self.style not in STYLES:
            raise ValueError(
                f"style must be one of {', '.join(STYLES)}, got {self.style!r}"
            )
        lo, hi = DPI_RANGE
        if self.dpi is not None and not lo <= self.dpi <= hi:
            raise ValueError(f"dpi must be {lo} to {hi}, got {self.dpi!r}")
        if self.size is not None and self.aspect is not None:
            raise ValueError("give a size or an aspect, not both")
        if self.size is not None and not all(0 < v < float("inf") for v in self.size):
            raise ValueError(f"size must be two positive inches, got {self.size!r}")
        if self.aspect is not None and not all(v > 0 for v in self.aspect):
            raise ValueError(f"aspect must be two positive numbers, got {self.aspect!r}")

    @property
    def is_default(self) -> bool:
        """Whether the figure stays exactly as its recipe drew it (in English)."""
        return self == FigureSettings()

    @property
    def resolution(self) -> int:
        """Dots per inch of a PNG."""
        return DEFAULT_DPI if self.dpi is None else int(self.dpi)

    def figsize(self, drawn: tuple[float, float]) -> tuple[float, float]:
        """The size in inches of a figure drawn at ``drawn``."""
        if self.size is not None:
            return tuple(float(v) for v in self.size)
        if self.aspect is not None:
            w, h = self.aspect
            return (float(drawn[0]), float(drawn[0]) * h / w)
        return tuple(float(v) for v in drawn)

    def pixels(self, drawn: tuple[int, int], dpi: float = ANIMATION_DPI):
        """An animation's frame size in pixels, drawn at ``drawn`` pixels at ``dpi``:
        ``size`` at :attr:`dpi` (default ``dpi``), ``aspect`` or :attr:`dpi` scaling
        ``drawn``; None when nothing is set (the animation's default)."""
        scale = 1.0 if self.dpi is None else self.dpi / dpi
        if self.size is None and self.aspect is None and self.dpi is None:
            return None
        inches = self.figsize((drawn[0] / dpi, drawn[1] / dpi))
        return tuple(int(round(v * dpi * scale)) for v in inches)

    def finish(self, fig):
        """``fig`` at its size, in its style, then in its language (wrapped Chinese is
        measured at the final size and type). Returns ``fig``."""
        from .i18n import localize
        from .style import talk

        if self.size is not None or self.aspect is not None:
            fig.set_size_inches(self.figsize(tuple(fig.get_size_inches())))
        if self.style == "talk":
            talk(fig)
        return localize(fig, self.lang)

    def save(self, fig, path) -> Path:
        """:meth:`finish` ``fig`` and save it atomically (PNG, SVG or PDF by
        extension) at :attr:`resolution`."""
        from ._figure import save_figure

        return save_figure(self.finish(fig), path, dpi=self.resolution)

    def to_json(self) -> dict:
        """The settings as a sidecar states them."""
        out = asdict(self)
        out["dpi"] = self.resolution
        for key in ("size", "aspect"):
            if out[key] is not None:
                out[key] = [float(v) for v in out[key]]
        return out
