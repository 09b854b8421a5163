"""
Adam's bias correction
======================

s and r start at 0, so early on both are biased towards 0; dividing by 1-ρ1ᵗ and 1-ρ2ᵗ
removes the bias. Without it Adam's step is 3.16× too long at t = 1 and 6.57× at t = 12
(r's bias is the larger and lasts longer), and still above 1 after thousands of steps.

Adam 的偏差修正
---------------

s 和 r 从 0 开始，所以最初几步两者都偏向 0；分别除以 1-ρ1ᵗ 和 1-ρ2ᵗ 即可消除偏差。不修正时，Adam 的步长在 t = 1 时长了 3.16 倍，在 t = 12 时长了 6.57 倍（r 的偏差更大、持续更久），数千步之后才接近 1。

.. files: bias-correction.png
.. command: optviz lesson bias-correction --palette --out bias-correction.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.bias_correction(), "bias-correction.png")
