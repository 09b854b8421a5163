"""
The learning rate α
===================

On a parabola any α below 2/λ converges and beyond it every step lands further out. On
L(w, b) one α serves two curvatures: the best is α* = 2/(λmax + λmin) = 0.398, just
under the limit 2/λmax = 0.424; too small (0.1 α*) crawls, too large (between the two)
zig-zags, beyond the limit it diverges.

学习率 α
--------

在一维二次函数 f = λw²/2 上，α 小于 2/λ 就会收敛，超过后每一步都落得更远。在 L(w, b) 上一个 α 要同时适应两个曲率：最佳值是 α* = 2/(λmax + λmin) = 0.398，略小于上限 2/λmax = 0.424；太小（0.1 α*）走得慢，太大（在两者之间）来回震荡，超过上限则发散。

.. files: learning-rate.png
.. command: optviz lesson learning-rate --palette --out learning-rate.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.learning_rate(), "learning-rate.png")
