"""The CNN teaching figures: their curves and images are the closed forms, their worked
formulas hold the right numbers, their text translates, and their PNG bytes repeat."""

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.image import AxesImage
from matplotlib.text import Text
from scipy.signal import correlate2d

from optviz.nn import cnn_lessons as CL
from optviz.nn.cnn_lessons import KERNELS, LEAKY_A, PRELU_A, SATURATION
from optviz.nn.data import digits
from optviz.plot import nn_figures
from optviz.plot.nn_figures import (
    activations_figure,
    convolution_figure,
    losses_figure,
)

# End-to-end: draws the CNN figures at full size.
# Runs with the slow tests (`pytest -m slow`, as CI does).
pytestmark = pytest.mark.slow

RTOL, ATOL = 1e-12, 1e-12


@pytest.fixture(scope="module")
def activations():
    return activations_figure(CL.activations())


@pytest.fixture(scope="module")
def image():
    x, _ = digits(np.float64)
    return x[0, 0]  # a 0: strokes in every direction


@pytest.fixture(scope="module")
def convolution(image):
    return convolution_figure(CL.convolution(image))


@pytest.fixture(scope="module")
def losses():
    return losses_figure(CL.losses())


def line(fig, label):
    """The one plotted Line2D of ``fig`` labelled ``label`` (not a legend's copy)."""
    found = [ln for ax in fig.axes for ln in ax.get_lines() if ln.get_label() == label]
    assert len(found) == 1, f"{len(found)} lines labelled {label!r}"
    return np.asarray(found[0].get_xdata(), float), np.asarray(found[0].get_ydata(), float)


def shown(fig, label):
    """The array of the one image of ``fig`` labelled ``label``."""
    found = fig.findobj(lambda a: isinstance(a, AxesImage) and a.get_label() == label)
    assert len(found) == 1, f"{len(found)} images labelled {label!r}"
    return np.asarray(found[0].get_array(), float)


def texts(fig):
    return [
        t.get_text()
        for t in fig.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "set_text"))
        if t.get_text()
    ]


def png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=60, metadata={"Software": None})
    return buf.getvalue()


# -- activations ------------------------------------------------------------------
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


CLOSED_FORMS = {
    "ReLU": (lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(float)),
    "LeakyReLU": (
        lambda x: np.where(x > 0, x, LEAKY_A * x),
        lambda x: np.where(x > 0, 1.0, LEAKY_A),
    ),
    "PReLU": (
        lambda x: np.where(x > 0, x, PRELU_A * x),
        lambda x: np.where(x > 0, 1.0, PRELU_A),
    ),
    "sigmoid": (sigmoid, lambda x: sigmoid(x) * (1 - sigmoid(x))),
    "tanh": (np.tanh, lambda x: 1 / np.cosh(x) ** 2),
}


#: Where f' falls below SATURATION = 0.05: f(1 - f) = 0.05 and 1 - tanh^2 = 0.05.
THRESHOLDS = {"sigmoid": 2.8873, "tanh": 2.1783}


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_activation_and_derivative_are_the_closed_forms(activations, name):
    f, df = CLOSED_FORMS[name]
    x, y = line(activations, f"{name} activation")
    np.testing.assert_allclose(y, f(x), rtol=RTOL, atol=ATOL)
    x, dy = line(activations, f"{name} derivative")
    assert x.min() < -4 and x.max() > 4 and 0 in x
    np.testing.assert_allclose(dy, df(x), rtol=1e-10, atol=ATOL)


