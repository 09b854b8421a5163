"""
The five optimizers on Rosenbrock
=================================

Each at its best α: all drop into the curved valley at once, then crawl along it;
RMSprop's step grows when r forgets the steep wall.

五种优化器：Rosenbrock 函数
---------------------------

各自使用最佳 α：都很快落入弯曲的山谷，然后沿谷底缓慢前进；RMSprop 的 r 忘记陡峭的谷壁后步长变大。

.. files: compare-rosenbrock.png, animate-rosenbrock.gif
.. command: optviz compare rosenbrock; optviz animate rosenbrock --panels trajectory,loss,lr
"""

from optviz import lessons
from optviz.gallery import output
from optviz.surfaces import get

g = output()  # where to write, how big, which language
fig = lessons.compare("rosenbrock", small=g.small)  # each optimizer at fair settings
g.figure(fig, "compare-rosenbrock.png")
run = fig.optviz_data["run"]
g.animation(get("rosenbrock"), run, "animate-rosenbrock.gif", ("trajectory", "loss", "lr"))
