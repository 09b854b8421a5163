"""Classical methods beside the step optimizers: BFGS, L-BFGS, CG, Newton-CG,
Nelder-Mead and gradient descent with a Wolfe line search, run by ``scipy.optimize``.

They cannot step one gradient at a time, so they are not :class:`Optimizer` subclasses:
a :class:`ClassicalMethod` runs to the end in one call and returns a :class:`Trajectory`
of its own length (one row per iteration, as scipy's callback reports it) with the
evaluations it spent: ``evaluations = {"nfev", "njev", "nhev", "cumulative"}``, the
last the function + gradient + Hessian evaluations spent up to each iterate.

The recorded ``loss`` and ``grad`` rows are evaluated afterwards for the figure and are
not counted. Newton-CG uses the surface's Hessian (:meth:`Surface.hess`: exact for a
formula surface, else central differences of the gradient, said in ``hessian``).

>>> from optviz.surfaces import get
>>> traj = ClassicalMethod("bfgs").run(get("rosenbrock"), [-1.5, 2.0], 200)
>>> traj.evaluations["nfev"] == traj.evaluations["njev"]
True
"""

from __future__ import annotations

import numpy as np

from .records import Trajectory

__all__ = ["CLASSICAL", "SUMMARY", "ClassicalMethod", "is_classical"]

#: name -> (scipy.optimize.minimize's method, None: our own loop; default options)
CLASSICAL: dict[str, tuple[str | None, dict]] = {
    "bfgs": ("BFGS", {"gtol": 1e-5}),
    "lbfgs": ("L-BFGS-B", {"gtol": 1e-5, "maxcor": 10}),
    "cg": ("CG", {"gtol": 1e-5}),
    "newton": ("Newton-CG", {"xtol": 1e-5}),
    "nelder-mead": ("Nelder-Mead", {"xatol": 1e-4, "fatol": 1e-4}),
    "gd-linesearch": (None, {"gtol": 1e-5, "c1": 1e-4, "c2": 0.9}),
}
_NO_GRADIENT = ("nelder-mead",)
#: name -> what the method does, in one line (``optviz list``).
SUMMARY = {
    "bfgs": "quasi-Newton: builds an inverse-Hessian estimate from gradient changes",
    "lbfgs": "limited-memory BFGS: the estimate from the last maxcor gradient pairs",
    "cg": "nonlinear conjugate gradients: each direction conjugate to the last",
    "newton": "Newton-CG: the Newton step, solved by conjugate gradients on the Hessian",
    "nelder-mead": "a simplex of three points that reflects and shrinks: no gradient",
    "gd-linesearch": "gradient descent whose step length a Wolfe line search picks",
}


def is_classical(name: str) -> bool:
    """Whether ``name`` is a classical method (not a step optimizer)."""
    return name in CLASSICAL


class _Counted:
    """f, its gradient and Hessian on a surface, each counting its calls."""

    def __init__(self, surface) -> None:
        self.surface = surface
        self.grad_fn = surface.gradient_fn()
        self.nfev = self.njev = self.nhev = 0

    def f(self, w):
        self.nfev += 1
        return float(self.surface.value(np.asarray(w, dtype=np.float64)))

    def jac(self, w):
        self.njev += 1
        return np.asarray(self.grad_fn(np.asarray(w, dtype=np.float64)), dtype=np.float64)

    def hess(self, w):
        self.nhev += 1
        return self.surface.hess(np.asarray(w, dtype=np.float64))

    @property
    def total(self) -> int:
        return self.nfev + self.njev + self.nhev


