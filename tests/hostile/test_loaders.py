"""Hostile inputs to the CNN's loaders: tiny files that ask for gigabytes, labels that
ask for absurd layers, NaN where numbers belong, settings that build giant networks.

Every case must end in a one-line ValueError that names the file (or the setting) and
what was wrong. They all run in ONE child process whose address space is capped at
:data:`MEMORY_LIMIT` (``resource.RLIMIT_AS``), so a loader that allocates from a header
before checking it fails with MemoryError instead of passing.
"""

import gzip
import json
import struct
import subprocess
import sys

import numpy as np
import pytest

resource = pytest.importorskip("resource")  # POSIX only

MEMORY_LIMIT = 1536 * 1024 * 1024  # 1.5 GiB of address space for the whole child
ZEROS = 16 * 1024 * 1024  # one gzip member of the bomb: 16 MiB of zeros
BOMB_MEMBERS = 100  # ~1.6 GiB decompressed from ~1.6 MB: more than MEMORY_LIMIT

CHILD = """
import json, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from optviz.nn.data import load_dataset, read_idx, shapes
from optviz.nn.model import model_from_builder, default_cnn
cases = json.loads(sys.stdin.read())
out = {}
for name, code in cases.items():
    try:
        exec(code, {"load_dataset": load_dataset, "read_idx": read_idx,
                    "shapes": shapes, "model_from_builder": model_from_builder,
                    "default_cnn": default_cnn})
        out[name] = ["ok", ""]
    except ValueError as exc:
        out[name] = ["ValueError", str(exc)]
    except BaseException as exc:  # MemoryError, OverflowError, ...: a failure
        out[name] = [type(exc).__name__, str(exc)[:300]]
print(json.dumps(out))
"""


def header(code, dims):
    return bytes([0, 0, code, len(dims)]) + struct.pack(f">{len(dims)}I", *dims)


def idx(array, code=0x08, dtype=np.uint8):
    array = np.asarray(array)
    big = np.dtype(dtype).newbyteorder(">") if np.dtype(dtype).itemsize > 1 else dtype
    return header(code, array.shape) + array.astype(big).tobytes()


def folder(root, name, images, labels, gz=False):
    """A folder with train-images/train-labels files holding the given bytes."""
    d = root / name
    d.mkdir()
    ext = ".gz" if gz else ""
    (d / f"train-images-idx3-ubyte{ext}").write_bytes(images)
    (d / f"train-labels-idx1-ubyte{ext}").write_bytes(labels)
    return d


def gzip_bomb(head: bytes) -> bytes:
    """``head`` then BOMB_MEMBERS x ZEROS zero bytes, as concatenated gzip members
    (one stream to a reader), compressed once: about 1.6 MB for 1.6 GiB."""
    zeros = gzip.compress(bytes(ZEROS), compresslevel=9, mtime=0)
    return gzip.compress(head, mtime=0) + zeros * BOMB_MEMBERS


GOOD_IMAGES = idx(np.zeros((4, 3, 3)))
GOOD_LABELS = idx(np.arange(4))


def builder(**arguments):
    base = {"input_shape": [1, 8, 8], "n_classes": 10, "channels": [4, 8]}
    base.update(arguments)
    return {"function": "optviz.nn.model.default_cnn", "arguments": base}


