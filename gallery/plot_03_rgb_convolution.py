"""
Convolution over RGB channels
=============================

An RGB input: one 3×3 kernel per channel, the three sums added, plus one bias.

RGB 三通道上的卷积
------------------

RGB 输入：每个通道各有一个 3×3 卷积核，三个通道的内积相加，再加一个偏置。

.. files: rgb-convolution.png
.. command: optviz lesson rgb-convolution --palette --out rgb-convolution.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.rgb_convolution()
g.figure(result, "rgb-convolution.png")
