"""
Activation functions
====================

ReLU, LeakyReLU, PReLU, sigmoid and tanh with their derivatives: sigmoid and tanh
saturate (the gradient vanishes), ReLU has a dead zone, only tanh is zero-centred.

激活函数
--------

ReLU、LeakyReLU、PReLU、sigmoid 和 tanh 及其导数：sigmoid 和 tanh 会饱和（梯度消失），ReLU 有神经元死亡区，只有 tanh 是零均值的。

.. files: activations.png
"""

from optviz.gallery import output
from optviz.plot.nn_figures import activations_figure

g = output()  # where to write, how big, which language
g.figure(activations_figure(), "activations.png")
