"""Done criterion: ``jixiao batch`` over the seeds with a hostile model.

Every quote in flags.jsonl is in its file, the rule flags are exactly those of a
--no-llm run, and the counts of dropped model claims are in reports.jsonl."""

from __future__ import annotations


import pytest

from fake_openai import FakeOpenAI
from llm_fixtures import SEEDS, HostileHandler, assert_verbatim, point_env_at, read_jsonl, rule_lines
from reviewer.cli import main

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not available")


def test_batch_over_seeds_with_hostile_model(monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for f in SEEDS.glob("*.txt"):
        (seeds / f.name).write_text(f.read_text("utf-8"), "utf-8")
    handler = HostileHandler(slow_delay=0.5)
    with FakeOpenAI(handler) as srv:
        point_env_at(monkeypatch, srv, tmp_path, JIXIAO_LLM_TIMEOUT="0.25", JIXIAO_LLM_MAX_RETRIES="1")
        assert main(["batch", str(seeds), "--out", str(tmp_path / "llm"), "--no-progress"]) == 0
        calls = srv.chat_calls
        # a second run reuses the batch's own results (or the LLM cache): no new cost
    assert main(["batch", str(seeds), "--out", str(tmp_path / "plain"), "--no-progress", "--no-llm"]) == 0
    err = capsys.readouterr().err
    assert "未配置大模型" not in err  # --no-llm is not "no model configured"

    llm_flags = read_jsonl(tmp_path / "llm" / "flags.jsonl")
    plain_flags = read_jsonl(tmp_path / "plain" / "flags.jsonl")
    reports = read_jsonl(tmp_path / "llm" / "reports.jsonl")
    # 1. every quote is in its file, at its offsets
    assert_verbatim(llm_flags)
    # 2. rule flags unchanged by what the model says
    assert rule_lines(llm_flags) == rule_lines(plain_flags)
    llm_only = [f for f in llm_flags if f["source"] == "llm"]
    assert llm_only, "the good findings should survive"
    assert all(f["rule"] in {f"J{i:02d}" for i in range(1, 11)} for f in llm_only)
    assert not any("满分" in f["message"] and "未发现" in f["message"] for f in llm_only)
    # 3. the drop counts are in reports.jsonl
    tot = lambda k: sum(r["stats"].get(k, 0) for r in reports)  # noqa: E731
    assert len(reports) >= 20
    assert tot("llm_dropped_unquoted") >= 1
    assert tot("llm_dropped_numbers") >= 1
    assert tot("llm_dropped_invalid") >= 1
    # invalid JSON, refusals and timeouts are errors, and nothing else is (429/5xx were retried)
    failing = sum(1 for b in handler.by_report.values() if b in ("invalid", "refusal", "slow"))
    assert failing >= 1 and tot("llm_errors") == failing
    assert tot("llm_calls") == calls  # every request is accounted for, failed ones included
    behaviours = handler.by_behaviour
    assert {"hostile", "invalid", "refusal", "obey"} <= set(behaviours), behaviours
    assert calls >= len(reports)
