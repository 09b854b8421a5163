"""
Adagrad sums, RMSprop and Adam average
======================================

Adagrad's r is a sum of all past g² (the notes call it a moving average; it is not), so
its rate falls like 1/√t; RMSprop's and Adam's average does not.

Adagrad 求和，RMSprop 与 Adam 取平均
------------------------------------

Adagrad 的 r 是所有过去 g² 的总和（笔记称之为移动平均，其实不是），所以它的学习率按 1/√t 下降；RMSprop 和 Adam 的平均不会。

.. files: sum-vs-average.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.sum_vs_average(), "sum-vs-average.png")
