"""
Momentum's sum vs Adam's average
================================

Under a constant gradient g, heavy-ball momentum's step −v grows to 1/(1 − β) = 10 times
SGD's (β = 0.9): v = βv − αg is an unnormalised sum of past gradients, the one of k
steps ago weighted βᵏ. Adam's s = ρ1·s + (1 − ρ1)·g is their average: weights (1 −
ρ1)·ρ1ᵏ that sum to 1 (to 1 − ρ1ᵗ, which ŝ = s/(1 − ρ1ᵗ) divides out), so its step stays
α. This ends the notes' unfinished sentence "此处并没有计算梯度的一阶矩，因为实际上…": momentum's v is a
sum, not an average.

动量的求和与 Adam 的平均
------------------------

在恒定梯度 g 下，重球动量的步长 −v 增长到 SGD 的 1/(1 − β) = 10 倍（β = 0.9）：v = βv − αg 是过去梯度的未归一化求和，k 步之前的梯度权重为 βᵏ。Adam 的 s = ρ1·s + (1 − ρ1)·g 是它们的平均：权重 (1 − ρ1)·ρ1ᵏ 之和为 1（前 t 步之和为 1 − ρ1ᵗ，ŝ = s/(1 − ρ1ᵗ) 正好除掉它），所以它的步长保持为 α。这补全了笔记中没写完的那句话“此处并没有计算梯度的一阶矩，因为实际上…”：因为动量的 v 是求和，而不是平均。

.. files: momentum-sum-vs-adam-average.png
.. command: optviz lesson momentum-sum-vs-adam-average --palette --out momentum-sum-vs-adam-average.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.momentum_sum()  # a constant g: momentum's v and Adam's s
g.figure(result, "momentum-sum-vs-adam-average.png")
