"""
Momentum's β
============

Each β at its best α on a ravine of κ = 20: β = 0.5, nearest the optimum β* =
((√κ−1)/(√κ+1))² ≈ 0.40, alone reaches f − f* < 10⁻⁴ in 60 steps; β = 0.9 ends behind no
momentum and β = 0.99 has not converged: too much β overshoots.

动量法的 β
----------

在 κ = 20 的山谷中，每个 β 各用其最佳 α：β = 0.5 最接近最优值 β* = ((√κ−1)/(√κ+1))² ≈ 0.40，只有它在 60 步内达到 f − f* < 10⁻⁴；β = 0.9 最终落后于不加动量，β = 0.99 尚未收敛：β 太大会冲过最小值。

.. files: momentum-beta.png
.. command: optviz lesson momentum-beta --palette --out momentum-beta.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.momentum_beta(), "momentum-beta.png")
