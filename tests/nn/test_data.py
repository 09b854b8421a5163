"""Data sets: the shipped digits, generated shapes, IDX files the tests write."""

import gzip
import re
import struct

import numpy as np
import pytest

from optviz.nn.data import (
    SHAPES,
    digits,
    load_dataset,
    load_idx,
    read_idx,
    shapes,
    train_val_split,
)


def idx_bytes(array, code=0x08):
    array = np.asarray(array)
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_idx(path, array, gz=False, code=0x08):
    data = idx_bytes(array, code)
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


def fake_mnist(folder, n=30, size=6, test=True, gz=True, rng=None):
    rng = rng or np.random.default_rng(0)
    ext = ".gz" if gz else ""
    images = rng.integers(0, 256, (n, size, size), dtype=np.uint8)
    labels = rng.integers(0, 10, n, dtype=np.uint8)
    write_idx(folder / f"train-images-idx3-ubyte{ext}", images, gz)
    write_idx(folder / f"train-labels-idx1-ubyte{ext}", labels, gz)
    if test:
        write_idx(folder / f"t10k-images-idx3-ubyte{ext}", images[:7], gz)
        write_idx(folder / f"t10k-labels-idx1-ubyte{ext}", labels[:7], gz)
    return images, labels


def test_digits_are_shipped_and_scaled():
    x, y = digits()
    assert x.shape == (1797, 1, 8, 8) and x.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    assert sorted(set(y.tolist())) == list(range(10))
    assert np.all(np.bincount(y) > 170)  # about 180 of each digit
    # values were whole numbers 0..16 before scaling
    np.testing.assert_allclose(x * 16, np.round(x * 16), atol=1e-6)
    x64, _ = digits(np.float64)
    assert x64.dtype == np.float64


def test_digits_copies_are_independent():
    x, y = digits()
    x[...] = 0
    y[...] = 0
    x2, y2 = digits()
    assert x2.max() == 1.0 and y2.max() == 9


def test_shapes_are_seeded_and_in_range():
    x, y = shapes(200, size=20, seed=3, noise=0.05)
    x2, y2 = shapes(200, size=20, seed=3, noise=0.05)
    x3, _ = shapes(200, size=20, seed=4, noise=0.05)
    assert x.shape == (200, 1, 20, 20) and x.dtype == np.float32
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(x, x3)
    assert 0.0 <= x.min() and x.max() <= 1.0
    assert set(y.tolist()) == set(range(len(SHAPES)))


def test_shapes_draw_what_they_say():
    x, y = shapes(40, size=24, noise=0.0, kinds=("square", "cross"), seed=0)
    for image, label in zip(x[:, 0] > 0, y):
        rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
        box = image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        if label == 0:  # a square fills its bounding box
            assert box.all()
        else:  # a cross leaves the corners of its box empty
            assert not box[0, 0] and not box[-1, -1] and box[len(box) // 2].all()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n": 0}, "n must be"),
        ({"size": 3}, "size must be"),
        ({"kinds": ("circle", "blob")}, "unknown shape 'blob'"),
        ({"kinds": ("circle",)}, "at least two"),
        ({"noise": -1}, "noise must be"),
    ],
)
def test_shapes_reject_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        shapes(**kwargs)


@pytest.mark.parametrize("gz", [False, True])
def test_idx_round_trip(tmp_path, gz):
    images, labels = fake_mnist(tmp_path, gz=gz)
    parts = load_idx(tmp_path)
    x, y = parts["train"]
    assert x.shape == (30, 1, 6, 6) and x.dtype == np.float32
    np.testing.assert_allclose(x[:, 0] * 255, images, atol=1e-4)
    np.testing.assert_array_equal(y, labels)
    assert parts["test"][0].shape == (7, 1, 6, 6)


def test_idx_without_test_files_and_dotted_names(tmp_path):
    rng = np.random.default_rng(1)
    write_idx(tmp_path / "train-images.idx3-ubyte", rng.integers(0, 255, (5, 4, 3)))
    write_idx(tmp_path / "train-labels.idx1-ubyte", np.arange(5))
    parts = load_idx(tmp_path)
    assert set(parts) == {"train"}
    assert parts["train"][0].shape == (5, 1, 4, 3)


