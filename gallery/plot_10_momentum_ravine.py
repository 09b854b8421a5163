"""
Momentum in a ravine
====================

On an elongated bowl SGD at a large learning rate zig-zags across the ravine; momentum
averages the zig-zag away and rolls along it.

峡谷中的动量
------------

在狭长的碗形曲面上，学习率较大的 SGD 在峡谷两侧来回震荡；动量把震荡平均掉，沿峡谷前进。

.. files: momentum-ravine.png
"""

from optviz.gallery import output
from optviz.optimizers import SGD, Momentum
from optviz.plot.teaching import paths_figure
from optviz.run import run_surface
from optviz.surfaces.quadratic import quadratic

g = output()  # where to write, how big, which language
surface = quadratic(kappa=20)
steps = g.steps(60)
run = run_surface(
    surface,
    {"sgd": SGD(lr=0.095), "momentum": Momentum(lr=0.02, momentum=0.8)},
    start=(-4.5, 2.5),
    steps=steps,
)
fig = paths_figure(
    surface,
    run,
    subtitle=f"{steps} steps",
    title="Momentum in a ravine: SGD zig-zags across it, momentum damps the zig-zag",
)
g.figure(fig, "momentum-ravine.png")
