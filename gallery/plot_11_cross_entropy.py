"""
Cross-entropy with one-hot targets
==================================

With a one-hot target, cross-entropy is −ln p of the true class.

独热编码标签与交叉熵
--------------------

使用独热编码的标签时，交叉熵就是真实类别概率的负对数 −ln p。

.. files: cross-entropy.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.cross_entropy()  # the trained network's scores for a 3
g.figure(result, "cross-entropy.png")
