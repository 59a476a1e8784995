"""The offline chat over real HTTP: the app is launched on a free port and driven with
gradio_client (upload, then ask) with no model configured. Questions about the figures are
answered from the parsed 自评表 (stated and recomputed side by side, each cited to its cell),
"存在哪些问题" lists the findings by severity with evidence, "哪些是套话" the copy findings,
and anything else falls back to retrieved passages, said plainly."""

from __future__ import annotations

import re

import pytest

from test_annotate_docx import make_seed_docx
from ui_server import running_app


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    for var in ("OPENAI_BASE_URL", "JIXIAO_MODEL", "JIXIAO_UI_AUTH", "JIXIAO_CORPUS"):
        mp.delenv(var, raising=False)
    mp.setenv("JIXIAO_UI_NO_LLM", "1")
    from gradio_client import Client, handle_file

    seed = make_seed_docx(tmp_path_factory.mktemp("offline-chat") / "示例报告.docx")
    with running_app() as url:
        c = Client(url, verbose=False)
        out = c.predict(files=[handle_file(str(seed))], api_name="/on_upload")
        key = out[0]["value"] if isinstance(out[0], dict) else out[0]
        flags_table = next(x for x in out if isinstance(x, dict) and "headers" in x)
        pane = next(x for x in out if isinstance(x, str) and x.startswith('<div class="report-text'))
        yield c, key, flags_table, pane
        mp.undo()


def _ask(client, question: str) -> str:
    c, key, _, _ = client
    history = c.predict(key=key, question=question, history=[], api_name="/ask")[0]
    content = history[-1]["content"]
    if isinstance(content, list):  # messages come back as a list of parts
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content


def _cites(md: str) -> list[tuple[str, str]]:
    """(label, anchor) of every citation link in an answer."""
    return re.findall(r"\[〔\d+〕([^\]]+)\]\(#((?:psg|cell)-\d+)\)", md)


def test_execution_rate_stated_and_recomputed_with_cell_citations(client):
    md = _ask(client, "预算执行率是多少？")
    assert "未配置大模型" in md
    # stated 95% cited to the 执行率 cell, recomputed 96 ÷ 120 = 80%
    line = next(ln for ln in md.splitlines() if ln.startswith("- 报告填写"))
    assert "95%" in line and "表1·R4·C7" in line
    assert re.search(r"96 .*÷ .*120 .*= \*\*80%\*\*", md)
    assert "相差 15 个百分点" in md
    assert "执行率80%（超过100%按100%计）× 分值10 = **8**" in md  # the 执行率 score recomputed
    assert "D02" in md  # the finding on those cells
    labels = [lab for lab, _ in _cites(md)]
    assert labels and all("表1·R4·C" in lab for lab in labels)
    # each citation opens its cell: the text pane has an element for it, holding the figure
    pane = client[3]
    for (lab, anchor), figure in zip(_cites(md), ("95%", "96", "120", "9.5")):
        at = pane.find(f'id="{anchor}">')
        assert anchor.startswith("cell-") and at > 0, (lab, anchor)
        shown = re.sub(r"<[^>]+>", "", pane[at + len(anchor) + 6:at + 600])  # the cell's text, marks taken off
        assert shown.startswith(figure), (lab, shown[:20])


def test_indicator_question_recomputes_the_score(client):
    md = _ask(client, "慰问户数完成得怎么样？")
    assert "1200户" in md and "1150户" in md
    assert "1150 ÷ 1200 = 95.83%" in md and "1150 ÷ 1200 × 25 = **23.96**" in md
    assert "未达到指标值" in md and "D24" in md
    assert any(lab.endswith("表1·R8·C5") for lab, _ in _cites(md))  # the 完成值 cell


def test_score_and_grade(client):
    md = _ask(client, "自评得分是多少？")
    assert "99.5" in md and "100分" in md  # both places the total is stated
    assert "25 + 25 + 30 + 10 + 9.5（预算执行率） = **99.5**" in md
    assert "D12" in md and "D12B" in md
    md = _ask(client, "自评等级是什么？")
    assert "报告所述：优" in md and "对应等级：**优**" in md and _cites(md)


def test_budget_lists_every_source_row_and_checks_the_sums(client):
    md = _ask(client, "项目预算和资金来源是多少？")
    assert "年度资金总额" in md and "财政拨款" in md
    assert "120 + 0 = **120**" in md and "96 + 0 = **96**" in md
    assert "120 − 96 = **24**万元" in md


def test_problems_question_lists_the_findings_by_severity(client):
    table = client[2]
    md = _ask(client, "存在哪些问题？")
    n_flags = len(table["data"])
    assert f"审阅共发现 {n_flags} 个问题" in md
    assert md.index("**错误（") < md.index("**警告（")
    for row in table["data"]:  # every finding of the flags table, by its number and rule
        rule = str(row[1]).split("（")[0]
        assert re.search(rf"^{row[0]}\. \*\*{re.escape(rule)}\*\*", md, re.M), row
    assert md.count("证据：") == n_flags and "「年度资金总额 120 120 96 10 95% 9.5」" in md
    # the report's own 存在问题 is quoted last, not instead of the findings
    assert "报告自述的“四、存在问题”：「无。」" in md
    assert _ask(client, "这份报告有什么问题") == md


def test_copy_question_lists_copy_findings_or_says_none_and_why(client):
    md = _ask(client, "哪些是套话？哪里和去年一样？")
    assert "套话" in md and "未加载往年报告语料库" in md
    table = client[2]
    copy_rows = [r for r in table["data"] if r[3] == "套话"]
    if copy_rows:
        assert f"发现 {len(copy_rows)} 处" in md
    else:
        assert "没有发现套话" in md


def test_other_questions_fall_back_to_passages_said_plainly(client):
    md = _ask(client, "慰问标准是多少钱一户？")
    assert md.startswith("（未配置大模型，以下为报告中与问题最相关的原文段落")
    assert "1000元/户" in md and _cites(md)
