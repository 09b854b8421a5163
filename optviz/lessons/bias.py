r"""Adam's bias correction: the numbers behind the ``bias-correction`` figure.

``s`` and ``r`` start at 0, so in the first steps both are biased towards 0; Adam
divides them by :math:`1-\rho_1^t` and :math:`1-\rho_2^t`. Under a constant gradient
the uncorrected step direction :math:`s/\sqrt r` is
:math:`(1-\rho_1^t)/\sqrt{1-\rho_2^t}` times the corrected one: 3.16 at t = 1 for the
defaults, about 6.6 near t = 12 (r's bias is the larger and lasts longer), and 1 only
after thousands of steps.
"""

from __future__ import annotations

import numpy as np

from ..optimizers import Adam
from ..records import Lesson, Panel
from ..run import run_surface
from .claims import Claim, claims_of, trajectory_panel

__all__ = ["bias_correction", "uncorrected_ratio", "BIAS"]

#: The constant gradient of the moments panel (not 1, so that ŝ = g and r̂ = g²
#: differ), Adam's α on the quadratic (κ = 10), the moments' steps.
BIAS = {"g": 0.5, "alpha": 0.3, "kappa": 10.0, "constant_steps": 3000}


def uncorrected_ratio(rho1: float, rho2: float, t) -> np.ndarray:
    r"""How much longer the uncorrected step s/√r is than ŝ/√r̂ under a constant g:
    :math:`(1-\rho_1^t)/\sqrt{1-\rho_2^t}`.

    >>> round(float(uncorrected_ratio(0.9, 0.999, 1)), 4)  # 0.1 / √0.001
    3.1623
    """
    t = np.asarray(t, dtype=float)
    return (1 - rho1**t) / np.sqrt(1 - rho2**t)


def bias_correction(steps: int = 60, constant_steps: int = 3000) -> Lesson:
    """Adam's ``s`` and ``r`` under a constant g (read from the optimizer's state),
    and Adam with and without bias correction on the quadratic bowl (κ = 10)."""
    from optviz.surfaces.quadratic import quadratic

    b = BIAS
    surface = quadratic(kappa=b["kappa"])
    on = run_surface(surface, [Adam(lr=b["alpha"])], steps=steps)
    off = run_surface(surface, [Adam(lr=b["alpha"], bias_correction=False)], steps=steps)
    constant = Adam(lr=b["alpha"])
    w, s, r = np.zeros(1), [], []
    for _ in range(constant_steps):
        constant.step(w, np.full(1, b["g"]))
        s.append(constant.state[0].s[0])
        r.append(constant.state[0].r[0])
    s, r = np.array(s), np.array(r)
    ratio = s / np.sqrt(r)  # the uncorrected step direction's length per α
    peak = int(np.argmax(ratio))
    moments = Panel(
        "moments",
        {"s": s, "r": r, "ratio": ratio},
        {
            "g": b["g"],
            "ratio_first": float(ratio[0]),
            "peak": float(ratio[peak]),
            "peak_at": peak + 1,
            "ratio_last": float(ratio[-1]),
            "steps": constant_steps,
            # s before the first step, from s_1 = ρ1 s_0 + (1 - ρ1) g
            "s0": float((s[0] - (1 - constant.betas[0]) * b["g"]) / constant.betas[0]),
        },
    )
    panels = [
        moments,
        trajectory_panel(on.trajectories[0], "with", corrected=True),
        trajectory_panel(off.trajectories[0], "without", corrected=False),
    ]
    rho1, rho2 = constant.betas
    settings = {"kappa": b["kappa"], "alpha": b["alpha"], "rho1": rho1, "rho2": rho2}
    return Lesson("bias-correction", panels, settings)


@claims_of("bias-correction")
def _bias_claims(lesson) -> list[Claim]:
    s, m = lesson.settings, lesson["moments"].facts
    t = np.arange(1, m["steps"] + 1)
    theory = uncorrected_ratio(s["rho1"], s["rho2"], t)
    ratio = lesson["moments"].arrays["ratio"]
    return [
        Claim(
            "the uncorrected step is (1-ρ1ᵗ)/√(1-ρ2ᵗ) times the corrected one",
            bool(np.allclose(ratio, theory, rtol=1e-6)),
            {"rho1": s["rho1"], "rho2": s["rho2"], "start": float(m["s0"])},
        ),
        Claim(
            "it is 3.16× too long at t = 1",
            abs(m["ratio_first"] - (1 - s["rho1"]) / np.sqrt(1 - s["rho2"])) < 1e-9,
            {"ratio": m["ratio_first"], "t": 1},
        ),
        Claim(
            "it peaks near t = 12 at about 6.6×",
            m["peak_at"] == int(np.argmax(theory)) + 1,
            {"peak": m["peak"], "t": m["peak_at"]},
        ),
        Claim(
            "and is still above 1 after thousands of steps",
            1.0 < m["ratio_last"] < 1.05 and ratio[999] > 1.2,
            {"steps": m["steps"], "last": m["ratio_last"]},
        ),
    ]