class ClassicalMethod:
    """A classical method by registry name, with its options (``gtol``, ``xtol``, ...;
    :data:`CLASSICAL` lists each method's keys and defaults)."""

    def __init__(self, name: str, **options) -> None:
        if name not in CLASSICAL:
            raise ValueError(
                f"unknown classical method {name!r}; allowed: {', '.join(CLASSICAL)}"
            )
        method, defaults = CLASSICAL[name]
        for key, value in options.items():
            if key not in defaults:
                raise ValueError(
                    f"unknown key {key!r} for {name}; allowed: {', '.join(defaults)}"
                )
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"{name}: {key} must be a number, got {value!r}")
            if not np.isfinite(value) or value <= 0 or (key == "c2" and value >= 1):
                allowed = "in (0, 1)" if key in ("c1", "c2") else "> 0"
                raise ValueError(f"{name}: {key} must be {allowed}, got {value!r}")
        if key_int := options.get("maxcor"):
            options["maxcor"] = int(key_int)
        if "c1" in options or "c2" in options:
            c1 = options.get("c1", defaults["c1"])
            if not c1 < options.get("c2", defaults["c2"]) < 1:
                raise ValueError(f"{name}: need 0 < c1 < c2 < 1, got {options}")
        self.name, self.method = name, method
        self.options = {**defaults, **options}

    def hyperparameters(self) -> dict:
        return dict(self.options)

    def __repr__(self) -> str:
        keys = ", ".join(f"{k}={v}" for k, v in self.options.items())
        return f"ClassicalMethod({self.name!r}, {keys})"

    # -- running -------------------------------------------------------------------
    def minimize_kwargs(self, counted: _Counted, steps: int) -> dict:
        """What :func:`scipy.optimize.minimize` is called with (besides x0, callback)."""
        kwargs = {
            "method": self.method,
            "options": {**self.options, "maxiter": int(steps)},
        }
        if self.name not in _NO_GRADIENT:
            kwargs["jac"] = counted.jac
        if self.name == "newton":
            kwargs["hess"] = counted.hess
        return kwargs

    def run(self, surface, start, steps: int, *, label: str | None = None) -> Trajectory:
        """Run from one ``start`` (shape ``(2,)``) for at most ``steps`` iterations."""
        start = np.asarray(start, dtype=np.float64)
        if start.shape != (2,):
            raise ValueError(
                f"{self.name} runs from one start (shape (2,)), got shape {start.shape}"
            )
        counted = _Counted(surface)
        iterates, cumulative = [start.copy()], [0]

        def callback(xk):
            iterates.append(np.array(xk, dtype=np.float64))
            cumulative.append(counted.total)

        from scipy.optimize import minimize

        if self.method is None:
            _gd_linesearch(counted, start, steps, callback, **self.options)
        else:
            minimize(
                counted.f, start, callback=callback, **self.minimize_kwargs(counted, steps)
            )
        return self._trajectory(surface, np.array(iterates), counted, cumulative, label)

    def _trajectory(self, surface, xy, counted, cumulative, label) -> Trajectory:
        loss = np.asarray(surface.value(xy), dtype=np.float64)
        grad = np.asarray(surface.grad(xy), dtype=np.float64)
        lr = np.full_like(xy, np.nan)
        hyper = self.hyperparameters()
        if self.name == "newton":
            hyper["hessian"] = "exact" if surface.exact_hessian else "finite differences"
        return Trajectory(
            optimizer=self.name,
            label=label or self.name,
            hyperparameters=hyper,
            xy=xy,
            loss=loss,
            grad=grad,
            lr=lr,
            diverged_at=np.array(-1),
            evaluations={
                "nfev": counted.nfev,
                "njev": counted.njev,
                "nhev": counted.nhev,
                "cumulative": [int(c) for c in cumulative],
            },
        )


def _gd_linesearch(counted: _Counted, x, steps, callback, *, gtol, c1, c2) -> None:
    """Gradient descent along -g with a Wolfe step (:func:`scipy.optimize.line_search`);
    stops at ``|g|_inf < gtol``, after ``steps`` iterations or when no step is found."""
    from scipy.optimize import line_search

    x = np.array(x, dtype=np.float64)
    fx, g = counted.f(x), counted.jac(x)
    old_old = None
    for _ in range(int(steps)):
        if np.max(np.abs(g)) < gtol:
            return
        alpha, _, _, f_new, _, g_new = line_search(
            counted.f, counted.jac, x, -g, gfk=g, old_fval=fx, old_old_fval=old_old,
            c1=c1, c2=c2,
        )  # fmt: skip
        if alpha is None:
            return
        x = x - alpha * g
        old_old, fx = fx, f_new
        g = counted.jac(x) if g_new is None else np.asarray(g_new, dtype=np.float64)
        callback(x)
