"""
Activation functions
====================

ReLU, LeakyReLU, PReLU, sigmoid and tanh with their derivatives df/dx: sigmoid and tanh
saturate (f' < 0.05 far from 0: the gradient vanishes), ReLU has a dead zone where f' =
0, LeakyReLU and PReLU keep a slope a there (fixed, or learned); only tanh's output is
zero-centred.

激活函数及其导数
----------------

ReLU、LeakyReLU、PReLU、sigmoid 和 tanh 及其导数：sigmoid 和 tanh 是饱和函数，输入的绝对值较大时导数趋近于 0（梯度消失）；ReLU 在输入小于 0 时导数为 0（神经元死亡）；LeakyReLU 和 PReLU 在负半轴保留斜率 a（LeakyReLU 的 a 固定，PReLU 的 a 由训练学得）；五者中只有 tanh 的输出是零均值的。

.. files: activations.png
.. command: optviz lesson activations --palette --out activations.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.activations()
g.figure(result, "activations.png")
