"""Annotated .docx output: one Word comment per flag, on the right paragraph / table cell.

``make_seed_docx`` builds a seed-like 绩效自评报告 (a 自评表 with merged cells, a content
control, a nested table, and narrative with defects such as an 执行率 that does not match
执行数 / 预算数); the browser test reuses it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from reviewer.models import Evidence, Flag
from reviewer.outputs.annotate import annotate_docx, comment_text, map_docx, write_annotated
from reviewer.parse import parse_file

TITLE = "2023年度城乡困难群众春节慰问项目支出绩效自评报告"
RATE_SENTENCE = "全年预算数120万元，全年执行数96万元，预算执行率95%。"


def _sdt_paragraph(doc, text: str) -> None:
    """A body paragraph wrapped in a content control (w:sdt), before the last paragraph."""
    sdt = OxmlElement("w:sdt")
    sdt.append(OxmlElement("w:sdtPr"))
    content = OxmlElement("w:sdtContent")
    p = doc.add_paragraph(text)._p
    p.getparent().remove(p)
    content.append(p)
    sdt.append(content)
    doc.element.body.insert(len(doc.element.body) - 1, sdt)  # before w:sectPr


def make_seed_docx(path: Path) -> Path:
    """A seed-like report: title, 自评表 with merged cells, narrative with defects."""
    doc = Document()
    doc.add_paragraph("附件3")
    doc.add_paragraph("山丹县民政局")
    doc.add_paragraph(TITLE)
    _sdt_paragraph(doc, "（本报告由项目单位填报，内容真实、准确。）")
    doc.add_paragraph("一、项目基本情况")
    doc.add_paragraph("为做好2023年元旦春节期间困难群众基本生活保障工作，县民政局对全县城乡低保户、特困人员等"
                      "困难群众开展春节慰问，慰问对象1200户，慰问标准1000元/户。")
    doc.add_paragraph("二、项目资金情况")
    doc.add_paragraph(RATE_SENTENCE + "资金主要用于发放慰问金。")

    # 自评表: 8 grid columns, merged title row, vertically merged 项目资金 label
    t = doc.add_table(rows=11, cols=8)
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(0, 7)).text = "项目支出绩效自评表"
    t.cell(1, 0).merge(t.cell(1, 1)).text = "项目名称"
    t.cell(1, 2).merge(t.cell(1, 7)).text = "城乡困难群众春节慰问"
    heads = ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    for c, h in enumerate(heads):
        t.cell(2, c).text = h
    funds = [("年度资金总额", "120", "120", "96", "10", "95%", "9.5"),
             ("其中：财政拨款", "120", "120", "96", "—", "80%", "—"),
             ("其他资金", "0", "0", "0", "—", "—", "—")]
    for r, row in enumerate(funds, 3):
        for c, v in enumerate(row, 1):
            t.cell(r, c).text = v
    t.cell(2, 0).merge(t.cell(5, 0))
    ind_heads = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    for c, h in enumerate(ind_heads):
        t.cell(6, c).text = h
    inds = [("产出指标", "数量指标", "慰问户数", "1200户", "1150户", "25", "25", ""),
            ("", "时效指标", "慰问金发放及时率", "100%", "100%", "25", "25", ""),
            ("效益指标", "社会效益指标", "困难群众生活保障水平", "有效保障", "有效保障", "30", "30", ""),
            ("满意度指标", "服务对象满意度指标", "慰问对象满意度", "≥90%", "98%", "10", "10", "")]
    for r, row in enumerate(inds, 7):
        for c, v in enumerate(row):
            if v:
                t.cell(r, c).text = v
    t.cell(7, 0).merge(t.cell(8, 0))
    t.cell(7, 0).text = "产出指标"

    doc.add_paragraph("总分：100分，自评得分99.5分，评价等级为“优”。")
    doc.add_paragraph("三、绩效目标完成情况")
    doc.add_paragraph("项目按计划完成，慰问户数1200户，全面完成年度目标，困难群众满意度达98%。")
    doc.add_paragraph("四、存在问题")
    doc.add_paragraph("无。")
    doc.add_paragraph("五、改进措施")
    doc.add_paragraph("进一步加强管理，提高资金使用效益。")

    # a small table with a nested table in one cell
    t2 = doc.add_table(rows=2, cols=2)
    t2.style = "Table Grid"
    t2.cell(0, 0).text = "附表"
    t2.cell(0, 1).text = "说明"
    t2.cell(1, 0).text = "乡镇分布"
    inner = t2.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "清泉镇"
    inner.cell(0, 1).text = "320户"
    doc.add_paragraph("山丹县民政局")
    doc.add_paragraph("2024年3月5日")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


# --------------------------------------------------------------------------- helpers


def _flag_at(parsed, needle: str, rule: str = "X01", n: int = 1) -> Flag:
    text = parsed.source.text
    start = -1
    for _ in range(n):
        start = text.index(needle, start + 1)
    end = start + len(needle)
    ev = Evidence(quote=text[start:end], start=start, end=end, location=parsed.source.locate(start, end))
    return Flag(file=parsed.source.path, report=0, title=TITLE, rule=rule, kind="arithmetic", severity="error",
                message=f"测试问题 {rule}", evidence=[ev], expected="80%", stated="95%")


def comments_by_anchor(path: Path) -> dict[int, tuple[str, str]]:
    """comment id -> (text of the paragraph holding its range start, comment text)."""
    doc = Document(str(path))
    texts = {c.comment_id: "\n".join(p.text for p in c.paragraphs) for c in doc.comments}
    out = {}
    for start in doc.element.body.iter(qn("w:commentRangeStart")):
        cid = int(start.get(qn("w:id")))
        p = start.getparent()
        while p is not None and p.tag != qn("w:p"):
            p = p.getparent()
        ptext = "".join(p.xpath(".//w:t/text()")) if p is not None else ""
        out[cid] = (ptext, texts.get(cid, ""))
    return out


@pytest.fixture(scope="module")
def seed(tmp_path_factory) -> Path:
    return make_seed_docx(tmp_path_factory.mktemp("seed") / "seed.docx")


# --------------------------------------------------------------------------- tests


def test_map_docx_matches_reader_order(seed):
    """Every located span of the reader maps to an element whose text holds the span's text."""
    parsed = parse_file(seed)
    m = map_docx(Document(str(seed)))
    text = parsed.source.text
    from reviewer.outputs.annotate import _target

    checked = 0
    for sp in parsed.source.spans:
        piece = text[sp.start:sp.end].strip()
        if not piece:
            continue
        p = _target(m, sp.location)
        assert p is not None, sp.location
        el = p
        if sp.location.kind == "table_cell":
            while el.tag != qn("w:tc"):
                el = el.getparent()
        full = "".join(el.xpath(".//w:t/text()"))
        assert piece.split("\n")[0].replace("\t", "") in full, (sp.location, piece)
        checked += 1
    assert checked > 20
    assert len(m.tables) == len(parsed.source.tables) == 3  # 自评表, 附表 and its nested table


