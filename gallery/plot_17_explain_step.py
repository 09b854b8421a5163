"""
One step, taken apart
=====================

Each optimizer's step at t = 1 and at t = 5 from the same point of the quadratic bowl,
drawn as displacements on one scale (−αg, the velocity v, Adam's −αŝ, the step Δw) with
the numbers the optimizer classes computed. At t = 1 momentum's v is SGD's step −αg,
Adam's ŝ is g, and every adaptive step is sign-like (0.5 in each coordinate at these α);
by t = 5 the methods differ: momentum's step is longer than SGD's, Adam's longer than
Adagrad's, while RMSprop with ρ = 0.99 still follows Adagrad.

一步更新的分解
--------------

五种优化器从二次碗形函数上的同一点出发，在 t = 1 和 t = 5 各走的一步：−αg、速度 v、Adam 的 −αŝ 和这一步的位移 Δw 都按同一比例画成位移，数值取自优化器类的计算。t = 1 时，动量法的 v 就是 SGD 的一步 −αg，Adam 的 ŝ 就是 g，自适应方法的每一步都只取 g 的符号（在这些 α 下每个坐标移动 0.5）；到 t = 5 各方法已不相同：动量法的一步比 SGD 的长，Adam 的一步比 Adagrad 的长，而 ρ = 0.99 的 RMSprop 仍与 Adagrad 几乎相同。

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
