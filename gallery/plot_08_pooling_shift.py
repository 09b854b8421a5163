"""
Pooling: whether, not where; max pooling keeps the strongest
============================================================

Max and average pooling keep whether a feature is in a window, not where; max also keeps
the strongest response.

池化：有没有，而不是在哪里；最大池化保留最强的响应
--------------------------------------------------

最大池化和平均池化都只保留窗口里有没有特征，不保留它在哪里；最大池化还保留最强的响应。

.. files: pooling-shift.png
.. command: optviz lesson pooling-shift --palette --out pooling-shift.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.pooling_shift(pool=2)
g.figure(result, "pooling-shift.png")
