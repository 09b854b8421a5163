"""
Exploding ReLU gradients, and initialisation
============================================

The gradient reaching each layer of a 20-layer ReLU network (width n = 64, biases 0, 256
inputs). Each layer down multiplies it by Wᵀ, and ReLU passes about half of the units,
so E‖g‖² changes by σ²n/2 per layer: with weights N(0, 1) the gradient grows 5.45× per
layer (√32 = 5.66 predicted), 9.8×10¹³ times from layer 20 to layer 1, the notes' 梯度爆炸;
with N(0, 0.01) it shrinks 0.58× per layer (0.57 predicted). He's initialisation, Var w
= 2/n, makes the factor 1 (0.97 measured): the remedy the notes name (参数初始化).

ReLU 的梯度爆炸与参数初始化
---------------------------

一个 20 层 ReLU 网络（宽度 n = 64，偏置为 0，256 个输入）中传到每一层的梯度。每往下一层，梯度乘以 Wᵀ，而 ReLU 只让大约一半的单元通过，所以 E‖g‖² 每层变为原来的 σ²n/2 倍：权重取 N(0, 1) 时梯度每层增大 5.45 倍（预测 √32 = 5.66），从第 20 层到第 1 层共增大 9.8×10¹³ 倍，这就是笔记中的梯度爆炸；取 N(0, 0.01) 时每层缩小为 0.58 倍（预测 0.57）。He 初始化 Var w = 2/n 让这个倍数为 1（实测 0.97）：正是笔记所说的解决办法（参数初始化）。

.. files: relu-explosion.png
.. command: optviz lesson relu-explosion --palette --out relu-explosion.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.relu_explosion()  # 20 ReLU layers, three initialisations
g.figure(result, "relu-explosion.png")
