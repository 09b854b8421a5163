"""
The five optimizers on Himmelblau
=================================

Four equal minima. At the start −g = (54, 2) points almost along x: SGD and momentum
follow it to the nearest minimum. Adagrad, RMSprop and Adam divide g by √r per
coordinate (at t = 1, g/√r = sign g), so their first step turns onto the diagonal and
they reach another minimum: a change of direction, not an overshoot.

五种优化器：Himmelblau 函数
---------------------------

四个相同的最小值。起点处 −g = (54, 2)，几乎沿 x 方向：梯度下降和动量法顺着它到达最近的最小值。Adagrad、RMSprop 和 Adam 按坐标把 g 除以 √r（t = 1 时 g/√r = sign g），第一步转到对角线方向，因而到达另一个最小值：这是方向的改变，而不是步长太大冲过了头。

.. files: compare-himmelblau.png, animate-himmelblau.gif
.. command: optviz compare himmelblau --tune --caption compare-himmelblau --palette --out compare-himmelblau.png; optviz animate himmelblau --tune --panels trajectory,loss,lr --frames 90 --fps 12 --out animate-himmelblau.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
subtitle = recipes.caption("compare-himmelblau")  # the figure's one message
# each optimizer at fair settings, the figure's message under its title
result = recipes.compare("himmelblau", tune=True, subtitle=subtitle)
g.figure(result, "compare-himmelblau.png")
panels = ("trajectory", "loss", "lr")
anim = recipes.animate(
    "himmelblau", record=result.record, panels=panels, frames=90, fps=12, lang=g.lang
)
g.gif(anim, "animate-himmelblau.gif")
