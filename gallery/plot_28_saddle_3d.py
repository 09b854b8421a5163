"""
Escaping a saddle, in 3-D
=========================

The saddle x² − y² in 3-D, one panel per optimizer, all at one α = 0.02: RMSprop and
Adam roll off first; SGD and momentum linger near the top, where the gradient along y is
tiny, then roll off; Adagrad's steps shrink, and after 200 steps it has not escaped.

逃离鞍点（三维视图）
--------------------

鞍面 x² − y² 的三维视图，每个优化器一个子图，全部使用同一个 α = 0.02：RMSprop 和 Adam 最先滚下去；梯度下降和动量法先在鞍点附近徘徊（那里沿 y 方向的梯度很小），随后才滚下去；Adagrad 的步长不断缩小，200 步后仍未逃离。

.. files: saddle-3d.png
.. command: optviz compare saddle -o sgd:lr=0.02 -o momentum:lr=0.002,momentum=0.9 -o adagrad:lr=0.02 -o rmsprop:lr=0.02 -o adam:lr=0.02 --steps 200 --caption saddle-3d --view 3d --palette --out saddle-3d.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
subtitle = recipes.caption("saddle-3d")
# the runs of compare-saddle: one α for all, momentum at the same steady step
alpha, beta = 0.02, 0.9
specs = [f"sgd:lr={alpha}", f"momentum:lr={alpha * (1 - beta):g},momentum={beta}"]
specs += [f"{name}:lr={alpha}" for name in ("adagrad", "rmsprop", "adam")]
result = recipes.compare("saddle", specs, steps=200, subtitle=subtitle, view="3d")
g.figure(result, "saddle-3d.png")  # one 3-D panel per optimizer
