"""
Vanishing gradients
===================

Each sigmoid multiplies the gradient by at most 0.25: through n of them it is at most
0.25ⁿ.

梯度消失
--------

每经过一个 sigmoid，梯度至多乘以 0.25：经过 n 个 sigmoid 层后，梯度至多为 0.25ⁿ。

.. files: vanishing-gradients.png
.. command: optviz lesson vanishing-gradients --palette --out vanishing-gradients.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.vanishing_gradients(deepest=10)
g.figure(result, "vanishing-gradients.png")
