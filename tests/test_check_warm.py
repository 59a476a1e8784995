"""Warm mode (``jixiao serve``, reviewer.warm): a check served by the running server gives
the same stdout, stderr and exit status as a cold ``jixiao check``; a server whose code
changed on disk serves nothing (the caller runs cold); ``JIXIAO_SERVE=off`` bypasses it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reviewer.warm import client
from reviewer.warm.server import WarmServer, request, wait_until_up

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "tests" / "data" / "seeds"
SEED_1 = SEEDS / "001_636fdea54536b2e6.txt"
SEED_16 = SEEDS / "000_2771c63391ef5ec7.txt"


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("warm")
    os.chmod(tmp, 0o700)
    sock = tmp / "serve.sock"
    env = {**os.environ, "JIXIAO_SERVE_SOCKET": str(sock), "JIXIAO_EMBED_CACHE": str(tmp / "emb.sqlite3")}
    env.pop("JIXIAO_SERVE", None)
    server = subprocess.Popen([sys.executable, "-m", "reviewer", "serve", "--socket", str(sock)], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=open(tmp / "serve.log", "wb"))
    try:
        assert wait_until_up(sock, timeout=180) is not None, (tmp / "serve.log").read_text("utf-8")
        yield sock, env
    finally:
        request(sock, {"stop": True})
        server.wait(timeout=60)


def _served(sock: Path) -> int:
    """How many checks the server has served; skips the test when the server has gone
    (it stops when the code changes on disk, e.g. someone edits reviewer/ meanwhile)."""
    reply = request(sock, {"ping": True})
    if reply is None:
        pytest.skip("the warm server stopped (the code changed on disk during the test)")
    return reply["served"]


def _check(env: dict, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", "check", *args], cwd=cwd, env=env,
                          capture_output=True, timeout=600)


@pytest.mark.parametrize("args", [
    (str(SEED_1), "--no-llm"),
    (str(SEED_16), "--no-llm", "--format", "json"),
    (str(SEEDS), "--no-llm", "--jobs", "2"),
    ("--no-llm", "no_such_file.txt"),
    ("--bogus-option",),
])
def test_warm_check_is_the_cold_check(warm, args):
    sock, env = warm
    served_before = _served(sock)
    cold = _check({**env, "JIXIAO_SERVE": "off"}, *args)
    hot = _check(env, *args)
    assert _served(sock) == served_before + 1  # it was served, not run cold
    assert (hot.returncode, hot.stdout, hot.stderr) == (cold.returncode, cold.stdout, cold.stderr)


def test_warm_check_runs_in_the_callers_folder_and_environment(warm, tmp_path):
    sock, env = warm
    served_before = _served(sock)
    (tmp_path / "a.txt").write_bytes(SEED_1.read_bytes())
    cold = _check({**env, "JIXIAO_SERVE": "off"}, "a.txt", "--no-llm", "--select", "D1", cwd=tmp_path)
    hot = _check(env, "a.txt", "--no-llm", "--select", "D1", cwd=tmp_path)
    assert hot.returncode == cold.returncode == 1
    assert hot.stdout == cold.stdout and b"D12" in hot.stdout and b"J01" not in hot.stdout
    assert _served(sock) == served_before + 1


def test_a_server_whose_code_changed_serves_nothing(tmp_path, monkeypatch):
    os.chmod(tmp_path, 0o700)
    sock = tmp_path / "s.sock"
    server = WarmServer(sock, log=lambda msg: None)
    server.bind()
    server.fingerprint = "the code it started with"  # differs from the code on disk now
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    monkeypatch.setenv("JIXIAO_SERVE_SOCKET", str(sock))
    monkeypatch.delenv("JIXIAO_SERVE", raising=False)
    assert client.run_via_server(["check", str(SEED_1), "--no-llm"]) is None  # the caller runs it cold
    t.join(timeout=10)
    assert not t.is_alive() and not sock.exists()  # and the stale server has stopped


def test_no_server_or_switched_off_runs_cold(tmp_path, monkeypatch):
    monkeypatch.setenv("JIXIAO_SERVE_SOCKET", str(tmp_path / "none.sock"))
    assert client.run_via_server(["check", "x.txt"]) is None
    (tmp_path / "none.sock").write_text("not a socket")
    assert client.run_via_server(["check", "x.txt"]) is None
    monkeypatch.setenv("JIXIAO_SERVE", "off")
    assert client.run_via_server(["check", "x.txt"]) is None
