"""
Training the CNN on digits, over three seeds
============================================

The small CNN trained with each optimizer at its default settings (not a ranking), three
times from different initial weights and batch orders: the median loss and validation
error rate per epoch, the band spanning the seeds. The error rate's log axis shows the
last few percent, where the optimizers differ.

在手写数字上训练 CNN（三个随机种子）
--------------------

同一个小型 CNN 分别用每种优化器（默认设置，未经调优，不构成排名）训练，每种用三组不同的初始权重和批次顺序各训练一次：图中是每轮损失和验证集错误率的中位数，色带覆盖三次训练的范围。错误率用对数坐标，才能看清各优化器真正有差别的最后几个百分点。

.. files: cnn-training.png
.. command: optviz train --seeds 0,1,2
"""

from optviz.gallery import output
from optviz.nn import load_dataset, train_seeds
from optviz.plot.training import curves_figure

g = output()  # where to write, how big, which language
data = load_dataset("digits", seed=0, limit=g.pick(None, small=300))
epochs = g.pick(8, small=2)
runs = train_seeds(data, seeds=(0, 1, 2), epochs=epochs)  # the five defaults, 3 seeds
g.figure(curves_figure(runs), "cnn-training.png")
