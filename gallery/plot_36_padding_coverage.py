"""
Padding: how often each pixel is read
=====================================

A 3×3 kernel slides with stride 1 over a 7×7 input. Without padding a corner pixel is in
1 window, the middle of an edge in 3 and a central pixel in 9 (the notes' point: the
edges count less), and the output shrinks to 5×5. One ring of zeros (P = 1) puts the
corner in 4 windows and the middle of an edge in 6, and keeps the output 7×7. Each count
is the gradient the pixel gets from an all-ones kernel.

边缘填充：每个像素被读几次
--------------------------

3×3 的卷积核以步长 1 在 7×7 的输入上滑动。不补零时，角上的像素只在 1 个窗口里，边的正中在 3 个窗口里，中心的像素在 9 个窗口里（正如笔记所说：越靠边缘的像素被计算得越少），输出缩小为 5×5。补一圈 0（P = 1）后，角上的像素在 4 个窗口里，边的正中在 6 个窗口里，输出仍为 7×7。每个次数就是全 1 卷积核传给该像素的梯度。

.. files: padding-coverage.png
.. command: optviz lesson padding-coverage --palette --out padding-coverage.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.padding_coverage()  # a 3x3 kernel on a 7x7 input, P = 0 and 1
g.figure(result, "padding-coverage.png")
