"""
Cross-entropy with one-hot targets
==================================

With a one-hot target, cross-entropy is −ln p of the true class.

独热编码标签与交叉熵
--------------------

使用独热编码的标签时，交叉熵就是真实类别概率的负对数 −ln p。

.. files: cross-entropy.png
"""

import numpy as np

from optviz.gallery import output
from optviz.nn import load_dataset, train
from optviz.nn.data import digits
from optviz.optimizers import Adam
from optviz.plot import cnn_gradients, cnn_lessons

g = output()  # where to write, how big, which language
net = cnn_lessons.teaching_cnn()  # 4 kernels of 3x3, ReLU, 2x2 max pooling, 10 outputs
train(net, Adam(lr=0.01), load_dataset("digits", dtype=np.float64), epochs=5)
images, labels = digits(np.float64)
three = images[int(np.flatnonzero(labels == 3)[0]), 0]  # the first 3 of the data set
logits = net.forward(three[None, None])[0]  # the trained network's scores for the 3
g.figure(cnn_gradients.cross_entropy_figure(logits, label=3), "cross-entropy.png")
