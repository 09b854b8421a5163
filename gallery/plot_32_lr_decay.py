"""
Learning-rate decay
===================

Mini-batch SGD (batches of 8 of 40 samples, α = 0.25) on L(w, b). With a constant α
every step carries the batch's noise α·(g_batch − g) however close w is, so L − L* stops
falling at about 0.039. Halving α every 100 steps shrinks that noise with it: L − L*
falls to 8.9×10⁻⁵ and the last 100 iterates gather within ±0.0074 of the fit (±0.26 at
the constant α).

学习率衰减
----------

小批量随机梯度下降（40 个样本中每批 8 个，α = 0.25）最小化 L(w, b)。学习率不变时，无论 w 离最小值多近，每一步都带着这一批的噪声 α·(g_batch − g)，所以 L − L* 停在约 0.039 不再下降。每 100 步把 α 减半，噪声随之缩小：L − L* 降到 8.9×10⁻⁵，最后 100 个迭代点都落在最小二乘解 ±0.0074 以内（α 不变时为 ±0.26）。

.. files: lr-decay.png
.. command: optviz lesson lr-decay --palette --out lr-decay.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.lr_decay()  # a constant α against α halved every 100 steps
g.figure(result, "lr-decay.png")
