"""The training-curves figure: one colour per optimizer, drawn from the records."""

import numpy as np
from matplotlib.colors import to_hex

from optviz.history import History, TrainingRun
from optviz.plot.style import color
from optviz.plot.training import curves_figure, draw_accuracy_curves


def fake_history(name, epochs=4, diverge=False):
    loss = np.linspace(2.0, 0.2, epochs)
    acc = np.linspace(0.3, 0.95, epochs)
    diverged_at = -1
    if diverge:
        loss[2:], acc[2:] = np.nan, np.nan
        diverged_at = 5
    return History(
        name,
        name,
        {"lr": 0.1},
        step_loss=np.linspace(2.5, 0.1, 2 * epochs),
        step_epoch=np.repeat(np.arange(1, epochs + 1), 2),
        train_loss=loss * 1.1,
        train_accuracy=acc - 0.02,
        val_loss=loss,
        val_accuracy=acc,
        diverged_at=diverged_at,
    )


def test_curves_use_the_optviz_colours_and_mark_divergence():
    run = TrainingRun(
        "digits",
        [fake_history("sgd"), fake_history("adam"), fake_history("rmsprop", diverge=True)],
        seed=0,
        meta={"batch_size": 64, "data": {"n_train": 100, "n_val": 20}},
    )
    fig = curves_figure(run)
    ax_loss, ax_acc = fig.axes
    labels = [t.get_text() for t in ax_acc.get_legend().get_texts()]
    assert labels[0].startswith("SGD") and "α=0.1" in labels[0]
    assert labels[2].endswith("(diverged)")
    solid = [line for line in ax_loss.get_lines() if line.get_linestyle() == "-"]
    assert [to_hex(line.get_color()) for line in solid] == [
        color("sgd").lower(),
        color("adam").lower(),
        color("rmsprop").lower(),
    ]
    assert ax_loss.get_yscale() == "log"
    assert "digits" in fig._suptitle.get_text()


def test_accuracy_in_percent():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    artists = draw_accuracy_curves(ax, [fake_history("momentum")])
    np.testing.assert_allclose(artists[0].get_ydata(), 100 * np.linspace(0.3, 0.95, 4))
    assert ax.get_ylim()[1] > 100
