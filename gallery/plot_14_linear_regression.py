"""
Gradient descent on L(w, b)
===========================

Full-batch gradient descent follows -g, which bends with the tilted bowl; mini-batch SGD
(batches of 8, no repetition within an epoch) takes 5 cheaper steps per epoch, gets
close sooner per sample read, then jitters at a noise floor near, not at, the
least-squares fit.

用梯度下降最小化 L(w, b)
------------------------

全批量梯度下降沿 -g 前进，路径随倾斜的碗形弯曲；小批量随机梯度下降（每批 8 个样本，每轮内不重复）每轮走 5 个更便宜的步，按读取的样本数计更快接近最小值，之后在最小二乘解附近（而不是恰好在它上面）的噪声水平上抖动。

.. files: linear-regression.png, linear-regression.gif
.. command: optviz lesson linear-regression --palette --out linear-regression.png; optviz lesson linear-regression --out linear-regression.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.linear_regression(), "linear-regression.png")
# the animation counts steps: both paths get the same number of steps
g.gif(recipes.linear_regression(animate=True, lang=g.lang), "linear-regression.gif")
