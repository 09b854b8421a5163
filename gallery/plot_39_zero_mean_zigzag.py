"""
Non-zero-mean inputs: same-sign updates, a zig-zag
==================================================

One linear unit y = w·x learns w* = (1, −1) by per-sample SGD (α = 0.5). The update of
one sample is Δw = −α (w·x − y) x: when every input is positive (x ~ U(0, 1)², like the
outputs of a sigmoid or a ReLU), both components have the sign of −(w·x − y), so all 60
updates move w1 and w2 the same way (100%), and w reaches w*, up in w1 and down in w2,
by a zig-zag 4.2 long. The same inputs centred (x − 0.5) move them the same way in 42%
of the updates, and the path is 1.8 long. This is the notes' point about non-zero-mean
activations: every update of a unit's weights keeps one sign; zero-centred outputs
(tanh) or normalisation avoid it.

非零均值的输入：同号的更新，锯齿形的路径
----------------------------------------

一个线性单元 y = w·x 用逐样本 SGD（α = 0.5）学习 w* = (1, −1)。一个样本带来的更新是 Δw = −α (w·x − y) x：当所有输入都为正（x ~ U(0, 1)²，就像 sigmoid 或 ReLU 的输出）时，两个分量都与 −(w·x − y) 同号，所以全部 60 次更新都让 w1 和 w2 朝同一方向变化（100%），而 w* 要求 w1 增大、w2 减小，w 只能走一条长 4.2 的锯齿形路径。同样的输入减去均值（x − 0.5）后，只有 42% 的更新同向，路径长 1.8。这正是笔记所说的非零均值激活函数的问题：一个单元的权重每次更新都同号；零均值的输出（tanh）或归一化可以避免它。

.. files: zero-mean-zigzag.png
.. command: optviz lesson zero-mean-zigzag --palette --out zero-mean-zigzag.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.zero_mean_zigzag()  # one linear unit, inputs > 0 and centred
g.figure(result, "zero-mean-zigzag.png")
