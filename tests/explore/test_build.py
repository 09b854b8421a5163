"""Building the page in Python (no browser): the command, the API, bad input."""

import html

import numpy as np
import pytest
from click.testing import CliRunner

import optviz
from optviz.cli import main
from optviz.explore import TranslationError, surface_js
from optviz.surfaces import SURFACES, Point, Surface


def test_command_writes_one_self_contained_file(tmp_path):
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["explore", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n"
    text = out.read_text(encoding="utf-8")
    assert out.stat().st_size < 1_000_000
    # nothing to fetch: no external URL in any src/href, a CSP that forbids the network
    assert 'src="http' not in text and 'href="http' not in text
    assert "default-src 'none'" in text
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["rosenbrok"], "Did you mean rosenbrock?"),
        (["-o", "adamm"], "unknown optimizer 'adamm'"),
        (["-o", "adam:lr=-1"], "lr must be"),
        (["-o", "sgd:schedule=cosine"], "schedules"),
        (["--lang", "fr"], "'fr' is not one of"),
        (["--out", "page.png"], "allowed: .html, .htm"),
        (["--steps", "50000"], "1<=x<=20000"),
        (["--start", "1,nan"], "must be finite"),
    ],
)
def test_bad_input_is_a_one_line_error(tmp_path, args, message):
    out = ["--out", str(tmp_path / "e.html")] if "--out" not in args else []
    result = CliRunner().invoke(main, ["explore", *args, *out])
    assert result.exit_code != 0
    assert message in result.output, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "e.html").exists()


def test_python_api_displays_inline_in_jupyter():
    page = optviz.explore("booth", ["sgd", "adam:lr=0.5"], start=(0.0, 0.0), steps=50)
    frame = page._repr_html_()
    assert frame.startswith("<iframe srcdoc=")
    assert html.unescape(frame.split('srcdoc="')[1].split('" style=')[0]) == page.html
    assert "booth" in repr(page)


def test_every_surface_translates():
    for name, surface in SURFACES.items():
        js = surface_js(surface)
        assert "function value(x, y)" in js and "function grad(x, y, out)" in js, name


def _custom(value, grad):
    return Surface(
        name="custom",
        title="custom",
        value=value,
        grad=grad,
        domain=((-1.0, 1.0), (-1.0, 1.0)),
        minima=(Point(0.0, 0.0, 0.0),),
        latex="x",
        reference="a test",
        start=(0.5, 0.5),
        lr={"sgd": 0.1},
    )


def test_an_unsupported_construct_is_named():
    def value(xy):
        return np.arcsinh(xy[..., 0]) + xy[..., 1]

    def grad(xy):
        return xy

    with pytest.raises(TranslationError, match=r"custom.*np\.arcsinh is not supported"):
        surface_js(_custom(value, grad))

    def branchy(xy):
        return xy[..., 0] if xy[..., 0] > 0 else xy[..., 1]

    with pytest.raises(TranslationError, match="branch"):
        surface_js(_custom(branchy, grad))


def test_a_user_defined_surface_translates_with_its_closure():
    scale = 3.0

    def value(xy):
        return scale * np.sum(xy**2, axis=-1)

    def grad(xy):
        return 2 * scale * xy

    js = surface_js(_custom(value, grad))
    assert "3.0" in js and "(x * x)" in js


def test_a_surface_outside_the_registry_says_its_commands_use_the_name():
    from optviz.surfaces import quadratic

    page = optviz.explore(quadratic(kappa=4.0), ["sgd"], steps=20)
    assert '"registered": false' in page.html
    assert "4 y" in page.html  # its own formula, kappa = 4
    assert '"registered": true' in optviz.explore("quadratic", ["sgd"], steps=20).html
