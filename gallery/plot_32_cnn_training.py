"""
Training the CNN on digits, and its paths over the loss landscape
=================================================================

The small CNN trained with each optimizer at its default settings (not a ranking), three
times from different initial weights and batch orders: the median loss and validation
error rate per epoch, the band spanning the seeds; the error rate's log axis shows the
last few percent, where the optimizers differ. Then seed 0's five training paths
projected onto one shared plane, the top two principal directions of all paths, over the
loss on that plane, each path marked with the share of it that lies in the plane (where
that share is small, where the path seems to go is not where it went); the loss at each
path's recorded parameters; and a view that needs no plane, the loss on the straight
line from the start to each end point. The animation draws the paths step by step.

在手写数字上训练 CNN，及其在损失地形上的路径
--------------------------------------------

同一个小型 CNN 分别用每种优化器（默认设置，未经调优，不构成排名）训练，每种用三组不同的初始权重和批次顺序各训练一次：图中是每轮损失和验证集错误率的中位数，色带覆盖三次训练的范围；错误率用对数坐标，才能看清各优化器真正有差别的最后几个百分点。再把种子 0 的五条训练路径投影到同一个平面（所有路径的前两个主方向）上，画在该平面的损失等高线上，并标出每条路径有多大比例位于该平面内（比例小时，路径在图上看似去往的地方并不是它真正去的地方）；中间是各路径在记录下的参数处的真实损失；右边是不依赖平面的视图：从起点到每个终点的直线上的损失。动画逐步画出各条路径。

.. files: cnn-training.png, cnn-landscape.png, cnn-landscape.gif
.. command: optviz train --seeds 3 --epochs 8 --snapshot-every 10; optviz landscape --view both
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
# the five defaults, 3 seeds; keep the parameters every 10 steps
result = recipes.train("digits", seeds=3, epochs=8, snapshot_every=10)
g.figure(result, "cnn-training.png")

land = recipes.landscape(  # seed 0: five paths from the same weights
    run=result.record, view="both", images=256, grid=21, animate=True, lang=g.lang
)
g.figure(land, "cnn-landscape.png")
g.gif(land, "cnn-landscape.gif")
