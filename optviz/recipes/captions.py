"""Every gallery figure's title and caption, in English and in Chinese: one table.

``TITLES[name]`` and ``CAPTIONS[name]`` are ``(English, Chinese)``. A teaching figure
draws its title and caption from here (:func:`caption`).
"""

from __future__ import annotations

__all__ = [
    "TITLES",
    "CAPTIONS",
    "COMPARE_MESSAGES",
    "COMPARE_MESSAGES_ZH",
    "caption",
    "title",
]

TITLES = {
    "learning-rate": ("The learning rate α", "学习率 α"),
    "momentum-beta": ("Momentum's β", "动量法的 β"),
    "rate-map": (
        "How fast momentum converges: the (α, β) map",
        "动量法的收敛速度：(α, β) 图",
    ),
    "sum-vs-average": (
        "Adagrad sums, RMSprop and Adam average",
        "Adagrad 求和，RMSprop 与 Adam 取平均",
    ),
    "momentum-ravine": ("Momentum in a ravine", "山谷中的动量法"),
    "adaptive-lr": (
        "Adagrad vs RMSprop vs Adam: the effective learning rate",
        "Adagrad、RMSprop 与 Adam：有效学习率",
    ),
}

#: One message per figure: (English, Chinese). Subtitles drawn on the figures.
CAPTIONS = {
    "learning-rate": (
        "Too small crawls, right arrives, too large zig-zags, and beyond 2/λmax every "
        "step lands further out: gradient descent diverges.",
        "学习率太小走得慢，合适则很快到达，太大会来回震荡，超过 2/λmax 后每一步都落得"
        "更远：梯度下降发散。",
    ),
    "momentum-beta": (
        "Each step adds the new push −αg to β times the old velocity: larger β builds "
        "speed along the ravine, too large swings past the minimum.",
        "每一步把新的推动 −αg 加到 β 倍的旧速度上：β 越大，沿山谷积累的速度越大；"
        "β 太大则会冲过最小值来回摆动。",
    ),
    "rate-map": (
        "Tuning β with α cuts the steps by about √κ on a quadratic of condition number "
        "κ: the rate map from the iteration matrix, checked against real runs.",
        "同时调节 β 和 α，可在条件数为 κ 的二次函数上把所需步数减少约 √κ 倍：由迭代"
        "矩阵算出的收敛速度图，并用实际运行加以验证。",
    ),
    "sum-vs-average": (
        "Adagrad's r is a sum of all past g² (the notes call it a moving average; it is "
        "not), so its rate falls like 1/√t; RMSprop's and Adam's average does not.",
        "Adagrad 的 r 是所有过去 g² 的总和（笔记称之为移动平均，其实不是），所以它的"
        "学习率按 1/√t 下降；RMSprop 和 Adam 的平均不会。",
    ),
    "momentum-ravine": (
        "In a ravine tuned momentum needs far fewer steps than tuned SGD, by the factor "
        "the rates (√κ-1)/(√κ+1) and (κ-1)/(κ+1) predict.",
        "在山谷中，调好的动量法比调好的梯度下降所需步数少得多，正如收敛速度 "
        "(√κ-1)/(√κ+1) 与 (κ-1)/(κ+1) 所预言的倍数。",
    ),
    "adaptive-lr": (
        "Adagrad's effective rate keeps falling (like 1/√t), so it falls behind; "
        "RMSprop's and Adam's rise as the gradients shrink.",
        "Adagrad 的有效学习率不断下降（约按 1/√t），因此落在后面；RMSprop 和 Adam 的"
        "有效学习率随梯度变小而上升。",
    ),
}

COMPARE_MESSAGES = {
    "rosenbrock": "Each at its best α: all drop into the curved valley at once, then "
    "crawl along it; RMSprop's step grows when r forgets the steep wall.",
    "beale": "Each at its best α: all reach the minimum along Beale's flat arm, where tiny "
    "gradients make SGD slowest; Adam's per-coordinate steps cross it fastest.",
    "saddle": "Near a saddle the gradient along the escape direction is tiny: dividing g "
    "by √r scales it up, so the adaptive methods escape first.",
    "quadratic": "Each at its best α (and β): SGD must keep α below 2/λmax and zig-zags; "
    "momentum needs about half its steps; Adam's own momentum (ρ1 = 0.9) makes it "
    "circle the minimum.",
    "himmelblau": "Four equal minima: the start and the step size decide which one an "
    "optimizer reaches; a large step overshoots into another basin.",
}
COMPARE_MESSAGES_ZH = {
    "rosenbrock": "各自使用最佳 α：都很快落入弯曲的山谷，然后沿谷底缓慢前进；"
    "RMSprop 的 r 忘记陡峭的谷壁后步长变大。",
    "beale": "各自使用最佳 α：都沿 Beale 曲面平坦的分支到达最小值；"
    "那里梯度很小，"
    "梯度下降最慢，Adam 按坐标缩放的步长最快穿过。",
    "saddle": "鞍点附近逃离方向上的梯度很小：把 g 除以 √r 会放大它，"
    "所以自适应方法最先逃离。",
    "quadratic": "各自使用最佳 α（和 β）：梯度下降的 α 必须小于 2/λmax，"
    "来回震荡；"
    "动量法只需约一半的步数；Adam 自带的动量（ρ1 = 0.9）使它绕着最小值打转。",
    "himmelblau": "四个相同的最小值：起点和步长决定优化器到达哪一个；"
    "步长太大会冲进另一个盆地。",
}

