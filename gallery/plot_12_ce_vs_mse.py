"""
Why cross-entropy, not MSE
==========================

At a confidently wrong output, MSE's gradient vanishes; cross-entropy's is p − y.

为什么用交叉熵而不用 MSE
------------------------

当输出以高置信度预测错误时，MSE 的梯度消失，而交叉熵的梯度为 p − y。

.. files: ce-vs-mse.png
.. command: optviz lesson ce-vs-mse --palette --out ce-vs-mse.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.ce_vs_mse()
g.figure(result, "ce-vs-mse.png")
