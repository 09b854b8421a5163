"""
The whole network
=================

One digit through the network: each stage's output and its shape.

整个网络
--------

一张数字图像经过整个网络：每一层的输出及其形状。

.. files: cnn-architecture.png
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
g.figure(cnn_lessons.architecture_figure(net, three, label=3), "cnn-architecture.png")
