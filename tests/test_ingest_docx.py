"""The .docx reader on real files built with python-docx / lxml."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from reviewer.ingest import read_document
from reviewer.ingest.numbering import format_number
from reviewer.models import ReadError

try:
    from fixtures_ingest import REPORT_TEXT, T0_TEXT, T1_TEXT, T3_TEXT, build_numbered_docx, \
        build_report_docx, check_invariants
except ImportError:  # tests/ imported as a package
    from tests.fixtures_ingest import REPORT_TEXT, T0_TEXT, T1_TEXT, T3_TEXT, build_numbered_docx, \
        build_report_docx, check_invariants


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory):
    path = build_report_docx(tmp_path_factory.mktemp("docx") / "报告.docx")
    return path, read_document(path)


def test_linear_text_exact(report) -> None:
    path, doc = report
    assert doc.format == "docx"
    assert doc.path == str(path)
    assert doc.text == REPORT_TEXT
    check_invariants(doc)


def test_nothing_lost_or_duplicated(report) -> None:
    _, doc = report
    for word in ["绩效指标", "产出指标", "慰问人数", "慰问覆盖率", "明细如下", "慰问金", "5.2",
                 "控件内段落", "年度资金总额", "800", "山丹县人民政府办公室", "100%"]:
        assert doc.text.count(word) == 1, word
    assert "90%" not in doc.text  # tracked deletion
    assert any("修订" in w for w in doc.warnings)


def test_merged_cells(report) -> None:
    _, doc = report
    t0 = doc.tables[0]
    assert doc.text[t0.start:t0.end] == T0_TEXT
    header = t0.rows[0]
    assert [(c.text, c.col, c.col_span) for c in header] == [("绩效指标", 0, 3), ("分值", 3, 1)]
    assert [c.col for c in t0.rows[1]] == [0, 1, 2, 3]
    assert t0.rows[2][0].text == "产出指标" and not t0.rows[2][0].merged_up
    for r in (3, 4):
        cont = t0.rows[r][0]
        assert cont.merged_up and cont.text == "" and cont.start == cont.end and cont.col == 0
        assert [c.col for c in t0.rows[r]] == [0, 1, 2, 3]
    assert t0.rows[3][2].text == "慰问覆盖率"


def test_nested_table(report) -> None:
    _, doc = report
    assert [(t.index, t.nested_in) for t in doc.tables] == [(0, None), (1, None), (2, 1), (3, None)]
    outer, inner = doc.tables[1], doc.tables[2]
    assert doc.text[outer.start:outer.end] == T1_TEXT
    cell = outer.rows[1][1]
    assert cell.text == "明细如下：\n项目\t金额\n慰问金\t5.2"
    assert cell.start <= inner.start and inner.end == cell.end
    assert [[c.text for c in row] for row in inner.rows] == [["项目", "金额"], ["慰问金", "5.2"]]
    # The outer cell's span is split around the nested table: no overlap, both locatable.
    loc = doc.locate(doc.text.index("明细如下"))
    assert (loc.kind, loc.table, loc.row, loc.col) == ("table_cell", 1, 1, 1)
    loc = doc.locate(doc.text.index("5.2"))
    assert (loc.kind, loc.table, loc.row, loc.col) == ("table_cell", 2, 1, 1)


def test_content_controls(report) -> None:
    _, doc = report
    t3 = doc.tables[3]
    assert doc.text[t3.start:t3.end] == T3_TEXT
    assert t3.rows[1][1].text == "800" and t3.rows[1][1].col == 1
    loc = doc.locate(doc.text.index("控件内段落"))
    assert (loc.kind, loc.paragraph) == ("paragraph", 4)
    loc = doc.locate(doc.text.index("山丹县人民政府办公室"))
    assert (loc.kind, loc.paragraph) == ("paragraph", 5)


def test_locate_every_cell(report) -> None:
    _, doc = report
    for table in doc.tables:
        for row in table.rows:
            for cell in row:
                loc = doc.locate(cell.start)
                assert loc is not None and loc.kind == "table_cell"
                if doc.text[cell.start:cell.end].split("\n")[0] in ("项目", "明细如下："):
                    continue  # first character may belong to a nested table
                assert (loc.table, loc.row, loc.col) == (table.index, cell.row, cell.col)
    loc = doc.locate(doc.text.index("资金到位率"))
    assert (loc.kind, loc.paragraph) == ("paragraph", 1)
    assert loc.label() == "段落2"


def test_list_numbers_rendered(tmp_path: Path) -> None:
    doc = read_document(build_numbered_docx(tmp_path / "numbered.docx"))
    assert doc.text.split("\n") == [
        "一、项目基本情况", "（一）项目概况", "（二）资金情况", "1.年初预算",
        "二、绩效目标", "（一）总体目标", "正文段落",
    ]
    check_invariants(doc)


@pytest.mark.parametrize("n,fmt,expected", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCounting", "二十"), (105, "chineseCounting", "一百零五"),
    (3, "ideographTraditional", "丙"), (4, "upperRoman", "IV"), (2, "lowerLetter", "b"),
    (3, "decimalEnclosedCircle", "③"), (7, "decimal", "7"),
])
def test_format_number(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected


def _assert_error(path: Path, code: str, **kw) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_document(path, **kw)
    err = info.value
    assert err.code == code, str(err)
    assert path.name in str(err)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.zh)
    assert err.en and err.en.isascii()
    return err


def test_truncated_docx(report, tmp_path: Path) -> None:
    path, _ = report
    data = path.read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(data[: len(data) // 2])
    _assert_error(cut, "corrupt_docx")


def test_random_bytes_docx(tmp_path: Path) -> None:
    import random

    path = tmp_path / "random.docx"
    path.write_bytes(random.Random(1).randbytes(5000))
    _assert_error(path, "corrupt_docx")


def test_zip_without_document_xml(tmp_path: Path) -> None:
    path = tmp_path / "nodoc.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    _assert_error(path, "corrupt_docx")
    path = tmp_path / "noword.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/styles.xml", "<x/>")
    _assert_error(path, "corrupt_docx")


def test_old_doc_and_other_formats(tmp_path: Path) -> None:
    path = tmp_path / "旧版.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    err = _assert_error(path, "unsupported_format")
    assert ".docx" in err.zh and "save it as .docx" in err.en
    xlsx = tmp_path / "表.xlsx"
    with zipfile.ZipFile(xlsx, "w") as zf:
        zf.writestr("xl/workbook.xml", "<x/>")
    _assert_error(xlsx, "corrupt_workbook")  # Excel is read now: a broken workbook says so


def test_content_beats_extension(report, tmp_path: Path) -> None:
    path, original = report
    renamed = tmp_path / "really_docx.txt"
    renamed.write_bytes(path.read_bytes())
    doc = read_document(renamed)
    assert doc.format == "docx" and doc.text == original.text


def test_empty_and_too_large_docx(report, tmp_path: Path) -> None:
    path = tmp_path / "blank.docx"
    d = docx.Document()
    d.add_paragraph("")
    d.add_table(rows=1, cols=1)  # one empty cell renders as an empty line
    d.add_paragraph("   ")
    d.save(str(path))
    _assert_error(path, "empty")
    big, _ = report
    _assert_error(big, "too_large", max_chars=20)


NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')


def test_runs_fields_symbols_text_boxes(tmp_path: Path) -> None:
    from docx.oxml.parser import parse_xml

    d = docx.Document()
    body = d.element.body
    paragraphs = [
        # tab, line break, check-box symbol, hyperlink, a field (code left out, result kept)
        '<w:p %s><w:r><w:t>得分</w:t><w:tab/><w:t>95</w:t><w:br/><w:t>是</w:t>'
        '<w:sym w:font="Wingdings" w:char="F0FE"/><w:t>否</w:t><w:sym w:font="Wingdings" w:char="F0A8"/></w:r>'
        '<w:hyperlink><w:r><w:t>链接</w:t></w:r></w:hyperlink>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
        # A text box stored twice (mc:Choice and VML mc:Fallback): read once.
        '<w:p %s><w:r><w:t>锚点</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps">'
        '<w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框内容</w:t></w:r></w:p>'
        '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>'
        '<w:txbxContent><w:p><w:r><w:t>文本框内容</w:t></w:r></w:p></w:txbxContent></v:textbox>'
        '</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>',
    ]
    sect = body.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sectPr")
    for xml in paragraphs:
        sect.addprevious(parse_xml(xml % NS))
    # A row that starts at grid column 1 and a tracked-deleted row.
    table = parse_xml(
        f'<w:tbl {NS}><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>'
        '<w:tr><w:tc><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc>'
        '<w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr>'
        '<w:tr><w:trPr><w:del w:id="5" w:author="x"/></w:trPr><w:tc><w:p><w:r><w:delText>gone</w:delText>'
        '</w:r></w:p></w:tc></w:tr>'
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>E</w:t></w:r></w:p></w:tc>'
        '<w:tc><w:p><w:r><w:t>F</w:t></w:r></w:p></w:tc></w:tr></w:tbl>'
    )
    sect.addprevious(table)
    path = tmp_path / "runs.docx"
    d.save(str(path))
    doc = read_document(path)
    assert doc.text == "得分\t95\n是☑否□链接7\n锚点\n文本框内容\nA\tB\tC\nE\tF"
    assert [c.col for c in doc.tables[0].rows[1]] == [1, 2]
    assert len(doc.tables[0].rows) == 2
    assert doc.locate(doc.text.index("文本框")).paragraph == 1
    check_invariants(doc)
