"""
The five optimizers on rosenbrock
=================================

SGD, momentum, Adagrad, RMSprop and Adam from the same start at the surface's default
learning rates: paths, loss, and (animated) the effective learning rate.

五种优化器：rosenbrock
----------------------

SGD、动量、Adagrad、RMSprop 和 Adam 从同一起点、以该曲面的默认学习率出发：路径、损失，以及（动画中）有效学习率。

.. files: compare-rosenbrock.png, animate-rosenbrock.gif
.. command: optviz compare rosenbrock; optviz animate rosenbrock --panels trajectory,loss,lr
"""

from optviz import recipes
from optviz.gallery import output
from optviz.surfaces import get

g = output()  # where to write, how big, which language
surface = get("rosenbrock")
result = recipes.compare(surface, steps=g.steps(surface.steps))  # the five defaults
g.figure(result.figure, "compare-rosenbrock.png")
g.animation(surface, result.record, "animate-rosenbrock.gif", ("trajectory", "loss", "lr"))
