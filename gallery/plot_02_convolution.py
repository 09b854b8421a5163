"""
Convolution and pooling
=======================

Each 3×3 kernel makes its own feature map from the same digit (convolution, then ReLU;
like every deep-learning library it computes a cross-correlation: the kernel is not
flipped); 2×2 max and average pooling keep the largest or the mean value of each window;
H2 = (H1 - FH + 2P)/S + 1 is worked out for both.

卷积与池化
----------

同一个手写数字经过三个 3×3 卷积核，各得到一张特征图（卷积后接 ReLU；与所有深度学习库一样，这里计算的是互相关，卷积核不翻转）；2×2 的最大池化和平均池化分别保留每个窗口的最大值和平均值；图中代入公式 H2 = (H1 - FH + 2P)/S + 1 算出两者的输出尺寸。

.. files: convolution.png
.. command: optviz lesson convolution --palette --out convolution.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.convolution()
g.figure(result, "convolution.png")
