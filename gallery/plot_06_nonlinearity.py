"""
Why a nonlinearity
==================

Without an activation function two affine layers (linear + bias: W x + b) are one affine
layer; with ReLU between them they are not.

为什么需要非线性
----------------

没有激活函数时，两个仿射层（线性变换加偏置：W x + b）等于一个仿射层；中间加上 ReLU 就不再如此。

.. files: nonlinearity.png
.. command: optviz lesson nonlinearity --palette --out nonlinearity.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.nonlinearity()
g.figure(result, "nonlinearity.png")
