"""
Initialisation: random weights break the symmetry
=================================================

A 2-3-1 tanh network learns XOR by full-batch SGD (α = 0.2), its biases starting at 0.
When every weight starts at 0.5, the three hidden units compute the same output and get
the same gradient, so they stay equal at every step (largest difference 0) and work as
one unit: the loss is still 0.74 after 150 steps. Random weights make the units differ
from the first step, and the loss falls to 1.9×10⁻¹². It is the random weights that
break the symmetry, not the bias (as the notes say): a bias that starts equal for every
unit breaks nothing.

初始化：随机权重打破对称
------------------------

一个 2-3-1 的 tanh 网络用全批量 SGD（α = 0.2）学习异或，偏置都从 0 开始。所有权重都从 0.5 开始时，三个隐藏单元算出相同的输出、得到相同的梯度，所以每一步都保持相等（最大差值 0），合起来只相当于一个单元：150 步后损失仍为 0.74。随机权重让各单元从第一步起就不同，损失降到 1.9×10⁻¹²。打破对称的是随机的权重，而不是笔记所说的偏置：所有单元的偏置从同一个值开始时，它什么也打破不了。

.. files: initialisation.png
.. command: optviz lesson initialisation --palette --out initialisation.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.initialisation()  # a 2-3-1 tanh network on XOR, equal and random starts
g.figure(result, "initialisation.png")
