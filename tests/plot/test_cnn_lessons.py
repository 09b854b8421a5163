"""The CNN lessons: each figure's message holds in the numbers it draws, checked against
hand computations, scipy and finite differences; every drawn string has its Chinese."""

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import AxesImage
from PIL import Image
from scipy.signal import correlate2d

import optviz.plot
from optviz.nn import CrossEntropyLoss, Sequential, Sigmoid, load_dataset, train
from optviz.nn import cnn_lessons as CL
from optviz.nn import gradient_lessons as GL
from optviz.nn import network_lessons as NL
from optviz.nn.data import digits
from optviz.optimizers import Adam
from optviz.plot import cnn_gradients as G
from optviz.plot import cnn_lessons as L
from optviz.plot import nn_figures as N
from optviz.plot.i18n import captions, drawn_captions

# End-to-end: trains and draws every CNN lesson.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow

CATALOGUE_PATH = Path(optviz.plot.__file__).parent / "locale" / "zh" / "cnn.json"
#: Names and symbols that stay as they are in Chinese (the notes write them so).
KEPT = {"ReLU", "LeakyReLU", "PReLU", "sigmoid", "tanh", "softmax", "MSE", "ln", "RGB"}
KEPT |= {"df", "dx"}  # the derivative df/dx is notation


# -- fixtures -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def model():
    net = NL.teaching_cnn()
    train(net, Adam(lr=0.01), load_dataset("digits"), epochs=5)
    return net


@pytest.fixture(scope="module")
def digit():
    x, y = digits(np.float64)
    i = int(np.flatnonzero(y == 3)[0])
    return x[i, 0], 3


@pytest.fixture(scope="module")
def architecture(model, digit):
    return L.architecture_figure(NL.through_network(model, digit[0], label=digit[1]))


@pytest.fixture(scope="module")
def window():
    return L.sliding_window_animation(CL.sliding_window())


FIGURES = {
    "cnn-architecture": lambda m, d: L.architecture_figure(
        NL.through_network(m, d[0], label=d[1])
    ),
    "rgb-convolution": lambda m, d: L.rgb_convolution_figure(CL.rgb_convolution()),
    "receptive-field": lambda m, d: L.receptive_field_figure(CL.receptive_field_lesson()),
    "pooling-shift": lambda m, d: L.pooling_shift_figure(CL.pooling_shift()),
    "fully-connected": lambda m, d: L.fully_connected_figure(NL.fully_connected(m, d[0])),
    "nonlinearity": lambda m, d: G.nonlinearity_figure(GL.nonlinearity()),
    "cross-entropy": lambda m, d: G.cross_entropy_figure(
        GL.cross_entropy(m.forward(d[0][None, None])[0], 3)
    ),
    "ce-vs-mse": lambda m, d: G.ce_vs_mse_figure(GL.ce_vs_mse()),
    "vanishing-gradients": lambda m, d: G.vanishing_gradients_figure(GL.vanishing()),
}

#: Every CNN figure whose title is its caption (the sliding window is an animation).
CNN_FIGURES = (*FIGURES, "sliding-window")


def shown(fig, label):
    """The array of the one image of ``fig`` labelled ``label``."""
    found = fig.findobj(lambda a: isinstance(a, AxesImage) and a.get_label() == label)
    assert len(found) == 1, f"{len(found)} images labelled {label!r}"
    return np.asarray(found[0].get_array(), float)


def texts(fig, gid=None):
    return [
        t.get_text()
        for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "set_text"))
        if t.get_text() and (gid is None or t.get_gid() == gid)
    ]


def numbers(text):
    return [float(v) for v in re.findall(r"-?\d+\.?\d*(?:e[-+]\d+)?", text)]


def png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=40, metadata={"Software": None})
    return buf.getvalue()


def relu_conv(image, weight, bias, padding=1):
    """One kernel's ReLU feature map by scipy: correlate (no flip) + bias, zero-padded."""
    padded = np.pad(image, padding)
    return np.maximum(correlate2d(padded, weight, mode="valid") + bias, 0)


