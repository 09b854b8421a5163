"""
LeakyReLU's fixed a, PReLU's learned a
======================================

Data y = x for x > 0 and 0.1 x for x ≤ 0, 41 points of [−2, 2]. LeakyReLU's slope a =
0.01 is a hyper-parameter: nothing changes it, and its loss stays 0.0057. PReLU's a
starts at 0.25 and is learned by SGD (α = 0.05) through ∂L/∂a = Σ g·x over the inputs x
≤ 0: it reaches the data's slope 0.1, and its loss falls to 1.4×10⁻⁷. (The notes'
"Prarametic ReLU" is Parametric ReLU.)

LeakyReLU 的固定 a 与 PReLU 学到的 a
------------------------------------

数据为 y = x（x > 0）和 0.1 x（x ≤ 0），取 [−2, 2] 上的 41 个点。LeakyReLU 的斜率 a = 0.01 是超参数：没有什么会改变它，它的损失一直是 0.0057。PReLU 的 a 从 0.25 开始，由 SGD（α = 0.05）通过 ∂L/∂a = 对 x ≤ 0 的输入求和的 Σ g·x 来学习：它学到了数据的斜率 0.1，损失降到 1.4×10⁻⁷。（笔记中的“Prarametic ReLU”应为 Parametric ReLU。）

.. files: leaky-prelu.png
.. command: optviz lesson leaky-prelu --palette --out leaky-prelu.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.leaky_prelu()  # LeakyReLU's a = 0.01 and PReLU's learned a
g.figure(result, "leaky-prelu.png")