def make_cases(root):
    """name -> (code run in the child, fragments the message must hold)."""
    cases = {}

    def data_case(name, images, labels, fragments, gz=False):
        d = folder(root, name, images, labels, gz)
        cases[name] = (f"load_dataset({f'idx:{d}'!r})", [str(d), *fragments])

    # A 248-byte labels file holding the label 2**31 - 1: two billion class names.
    labels = header(0x0C, (4,)) + struct.pack(">4i", 0, 1, 2, 2**31 - 1)
    data_case("label_int32_max", GOOD_IMAGES, labels, ["2147483647", "MAX_CLASSES"])
    # A label of 10**7 would ask for a 10**7-wide output layer (9.5 GiB).
    labels = header(0x0C, (4,)) + struct.pack(">4i", 0, 1, 2, 10**7)
    data_case("label_1e7", GOOD_IMAGES, labels, ["10000000", "MAX_CLASSES"])
    # NaN and fractional labels, NaN pixels.
    nan_labels = idx(np.array([0, 1, np.nan, 2]), 0x0D, np.float32)
    data_case("nan_labels", GOOD_IMAGES, nan_labels, ["labels", "NaN"])
    float_labels = idx(np.array([0, 1, 1.5, 2]), 0x0D, np.float32)
    data_case("float_labels", GOOD_IMAGES, float_labels, ["labels", "integers"])
    nan_pixels = np.zeros((4, 3, 3))
    nan_pixels[1, 1, 1] = np.nan
    data_case(
        "nan_images", idx(nan_pixels, 0x0D, np.float32), GOOD_LABELS, ["1 pixel", "NaN"]
    )
    # Images too large to be a teaching CNN's input, or too many to hold as floats.
    data_case(
        "wide_images",
        header(0x08, (1, 2000, 3)) + bytes(6000),
        idx(np.zeros(1)),
        ["2000 x 3 pixels", "MAX_IMAGE_SIDE"],
    )
    # (with the limit lowered to 100,000 numbers in the child, so the file stays small)
    data_case(
        "too_many_floats",
        header(0x08, (1600, 8, 8)) + bytes(1600 * 64),
        header(0x08, (1600,)) + bytes(1600),
        ["102400 numbers", "MAX_FLOAT_VALUES", "--limit"],
    )
    code, fragments = cases["too_many_floats"]
    cases["too_many_floats"] = (
        f"import optviz.nn.idx as d; d.MAX_FLOAT_VALUES = 100_000; {code}",
        fragments,
    )
    # Gzip: 36 bytes declared, 1.6 GiB inside; and 6e11 bytes declared.
    data_case(
        "gzip_bomb",
        gzip_bomb(header(0x08, (4, 3, 3))),
        gzip.compress(GOOD_LABELS),
        ["train-images", "too long"],
        gz=True,
    )
    # The control: reading the bomb naively must exhaust the cap, or the cap proves
    # nothing about the bounded reader above.
    bomb = root / "gzip_bomb" / "train-images-idx3-ubyte.gz"
    cases["control_naive_gzip"] = (
        f"import gzip; gzip.decompress(open({str(bomb)!r}, 'rb').read())",
        [],
    )
    data_case(
        "gzip_huge_header",
        gzip_bomb(header(0x08, (60000, 100000, 100))),
        gzip.compress(GOOD_LABELS),
        ["600000000000 bytes", "MAX_IDX_BYTES"],
        gz=True,
    )
    # Dimensions whose product overflows int64, in a 16-byte file.
    overflow = root / "overflow-idx3-ubyte"
    overflow.write_bytes(header(0x0E, (2**32 - 1,) * 3))
    cases["overflow"] = (
        f"read_idx({str(overflow)!r})",
        [str(overflow), "truncated", "4294967295 x 4294967295 x 4294967295"],
    )
    # 255 dimensions: the message is cut, still one line.
    many = root / "many-dims"
    many.write_bytes(header(0x08, (7,) * 255))
    cases["many_dims"] = (f"read_idx({str(many)!r})", [str(many), "truncated", "..."])
    # Generated data sets.
    cases["shapes_n"] = ("load_dataset('shapes:n=100000000')", ["n", "MAX_SHAPES_N"])
    cases["shapes_size"] = ("load_dataset('shapes:size=100000')", ["MAX_SHAPES_SIZE"])
    cases["shapes_pixels"] = (
        "shapes(100000, 256)",
        ["100000 x 256 x 256", "MAX_SHAPES_PIXELS"],
    )
    # Network settings from a run folder's settings.json.
    for name, b, fragments in (
        ("wide_channels", builder(channels=[10**5, 10**5]), ["MAX_CHANNELS"]),
        ("huge_image", builder(input_shape=[3, 10**5, 10**5]), ["MAX_IMAGE_SIDE"]),
        ("many_classes", builder(n_classes=10**7), ["MAX_CLASSES"]),
        (
            "big_network",
            builder(input_shape=[3, 1024, 1024], channels=[1024, 1024]),
            ["parameters", "MAX_PARAMETERS"],
        ),
        (
            "big_activations",
            builder(input_shape=[64, 1024, 1024], channels=[8, 16]),
            ["MAX_ACTIVATIONS"],
        ),
        ("extra_keyword", builder(evil=1), ["unknown 'evil'"]),
        ("string_size", builder(channels=["32", 64]), ["channels[0]", "whole number"]),
        ("not_a_builder", ["default_cnn"], ["default network"]),
    ):
        cases[name] = (
            f"model_from_builder({b!r}, 'run/settings.json')",
            ["run/settings.json", *fragments],
        )
    cases["api_channels"] = ("default_cnn((1, 8, 8), 10, channels=(8, 10**6))", ["MAX"])
    cases["api_huge_network"] = (
        "default_cnn((3, 1024, 1024), 10, channels=(1024, 1024))",
        ["MAX_PARAMETERS"],
    )
    return cases


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    cases = make_cases(root)
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(MEMORY_LIMIT)],
        input=json.dumps({name: code for name, (code, _) in cases.items()}),
        capture_output=True,
        text=True,
        env={"OPENBLAS_NUM_THREADS": "1", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert child.returncode == 0, child.stderr[-2000:]
    results = json.loads(child.stdout)
    return {name: (results[name], fragments) for name, (_, fragments) in cases.items()}


CASE_NAMES = [
    "label_int32_max",
    "label_1e7",
    "nan_labels",
    "float_labels",
    "nan_images",
    "wide_images",
    "too_many_floats",
    "gzip_bomb",
    "gzip_huge_header",
    "overflow",
    "many_dims",
    "shapes_n",
    "shapes_size",
    "shapes_pixels",
    "wide_channels",
    "huge_image",
    "many_classes",
    "big_network",
    "big_activations",
    "extra_keyword",
    "string_size",
    "not_a_builder",
    "api_channels",
    "api_huge_network",
]


def test_the_memory_cap_catches_a_naive_loader(outcomes):
    (kind, _), _ = outcomes["control_naive_gzip"]
    assert kind == "MemoryError"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_hostile_input_is_a_one_line_value_error(outcomes, name):
    (kind, message), fragments = outcomes[name]
    assert kind == "ValueError", f"{name}: {kind}: {message}"
    assert "\n" not in message and len(message) < 400, message
    for fragment in fragments:
        assert fragment in message, f"{name}: {fragment!r} not in {message!r}"


def test_every_case_is_listed(tmp_path):
    assert sorted(make_cases(tmp_path)) == sorted([*CASE_NAMES, "control_naive_gzip"])


def test_limit_is_applied_before_the_images_become_floats(tmp_path, monkeypatch):
    """With --limit 10 of 500 images, only 10 images are ever converted to floats."""
    from optviz.nn import data as data_module

    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (500, 5, 5))
    folder(tmp_path, "mnist", idx(images), idx(rng.integers(0, 10, 500)))
    converted = []
    original = data_module.to_float_images

    def spy(x, dtype, source="images"):
        converted.append(len(x))
        return original(x, dtype, source)

    monkeypatch.setattr(data_module, "to_float_images", spy)
    data = data_module.load_dataset(f"idx:{tmp_path / 'mnist'}", limit=10, seed=3)
    assert converted == [10]
    assert len(data.y_train) + len(data.y_val) == 10
    # the subset is the same images as without the early cut, in their order
    keep = np.sort(np.random.default_rng(3).permutation(500)[:10])
    got = np.rint(np.concatenate([data.x_train, data.x_val])[:, 0] * 255).astype(int)
    assert sorted(map(bytes, got.astype(np.uint8))) == sorted(
        map(bytes, images[keep].astype(np.uint8))
    )