# -- 1. the architecture ----------------------------------------------------------------
def test_architecture_shapes_are_the_forward_shapes(architecture, model, digit):
    x = digit[0][None, None]
    expected = ["1×8×8"]
    for layer in model.layers:
        x = layer.forward(x)
        expected.append("×".join(map(str, x.shape[1:])))
    expected.append("10")  # the softmax keeps the shape
    assert texts(architecture, gid="shape") == expected
    assert expected == ["1×8×8", "4×8×8", "4×8×8", "4×4×4", "64", "10", "10"]
    words = " ".join(texts(architecture))
    assert r"\dfrac{8 - 3 + 2\cdot 1}{1} + 1 = 8" in words  # the convolution
    assert r"\dfrac{8 - 2 + 2\cdot 0}{2} + 1 = 4" in words  # the pooling


def test_architecture_feature_maps_are_the_convolutions(architecture, model, digit):
    conv = model.layers[0]
    for k in range(4):
        expected = relu_conv(digit[0], conv.weight[k, 0], conv.bias[k])
        np.testing.assert_allclose(
            shown(architecture, f"activation: ReLU: map {k}"), expected
        )
        pooled = expected.reshape(4, 2, 4, 2).max(axis=(1, 3))
        np.testing.assert_allclose(shown(architecture, f"max pooling: map {k}"), pooled)


def test_architecture_refuses_a_colour_image(model):
    with pytest.raises(ValueError, match=r"one grey image of shape .*got \(3, 8, 8\)"):
        NL.through_network(model, np.zeros((3, 8, 8)))


# -- 2. RGB convolution --------------------------------------------------------------------
def test_rgb_output_is_the_three_channel_sums_plus_one_bias():
    fig = L.rgb_convolution_figure(CL.rgb_convolution(cell=(1, 1), bias=1.0))
    x = np.stack([shown(fig, f"channel {c}") for c in "RGB"])
    w = np.stack([shown(fig, f"weights {c}") for c in "RGB"])
    patch = x[:, 1:4, 1:4]
    sums = (patch * w).sum(axis=(1, 2))
    for c, s in zip("RGB", sums):
        (drawn,) = texts(fig, gid=f"sum {c}")
        assert numbers(drawn)[-1] == s
    y = sum(correlate2d(x[c], w[c], mode="valid") for c in range(3)) + 1.0
    np.testing.assert_allclose(shown(fig, "output"), y)
    (total,) = texts(fig, gid="total")
    assert numbers(total)[-1] == y[1, 1] == sums.sum() + 1.0


def test_rgb_refuses_a_cell_outside_the_output():
    with pytest.raises(
        ValueError, match=r"cell must be a \(row, column\) in 0..2, got \(3, 0\)"
    ):
        CL.rgb_convolution(cell=(3, 0))


# -- 3. the sliding window -------------------------------------------------------------
def test_sliding_window_output_is_strided_correlation_of_the_padded_input(window):
    padded = np.pad(CL.WINDOW_INPUT, 1)
    full = correlate2d(padded, CL.WINDOW_KERNEL, mode="valid")  # stride 1
    np.testing.assert_allclose(window.output, full[::2, ::2])  # stride 2
    assert window.output.shape == (3, 3) and len(window) == 9
    words = " ".join(texts(window.fig))
    assert r"\dfrac{5 - 3 + 2\cdot 1}{2} + 1 = 3" in words


def test_sliding_window_frame_draws_the_window_where_it_is(window):
    pixels = next(_frame(window, 4))  # output (1, 1): rows 2-4, columns 2-4 of the input
    (step,) = texts(window.fig, gid="step")
    assert "rows 2-4, columns 2-4" in step and step.endswith(f"= {window.output[1, 1]:g}")
    ax = window._ax_in
    # the window's top-left corner at data (1.5, 1.5): a vermilion pixel there
    x, y = ax.transData.transform((1.5, 1.5))
    h = pixels.shape[0]
    r, c = int(round(h - y)), int(round(x))
    patch = pixels[r - 2 : r + 3, c - 2 : c + 3, :3].reshape(-1, 3).astype(int)
    vermilion = np.array([0xD5, 0x5E, 0x00])
    assert np.abs(patch - vermilion).sum(axis=1).min() < 40


