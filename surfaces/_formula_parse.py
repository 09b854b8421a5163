"""A formula ``f(x, y)`` from a user's text, read through a whitelist and never run.

The text is parsed by Python's :mod:`ast` (which only parses), every node is checked
against the whitelist below, and the symbolic expression is built from the checked tree
node by node: no ``eval``, ``sympify`` or ``parse_expr`` ever sees the text. Anything
outside the list is a :class:`FormulaError` saying where and why, in one line.

>>> str(parse("(1 - x)**2 + 100*(y - x**2)**2"))
'(1 - x)**2 + 100*(-x**2 + y)**2'
>>> try:
...     parse("x + z")
... except FormulaError as exc:
...     print(exc)
unknown name 'z' at column 5; allowed: x, y, pi, e, sin(), ...
"""

from __future__ import annotations

import ast
import math

__all__ = [
    "FormulaError",
    "parse",
    "looks_like_formula",
    "FUNCTIONS",
    "CONSTANTS",
    "VARIABLES",
    "MAX_CHARS",
    "MAX_DEPTH",
]

#: A formula longer than this is refused before it is parsed.
MAX_CHARS = 500
#: Nodes nested deeper than this (powers of powers, brackets in brackets) are refused.
MAX_DEPTH = 40
#: A constant whose size passes 10**MAX_LOG10 (a float overflows at 10**308) is refused.
MAX_LOG10 = 300

VARIABLES = ("x", "y")
CONSTANTS = ("pi", "e")
#: Function name -> (sympy's name, number of arguments; None: two or more).
FUNCTIONS = {
    "sin": ("sin", 1),
    "cos": ("cos", 1),
    "tan": ("tan", 1),
    "exp": ("exp", 1),
    "log": ("log", 1),
    "sqrt": ("sqrt", 1),
    "abs": ("Abs", 1),
    "tanh": ("tanh", 1),
    "sinh": ("sinh", 1),
    "cosh": ("cosh", 1),
    "arctan": ("atan", 1),
    "min": ("Min", None),
    "max": ("Max", None),
}
ALLOWED = ", ".join((*VARIABLES, *CONSTANTS, *(f"{name}()" for name in FUNCTIONS)))
_OPERATORS = "+ - * / ** ( )"


class FormulaError(ValueError):
    """A formula outside the whitelist: where (column, from 1) and why, in one line."""


def looks_like_formula(text: str) -> bool:
    """Whether ``text`` is meant as a formula rather than a surface's name: it holds
    an operator, a bracket, a space or a digit (a name such as ``rosenbrock`` holds
    none), or it is a bare ``x`` or ``y``."""
    return text.strip() in VARIABLES or any(c in text for c in "+-*/()^ .0123456789,")


