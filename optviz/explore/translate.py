"""A surface's ``value`` and ``grad``, translated to JavaScript by tracing them.

The page computes its iterates in the browser, so it needs the surface in JavaScript.
Rather than writing every surface a second time by hand, this module *runs* the Python
definitions once on symbolic ``x`` and ``y``: each surface function is re-bound to a
small stand-in for ``numpy`` (and for the helpers of ``surfaces._math``) whose
operations record themselves instead of computing. The record is a straight-line
program with the Python's operations in the Python's order (``a * b * c`` stays
``(a * b) * c``; a sum over an axis adds in NumPy's order), which is printed as
JavaScript. Module constants, closures (``quadratic``'s kappa) and data
(``linear_regression``'s samples) are folded in as numbers.

Anything the stand-in does not know (a NumPy function, a branch on a traced value)
raises a ValueError naming the surface and the construct.

>>> js = surface_js(__import__("optviz.surfaces", fromlist=["get"]).get("booth"))
>>> "function value(x, y)" in js
True
"""

from __future__ import annotations

import math
import operator
import types

import numpy as np

__all__ = ["surface_js", "TranslationError", "SUPPORTED"]


class TranslationError(ValueError):
    """A surface uses a construct the JavaScript translation does not support."""


#: Elementwise NumPy functions the translation supports, by name -> JS helper.
UNARY = {
    "sin": "Math.sin",
    "cos": "Math.cos",
    "tan": "Math.tan",
    "exp": "Math.exp",
    "log": "Math.log",
    "sqrt": "Math.sqrt",
    "abs": "Math.abs",
    "absolute": "Math.abs",
    "sign": "Math.sign",
    "tanh": "Math.tanh",
    "arctan": "Math.atan",
    "square": None,  # x * x
}
BINARY = {"maximum": "npmax", "minimum": "npmin"}
REDUCE = ("sum", "mean")
CONSTANTS = ("pi", "e", "inf", "newaxis", "float64")
OTHER = ("array", "asarray", "stack", "broadcast_arrays", "arange", "where")
SUPPORTED = tuple(sorted([*UNARY, *BINARY, *REDUCE, *CONSTANTS, *OTHER]))


class Sym:
    """One traced scalar: an operation on earlier ones (or on ``x``, ``y``)."""

    __array_ufunc__ = None  # numpy defers to our reflected operators

    _count = 0

    def __init__(self, op: str, args: tuple = ()):
        self.op, self.args = op, args
        # Children by their serial number: equal keys are equal computations.
        self.key = (op, tuple(a.serial if isinstance(a, Sym) else ("c", a) for a in args))
        Sym._count += 1
        self.serial = Sym._count

    # arithmetic, in Python's order: the left operand first
    def __add__(self, o):
        return _bin("+", self, o)

    def __radd__(self, o):
        return _bin("+", o, self)

    def __sub__(self, o):
        return _bin("-", self, o)

    def __rsub__(self, o):
        return _bin("-", o, self)

    def __mul__(self, o):
        return _bin("*", self, o)

    def __rmul__(self, o):
        return _bin("*", o, self)

    def __truediv__(self, o):
        return _bin("/", self, o)

    def __rtruediv__(self, o):
        return _bin("/", o, self)

    def __pow__(self, o):
        return _pow(self, o)

    def __rpow__(self, o):
        return _pow(o, self)

    def __neg__(self):
        return Sym("neg", (self,))

    def __pos__(self):
        return self

    def __abs__(self):
        return Sym("Math.abs", (self,))

    def _refuse(self, *_):
        raise TranslationError(
            "a comparison or branch on the traced value (if/while/comparison on x or "
            "y); write it with np.where, np.maximum or np.abs instead"
        )

    __bool__ = __lt__ = __le__ = __gt__ = __ge__ = __eq__ = __ne__ = _refuse
    __hash__ = object.__hash__

    def __float__(self):
        raise TranslationError("a traced value was converted to a Python float")


def _num(v):
    if isinstance(v, Sym):
        return v
    if isinstance(v, (bool, np.bool_)):
        raise TranslationError("a boolean where a number belongs")
    if isinstance(v, (int, float, np.integer, np.floating)):
        return v
    raise TranslationError(f"cannot translate a value of type {type(v).__name__}")


_FOLD = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