def _frame(window, k):
    for n, frame in enumerate(window.iter_frames()):
        if n == k:
            yield frame.copy()


def test_sliding_window_gif_has_every_position_and_repeats(window, tmp_path):
    data = window.to_gif()
    gif = Image.open(io.BytesIO(data))
    assert gif.n_frames == 9
    assert (
        L.sliding_window_animation(CL.sliding_window()).to_gif() == data
    )  # same input -> same bytes
    path = window.save(tmp_path / "w.gif")
    assert path.read_bytes() == data
    assert len(data) < 300_000


def test_sliding_window_refuses_other_formats(window, tmp_path):
    with pytest.raises(ValueError, match=r"unknown extension '\.png'; allowed: \.gif"):
        window.save(tmp_path / "w.png")
    assert list(tmp_path.iterdir()) == []


# -- 4. the receptive field ------------------------------------------------------------
def test_receptive_field_grows_by_two_per_layer():
    maps, sides = CL.receptive_field(3)
    assert sides == [7, 5, 3, 1]
    counts = np.array([1, 3, 6, 7, 6, 3, 1.0])  # (1, 1, 1) convolved with itself 3 times
    block = maps[0][maps[0] > 0].reshape(7, 7)
    np.testing.assert_array_equal(block, np.outer(counts, counts))
    for depth in range(1, 7):
        assert CL.receptive_field(depth)[1][0] == 2 * depth + 1
    assert CL.receptive_field(2, kernel=5)[1][0] == 9


# -- 5. pooling: whether, not where ------------------------------------------------------
def numpy_pool(x, how):
    blocks = x.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2)
    return getattr(blocks, how)(axis=(1, 3))


def test_both_poolings_ignore_a_shift_inside_the_windows():
    x = CL.DETECTIONS
    right, left = CL.shift(x, 1), CL.shift(x, -1)
    assert not np.array_equal(right, x)  # the input did move
    for how in ("max", "mean"):  # max and average alike
        np.testing.assert_array_equal(numpy_pool(right, how), numpy_pool(x, how))
        assert (numpy_pool(left, how) != numpy_pool(x, how)).sum() == 8
    fig = L.pooling_shift_figure(CL.pooling_shift())
    np.testing.assert_array_equal(
        shown(fig, "max pooling: shifted 1 pixel right"), numpy_pool(x, "max")
    )
    np.testing.assert_allclose(
        shown(fig, "average pooling: shifted 1 pixel left"), numpy_pool(left, "mean")
    )
    verdicts = texts(fig, gid="verdict")
    assert verdicts == ["same as unshifted", "8 of 16 cells differ"] * 2
    assert texts(fig, gid="lost") == ["nothing pushed off the map"] * 2
    (foot,) = texts(fig, gid="foot")
    # what max adds: one detection 1.0 and two of 0.5 pool to max 1.0 and 0.5, but
    # to the same mean, 1.0 / 4 = (0.5 + 0.5) / 4 = 0.25
    assert numbers(foot) == [1.0, 0.5, 0.25, 0.25]
    assert numpy_pool(x, "max")[2, 1] == 1.0 and numpy_pool(x, "max")[2, 3] == 0.5
    assert numpy_pool(x, "mean")[2, 1] == numpy_pool(x, "mean")[2, 3] == 0.25


def test_a_feature_pushed_off_the_map_is_said():
    x = np.zeros((4, 4))
    x[1, 0], x[2, 1] = 0.8, 0.4  # the shift left pushes 0.8 off the map
    fig = L.pooling_shift_figure(CL.pooling_shift(x))
    assert texts(fig, gid="lost") == [
        "nothing pushed off the map",
        "1 values pushed off the map",
    ]