def parse(text: str):
    """The sympy expression of ``text``, a formula in ``x`` and ``y``.

    Allowed: numbers, ``x``, ``y``, ``pi``, ``e``, ``+ - * / **``, unary minus,
    brackets, and the functions in :data:`FUNCTIONS`. Raises :class:`FormulaError`.
    """
    if not isinstance(text, str):
        raise FormulaError(f"a formula is text, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        raise FormulaError(f"formula is {len(text):,} characters long; at most {MAX_CHARS}")
    bad = next((i for i, c in enumerate(text) if not c.isprintable() or ord(c) > 126), None)
    if bad is not None:
        raise FormulaError(
            f"character {text[bad]!r} at column {bad + 1} is not allowed; "
            f"use {_OPERATORS}, numbers and names ({ALLOWED})"
        )
    if not text.strip():
        raise FormulaError("the formula is empty; e.g. x**2 + 10*y**2")
    shift = len(text) - len(text.lstrip())  # leading spaces: no indent in a formula
    try:
        tree = ast.parse(text.lstrip(), mode="eval")
    except SyntaxError as exc:
        column = shift + (exc.offset or len(text.strip()) + 1)  # 0: it ended too soon
        raise FormulaError(f"not a formula at column {column}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError(f"formula is nested deeper than {MAX_DEPTH} levels") from None
    for node in ast.walk(tree):  # columns of the text as given
        if hasattr(node, "col_offset"):
            node.col_offset += shift
    return _Builder().build(tree.body, 1)


def _column(node) -> int:
    return getattr(node, "col_offset", 0) + 1


class _Builder:
    """Builds the sympy expression of a checked tree, one node type at a time."""

    def __init__(self):
        import sympy

        self.sp = sympy
        self.names = {
            "x": sympy.Symbol("x", real=True),
            "y": sympy.Symbol("y", real=True),
            "pi": sympy.pi,
            "e": sympy.E,
        }

    def build(self, node, depth: int):
        if depth > MAX_DEPTH:
            raise FormulaError(
                f"formula is nested deeper than {MAX_DEPTH} levels at column "
                f"{_column(node)}"
            )
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise FormulaError(
                f"{_describe(node)} at column {_column(node)} is not allowed; "
                f"use {_OPERATORS}, numbers and names ({ALLOWED})"
            )
        return self._bounded(method(node, depth + 1), node)

    def _bounded(self, value, node):
        if value.is_number and value.is_finite is not False and value != 0:
            size = abs(self.sp.N(value, 3))
            if size.is_finite and (size > 10**MAX_LOG10 or size < 10**-MAX_LOG10):
                raise FormulaError(f"the number at column {_column(node)} is too large")
        return value

    def _Constant(self, node, depth):
        v = node.value
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise FormulaError(
                f"{type(v).__name__} {v!r} at column {_column(node)} is not a number"
            )
        if isinstance(v, float) and not math.isfinite(v):
            raise FormulaError(f"the number at column {_column(node)} is too large")
        if isinstance(v, int) and v.bit_length() > MAX_LOG10 * 10 // 3:
            raise FormulaError(f"the number at column {_column(node)} is too large")
        # A decimal exactly as its shortest repr reads (0.1 -> 1/10), so that a
        # coefficient written as a decimal is the number the user meant.
        return self.sp.Rational(repr(v)) if isinstance(v, float) else self.sp.Integer(v)

    def _Name(self, node, depth):
        if node.id in self.names:
            return self.names[node.id]
        if node.id in FUNCTIONS:
            raise FormulaError(
                f"{node.id} at column {_column(node)} is a function: write {node.id}(...)"
            )
        raise FormulaError(
            f"unknown name {node.id!r} at column {_column(node)}; allowed: {ALLOWED}"
        )

    def _UnaryOp(self, node, depth):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            return self._refuse_op(node.op, node)
        operand = self.build(node.operand, depth)
        return -operand if isinstance(node.op, ast.USub) else operand

    def _BinOp(self, node, depth):
        kinds = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div"}
        kind = kinds.get(type(node.op), "pow" if isinstance(node.op, ast.Pow) else None)
        if kind is None:
            return self._refuse_op(node.op, node)
        left = self.build(node.left, depth)
        right = self.build(node.right, depth)
        if kind == "pow":
            return self._power(left, right, node)
        if kind == "div" and right == 0:
            raise FormulaError(f"division by zero at column {_column(node)}")
        return {
            "add": lambda: left + right,
            "sub": lambda: left - right,
            "mul": lambda: left * right,
            "div": lambda: left / right,
        }[kind]()

    def _power(self, base, exponent, node):
        """``base ** exponent``, refusing a constant too large to compute (9**9**9)."""
        if exponent.is_number:
            if abs(float(self.sp.N(exponent, 3))) > 10**4:
                raise FormulaError(
                    f"the exponent of the power at column {_column(node)} is too large"
                )
            if base.is_number and base != 0:
                size = float(exponent) * math.log10(abs(float(self.sp.N(base, 3))) or 1)
                if abs(size) > MAX_LOG10:
                    raise FormulaError(
                        f"the power at column {_column(node)} is too large a number"
                    )
        if base == 0 and exponent.is_number and exponent.is_negative:
            raise FormulaError(f"division by zero at column {_column(node)}")
        return base**exponent

    def _Call(self, node, depth):
        func = node.func
        if not isinstance(func, ast.Name):
            raise FormulaError(
                f"{_describe(func)} at column {_column(func)} is not a function name; "
                f"allowed: {', '.join(FUNCTIONS)}"
            )
        if func.id not in FUNCTIONS:
            raise FormulaError(
                f"unknown function {func.id!r} at column {_column(func)}; "
                f"allowed: {', '.join(FUNCTIONS)}"
            )
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise FormulaError(
                f"{func.id}() at column {_column(func)} takes plain arguments only"
            )
        name, count = FUNCTIONS[func.id]
        n = len(node.args)
        if (count is None and n < 2) or (count is not None and n != count):
            wanted = "two or more arguments" if count is None else "one argument"
            raise FormulaError(
                f"{func.id}() at column {_column(func)} takes {wanted}, got {n}"
            )
        args = [self.build(a, depth) for a in node.args]
        return getattr(self.sp, name)(*args)

    def _refuse_op(self, op, node):
        symbols = {ast.BitXor: "^ (write ** for a power)", ast.MatMult: "@"}
        shown = symbols.get(type(op), type(op).__name__)
        raise FormulaError(
            f"operator {shown} at column {_column(node)} is not allowed; use {_OPERATORS}"
        )


def _describe(node) -> str:
    """What a refused node is, in words."""
    names = {
        "Attribute": "attribute access",
        "Lambda": "a lambda",
        "ListComp": "a comprehension",
        "SetComp": "a comprehension",
        "DictComp": "a comprehension",
        "GeneratorExp": "a comprehension",
        "Subscript": "indexing",
        "Compare": "a comparison",
        "BoolOp": "and/or",
        "IfExp": "if/else",
        "Call": "a call",
        "Tuple": "a tuple (a comma)",
        "List": "a list",
        "Dict": "a dict",
        "Set": "a set",
        "Starred": "*",
        "JoinedStr": "a string",
        "NamedExpr": ":=",
        "Await": "await",
        "Yield": "yield",
        "YieldFrom": "yield",
        "Slice": "a slice",
    }
    return names.get(type(node).__name__, type(node).__name__)
