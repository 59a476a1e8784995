"""Spreadsheet readers on real workbooks written here (openpyxl, xlwt, a hand-made .ods):
one 项目支出绩效自评表 in every format must give the same funds and indicator rows as the
.docx reader would, with sheet-cell evidence locations; bad workbooks give clear errors."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from reviewer.ingest import SUPPORTED_EXTENSIONS, read_document
from reviewer.ingest.numfmt import format_number
from reviewer.models import ReadError, SourceDocument
from reviewer.parse import parse_source

# (cell, value, number format or None).  Numbers as numbers, some as text ("100" in C7 and
# "10" in F17), rates as fractions with a percent format.
CELLS: list[tuple[str, object, str | None]] = [
    ("A1", "项目支出绩效自评表", None),
    ("A2", "（2023年度）", None),
    ("A3", "项目名称", None), ("B3", "农村饮水安全巩固提升工程", None),
    ("A4", "主管部门", None), ("B4", "某县水务局", None), ("E4", "实施单位", None), ("F4", "某县农村供水站", None),
    ("A5", "项目资金（万元）", None),
    ("C5", "年初预算数", None), ("D5", "全年预算数", None), ("E5", "全年执行数", None), ("F5", "分值", None),
    ("G5", "执行率", None), ("H5", "得分", None),
    ("B6", "年度资金总额", None), ("C6", 100, None), ("D6", 120.0, None), ("E6", 115.0, None), ("F6", 10, None),
    ("G6", 0.958333, "0.00%"), ("H6", 9.58, None),
    ("B7", "其中：财政拨款", None), ("C7", "100", None), ("D7", 110, None), ("E7", 106, None),
    ("G7", 0.963636, "0.00%"),
    ("B8", "上年结转", None), ("C8", 0, None), ("D8", 10, None), ("E8", 9, None), ("G8", 0.9, "0%"),
    ("B9", "其他资金", None), ("C9", 0, None), ("D9", 0, None), ("E9", 0, None),
    ("A10", "年度总体目标", None), ("B10", "完成5处供水工程建设，受益人口2万人。", None),
    ("A11", "一级指标", None), ("B11", "二级指标", None), ("C11", "三级指标", None), ("D11", "年度指标值", None),
    ("E11", "实际完成值", None), ("F11", "分值", None), ("G11", "得分", None), ("H11", "偏差原因分析及改进措施", None),
    ("A12", "产出指标", None), ("B12", "数量指标", None), ("C12", "新建供水工程", None), ("D12", "≥5处", None),
    ("E12", "5处", None), ("F12", 15, None), ("G12", 15, None),
    ("C13", "受益人口", None), ("D13", "≥2万人", None), ("E13", "2.1万人", None), ("F13", 15, None), ("G13", 15, None),
    ("B14", "质量指标", None), ("C14", "工程验收合格率", None), ("D14", 1.0, "0%"), ("E14", 1.0, "0%"),
    ("F14", 15, None), ("G14", 15, None),
    ("B15", "时效指标", None), ("C15", "完工及时率", None), ("D15", "100%", None), ("E15", "90%", None),
    ("F15", 15, None), ("G15", 12, None), ("H15", "工期受雨季影响，下一步加强调度。", None),
    ("A16", "效益指标", None), ("B16", "社会效益指标", None), ("C16", "农村自来水普及率提高", None),
    ("D16", "≥1个百分点", None), ("E16", "1.2个百分点", None), ("F16", 20, None), ("G16", 20.0, None),
    ("A17", "满意度指标", None), ("B17", "服务对象满意度指标", None), ("C17", "受益群众满意度", None),
    ("D17", "≥90%", None), ("E17", "95%", None), ("F17", "10", None), ("G17", 10, None),
    ("A18", "总分", None), ("F18", 100, None), ("G18", 96.58, None),
    ("A20", "填报日期", None), ("B20", dt.datetime(2024, 3, 15), "yyyy-mm-dd"),
]
MERGES = ["A1:H1", "A2:H2", "B3:H3", "B4:D4", "F4:H4", "A5:A9", "B10:H10", "A12:A15", "B12:B13", "A18:E18"]
FORMULAS = {"E6": "=SUM(E7:E9)", "G18": "=H6+SUM(G12:G17)"}

EXPECTED_FUNDS = [
    ("年度资金总额", "100", "120", "115", "10", "95.83%", "9.58"),
    ("其中：财政拨款", "100", "110", "106", None, "96.36%", None),
    ("上年结转", "0", "10", "9", None, "90%", None),
    ("其他资金", "0", "0", "0", None, None, None),
]
EXPECTED_INDICATORS = [
    ("产出指标", "数量指标", "新建供水工程", 15, 15),
    ("产出指标", "数量指标", "受益人口", 15, 15),
    ("产出指标", "质量指标", "工程验收合格率", 15, 15),
    ("产出指标", "时效指标", "完工及时率", 15, 12),
    ("效益指标", "社会效益指标", "农村自来水普及率提高", 20, 20),
    ("满意度指标", "服务对象满意度指标", "受益群众满意度", 10, 10),
]


def _ref(ref: str) -> tuple[int, int]:
    """``C7`` -> (row 6, col 2), 0-based."""
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert m
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def build_xlsx(path: Path, *, formulas: bool = False, extra_sheets: bool = False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for ref, value, fmt in CELLS:
        ws[ref] = FORMULAS.get(ref, value) if formulas else value
        if fmt:
            ws[ref].number_format = fmt
    for rng in MERGES:
        ws.merge_cells(rng)
    if extra_sheets:
        notes = wb.create_sheet("附表")
        notes["A1"] = "资金明细"
        notes["A2"], notes["B2"] = "材料费", 12.5
        hidden = wb.create_sheet("隐藏")
        hidden["A1"] = "不应出现的隐藏内容"
        hidden.sheet_state = "hidden"
    wb.save(path)
    return path


def build_xls(path: Path) -> Path:
    """The same workbook as BIFF8 (.xls) written by xlwt, merged ranges included."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("Sheet1")
    merged = {}
    for rng in MERGES:
        a, b = rng.split(":")
        (r0, c0), (r1, c1) = _ref(a), _ref(b)
        merged[(r0, c0)] = (r1, c1)
    styles: dict[str | None, object] = {}
    for ref, value, fmt in CELLS:
        r, c = _ref(ref)
        style = styles.setdefault(fmt, xlwt.easyxf(num_format_str=fmt or "General"))
        if (r, c) in merged:
            r1, c1 = merged[(r, c)]
            ws.write_merge(r, r1, c, c1, value, style)
        else:
            ws.write(r, c, value, style)
    book.save(str(path))
    return path


