"""
The five optimizers on Rosenbrock
=================================

Each at its best α: all drop into the curved valley at once, then crawl along it;
RMSprop's step grows when r forgets the steep wall.

五种优化器：Rosenbrock 函数
---------------------------

各自使用最佳 α：都很快落入弯曲的山谷，然后沿谷底缓慢前进；RMSprop 的 r 忘记陡峭的谷壁后步长变大。

.. files: compare-rosenbrock.png, animate-rosenbrock.gif
.. command: optviz compare rosenbrock --tune --caption compare-rosenbrock --palette --out compare-rosenbrock.png; optviz animate rosenbrock --tune --panels trajectory,loss,lr --frames 90 --out animate-rosenbrock.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
subtitle = recipes.caption("compare-rosenbrock")  # the figure's one message
# each optimizer at fair settings, the figure's message under its title
result = recipes.compare("rosenbrock", tune=True, subtitle=subtitle)
g.figure(result, "compare-rosenbrock.png")
panels = ("trajectory", "loss", "lr")
anim = recipes.animate(
    "rosenbrock", record=result.record, panels=panels, frames=90, lang=g.lang
)
g.gif(anim, "animate-rosenbrock.gif")
