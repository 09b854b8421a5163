"""An optimizer's update rule, translated to JavaScript from its Python source.

The page runs every optimizer in the browser, so it needs each rule in JavaScript.
Rather than writing the rules a second time (and keeping two truths), this module reads
the class's ``_update`` (and every method and module function it calls, its
``_init_state``, ``_holds`` and ``_effective_lr``) with :mod:`ast` and prints the same
statements as JavaScript, operation for operation in Python's order, so that the
browser's iterates equal Python's to rounding.

The page's parameters are two numbers, so the translation works one coordinate at a
time: every array in ``_update`` is a number, ``w`` is a box ``{v: number}`` (the
update changes it in place, and so may a helper it is passed to), the state is an
object of numbers (``st.r``; an array the state does not hold is ``null``), and
``self`` is the page's hyper-parameters (``self.lr``, ``self.betas[0]``). The
supported Python is what the rules are written in: assignments (``st.r[...] = ...``,
``w -= ...``, tuple unpacking), ``if``/``else``, ``return``, arithmetic, comparisons,
conditional expressions, calls of the class's methods, of module functions and of
the element-wise NumPy functions in :data:`NUMPY`. Anything else (a loop, a reduction
over the array, an unknown NumPy function) raises :class:`TranslationError` naming
the optimizer, the method and the construct.

>>> from optviz.optimizers import SGD
>>> "w.v = (w.v - (alpha * g));" in rule_js(SGD)
True
"""

from __future__ import annotations

import ast
import inspect
import json
import math
import textwrap
from dataclasses import fields

from .translate import TranslationError

__all__ = ["rule_js", "rules_module", "NUMPY"]

#: Element-wise NumPy functions the translation knows, by name -> JavaScript.
NUMPY = {
    "sqrt": "Math.sqrt",
    "abs": "Math.abs",
    "absolute": "Math.abs",
    "sign": "Math.sign",
    "exp": "Math.exp",
    "log": "Math.log",
    "tanh": "Math.tanh",
    "sin": "Math.sin",
    "cos": "Math.cos",
    "maximum": "npmax",
    "minimum": "npmin",
    "square": "square",
    "where": "npwhere",
    "any": "",  # of one number: the number
    "all": "",
    "float64": "",
    "asarray": "",
}
#: How many arguments each of :data:`NUMPY` takes (one unless named here).
_ARITY = {"maximum": 2, "minimum": 2, "where": 3}
#: Python built-ins the translation knows.
BUILTINS = {"bool": "Boolean", "float": "Number", "abs": "Math.abs"}
#: The base class's helpers, as the page's engine defines them (a constant lr).
BASE_METHODS = {  # baseInit and baseAdvance: per rule
    "_lr": "baseLr",
    "_init_state": "baseInit",
    "_advance": "baseAdvance",
    "_like": "baseLike",  # the page computes in doubles: the value itself
}
#: Module functions of the optimizers' machinery, by qualified name -> JavaScript.
KNOWN_FUNCTIONS = {"optviz.optimizers._base.any_nonzero": "anyNonzero"}
#: The methods the page calls, in the engine's calling convention.
ENTRY = {
    "_update": (1,),  # (self, w, g, st, alpha): w is a box
    "_init_state": (1,),  # (self, w)
    "_holds": (),  # (self, field)
    "_effective_lr": (),  # (self, st)
    "_advance": (),  # (self, st, alpha): after the update, once per step
}
_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_CMP = {
    ast.Eq: "===",
    ast.NotEq: "!==",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "===",
    ast.IsNot: "!==",
}


def _js_literal(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, str):  # no "</script>" can end the page's script
        return json.dumps(value).replace("<", "\\u003c")
    raise TranslationError(f"a constant of type {type(value).__name__}")


