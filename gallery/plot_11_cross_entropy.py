"""
Cross-entropy with one-hot targets
==================================

With a one-hot target, cross-entropy is −ln p of the true class: near 0 when confidently
right, large when confidently wrong.

独热编码标签与交叉熵
--------------------

使用独热编码的标签时，交叉熵就是真实类别概率的负对数 −ln p：高置信度答对时接近 0，高置信度答错时很大。

.. files: cross-entropy.png
.. command: optviz lesson cross-entropy --palette --out cross-entropy.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.cross_entropy()  # the trained network on a 3 and on its worst mistake
g.figure(result, "cross-entropy.png")
