"""
The fully connected layer
=========================

The fully connected layer is one matrix-vector product: z = W x + b on the flattened
feature maps.

全连接层
--------

全连接层就是一次矩阵与向量的乘法：对展平的特征图计算 z = W x + b。

.. files: fully-connected.png
"""

import numpy as np

from optviz.gallery import output
from optviz.nn import load_dataset, train
from optviz.nn.data import digits
from optviz.optimizers import Adam
from optviz.plot import cnn_lessons

g = output()  # where to write, how big, which language
net = cnn_lessons.teaching_cnn()  # 4 kernels of 3x3, ReLU, 2x2 max pooling, 10 outputs
train(net, Adam(lr=0.01), load_dataset("digits", dtype=np.float64), epochs=5)
images, labels = digits(np.float64)
three = images[int(np.flatnonzero(labels == 3)[0]), 0]  # the first 3 of the data set
g.figure(cnn_lessons.fully_connected_figure(net, three), "fully-connected.png")