class _Function:
    """One Python function being printed as JavaScript."""

    def __init__(self, translator, fn, owner, refs: tuple):
        self.t, self.fn, self.owner = translator, fn, owner
        src = textwrap.dedent(inspect.getsource(fn))
        tree = ast.parse(src).body[0]
        if not isinstance(tree, ast.FunctionDef):
            raise TranslationError(f"{fn.__qualname__} is not a plain function")
        self.tree = tree
        self.params = [a.arg for a in tree.args.args]
        if tree.args.vararg or tree.args.kwarg or tree.args.kwonlyargs:
            raise TranslationError("*args, **kwargs or keyword-only parameters")
        self.is_method = owner is not None
        self.refs = {self.params[i] for i in refs}
        self.locals: list[str] = []

    def where(self) -> str:
        return self.fn.__qualname__

    # -- statements -----------------------------------------------------------------
    def body(self, stmts, indent: str) -> list[str]:
        out = []
        for i, s in enumerate(stmts):
            if i == 0 and _is_docstring(s):
                continue
            out += self.stmt(s, indent)
        return out

    def stmt(self, s, ind: str) -> list[str]:
        if isinstance(s, ast.Expr):
            if _is_docstring(s):
                return []
            call = s.value
            if isinstance(call, ast.Call) and _is_np(call.func, ("maximum", "minimum")):
                return self.np_out(call, ind)
            return [f"{ind}{self.expr(s.value)};"]
        if isinstance(s, ast.Assign):
            if len(s.targets) != 1:
                raise TranslationError("a chained assignment (a = b = ...)")
            return self.assign(s.targets[0], self.expr(s.value), ind)
        if isinstance(s, ast.AugAssign):
            op = _OPS.get(type(s.op))
            if op is None:
                raise TranslationError(f"the operator {type(s.op).__name__}=")
            target = self.lvalue(s.target)
            return [f"{ind}{target} = ({target} {op} {self.expr(s.value)});"]
        if isinstance(s, ast.If):
            lines = [f"{ind}if ({self.expr(s.test)}) {{"]
            lines += self.body(s.body, ind + "  ")
            if s.orelse:
                lines.append(f"{ind}}} else {{")
                lines += self.body(s.orelse, ind + "  ")
            return [*lines, f"{ind}}}"]
        if isinstance(s, ast.Return):
            return [f"{ind}return{' ' + self.expr(s.value) if s.value else ''};"]
        if isinstance(s, ast.Pass):
            return []
        raise TranslationError(f"the statement {type(s).__name__} (write the rule "
                               "without loops, one equation per line)")  # fmt: skip

    def assign(self, target, value: str, ind: str) -> list[str]:
        if isinstance(target, (ast.Tuple, ast.List)):
            names = [self.lvalue(e) for e in target.elts]
            tmp = f"$t{len(self.locals)}"
            self.locals.append(tmp)
            lines = [f"{ind}{tmp} = {value};"]
            lines += [f"{ind}{n} = {tmp}[{i}];" for i, n in enumerate(names)]
            return lines + [line for e in target.elts for line in self.trace(e, ind)]
        return [f"{ind}{self.lvalue(target)} = {value};", *self.trace(target, ind)]

    def trace(self, target, ind: str) -> list[str]:
        """A local's value, recorded when the page explains a step."""
        if isinstance(target, ast.Name) and target.id not in self.params:
            return [f"{ind}if (TRACE) TRACE[{json.dumps(target.id)}] = {target.id};"]
        return []

    def lvalue(self, node) -> str:
        if isinstance(node, ast.Name):
            if node.id in self.refs:
                return f"{node.id}.v"
            if node.id == "self":
                raise TranslationError("an assignment to self")
            if node.id not in self.params and node.id not in self.locals:
                self.locals.append(node.id)
            return node.id
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == "self":
                raise TranslationError(f"an assignment to self.{node.attr}")
            return f"{self.expr(node.value)}.{node.attr}"
        if isinstance(node, ast.Subscript) and _is_ellipsis(node.slice):
            return self.lvalue(node.value)
        raise TranslationError(f"an assignment to {ast.unparse(node)}")

    def np_out(self, call, ind: str) -> list[str]:
        """``np.maximum(a, b, out=c)``: ``c = npmax(a, b)``."""
        outs = [k.value for k in call.keywords if k.arg == "out"]
        if len(call.keywords) != len(outs) or len(outs) != 1 or len(call.args) != 2:
            raise TranslationError(f"{ast.unparse(call)} (only out= is supported)")
        fn = NUMPY[call.func.attr]
        a, b = (self.expr(x) for x in call.args)
        return [f"{ind}{self.lvalue(outs[0])} = {fn}({a}, {b});"]

    # -- expressions ----------------------------------------------------------------
    def expr(self, e) -> str:
        method = getattr(self, f"e_{type(e).__name__}", None)
        if method is None:
            raise TranslationError(f"the expression {ast.unparse(e)!r}")
        return method(e)

    def e_Constant(self, e):
        if e.value is Ellipsis:
            raise TranslationError("... outside st.x[...]")
        return _js_literal(e.value)

    def e_Name(self, e):
        if e.id in self.refs:
            return f"{e.id}.v"
        if e.id in self.params or e.id in self.locals:
            return e.id
        value = self.fn.__globals__.get(e.id, self)
        if isinstance(value, (bool, int, float, str)) or value is None:
            return _js_literal(value)
        raise TranslationError(f"the name {e.id!r} (not a parameter, local or constant)")

    def e_Attribute(self, e):
        if isinstance(e.value, ast.Name) and e.value.id == "self":
            cls = self.t.cls
            if e.attr in cls.hyper:
                return f"self.{e.attr}"
            value = getattr(cls, e.attr, None)
            if isinstance(value, (bool, int, float, str)):
                return _js_literal(value)
            raise TranslationError(f"self.{e.attr} (neither a hyper-parameter nor a fact)")
        if isinstance(e.value, ast.Name) and e.value.id in ("np", "numpy", "math"):
            value = getattr(math, e.attr, None)
            if isinstance(value, float):
                return _js_literal(value)
            raise TranslationError(f"np.{e.attr}")
        return f"{self.expr(e.value)}.{e.attr}"

    def e_Subscript(self, e):
        if _is_ellipsis(e.slice):
            return self.expr(e.value)
        if isinstance(e.slice, ast.Constant) and isinstance(e.slice.value, int):
            if not _is_array(e.value, self.params):  # a tuple's member: betas[0]
                return f"{self.expr(e.value)}[{e.slice.value}]"
        raise TranslationError(f"the subscript {ast.unparse(e)!r} (the page's rules are "
                               "element-wise: only x[...] and a tuple's x[0])")  # fmt: skip

    def e_BinOp(self, e):
        a, b = self.expr(e.left), self.expr(e.right)
        if isinstance(e.op, ast.Pow):
            k = e.right.value if isinstance(e.right, ast.Constant) else None
            if k == 2:
                return f"({a} * {a})" if isinstance(e.left, ast.Name) else f"square({a})"
            if k == 0.5:
                return f"Math.sqrt({a})"
            return f"pypow({a}, {b})"
        op = _OPS.get(type(e.op))
        if op is None:
            raise TranslationError(f"the operator {type(e.op).__name__}")
        return f"({a} {op} {b})"

    def e_UnaryOp(self, e):
        v = self.expr(e.operand)
        if isinstance(e.op, ast.USub):
            return f"(-{v})"
        if isinstance(e.op, ast.UAdd):
            return v
        if isinstance(e.op, ast.Not):
            return f"(!{v})"
        raise TranslationError(f"the operator {type(e.op).__name__}")

    def e_BoolOp(self, e):
        op = " && " if isinstance(e.op, ast.And) else " || "
        return "(" + op.join(self.expr(v) for v in e.values) + ")"

    def e_Compare(self, e):
        parts, left = [], self.expr(e.left)
        for op, right in zip(e.ops, e.comparators):
            js = _CMP.get(type(op))
            if js is None:
                raise TranslationError(f"the comparison {type(op).__name__}")
            r = self.expr(right)
            parts.append(f"({left} {js} {r})")
            left = r
        return parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"

    def e_IfExp(self, e):
        return f"({self.expr(e.test)} ? {self.expr(e.body)} : {self.expr(e.orelse)})"

    def e_Tuple(self, e):
        return "[" + ", ".join(self.expr(v) for v in e.elts) + "]"

    e_List = e_Tuple

    def e_Call(self, e):
        f = e.func
        if _is_np(f, NUMPY):
            if e.keywords or len(e.args) != _ARITY.get(f.attr, 1):
                raise TranslationError(f"{ast.unparse(e)} (element-wise, no keywords)")
            args = ", ".join(self.expr(a) for a in e.args)
            return f"{NUMPY[f.attr]}({args})" if NUMPY[f.attr] else f"({args})"
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
            if f.value.id in ("np", "numpy"):
                raise TranslationError(
                    f"np.{f.attr} is not supported by the explorer's translation "
                    f"(element-wise: {', '.join(sorted(NUMPY))})"
                )
            if f.value.id == "self":
                return self.call_method(self.t.cls, f.attr, e)
        if isinstance(f, ast.Attribute) and _is_super(f.value):
            return self.call_method(self.owner, f.attr, e, skip_owner=True)
        if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Dict):
            if f.attr == "get":
                return self.dict_get(f.value, e)
        if isinstance(f, ast.Name):
            if f.id in BUILTINS and f.id not in self.fn.__globals__:
                return f"{BUILTINS[f.id]}({', '.join(self.expr(a) for a in e.args)})"
            target = self.fn.__globals__.get(f.id)
            if inspect.isfunction(target):
                return self.call_function(target, e)
        raise TranslationError(f"the call {ast.unparse(e)!r}")

    def dict_get(self, d, e):
        if len(e.args) != 2 or e.keywords:
            raise TranslationError(f"{ast.unparse(e)} (write .get(key, default))")
        key, out = self.expr(e.args[0]), self.expr(e.args[1])
        for k, v in reversed(list(zip(d.keys, d.values))):
            out = f"(({key} === {self.expr(k)}) ? {self.expr(v)} : {out})"
        return out

    def _args(self, fn, e, skip_self: bool):
        names = list(inspect.signature(fn).parameters)[1 if skip_self else 0 :]
        if len(e.args) > len(names):
            raise TranslationError(f"{ast.unparse(e)}: too many arguments")
        nodes = dict(zip(names, e.args))
        for k in e.keywords:
            if k.arg not in names or k.arg in nodes:
                raise TranslationError(f"{ast.unparse(e)}: the keyword {k.arg}")
            nodes[k.arg] = k.value
        defaults = {
            k: p.default
            for k, p in inspect.signature(fn).parameters.items()
            if p.default is not inspect.Parameter.empty
        }
        out, refs = [], []
        for i, name in enumerate(names):
            node = nodes.get(name)
            if node is None:
                if name not in defaults:
                    raise TranslationError(f"{ast.unparse(e)}: {name} is missing")
                out.append(_js_literal(defaults[name]))
                continue
            if isinstance(node, ast.Name) and node.id in self.refs:
                out.append(node.id)  # the box itself: the callee may change it
                refs.append(i + (1 if skip_self else 0))
            else:
                out.append(self.expr(node))
        return out, tuple(refs)

    def call_method(self, cls, name, e, skip_owner=False):
        mro = cls.__mro__[1:] if skip_owner else cls.__mro__
        owner = next((k for k in mro if name in vars(k)), None)
        if owner is None:
            raise TranslationError(f"the method {name!r}")
        if owner.__module__ == "optviz.optimizers._base" and name in BASE_METHODS:
            args = ", ".join(["self", *(self.expr(a) for a in e.args)])
            return f"{BASE_METHODS[name]}({args})"
        fn = vars(owner)[name]
        if not inspect.isfunction(fn):
            raise TranslationError(f"self.{name} is not a plain method")
        args, refs = self._args(fn, e, skip_self=True)
        js = self.t.function(fn, owner, refs)
        return f"{js}({', '.join(['self', *args])})"

    def call_function(self, fn, e):
        qual = f"{fn.__module__}.{fn.__name__}"
        if qual in KNOWN_FUNCTIONS:
            return f"{KNOWN_FUNCTIONS[qual]}({', '.join(self.expr(a) for a in e.args)})"
        args, refs = self._args(fn, e, skip_self=False)
        return f"{self.t.function(fn, None, refs)}({', '.join(args)})"

    def render(self, js_name: str) -> str:
        lines = self.body(self.tree.body, "  ")
        head = f"function {js_name}({', '.join(self.params)}) {{"
        decl = [f"  let {', '.join(self.locals)};"] if self.locals else []
        return "\n".join([head, *decl, *lines, "}"])


