"""
Adagrad vs RMSprop vs Adam: the effective learning rate
=======================================================

With noisy gradients Adagrad's accumulated r only grows, so its effective learning rate
alpha/(sqrt(r)+delta) decays towards zero; RMSprop's moving average and Adam keep it
steady.

Adagrad、RMSprop 与 Adam：有效学习率
------------------------------------

梯度有噪声时，Adagrad 累积的 r 只增不减，有效学习率 α/(√r+δ) 趋向于零；RMSprop 的移动平均和 Adam 让它保持稳定。

.. files: adaptive-lr.png, adaptive-lr.gif
.. command: optviz lr linear_regression -o adagrad -o rmsprop -o adam
"""

from optviz.gallery import output
from optviz.optimizers import Adagrad, Adam, RMSprop
from optviz.plot.lr import lr_figure
from optviz.run import run_surface
from optviz.surfaces.linear_regression import linear_regression

g = output()  # where to write, how big, which language
surface = linear_regression()
steps = g.steps(1000)
run = run_surface(
    surface,
    {"adagrad": Adagrad(lr=0.5), "rmsprop": RMSprop(lr=0.02), "adam": Adam(lr=0.05)},
    steps=steps,
    batch_size=2,
    seed=0,
    record_state=True,  # r, s and the effective learning rate after every step
)
note = (
    f"{steps} mini-batch steps (batch 2) on the linear-regression loss: the "
    "noisy gradients never vanish, so Adagrad's sum r keeps growing and its "
    "learning rate keeps falling, while RMSprop's and Adam's moving averages "
    "level off"
)
g.figure(lr_figure(surface, run, footnote=note), "adaptive-lr.png")
g.animation(surface, run, "adaptive-lr.gif", ("trajectory", "lr"))
