"""
Adam's bias correction
======================

s and r start at 0, so in the first steps they are biased towards 0; dividing by 1 -
rho^t removes the bias. Without it the first steps are about three times too long.

Adam 的偏差修正
---------------

s 和 r 从 0 开始，所以最初几步偏向 0；除以 1 - ρ^t 消除这一偏差。不做修正时，最初几步大约长了三倍。

.. files: bias-correction.png
.. command: optviz compare quadratic -o adam:lr=0.3 -o adam:lr=0.3,bias_correction=false
"""

import numpy as np

from optviz.gallery import output
from optviz.optimizers import Adam
from optviz.plot.teaching import bias_correction_figure
from optviz.run import run_surface
from optviz.surfaces.quadratic import quadratic

g = output()  # where to write, how big, which language
surface = quadratic(kappa=10)
steps = g.steps(60)
on = run_surface(surface, [Adam(lr=0.3)], steps=steps)
off = run_surface(surface, [Adam(lr=0.3, bias_correction=False)], steps=steps)
constant = Adam(lr=0.3)  # the moments under a constant gradient g = 1
w, s, r = np.zeros(1), [], []
for _ in range(40):
    constant.step(w, np.ones(1))
    s.append(constant.state[0].s[0])
    r.append(constant.state[0].r[0])
g.figure(bias_correction_figure(surface, on, off, (s, r)), "bias-correction.png")
