"""Passages, the extractive ranker and the chat answer (no LLM, no corpus)."""

from __future__ import annotations

import re

import pytest

from reviewer.parse import parse_file
from ui.chat import NO_LLM_NOTE, answer
from ui.passages import grams, rank, report_passages

from test_annotate_docx import make_seed_docx


@pytest.fixture(scope="module")
def seed_passages(tmp_path_factory):
    parsed = parse_file(make_seed_docx(tmp_path_factory.mktemp("chat") / "seed.docx"))
    return parsed, report_passages(parsed, parsed.reports[0])


def test_passages_cover_the_report_with_locations(seed_passages):
    parsed, ps = seed_passages
    text = parsed.source.text
    assert all(text[p.start:p.end] == p.text for p in ps)
    assert [p.start for p in ps] == sorted(p.start for p in ps)
    places = {p.place for p in ps}
    assert "段落8" in places and any(re.fullmatch(r"表1·R\d+", x) for x in places)
    rate = next(p for p in ps if p.text.startswith("全年预算数120万元"))
    assert rate.section.startswith("二、项目资金情况") and rate.cite() == "二、项目资金情况 › 段落8"


def test_table_row_cites_the_cell_under_the_matching_header(seed_passages):
    _, ps = seed_passages
    row = next(p for p in ps if "年度资金总额" in p.text)
    hits = rank("年度资金总额的执行率", [row] + [p for p in ps if p is not row], k=5)
    hit = next(h for h in hits if h.passage is row)
    assert hit.cell is not None and hit.cell.text == "95%"  # the 执行率 column
    assert hit.cite().endswith("表1·R4·C7")


def test_rank_prefers_the_passage_that_answers(seed_passages):
    _, ps = seed_passages
    top = rank("预算执行率是多少？", ps, k=3)
    assert top and "预算执行率95%" in top[0].passage.text
    top = rank("存在哪些问题", ps, k=3)
    assert top[0].passage.text.startswith("四、存在问题") and top[0].passage.follow == "无。"
    assert rank("量子计算机", ps) == []


def test_grams_mix_cjk_bigrams_and_ascii():
    g = grams("执行率95% GDP")
    assert g["2:执行"] == 1 and g["2:行率"] == 1 and g["1:率"] == 1 and g["w:95%"] == 1 and g["w:gdp"] == 1


def test_extractive_answer_has_clickable_citations(seed_passages, monkeypatch):
    for var in ("OPENAI_BASE_URL", "JIXIAO_MODEL"):
        monkeypatch.delenv(var, raising=False)
    _, ps = seed_passages
    ans = answer("预算执行率是多少？", ps, use_llm=False)
    assert ans.mode == "extractive" and ans.markdown.startswith(NO_LLM_NOTE)
    assert ans.citations and ans.citations[0].label.endswith("段落8")
    anchors = re.findall(r"\]\(#(psg-\d+)\)", ans.markdown)
    assert anchors and anchors[0] == ans.citations[0].anchor
    assert answer("", ps).citations == []
    assert "没有找到" in answer("量子计算机", ps, use_llm=False).markdown


def test_llm_answer_keeps_only_real_citations(seed_passages, monkeypatch):
    """With a model configured, the answer cites only passage numbers that exist; a
    failing model falls back to the extractive answer."""
    import ui.chat as chat

    _, ps = seed_passages

    def fake(question, cites):
        return chat.Answer(markdown="执行率为95%〔1〕", citations=[cites[0]], mode="llm")

    monkeypatch.setattr(chat, "_llm_answer", fake)
    ans = chat.answer("预算执行率", ps, use_llm=True)
    assert ans.mode == "llm" and ans.citations[0].anchor

    def boom(question, cites):
        raise RuntimeError("down")

    monkeypatch.setattr(chat, "_llm_answer", boom)
    ans = chat.answer("预算执行率", ps, use_llm=True)
    assert ans.mode == "extractive" and "大模型调用失败" in ans.markdown


def test_llm_chat_through_a_fake_openai_server(seed_passages, monkeypatch, tmp_path):
    """A real HTTP round trip: the model answers from numbered passages; an invented
    citation number is dropped and the passage numbers it used become the citations."""
    from fake_openai import FakeOpenAI, Reply
    import ui.chat as chat

    _, ps = seed_passages
    with FakeOpenAI() as srv:
        srv.push(Reply(content="预算执行率填报为95% [1]，见表格 [99]。"))
        monkeypatch.setenv("OPENAI_BASE_URL", srv.url)
        monkeypatch.setenv("JIXIAO_MODEL", "fake-model")
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("JIXIAO_LLM_CACHE", "off")
        assert chat.llm_configured()
        ans = chat.answer("预算执行率是多少？", ps)
        assert srv.chat_calls == 1
        assert "〔1〕" in srv.requests[0]["messages"][-1]["content"] or "[1]" in srv.requests[0]["messages"][-1]["content"]
    assert ans.mode == "llm" and "〔1〕" in ans.markdown and "[99]" not in ans.markdown
    assert len(ans.citations) == 1 and ans.citations[0].anchor and "(#psg-" in ans.markdown
