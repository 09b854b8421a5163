"""The training-curves figure: one colour per optimizer, drawn from the records."""

import numpy as np
from matplotlib.colors import to_hex

from optviz.plot.style import color
from optviz.plot.training import (
    curves_figure,
    draw_accuracy_curves,
    draw_error_curves,
    seed_summary,
)
from optviz.records import History, TrainingRun


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
    ax_loss, ax_err = fig.axes
    labels = [t.get_text() for t in ax_err.get_legend().get_texts()]
    assert labels[0].startswith("SGD") and "α=0.1" in labels[0]
    assert labels[2].endswith("(diverged at step 5)")
    assert "diverged" in [t.get_text() for t in ax_err.texts]
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
    artists = draw_accuracy_curves(ax, TrainingRun("d", [fake_history("momentum")]))
    np.testing.assert_allclose(artists[0].get_ydata(), 100 * np.linspace(0.3, 0.95, 4))
    assert ax.get_ylim()[1] > 100


def seeds(n=3):
    """n runs whose validation accuracy differs by seed: 0.90, 0.95, 0.99 at the end."""
    runs = []
    for k, final in enumerate((0.90, 0.95, 0.99)[:n]):
        h = fake_history("adam")
        h.val_accuracy = np.linspace(0.5, final, 4)
        runs.append(TrainingRun("d", [h], seed=k, meta={"data": {"n_val": 200}}))
    return runs


def test_error_rate_is_the_median_of_the_seeds_on_a_log_axis():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    line = draw_error_curves(ax, seeds())[0]
    # median accuracy at the end is 0.95: a 5% error rate
    np.testing.assert_allclose(line.get_ydata()[-1], 5.0)
    assert ax.get_yscale() == "log"
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    np.testing.assert_allclose([band.min(), band.max()], [1.0, 50.0], rtol=1e-9)


def test_no_errors_is_drawn_at_half_an_image():
    import matplotlib.pyplot as plt

    h = fake_history("sgd")
    h.val_accuracy = np.array([0.5, 0.9, 1.0, 1.0])
    fig, ax = plt.subplots()
    run = TrainingRun("d", [h], meta={"data": {"n_val": 50}})
    line = draw_error_curves(ax, run)[0]
    np.testing.assert_allclose(line.get_ydata(), [50.0, 10.0, 1.0, 1.0])  # 1% = 1/2 of 2%


def test_seed_summary_and_mismatched_seeds():
    import pytest

    med, lo, hi = seed_summary(
        [np.array([1.0, 2.0]), np.array([3.0, 8.0]), np.array([2.0, 4.0])]
    )
    assert (
        med.tolist() == [2.0, 4.0]
        and lo.tolist() == [1.0, 2.0]
        and hi.tolist() == [3.0, 8.0]
    )
    other = TrainingRun("d", [fake_history("sgd")])
    with pytest.raises(ValueError, match="same optimizers"):
        curves_figure([seeds(1)[0], other])


def test_validation_errors_are_counted_in_images():
    h = fake_history("adam")
    h.val_accuracy = np.array([0.5, 0.99, 0.985, np.nan])
    # 200 images: 100 wrong, 2 wrong, 3 wrong, an epoch not run
    np.testing.assert_array_equal(h.val_errors(200), [100.0, 2.0, 3.0, np.nan])


def test_the_error_panel_counts_images_on_a_linear_axis():
    import matplotlib.pyplot as plt

    from optviz.plot.training import draw_error_counts

    fig, ax = plt.subplots()
    line = draw_error_counts(ax, seeds())[0]
    # the seeds end at 90%, 95%, 99% of 200 images: 20, 10, 2 wrong; the median is 10
    # per epoch: (1 - linspace(0.5, final, 4)) x 200, rounded; the median seed
    np.testing.assert_array_equal(line.get_ydata(), [100.0, 70.0, 40.0, 10.0])
    assert ax.get_yscale() == "linear" and ax.get_ylim()[0] == 0
    (end,) = [t for t in ax.texts if t.get_gid() == "errors"]
    assert end.get_text() == "10 of 200 wrong"
    assert "of 200" in ax.get_ylabel()
    plt.close(fig)


def test_the_training_figure_states_each_optimizers_last_count():
    run = TrainingRun(
        "digits",
        [fake_history("sgd"), fake_history("adam")],
        meta={"batch_size": 64, "data": {"n_train": 100, "n_val": 20}},
    )
    fig = curves_figure(run)
    ends = [t.get_text() for t in fig.axes[1].texts if t.get_gid() == "errors"]
    # the last accuracy 0.95 of 20 images: 1 wrong, for both
    assert ends == ["1 of 20 wrong", "1 of 20 wrong"]
