"""
Softmax and the losses
======================

Softmax turns scores into probabilities that sum to 1; MSE, binary and multi-class
cross-entropy as functions of the prediction: cross-entropy punishes a confident wrong
answer without bound, while MSE on probabilities (ŷ and y in [0, 1]) stays at most 1.

Softmax 与损失函数
------------------

Softmax 把各类别的得分变成和为 1 的概率（置信度）；MSE、二分类交叉熵和多分类交叉熵随预测值变化的曲线：对于高置信度的错误预测，交叉熵的损失没有上限，而预测值在 0 到 1 之间时 MSE 的损失最多为 1。

.. files: losses.png
.. command: optviz lesson losses --palette --out losses.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.losses()
g.figure(result, "losses.png")
