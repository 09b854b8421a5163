"""
Where each start ends: Himmelblau's four minima
===============================================

Which of Himmelblau's four minima each optimizer reaches from every start of a grid,
each at its default α: the basins differ between optimizers. A lighter shade: the run
ended at that minimum but f − f* ≥ 10⁻⁶ after 200 steps; RMSprop does so from many
starts, because its r decays with g, so its steps do not shrink and it keeps moving
about the minimum.

每个起点到达哪里：Himmelblau 函数的四个最小值
---------------------------------------------

从网格上每个起点出发（各自使用默认 α），各优化器到达 Himmelblau 四个最小值中的哪一个：不同优化器的吸引域并不相同。颜色较浅：运行停在该最小值附近，但 200 步后 f − f* ≥ 10⁻⁶；RMSprop 有很多这样的起点，因为它的 r 随 g 一起衰减，步长不再缩小，于是一直在最小值附近来回移动。

.. files: startmap-himmelblau.png
.. command: optviz map himmelblau --metric basin --grid 120 --explain --palette --out startmap-himmelblau.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.startmap("himmelblau", grid=120, metric="basin", explain=True)
g.figure(result, "startmap-himmelblau.png")
