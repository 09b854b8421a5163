"""
The five optimizers on saddle
=============================

SGD, momentum, Adagrad, RMSprop and Adam from the same start at the surface's default
learning rates: paths, loss, and (animated) the effective learning rate.

五种优化器：saddle
------------------

SGD、动量、Adagrad、RMSprop 和 Adam 从同一起点、以该曲面的默认学习率出发：路径、损失，以及（动画中）有效学习率。

.. files: compare-saddle.png, animate-saddle.gif
.. command: optviz compare saddle; optviz animate saddle --panels trajectory,loss,lr
"""

from optviz import recipes
from optviz.gallery import output
from optviz.surfaces import get

g = output()  # where to write, how big, which language
surface = get("saddle")
result = recipes.compare(surface, steps=g.steps(surface.steps))  # the five defaults
g.figure(result.figure, "compare-saddle.png")
g.animation(surface, result.record, "animate-saddle.gif", ("trajectory", "loss", "lr"))
