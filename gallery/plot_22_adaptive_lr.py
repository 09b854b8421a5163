"""
Adagrad vs RMSprop vs Adam: the effective learning rate
=======================================================

Adagrad's effective rate keeps falling (like 1/√t), so it falls behind; RMSprop's and
Adam's rise as the gradients shrink.

Adagrad、RMSprop 与 Adam：有效学习率
------------------------------------

Adagrad 的有效学习率不断下降（约按 1/√t），因此落在后面；RMSprop 和 Adam 的有效学习率随梯度变小而上升。

.. files: adaptive-lr.png, adaptive-lr.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.adaptive_lr()
g.figure(result, "adaptive-lr.png")
panels = ("trajectory", "lr")  # the three runs the figure draws, growing
anim = recipes.animate(
    "linear_regression", record=result.record, panels=panels, frames=90, lang=g.lang
)
g.gif(anim, "adaptive-lr.gif")
