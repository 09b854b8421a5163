"""Issue 26, workers and Dask: local workers never outnumber the runs or the memory;
--jobs with --scheduler is a usage error; every scheduler address error is one line,
and a scheduler that never answers is given up after the timeout. The servers are
loopback ones the tests start themselves, closed after a bounded time."""

from __future__ import annotations

import http.server
import json
import socket
import threading

import pytest
from click.testing import CliRunner
from helpers import assert_one_line_error

from optviz import budget
from optviz import cnn_sweep as cs
from optviz.cli import main

#: One tiny training run.
ONE_RUN = [
    "--epochs",
    "1",
    "--limit",
    "30",
    "--lr",
    "0.1:0.1:1",
    "--seeds",
    "1",
    "-o",
    "sgd",
]
#: The longest a test server stays up (a client without a timeout fails, not hangs).
SERVER_LIFE = 30.0


def invoke(tmp_path, *args):
    base = ["cnn-sweep", *ONE_RUN, "--cache", tmp_path / "c", "--out", tmp_path / "x.png"]
    return CliRunner().invoke(main, [str(a) for a in [*base, *args]])


def assert_only_line(result, *fragments):
    assert_one_line_error(result, *fragments)
    assert len(result.output.strip().splitlines()) == 1, result.output


# -- local workers -------------------------------------------------------------------------
def test_workers_never_outnumber_the_runs(monkeypatch):
    monkeypatch.setattr(budget, "available_memory", lambda: 1e12)
    assert budget.cap_workers(150, 1, cores=2) == (1, "1 worker: one per run")
    assert budget.cap_workers(-1, 3, cores=8) == (3, "3 workers: one per run")
    assert budget.cap_workers(-1, 100, cores=8) == (8, None)
    assert budget.cap_workers(4, 100, cores=2) == (4, None)  # asked for: allowed


def test_workers_never_outnumber_what_the_memory_holds(monkeypatch):
    # 0.9 x 10 GB / 1 GB each = 9 workers, whatever was asked for
    monkeypatch.setattr(budget, "available_memory", lambda: 10e9)
    workers, why = budget.cap_workers(150, 1000, cores=2, per_worker=1e9)
    assert workers == 9 and "memory available" in why
    monkeypatch.setattr(budget, "available_memory", lambda: 1e6)
    assert budget.cap_workers(-1, 1000, cores=2, per_worker=1e9)[0] == 1  # never 0


def test_one_run_starts_one_worker_however_many_jobs(tmp_path):
    result = invoke(tmp_path, "--jobs", "150")
    assert result.exit_code == 0, result.output
    side = json.loads((tmp_path / "x.json").read_text())  # x.npz's, beside x.png
    assert side["parallel"] == "joblib, 1 local process"


def test_the_jobs_help_states_the_caps():
    text = " ".join(CliRunner().invoke(main, ["cnn-sweep", "--help"]).output.split())
    assert "never more than the runs to train or than the memory available" in text
    assert "Not with --scheduler" in text


def test_jobs_with_a_scheduler_is_a_usage_error(tmp_path):
    for jobs in ("4", "-1"):
        result = invoke(tmp_path, "--jobs", jobs, "--scheduler", "tcp://127.0.0.1:9")
        assert result.exit_code == 2
        assert_only_line(result, "--jobs sets the local processes", "--scheduler")


# -- Dask addresses ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "address, fragment",
    [
        ("tls://127.0.0.1:8786", "tcp:// only"),
        ("ucx://127.0.0.1:8786", "tcp:// only"),
        ("http://127.0.0.1:8786", "tcp:// only"),
        ("127.0.0.1", "is not tcp://HOST:PORT"),
        ("tcp://127.0.0.1:99999", "is not tcp://HOST:PORT"),
        ("tcp://:8786", "is not tcp://HOST:PORT"),
    ],
)
def test_an_address_optviz_cannot_use_is_one_line(tmp_path, address, fragment):
    result = invoke(tmp_path, "--scheduler", address)
    assert result.exit_code == 1
    assert_only_line(result, fragment)
    assert not (tmp_path / "x.png").exists()


@pytest.fixture
def silent_port():
    """A loopback port that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(SERVER_LIFE)
    held = []

    def serve():
        try:
            while True:
                held.append(server.accept()[0])
        except OSError:  # closed, or SERVER_LIFE without a connection
            pass

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for conn in held:
        conn.close()


@pytest.fixture
def http_port():
    """A loopback port that answers HTTP (any request: 200 and a short body)."""

    class Answer(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"hello")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    server.timeout = SERVER_LIFE
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    timer = threading.Timer(SERVER_LIFE, server.shutdown)
    timer.start()
    yield server.server_address[1]
    timer.cancel()
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("server", ["silent_port", "http_port"])
def test_a_server_that_is_no_dask_scheduler_is_given_up_in_one_line(
    tmp_path, monkeypatch, request, server
):
    port = request.getfixturevalue(server)
    monkeypatch.setattr(cs, "SCHEDULER_TIMEOUT", "1s")
    result = invoke(tmp_path, "--scheduler", f"tcp://127.0.0.1:{port}")
    assert result.exit_code == 1
    assert_only_line(result, f"tcp://127.0.0.1:{port}", "Dask scheduler")
    assert not (tmp_path / "x.png").exists()


def test_gallery_workers_never_outnumber_the_entries_or_the_memory(tmp_path, monkeypatch):
    from optviz import gallery

    asked = []

    def build(out, *, jobs, **kwargs):
        asked.append(jobs)
        return []

    monkeypatch.setattr(gallery, "build", build)
    monkeypatch.setattr(budget, "available_memory", lambda: 1e12)
    out = str(tmp_path / "g")
    CliRunner().invoke(
        main, ["gallery", "--out", out, "--only", "convolution", "--jobs", "64"]
    )
    # 0.9 x 1 GB / 250 MB: 3 workers for the whole gallery
    monkeypatch.setattr(budget, "available_memory", lambda: 1e9)
    CliRunner().invoke(main, ["gallery", "--out", out, "--jobs", "64"])
    assert asked == [1, 3]
