"""The output writers on hand-made records: exact flags.jsonl fields, summary.xlsx layout,
escaping in summary.html, linter text, evidence grounding and line:col positions."""

from __future__ import annotations

import json

import openpyxl

from reviewer.models import Evidence, Flag, Location, SourceDocument
from reviewer.outputs.bundle import write_all
from reviewer.outputs.html import render_html
from reviewer.outputs.records import (
    ErrorRecord,
    FileOutcome,
    FlagRecord,
    Positioner,
    ReportRecord,
    count_by,
    ground_flags,
)
from reviewer.outputs.text import flag_line, format_outcome, shorten, summary_line

FLAG_FIELDS = ["file", "report", "title", "rule", "kind", "severity", "message", "evidence", "expected", "stated",
               "source"]


def _flag(**kw) -> Flag:
    base = dict(file="a.txt", report=0, title="某项目绩效自评报告", rule="D02", kind="arithmetic", severity="error",
                message="合计不等于分项之和", evidence=[Evidence(quote="合计", start=0, end=2)], expected="10",
                stated="12", source="rule")
    base.update(kw)
    return Flag(**base)


def _outcomes() -> list[FileOutcome]:
    evil = "<script>alert(1)</script>"
    f1 = _flag(message=f"危险 {evil}", evidence=[Evidence(quote="=SUM(A1:A2)", start=3, end=14)])
    f2 = _flag(file="b.docx", rule="J01", kind="boilerplate", severity="warning", source="llm", expected=None,
               stated=None, evidence=[Evidence(quote="同上\x01", start=5, end=8,
                                               location=Location(kind="table_cell", table=0, row=2, col=1))])
    r1 = ReportRecord(file="a.txt", index=0, title=f"标题{evil}", stated_score=95.0, recomputed_score=94.0,
                      flags=1, flags_by_severity={"error": 1}, flags_by_kind={"arithmetic": 1},
                      flags_by_source={"rule": 1}, sections=["basic", "problems"])
    r2 = ReportRecord(file="b.docx", index=0, title="乙", flags=1, flags_by_severity={"warning": 1})
    return [
        FileOutcome(file="a.txt", format="txt", reports=[r1], flags=[FlagRecord(flag=f1, positions=["1:4"])]),
        FileOutcome(file="b.docx", format="docx", reports=[r2], flags=[FlagRecord(flag=f2, positions=["表1·R3·C2"])]),
        FileOutcome(file="c.pdf", error=ErrorRecord(file="c.pdf", code="scanned_pdf", message_zh="c.pdf：扫描件",
                                                    message_en="c.pdf: scanned")),
    ]


def test_write_all_files_and_jsonl_fields(tmp_path):
    paths = write_all(tmp_path, _outcomes())
    assert sorted(p.name for p in paths.values()) == sorted(
        ["flags.jsonl", "reports.jsonl", "errors.jsonl", "summary.xlsx", "summary.html"])
    flags = [json.loads(x) for x in (tmp_path / "flags.jsonl").read_text("utf-8").splitlines()]
    assert [list(f) for f in flags] == [FLAG_FIELDS, FLAG_FIELDS]
    assert "location" not in flags[0]["evidence"][0]  # .txt evidence has no location
    assert flags[1]["evidence"][0]["location"]["kind"] == "table_cell"
    reports = [json.loads(x) for x in (tmp_path / "reports.jsonl").read_text("utf-8").splitlines()]
    assert [r["file"] for r in reports] == ["a.txt", "b.docx"]
    assert reports[0]["stated_score"] == 95.0 and reports[0]["recomputed_score"] == 94.0
    errors = [json.loads(x) for x in (tmp_path / "errors.jsonl").read_text("utf-8").splitlines()]
    assert errors == [{"file": "c.pdf", "code": "scanned_pdf", "message_zh": "c.pdf：扫描件",
                       "message_en": "c.pdf: scanned"}]
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporaries


