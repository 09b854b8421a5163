"""
Why cross-entropy, not MSE
==========================

At a confidently wrong output, MSE's gradient vanishes; cross-entropy's is p − y.

为什么用交叉熵而不用 MSE
------------------------

当输出以高置信度预测错误时，MSE 的梯度消失，而交叉熵的梯度为 p − y。

.. files: ce-vs-mse.png
"""

from optviz.gallery import output
from optviz.plot.cnn_gradients import ce_vs_mse_figure

g = output()  # where to write, how big, which language
g.figure(ce_vs_mse_figure(), "ce-vs-mse.png")
