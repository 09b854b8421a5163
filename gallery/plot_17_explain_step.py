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
.. command: optviz lesson explain-step --palette --out explain-step.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
specs = [
    "sgd:lr=0.1",
    "momentum:lr=0.1",
    "adagrad:lr=0.5",
    "rmsprop:lr=0.05",
    "adam:lr=0.5",
]
result = recipes.explain_step("quadratic", specs, start=(-3.0, 0.2))
g.figure(result, "explain-step.png")
