"""
The five optimizers on the quadratic bowl
=========================================

Each at its best α (and β): SGD must keep α below 2/λmax and zig-zags; momentum needs
about half its steps; Adam's own momentum (ρ1 = 0.9) makes it circle the minimum.

五种优化器：二次碗形函数
------------------------

各自使用最佳 α（和 β）：梯度下降的 α 必须小于 2/λmax，来回震荡；动量法只需约一半的步数；Adam 自带的动量（ρ1 = 0.9）使它绕着最小值打转。

.. files: compare-quadratic.png, animate-quadratic.gif
.. command: optviz compare quadratic; optviz animate quadratic --panels trajectory,loss,lr
"""

from optviz import lessons
from optviz.gallery import output
from optviz.surfaces import get

g = output()  # where to write, how big, which language
fig = lessons.compare("quadratic", small=g.small)  # each optimizer at fair settings
g.figure(fig, "compare-quadratic.png")
run = fig.optviz_data["run"]
g.animation(get("quadratic"), run, "animate-quadratic.gif", ("trajectory", "loss", "lr"))
