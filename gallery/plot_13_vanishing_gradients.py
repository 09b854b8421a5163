"""
Vanishing gradients
===================

Each sigmoid multiplies the gradient by at most 0.25: through n of them it is at most
0.25ⁿ.

梯度消失
--------

每经过一个 sigmoid，梯度至多乘以 0.25：经过 n 个 sigmoid 层后，梯度至多为 0.25ⁿ。

.. files: vanishing-gradients.png
"""

from optviz.gallery import output
from optviz.plot.cnn_gradients import vanishing_gradients_figure

g = output()  # where to write, how big, which language
g.figure(vanishing_gradients_figure(deepest=10), "vanishing-gradients.png")
