"""Builders and invariant checks for the ingest tests (real files, no mocks)."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml

from reviewer.models import SourceDocument

W_NS_DECL = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# Linear text the reader must produce for build_report_docx().
T0_TEXT = (
    "绩效指标\t分值\n"
    "一级指标\t二级指标\t三级指标\t分值\n"
    "产出指标\t数量指标\t慰问人数\t20\n"
    "\t质量指标\t慰问覆盖率\t10\n"
    "\t时效指标\t及时率\t10"
)
T1_TEXT = "名称\t说明\n慰问\t明细如下：\n项目\t金额\n慰问金\t5.2"
T3_TEXT = "年度资金总额\t1200\n财政拨款\t800"
REPORT_TEXT = "\n".join([
    "项目支出绩效自评报告",
    "资金到位率为100%。",
    T0_TEXT,
    "二、存在问题",
    T1_TEXT,
    "三、附表",
    "控件内段落",
    T3_TEXT,
    "填报单位：山丹县人民政府办公室",
])


def _run(text: str, *, deleted: bool = False) -> OxmlElement:
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.text = text
    r.append(t)
    return r


def _sdt() -> tuple[OxmlElement, OxmlElement]:
    """A ``w:sdt`` element and its (empty) ``w:sdtContent``."""
    sdt = OxmlElement("w:sdt")
    sdt.append(OxmlElement("w:sdtPr"))
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    return sdt, content


def build_report_docx(path: Path) -> Path:
    """A .docx with merged cells, a nested table, content controls and tracked changes."""
    d = docx.Document()
    d.add_paragraph("项目支出绩效自评报告")

    # Tracked insertion (kept) and deletion (left out).
    p = d.add_paragraph("资金到位率为")
    ins = OxmlElement("w:ins")
    ins.set(qn("w:id"), "1")
    ins.set(qn("w:author"), "审核人")
    ins.append(_run("100%"))
    p._p.append(ins)
    dele = OxmlElement("w:del")
    dele.set(qn("w:id"), "2")
    dele.set(qn("w:author"), "审核人")
    dele.append(_run("90%", deleted=True))
    p._p.append(dele)
    p._p.append(_run("。"))

    # Table 0: horizontally merged header, vertically merged 一级指标 column.
    t0 = d.add_table(rows=5, cols=4)
    t0.cell(0, 0).merge(t0.cell(0, 2)).text = "绩效指标"
    t0.cell(0, 3).text = "分值"
    for c, v in enumerate(["一级指标", "二级指标", "三级指标", "分值"]):
        t0.cell(1, c).text = v
    rows = [["数量指标", "慰问人数", "20"], ["质量指标", "慰问覆盖率", "10"], ["时效指标", "及时率", "10"]]
    for r, vals in enumerate(rows, start=2):
        for c, v in enumerate(vals, start=1):
            t0.cell(r, c).text = v
    t0.cell(2, 0).merge(t0.cell(4, 0)).text = "产出指标"

    d.add_paragraph("二、存在问题")

    # Table 1 with table 2 nested in cell (1, 1).
    t1 = d.add_table(rows=2, cols=2)
    for (r, c), v in {(0, 0): "名称", (0, 1): "说明", (1, 0): "慰问", (1, 1): "明细如下："}.items():
        t1.cell(r, c).text = v
    nested = t1.cell(1, 1).add_table(rows=2, cols=2)
    for (r, c), v in {(0, 0): "项目", (0, 1): "金额", (1, 0): "慰问金", (1, 1): "5.2"}.items():
        nested.cell(r, c).text = v

    d.add_paragraph("三、附表")

    # A block-level content control holding a paragraph and table 3, one of whose
    # cells is itself wrapped in a cell-level content control.
    inner_p = d.add_paragraph("控件内段落")
    t3 = d.add_table(rows=2, cols=2)
    for (r, c), v in {(0, 0): "年度资金总额", (0, 1): "1200", (1, 0): "财政拨款", (1, 1): "800"}.items():
        t3.cell(r, c).text = v
    tc = t3.cell(1, 1)._tc
    cell_sdt, cell_content = _sdt()
    tc.addprevious(cell_sdt)
    cell_content.append(tc)
    sdt, content = _sdt()
    inner_p._p.addprevious(sdt)
    content.append(inner_p._p)
    content.append(t3._tbl)

    # Inline content control inside a paragraph.
    p = d.add_paragraph("填报单位：")
    inline, inline_content = _sdt()
    inline_content.append(_run("山丹县人民政府办公室"))
    p._p.append(inline)

    d.save(str(path))
    return path


def build_numbered_docx(path: Path) -> Path:
    """Headings numbered by numbering.xml only: 一、 / （一） in Chinese counting."""
    d = docx.Document()
    numbering = d.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {W_NS_DECL} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%3."/></w:lvl>'
        "</w:abstractNum>"
    )
    numbering.insert(0, abstract)
    numbering.append(parse_xml(f'<w:num {W_NS_DECL} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in [(0, "项目基本情况"), (1, "项目概况"), (1, "资金情况"), (2, "年初预算"),
                        (0, "绩效目标"), (1, "总体目标"), (None, "正文段落")]:
        p = d.add_paragraph(text)
        if level is not None:
            p._p.get_or_add_pPr().append(parse_xml(
                f'<w:numPr {W_NS_DECL}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    d.save(str(path))
    return path


def check_invariants(doc: SourceDocument) -> None:
    """Offsets are exact, spans sorted and disjoint, tables consistent with the text."""
    text = doc.text
    prev_end = 0
    prev_start = -1
    for span in doc.spans:
        assert 0 <= span.start <= span.end <= len(text)
        assert span.start >= prev_end, f"overlapping spans at {span}"
        assert span.start > prev_start, f"two spans start at {span.start}"
        prev_end, prev_start = span.end, span.start
    for table in doc.tables:
        assert 0 <= table.start <= table.end <= len(text)
        if table.nested_in is not None:
            outer = doc.tables[table.nested_in]
            assert outer.start <= table.start and table.end <= outer.end
            assert table.nested_in < table.index
        for r, row in enumerate(table.rows):
            for cell in row:
                assert text[cell.start:cell.end] == cell.text
                assert cell.row == r
                assert table.start <= cell.start <= cell.end <= table.end
                if cell.merged_up:
                    assert cell.text == "" and cell.start == cell.end
            cols = [c.col for c in row]
            assert cols == sorted(cols)
        rendered = "\n".join("\t".join(c.text for c in row) for row in table.rows)
        assert text[table.start:table.end] == rendered
