"""
Escaping a saddle, in 3-D
=========================

On the saddle x² - y² SGD lingers near the top, where the gradient along y is tiny;
dividing g by √r scales that coordinate up, so Adagrad, RMSprop and Adam roll off first.

逃离鞍点（三维视图）
--------------------

在鞍面 x² - y² 上，梯度下降在鞍点附近徘徊，因为那里沿 y 方向的梯度很小；把 g 除以 √r 会放大这个坐标上的步长，所以 Adagrad、RMSprop 和 Adam 最先滚下去。

.. files: saddle-3d.png, saddle-3d.gif
.. command: optviz compare saddle --view 3d
"""

from optviz import lessons
from optviz.gallery import output
from optviz.plot.view3d import Rotation
from optviz.surfaces import get

g = output()  # where to write, how big, which language
fig = lessons.saddle_3d(small=g.small)
g.figure(fig, "saddle-3d.png")
size = g.pick((480, 380), small=(320, 240))
run = fig.optviz_data["run"]  # the paths of the still figure
rotation = Rotation(get("saddle"), run, frames=g.frames(24), size=size, lang=g.lang)
g.gif(rotation, "saddle-3d.gif")
