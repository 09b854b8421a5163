"""
One step, taken apart
=====================

One step of each optimizer from the same point of the quadratic bowl, drawn as vectors
(the gradient g, the velocity v, Adam's ŝ, the step Δw), with every equation filled in
with the numbers the optimizer classes computed.

一步更新的分解
--------------

在曲面上的同一点，五种优化器各走一步：梯度 g、速度 v、修正后的一阶矩 ŝ 和这一步的位移都画成向量，每个公式都代入了真实的数值（取自优化器类运行一步后的状态）。

.. files: explain-step.png
"""

from optviz.explain import explain_steps
from optviz.gallery import output
from optviz.optimizers import SGD, Adagrad, Adam, Momentum, RMSprop
from optviz.plot.rules import explain_step_figure
from optviz.surfaces import get

g = output()  # where to write, how big, which language
optimizers = [
    SGD(lr=0.1),
    Momentum(lr=0.1),
    Adagrad(lr=0.5),
    RMSprop(lr=0.05),
    Adam(lr=0.5),
]
surface = get("quadratic")
records = explain_steps(surface, (-3.0, 0.2), optimizers)  # the numbers: one step each
fig = explain_step_figure(surface, records)  # drawn from the records
g.figure(fig, "explain-step.png")
