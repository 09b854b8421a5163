"""
The five optimizers on Himmelblau
=================================

Four equal minima: the start and the step size decide which one an optimizer reaches; a
large step overshoots into another basin.

五种优化器：Himmelblau 函数
---------------------------

四个相同的最小值：起点和步长决定优化器到达哪一个；步长太大会冲进另一个盆地。

.. files: compare-himmelblau.png, animate-himmelblau.gif
.. command: optviz compare himmelblau --tune --caption compare-himmelblau --palette --out compare-himmelblau.png; optviz animate himmelblau --tune --panels trajectory,loss,lr --frames 90 --out animate-himmelblau.gif
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
    "himmelblau", record=result.record, panels=panels, frames=90, lang=g.lang
)
g.gif(anim, "animate-himmelblau.gif")
