"""
The five optimizers on Beale
============================

Each at its best α: all reach the minimum along Beale's flat arm, where tiny gradients
make SGD slowest; Adam's per-coordinate steps cross it fastest.

五种优化器：Beale 函数
----------------------

各自使用最佳 α：都沿 Beale 曲面平坦的分支到达最小值；那里梯度很小，梯度下降最慢，Adam 按坐标缩放的步长最快穿过。

.. files: compare-beale.png, animate-beale.gif
.. command: optviz compare beale; optviz animate beale --panels trajectory,loss,lr
"""

from optviz import lessons
from optviz.gallery import output
from optviz.surfaces import get

g = output()  # where to write, how big, which language
fig = lessons.compare("beale", small=g.small)  # each optimizer at fair settings
g.figure(fig, "compare-beale.png")
run = fig.optviz_data["run"]
g.animation(get("beale"), run, "animate-beale.gif", ("trajectory", "loss", "lr"))
