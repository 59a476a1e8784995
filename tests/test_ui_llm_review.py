"""The web app reviews by rules first and asks the model in the background: the upload
returns before the model has answered, the page shows the progress, the model's findings
join the list when they come (rule flags untouched, quotes verbatim), and a failing model
is said with its cause.  Real HTTP against tests/fake_openai.py."""

from __future__ import annotations

import json
import threading
import time

import pytest

from fake_openai import FakeOpenAI, Reply, tagged
from llm_fixtures import SEEDS, findings, good_finding, point_env_at, real_quote

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not available")
SEED = "004_361417d92042ddd9.txt"  # four reports


def _rules(view) -> list[str]:
    return sorted(json.dumps(f.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
                  for f in view.flags if f.source == "rule")


def _tick_until_done(app, state, key, limit: float = 90.0) -> list[str]:
    statuses = []
    deadline = time.monotonic() + limit
    while state.get("llm") is not None:
        status = app.on_llm_tick(state, key, app.SEVERITIES, app.KINDS)[0]
        statuses.append(status)
        assert time.monotonic() < deadline, statuses[-1]
        time.sleep(0.2)
    return statuses


def test_rules_first_then_the_models_findings_in_the_background(monkeypatch, tmp_path):
    import ui.app as app

    gate = threading.Event()

    def handler(body, srv):
        gate.wait(30)  # the model answers only once the test has seen the upload return
        report = tagged(body, "report_text")
        return Reply(content=findings(good_finding(real_quote(report) or "")))

    monkeypatch.delenv("JIXIAO_UI_NO_LLM", raising=False)
    with FakeOpenAI(handler) as srv:
        point_env_at(monkeypatch, srv, tmp_path, JIXIAO_LLM_TIMEOUT="60")
        out = app.on_upload([str(SEEDS / SEED)], app.SEVERITIES, app.KINDS)
        state, key = out[0], out[1]["value"]
        views = list(state["views"].values())
        assert len(views) == 4 and srv.chat_calls <= 1  # the upload did not wait for the model
        assert not any(f.source == "llm" for v in views for f in v.flags)
        assert "后台" in out[3]
        rules_before = {v.key: _rules(v) for v in views}
        first = app.on_llm_tick(state, key, app.SEVERITIES, app.KINDS)[0]
        assert first.startswith("大模型审阅中：0/4")
        gate.set()
        statuses = _tick_until_done(app, state, key)
    assert statuses[-1].startswith("大模型审阅完成：4/4 份报告，新增 4 条")
    for v in views:
        llm = [f for f in v.flags if f.source == "llm"]
        assert len(llm) == 1 and _rules(v) == rules_before[v.key]
        for f in llm:
            for ev in f.evidence:
                assert v.parsed.source.text[ev.start:ev.end] == ev.quote
    # the shown report's table was refreshed with its new finding
    assert app.on_llm_tick(state, key, app.SEVERITIES, app.KINDS)[0] is not None


def test_a_failing_model_is_said_with_its_cause(monkeypatch, tmp_path):
    import ui.app as app

    monkeypatch.delenv("JIXIAO_UI_NO_LLM", raising=False)
    with FakeOpenAI(api_key="sk-right") as srv:
        point_env_at(monkeypatch, srv, tmp_path)  # a wrong key
        out = app.on_upload([str(SEEDS / SEED)], app.SEVERITIES, app.KINDS)
        state, key = out[0], out[1]["value"]
        statuses = _tick_until_done(app, state, key)
    assert "密钥无效" in statuses[-1] and "LLMError" not in statuses[-1]
    assert statuses[-1].count("密钥无效") == 1  # said once, not per report
    assert not any(f.source == "llm" for v in state["views"].values() for f in v.flags)
