"""The chat's model answer over real HTTP: streamed in whole sentences, every number
checked like a draft's (a number neither in the report nor computed by jixiao removes its
sentence), an echoed prompt is no answer, a wrong key is said in words."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from fake_openai import FakeOpenAI, Reply
from llm_fixtures import SEEDS, WRONG_NUMBER, point_env_at
from reviewer.checks import run_rules
from reviewer.llm.numbers import find_numbers
from reviewer.parse import parse_file
from reviewer.profile import Profile
from ui.chat import answer, stream_answer
from ui.passages import report_passages

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not available")


@pytest.fixture(scope="module")
def view():
    parsed = parse_file(str(sorted(SEEDS.glob("*.txt"))[0]))
    report = parsed.reports[0]
    return SimpleNamespace(parsed=parsed, report=report, flags=list(run_rules(parsed, report, Profile())),
                           passages=report_passages(parsed, report))


def a_report_number(view) -> str:
    text = view.parsed.source.text[view.report.start:view.report.end]
    return next(n.text for n in find_numbers(text) if "." in n.text)


def test_unverified_numbers_are_removed_and_the_answer_streams(view, monkeypatch, tmp_path):
    good = a_report_number(view)
    reply = f"报告中写的数字是{good} [1]。另据测算执行率为{WRONG_NUMBER}% [2]。请以自评表为准 [1]。"
    assert WRONG_NUMBER not in view.parsed.source.text
    with FakeOpenAI(token_delay=0.01) as srv:
        point_env_at(monkeypatch, srv, tmp_path)
        srv.push(Reply(content=reply))
        parts = list(stream_answer("预算执行率是多少？", view.passages, view=view))
        assert srv.requests[-1]["stream"] is True and srv.requests[-1]["max_tokens"] <= 512
    final = parts[-1]
    assert len(parts) >= 3  # shown sentence by sentence while the model writes
    assert parts[0].markdown.startswith(f"报告中写的数字是{good}") and WRONG_NUMBER not in parts[0].markdown
    assert good in final.markdown and WRONG_NUMBER not in final.markdown
    assert "已删除 1 句" in final.markdown and "请以自评表为准" in final.markdown
    assert final.mode == "llm" and final.citations and "〔1〕" in final.markdown
    # the non-streaming path applies the same check
    with FakeOpenAI() as srv:
        point_env_at(monkeypatch, srv, tmp_path, JIXIAO_LLM_CACHE="off")
        srv.push(Reply(content=reply))
        whole = answer("预算执行率是多少？", view.passages, view=view)
    assert WRONG_NUMBER not in whole.markdown and good in whole.markdown


def test_an_echoed_prompt_and_a_wrong_key_fall_back_with_the_cause(view, monkeypatch, tmp_path):
    with FakeOpenAI() as srv:
        point_env_at(monkeypatch, srv, tmp_path)
        srv.push(Reply(content="用简体中文直接回答，简洁，不超过五句话。"))
        ans = list(stream_answer("存在哪些问题？", view.passages, view=view))[-1]
        assert ans.mode == "extractive" and "复述了提示中的示例" in ans.markdown
    with FakeOpenAI(api_key="sk-right") as srv:
        point_env_at(monkeypatch, srv, tmp_path)
        ans = list(stream_answer("存在哪些问题？", view.passages, view=view))[-1]
        assert ans.mode == "extractive" and "密钥无效" in ans.markdown and "LLMError" not in ans.markdown
