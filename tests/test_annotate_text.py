""".txt / .pdf input: a new .docx with the text and one comment per flag, anchored on
the quote itself."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from reviewer.models import Evidence, Flag, LocatedSpan, Location, SourceDocument
from reviewer.outputs.annotate import write_annotated
from reviewer.parse import parse_file, parse_source

REPORT = """山丹县民政局
2023年度城乡困难群众春节慰问项目支出绩效自评报告
一、项目基本情况
县民政局对全县城乡困难群众开展春节慰问，慰问对象1200户。
二、项目资金情况
全年预算数120万元，全年执行数96万元，预算执行率95%。
三、存在问题
无。
四、改进措施
进一步加强管理。
"""


def _flag(parsed, needle: str, rule: str) -> Flag:
    text = parsed.source.text
    s = text.index(needle)
    e = s + len(needle)
    return Flag(file=parsed.source.path, report=0, title="t", rule=rule, kind="arithmetic", severity="error",
                message=f"问题{rule}", evidence=[Evidence(quote=text[s:e], start=s, end=e,
                                                         location=parsed.source.locate(s, e))],
                expected="80%", stated="95%")


def _anchored(path) -> dict[str, str]:
    """comment text's first line -> the exact text inside its comment range."""
    doc = Document(str(path))
    texts = {c.comment_id: "\n".join(p.text for p in c.paragraphs) for c in doc.comments}
    out = {}
    body = doc.element.body
    for start in body.iter(qn("w:commentRangeStart")):
        cid = start.get(qn("w:id"))
        inside, collecting = [], False
        for el in body.iter():
            if el is start:
                collecting = True
            elif el.tag == qn("w:commentRangeEnd") and el.get(qn("w:id")) == cid:
                break
            elif collecting and el.tag == qn("w:t"):
                inside.append(el.text or "")
        out[texts[int(cid)].splitlines()[0]] = "".join(inside)
    return out


def test_txt_gets_new_docx_with_comments_on_quotes(tmp_path):
    src = tmp_path / "report.txt"
    src.write_text(REPORT, encoding="utf-8")
    parsed = parse_file(src)
    flags = [_flag(parsed, "预算执行率95%", "D02"), _flag(parsed, "执行数96万元", "D19"), _flag(parsed, "无。", "D23")]
    out = tmp_path / "report.审阅.docx"
    res = write_annotated(parsed, flags, out)
    assert res.comments == 3
    doc = Document(str(out))
    assert len(doc.comments) == 3
    body = "\n".join(p.text for p in doc.paragraphs)
    for line in REPORT.strip().splitlines():
        assert line in body
    anchored = _anchored(out)
    assert anchored["[D02·错误·计算] 问题D02"] == "预算执行率95%"
    assert anchored["[D19·错误·计算] 问题D19"] == "执行数96万元"
    assert anchored["[D23·错误·计算] 问题D23"] == "无。"
    assert any(lbl.startswith("第") and lbl.endswith("行") for _, lbl in res.placed)


def test_overlapping_quotes_each_get_a_comment(tmp_path):
    src = tmp_path / "r.txt"
    src.write_text(REPORT, encoding="utf-8")
    parsed = parse_file(src)
    flags = [_flag(parsed, "全年预算数120万元，全年执行数96万元", "A1"), _flag(parsed, "执行数96万元，预算执行率95%", "A2")]
    out = tmp_path / "o.docx"
    write_annotated(parsed, flags, out)
    anchored = _anchored(out)
    assert anchored["[A1·错误·计算] 问题A1"] == "全年预算数120万元，全年执行数96万元"
    assert anchored["[A2·错误·计算] 问题A2"] == "执行数96万元，预算执行率95%"


def test_pdf_like_source_labels_pages(tmp_path):
    text = REPORT
    cut = text.index("三、存在问题")
    src = SourceDocument(path=str(tmp_path / "r.pdf"), format="pdf", text=text, spans=[
        LocatedSpan(start=0, end=cut, location=Location(kind="page", page=1)),
        LocatedSpan(start=cut, end=len(text), location=Location(kind="page", page=2))])
    parsed = parse_source(src)
    f = _flag(parsed, "无。", "D23")
    res = write_annotated(parsed, [f], tmp_path / "pdf.docx")
    assert res.placed[0][1] == "第2页"
    assert len(Document(str(tmp_path / "pdf.docx")).comments) == 1


@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
def test_libreoffice_opens_text_output(tmp_path):
    src = tmp_path / "report.txt"
    src.write_text(REPORT, encoding="utf-8")
    parsed = parse_file(src)
    out = tmp_path / "txt-reviewed.docx"
    write_annotated(parsed, [_flag(parsed, "预算执行率95%", "D02")], out)
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    r = subprocess.run([exe, f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "txt-reviewed.pdf").stat().st_size > 1000
