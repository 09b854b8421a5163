"""
The sliding window: padding and stride
======================================

The window slides with stride 2 over the zero-padded input; each position gives one
output value.

滑动窗口：补零与步长
--------------------

窗口以步长 2 在补零后的输入上滑动；每个位置给出一个输出值。

.. files: sliding-window.gif
.. command: optviz lesson sliding-window --out sliding-window.gif
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
anim = recipes.sliding_window(padding=1, stride=2, lang=g.lang)  # 5x5 input, 3x3 kernel
g.gif(anim, "sliding-window.gif")
