"""What a one-file ``jixiao check`` no longer does (issue 11: check 5x faster), and the warm
server a cold check starts for the next one (``jixiao serve --auto``, reviewer.warm)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reviewer.llm.config import NO_LLM_NOTICE
from reviewer.warm.server import WarmServer, request, wait_until_up

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "tests" / "data" / "seeds"
SEED_1 = SEEDS / "001_636fdea54536b2e6.txt"
SEED_2 = SEEDS / "002_c23655f7ba6c33aa.txt"


def test_one_file_builds_no_cross_file_index_but_two_files_do(monkeypatch, tmp_path):
    import reviewer.batch.runner as runner
    from reviewer.cli import main

    calls: list[int] = []
    real = runner.cross_file_matches

    def counted(entries):
        calls.append(1)
        return real(entries)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runner, "cross_file_matches", counted)
    assert main(["check", str(SEED_1), "--no-llm", "--jobs", "0"]) == 1
    assert calls == []  # one file: nothing to copy from in another file
    assert main(["check", str(SEED_1), str(SEED_2), "--no-llm", "--jobs", "0"]) == 1
    assert calls == [1]


def test_a_check_parses_its_config_once_and_hashes_no_source(monkeypatch, tmp_path):
    import reviewer.batch.session as session
    import reviewer.profile as profile
    from reviewer.cli import main

    (tmp_path / "jixiao.toml").write_text('select = ["D1"]\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    parsed: list[str] = []
    real = profile.tomllib.loads

    class Counting:
        @staticmethod
        def loads(text):
            parsed.append(text)
            return real(text)

    monkeypatch.setattr(profile, "tomllib", Counting)
    monkeypatch.setattr(profile, "_PARSED", {})
    session._version.cache_clear()
    assert main(["check", str(SEED_1), "--no-llm", "--jobs", "0"]) == 1
    assert len(parsed) == 1  # found, the profile, the reviewers' settings, the budget: one parse
    assert session._version.cache_info().currsize == 0  # the code hash is a batch's, not a check's
    (tmp_path / "jixiao.toml").write_text('select = ["J0"]\n', "utf-8")
    s = session.open_session(notify=lambda m: None)
    assert s.profile.select == ["J0"] and len(parsed) == 2  # a changed file is read again
    assert len(s.fingerprint) == 16 and session._version.cache_info().currsize == 1


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "JIXIAO_SERVE_SOCKET": str(tmp / "s.sock"), "JIXIAO_EMBED_CACHE": str(tmp / "emb.sqlite3")}
    for k in ("JIXIAO_SERVE", "CI"):
        env.pop(k, None)
    return {**env, **extra}


def _check(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reviewer", "check", *args], cwd=REPO, env=env, capture_output=True,
                          timeout=600)


def test_a_cold_check_starts_a_server_that_serves_the_next_check(tmp_path):
    os.chmod(tmp_path, 0o700)
    sock = tmp_path / "s.sock"
    env = _env(tmp_path)
    first = _check(env, str(SEED_1), "--no-llm")
    try:
        reply = wait_until_up(sock, timeout=180)
        assert reply is not None, (tmp_path / "s.log").read_text("utf-8", "replace")
        if reply["served"] != 0:
            pytest.skip("the server stopped meanwhile (the code changed on disk)")
        second = _check(env, str(SEED_1), "--no-llm")
        reply = request(sock, {"ping": True})
        if reply is None:
            pytest.skip("the server stopped meanwhile (the code changed on disk)")
        assert reply["served"] == 1  # served warm
        assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
        again = subprocess.run([sys.executable, "-m", "reviewer", "serve", "--auto", "--socket", str(sock)], cwd=REPO,
                               env=env, capture_output=True, timeout=120)
        assert again.returncode == 0 and request(sock, {"ping": True})["pid"] == reply["pid"]  # one server per socket
    finally:
        request(sock, {"stop": True})


@pytest.mark.parametrize("extra", [{"JIXIAO_SERVE": "off"}, {"JIXIAO_SERVE": "manual"}, {"CI": "true"}])
def test_no_server_is_started_when_switched_off_manual_or_on_ci(tmp_path, extra):
    os.chmod(tmp_path, 0o700)
    r = _check(_env(tmp_path, **extra), str(SEED_1), "--no-llm")
    assert r.returncode == 1
    assert not (tmp_path / "s.log").exists() and not (tmp_path / "s.sock").exists()


def test_a_server_with_an_idle_timeout_stops_when_idle(tmp_path):
    os.chmod(tmp_path, 0o700)
    sock = tmp_path / "s.sock"
    server = WarmServer(sock, log=lambda msg: None, idle_timeout=0.5)
    server.bind()
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    time.sleep(0.2)
    assert request(sock, {"ping": True}) is not None
    t.join(timeout=10)
    assert not t.is_alive() and not sock.exists()


def _children(pid: int) -> list[int]:
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat", "rb") as fh:
                    if int(fh.read().rsplit(b")", 1)[1].split()[1]) == pid:
                        out.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_served_check_reviews_in_its_request_process_and_is_stopped_as_a_cold_one(tmp_path):
    """Served warm, a one-file check forks no worker (the server watches its request
    process); a file over the budget is stopped there with the cold check's output, and the
    server goes on serving."""
    os.chmod(tmp_path, 0o700)
    sock = tmp_path / "s.sock"
    text = "\n".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt")))
    (tmp_path / "slow.txt").write_text("\n".join([text] * 8), "utf-8")  # seconds of CPU
    (tmp_path / "one.txt").write_bytes(SEED_1.read_bytes())
    (tmp_path / "jixiao.toml").write_text("[tool.jixiao.budget]\nseconds = 1\nwall_seconds = 60\n", "utf-8")
    env = {k: v for k, v in _env(tmp_path, JIXIAO_SERVE="manual").items()
           if k not in ("OPENAI_BASE_URL", "JIXIAO_MODEL")}  # no model: check says so before reading the file
    server = subprocess.Popen([sys.executable, "-m", "reviewer", "serve", "--no-model", "--socket", str(sock)],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        up = wait_until_up(sock, timeout=180)
        assert up is not None
        args = [sys.executable, "-m", "reviewer", "check", "slow.txt"]
        cold = subprocess.run(args, cwd=tmp_path, env={**env, "JIXIAO_SERVE": "off"}, capture_output=True, timeout=600)
        assert cold.returncode == 2 and b"too_slow" in cold.stderr
        notice = NO_LLM_NOTICE.encode("utf-8")
        assert cold.stderr.count(notice) == 1  # printed before the file is read: once, not again by the answering fork
        hot = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        seen, deeper = set(), set()
        while hot.poll() is None:
            for r in _children(up["pid"]):
                seen.add(r)
                deeper.update(_children(r))
            time.sleep(0.05)
        out, err = hot.communicate()
        reply = request(sock, {"ping": True})
        if reply is None or reply["pid"] != up["pid"]:
            pytest.skip("the server stopped meanwhile (the code changed on disk)")
        assert reply["served"] == 1 and seen  # served, by a request process of the server
        assert deeper == set()  # which forked no worker
        assert (hot.returncode, out, err) == (cold.returncode, cold.stdout, cold.stderr)
        ok = ["check", "one.txt", "--no-llm"]
        cold1 = subprocess.run([sys.executable, "-m", "reviewer", *ok], cwd=tmp_path, env={**env, "JIXIAO_SERVE": "off"},
                               capture_output=True, timeout=600)
        hot1 = subprocess.run([sys.executable, "-m", "reviewer", *ok], cwd=tmp_path, env=env, capture_output=True,
                              timeout=600)
        assert request(sock, {"ping": True})["served"] == 2
        assert (hot1.returncode, hot1.stdout, hot1.stderr) == (cold1.returncode, cold1.stdout, cold1.stderr)
    finally:
        request(sock, {"stop": True})
        server.wait(timeout=60)


def test_a_one_report_file_is_not_hashed_for_copies_but_a_many_report_file_is(monkeypatch, tmp_path):
    """A report alone in its index has no other to copy from: none of its sentences is
    MinHashed or compared; with another report (the 16-report seed) they are."""
    from reviewer.cli import main
    from vectorstore.textutil import MinHasher

    signed: list[int] = []
    real = MinHasher.signature

    def counted(self, sh):
        signed.append(1)
        return real(self, sh)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(MinHasher, "signature", counted)
    assert main(["check", str(SEED_1), "--no-llm", "--jobs", "0"]) == 1
    assert signed == []
    assert main(["check", str(SEEDS / "000_2771c63391ef5ec7.txt"), "--no-llm", "--jobs", "0"]) == 1
    assert len(signed) > 100


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("kind, stopped", [("spin", "too_slow"), ("sleep", "too_slow"), ("alloc", "too_large")])
def test_the_servers_watch_stops_each_kind_of_runaway(kind, stopped):
    """What the warm server applies to a request process reviewing its file itself
    (reviewer.batch.workers.over_budget): CPU time, the clock and memory, as a worker's."""
    from reviewer.batch import workers
    from reviewer.batch.budget import WorkBudget

    cell = workers.new_watch_cell()
    pid = os.fork()
    if pid == 0:  # a request process whose task misbehaves
        try:
            pool = workers.ServedPool(WorkBudget(seconds=1, wall_seconds=2, memory_mb=200))
            workers.WATCH_CELL = cell
            pool.run_each(_runaway, [kind], lambda item, res: None)
        finally:
            os._exit(0)
    try:
        deadline = time.monotonic() + 60
        res = None
        while res is None and time.monotonic() < deadline:
            time.sleep(workers.SUPERVISE_S)
            res = workers.over_budget(pid, cell)
        assert res is not None and res.stopped == stopped
        assert cell[workers.STATE] == workers.STOPPING  # the task can no longer end as finished
        if kind == "alloc":
            assert res.peak_mb > 200
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


def _runaway(kind: str) -> None:
    if kind == "spin":
        while True:
            pass
    if kind == "sleep":
        time.sleep(600)
    blocks = []
    while True:
        blocks.append(bytearray(32 << 20))
        time.sleep(0.01)