def build_ods(path: Path) -> Path:
    """The same workbook as an OpenDocument spreadsheet, content.xml written by hand the
    way LibreOffice writes it (displayed text in ``text:p``, spans as attributes)."""
    values = {_ref(ref): (value, fmt) for ref, value, fmt in CELLS}
    tops, covered = {}, set()
    for rng in MERGES:
        a, b = rng.split(":")
        (r0, c0), (r1, c1) = _ref(a), _ref(b)
        tops[(r0, c0)] = (r1 - r0 + 1, c1 - c0 + 1)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    rows = []
    n_rows = max(r for r, _ in values) + 1
    for r in range(n_rows):
        cells = []
        for c in range(8):
            if (r, c) in covered:
                cells.append("<table:covered-table-cell/>")
                continue
            attrs = ""
            if (r, c) in tops:
                rs, cs = tops[(r, c)]
                attrs += f' table:number-rows-spanned="{rs}" table:number-columns-spanned="{cs}"'
            if (r, c) not in values:
                cells.append(f"<table:table-cell{attrs}/>")
                continue
            value, fmt = values[(r, c)]
            if isinstance(value, dt.datetime):
                attrs += f' office:value-type="date" office:date-value="{value:%Y-%m-%dT%H:%M:%S}"'
                shown = f"{value:%Y-%m-%d}"
            elif isinstance(value, (int, float)):
                kind = "percentage" if fmt and "%" in fmt else "float"
                attrs += f' office:value-type="{kind}" office:value="{value}"'
                shown = format_number(value, fmt)
            else:
                attrs += ' office:value-type="string"'
                shown = str(value)
            cells.append(f"<table:table-cell{attrs}><text:p>{escape(shown)}</text:p></table:table-cell>")
        cells.append('<table:table-cell table:number-columns-repeated="1016"/>')
        rows.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
    rows.append('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                'table:number-columns-repeated="1024"/></table:table-row>')
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">'
        '<office:automatic-styles><style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
        '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/>'
        '</style:style></office:automatic-styles>'
        '<office:body><office:spreadsheet>'
        '<table:table table:name="Sheet1" table:style-name="ta1"><table:table-column '
        'table:number-columns-repeated="1024"/>' + "".join(rows) + "</table:table>"
        '<table:table table:name="隐藏" table:style-name="ta2"><table:table-row><table:table-cell '
        'office:value-type="string"><text:p>不应出现的隐藏内容</text:p></table:table-cell></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        zf.writestr("META-INF/manifest.xml",
                    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                    '<manifest:file-entry manifest:full-path="/" '
                    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                    "</manifest:manifest>")
    return path


