"""
The five optimizers on the saddle
=================================

One α for all (momentum at the same steady step α/(1 − β)). Near the saddle the gradient
along the escape direction y is tiny: RMSprop and Adam divide g by √r, so their steps do
not shrink with it and they escape first; SGD and momentum follow as |g| grows;
Adagrad's r sums every g², so its steps shrink and it escapes last.

五种优化器：鞍面
----------------

所有优化器使用同一个 α（动量法取相同的稳态步长 α/(1 − β)）。鞍点附近逃离方向 y 上的梯度很小：RMSprop 和 Adam 把 g 除以 √r，步长不随梯度变小，最先逃离；梯度下降和动量法随 |g| 增大而随后逃离；Adagrad 的 r 累加所有 g²，步长不断缩小，最后逃离。

.. files: compare-saddle.png, animate-saddle.gif
.. command: optviz compare saddle -o sgd:lr=0.02 -o momentum:lr=0.002,momentum=0.9 -o adagrad:lr=0.02 -o rmsprop:lr=0.02 -o adam:lr=0.02 --steps 200 --caption compare-saddle --palette --out compare-saddle.png; optviz animate saddle -o sgd:lr=0.02 -o momentum:lr=0.002,momentum=0.9 -o adagrad:lr=0.02 -o rmsprop:lr=0.02 -o adam:lr=0.02 --steps 200 --panels trajectory,loss --size 1120x640 --frames 90 --fps 12 --out animate-saddle.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
subtitle = recipes.caption("compare-saddle")  # the figure's one message
# one α for all (a saddle has no minimum to tune towards); momentum at α(1 - β), so
# its steady step α/(1 - β) is the same
alpha, beta = 0.02, 0.9
specs = [f"sgd:lr={alpha}", f"momentum:lr={alpha * (1 - beta):g},momentum={beta}"]
specs += [f"{name}:lr={alpha}" for name in ("adagrad", "rmsprop", "adam")]
result = recipes.compare("saddle", specs, steps=200, subtitle=subtitle)
g.figure(result, "compare-saddle.png")
# the escape is in the loss: one tall loss panel, so its symlog axis reads in full
panels, size = ("trajectory", "loss"), (1120, 640)
anim = recipes.animate(
    "saddle",
    record=result.record,
    panels=panels,
    frames=90,
    fps=12,
    size=size,
    lang=g.lang,
)
g.gif(anim, "animate-saddle.gif")
