"""
The five optimizers on Rosenbrock
=================================

Each at its best α from the learning-rate sweep (sweep-rosenbrock): all drop into the
curved valley at once, then crawl along it; RMSprop's step grows when r forgets the
steep wall.

五种优化器：Rosenbrock 函数
---------------------------

各自使用 Rosenbrock 学习率扫描图中的最佳 α：都很快落入弯曲的山谷，然后沿谷底缓慢前进；RMSprop 的 r 忘记陡峭的谷壁后步长变大。

.. files: compare-rosenbrock.png, animate-rosenbrock.gif
.. command: optviz compare rosenbrock -o sgd:lr=0.00354813 -o momentum:lr=0.00251189,momentum=0.9 -o adagrad:lr=1.77828 -o rmsprop:lr=0.223872 -o adam:lr=0.891251 --footnote "each at its best α from sweep-rosenbrock: the lowest f − f* after 500 steps of 41 log-spaced α in [1e-05, 10]" --caption compare-rosenbrock --palette --out compare-rosenbrock.png; optviz animate rosenbrock -o sgd:lr=0.00354813 -o momentum:lr=0.00251189,momentum=0.9 -o adagrad:lr=1.77828 -o rmsprop:lr=0.223872 -o adam:lr=0.891251 --panels trajectory,loss,lr --frames 90 --fps 12 --out animate-rosenbrock.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
subtitle = recipes.caption("compare-rosenbrock")  # the figure's one message
# each at its best α from the sweep of sweep-rosenbrock (6 significant digits)
specs = [
    "sgd:lr=0.00354813",
    "momentum:lr=0.00251189,momentum=0.9",
    "adagrad:lr=1.77828",
    "rmsprop:lr=0.223872",
    "adam:lr=0.891251",
]
footnote = (
    "each at its best α from sweep-rosenbrock: the lowest f − f* after 500 steps of "
    "41 log-spaced α in [1e-05, 10]"
)
result = recipes.compare("rosenbrock", specs, subtitle=subtitle, footnote=footnote)
g.figure(result, "compare-rosenbrock.png")
panels = ("trajectory", "loss", "lr")
anim = recipes.animate(
    "rosenbrock", record=result.record, panels=panels, frames=90, fps=12, lang=g.lang
)
g.gif(anim, "animate-rosenbrock.gif")