def test_activation_panels_mark_dead_zone_saturation_and_zero_centre(activations):
    axes = {ax.get_title(loc="left").split(":")[0]: ax for ax in activations.axes}
    assert set(CLOSED_FORMS) <= set(axes)
    words = {name: [t.get_text() for t in ax.texts] for name, ax in axes.items()}
    assert any(t.startswith("dead zone") for t in words["ReLU"])
    for name in ("sigmoid", "tanh"):
        assert sum(t.startswith("saturating") for t in words[name]) == 2  # both tails
        # the shaded spans are where the closed-form derivative is below SATURATION
        x, _ = line(activations, f"{name} activation")
        flat = CLOSED_FORMS[name][1](x) < SATURATION
        starts = sorted(p.get_x() for p in axes[name].patches)  # the axvspans
        assert starts == pytest.approx([x[0], x[flat & (x > 0)].min()])
        assert starts[1] == pytest.approx(THRESHOLDS[name], abs=0.011)  # grid step 0.01
    assert axes["LeakyReLU"].get_title(loc="left") == f"LeakyReLU: a = {LEAKY_A:g} (fixed)"
    assert "PReLU" in axes and f"a = {PRELU_A:g}" in axes["PReLU"].get_title(loc="left")
    zero = axes["zero-centred output"]
    assert any("zero-centred" in t for t in words["zero-centred output"])
    bars = {
        label.get_text(): patch.get_width()
        for label, patch in zip(zero.get_yticklabels(), zero.patches)
    }
    assert bars["tanh"] == pytest.approx(0, abs=1e-9)
    assert bars["sigmoid"] == pytest.approx(0.5)
    assert bars["ReLU"] == pytest.approx(1 / np.sqrt(2 * np.pi), rel=1e-5)  # quadrature


# -- convolution and pooling ------------------------------------------------------
def test_feature_maps_are_correlation_then_relu_and_pools(convolution, image):
    for name, kernel in KERNELS.items():
        expected = np.maximum(correlate2d(image, kernel, mode="same"), 0)  # padding 1
        fmap = shown(convolution, f"feature map: {name}")
        np.testing.assert_allclose(fmap, expected, rtol=1e-12, atol=1e-12)
        blocks = expected.reshape(4, 2, 4, 2)
        np.testing.assert_allclose(
            shown(convolution, f"max pooling: {name}"), blocks.max(axis=(1, 3))
        )
        np.testing.assert_allclose(
            shown(convolution, f"average pooling: {name}"), blocks.mean(axis=(1, 3))
        )


def test_convolution_without_padding(image):
    kernel = KERNELS["vertical edge"]
    fig = convolution_figure(CL.convolution(image, [kernel], ["edge"], padding=0))
    fmap = shown(fig, "feature map: edge")
    np.testing.assert_allclose(fmap, np.maximum(correlate2d(image, kernel, "valid"), 0))
    words = " ".join(texts(fig))
    assert r"\dfrac{8 - 3 + 2\cdot 0}{1} + 1 = 6" in words
    assert r"\dfrac{6 - 2 + 2\cdot 0}{2} + 1 = 3" in words
    assert "feature map 6×6" in words and "max pooling → 3×3" in words


def test_worked_output_size_formulas(convolution):
    words = texts(convolution)
    conv = [t for t in words if r"\dfrac{8 - 3 + 2\cdot 1}{1} + 1 = 8" in t]
    pool = [t for t in words if r"\dfrac{8 - 2 + 2\cdot 0}{2} + 1 = 4" in t]
    assert len(conv) == 1 and len(pool) == 1
    assert r"\dfrac{H_1 - F_H + 2P}{S} + 1" in conv[0]
    assert "input 8×8" in words and "feature map 8×8" in words
    assert "max pooling → 4×4" in words and "average pooling → 4×4" in words


def test_convolution_refuses_mismatched_names(image):
    with pytest.raises(ValueError, match="2 kernels but 1 names"):
        CL.convolution(image, np.zeros((2, 3, 3)), ["one"])


# -- softmax and the losses -------------------------------------------------------
def test_softmax_and_loss_curves_are_the_closed_forms(losses):
    z, p1 = line(losses, "probability of class 1")
    np.testing.assert_allclose(p1, np.exp(z) / (np.exp(z) + 2), rtol=1e-12)
    z, p2 = line(losses, "probability of class 2 and of class 3")
    np.testing.assert_allclose(p2, 1 / (np.exp(z) + 2), rtol=1e-12)
    y_hat, mse = line(losses, "MSE, label y = 1")
    np.testing.assert_allclose(mse, (1 - y_hat) ** 2, rtol=1e-12, atol=1e-15)
    y_hat, bce1 = line(losses, "cross-entropy, label y = 1")
    np.testing.assert_allclose(bce1, -np.log(y_hat), rtol=1e-12)
    y_hat, bce0 = line(losses, "cross-entropy, label y = 0")
    np.testing.assert_allclose(bce0, -np.log(1 - y_hat), rtol=1e-12)
    z, ce = line(losses, "cross-entropy, true class 1")
    np.testing.assert_allclose(ce, np.log(np.exp(z) + 2) - z, rtol=1e-12)
    assert bce1.max() > 5 * mse.max()  # the lesson: unbounded against at most 1
    assert mse.max() <= 1


