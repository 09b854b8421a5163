"""
The five optimizers on Himmelblau
=================================

Four equal minima: the start and the step size decide which one an optimizer reaches; a
large step overshoots into another basin.

五种优化器：Himmelblau 函数
---------------------------

四个相同的最小值：起点和步长决定优化器到达哪一个；步长太大会冲进另一个盆地。

.. files: compare-himmelblau.png, animate-himmelblau.gif
.. command: optviz compare himmelblau; optviz animate himmelblau --panels trajectory,loss,lr
"""

from optviz import lessons
from optviz.gallery import output
from optviz.surfaces import get

g = output()  # where to write, how big, which language
fig = lessons.compare("himmelblau", small=g.small)  # each optimizer at fair settings
g.figure(fig, "compare-himmelblau.png")
run = fig.optviz_data["run"]
g.animation(get("himmelblau"), run, "animate-himmelblau.gif", ("trajectory", "loss", "lr"))