def test_pooling_refuses_a_batch():
    with pytest.raises(ValueError, match=r"feature_map must have shape \(H, W\)"):
        CL.pooling_shift(np.zeros((1, 8, 8)))


# -- 7. the fully connected layer --------------------------------------------------
def test_fully_connected_scores_are_w_x_plus_b(model, digit):
    fig = L.fully_connected_figure(NL.fully_connected(model, digit[0]))
    conv, dense = model.layers[0], model.layers[-1]
    maps = [
        numpy_pool(relu_conv(digit[0], conv.weight[k, 0], conv.bias[k]), "max")
        for k in range(4)
    ]
    x = np.concatenate([m.ravel() for m in maps])  # map after map
    np.testing.assert_allclose(shown(fig, "x")[0], x)
    z = dense.weight @ x + dense.bias
    np.testing.assert_allclose(shown(fig, "z")[:, 0], z)
    np.testing.assert_allclose(z, model.forward(digit[0][None, None])[0])
    (worked,) = texts(fig, gid="worked")
    assert numbers(worked)[-1] == pytest.approx(z[3], abs=0.005)  # the digit is a 3
    # W, b and z on one colour scale, the largest magnitude of the three
    top = max(np.abs(dense.weight).max(), np.abs(dense.bias).max(), np.abs(z).max())
    for name in ("W", "b", "z"):
        (im,) = fig.findobj(
            lambda a, n=name: isinstance(a, AxesImage) and a.get_label() == n
        )
        assert im.get_clim() == pytest.approx((-top, top))


def test_a_dead_kernel_is_named_dead_relu(model, digit):
    images, _ = digits(np.float64)
    conv = model.layers[0]
    # by hand: a kernel whose ReLU output is 0 on every digit
    alive = [
        any(relu_conv(img[0], conv.weight[k, 0], conv.bias[k]).any() for img in images)
        for k in range(4)
    ]
    dead = tuple(k for k in range(4) if not alive[k])
    lesson = NL.fully_connected(model, digit[0], images=images)
    assert lesson.dead.never == dead and lesson.dead.seen == len(images)
    fig = L.fully_connected_figure(lesson)
    marks = texts(fig, gid="dead")
    assert len(marks) == 2 * len(dead)  # on the pooled map and on its part of x
    for text in marks:
        assert text == f"dead ReLU:\nall 0 on\nall {len(images)} images"
    arch = L.architecture_figure(
        NL.through_network(model, digit[0], label=3, images=images)
    )
    assert len(texts(arch, gid="dead")) == 2 * len(dead)  # after ReLU and after pooling


def test_fully_connected_needs_flatten_then_dense():
    from optviz.nn import Conv2D, ReLU

    net = Sequential(Conv2D(1, 2, 3, padding=1), ReLU(), seed=0, dtype=np.float64)
    with pytest.raises(ValueError, match="must end in Flatten then Dense"):
        NL.fully_connected(net)


# -- 5. why a nonlinearity ---------------------------------------------------------------
def test_two_dense_layers_are_one_with_the_product_matrix(rng):
    from optviz.nn import Dense, ReLU

    first, second = (
        Dense(5, 7, rng=rng, dtype=np.float64),
        Dense(7, 3, rng=rng, dtype=np.float64),
    )
    first.bias[...], second.bias[...] = rng.normal(size=7), rng.normal(size=3)
    one = GL.collapse(first, second)
    x = rng.normal(size=(20, 5))
    np.testing.assert_allclose(
        one.forward(x), Sequential(first, second).forward(x), atol=1e-12
    )
    np.testing.assert_allclose(one.weight, second.weight @ first.weight)
    bent = Sequential(first, ReLU(), second).forward(x)
    assert np.abs(bent - one.forward(x)).max() > 0.1


