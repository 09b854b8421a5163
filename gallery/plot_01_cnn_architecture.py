"""
The whole network
=================

One digit through the network: each stage's output and its shape.

整个网络
--------

一张数字图像经过整个网络：每一层的输出及其形状。

.. files: cnn-architecture.png
.. command: optviz lesson cnn-architecture --palette --out cnn-architecture.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.cnn_architecture()  # the teaching CNN trained, on the first 3
g.figure(result, "cnn-architecture.png")
