"""
Escaping a saddle, in 3-D
=========================

On the saddle x² - y² SGD lingers near the top, where the gradient along y is tiny;
dividing g by √r scales that coordinate up, so Adagrad, RMSprop and Adam roll off first.

逃离鞍点（三维视图）
--------------------

在鞍面 x² - y² 上，梯度下降在鞍点附近徘徊，因为那里沿 y 方向的梯度很小；把 g 除以 √r 会放大这个坐标上的步长，所以 Adagrad、RMSprop 和 Adam 最先滚下去。

.. files: saddle-3d.png, saddle-3d.gif
.. command: optviz compare saddle --tune --caption saddle-3d --view 3d --palette --out saddle-3d.png; optviz animate saddle --tune --view 3d --frames 24 --fps 12 --size 480x380 --out saddle-3d.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
subtitle = recipes.caption("saddle-3d")
result = recipes.compare("saddle", tune=True, subtitle=subtitle, view="3d")
g.figure(result, "saddle-3d.png")
rotation = recipes.animate(  # the paths of the still figure, turning
    "saddle", record=result.record, view="3d", frames=24, size=(480, 380), lang=g.lang
)
g.gif(rotation, "saddle-3d.gif")
