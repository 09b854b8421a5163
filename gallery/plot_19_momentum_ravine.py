"""
Momentum in a ravine
====================

In a ravine tuned momentum needs far fewer steps than tuned SGD, by the factor the rates
(√κ-1)/(√κ+1) and (κ-1)/(κ+1) predict.

山谷中的动量法
--------------

在山谷中，调好的动量法比调好的梯度下降所需步数少得多，正如收敛速度 (√κ-1)/(√κ+1) 与 (κ-1)/(κ+1) 所预言的倍数。

.. files: momentum-ravine.png
.. command: optviz lesson momentum-ravine --palette --out momentum-ravine.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.momentum_ravine(), "momentum-ravine.png")
