"""
The five optimizers on the quadratic bowl
=========================================

Each at its best α (and β): SGD must keep α below 2/λmax and zig-zags; momentum needs
about half its steps; Adam's own momentum (ρ1 = 0.9) makes it circle the minimum.

五种优化器：二次碗形函数
------------------------

各自使用最佳 α（和 β）：梯度下降的 α 必须小于 2/λmax，来回震荡；动量法只需约一半的步数；Adam 自带的动量（ρ1 = 0.9）使它绕着最小值打转。

.. files: compare-quadratic.png, animate-quadratic.gif
.. command: optviz compare quadratic --tune --caption compare-quadratic --palette --out compare-quadratic.png; optviz animate quadratic --tune --panels trajectory,loss,lr --frames 90 --out animate-quadratic.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
subtitle = recipes.caption("compare-quadratic")  # the figure's one message
result = recipes.compare("quadratic", tune=True, subtitle=subtitle)  # each at fair settings
g.figure(result, "compare-quadratic.png")
panels = ("trajectory", "loss", "lr")
anim = recipes.animate(
    "quadratic", record=result.record, panels=panels, frames=90, lang=g.lang
)
g.gif(anim, "animate-quadratic.gif")
