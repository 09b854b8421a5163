"""A user's own optimizer, defined outside optviz: one class and ``register()``.

A toy optimizer in the style of Lion (Chen et al., 2023), without weight decay: the
step is the sign of a blend of the momentum and the gradient, so every coordinate moves
by exactly alpha.
"""

from dataclasses import dataclass

import numpy as np

from optviz.optimizers import Optimizer, flag, fraction, learning_rate, register


@dataclass
class LionState:
    shape: tuple
    m: np.ndarray  # moving average of g
    t: int = 0


@register
class ToySign(Optimizer):
    r"""ToySign: a signed step of a blend of momentum and gradient.

    .. math::
        c \leftarrow \beta_1 m + (1-\beta_1)\, g, \qquad
        w \leftarrow w - \alpha\, \mathrm{sign}(c), \qquad
        m \leftarrow \beta_2 m + (1-\beta_2)\, g
    """

    name, title, color, cnn_lr, family = "toysign", "ToySign", "#117733", 1e-3, "sgd"
    rule = (
        r"c \leftarrow \beta_1 m + (1-\beta_1)\, g",
        r"w \leftarrow w - \alpha\, \mathrm{sign}(c)",
        r"m \leftarrow \beta_2 m + (1-\beta_2)\, g",
    )
    meaning = {"m": "moving average of g", "c": "the blend whose sign is the step"}
    hyper = {
        "lr": learning_rate(1e-3),
        "beta1": fraction(0.9, "β₁"),
        "beta2": fraction(0.99, "β₂"),
        "signed": flag(True, "signed step"),
    }
    State = LionState

    def _update(self, w, g, st, alpha):
        beta1, beta2 = self.beta1, self.beta2
        c = beta1 * st.m + (1 - beta1) * g
        w -= alpha * self._direction(c)
        st.m[...] = beta2 * st.m + (1 - beta2) * g

    def _direction(self, c):
        """sign(c), or c itself with ``signed=False``."""
        return np.sign(c) if self.signed else c