def test_one_comment_per_flag_on_the_right_paragraph(seed, tmp_path):
    parsed = parse_file(seed)
    flags = [
        _flag_at(parsed, "预算执行率95%", "D02"),
        _flag_at(parsed, "预算执行率95%", "D03"),  # two flags on one paragraph -> two comments
        _flag_at(parsed, "95%", "D04", n=2),  # 执行率 cell of the 自评表 (after the narrative one)
        _flag_at(parsed, "无。", "D23"),
        _flag_at(parsed, "（本报告由项目单位填报", "F01"),  # inside a content control
        _flag_at(parsed, "320户", "F02"),  # nested table cell
    ]
    assert flags[2].evidence[0].location.kind == "table_cell"
    out = tmp_path / "reviewed.docx"
    res = annotate_docx(parsed, flags, out)
    assert res.comments == len(flags) and res.unplaced == 0
    anchors = comments_by_anchor(out)
    assert len(anchors) == len(flags) == len(Document(str(out)).comments)
    by_rule = {}
    for ptext, ctext in anchors.values():
        by_rule.setdefault(ctext.split("·")[0].strip("["), []).append((ptext, ctext))
    assert RATE_SENTENCE in by_rule["D02"][0][0] and RATE_SENTENCE in by_rule["D03"][0][0]
    assert by_rule["D04"][0][0] == "95%"
    assert by_rule["D23"][0][0] == "无。"
    assert by_rule["F01"][0][0].startswith("（本报告由项目单位填报")
    assert by_rule["F02"][0][0] == "320户"
    # the comment carries code, message, expected vs stated
    assert "D02" in by_rule["D02"][0][1] and "测试问题 D02" in by_rule["D02"][0][1]
    assert "应为：80%" in by_rule["D02"][0][1] and "报告所述：95%" in by_rule["D02"][0][1]
    # the rest of the document is unchanged
    assert [p.text for p in Document(str(out)).paragraphs] == [p.text for p in Document(str(seed)).paragraphs]


def test_comment_text_lists_other_locations():
    f = Flag(file="a", report=0, title="t", rule="D09", kind="contradiction", severity="warning", message="正文与表不一致",
             evidence=[], expected=None, stated="95%")
    s = comment_text(f, ["表1·R4·C7"])
    assert s.splitlines()[0] == "[D09·警告·矛盾] 正文与表不一致"
    assert "报告所述：95%" in s and "另见：表1·R4·C7" in s


def test_pipeline_flags_annotated(seed, tmp_path):
    """The real review of the seed: exactly one comment per flag, each at its evidence."""
    from reviewer.commands.annotate import annotate_file
    from reviewer.batch.session import open_session

    out = tmp_path / "seed.审阅.docx"
    res, n = annotate_file(seed, out, open_session(no_llm=True, notify=lambda s: None))
    doc = Document(str(out))
    assert len(doc.comments) == res.comments == n
    parsed = parse_file(seed)
    anchors = comments_by_anchor(out)
    for (flag, label), (ptext, _) in zip(res.placed, [anchors[k] for k in sorted(anchors)]):
        ev = flag.evidence[0]
        # the anchored paragraph / cell is where the quote is (the cell of a row quote, or
        # the paragraph a quote starts in)
        assert (ptext and ptext in ev.quote) or ev.quote.split("\n")[0].split("\t")[0][:10] in ptext, \
            (flag.rule, label, ptext)
    assert parsed.reports


