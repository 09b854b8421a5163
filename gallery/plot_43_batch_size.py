"""
Batch size: noise, cost and replacement
=======================================

On the notes' L(w, b) with n = 40 samples, a mini-batch gradient g(B) strays from the
full gradient g by σ/√B when its B samples are drawn with replacement (σ = 7 for one
sample; 4000 batches per size): a batch 4 times larger costs 4 times as many samples per
step and only halves the noise. Drawn without replacement, as the notes prescribe
(随机且不重复), the spread is smaller by √((n − B)/(n − 1)), down to 0 at B = n. In one epoch
of 40 single draws with replacement 12 samples are never drawn (n(1 − 1/n)ⁿ = 14.5
expected) and one is drawn 4 times; without replacement each is drawn once.

批量大小：噪声、代价与有放回抽样
--------------------------------

在笔记的 L(w, b) 上（n = 40 个样本），B 个样本有放回地抽取时，小批量梯度 g(B) 偏离全批量梯度 g 的程度为 σ/√B（单个样本时 σ = 7；每种大小抽 4000 批）：批量增大 4 倍，每步要读 4 倍的样本，噪声却只减半。按笔记的要求无放回地抽取（随机且不重复）时，偏离还要再小 √((n − B)/(n − 1)) 倍，B = n 时为 0。有放回地单个抽取 40 次（一轮）时，有 12 个样本一次也没被抽到（期望 n(1 − 1/n)ⁿ = 14.5 个），有一个被抽到 4 次；无放回时每个样本恰好被抽到一次。

.. files: batch-size.png
.. command: optviz lesson batch-size --palette --out batch-size.png
"""

from optviz.gallery import output
from optviz.recipes import lessons

g = output()  # where to write, which language
result = lessons.batch_size()  # the batch gradient's noise against B
g.figure(result, "batch-size.png")
