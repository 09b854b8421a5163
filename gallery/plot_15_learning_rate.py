"""
The learning rate α
===================

Too small crawls, right arrives, too large zig-zags, and beyond 2/λmax every step lands
further out: gradient descent diverges.

学习率 α
--------

学习率太小走得慢，合适则很快到达，太大会来回震荡，超过 2/λmax 后每一步都落得更远：梯度下降发散。

.. files: learning-rate.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.learning_rate(), "learning-rate.png")