def test_nonlinearity_figure_numbers():
    fig = G.nonlinearity_figure(GL.nonlinearity())
    words = " ".join(texts(fig))
    diff = float(re.search(r"largest difference: (\S+)", words).group(1))
    assert diff < 1e-12
    gap = float(re.search(r"best straight line: (\S+)", words).group(1))
    assert gap > 0.5


# -- 8. cross-entropy ----------------------------------------------------------------------
def test_cross_entropy_is_minus_ln_p_of_the_true_class(model, digit):
    z = model.forward(digit[0][None, None])[0]
    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    fig = G.cross_entropy_figure(GL.cross_entropy(z, 3))
    (loss_text,) = texts(fig, gid="loss")
    assert numbers(loss_text)[-1] == pytest.approx(-np.log(p[3]), abs=5e-4)
    assert CrossEntropyLoss()(z[None], np.array([3])) == pytest.approx(-np.log(p[3]))
    with pytest.raises(ValueError, match=r"label must be a class in 0..9, got 10"):
        GL.cross_entropy(z, 10)


def test_cross_entropy_shows_a_confidently_wrong_digit(model, digit):
    images, labels = digits(np.float64)
    first = int(np.flatnonzero(labels == 3)[0])
    lesson = GL.right_and_wrong(model, images, labels, first)
    z = model.forward(images)
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    truth = p[np.arange(len(labels)), labels]
    worst = int(np.argmin(truth))
    assert lesson.indices == (first, worst) and lesson.guess == int(np.argmax(z[worst]))
    fig = G.cross_entropy_figure(lesson)
    right, wrong = texts(fig, gid="loss")
    assert numbers(right)[-1] == pytest.approx(-np.log(truth[first]), abs=5e-4)
    assert numbers(wrong)[-1] == pytest.approx(-np.log(truth[worst]), abs=5e-4)
    assert -np.log(truth[worst]) > 2  # confidently wrong: p of the truth below e^-2


# -- 9. cross-entropy against MSE --------------------------------------------------------
def test_confident_wrong_sigmoid_mse_gradient_vanishes_ce_does_not():
    mse, ce = GL.logit_gradients([GL.CONFIDENT_WRONG])
    assert abs(mse[0]) < 1e-3 and abs(ce[0]) > 0.9
    z = np.linspace(-10, 10, 41)
    p = 1 / (1 + np.exp(-z))
    mse, ce = GL.logit_gradients(z)
    np.testing.assert_allclose(mse, 2 * (p - 1) * p * (1 - p), atol=1e-15)
    np.testing.assert_allclose(ce, p - 1, atol=1e-15)


def test_softmax_logit_gradients_match_finite_differences():
    s = np.array([-2.0, 0.0, 3.0, 10.0])
    mse, ce = GL.softmax_logit_gradients(s)
    h = 1e-6

    def losses(z0):
        z = np.stack([np.full_like(s, z0), s, np.zeros_like(s)], axis=1)
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        y = np.array([1.0, 0, 0])
        return ((p - y) ** 2).mean(axis=1), -np.log(p[:, 0])

    (m1, c1), (m0, c0) = losses(h), losses(-h)
    np.testing.assert_allclose(mse, (m1 - m0) / (2 * h), rtol=1e-5, atol=1e-10)
    np.testing.assert_allclose(ce, (c1 - c0) / (2 * h), rtol=1e-5)
    assert abs(mse[-1]) < 1e-3 and abs(ce[-1]) > 0.9  # class 1 at p > 0.99


# -- 10. vanishing gradients -------------------------------------------------------
def test_gradient_through_n_sigmoids_is_at_most_quarter_to_the_n():
    for n in range(1, 11):
        g = GL.sigmoid_chain_gradient(n)
        a, expected = 0.0, 1.0
        for _ in range(n):  # the chain rule by hand
            s = 1 / (1 + np.exp(-a))
            expected *= s * (1 - s)
            a = s
        assert g == pytest.approx(expected, rel=1e-12)
        assert g <= 0.25**n
    h = 1e-6
    chain = Sequential(Sigmoid(), Sigmoid(), Sigmoid())

    def f(x):
        return chain.forward(np.array([[x]]))[0, 0]

    assert GL.sigmoid_chain_gradient(3, 0.7) == pytest.approx(
        (f(0.7 + h) - f(0.7 - h)) / (2 * h)
    )