def _bin(op, a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return _elementwise(lambda u, v: _bin(op, u, v), a, b)
    a, b = _num(a), _num(b)
    if not isinstance(a, Sym) and not isinstance(b, Sym):
        return _FOLD[op](np.float64(a), np.float64(b))
    return Sym(op, (a, b))


def _pow(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return _elementwise(_pow, a, b)
    a, b = _num(a), _num(b)
    if isinstance(b, Sym):
        return Sym("Math.pow", (a, b))
    if not isinstance(a, Sym):
        return np.float64(a) ** np.float64(b)
    if float(b) == 2.0:
        return Sym("*", (a, a))  # numpy squares (x * x)
    if float(b) == 0.5:
        return Sym("Math.sqrt", (a,))
    if float(b) == int(b) and 0 <= b <= 64:
        return Sym("ipow", (a, int(b)))
    return Sym("Math.pow", (a, b))


def _obj(a) -> np.ndarray:
    return np.asarray(a, dtype=object) if not isinstance(a, np.ndarray) else a


def _elementwise(fn, *args):
    arrays = np.broadcast_arrays(*[_obj(a).astype(object) for a in args])
    shape = arrays[0].shape
    out = np.empty(shape, dtype=object)
    for idx in np.ndindex(shape):
        out[idx] = fn(*[a[idx] for a in arrays])
    return out[()] if shape == () else out


def _unary(name):
    js = UNARY[name]

    def fn(a, *rest, **kw):
        if rest or kw:
            raise TranslationError(f"np.{name} with extra arguments")

        def one(v):
            v = _num(v)
            if not isinstance(v, Sym):
                return getattr(np, name)(np.float64(v))
            return Sym("*", (v, v)) if js is None else Sym(js, (v,))

        return _elementwise(one, a)

    return fn


def _binary(name):
    def fn(a, b):
        def one(u, v):
            u, v = _num(u), _num(v)
            if not isinstance(u, Sym) and not isinstance(v, Sym):
                return getattr(np, name)(np.float64(u), np.float64(v))
            return Sym(BINARY[name], (u, v))

        return _elementwise(one, a, b)

    return fn


def _pairwise(items: list):
    """The order in which NumPy adds a 1-D float64 array (``np.add.reduce``):
    sequentially below 8 items, else 8 running partial sums combined pairwise, then
    the remainder; blocks of 128 are split in halves."""
    n = len(items)
    if n < 8:
        total = items[0]
        for v in items[1:]:
            total = total + v
        return total
    if n <= 128:
        acc = list(items[:8])
        i = 8
        while i < n - n % 8:
            for j in range(8):
                acc[j] = acc[j] + items[i + j]
            i += 8
        left = (acc[0] + acc[1]) + (acc[2] + acc[3])
        total = left + ((acc[4] + acc[5]) + (acc[6] + acc[7]))
        for v in items[i:]:
            total = total + v
        return total
    half = n // 2
    half -= half % 8
    return _pairwise(items[:half]) + _pairwise(items[half:])


def _reduce(kind):
    def fn(a, axis=None, **kw):
        if kw:
            raise TranslationError(f"np.{kind} with {', '.join(kw)}")
        a = _obj(a)
        if axis is None:
            a = a.reshape(-1)
            axis = 0
        a = np.moveaxis(a, axis, -1)
        out = np.empty(a.shape[:-1], dtype=object)
        for idx in np.ndindex(out.shape):
            items = [_num(v) for v in a[idx]]
            total = _pairwise(items)
            out[idx] = total / len(items) if kind == "mean" else total
        return out[()] if out.shape == () else out

    return fn


def _stack(arrays, axis=0):
    return np.stack([_obj(a) for a in np.broadcast_arrays(*map(_obj, arrays))], axis=axis)


def _where(cond, a, b):
    raise TranslationError("np.where on a traced condition (not supported yet)")


class _TraceNumpy(types.SimpleNamespace):
    """The stand-in for ``numpy`` inside a traced surface function."""

    def __getattr__(self, name):
        raise TranslationError(
            f"np.{name} is not supported by the explorer's JavaScript translation "
            f"(supported: {', '.join(SUPPORTED)})"
        )


def _fake_numpy() -> _TraceNumpy:
    ns = {name: _unary(name) for name in UNARY}
    ns.update({name: _binary(name) for name in BINARY})
    ns.update({name: _reduce(name) for name in REDUCE})
    ns.update(
        pi=np.pi,
        e=np.e,
        inf=np.inf,
        newaxis=None,
        float64=np.float64,
        array=lambda a, dtype=None: _obj(a) if _has_sym(a) else np.array(a, dtype=dtype),
        asarray=lambda a, dtype=None: _obj(a) if _has_sym(a) else np.asarray(a, dtype),
        stack=_stack,
        broadcast_arrays=lambda *a: np.broadcast_arrays(*map(_obj, a)),
        arange=np.arange,
        where=_where,
    )
    return _TraceNumpy(**ns)


def _has_sym(a) -> bool:
    if isinstance(a, Sym):
        return True
    if isinstance(a, np.ndarray) and a.dtype == object:
        return any(isinstance(v, Sym) for v in a.flat)
    if isinstance(a, (list, tuple)):
        return any(_has_sym(v) for v in a)
    return False


# -- stand-ins for surfaces._math (the same operations, traced) ----------------------
def _split(xy):
    xy = _obj(xy)
    return xy[..., 0], xy[..., 1]


def _as_xy(xy):
    return _obj(xy)


def _stack_grad(df_dx, df_dy):
    return _stack([df_dx, df_dy], axis=-1)


def _divide_or_zero(num, den):
    def one(n, d):
        n, d = _num(n), _num(d)
        if not isinstance(n, Sym) and not isinstance(d, Sym):
            return np.float64(n) / d if d != 0 else np.float64(0.0)
        return Sym("divz", (n, d))

    return _elementwise(one, num, den)


def _d_sqrt_abs(u):
    fnp = _fake_numpy()
    return _divide_or_zero(fnp.sign(u), 2 * fnp.sqrt(fnp.abs(u)))


_MATH_STANDINS = {
    "split": _split,
    "as_xy": _as_xy,
    "stack": _stack_grad,
    "divide_or_zero": _divide_or_zero,
    "d_sqrt_abs": _d_sqrt_abs,
}


def _rebind(fn, cache: dict):
    """``fn`` with its module's ``np`` and ``_math`` helpers replaced by stand-ins;
    every function of the same module it reaches is re-bound the same way."""
    module = fn.__globals__.get("__name__")
    if module not in cache:
        g = dict(fn.__globals__)
        cache[module] = g
        g["np"] = g["numpy"] = _fake_numpy()
        for name, value in list(g.items()):
            if name in _MATH_STANDINS:
                g[name] = _MATH_STANDINS[name]
            elif isinstance(value, types.FunctionType) and value.__module__ == module:
                g[name] = types.FunctionType(
                    value.__code__, g, value.__name__, value.__defaults__, value.__closure__
                )
    g = cache[module]
    closure = fn.__closure__
    if closure:
        cells = []
        for cell in closure:
            try:
                v = cell.cell_contents
            except ValueError:  # empty cell
                cells.append(cell)
                continue
            if isinstance(v, types.FunctionType):
                v = _rebind(v, cache)
            cells.append(types.CellType(v))
        closure = tuple(cells)
    return types.FunctionType(fn.__code__, g, fn.__name__, fn.__defaults__, closure)


class _Emitter:
    """Print a traced expression DAG as JavaScript, one ``const`` per shared node."""

    def __init__(self):
        self.lines: list[str] = []
        self.names: dict = {("x", ()): "x", ("y", ()): "y"}

    def expr(self, v) -> str:
        if not isinstance(v, Sym):
            return _js_number(v)
        if v.key in self.names:
            return self.names[v.key]
        args = [self.expr(a) if not isinstance(a, int) else str(a) for a in v.args]
        if v.op in ("+", "-", "*", "/"):
            text = f"({args[0]} {v.op} {args[1]})"
        elif v.op == "neg":
            text = f"(-{args[0]})"
        else:
            text = f"{v.op}({', '.join(args)})"
        name = f"t{len(self.lines)}"
        self.lines.append(f"  const {name} = {text};")
        self.names[v.key] = name
        return name


def _js_number(v) -> str:
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return repr(v)


def _trace(surface, which: str):
    fn = getattr(surface, which)
    X, Y = Sym("x"), Sym("y")
    xy = np.empty(2, dtype=object)
    xy[0], xy[1] = X, Y
    try:
        with np.errstate(all="ignore"):
            out = _rebind(fn, {})(xy)
    except TranslationError as exc:
        raise TranslationError(f"surface {surface.name!r}, {which}(): {exc}") from None
    except Exception as exc:  # anything the stand-ins cannot follow
        raise TranslationError(
            f"surface {surface.name!r}, {which}() cannot be translated to JavaScript: "
            f"{type(exc).__name__}: {exc}"
        ) from None
    out = _obj(out)
    want = () if which == "value" else (2,)
    if out.shape != want:
        raise TranslationError(
            f"surface {surface.name!r}, {which}() returned shape {out.shape} for one "
            f"point, expected {want}"
        )
    return out


def surface_js(surface) -> str:
    """JavaScript source defining ``value(x, y)`` and ``grad(x, y, out)`` for
    ``surface``, traced from its Python ``value`` and ``grad`` (a formula surface's
    printed from its symbolic expressions by sympy's JavaScript printer)."""
    from ..surfaces.formula import Compiled

    compiled = getattr(surface.value, "__self__", None)
    if isinstance(compiled, Compiled):
        return compiled.js()
    parts = []
    value = _trace(surface, "value")
    em = _Emitter()
    result = em.expr(value[()])
    parts.append("function value(x, y) {\n" + "\n".join(em.lines))
    parts.append(f"  return {result};\n}}")
    grad = _trace(surface, "grad")
    em = _Emitter()
    gx, gy = em.expr(grad[0]), em.expr(grad[1])
    parts.append("function grad(x, y, out) {\n" + "\n".join(em.lines))
    parts.append(f"  out[0] = {gx};\n  out[1] = {gy};\n  return out;\n}}")
    return "\n".join(parts)
