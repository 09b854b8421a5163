"""Build the explorer page: one self-contained HTML file (no network, no server).

The page carries the surface (its ``value`` and ``grad`` translated to JavaScript from
the Python definitions, see :mod:`optviz.explore.translate`), the optimizers'
hyper-parameters, the update rules (``engine.js``, held to Python's iterates by the
browser tests) and the contour map, drawn by matplotlib exactly as in the still
figures and embedded as a PNG.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np

from .._checks import check_int
from .._io import atomic_path, check_writable
from .._shared import LANGS
from ..budget import PAGE_MAX_STEPS, check_page
from ..optimizers import OPTIMIZERS
from ..spec import build_optimizers, parse_spec
from .rules_js import rules_module
from .translate import surface_js

__all__ = ["Explorer", "explore", "LANGS", "MAP_SIZE", "MAX_STEPS"]

#: The contour map's size in CSS pixels (the embedded PNG is drawn 1:1).
MAP_SIZE = (560, 480)
#: The page recomputes every path live; past this many steps dragging stops being smooth.
MAX_STEPS = PAGE_MAX_STEPS
#: The page's placeholders: ``/*NAME*/`` in its script and style, ``{{NAME}}`` in its
#: HTML, each replaced once, in one pass over the template (never inside what was
#: spliced in).
_PLACEHOLDER = re.compile(r"/\*(CSS|DATA|SURFACE|RULES|ENGINE|UI)\*/|\{\{(LANG|TITLE)\}\}")


def _asset(name: str) -> str:
    return resources.files("optviz.explore").joinpath(name).read_text(encoding="utf-8")


def _defaults(name: str) -> dict:
    """The optimizer's declared defaults (``OPTIMIZERS[name].defaults``), as JSON."""
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in OPTIMIZERS[name].defaults.items()
    }


def _page_optimizer(label: str, opt) -> dict:
    """What the page needs of one optimizer: its name (its rule is ``RULES[name]``),
    colour, title, hyper-parameters, controls and words, all from its class."""
    from ..plot.style import color, title

    cls = type(opt)
    if callable(getattr(opt, "lr", None)):
        raise ValueError(
            f"{label}: the explorer runs a constant learning rate; learning-rate "
            "schedules (schedule=, warmup=) are not supported on the page"
        )
    hp = opt.hyperparameters()
    for key, value in hp.items():
        flat = value if isinstance(value, list) else [value]
        if any(isinstance(v, list) for v in flat):
            raise ValueError(f"{label}: {key} must be a number on the page, got an array")
    return {
        "label": label,
        "name": cls.name,
        "title": title(label),
        "color": color(label),
        "hp": hp,
        "defaults": _defaults(cls.name),
        "controls": _controls(cls),
        "rule": [rule_text(line) for line in cls.rule],
        "meaning": dict(cls.meaning),
        "symbols": _symbols(cls),
    }


def _controls(cls) -> list[dict]:
    """The page's sliders and switches for ``cls``, from its hyper-parameters'
    presentation (:class:`~optviz.optimizers.Hyper`): a slider per ``slider``, one
    per member of a tuple (``parts``), a switch per ``label``."""
    out = []
    for key, spec in cls.hyper.items():
        if spec.slider and spec.parts:
            for i, (part, sym) in enumerate(zip(spec.parts, spec.symbol)):
                out.append({"key": part, "hp": key, "index": i, "sym": sym,
                            "kind": spec.slider})  # fmt: skip
        elif spec.slider:
            out.append({"key": key, "hp": key, "sym": spec.symbol, "kind": spec.slider})
        elif spec.label and spec.choices:
            off, on = spec.choices[:2]
            out.append({"key": key, "hp": key, "kind": "choice", "label": spec.label,
                        "off": off, "on": on})  # fmt: skip
        elif spec.label:
            out.append({"key": key, "hp": key, "kind": "flag", "label": spec.label})
    return out


def _symbols(cls) -> dict:
    """The notes' symbol of each numeric hyper-parameter (``{"lr": "α"}``)."""
    out = {}
    for key, spec in cls.hyper.items():
        if isinstance(spec.symbol, tuple):
            out.update({f"{key}[{i}]": sym for i, sym in enumerate(spec.symbol)})
        elif spec.symbol:
            out[key] = spec.symbol
    return out


def _background_png(surface, size: tuple[int, int]) -> str:
    """The contour map as the still figures draw it (contours, minima, landmarks),
    filling a ``size`` PNG exactly: pixel (0, 0) is the domain's top-left corner."""
    from matplotlib.figure import Figure

    from ..plot.contours import draw_landmarks, draw_surface
    from ..plot.style import style

    w, h = size
    with style():
        fig = Figure(figsize=(w / 100, h / 100), dpi=100)
        ax = fig.add_axes((0, 0, 1, 1))
        draw_surface(ax, surface)
        draw_landmarks(ax, surface)
        ax.set_axis_off()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=100, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


