"""
The five optimizers on the saddle
=================================

Near a saddle the gradient along the escape direction is tiny: dividing g by √r scales
it up, so the adaptive methods escape first.

五种优化器：鞍面
----------------

鞍点附近逃离方向上的梯度很小：把 g 除以 √r 会放大它，所以自适应方法最先逃离。

.. files: compare-saddle.png, animate-saddle.gif
.. command: optviz compare saddle; optviz animate saddle --panels trajectory,loss
"""

from optviz import lessons
from optviz.gallery import output
from optviz.surfaces import get

g = output()  # where to write, how big, which language
fig = lessons.compare("saddle", small=g.small)  # each optimizer at fair settings
g.figure(fig, "compare-saddle.png")
run = fig.optviz_data["run"]
# the escape is in the loss: one tall loss panel, so its symlog axis reads in full
size = (1120, 640)
g.animation(get("saddle"), run, "animate-saddle.gif", ("trajectory", "loss"), size=size)
