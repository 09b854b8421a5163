"""
Adagrad vs RMSprop vs Adam: the effective learning rate
=======================================================

Adagrad's effective rate keeps falling (like 1/√t), so it falls behind; RMSprop's and
Adam's rise as the gradients shrink.

Adagrad、RMSprop 与 Adam：有效学习率
------------------------------------

Adagrad 的有效学习率不断下降（约按 1/√t），因此落在后面；RMSprop 和 Adam 的有效学习率随梯度变小而上升。

.. files: adaptive-lr.png, adaptive-lr.gif
.. command: optviz lr linear_regression -o adagrad -o rmsprop -o adam
"""

from optviz import lessons
from optviz.gallery import output
from optviz.surfaces.linear_regression import linear_regression

g = output()  # where to write, how big, which language
fig = lessons.adaptive_lr(small=g.small)
g.figure(fig, "adaptive-lr.png")
run = fig.optviz_data["run"]  # the three runs the figure draws
g.animation(linear_regression(), run, "adaptive-lr.gif", ("trajectory", "lr"))
