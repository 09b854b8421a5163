"""
Where each start ends: Himmelblau's four minima
===============================================

Which of Himmelblau's four minima each optimizer reaches from every start of a grid: the
basins are not the same for every optimizer; large steps carry some starts over a ridge
into another basin.

每个起点到达哪里：Himmelblau 函数的四个最小值
---------------------------------------------

从网格上每个起点出发，各优化器到达 Himmelblau 四个最小值中的哪一个：不同优化器的吸引域并不相同；步长大时，部分起点会越过山脊进入另一个吸引域。

.. files: startmap-himmelblau.png
.. command: optviz map himmelblau --metric basin --grid 120 --explain --palette --out startmap-himmelblau.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.startmap("himmelblau", grid=120, metric="basin", explain=True)
g.figure(result, "startmap-himmelblau.png")
