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

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.nonlinearity()
g.figure(result, "nonlinearity.png")
