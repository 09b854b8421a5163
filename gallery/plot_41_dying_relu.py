"""
Dying ReLU: units that never learn again
========================================

A 2-64-1 ReLU network fits y = sin(2x1) + x2 on 256 samples by full-batch SGD from the
same He initialisation. With α = 0.1 the first steps overshoot (the loss jumps to 409)
and push 45 units' inputs w·x + b below 0 for every sample within 10 steps, 50 by step
200. A dead unit outputs 0 and gets gradient 0 for the whole data set, so its weights
never change again (checked: equal to when it died), and the loss stays at 0.3. With α =
0.05 no unit dies and the loss falls to 0.11. This is the notes' 神经元死亡; LeakyReLU and
PReLU keep a small slope for x ≤ 0 against it.

神经元死亡：再也学不动的 ReLU 单元
----------------------------------

一个 2-64-1 的 ReLU 网络从同一个 He 初始化出发，用全批量 SGD 拟合 256 个样本上的 y = sin(2x1) + x2。α = 0.1 时，最初几步越过了头（损失跳到 409），10 步之内就把 45 个单元的输入 w·x + b 推到对所有样本都小于 0，到第 200 步共 50 个。死亡的单元输出 0，对整个数据集的梯度都是 0，所以它的权重再也不会改变（已检验：与死亡时相同），损失停在 0.3。α = 0.05 时没有单元死亡，损失降到 0.11。这就是笔记中的神经元死亡；LeakyReLU 和 PReLU 在 x ≤ 0 时保留一个小斜率来避免它。

.. files: dying-relu.png
.. command: optviz lesson dying-relu --palette --out dying-relu.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.dying_relu()  # a 2-64-1 ReLU network at α = 0.05 and 0.1
g.figure(result, "dying-relu.png")
