"""
How fast momentum converges: the (α, β) map
===========================================

Tuning β with α cuts the steps by about √κ on a quadratic of condition number κ: the
rate map from the iteration matrix, checked against real runs.

动量法的收敛速度：(α, β) 图
---------------------------

同时调节 β 和 α，可在条件数为 κ 的二次函数上把所需步数减少约 √κ 倍：由迭代矩阵算出的收敛速度图，并用实际运行加以验证。

.. files: rate-map.png
.. command: optviz lesson rate-map --palette --out rate-map.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.rate_map(), "rate-map.png")
