"""
Max pooling: whether, not where
===============================

Max pooling keeps whether a feature is in a window, not where: a one-pixel shift inside
the windows changes nothing.

最大池化：有没有，而不是在哪里
------------------------------

最大池化只关注窗口里有没有特征，不关注它在哪里：在窗口内平移一个像素，输出不变。

.. files: pooling-shift.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.pooling_shift(pool=2)
g.figure(result, "pooling-shift.png")
