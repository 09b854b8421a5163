"""
Gradient descent on L(w, b)
===========================

The notes' loss over two parameters: full-batch gradient descent goes straight down the
bowl, mini-batch SGD (random batches of 8, no repetition within an epoch) takes a noisy
path to the same place.

在 L(w, b) 上的梯度下降
-----------------------

笔记中的二元损失函数：全批量梯度下降沿碗底直线下降，小批量随机梯度下降（每批 8 个样本，每轮内不重复）走一条带噪声的路径到达同一位置。

.. files: linear-regression.png, linear-regression.gif
"""

from optviz.gallery import output
from optviz.optimizers import SGD
from optviz.plot.teaching import VARIANT_COLORS, linear_regression_figure
from optviz.run import run_surface
from optviz.surfaces.linear_regression import linear_regression, make_data

g = output()  # where to write, how big, which language
surface = linear_regression()
x, y = make_data(**surface.params)
steps = g.steps(100)
run = run_surface(surface, {"full batch": SGD(lr=0.25)}, steps=steps)
noisy = run_surface(
    surface, {"mini-batch (8)": SGD(lr=0.25)}, steps=steps, batch_size=8, seed=0
)
run.trajectories += noisy.trajectories  # one run, two paths
for traj, color in zip(run, VARIANT_COLORS):
    traj.color = color
g.figure(linear_regression_figure(surface, run, x, y), "linear-regression.png")
g.animation(surface, run, "linear-regression.gif", ("trajectory", "loss"))
