"""
The CNN on digits, and its paths over the loss landscape
========================================================

The same small CNN trained from the same weights with each optimizer: loss and accuracy
per epoch; then the five parameter paths projected onto one shared plane (the top two
principal directions of all paths) over the loss on that plane, with the share of each
path's variance the plane captures.

手写数字上的 CNN 及其在损失地形上的路径
---------------------------------------

同一个小型 CNN 从相同的初始权重出发，用每种优化器训练：每轮的损失和准确率；再把五条参数路径投影到同一个平面（所有路径的前两个主方向）上，画在该平面的损失等高线上，并标出平面解释的方差比例。

.. files: cnn-training.png, cnn-landscape.png, cnn-landscape.gif
.. command: optviz train --snapshot-every 10; optviz landscape
"""

from optviz.gallery import output
from optviz.landscape import training_landscape
from optviz.nn.data import load_dataset
from optviz.nn.model import default_cnn
from optviz.nn.trainer import train_optimizers
from optviz.plot.landscape import landscape_figure
from optviz.plot.training import curves_figure

g = output()  # where to write, how big, which language
data = load_dataset("digits", seed=0, limit=g.pick(None, small=300))
run = train_optimizers(  # the five defaults, from the same weights
    data, epochs=g.pick(20, small=2), seed=0, snapshot_every=g.pick(10, small=2)
)
g.figure(curves_figure(run), "cnn-training.png")

model = default_cnn(data.image_shape, data.n_classes, seed=0)  # the starting weights
n = g.pick(512, small=64)  # images the loss is evaluated on
land = training_landscape(
    run, model, data.x_train[:n], data.y_train[:n], grid=g.pick(31, small=7)
)
g.figure(landscape_figure(land), "cnn-landscape.png")
g.animation(
    land.as_surface(), land.as_run(), "cnn-landscape.gif", ("trajectory", "loss"), frames=60
)