def test_uint8_images_are_scaled_in_the_target_precision(tmp_path):
    from optviz.nn.data import load_idx

    folder(tmp_path, "m", idx(np.full((4, 3, 3), 51)), GOOD_LABELS)
    x, _ = load_idx(tmp_path / "m", np.float32)["train"]
    assert x.dtype == np.float32 and np.all(x == np.float32(0.2))


def test_gzip_idx_still_reads(tmp_path):
    """The bounded reader still reads a normal gzipped file exactly."""
    from optviz.nn.data import read_idx

    values = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    path = tmp_path / "ok.gz"
    path.write_bytes(gzip.compress(idx(values)))
    np.testing.assert_array_equal(read_idx(path), values)
    broken = tmp_path / "broken.gz"
    broken.write_bytes(gzip.compress(idx(values))[:-12])
    with pytest.raises(ValueError, match="broken.gz"):
        read_idx(broken)


def test_a_limit_makes_a_large_set_loadable(tmp_path, monkeypatch):
    """Too many images to hold as floats, but --limit takes a subset first."""
    from optviz.nn import idx as idx_module
    from optviz.nn.data import load_dataset

    monkeypatch.setattr(idx_module, "MAX_FLOAT_VALUES", 64_000)
    n = 1000 + 1000
    folder(
        tmp_path,
        "big",
        header(0x08, (n, 8, 8)) + bytes(n * 64),
        header(0x08, (n,)) + bytes(n),
    )
    with pytest.raises(ValueError, match="MAX_FLOAT_VALUES"):
        load_dataset(f"idx:{tmp_path / 'big'}")
    data = load_dataset(f"idx:{tmp_path / 'big'}", limit=50)
    assert len(data.y_train) + len(data.y_val) == 50
