"""
A fair comparison: learning-rate sweeps on Rosenbrock
=====================================================

Each optimizer over 41 learning rates on Rosenbrock, and each at its own best rate: the
lowest f − f* after 500 steps (compare-rosenbrock runs at these rates). Adagrad's best α
is a lucky first jump close to the minimum, after which its shrinking steps leave it
almost flat: the weakness the notes warn about. The detailed figure adds the steps each
rate needs and the paths.

公平比较：Rosenbrock 函数上的学习率扫描
---------------------------------------

每个优化器在 Rosenbrock 上扫描 41 个学习率，并各自使用最佳学习率：500 步后 f − f* 最低的那个（compare-rosenbrock 使用同样的学习率）。Adagrad 的最佳 α 只是第一步恰好跳到最小值附近，之后步长不断缩小，曲线几乎是平的：这正是笔记所说的缺点。详细版还给出每个学习率所需的步数和各条路径。

.. files: sweep-rosenbrock.png, sweep-rosenbrock-detailed.png
.. command: optviz sweep rosenbrock --lr 1e-5:10:41 --tol 1e-3 --criterion loss --figure lecture --palette --out sweep-rosenbrock.png; optviz sweep rosenbrock --lr 1e-5:10:41 --tol 1e-3 --criterion loss --palette --out sweep-rosenbrock-detailed.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
lrs = (1e-5, 10.0, 41)  # 41 log-spaced learning rates
# best α: the lowest f - f* after the 500 steps (the rates compare-rosenbrock uses)
result = recipes.sweep("rosenbrock", lrs=lrs, tol=1e-3, criterion="loss", figure="lecture")
g.figure(result, "sweep-rosenbrock.png")
# the same sweep, drawn in detail: steps to tol against α, losses and paths
detailed = recipes.sweep(
    "rosenbrock", lrs=lrs, tol=1e-3, criterion="loss", record=result.record
)
g.figure(detailed, "sweep-rosenbrock-detailed.png")
