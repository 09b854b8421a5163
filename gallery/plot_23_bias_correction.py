"""
Adam's bias correction
======================

s and r start at 0, so early on both are biased towards 0; dividing by 1-ρ1ᵗ and 1-ρ2ᵗ
removes the bias. Without it the step s/√r is 3.16× too long at t = 1 and about 6.6×
near t = 12 (r's bias is the larger and lasts longer), falling to 1 only after thousands
of steps. ρ1 = 0.9, ρ2 = 0.999 are the published defaults (the notes say 0.9 or 0.99).

Adam 的偏差修正
---------------

s 和 r 从 0 开始，所以最初几步两者都偏向 0；分别除以 1-ρ1ᵗ 和 1-ρ2ᵗ 即可消除偏差。不修正时，步长 s/√r 在 t = 1 时长了 3.16 倍，在 t = 12 附近约长 6.6 倍（r 的偏差更大、持续更久），要经过数千步才降到 1。ρ1 = 0.9、ρ2 = 0.999 是公开的默认值（笔记中写的是 0.9 或 0.99）。

.. files: bias-correction.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
g.figure(recipes.bias_correction(), "bias-correction.png")