def test_read_idx_other_types(tmp_path):
    values = np.arange(6, dtype=">i4").reshape(2, 3)
    header = bytes([0, 0, 0x0C, 2]) + struct.pack(">2I", 2, 3)
    (tmp_path / "ints").write_bytes(header + values.tobytes())
    np.testing.assert_array_equal(read_idx(tmp_path / "ints"), values)


def test_bad_idx_files_give_clear_errors(tmp_path):
    good = idx_bytes(np.zeros((4, 3, 3)))
    cases = {
        "magic": b"\x12\x34" + good[2:],
        "type": good[:2] + b"\x42" + good[3:],
        "truncated": good[:-5],
        "long": good + b"\x00",
        "tiny": b"\x00\x00",
        "header": good[:9],
        "gzip": b"\x1f\x8b" + b"not gzip at all",
    }
    messages = {
        "magic": "bad magic number 0x12340803",
        "type": "bad magic number",
        "truncated": "truncated: the header says 4 x 3 x 3 values (36 bytes of data), "
        "the file has 31",
        "long": "too long",
        "tiny": "truncated",
        "header": "truncated header",
        "gzip": "broken gzip data",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(ValueError, match=re.escape(messages[name])) as err:
            read_idx(path)
        assert str(path) in str(err.value)


def test_idx_folder_errors(tmp_path):
    with pytest.raises(ValueError, match="no train-images-idx3-ubyte"):
        load_idx(tmp_path)
    with pytest.raises(ValueError, match="is not a folder"):
        load_idx(tmp_path / "missing")
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros((4, 3, 3)))
    with pytest.raises(ValueError, match="not train-labels-idx1-ubyte"):
        load_idx(tmp_path)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(5))
    with pytest.raises(ValueError, match="4 train images but 5 labels"):
        load_idx(tmp_path)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros((4, 2)))
    with pytest.raises(ValueError, match="labels must have 1 dimension"):
        load_idx(tmp_path)


def test_load_dataset_by_name(tmp_path):
    data = load_dataset("digits", seed=0)
    assert data.x_train.shape == (1438, 1, 8, 8) and data.x_val.shape == (359, 1, 8, 8)
    assert data.n_classes == 10 and data.image_shape == (1, 8, 8)
    assert data.describe()["source"]["license"] == "CC BY 4.0"
    again = load_dataset("digits", seed=0)
    other = load_dataset("digits", seed=1)
    np.testing.assert_array_equal(data.y_val, again.y_val)
    assert not np.array_equal(data.y_val, other.y_val)
    # every image ends up in exactly one of the two sets
    assert len(data.y_train) + len(data.y_val) == 1797

    small = load_dataset("shapes:n=120,size=10", seed=2)
    assert small.x_train.shape[1:] == (1, 10, 10) and len(small.y_train) == 96
    assert small.classes == SHAPES

    fake_mnist(tmp_path)
    mnist = load_dataset(f"idx:{tmp_path}", val_fraction=0.1)
    assert mnist.x_train.shape == (27, 1, 6, 6) and mnist.x_test.shape == (7, 1, 6, 6)
    assert load_dataset("digits", limit=100).describe()["n_train"] == 80


@pytest.mark.parametrize(
    "spec, message",
    [
        ("digit", "unknown dataset 'digit'. Did you mean digits?"),
        ("cifar", "Use digits, shapes or idx:DIR"),
        ("idx", "idx needs a folder"),
        ("idx:/no/such/folder", "is not a folder"),
        ("shapes:n=ten", "n must be a number"),
        ("shapes:colour=red", "KEY one of n, size, noise"),
        ("digits:n=3", "digits takes no options"),
    ],
)
def test_load_dataset_errors(spec, message):
    with pytest.raises(ValueError, match=message):
        load_dataset(spec)


def test_split_is_seeded_and_checked():
    x, y = np.arange(10)[:, None], np.arange(10)
    a = train_val_split(x, y, 0.3, seed=1)
    b = train_val_split(x, y, 0.3, seed=1)
    assert len(a[3]) == 3 and np.array_equal(a[3], b[3])
    assert sorted(np.concatenate([a[1], a[3]]).tolist()) == list(range(10))
    with pytest.raises(ValueError, match=r"val_fraction must be in \(0, 1\)"):
        train_val_split(x, y, 1.0)
