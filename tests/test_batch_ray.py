"""``jixiao batch --engine ray``: the same outputs as the local batch, on a Ray cluster
started on 127.0.0.1 for this module (``ray start --head --block``, stopped at the end),
and on a local Ray the batch starts itself; a worker that dies mid-batch loses and doubles
nothing; an interrupted Ray batch resumes to the same output.

Every batch runs as its own process, as a user runs it.  The worker deaths use the
documented test hook ``JIXIAO_RAY_TEST_DIE`` (reviewer.batch.engine_ray): the Ray worker
reviewing the named file calls ``os._exit``."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from openpyxl import load_workbook  # noqa: E402

from reviewer.batch.engine_ray import TEST_DIE_ENV, offline_ray_env  # noqa: E402
from reviewer.batch.runner import STOP_AFTER_ENV, STOP_EXIT_CODE  # noqa: E402
from shared_paths import SEEDS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RAY_BIN = Path(sys.executable).with_name("ray")
pytestmark = pytest.mark.slow
OUTPUTS = ("flags.jsonl", "reports.jsonl", "errors.jsonl")


_TOKEN_DIR = tempfile.mkdtemp(prefix="jxtok")
_TOKEN = Path(_TOKEN_DIR) / "auth_token"
_TOKEN.write_text(secrets.token_hex(32))  # the module's own cluster token, not ~/.ray's


def _env(**extra: str) -> dict[str, str]:
    """The batches' and the cluster's environment: token authentication with this module's
    token (Ray's default for a new cluster), no usage statistics."""
    e = {k: v for k, v in os.environ.items()
         if k not in (STOP_AFTER_ENV, TEST_DIE_ENV) and not k.startswith("RAY_")}
    e.update(RAY_USAGE_STATS_ENABLED="0", RAY_AUTH_MODE="token", RAY_AUTH_TOKEN_PATH=str(_TOKEN))
    e.update(extra)
    return e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster():
    """One Ray head node on 127.0.0.1 with 2 CPUs for the module's tests: its address."""
    port = _free_port()
    temp = tempfile.mkdtemp(prefix="jxray", dir="/tmp")  # short: Ray's socket paths must fit
    head = subprocess.Popen(
        [str(RAY_BIN), "start", "--head", "--block", f"--port={port}", "--node-ip-address=127.0.0.1",
         "--num-cpus=2", "--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={temp}"],
        env=_env(**offline_ray_env()), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)
    address = f"127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:  # up once the GCS answers on its port
        if head.poll() is not None:
            pytest.fail(f"ray start exited {head.returncode}: {head.stdout.read().decode(errors='replace')[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.5)
    else:
        pytest.fail("ray start --head did not come up in 90 s")
    try:
        yield address
    finally:
        os.killpg(head.pid, signal.SIGTERM)  # the head's processes are in its own process group
        try:
            head.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):  # whatever of the group is still there
            os.killpg(head.pid, signal.SIGKILL)
        head.wait(timeout=10)
        shutil.rmtree(temp, ignore_errors=True)
        shutil.rmtree(_TOKEN_DIR, ignore_errors=True)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    """The seed reports and one file that cannot be read (so errors.jsonl has a line)."""
    d = tmp_path_factory.mktemp("in")
    for p in sorted(SEEDS.glob("*.txt")):
        shutil.copy(p, d / p.name)
    (d / "zz_broken.docx").write_bytes(b"this is not a zip archive")
    return d


@pytest.fixture(scope="module")
def local_out(inputs, tmp_path_factory) -> Path:
    """The local engine's outputs over ``inputs`` (the reference)."""
    out = tmp_path_factory.mktemp("local")
    r = _batch(inputs, out, "--jobs", "2")
    assert r.returncode == 0, r.stderr
    return out


def _batch(inputs: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reviewer", "batch", str(inputs), "--out", str(out), "--no-llm", "--no-progress", *extra],
        cwd=inputs.parent, env=env or _env(), capture_output=True, text=True, timeout=300,
    )


def _sorted_lines(path: Path) -> list[str]:
    return sorted(path.read_text("utf-8").splitlines())


def _cells(path: Path) -> dict[str, list[tuple]]:
    wb = load_workbook(path, read_only=True)
    return {ws.title: sorted(tuple("" if v is None else str(v) for v in row) for row in ws.iter_rows(values_only=True))
            for ws in wb.worksheets}


def _assert_same(out: Path, ref: Path) -> None:
    for name in OUTPUTS:
        assert _sorted_lines(out / name) == _sorted_lines(ref / name), name
    assert _cells(out / "summary.xlsx") == _cells(ref / "summary.xlsx")


def _files_seen(out: Path) -> list[str]:
    """Every file named in reports.jsonl or errors.jsonl, once per file record."""
    reviewed = {json.loads(x)["file"] for x in (out / "reports.jsonl").read_text("utf-8").splitlines()}
    errors = [json.loads(x)["file"] for x in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    return sorted(reviewed) + sorted(errors)


def test_ray_cluster_output_matches_local(cluster, inputs, local_out, tmp_path):
    out = tmp_path / "ray"
    r = _batch(inputs, out, "--engine", "ray", "--address", cluster)
    assert r.returncode == 0, r.stderr
    _assert_same(out, local_out)
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert [Path(e["file"]).name for e in errors] == ["zz_broken.docx"]
    flags = _sorted_lines(out / "flags.jsonl")
    assert any(json.loads(x)["rule"] == "R01" for x in flags)  # the cross-file copies, found on the driver


def test_local_ray_started_by_the_batch_matches_local(inputs, local_out, tmp_path):
    """No --address: the batch starts a Ray of its own (2 CPUs from --jobs) and stops it."""
    out = tmp_path / "ray"
    r = _batch(inputs, out, "--engine", "ray", "--jobs", "2")
    assert r.returncode == 0, r.stderr
    _assert_same(out, local_out)


def test_worker_killed_once_is_retried(cluster, inputs, local_out, tmp_path):
    marker = tmp_path / "died-once"
    out = tmp_path / "ray"
    r = _batch(inputs, out, "--engine", "ray", "--address", cluster,
               env=_env(**{TEST_DIE_ENV: f"002_|{marker}"}))
    assert r.returncode == 0, r.stderr
    assert marker.exists()  # the first worker reviewing 002 did die
    _assert_same(out, local_out)  # Ray ran the task again: nothing lost, nothing doubled
    names = _files_seen(out)
    assert len(names) == len(set(names)) == len(list(inputs.iterdir()))


def test_worker_that_always_dies_is_worker_died(cluster, inputs, local_out, tmp_path):
    out = tmp_path / "ray"
    r = _batch(inputs, out, "--engine", "ray", "--address", cluster, env=_env(**{TEST_DIE_ENV: "002_"}))
    assert r.returncode == 0, r.stderr
    names = _files_seen(out)
    assert len(names) == len(set(names)) == len(list(inputs.iterdir()))  # every file exactly once
    errors = {Path(json.loads(x)["file"]).name: json.loads(x)["code"]
              for x in (out / "errors.jsonl").read_text("utf-8").splitlines()}
    died = next(p.name for p in inputs.iterdir() if p.name.startswith("002_"))
    assert errors == {"zz_broken.docx": "corrupt_docx", died: "worker_died"}
    # the other files' records are those of the local batch (their copies of 002 aside)
    ref = [json.loads(x) for x in (local_out / "reports.jsonl").read_text("utf-8").splitlines()]
    got = [json.loads(x) for x in (out / "reports.jsonl").read_text("utf-8").splitlines()]
    assert sorted(r["file"] for r in got) == sorted(r["file"] for r in ref if not r["file"].endswith(died))


def test_interrupted_ray_batch_resumes_to_the_same_output(cluster, inputs, local_out, tmp_path):
    out = tmp_path / "ray"
    killed = _batch(inputs, out, "--engine", "ray", "--address", cluster, env=_env(**{STOP_AFTER_ENV: "2"}))
    assert killed.returncode == STOP_EXIT_CODE, killed.stderr
    assert len(list((out / ".parts").glob("*.json"))) == 2
    resumed = _batch(inputs, out, "--engine", "ray", "--address", cluster)
    assert resumed.returncode == 0, resumed.stderr
    assert "沿用上次结果 2" in resumed.stdout
    for name in OUTPUTS:  # the final outputs are rewritten in order: byte for byte
        assert (out / name).read_bytes() == (local_out / name).read_bytes(), name
    assert _cells(out / "summary.xlsx") == _cells(local_out / "summary.xlsx")


def test_without_ray_installed_the_user_is_told(inputs, tmp_path, monkeypatch, capsys):
    from reviewer.cli import main

    for k, v in _env().items():  # what the batch sets for Ray is undone after the test
        if k.startswith("RAY_"):
            monkeypatch.setenv(k, v)
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now fails as on a machine without it
    code = main(["batch", str(inputs), "--out", str(tmp_path / "out"), "--no-llm", "--engine", "ray"])
    assert code == 2
    assert "未安装 Ray" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_address_without_ray_engine_is_a_usage_error(inputs, tmp_path, capsys):
    from reviewer.cli import main

    code = main(["batch", str(inputs), "--out", str(tmp_path / "out"), "--no-llm", "--address", "127.0.0.1:1"])
    assert code == 2
    assert "--engine ray" in capsys.readouterr().err


_POOL_PROBE = r'''
import json, os, sys, time
from reviewer.batch.budget import WorkBudget
from reviewer.batch.engine_ray import RayPool

def hostile(kind):
    """Runs in a Ray worker: each kind misbehaves in its own way."""
    if kind == "spin":  # pure-Python busy loop
        while True:
            pass
    if kind == "sleep":  # waits in one C call: only the driver can stop it
        time.sleep(600)
    if kind == "nap":  # waits without computing, in short steps
        while True:
            time.sleep(0.05)
    if kind == "model":  # waits 4 s for the model: not counted in wall_seconds
        from reviewer.batch.budget import waiting_for_model
        with waiting_for_model(10):
            end = time.monotonic() + 4
            while time.monotonic() < end:
                time.sleep(0.05)
    if kind == "alloc":  # grows without bound
        blocks = []
        while True:
            blocks.append(bytearray(32 << 20))
    if kind == "die":
        os._exit(3)
    if kind == "env":
        return os.environ.get("JIXIAO_TEST_MARK", "")
    return "done " + kind

def run(budget, items):
    got, calls = {}, []
    with RayPool(2, budget, address=sys.argv[1]) as pool:
        def done(item, res):
            calls.append(item)
            got[item] = {"stopped": res.stopped, "value": res.value, "seconds": res.seconds,
                         "cpu": res.cpu_seconds, "peak": res.peak_mb}
        pool.run_each(hostile, items, done)
    assert sorted(calls) == sorted(items), calls  # one result per item
    return got

out = run(WorkBudget(seconds=1.5, wall_seconds=120, memory_mb=400), ["ok1", "spin", "alloc", "die", "env", "ok2"])
out.update(run(WorkBudget(seconds=1.5, wall_seconds=3, memory_mb=400), ["sleep", "nap", "model", "ok3"]))
print(json.dumps(out))
'''


def test_ray_pool_holds_the_budget(cluster, tmp_path):
    """Under Ray: CPU time, memory and the clock are stopped by the task's watch (the waits
    for the model not counted, as in the local pool), a task stuck in one C call by the
    driver's ray.cancel at 2 × wall_seconds, a worker that keeps dying is "died" after Ray's
    retries."""
    r = subprocess.run([sys.executable, "-c", _POOL_PROBE, cluster], cwd=tmp_path, capture_output=True, text=True,
                       timeout=300, env=_env(JIXIAO_TEST_MARK="来自调用方"))
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got["ok1"]["value"] == "done ok1" and got["ok2"]["value"] == "done ok2" and got["ok3"]["value"] == "done ok3"
    assert got["env"]["value"] == "来自调用方"  # the driver's environment travels with the task
    assert got["spin"]["stopped"] == "too_slow" and 1.5 < got["spin"]["cpu"] < 10
    assert got["alloc"]["stopped"] == "too_large" and got["alloc"]["peak"] > 400
    assert got["die"]["stopped"] == "died"
    assert got["nap"]["stopped"] == "too_slow" and 3 <= got["nap"]["seconds"] < 6
    assert got["sleep"]["stopped"] == "too_slow" and 6 <= got["sleep"]["seconds"] < 20
    assert got["model"]["value"] == "done model"  # 4 s of waiting for the model, over 3 s on the clock
