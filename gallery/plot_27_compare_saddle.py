"""
The five optimizers on the saddle
=================================

Near a saddle the gradient along the escape direction is tiny: dividing g by √r scales
it up, so the adaptive methods escape first.

五种优化器：鞍面
----------------

鞍点附近逃离方向上的梯度很小：把 g 除以 √r 会放大它，所以自适应方法最先逃离。

.. files: compare-saddle.png, animate-saddle.gif
.. command: optviz compare saddle --tune --caption compare-saddle --palette --out compare-saddle.png; optviz animate saddle --tune --panels trajectory,loss --size 1120x640 --frames 90 --out animate-saddle.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
subtitle = recipes.caption("compare-saddle")  # the figure's one message
result = recipes.compare("saddle", tune=True, subtitle=subtitle)  # each at fair settings
g.figure(result, "compare-saddle.png")
# the escape is in the loss: one tall loss panel, so its symlog axis reads in full
panels, size = ("trajectory", "loss"), (1120, 640)
anim = recipes.animate(
    "saddle", record=result.record, panels=panels, frames=90, size=size, lang=g.lang
)
g.gif(anim, "animate-saddle.gif")
