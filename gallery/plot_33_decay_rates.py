"""
Decay rates: how long r remembers
=================================

The gradient is 1 for 100 steps, then 0.1, as near a minimum. The step α·g/√r shrinks
with it and grows back only as r forgets the old g², over about 1/(1 − ρ) steps: RMSprop
is back to half its step after 34 steps with ρ = 0.9 and after 302 with ρ = 0.99; Adam
(ρ1 = 0.9) after 305 steps with ρ2 = 0.99 and after 1398 with ρ2 = 0.999, the published
default (the notes give 0.9 or 0.99 for both).

衰减率：r 记得多久
------------------

梯度先是 1，持续 100 步，然后变为 0.1，就像接近最小值时那样。步长 α·g/√r 随之缩小，只有当 r 忘掉旧的 g² 之后才会恢复，大约需要 1/(1 − ρ) 步：RMSprop 在 ρ = 0.9 时 34 步后恢复到一半步长，ρ = 0.99 时需要 302 步；Adam（ρ1 = 0.9）在 ρ2 = 0.99 时需要 305 步，在 ρ2 = 0.999（公开的默认值）时需要 1398 步（笔记对两者都写 0.9 或 0.99）。

.. files: decay-rates.png
.. command: optviz lesson decay-rates --palette --out decay-rates.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.decay_rates()  # RMSprop's ρ and Adam's ρ2, after g shrinks
g.figure(result, "decay-rates.png")
