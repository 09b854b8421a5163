"""
Which optimizer adds which idea to which
========================================

Each optimizer's ideas as its class declares them (Adam.ideas, Lion.ideas, ...): a large
mark where it adds the idea to the optimizer it builds on (the one whose ideas are the
largest part of its own), a small one where it has it from there. Adam is momentum plus
per-coordinate scaling and bias correction; AdamW adds decoupled decay; RAdam adds the
rectification; Lion and Rprop step the sign; Schedule-Free keeps an average; Muon
orthogonalises.

哪种优化器在哪种之上增加了哪个想法
----------------------------------

每种优化器的想法都取自它自己的类（Adam.ideas、Lion.ideas ……）：大圆点表示它在所继承的优化器（想法是它自身想法中最大一部分的那一种）之上增加的想法，小圆点表示从那里继承来的想法。Adam 是动量加上按坐标缩放和偏差修正；AdamW 再加上解耦的权重衰减；RAdam 加上整流；Lion 和 Rprop 只用符号；Schedule-Free 保留平均值；Muon 做正交化。

.. files: optimizer-families.png
.. command: optviz lesson optimizer-families --palette --out optimizer-families.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
# every registered optimizer's ideas, read from its class (Adam.ideas, Lion.ideas, ...)
g.figure(recipes.optimizer_families(), "optimizer-families.png")
