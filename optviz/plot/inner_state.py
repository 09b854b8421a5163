r"""The learning-rate figure's row of what the newer optimizers keep inside: Lion's
:math:`\mathrm{sign}(c)`, RAdam's rectification :math:`q_t`, Prodigy's distance
estimate :math:`d`, Schedule-Free's averaging weight :math:`c_t`. Each is an array of
the run's recorded state (``optviz.inner_state.record_inner_state`` puts it there);
these panels only draw it."""

from __future__ import annotations

import numpy as np

from .style import color_of

__all__ = ["INNER_PANELS", "inner_keys", "draw_inner_panel"]

#: State key -> the panel's title, in the order the panels appear.
INNER_PANELS = {
    "sign": r"Lion's step direction $\mathrm{sign}(c)$",
    "q": r"RAdam's rectification $q_t$ ($0$: a momentum step)",
    "distance": r"Prodigy's distance estimate $d$",
    "c": r"Schedule-Free's averaging weight $c_t$",
}
#: Where the sign panel draws the y coordinate's sign: below the x coordinate's.
SIGN_OFFSET = -3.0


def inner_keys(run) -> list[str]:
    """The keys of :data:`INNER_PANELS` some trajectory of ``run`` recorded."""
    return [k for k in INNER_PANELS if any(k in traj.state for traj in run)]


def draw_inner_panel(ax, run, key, styles) -> None:
    """One panel: ``key``'s series per trajectory that recorded it."""
    ax.set_title(INNER_PANELS[key], loc="left", fontsize=13)
    ax.set_xlabel("step t")
    ax.grid(True, which="major", alpha=0.3)
    if key in ("distance", "c"):
        ax.set_yscale("log")
    for traj in run:
        if key not in traj.state:
            continue
        values = np.asarray(traj.state[key])
        t = np.arange(len(values))[1:]
        c, ls = color_of(traj), styles[traj.label]
        if key == "sign":
            ax.step(t, values[1:, 0], where="mid", color=c, ls=ls)
            ax.step(t, values[1:, 1] + SIGN_OFFSET, where="mid", color=c, ls=ls)
        else:
            ax.plot(t, values[1:, 0], color=c, ls=ls)
    if key == "sign":
        ticks = [1.0, 0.0, -1.0, 1.0 + SIGN_OFFSET, SIGN_OFFSET, -1.0 + SIGN_OFFSET]
        ax.set_yticks(ticks, ["x: +1", "x: 0", "x: −1", "y: +1", "y: 0", "y: −1"])
    elif key == "q":
        ax.set_ylim(-0.05, 1.05)
