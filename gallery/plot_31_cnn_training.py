"""
Training the CNN on digits, and its paths over the loss landscape
=================================================================

The small CNN trained with each optimizer at its default settings (not a ranking), three
times from different initial weights and batch orders: the median loss and number of
misclassified validation images per epoch, the band spanning the seeds, each optimizer's
last count written beside it. Then seed 0's five training paths, each on the plane of
its own top two principal directions (which holds most of that path; one plane shared by
all five would misrepresent them), over the loss on that plane, titled with the share of
the path it holds; the true loss at the recorded parameters; and a view that needs no
plane, the loss on the straight line from the start to each end point. The animation
draws, step by step, the path its own plane holds best.

在手写数字上训练 CNN，及其在损失地形上的路径
--------------------------------------------

同一个小型 CNN 分别用每种优化器（默认设置，未经调优，不构成排名）训练，每种用三组不同的初始权重和批次顺序各训练一次：图中是每轮损失和验证集中分错的图像数的中位数，色带覆盖三次训练的范围，每种优化器最后的错误数写在曲线旁。再把种子 0 的五条训练路径分别画在各自的平面上（该路径自己的前两个主方向，容纳了这条路径的绝大部分；五条路径共用一个平面会歪曲它们），叠在该平面的损失等高线上，标题写出平面容纳了路径的多大比例；下方是各路径在记录下的参数处的真实损失，以及不依赖平面的视图：从起点到每个终点的直线上的损失。动画逐步画出被自己的平面容纳得最好的那条路径。

.. files: cnn-training.png, cnn-landscape.png, cnn-landscape.gif
.. command: optviz train --seeds 3 --epochs 8 --snapshot-every 10 --palette --out cnn-training.png; optviz landscape cnn-training.npz --view own --images 256 --grid 9 --palette --out cnn-landscape.png; optviz landscape cnn-training.npz --view own --images 256 --grid 9 --out cnn-landscape.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
# the five defaults, 3 seeds; keep the parameters every 10 steps
result = recipes.train("digits", seeds=3, epochs=8, snapshot_every=10)
g.figure(result, "cnn-training.png")

land = recipes.landscape(  # seed 0: five paths from the same weights, each on its own plane
    run=result.record, view="own", images=256, grid=9, animate=True, lang=g.lang
)
g.figure(land, "cnn-landscape.png")
g.gif(land, "cnn-landscape.gif")
