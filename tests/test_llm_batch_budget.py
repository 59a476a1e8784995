"""A file whose LLM review is slow is not stopped by the wall-clock budget: the worker
reports its waits for the model (reviewer.batch.budget.waiting_for_model), the parent takes
them off the clock and bounds them by the LLM's own limit; a file stuck while it is read
(or computing) is still stopped at ``wall_seconds``.  Over real HTTP with
tests/fake_openai.py answering each review after some seconds."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from fake_openai import FakeOpenAI, Reply, tagged
from llm_fixtures import SEEDS, findings, good_finding, point_env_at, read_jsonl, real_quote, rule_lines
from reviewer.batch.budget import WorkBudget, waiting_for_model
from reviewer.batch.workers import WorkerPool
from reviewer.cli import main

SEED = "002_c23655f7ba6c33aa.txt"
ANSWER_AFTER = 16.0  # seconds the fake model takes for each review
WALL = 8  # seconds on the clock for reading and the rules (two busy cores: a few seconds)


def stuck(kind: str) -> str:
    """Runs in a worker: waits in one of three ways."""
    if kind == "model":  # waits 3 s for the model, allowed 30
        with waiting_for_model(30):
            time.sleep(3)
        return "answered"
    if kind == "model_hangs":  # the model never answers: its own limit (1 s) stops it
        with waiting_for_model(1):
            time.sleep(600)
    if kind == "reading":  # stuck outside any wait for the model (a hung converter)
        time.sleep(600)
    return kind


def test_pool_takes_model_waits_off_the_clock_and_bounds_them_on_their_own():
    got = {}
    with WorkerPool(3, WorkBudget(seconds=30, wall_seconds=2, memory_mb=800)) as pool:
        pool.run_each(stuck, ["model", "model_hangs", "reading"], lambda item, res: got.__setitem__(item, res))
    assert got["model"].ok and got["model"].value == "answered" and got["model"].seconds >= 3
    assert got["reading"].stopped == "too_slow" and 2 <= got["reading"].seconds < 8
    assert got["model_hangs"].stopped == "too_slow" and got["model_hangs"].seconds < 8
    # llm_seconds in [tool.jixiao.budget] overrides the allowance the waits gave themselves
    got = {}
    with WorkerPool(1, WorkBudget(seconds=30, wall_seconds=20, memory_mb=800, llm_seconds=1)) as pool:
        pool.run_each(stuck, ["model"], lambda item, res: got.__setitem__(item, res))
    assert got["model"].stopped == "too_slow" and got["model"].seconds < 3


def test_a_slow_model_does_not_get_a_file_stopped_and_its_findings_are_kept(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "in"
    src.mkdir()
    (src / SEED).write_text((SEEDS / SEED).read_text("utf-8"), "utf-8")
    (tmp_path / "jixiao.toml").write_text(f"[tool.jixiao.budget]\nwall_seconds = {WALL}\n", "utf-8")

    def answer(body, srv):
        return Reply(content=findings(good_finding(real_quote(tagged(body, "report_text")))))

    with FakeOpenAI(answer, answer_delay=ANSWER_AFTER) as srv:
        point_env_at(monkeypatch, srv, tmp_path, JIXIAO_LLM_TIMEOUT="30", JIXIAO_LLM_CONCURRENCY="1")
        t = time.monotonic()
        # as a user runs it: the command line forks its workers (this test process has threads)
        run = subprocess.run([sys.executable, "-m", "reviewer", "batch", str(src), "--out", str(tmp_path / "llm"),
                              "--no-progress", "--jobs", "1"], capture_output=True, text=True, env=dict(os.environ),
                             timeout=300)
        took = time.monotonic() - t
        assert srv.chat_calls == 1, run.stdout + run.stderr
    assert run.returncode in (0, 1) and took > ANSWER_AFTER > WALL  # longer than the clock allows
    errors = read_jsonl(tmp_path / "llm" / "errors.jsonl")
    assert not [e for e in errors if e.get("code") == "too_slow"], errors
    flags = read_jsonl(tmp_path / "llm" / "flags.jsonl")
    kept = [f for f in flags if f["source"] == "llm"]
    assert len(kept) == 1 and kept[0]["rule"] == "J01"
    main(["batch", str(src), "--out", str(tmp_path / "plain"), "--no-progress", "--no-llm"])
    capsys.readouterr()
    assert rule_lines(flags) == rule_lines(read_jsonl(tmp_path / "plain" / "flags.jsonl"))
