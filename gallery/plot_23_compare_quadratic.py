"""
The five optimizers on the quadratic bowl
=========================================

Tuned by the fair protocol (8 random starts): SGD and momentum land near their
closed-form settings. Dividing g by √r per coordinate takes out each axis's curvature (a
diagonal scaling: Adagrad's step x ← x − αx/√Σx² has no λ in it), so to Adagrad the bowl
looks round: its best α is huge, off the map at step 1 and near the minimum by step 3.
RMSprop and Adam end at an edge of their ρ range; RMSprop there is Adagrad (the same
path).

五种优化器：二次碗形函数
------------------------

按公平协议调参（8 个随机起点）：梯度下降和动量法的设置都接近解析最优值。按坐标把 g 除以 √r 消去了每个轴上的曲率（对角缩放：Adagrad 的步长 x ← x − αx/√Σx² 中没有 λ），所以在 Adagrad 看来碗形是圆的：它的最佳 α 非常大，第 1 步跳出图外，到第 3 步已回到最小值附近。RMSprop 和 Adam 的 ρ 落在取值范围的边界；在那里 RMSprop 就是 Adagrad（路径相同）。

.. files: compare-quadratic.png, animate-quadratic.gif
.. command: optviz compare quadratic --tune-starts 8 --caption compare-quadratic --palette --out compare-quadratic.png; optviz animate quadratic --tune-starts 8 --panels trajectory,loss,lr --frames 90 --fps 12 --out animate-quadratic.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
subtitle = recipes.caption("compare-quadratic")  # the figure's one message
# each tuned by the fair protocol over 8 random starts (edges widened, or labelled)
result = recipes.compare("quadratic", starts=8, subtitle=subtitle)
g.figure(result, "compare-quadratic.png")
panels = ("trajectory", "loss", "lr")
anim = recipes.animate(
    "quadratic", record=result.record, panels=panels, frames=90, fps=12, lang=g.lang
)
g.gif(anim, "animate-quadratic.gif")