def _is_docstring(s) -> bool:
    return (
        isinstance(s, ast.Expr)
        and isinstance(s.value, ast.Constant)
        and isinstance(s.value.value, str)
    )


def _is_array(node, params) -> bool:
    """An array of the update (a parameter such as w or g, a state array st.r): the
    page holds one coordinate of it, so it cannot be indexed."""
    if isinstance(node, ast.Name):
        return node.id in params[1:] if params and params[0] == "self" else True
    if isinstance(node, ast.Attribute):
        return not (isinstance(node.value, ast.Name) and node.value.id == "self")
    return False


def _is_ellipsis(node) -> bool:
    return isinstance(node, ast.Constant) and node.value is Ellipsis


def _is_np(f, names) -> bool:
    return (
        isinstance(f, ast.Attribute)
        and isinstance(f.value, ast.Name)
        and f.value.id in ("np", "numpy")
        and f.attr in names
    )


def _is_super(node) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "super"
        and not node.args
    )


class _Translator:
    """Every function one optimizer class reaches, printed once per way it is called
    (which parameters are boxes)."""

    def __init__(self, cls):
        self.cls = cls
        self.names: dict = {}
        self.parts: list[str] = []

    def function(self, fn, owner, refs: tuple) -> str:
        key = (fn, refs)
        if key not in self.names:
            base = fn.__name__.lstrip("_") or "f"
            js = f"{base}_{len(self.names)}"
            self.names[key] = js
            try:
                self.parts.append(_Function(self, fn, owner, refs).render(js))
            except TranslationError as exc:
                if str(exc).startswith("optimizer "):
                    raise
                raise TranslationError(
                    f"optimizer {self.cls.name!r}, {fn.__qualname__}(): {exc}"
                ) from None
            except (OSError, TypeError) as exc:  # no source to read
                raise TranslationError(
                    f"optimizer {self.cls.name!r}: the source of {fn.__qualname__} "
                    f"cannot be read ({exc})"
                ) from None
        return self.names[key]

    def entry(self, name: str) -> str:
        owner = next(k for k in self.cls.__mro__ if name in vars(k))
        if owner.__module__ == "optviz.optimizers._base" and name in BASE_METHODS:
            return BASE_METHODS[name]
        return self.function(vars(owner)[name], owner, ENTRY[name])