def _assert_error(path: Path, code: str) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_document(path)
    err = info.value
    assert err.code == code, str(err)
    assert path.name in str(err) and err.zh.strip() and err.en.strip()
    return err


def _label(doc: SourceDocument, start: int) -> str:
    loc = doc.locate(start)
    assert loc is not None, start
    return loc.label()


def assert_same_report(doc: SourceDocument, fmt: str) -> None:
    """The 自评表 read from any carrier: funds rows, indicator rows, total, evidence cells."""
    assert doc.format == fmt
    assert len(doc.tables) == 1
    assert "（2023年度）" in doc.text and "2024-03-15" in doc.text
    parsed = parse_source(doc)
    assert len(parsed.reports) == 1
    report = parsed.reports[0]
    assert report.project == "农村饮水安全巩固提升工程" and report.year == 2023
    assert report.funds is not None
    got = [(r.name.text, *(x.text if x else None for x in (r.budget_initial, r.budget_full, r.executed, r.weight,
                                                          r.rate, r.score)))
           for r in report.funds.rows]
    assert got == EXPECTED_FUNDS
    rows = [(i.level1, i.level2, i.level3.text, i.weight.value if i.weight else None,
             i.score.value if i.score else None) for i in report.indicators]
    assert rows == EXPECTED_INDICATORS
    late = report.indicators[3]
    assert late.reason is not None and late.reason.text == "工期受雨季影响，下一步加强调度。"
    assert late.target is not None and late.target.text == "100%"
    assert report.indicators[2].actual is not None and report.indicators[2].actual.text == "100%"
    assert report.stated_total is not None and report.stated_total.value == pytest.approx(96.58)
    # Evidence offsets point back at the cells they came from.
    total_row = report.funds.rows[0]
    assert doc.text[total_row.executed.start:total_row.executed.end] == "115"
    if fmt == "html":
        return
    assert _label(doc, total_row.executed.start) == "Sheet1!E6"
    assert _label(doc, total_row.rate.start) == "Sheet1!G6"
    assert _label(doc, late.score.start) == "Sheet1!G15"
    assert _label(doc, report.indicators[1].level3.start) == "Sheet1!C13"
    assert _label(doc, report.stated_total.start) == "Sheet1!G18"
    title = doc.text.index("项目支出绩效自评表")
    assert _label(doc, title) == "Sheet1!A1"


def test_xlsx_report(tmp_path: Path) -> None:
    doc = read_document(build_xlsx(tmp_path / "自评表.xlsx"))
    assert_same_report(doc, "xlsx")
    assert doc.warnings == []
    table = doc.tables[0]
    first = table.rows[0][0]
    assert first.text == "项目支出绩效自评表" and first.col_span == 8
    # 一级指标 merged over four rows: continuation cells are merged_up, as in .docx.
    level1 = [row[0] for row in table.rows[11:15]]
    assert level1[0].text == "产出指标" and all(c.merged_up and not c.text for c in level1[1:])


