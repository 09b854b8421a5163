"""
Convolution and pooling
=======================

A digit, three kernels, their feature maps after ReLU, then max and average pooling side
by side, with H2 = (H1 - FH + 2P)/S + 1 worked out.

卷积与池化
----------

一个手写数字、三个卷积核、经过 ReLU 的特征图，以及并排的最大池化与平均池化，并代入 H2 = (H1 - FH + 2P)/S + 1 计算输出尺寸。

.. files: convolution.png
"""

import numpy as np

from optviz.gallery import output
from optviz.nn.data import digits
from optviz.plot.nn_figures import convolution_figure

g = output()  # where to write, how big, which language
images, labels = digits(np.float64)
three = images[int(np.flatnonzero(labels == 3)[0]), 0]  # the first 3 of the data set
g.figure(convolution_figure(three), "convolution.png")