def state_fields(cls) -> list[str]:
    """The arrays an optimizer's state may hold (the notes' symbols), in order."""
    return [f.name for f in fields(cls.State) if f.name not in ("shape", "t")]


def rule_js(cls) -> str:
    """A JavaScript expression: the rule of optimizer class ``cls`` as the page's
    engine calls it, ``{fields, update, init, holds, lr}``, translated from
    ``_update``, ``_init_state``, ``_holds`` and ``_effective_lr``."""
    if cls.whole:
        raise TranslationError(
            f"{cls.name}: its step needs the whole parameter at once (a norm, a "
            "factored moment or a shared estimate); the page runs one coordinate at a time"
        )
    t = _Translator(cls)
    entries = {key: t.entry(key) for key in ENTRY}
    fields_js = json.dumps(state_fields(cls))
    body = "\n".join(t.parts)
    return (
        f"(function () {{\nconst FIELDS = {fields_js};\n"
        f"function baseInit(self, w) {{ return freshState(self, FIELDS, "
        f"{entries['_holds']}); }}\n"
        "function baseAdvance(self, st, alpha) {}\n"
        "function baseLike(self, held, value) { return value; }\n"
        f"{body}\n"
        "function step(self, w, g, st, alpha) { "
        f"{entries['_update']}(self, w, g, st, alpha); "
        f"{entries['_advance']}(self, st, alpha); }}\n"
        f"return {{ fields: FIELDS, update: step, "
        f"init: {entries['_init_state']}, holds: {entries['_holds']}, "
        f"lr: {entries['_effective_lr']} }};\n}})()"
    )


def rules_module(classes) -> str:
    """JavaScript defining ``RULES[name]`` for every class in ``classes`` that the page
    can run (not those whose step needs the whole parameter: the page says so)."""
    lines = ["const RULES = {};"]
    for cls in dict.fromkeys(c for c in classes if not c.whole):
        lines.append(f"RULES[{json.dumps(cls.name)}] = {rule_js(cls)};")
    return "\n".join(lines)