def test_xls_and_et_report(tmp_path: Path) -> None:
    path = build_xls(tmp_path / "自评表.xls")
    assert_same_report(read_document(path), "xls")
    et = tmp_path / "自评表.et"  # WPS 表格 saves BIFF8 in an OLE2 file, like .xls
    shutil.copy(path, et)
    assert_same_report(read_document(et), "xls")
    renamed = tmp_path / "自评表.dat"  # content wins: the OLE2 Workbook stream says .xls
    shutil.copy(path, renamed)
    assert read_document(renamed).format == "xls"


def test_ods_report(tmp_path: Path) -> None:
    doc = read_document(build_ods(tmp_path / "自评表.ods"))
    assert_same_report(doc, "ods")
    assert "不应出现的隐藏内容" not in doc.text  # hidden sheet skipped


def test_xlsm_extension_and_multiple_sheets(tmp_path: Path) -> None:
    path = build_xlsx(tmp_path / "book.xlsx", extra_sheets=True)
    xlsm = tmp_path / "book.xlsm"
    shutil.copy(path, xlsm)
    doc = read_document(xlsm)
    assert doc.format == "xlsx"
    assert len(doc.tables) == 2
    assert doc.text.startswith("Sheet1\n项目支出绩效自评表")
    assert "\n附表\n资金明细\n材料费\t12.5" in doc.text
    assert "隐藏内容" not in doc.text
    assert _label(doc, doc.text.index("12.5")) == "附表!B2"
    assert {".xlsx", ".xlsm", ".xls", ".et", ".ods"} <= set(SUPPORTED_EXTENSIONS)


def test_formula_cached_value(tmp_path: Path) -> None:
    """data_only: a formula cell shows the value the spreadsheet application saved."""
    path = build_xlsx(tmp_path / "formula.xlsx", formulas=True)
    # openpyxl writes formulas without results; store the results as Excel would.
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for ref, value in (("E6", "115"), ("G18", "96.58")):
        sheet, n = re.subn(rf'(<c r="{ref}"[^>]*>)<f>([^<]*)</f><v\s*/?>(?:</v>)?', rf"\1<f>\2</f><v>{value}</v>", sheet)
        assert n == 1, sheet[:500]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    doc = read_document(path)
    assert_same_report(doc, "xlsx")
    assert not any("公式" in w for w in doc.warnings)


def test_formula_without_saved_result_warns(tmp_path: Path) -> None:
    doc = read_document(build_xlsx(tmp_path / "generated.xlsx", formulas=True))
    assert any("2 个公式单元格没有保存计算结果" in w for w in doc.warnings), doc.warnings
    assert "\t115\t" not in doc.text  # blank, as data_only reading gives it


def _soffice_convert(src: Path, fmt: str, out: Path) -> Path | None:
    """``src`` converted by LibreOffice to ``fmt`` (recalculated, values cached), or None when
    soffice or its spreadsheet module (Calc) is not installed."""
    if shutil.which("soffice") is None:
        return None
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile", "--convert-to", fmt,
                    "--outdir", str(out), str(src)], check=False, timeout=180, capture_output=True)
    result = out / f"{src.stem}.{fmt.split(':')[0]}"
    return result if result.exists() else None


def test_formula_recalculated_by_libreoffice(tmp_path: Path) -> None:
    src = build_xlsx(tmp_path / "formula.xlsx", formulas=True)
    converted = _soffice_convert(src, "xlsx", tmp_path / "out")
    if converted is None:
        pytest.skip("LibreOffice Calc (soffice) not installed")
    doc = read_document(converted)
    assert_same_report(doc, "xlsx")
    assert not any("公式" in w for w in doc.warnings), doc.warnings


def test_workbooks_saved_by_libreoffice(tmp_path: Path) -> None:
    """.xls and .ods written by a real spreadsheet application read like the original."""
    src = build_xlsx(tmp_path / "book.xlsx", formulas=True)
    for fmt, target in (("xls", "xls"), ("ods", "ods")):
        converted = _soffice_convert(src, fmt, tmp_path / f"out_{fmt}")
        if converted is None:
            pytest.skip("LibreOffice Calc (soffice) not installed")
        assert_same_report(read_document(converted), target)