_SUPERSCRIPT = str.maketrans("0123456789-+()nit", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺⁽⁾ⁿⁱᵗ")
_SUBSCRIPT = str.maketrans("0123456789i", "₀₁₂₃₄₅₆₇₈₉ᵢ")
_WORDS = {
    r"\sum": "Σ",
    r"\pi": "π",
    r"\cos": "cos ",
    r"\sin": "sin ",
    r"\exp": "exp ",
    r"\kappa": "κ",
    r"\left": "",
    r"\right": "",
    r"\,": " ",
    r"\;": " ",
    r"\quad": "  ",
}


def readable(latex: str) -> str:
    r"""A surface's LaTeX as plain text for the page's heading (x², √(...), Σᵢ).

    >>> readable(r"\frac{1}{2}\,(x^2 + 10\,y^2)")
    '1/2 (x² + 10 y²)'
    """
    import re

    text = latex
    for _ in range(4):  # nested braces, innermost first
        text = re.sub(r"\\frac\{(\w+)\}\{(\w+)\}", r"\1/\2 ", text)
        text = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"(\1)/(\2)", text)
        text = re.sub(r"\\sqrt\{([^{}]*)\}", r"√(\1)", text)
        text = re.sub(
            r"\^\{([^{}]*)\}",
            lambda m: (
                m[1].translate(_SUPERSCRIPT)
                if set(m[1]) <= set("0123456789-+()nit")
                else f"^({m[1]})"
            ),
            text,
        )
        text = re.sub(r"_\{([^{}]*)\}", lambda m: m[1].translate(_SUBSCRIPT), text)
    text = re.sub(r"\^([0-9])", lambda m: m[1].translate(_SUPERSCRIPT), text)
    text = re.sub(r"_([0-9i])", lambda m: m[1].translate(_SUBSCRIPT), text)
    for word, plain in _WORDS.items():
        text = text.replace(word, plain)
    text = re.sub(r"(sin|cos) ([²³])", r"\1\2", text.replace("\\", ""))
    return re.sub(r"  +", " ", text).strip()


_RULE_WORDS = {
    r"\leftarrow": "← ",
    r"\dfrac": r"\frac",
    r"\alpha": "α",
    r"\beta": "β",
    r"\rho": "ρ",
    r"\delta": "δ",
    r"\lambda": "λ",
    r"\mu": "μ",
    r"\odot": "⊙",
    r"\cdot": "·",
}


def rule_text(latex: str) -> str:
    r"""An optimizer's rule (one LaTeX line of ``cls.rule``) as plain text for the
    page's step explanation.

    >>> rule_text(r"w \leftarrow w - \dfrac{\alpha}{\sqrt{r} + \delta}\, g")
    'w ← w - (α)/(√r + δ) g'
    >>> rule_text(r"\hat s = s/(1-\rho_1^t)")
    'ŝ = s/(1-ρ₁ᵗ)'
    """
    text = latex
    for word, plain in _RULE_WORDS.items():
        text = text.replace(word, plain)
    text = re.sub(r"\\hat\s*(?:\{(\w)\}|(\w))", lambda m: (m[1] or m[2]) + "\u0302", text)
    text = re.sub(r"\\sqrt\{(\w\u0302?)\}", r"√\1", text)
    text = re.sub(r"\^t\b", "ᵗ", text)
    return unicodedata.normalize("NFC", readable(text))


def _surface_data(surface) -> dict:
    from ..plot.curves import gap_floor
    from ..surfaces import SURFACES

    if surface.min_value is not None:
        loss_mode = "gap"
    elif surface.log_levels:
        loss_mode = "log"
    else:
        loss_mode = "linear"
    return {
        "name": surface.name,
        "title": surface.title,
        "latex": surface.latex,
        "formula": readable(surface.latex),
        "domain": [list(map(float, r)) for r in surface.domain],
        "minima": [[p.x, p.y, p.value] for p in surface.minima],
        "start": [float(v) for v in surface.start],
        "steps": int(surface.steps),
        "minValue": surface.min_value,
        "gapFloor": gap_floor(surface) if surface.min_value is not None else None,
        "lossMode": loss_mode,
        "registered": SURFACES.get(surface.name) is surface,
        "lr": dict(surface.lr),
    }


class Explorer:
    """The explorer page for one surface: ``html`` (a string), ``save(path)``, and
    shown inline in Jupyter (an ``<iframe srcdoc>``).

    Build it with :func:`explore`.
    """

    def __init__(self, html_text: str, surface_name: str):
        self.html = html_text
        self.surface = surface_name

    def save(self, path) -> Path:
        """Write the page to ``path`` (.html), atomically."""
        path = check_writable(path, (".html", ".htm"))
        with atomic_path(path) as tmp:
            tmp.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        doc = html.escape(self.html, quote=True)
        return (
            f'<iframe srcdoc="{doc}" style="width:100%;height:1180px;border:0" '
            f'title="optviz explorer: {html.escape(self.surface)}"></iframe>'
        )

    def __repr__(self) -> str:
        return f"Explorer({self.surface!r}, {len(self.html.encode()) / 1e3:.0f} kB)"