# -- the fixes of issue 13 ------------------------------------------------------------
def test_convolution_has_a_colour_bar_per_row_and_says_cross_correlation(convolution):
    bars = [ax for ax in convolution.axes if ax.get_title() == "value"]
    assert len(bars) == len(KERNELS)
    for bar, name in zip(bars, KERNELS):
        top = shown(convolution, f"feature map: {name}").max()
        assert bar.get_ylim() == pytest.approx((0, top))  # the row's one colour scale
    words = " ".join(texts(convolution))
    assert "a cross-correlation" in words and "the kernel is not flipped" in words


def test_mse_and_binary_cross_entropy_side_by_side(losses):
    titles = {ax.get_title(loc="left")[:3]: ax for ax in losses.axes}
    mse, bce = titles["(a)"], titles["(b)"]
    assert "MSE" in mse.get_title(loc="left") and "binary" in bce.get_title(loc="left")
    losses.draw_without_rendering()
    assert mse.get_position().y0 == pytest.approx(bce.get_position().y0)  # one row
    assert mse.get_position().x0 < bce.get_position().x0
    assert mse.get_ylim() == bce.get_ylim()  # one loss axis
    # "at most 1" comes with its condition
    assert "[0, 1]" in mse.get_title(loc="left")


def test_activation_labels_do_not_sit_on_the_curves(activations):
    canvas = FigureCanvasAgg(activations)
    canvas.draw()
    renderer = canvas.get_renderer()
    for name in ("sigmoid", "tanh"):
        ax = next(a for a in activations.axes if a.get_title(loc="left").startswith(name))
        (note,) = [t for t in ax.texts if t.get_text().startswith("largest")]
        box = Text.get_window_extent(note, renderer)  # the words, not the arrow
        for line in ax.get_lines()[:4]:
            xy = ax.transData.transform(np.column_stack(line.get_data()))
            inside = (
                (xy[:, 0] > box.x0)
                & (xy[:, 0] < box.x1)
                & (xy[:, 1] > box.y0)
                & (xy[:, 1] < box.y1)
            )
            assert not inside.any(), f"{name}: {note.get_text()!r} on {line.get_label()}"
    legend = " ".join(t.get_text() for t in activations.legends[0].get_texts())
    assert "with respect to the input x" in legend


# -- all three --------------------------------------------------------------------
FIGURES = ("activations", "convolution", "losses")
#: Names and symbols that stay as they are in Chinese (the notes write them so).
KEPT = {"ReLU", "LeakyReLU", "PReLU", "sigmoid", "tanh", "softmax", "MSE", "ln", "df", "dx"}
CATALOGUE = Path(nn_figures.__file__).parent / "locale" / "zh" / "cnn.json"


def _template(key):
    parts = re.split(r"\{[A-Za-z_][A-Za-z0-9_]*\}", key)
    return re.compile("(.+?)".join(re.escape(p) for p in parts) + r"\Z", re.S)


@pytest.mark.parametrize("which", FIGURES)
def test_every_string_with_words_has_its_chinese(request, which):
    fig = request.getfixturevalue(which)
    table = [_template(k) for k in json.loads(CATALOGUE.read_text(encoding="utf-8"))]
    for text in texts(fig):
        words = set(re.findall(r"[A-Za-z]{2,}", " ".join(text.split("$")[::2])))
        if words - KEPT:
            assert any(t.match(text) for t in table), f"{text!r} has no Chinese"


@pytest.mark.parametrize("which", FIGURES)
def test_png_bytes_repeat(request, which, image):
    make = {
        "activations": lambda: activations_figure(CL.activations()),
        "convolution": lambda: convolution_figure(CL.convolution(image)),
        "losses": lambda: losses_figure(CL.losses()),
    }[which]
    first = png(make())
    assert first[:8] == b"\x89PNG\r\n\x1a\n"
    assert png(make()) == first  # same input, same bytes
    fig = request.getfixturevalue(which)
    assert png(fig) == png(fig)  # and a figure saved twice draws the same
