"""
Softmax and the losses
======================

Softmax turns scores into probabilities; MSE, binary and multi-class cross-entropy as
functions of the prediction: cross-entropy punishes a confident wrong answer without
bound.

Softmax 与损失函数
------------------

Softmax 把得分变成概率；MSE、二分类与多分类交叉熵随预测值的变化：交叉熵对自信的错误答案的惩罚没有上限。

.. files: losses.png
"""

from optviz.gallery import output
from optviz.plot.nn_figures import losses_figure

g = output()  # where to write, how big, which language
g.figure(losses_figure(), "losses.png")