def test_xlsx_layout(tmp_path):
    write_all(tmp_path, _outcomes())
    wb = openpyxl.load_workbook(tmp_path / "summary.xlsx")
    assert wb.sheetnames == ["问题清单", "报告汇总", "读取错误"]
    ws = wb["问题清单"]
    header = [c.value for c in ws[1]]
    assert header == ["文件", "报告序号", "报告标题", "规则", "类别", "严重程度", "说明", "证据原文", "位置", "期望值",
                      "陈述值", "来源"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:L3"
    assert ws.column_dimensions["H"].width >= 40
    assert ws["H2"].value == "=SUM(A1:A2)" and ws["H2"].data_type == "s"  # text, not a formula
    assert ws["H2"].alignment.wrap_text
    assert ws["H3"].value == "同上"  # control character removed
    assert ws["I3"].value == "表1·R3·C2" and ws["I2"].value == "1:4"
    assert [ws["E2"].value, ws["F2"].value, ws["L3"].value] == ["计算错误", "错误", "大模型"]
    rs = wb["报告汇总"]
    assert rs.max_row == 3 and rs.freeze_panes == "A2"
    sections = [c.value for c in rs[1]].index("已识别章节")
    assert rs[2][sections].value == "基本情况、存在问题"  # section names, not internal keys
    # a reviewer reads Chinese: no severity, kind, source or section key in any cell of the two sheets
    keys = {"error", "warning", "info", "arithmetic", "format", "llm", "rule", "basic", "problems"}
    assert not {c.value for sheet in (ws, rs) for row in sheet.iter_rows() for c in row} & keys
    es = wb["读取错误"]
    assert [c.value for c in es[2]][:2] == ["c.pdf", "scanned_pdf"]


def test_html_is_escaped_and_self_contained():
    page = render_html(_outcomes())
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page and "<link" not in page
    assert "读取错误" in page and "c.pdf" in page and "表1·R3·C2" in page
    assert 'class="n mismatch"' in page  # stated 95 vs recomputed 94


def test_text_format():
    outs = _outcomes()
    lines = format_outcome(outs[0])
    assert lines[0].startswith("a.txt:报告1 «标题")  # report 0 of the file is 报告1, as draft --report takes it
    assert lines[1].startswith("  D02 错误 危险 ")
    assert "1:4 «=SUM(A1:A2)»" in lines[1] and "（期望 10，陈述 12）" in lines[1]
    assert "［大模型］" in flag_line(outs[1].flags[0])
    assert summary_line(outs) == "共检查 3 个文件、2 份报告：发现 2 个问题（错误 1，警告 1，提示 0）；1 个文件无法读取。"
    from reviewer.outputs.text import format_error

    assert format_error(outs[2].error) == "c.pdf: 无法读取 [scanned_pdf] 扫描件"  # Chinese only; English stays in errors.jsonl
    assert shorten("甲" * 100) == "甲" * 26 + "…" + "甲" * 13
    assert shorten("a \n\t b") == "a b"


def test_ground_flags_drops_retyped_quotes():
    src = SourceDocument(path="x.txt", format="txt", text="第一行\n资金总额121万元")
    good = Evidence(quote="121万元", start=8, end=13)
    bad = Evidence(quote="120万元", start=8, end=13)
    out, dq, df = ground_flags([_flag(evidence=[good, bad]), _flag(evidence=[bad])], src)
    assert (dq, df) == (2, 1)
    assert len(out) == 1 and out[0].evidence == [good]


def test_positioner_line_col():
    text = "ab\ncd\n\nefg"
    pos = Positioner(SourceDocument(path="x.txt", format="txt", text=text))
    for off, want in [(0, (1, 1)), (1, (1, 2)), (2, (1, 3)), (3, (2, 1)), (6, (3, 1)), (7, (4, 1)), (9, (4, 3))]:
        assert pos.line_col(off) == want, off
    loc = Location(kind="paragraph", paragraph=4)
    assert pos.label(Evidence(quote="x", start=0, end=1, location=loc)) == "段落5"


def test_count_by_orders_severity():
    flags = [_flag(severity="info"), _flag(severity="error"), _flag(severity="info")]
    assert list(count_by(flags, "severity").items()) == [("error", 1), ("info", 2)]
