"""
Stride and kernel size: the output size
=======================================

H2 = (H1 − FH + 2P)/S + 1 for an input of 8 without padding: 10 of the 20 pairs of
kernel size 1-5 and stride 1-4 give no whole number, because the last window would hang
over the edge (FH = 3, S = 2: windows start at 0, 2, 4 and 6, and the one at 6 needs a
9th pixel). optviz refuses such a shape in one line: "H2 = (H1 - FH + 2P)/S + 1 = (8 - 3
+ 2*0)/2 + 1 = 3.5 is not a whole number".

步长与卷积核尺寸：输出的大小
----------------------------

输入为 8、不补零时的 H2 = (H1 − FH + 2P)/S + 1：卷积核尺寸 1-5 与步长 1-4 的 20 种组合中有 10 种得不到整数，因为最后一个窗口会超出边缘（FH = 3、S = 2 时，窗口从 0、2、4、6 开始，从 6 开始的那个需要第 9 个像素）。optviz 用一行报错拒绝这样的形状：“H2 = (H1 - FH + 2P)/S + 1 = (8 - 3 + 2*0)/2 + 1 = 3.5 is not a whole number”。

.. files: stride-kernel.png
.. command: optviz lesson stride-kernel --palette --out stride-kernel.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.stride_kernel()  # H2 for each FH and S; a refused shape
g.figure(result, "stride-kernel.png")
