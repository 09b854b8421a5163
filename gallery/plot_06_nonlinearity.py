"""
Why a nonlinearity
==================

Without an activation function two linear layers are one linear layer; with ReLU between
them they are not.

为什么需要非线性
----------------

没有激活函数时，两个线性层等于一个线性层；中间加上 ReLU 后就不再如此。

.. files: nonlinearity.png
"""

from optviz.gallery import output
from optviz.plot.cnn_gradients import nonlinearity_figure

g = output()  # where to write, how big, which language
g.figure(nonlinearity_figure(), "nonlinearity.png")
