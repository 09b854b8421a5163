"""
The five optimizers on Beale
============================

Each at its best α: all five reach the minimum (3, 0.5); after 300 steps Adam's f − f*
is the lowest and SGD's the highest: where the gradients are tiny, SGD's steps shrink
with them, while Adam's per-coordinate steps g/√r do not.

五种优化器：Beale 函数
----------------------

各自使用最佳 α：五种方法都到达最小值 (3, 0.5)；300 步后 Adam 的 f − f* 最低，梯度下降的最高：梯度很小时，梯度下降的步长随之变小，而 Adam 按坐标的步长 g/√r 不会。

.. files: compare-beale.png, animate-beale.gif
.. command: optviz compare beale --tune --caption compare-beale --palette --out compare-beale.png; optviz animate beale --tune --panels trajectory,loss,lr --frames 90 --fps 12 --out animate-beale.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
subtitle = recipes.caption("compare-beale")  # the figure's one message
result = recipes.compare("beale", tune=True, subtitle=subtitle)  # each at fair settings
g.figure(result, "compare-beale.png")
panels = ("trajectory", "loss", "lr")
anim = recipes.animate(
    "beale", record=result.record, panels=panels, frames=90, fps=12, lang=g.lang
)
g.gif(anim, "animate-beale.gif")
