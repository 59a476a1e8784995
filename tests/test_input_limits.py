"""Issue 14/15: input limits hold before the work starts, for every zip member and carrier,
with an error that names the file and the limit; every limit is configurable in
``[tool.jixiao.limits]``.  Bombs are generated (tests/fuzz/corpus.py); each read runs in a
child process with a deadline (tests/bounded.py) so a regression fails instead of hanging."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from bounded import run_bounded
from fuzz.corpus import (BASE_DOCX, BASE_XLSX, BILLION_LAUGHS, MB, W_NS, _blank_pdf, _doc_xml, _minimal_ods, _para,
                         _stream_doc, docx_with_body, lie_about_size, raw_bomb, rebuild_zip, xml_bomb)

from reviewer.ingest import ReadError, read_document
from reviewer.ingest.limits import InputLimits, load_limits


def _error(path: Path, limits: InputLimits | None = None) -> tuple[str, str, str]:
    """(code, zh, en) of the ReadError reading ``path`` raises (in a child process)."""
    def work(p: Path, lim: InputLimits | None) -> tuple[str, str, str]:
        try:
            read_document(p, limits=lim)
        except ReadError as exc:
            return exc.code, str(exc), exc.en
        return "read", "", ""
    return run_bounded(work, path, limits, timeout=60)


@pytest.mark.parametrize("part,root", [("word/document.xml", "w:document"), ("word/styles.xml", "w:styles"),
                                       ("word/numbering.xml", "w:numbering"), ("[Content_Types].xml", "Types")])
def test_docx_bomb_in_any_part(tmp_path: Path, part: str, root: str) -> None:
    path = rebuild_zip(BASE_DOCX, tmp_path / "bomb.docx", {part: xml_bomb(root, 200 * MB)})
    assert path.stat().st_size < 1 * MB
    code, msg, en = _error(path)
    assert code == "too_large" and str(path) in msg and part in msg and "max_" in en


def test_docx_media_bomb(tmp_path: Path) -> None:
    path = rebuild_zip(BASE_DOCX, tmp_path / "media.docx", extra={"word/media/image9.png": raw_bomb(300 * MB)})
    code, msg, _ = _error(path)
    assert code == "too_large" and "word/media/image9.png" in msg and "max_member_mb" in msg


def test_member_that_lies_about_its_size(tmp_path: Path) -> None:
    """The header says 1,000 bytes; the member inflates to 100 MB: the real size is what counts."""
    path = lie_about_size(rebuild_zip(BASE_DOCX, tmp_path / "lying.docx",
                                      {"word/styles.xml": xml_bomb("w:styles", 100 * MB)}), "word/styles.xml")
    code, msg, _ = _error(path, InputLimits(max_member_mb=8))
    assert code in ("too_large", "corrupt_docx") and str(path) in msg  # never read past its real size
    assert code != "read"


def test_real_size_is_counted_while_inflating(tmp_path: Path) -> None:
    """Declared sizes under the limit, but together the XML members are over: the stream count refuses."""
    path = rebuild_zip(BASE_DOCX, tmp_path / "xml.docx", {"word/styles.xml": xml_bomb("w:styles", 3 * MB)})
    code, msg, _ = _error(path, InputLimits(max_xml_mb=2))
    assert code == "too_large" and "max_xml_mb" in msg


def test_many_members(tmp_path: Path) -> None:
    path = rebuild_zip(BASE_DOCX, tmp_path / "many.docx", extra={f"word/media/x{i}.bin": b"x" for i in range(600)})
    assert read_document(path).text  # under the default
    code, msg, _ = _error(path, InputLimits(max_zip_members=500))
    assert code == "too_large" and "max_zip_members" in msg and "压缩包成员数" in msg


@pytest.mark.parametrize("kind", ["docx", "xlsx", "ods"])
def test_entity_expansion_is_refused_unparsed(tmp_path: Path, kind: str) -> None:
    if kind == "docx":
        xml = (f'<?xml version="1.0"?>{BILLION_LAUGHS}<w:document xmlns:w="{W_NS}"><w:body>'
               "<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
        path = docx_with_body(tmp_path / "laughs.docx", xml.encode())
    elif kind == "xlsx":
        with zipfile.ZipFile(BASE_XLSX) as zi:
            sheet = zi.read("xl/worksheets/sheet1.xml").decode()
        sheet = sheet.replace("?>", "?>" + BILLION_LAUGHS, 1) if "?>" in sheet else BILLION_LAUGHS + sheet
        path = rebuild_zip(BASE_XLSX, tmp_path / "laughs.xlsx", {"xl/worksheets/sheet1.xml": sheet.encode()})
    else:
        path = _minimal_ods(tmp_path / "laughs.ods", f'<?xml version="1.0"?>{BILLION_LAUGHS}<x>&lol9;</x>'.encode())
    code, msg, _ = _error(path)
    assert code == "unsafe_xml" and str(path) in msg


def test_deep_xml(tmp_path: Path) -> None:
    path = docx_with_body(tmp_path / "deep.docx", _doc_xml(
        "<w:sdt><w:sdtContent>" * 3000 + _para("深") + "</w:sdtContent></w:sdt>" * 3000))
    code, msg, _ = _error(path)
    assert code in ("too_large", "corrupt_docx") and str(path) in msg


def test_deep_nested_tables_are_read_or_refused_cleanly(tmp_path: Path) -> None:
    path = docx_with_body(tmp_path / "tables.docx", _doc_xml(
        "<w:tbl><w:tr><w:tc>" * 80 + _para("表") + "</w:tc></w:tr></w:tbl>" * 80))
    code, msg, _ = _error(path)
    assert code in ("read", "too_large", "corrupt_docx")


def test_docx_paragraphs_and_cells_counted_before_rendering(tmp_path: Path) -> None:
    paras = docx_with_body(tmp_path / "paras.docx", _stream_doc("<w:p/>" for _ in range(200_000)))
    assert paras.stat().st_size < 1 * MB
    code, msg, _ = _error(paras)
    assert code == "too_large" and "max_paragraphs" in msg and "200,0" in msg
    rows = ("<w:tr>" + "".join(f"<w:tc>{_para(str(j))}</w:tc>" for j in range(8)) + "</w:tr>" for _ in range(3000))
    table = docx_with_body(tmp_path / "table.docx", _stream_doc(iter(["<w:tbl>", *rows, "</w:tbl>"])))
    code, msg, _ = _error(table, InputLimits(max_table_cells=10_000))
    assert code == "too_large" and "max_table_cells" in msg


def test_text_limits_chars_and_line(tmp_path: Path) -> None:
    long_line = tmp_path / "line.txt"
    long_line.write_text("项目执行情况良好。\n" + "执行率达到百分之九十五" * 30_000, "utf-8")
    code, msg, en = _error(long_line)
    assert code == "too_large" and "第 2 行" in msg and "max_line_chars" in en
    assert _error(long_line, InputLimits(max_line_chars=400_000))[0] == "read"
    many = tmp_path / "many.txt"
    many.write_text("绩效自评报告\n" * 2000, "utf-8")
    code, msg, _ = _error(many, InputLimits(max_paragraphs=1000))
    assert code == "too_large" and "max_paragraphs" in msg


def test_pdf_pages(tmp_path: Path) -> None:
    path = _blank_pdf(tmp_path / "pages.pdf", 40)
    code, msg, _ = _error(path, InputLimits(max_pdf_pages=30))
    assert code == "too_large" and "40" in msg


@pytest.mark.parametrize("part,root", [("xl/worksheets/sheet1.xml", "worksheet"), ("xl/sharedStrings.xml", "sst"),
                                       ("xl/styles.xml", "styleSheet")])
def test_xlsx_bomb_in_any_part(tmp_path: Path, part: str, root: str) -> None:
    path = rebuild_zip(BASE_XLSX, tmp_path / "bomb.xlsx", {part: xml_bomb(root, 200 * MB)})
    code, msg, _ = _error(path)
    assert code == "too_large" and part in msg


def test_xml_token_run_under_the_size_limits(tmp_path: Path) -> None:
    """30 MB of comment in a worksheet is under the size limits but kept expat busy for minutes."""
    path = rebuild_zip(BASE_XLSX, tmp_path / "comment.xlsx", {"xl/worksheets/sheet1.xml": xml_bomb("worksheet", 30 * MB)})
    code, msg, _ = _error(path)
    assert code == "too_large" and "xl/worksheets/sheet1.xml" in msg and "max_line_chars" in msg


def test_ods_bomb(tmp_path: Path) -> None:
    path = _minimal_ods(tmp_path / "bomb.ods", xml_bomb("office:document-content", 200 * MB))
    code, msg, _ = _error(path)
    assert code == "too_large" and "content.xml" in msg


def test_limits_are_read_from_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "jixiao.toml").write_text("[tool.jixiao.limits]\nmax_chars = 500\nmax_pdf_pages = 7\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    limits = load_limits()
    assert limits.max_chars == 500 and limits.max_pdf_pages == 7 and limits.max_paragraphs == InputLimits().max_paragraphs
    path = tmp_path / "r.txt"
    path.write_text("绩效自评报告" * 100, "utf-8")
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert info.value.code == "too_large" and "500" in str(info.value) and str(path) in str(info.value)
    (tmp_path / "jixiao.toml").write_text("[tool.jixiao.limits]\nmax_chars = -1\n", "utf-8")
    with pytest.raises(ValueError, match="jixiao.toml"):
        load_limits()
    (tmp_path / "jixiao.toml").write_text("[tool.jixiao.limits]\nmax_charz = 5\n", "utf-8")
    with pytest.raises(ValueError, match="limits"):
        load_limits()


def test_real_reports_are_far_inside_the_defaults() -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    for p in sorted(examples.glob("0*")):
        if p.suffix in (".docx", ".xlsx", ".txt"):
            assert read_document(p).text


def test_sheet_merging_the_whole_grid(tmp_path: Path) -> None:
    """A merged range A1:XFD1048576 made openpyxl build a cell object per merged cell and
    the reader walk 16,384 columns per row (stopped by the memory budget)."""
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>行{i}</t></is></c></row>' for i in range(1, 3000))
    sheet = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<dimension ref="A1:XFD1048576"/><sheetData>{rows}</sheetData>'
             '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>')
    path = rebuild_zip(BASE_XLSX, tmp_path / "merged.xlsx", {"xl/worksheets/sheet1.xml": sheet.encode()})

    def work(p: Path) -> tuple[int, list[str]]:
        doc = read_document(p)
        return len(doc.text), doc.warnings
    n, warnings = run_bounded(work, path, timeout=60)
    assert n > 1000 and any("合并单元格" in w for w in warnings)


def test_lone_surrogates_become_replacement_characters() -> None:
    from reviewer.ingest.limits import check_document
    from reviewer.models import Cell, SourceDocument, Table

    text = "项目\ud800执行\n" + "表\udfff"
    doc = SourceDocument(path="x.html", format="html", text=text, tables=[Table(
        index=0, start=len("项目\ud800执行\n"), end=len(text),
        rows=[[Cell(text="表\udfff", start=len("项目\ud800执行\n"), end=len(text), row=0, col=0)]])])
    out = check_document(doc, InputLimits())
    assert out.text == "项目\ufffd执行\n表\ufffd" and len(out.text) == len(text)
    assert out.tables[0].rows[0][0].text == "表\ufffd" and out.warnings
    out.text.encode("utf-8")
