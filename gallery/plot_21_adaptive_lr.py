"""
Adagrad sums, RMSprop averages: the rate each coordinate gets
=============================================================

Adagrad's r sums every past g² (the notes call it a moving average), so its rate never
rises; RMSprop's r averages but starts at 0: its rate falls 3.2× (w) and 33× (b) while r
fills, then rises 2.8× as the gradients shrink.

Adagrad 求和，RMSprop 取平均：每个坐标得到的学习率
--------------------------------------------------

Adagrad 的 r 是所有过去 g² 的总和（笔记称之为移动平均），所以它的学习率从不上升；RMSprop 的 r 取平均，然而从 0 开始：在 r 积累起来之前，它的学习率先下降 3.2 倍（w）和 33 倍（b），之后随梯度变小再上升 2.8 倍。

.. files: adaptive-lr.png, adaptive-lr.gif
.. command: optviz lesson adaptive-lr --palette --out adaptive-lr.png; optviz lesson adaptive-lr --out adaptive-lr.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.adaptive_lr(), "adaptive-lr.png")
# the three paths and the rates they get, growing
g.gif(recipes.adaptive_lr(animate=True, lang=g.lang), "adaptive-lr.gif")
