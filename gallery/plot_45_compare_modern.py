"""
Five modern optimizers, tuned, on Matyas and Booth
==================================================

Adam, AdamW, Lion, Schedule-Free AdamW and RAdam, each tuned by the fair protocol over 8
random starts and drawn from one start. AdamW's decoupled decay pulls w towards 0: on
Matyas, whose minimum is at 0, AdamW is the first to reach f − f* < 10⁻⁴; on Booth,
whose minimum is (1, 3), it never gets there. Lion's step α·sign(·) has one size in
every coordinate, so it never settles: in its last 20 steps f − f* is back above 10⁻⁴ on
both surfaces. Schedule-Free AdamW is drawn at y, the point where its gradient is
evaluated (the reference's train mode), not at its average x.

五种新式优化器：调参后在 Matyas 和 Booth 函数上
-----------------------------------------------

Adam、AdamW、Lion、Schedule-Free AdamW 和 RAdam，各自按公平协议在 8 个随机起点上调参，并从同一个起点画出。AdamW 的解耦权重衰减把 w 拉向 0：在最小值位于 0 的 Matyas 函数上，AdamW 最先达到 f − f* < 10⁻⁴；在最小值位于 (1, 3) 的 Booth 函数上，它始终达不到。Lion 的步长 α·sign(·) 在每个坐标上大小相同，所以它始终停不下来：在两个函数上，最后 20 步中 f − f* 都会重新超过 10⁻⁴。Schedule-Free AdamW 画的是 y，即计算梯度的点（参考实现的训练模式），而不是它的平均值 x。

.. files: compare-modern-matyas.png, compare-modern-booth.png
.. command: optviz compare matyas -o adam -o adamw -o lion -o sfadamw -o radam --tune-starts 8 --palette --out compare-modern-matyas.png; optviz compare booth -o adam -o adamw -o lion -o sfadamw -o radam --tune-starts 8 --palette --out compare-modern-booth.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
modern = ["adam", "adamw", "lion", "sfadamw", "radam"]
# each tuned by the fair protocol over 8 random starts (edges widened, or labelled)
result = recipes.compare("matyas", modern, starts=8)
g.figure(result, "compare-modern-matyas.png")
result = recipes.compare("booth", modern, starts=8)
g.figure(result, "compare-modern-booth.png")
