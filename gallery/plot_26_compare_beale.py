"""
The five optimizers on Beale
============================

Each at its best α: all reach the minimum along Beale's flat arm, where tiny gradients
make SGD slowest; Adam's per-coordinate steps cross it fastest.

五种优化器：Beale 函数
----------------------

各自使用最佳 α：都沿 Beale 曲面平坦的分支到达最小值；那里梯度很小，梯度下降最慢，Adam 按坐标缩放的步长最快穿过。

.. files: compare-beale.png, animate-beale.gif
.. command: optviz compare beale --tune --caption compare-beale --palette --out compare-beale.png; optviz animate beale --tune --panels trajectory,loss,lr --frames 90 --out animate-beale.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
subtitle = recipes.caption("compare-beale")  # the figure's one message
result = recipes.compare("beale", tune=True, subtitle=subtitle)  # each at fair settings
g.figure(result, "compare-beale.png")
panels = ("trajectory", "loss", "lr")
anim = recipes.animate("beale", record=result.record, panels=panels, frames=90, lang=g.lang)
g.gif(anim, "animate-beale.gif")