def test_cli_annotate(seed, tmp_path, capsys):
    from reviewer.cli import main

    out = tmp_path / "cli.docx"
    assert main(["annotate", str(seed), "--out", str(out), "--no-llm"]) == 0
    assert out.exists() and "cli.docx" in capsys.readouterr().out
    Document(str(out))


def test_cli_annotate_rejects_bad_input(tmp_path, capsys):
    from reviewer.cli import main

    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    assert main(["annotate", str(bad), "--out", str(tmp_path / "o.docx"), "--no-llm"]) == 1
    assert "bad.docx" in capsys.readouterr().err


def _lo(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("libreoffice") or shutil.which("soffice")
    return subprocess.run([exe, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", *args],
                          capture_output=True, text=True, timeout=120)


def _odt_annotations(odt: Path) -> list[tuple[str, str]]:
    """(comment text, text of the paragraph it sits in) for every comment LibreOffice read."""
    import zipfile

    from lxml import etree

    ns = {"office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
          "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
    root = etree.fromstring(zipfile.ZipFile(odt).read("content.xml"))
    out = []
    for a in root.xpath("//office:annotation", namespaces=ns):
        p = a.getparent()
        while etree.QName(p).localname not in ("p", "h"):
            p = p.getparent()
        body = "\n".join("".join(x.itertext()) for x in a.xpath("./text:p", namespaces=ns))
        para = "".join(p.xpath(".//text()[not(ancestor::office:annotation)]", namespaces=ns))
        out.append((body, para))
    return out


@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
def test_libreoffice_opens_annotated(seed, tmp_path):
    """LibreOffice converts the annotated file to PDF, and reads every comment at its paragraph."""
    parsed = parse_file(seed)
    flags = [_flag_at(parsed, "预算执行率95%", "D02"), _flag_at(parsed, "95%", "D04", n=2),
             _flag_at(parsed, "无。", "D23"), _flag_at(parsed, "320户", "F02")]
    out = tmp_path / "reviewed.docx"
    write_annotated(parsed, flags, out)
    r = _lo(["--convert-to", "pdf", "--outdir", str(tmp_path), str(out)], tmp_path)
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "reviewed.pdf"
    assert pdf.exists() and pdf.stat().st_size > 1000
    r = _lo(["--convert-to", "odt", "--outdir", str(tmp_path / "odt"), str(out)], tmp_path)
    assert r.returncode == 0, r.stderr
    anns = _odt_annotations(tmp_path / "odt" / "reviewed.odt")
    assert len(anns) == len(flags)
    where = {body.split("·")[0].strip("["): para for body, para in anns}
    assert RATE_SENTENCE in where["D02"] and where["D04"] == "95%" and where["D23"] == "无。" and where["F02"] == "320户"


def test_paragraph_with_text_only_in_a_hyperlink(tmp_path):
    """A paragraph whose only text sits in a w:hyperlink still gets its comment there."""
    doc = Document()
    doc.add_paragraph("2023年度某项目支出绩效自评报告")
    p = doc.add_paragraph()
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), "x")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "详见附件绩效自评表"
    r.append(t)
    link.append(r)
    p._p.append(link)
    doc.add_paragraph("结束")
    src = tmp_path / "link.docx"
    doc.save(str(src))
    parsed = parse_file(src)
    flag = _flag_at(parsed, "详见附件绩效自评表", "F09")
    out = tmp_path / "out.docx"
    annotate_docx(parsed, [flag], out)
    (ptext, ctext), = comments_by_anchor(out).values()
    assert ptext == "详见附件绩效自评表" and ctext.startswith("[F09")
    start = next(Document(str(out)).element.body.iter(qn("w:commentRangeStart")))
    assert start.getparent().tag == qn("w:hyperlink")


def test_row_quote_points_at_the_stated_cell(seed, tmp_path):
    """A rule quoting a whole 自评表 row for a wrong 执行率 gets its comment on the 95% cell."""
    parsed = parse_file(seed)
    text = parsed.source.text
    s = text.index("年度资金总额")
    e = text.index("9.5", s) + 3
    ev = Evidence(quote=text[s:e], start=s, end=e, location=parsed.source.locate(s, e))
    f = Flag(file="x", report=0, title=TITLE, rule="D02", kind="arithmetic", severity="error", message="执行率不符",
             evidence=[ev], expected="80%", stated="95%")
    out = tmp_path / "row.docx"
    res = annotate_docx(parsed, [f], out)
    assert res.placed[0][1] == "表1·R4·C7"
    (ptext, _), = comments_by_anchor(out).values()
    assert ptext == "95%"
