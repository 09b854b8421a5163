"""
A fair comparison: learning-rate sweeps and start-point maps
============================================================

Each optimizer over 41 learning rates on Rosenbrock, and each at its own best rate;
which of Himmelblau's four minima each optimizer reaches from every start of a grid.

公平比较：学习率扫描与起点图
----------------------------

每个优化器在 Rosenbrock 上扫描 41 个学习率，并各自使用最佳学习率；以及从网格上每个起点出发，各优化器到达 Himmelblau 四个最小值中的哪一个。

.. files: sweep-rosenbrock.png, startmap-himmelblau.png
.. command: optviz sweep rosenbrock --tol 1e-3; optviz map himmelblau --metric basin
"""

from optviz.gallery import output
from optviz.plot.maps import map_figure
from optviz.plot.sweep import sweep_figure
from optviz.run import run_surface
from optviz.spec import build_optimizers
from optviz.startmap import start_map
from optviz.surfaces import get
from optviz.sweep import best_optimizers, lr_grid, lr_sweep

g = output()  # where to write, how big, which language
surface = get("rosenbrock")
steps = g.steps(500)
optimizers = build_optimizers([], surface, steps=steps)  # the five defaults
n = g.pick(41, small=9)
sweep = lr_sweep(
    surface, optimizers, lr_grid(1e-5, 10.0, n), steps=steps, tol=1e-3, lr_how="grid"
)
best_run = run_surface(surface, best_optimizers(sweep, optimizers), steps=steps)
note = f"{n} log-spaced learning rates in [1e-05, 10]; tol 1e-3"
g.figure(sweep_figure(surface, sweep, best_run, footnote=note), "sweep-rosenbrock.png")

himmelblau = get("himmelblau")
smap = start_map(
    himmelblau,
    build_optimizers([], himmelblau),
    grid=g.pick(120, small=20),
    steps=g.steps(himmelblau.steps),
)
note = "learning rates: the surface's defaults; basin: nearest global minimum"
fig = map_figure(himmelblau, smap, "basin", footnote=note)
g.figure(fig, "startmap-himmelblau.png")