def explore(
    surface="rosenbrock",
    optimizers: Sequence[str] = (),
    *,
    start=None,
    steps: int | None = None,
    lang: str = "en",
) -> Explorer:
    """The interactive explorer page for ``surface``.

    Parameters
    ----------
    surface : str or Surface
        A registry name (``optviz list``) or a Surface.
    optimizers : sequence of SPEC strings
        As ``optviz compare -o``; the five defaults when empty.
    start : (x, y), optional
        The first start (the surface's default otherwise); the page changes it on a
        click or drag.
    steps : int, optional
        Steps per run (the surface's default otherwise), at most :data:`MAX_STEPS`.
    lang : {"en", "zh"}
        The page's language.

    Returns
    -------
    Explorer
        ``.save("explore.html")``; in Jupyter it displays itself.

    Examples
    --------
    >>> page = explore("himmelblau", ["sgd", "adam:lr=0.05"], steps=300)
    >>> page.html.startswith("<!DOCTYPE html>")
    True
    """
    from ..user_surfaces import resolve

    if isinstance(surface, str):
        surface = resolve(surface)
    if surface.noise is not None:
        raise ValueError(
            "the page runs the optimizers in the browser on exact gradients; --noise "
            "is for compare, animate, lr, sweep and map"
        )
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    steps = surface.steps if steps is None else check_int("steps", steps, low=1)
    if steps > MAX_STEPS:
        raise ValueError(f"steps must be in [1, {MAX_STEPS}] on the page, got {steps}")
    start = surface.start if start is None else start
    start = np.asarray(start, dtype=np.float64)
    if start.shape != (2,) or not np.all(np.isfinite(start)):
        raise ValueError(f"start must be two finite numbers (x, y), got {start.tolist()}")
    specs = list(optimizers)
    for spec in specs:
        parse_spec(spec)  # the one-line error for a typo, before any work
    built, absent = _runnable(build_optimizers(specs, surface, steps=steps))
    check_page(len(built), steps)  # what the browser reruns on every change
    data = {
        "surface": _surface_data(surface),
        "optimizers": [_page_optimizer(label, opt) for label, opt in built.items()],
        "start": start.tolist(),
        "steps": steps,
        "lang": lang,
        "absent": absent,
        "map": {
            "w": MAP_SIZE[0],
            "h": MAP_SIZE[1],
            "src": _background_png(surface, MAP_SIZE),
        },
    }
    text = _assemble(data, surface, [type(opt) for opt in built.values()], lang)
    return Explorer(text, surface.name)


def _runnable(built: dict) -> tuple[dict, list]:
    """The optimizers the page can run, and the labels of those it cannot (a rule that
    needs both coordinates at once: the page names them)."""
    absent = [label for label, opt in built.items() if type(opt).whole]
    kept = {label: opt for label, opt in built.items() if not type(opt).whole}
    if not kept:
        raise ValueError(
            f"{', '.join(absent)}: not on the page (each step needs both coordinates at "
            "once; the page runs one at a time); optviz compare and animate draw them"
        )
    return kept, absent


def _json_in_script(value) -> str:
    """JSON that a ``<script>`` holds as it is: every ``<`` escaped (``\\u003c``), so no
    ``</script>`` or ``<!--`` inside a string can end or change the script."""
    return json.dumps(value).replace("<", "\\u003c")


def _assemble(data: dict, surface, classes, lang: str) -> str:
    """The page: the template's placeholders replaced in one pass (what is spliced in
    is never searched again, so a surface named ``{{TITLE}}`` or titled ``/*UI*/`` is
    only text), the data escaped for a script, the title for HTML."""
    ui = _asset("ui.js")
    font = ""
    if lang == "zh":  # the glyphs of its Chinese, embedded: no system CJK font needed
        from ..plot.webfont import font_face

        font = font_face(ui + json.dumps(data, ensure_ascii=False) + surface.title)
    parts = {
        "CSS": font + _asset("page.css"),
        "DATA": _json_in_script(data),
        "SURFACE": _surface_module(surface),
        "RULES": rules_module(classes),
        "ENGINE": _asset("engine.js"),
        "UI": ui,
        "LANG": "zh-Hans" if lang == "zh" else "en",
        "TITLE": html.escape(f"optviz explorer: {surface.title}"),
    }
    return _PLACEHOLDER.sub(lambda m: parts[m[1] or m[2]], _asset("page.html"))


def _surface_module(surface) -> str:
    """The surface as a JavaScript object ``SURFACE = {value, grad, domain}``."""
    code = surface_js(surface)
    domain = json.dumps([list(map(float, r)) for r in surface.domain])
    return (
        f"const SURFACE = (function () {{\n{code}\n"
        f"return {{ value: value, grad: grad, domain: {domain} }};\n}})();"
    )
