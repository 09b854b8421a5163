"""
The receptive field
===================

Stacked 3×3 convolutions: each layer widens the receptive field by 2 pixels.

感受野
------

堆叠的 3×3 卷积：每多一层，感受野的边长增加 2 个像素。

.. files: receptive-field.png
"""

from optviz.gallery import output
from optviz.plot.cnn_lessons import receptive_field_figure

g = output()  # where to write, how big, which language
g.figure(receptive_field_figure(layers=3), "receptive-field.png")
