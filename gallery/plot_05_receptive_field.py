"""
The receptive field
===================

Stacked 3×3 convolutions: each layer widens the receptive field by 2 pixels.

感受野
------

堆叠的 3×3 卷积：每多一层，感受野的边长增加 2 个像素。

.. files: receptive-field.png
.. command: optviz lesson receptive-field --palette --out receptive-field.png
"""

from optviz import recipes
from optviz.gallery import output

g = output()  # where to write, which language
result = recipes.receptive_field(layers=3)
g.figure(result, "receptive-field.png")
