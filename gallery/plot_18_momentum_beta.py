"""
Momentum's β
============

Each step adds the new push −αg to β times the old velocity: larger β builds speed along
the ravine, too large swings past the minimum.

动量法的 β
----------

每一步把新的推动 −αg 加到 β 倍的旧速度上：β 越大，沿山谷积累的速度越大；β 太大则会冲过最小值来回摆动。

.. files: momentum-beta.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.momentum_beta(), "momentum-beta.png")
