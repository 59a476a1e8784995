"""The chat's number check over real HTTP (tests/fake_openai.py): a number in a chat answer
is kept when it is in the passages the model was given (and cites), computed by jixiao for
the report, or the report's year; a number written elsewhere in the report but in none of
those passages is marked ［未核实］; an invented number removes its sentence, as in drafts.
Rule flags are untouched by the chat."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from fake_openai import FakeOpenAI, Reply
from llm_fixtures import SEEDS, WRONG_NUMBER, point_env_at
from reviewer.checks import run_rules
from reviewer.llm.numbers import find_numbers, report_computations
from reviewer.parse import parse_file
from reviewer.profile import Profile
from ui.chat import answer, citations_from_hits, stream_answer
from ui.llm_chat import MARKED_NOTE, UNVERIFIED_MARK, grounding_for
from ui.passages import rank, report_passages

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not available")
QUESTION = "预算执行率是多少？"


@pytest.fixture(scope="module")
def view():
    parsed = parse_file(str(sorted(SEEDS.glob("*.txt"))[0]))
    report = parsed.reports[0]
    return SimpleNamespace(parsed=parsed, report=report, flags=list(run_rules(parsed, report, Profile())),
                           passages=report_passages(parsed, report))


def _values(text: str) -> set[float]:
    return {round(n.value, 6) for n in find_numbers(text)}


@pytest.fixture(scope="module")
def numbers(view):
    """(a number of the first passage given to the model, one written only elsewhere in the
    report, one jixiao computed that the report does not write, the report's year)."""
    given = citations_from_hits(rank(QUESTION, view.passages, k=6))
    in_given = set().union(*(_values(c.text) for c in given))
    report_text = view.parsed.source.text[view.report.start:view.report.end]
    computed = {round(v, 6) for v in report_computations(view.report, view.flags, derived_only=True)}
    first = next(n.text for n in find_numbers(given[0].text) if n.value not in (100,) and not 1990 <= n.value <= 2100)
    elsewhere = next(n.text for n in find_numbers(report_text) if not n.percent and n.value >= 10
                     and not 1990 <= n.value <= 2100 and round(n.value, 6) not in in_given
                     and not any(abs(v - n.value) <= 0.5 for v in computed))
    report_values = _values(report_text)
    calc = next((f"{v:.2f}" for v in sorted(computed) if 0 < v < 1000 and round(v, 2) != v
                 and all(abs(r - v) >= 0.006 for r in report_values | in_given)), None)
    year = view.report.year
    assert WRONG_NUMBER not in view.parsed.source.text and year
    return SimpleNamespace(given=given, first=first, elsewhere=elsewhere, calc=calc, year=year)


def _script(n) -> str:
    parts = [f"{n.year}年预算执行情况见下 [1]。\n", f"1. 执行数为{n.first} [1]。", f"另有一处写的是{n.elsewhere} [2]。\n",
             f"2. 据测算执行率为{WRONG_NUMBER}% [2]。\n"]
    if n.calc:
        parts.append(f"按自评表重新计算为{n.calc}。")
    return "".join(parts)


def test_chat_numbers_kept_marked_or_removed_by_where_they_come_from(view, numbers, monkeypatch, tmp_path):
    with FakeOpenAI(token_delay=0.002) as srv:
        point_env_at(monkeypatch, srv, tmp_path, JIXIAO_LLM_CACHE="off")
        srv.push(Reply(content=_script(numbers)))
        parts = list(stream_answer(QUESTION, view.passages, view=view))
        prompt = srv.requests[-1]["messages"][-1]["content"]
    final = parts[-1]
    body = final.markdown.split("引用：")[0]
    assert final.mode == "llm" and len(parts) >= 3
    assert numbers.given[0].text.replace("\t", " | ")[:40] in prompt  # the passage the model was given
    # the number of the cited passage, the year and jixiao's own result: kept as written
    assert f"1. 执行数为{numbers.first} 〔1〕" in body  # a list item's number is no figure
    assert f"{numbers.year}年预算执行情况" in body and f"{numbers.year}{UNVERIFIED_MARK}" not in body
    if numbers.calc:
        assert f"重新计算为{numbers.calc}。" in body
    # written elsewhere in the report, in none of the passages given: marked, and said
    assert f"另有一处写的是{numbers.elsewhere}{UNVERIFIED_MARK} 〔2〕" in body
    assert MARKED_NOTE.format(mark=UNVERIFIED_MARK, n=1) in final.markdown
    # invented: its sentence removed
    assert WRONG_NUMBER not in final.markdown and "据测算执行率" not in final.markdown
    assert "已删除 1 句" in final.markdown
    assert [c.text for c in final.given] == [c.text for c in numbers.given]
    check = grounding_for(view, final.given)
    assert not check.ungrounded(re.sub(r"〔\d+〕|（.*?）", "", body))
    # the drafts' check would have let the report-only number pass unmarked
    from ui.llm_chat import verifier_for

    assert not verifier_for(view).unverified(numbers.elsewhere)
    # the non-streaming path applies the same check
    with FakeOpenAI() as srv:
        point_env_at(monkeypatch, srv, tmp_path, JIXIAO_LLM_CACHE="off")
        srv.push(Reply(content=_script(numbers)))
        whole = answer(QUESTION, view.passages, view=view)
    assert whole.markdown == final.markdown


def test_chat_leaves_rule_flags_as_they_are(view, monkeypatch, tmp_path):
    before = [(f.rule, f.message, f.severity) for f in view.flags]
    with FakeOpenAI() as srv:
        point_env_at(monkeypatch, srv, tmp_path, JIXIAO_LLM_CACHE="off")
        srv.push(Reply(content=f"得分为{WRONG_NUMBER}分 [1]。"))
        final = list(stream_answer("得分是多少？", view.passages, view=view))[-1]
    assert WRONG_NUMBER not in final.markdown
    assert [(f.rule, f.message, f.severity) for f in view.flags] == before
    assert before == [(f.rule, f.message, f.severity) for f in run_rules(view.parsed, view.report, Profile())]
