"""
What δ does near a minimum
==========================

RMSprop (α = 0.01, ρ = 0.5) on f(w) = w²/2. Near the minimum g → 0 and √r with it, so
the rate α/(√r + δ) grows until it passes 2/λ = 2 and the step overshoots: with δ < α/2
the iterate ends hopping between ±(α/2 − δ), ±0.005 for δ = 10⁻⁸ and ±0.002 for δ =
0.003, and never arrives. δ does more than keep the denominator from 0: it caps the rate
at α/δ, and with δ = 0.05 ≥ α/2 (a rate of at most 0.2) |w| falls below 10⁻⁸ from step
187 on.

δ 在最小值附近的作用
--------------------

RMSprop（α = 0.01，ρ = 0.5）最小化 f(w) = w²/2。接近最小值时 g → 0，√r 也随之变小，于是学习率 α/(√r + δ) 不断增大，直到超过 2/λ = 2，步子就越过了最小值：当 δ < α/2 时，迭代点最终在 ±(α/2 − δ) 之间来回跳（δ = 10⁻⁸ 时为 ±0.005，δ = 0.003 时为 ±0.002），永远到不了最小值。δ 的作用不只是防止分母为零：它把学习率限制在 α/δ 以内；δ = 0.05 ≥ α/2 时（学习率至多 0.2），从第 187 步起 |w| 小于 10⁻⁸。

.. files: delta-role.png
.. command: optviz lesson delta-role --palette --out delta-role.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.delta_role()  # RMSprop on w²/2 for three δ
g.figure(result, "delta-role.png")