def test_number_formats() -> None:
    assert format_number(10.0, None) == "10"
    assert format_number(0.958, "General") == "0.958"
    assert format_number(0.978, "0.0%") == "97.8%"
    assert format_number(0.978, "0.00%") == "97.80%"
    assert format_number(0.978, "0%") == "98%"
    assert format_number(1164621.13, "#,##0.00") == "1,164,621.13"
    assert format_number(12.5, "0.00") == "12.50"
    assert format_number(-5.5, "0.00;[Red]-0.00") == "-5.50"
    assert format_number(0.1 + 0.2, "General") == "0.3"


def test_corrupt_workbooks(tmp_path: Path) -> None:
    data = build_xlsx(tmp_path / "good.xlsx").read_bytes()
    cut = tmp_path / "截断.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    _assert_error(cut, "corrupt_workbook")
    hollow = tmp_path / "空壳.xlsx"
    with zipfile.ZipFile(hollow, "w") as zf:
        zf.writestr("xl/workbook.xml", "<x/>")
    _assert_error(hollow, "corrupt_workbook")
    not_zip = tmp_path / "假的.xlsx"
    not_zip.write_bytes(b"this is not a workbook at all\n" * 10)
    _assert_error(not_zip, "corrupt_workbook")
    bad_xls = tmp_path / "坏.xls"
    bad_xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    _assert_error(bad_xls, "corrupt_workbook")
    bad_ods = tmp_path / "坏.ods"
    with zipfile.ZipFile(bad_ods, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content")
    _assert_error(bad_ods, "corrupt_workbook")


def test_encrypted_xlsx(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = build_xlsx(tmp_path / "plain.xlsx")
    locked = tmp_path / "加密.xlsx"
    with plain.open("rb") as fh, locked.open("wb") as out:
        OOXMLFile(fh).encrypt("secret", out)
    assert locked.read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    err = _assert_error(locked, "encrypted")
    assert "加密" in err.zh and "password" in err.en


def test_encrypted_xls(tmp_path: Path) -> None:
    """A BIFF8 workbook with a FILEPASS record (what Excel writes for an open password)."""
    data = build_xls(tmp_path / "plain.xls").read_bytes()
    write_access = b"\x5c\x00\x70\x00"  # WRITEACCESS record header, 112 bytes of data
    assert data.count(write_access) == 1
    i = data.index(write_access)
    locked = tmp_path / "加密.xls"
    locked.write_bytes(data[:i] + b"\x2f\x00" + data[i + 2:])  # same length, now FILEPASS
    _assert_error(locked, "encrypted")


def test_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    openpyxl.Workbook().save(path)
    _assert_error(path, "empty")


def test_huge_sheet_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "十万行.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("明细")
    ws.append(["序号", "名称", "金额"])
    for i in range(100_000):
        ws.append([i, f"项目{i}", i * 1.5])
    wb.save(path)
    t0 = time.perf_counter()
    try:
        doc = read_document(path)
    except ReadError as err:
        assert err.code == "too_large", str(err)
    else:
        assert any("只读取了前" in w for w in doc.warnings), doc.warnings
        assert len(doc.text) < 200_000
    assert time.perf_counter() - t0 < 30


def test_zip_bomb_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "炸弹.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * (60 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    t0 = time.perf_counter()
    _assert_error(path, "too_large")
    assert time.perf_counter() - t0 < 5


def test_unsupported_message_lists_spreadsheets(tmp_path: Path) -> None:
    path = tmp_path / "演示.pptx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("ppt/presentation.xml", "<x/>")
    err = _assert_error(path, "unsupported_format")
    for ext in (".xlsx", ".xls", ".et", ".ods", ".html", ".mht"):
        assert ext in err.zh and ext in err.en
    xlsb = tmp_path / "二进制.xlsb"
    with zipfile.ZipFile(xlsb, "w") as zf:
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    err = _assert_error(xlsb, "unsupported_format")
    assert ".xlsb" in err.zh and "另存为 .xlsx" in err.zh


def test_tab_separated_text_named_xls(tmp_path: Path) -> None:
    """A text export that only carries the .xls name is read as text, not refused."""
    path = tmp_path / "导出.xls"
    path.write_text("项目名称\t农村饮水安全巩固提升工程\n年度资金总额\t100\t120\t115\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.format == "txt" and "年度资金总额\t100" in doc.text