CAPTIONS["bias-correction"] = (
    "s and r start at 0, so early on both are biased towards 0; dividing by 1-ρ1ᵗ and "
    "1-ρ2ᵗ removes the bias. Without it the step s/√r is 3.16× too long at t = 1 and "
    "about 6.6× near t = 12 (r's bias is the larger and lasts longer), falling to 1 "
    "only after thousands of steps. ρ1 = 0.9, ρ2 = 0.999 are the published defaults "
    "(the notes say 0.9 or 0.99).",
    "s 和 r 从 0 开始，所以最初几步两者都偏向 0；分别除以 1-ρ1ᵗ 和 1-ρ2ᵗ 即可消除偏差。"
    "不修正时，步长 s/√r 在 t = 1 时长了 3.16 倍，在 t = 12 附近约长 6.6 倍（r 的偏差"
    "更大、持续更久），要经过数千步才降到 1。ρ1 = 0.9、ρ2 = 0.999 是公开的默认值"
    "（笔记中写的是 0.9 或 0.99）。",
)
TITLES["bias-correction"] = ("Adam's bias correction", "Adam 的偏差修正")
CAPTIONS["saddle-3d"] = (
    "On the saddle x² - y² SGD lingers near the top, where the gradient along y is "
    "tiny; dividing g by √r scales that coordinate up, so Adagrad, RMSprop and Adam "
    "roll off first.",
    "在鞍面 x² - y² 上，梯度下降在鞍点附近徘徊，因为那里沿 y 方向的梯度很小；"
    "把 g 除以 √r 会放大这个坐标上的步长，所以 Adagrad、RMSprop 和 Adam 最先滚下去。",
)
TITLES["saddle-3d"] = ("Escaping a saddle, in 3-D", "逃离鞍点（三维视图）")
TITLES["linear-regression"] = ("Gradient descent on L(w, b)", "用梯度下降最小化 L(w, b)")
CAPTIONS["linear-regression"] = (
    "Full-batch gradient descent follows -g, which bends with the tilted bowl; "
    "mini-batch SGD (batches of 8, no repetition within an epoch) takes 5 cheaper "
    "steps per epoch, gets close sooner per sample read, then jitters at a noise floor "
    "near, not at, the least-squares fit.",
    "全批量梯度下降沿 -g 前进，路径随倾斜的碗形弯曲；小批量随机梯度下降（每批 8 个样本，"
    "每轮内不重复）每轮走 5 个更便宜的步，按读取的样本数计更快接近最小值，之后在"
    "最小二乘解附近（而不是恰好在它上面）的噪声水平上抖动。",
)
CAPTIONS["sweep-rosenbrock"] = (
    "Each optimizer over 41 learning rates on Rosenbrock, and each at its own best "
    "rate. Adagrad's 'best' α is a lucky first jump close to the minimum, after which "
    "its shrinking steps leave it almost flat: the weakness the notes warn about.",
    "每个优化器在 Rosenbrock 上扫描 41 个学习率，并各自使用最佳学习率。Adagrad 的"
    "“最佳” α 只是第一步恰好跳到最小值附近，之后步长不断缩小，曲线几乎是平的："
    "这正是笔记所说的缺点。",
)
CAPTIONS["sweep-rosenbrock-detailed"] = CAPTIONS["sweep-rosenbrock"]
CAPTIONS["startmap-himmelblau"] = (
    "Which of Himmelblau's four minima each optimizer reaches from every start of a "
    "grid: the basins are not the same for every optimizer; large steps carry some "
    "starts over a ridge into another basin.",
    "从网格上每个起点出发，各优化器到达 Himmelblau 四个最小值中的哪一个：不同优化器的"
    "吸引域并不相同；步长大时，部分起点会越过山脊进入另一个吸引域。",
)

for _name in COMPARE_MESSAGES:
    CAPTIONS[f"compare-{_name}"] = (COMPARE_MESSAGES[_name], COMPARE_MESSAGES_ZH[_name])


def _lang(lang: str) -> int:
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be one of en, zh, got {lang!r}")
    return 0 if lang == "en" else 1


def caption(name: str, lang: str = "en") -> str:
    """The caption of gallery figure ``name`` in ``lang`` (en, zh)."""
    if name not in CAPTIONS:
        raise ValueError(f"no caption for {name!r}; known: {', '.join(sorted(CAPTIONS))}")
    return CAPTIONS[name][_lang(lang)]


def title(name: str, lang: str = "en") -> str:
    """The title of teaching figure ``name`` in ``lang`` (en, zh)."""
    if name not in TITLES:
        raise ValueError(f"no title for {name!r}; known: {', '.join(sorted(TITLES))}")
    return TITLES[name][_lang(lang)]
