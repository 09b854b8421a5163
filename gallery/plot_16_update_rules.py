"""
The five update rules
=====================

SGD, momentum, Adagrad, RMSprop and Adam side by side in the notes' notation, each with
what it adds to the one before; where the notes are wrong: Adagrad's r is a sum of g²,
not a moving average, and Adam's default ρ2 is 0.999.

五种更新规则
------------

SGD、动量法、Adagrad、RMSprop 和 Adam 的更新规则，按笔记的记号并排列出，每一种都标出它在前一种基础上增加了什么。注意：Adagrad 的 r 是 g² 的累加和，而不是笔记所说的指数移动平均；Adam 的默认衰减率是 ρ1 = 0.9、ρ2 = 0.999。

.. files: update-rules.png
.. command: optviz lesson update-rules --palette --out update-rules.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.update_rules(), "update-rules.png")
