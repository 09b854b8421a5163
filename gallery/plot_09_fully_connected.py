"""
The fully connected layer
=========================

The fully connected layer is one affine map, a matrix-vector product plus a bias: z = W
x + b on the flattened feature maps.

全连接层
--------

全连接层是一个仿射变换，即矩阵与向量的乘法再加上偏置：对展平的特征图计算 z = W x + b。

.. files: fully-connected.png
.. command: optviz lesson fully-connected --palette --out fully-connected.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.fully_connected()  # the trained teaching CNN's last layer
g.figure(result, "fully-connected.png")