def test_sigmoid_network_gradients_shrink_towards_the_input():
    sig = GL.layer_gradient_norms("sigmoid", depth=6)
    relu = GL.layer_gradient_norms("ReLU", depth=6)
    assert sig[0] < sig[-1] / 100
    assert relu[0] > relu[-1] / 10


# -- every figure: caption, catalogue, bytes -----------------------------------------------
def catalogue():
    """cnn.json and the captions the CNN figures draw (from captions.json)."""
    table = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    en = captions("en")
    ours = {en[name]["caption"] for name in CNN_FIGURES}
    ours |= {text.removesuffix(".") for text in ours}
    drawn = {k: v for k, v in drawn_captions("zh").items() if k in ours}
    return {**table, **drawn}


def _pattern(key):
    parts = re.split(r"\{[A-Za-z_][A-Za-z0-9_]*\}", key)
    return re.compile("(.+?)".join(re.escape(p) for p in parts) + r"\Z", re.S)


def translatable(text, patterns):
    return any(p.match(text) for p in patterns)


def english_words(text):
    text = re.sub(r"\{[A-Za-z_][A-Za-z0-9_]*\}", "", text)  # placeholders
    outside = " ".join(text.split("$")[::2])
    return set(re.findall(r"[A-Za-z]{2,}", outside)) - KEPT


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_drawn_string_has_its_chinese(name, model, digit):
    fig = FIGURES[name](model, digit)
    table = captions("en")[name]["caption"]
    assert fig._suptitle.get_text() + "." == table  # the caption, its full stop left off
    patterns = [_pattern(k) for k in catalogue()]
    missing = [t for t in texts(fig) if english_words(t) and not translatable(t, patterns)]
    assert missing == []


def test_every_sliding_window_string_has_its_chinese(window):
    patterns = [_pattern(k) for k in catalogue()]
    for k in range(len(window)):
        window.update(k)
        missing = [t for t in texts(window.fig) if english_words(t)]
        missing = [t for t in missing if not translatable(t, patterns)]
        assert missing == []


@pytest.mark.parametrize("which", ["activations", "convolution", "losses"])
def test_every_string_of_the_old_figures_has_its_chinese(which, digit):
    fig = {
        "activations": lambda: N.activations_figure(CL.activations()),
        "convolution": lambda: N.convolution_figure(CL.convolution(digit[0])),
        "losses": lambda: N.losses_figure(CL.losses()),
    }[which]()
    patterns = [_pattern(k) for k in catalogue()]
    missing = [t for t in texts(fig) if english_words(t) and not translatable(t, patterns)]
    assert missing == []


def test_catalogue_is_chinese_with_the_same_placeholders():
    table = catalogue()
    for en, zh in table.items():
        assert english_words(zh) == set(), f"{zh!r} keeps English"
        assert re.search(r"[\u4e00-\u9fff]", zh) or not english_words(en), zh
        ph = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
        assert sorted(ph.findall(en)) == sorted(ph.findall(zh)), en
    en_table, zh_table = (captions(lang) for lang in ("en", "zh"))
    for name in CNN_FIGURES:
        en = en_table[name]["caption"].removesuffix(".")
        zh = zh_table[name]["caption"].removesuffix("。")
        assert table[en] == zh


@pytest.mark.parametrize("name", ["cnn-architecture", "pooling-shift", "ce-vs-mse"])
def test_png_bytes_repeat(name, model, digit):
    assert png(FIGURES[name](model, digit)) == png(FIGURES[name](model, digit))
