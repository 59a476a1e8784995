"""Spreadsheet readers: .xlsx/.xlsm, .xls/.et and .ods into the same model as the .docx reader.

Every visible sheet becomes one :class:`~reviewer.models.Table` rendered by
:class:`~reviewer.ingest.grid.DocumentBuilder` (single-cell rows in the first column above or
below it — a title, a narrative pasted into column A — are paragraphs); merged ranges become row/column spans and
each cell's span is located as ``Location(kind="sheet_cell", sheet=..., cell="C7")``.  A
workbook with several sheets gets the sheet's name as a paragraph before each table.
Numbers are rendered as displayed (:mod:`reviewer.ingest.numfmt`).

Libraries, and why:

* .xlsx/.xlsm — **openpyxl** (already a dependency), ``data_only=True`` so a formula shows
  its cached value.  The normal mode is needed for merged ranges; a workbook whose sheet
  XML is large is read in ``read_only`` (streaming) mode instead, without merges.
* .xls and WPS .et (both OLE2/BIFF) — **xlrd** 2.x, the maintained BIFF reader;
  ``formatting_info=True`` gives merged ranges and number formats.
* .ods — **lxml** (already installed with python-docx) streaming ``content.xml``.  An ODS
  cell stores the text the application displayed (``<text:p>97.80%</text:p>``) next to its
  value, and spans are plain attributes, so no number-format engine is needed.  odfpy
  (last release 2020) builds a whole DOM in memory, and python-calamine returns stored
  values without their number formats (a rate would read 0.978, not 97.8%).

Bounds (reading must take seconds, not minutes): a zip over the input limits of
:mod:`reviewer.ingest.limits` (zip bomb, any member, checked by :mod:`reviewer.ingest.zipguard`), or a
workbook with more than :data:`MAX_CELLS` filled cells is ``too_large``; a sheet is read to
:data:`MAX_SHEET_ROWS` rows / :data:`MAX_SHEET_CELLS` filled cells at most and the rest is
dropped with a warning (a 自评表 has a few dozen rows).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.ingest.detect import encrypted_office
from reviewer.ingest.errors import empty, read_error, too_large
from reviewer.ingest.grid import DocumentBuilder, GridCell
from reviewer.ingest.limits import InputLimits
from reviewer.ingest.numfmt import format_date, format_number, general
from reviewer.ingest.zipguard import guard_zip
from reviewer.models import Location, ReadError, SourceDocument

MAX_SHEET_ROWS = 2_000  # rows read per sheet; a 自评表 has a few dozen
MAX_SHEET_CELLS = 20_000  # filled cells read per sheet
MAX_CELLS = 100_000  # filled cells per workbook
MAX_SHEET_COLS = 256  # columns read per sheet; a 自评表 has about a dozen
MAX_MERGE_CELLS = 10_000  # cells in one merged range before merges are left out (a title spans a dozen)
STREAMING_SHEET_BYTES = 4 * 1024 * 1024  # worksheet XML above this: openpyxl read_only mode
MAX_XLS_BYTES = 128 * 1024 * 1024

_WORKSHEET_XML = re.compile(r"^xl/worksheets/[^/]+\.xml$")
# A formula cell saved without its result (<v> missing or empty): written by a program, never
# recalculated by Excel/WPS; data_only reading shows it blank.
_UNCACHED_FORMULA = re.compile(rb"(?:</f>|<f\b[^>]*/>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")


@dataclass
class Sheet:
    """One sheet's filled cells as grid cells, and notes about what was left out."""

    name: str
    cells: list[GridCell] = field(default_factory=list)
    truncated_at: int | None = None  # rows read when the sheet was cut short
    merges_skipped: bool = False  # read in streaming mode, merged ranges unknown

    def full(self, row: int) -> bool:
        """True (and ``truncated_at`` set) once row ``row`` is past the sheet's budget."""
        if row >= MAX_SHEET_ROWS or len(self.cells) >= MAX_SHEET_CELLS:
            self.truncated_at = row
            return True
        return False


def column_letter(col: int) -> str:
    """``0 -> A``, ``25 -> Z``, ``26 -> AA``."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) as an A1 reference."""
    return f"{column_letter(col)}{row + 1}"


def _grid_cell(sheet: str, text: str, row: int, col: int, row_span: int = 1, col_span: int = 1) -> GridCell:
    return GridCell(text=text, row=row, col=col, row_span=row_span, col_span=col_span,
                    location=Location(kind="sheet_cell", sheet=sheet, cell=cell_ref(row, col)))


def _corrupt(path: Path, kind_zh: str, kind_en: str, exc: BaseException | str) -> ReadError:
    detail = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    return read_error(
        path, "corrupt_workbook",
        f"{kind_zh}文件已损坏或不完整，无法打开（{detail[:200]}），请在 Excel 或 WPS 中打开后重新保存",
        f"the {kind_en} file is corrupt or incomplete and cannot be opened ({detail[:200]}); "
        "open it in Excel or WPS and save it again",
    )


def encrypted(path: Path) -> ReadError:
    """``encrypted``: a password-protected workbook."""
    return encrypted_office(path)


def _check_zip(path: Path, kind_zh: str, kind_en: str, limits: InputLimits) -> dict[str, int]:
    """Member name -> inflated size; refuses zip bombs (any member) before openpyxl or lxml
    inflates anything (:func:`reviewer.ingest.zipguard.guard_zip`)."""
    return guard_zip(path, limits, lambda p, exc: _corrupt(p, kind_zh, kind_en, exc))


# --------------------------------------------------------------------------- cell text


def _value_text(value: object, number_format: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return format_date(value)
    if isinstance(value, dt.timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        return format_number(value, number_format)
    return str(value)


# --------------------------------------------------------------------------- .xlsx


def _xlsx_sheets(path: Path, limits: InputLimits) -> Iterator[Sheet]:
    import openpyxl

    sizes = _check_zip(path, "Excel 表格（.xlsx）", "Excel workbook (.xlsx)", limits)
    streaming = max((s for n, s in sizes.items() if _WORKSHEET_XML.match(n)), default=0) > STREAMING_SHEET_BYTES \
        or _huge_merge(path, [n for n in sizes if _WORKSHEET_XML.match(n)])
    try:
        with warnings.catch_warnings():  # "Data Validation extension is not supported" and the like
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, data_only=True, read_only=streaming)
    except Exception as exc:  # zipfile, XML parse, KeyError: all mean a damaged package
        raise _corrupt(path, "Excel 表格（.xlsx）", "Excel workbook (.xlsx)", exc) from exc
    try:
        for ws in wb.worksheets:
            if getattr(ws, "sheet_state", "visible") != "visible":
                continue
            sheet = Sheet(ws.title, merges_skipped=streaming)
            spans: dict[tuple[int, int], tuple[int, int]] = {}
            if not streaming:
                for rng in ws.merged_cells.ranges:
                    spans[(rng.min_row - 1, rng.min_col - 1)] = (rng.max_row - rng.min_row + 1,
                                                                 rng.max_col - rng.min_col + 1)
            # no further than the sheet's last row: in normal mode iter_rows creates an empty cell for
            # every slot it passes, so max_row=2001 on a 30-row form built ~18,000 cells (10x the read)
            last_row = min(ws.max_row or 0, MAX_SHEET_ROWS + 1) if not streaming else MAX_SHEET_ROWS + 1
            for row in ws.iter_rows(max_row=last_row, max_col=min(ws.max_column or 1, MAX_SHEET_COLS)):
                for c in row:
                    value = getattr(c, "value", None)
                    if value is None or getattr(c, "row", None) is None:
                        continue
                    r, k = c.row - 1, c.column - 1
                    if sheet.full(r):
                        break
                    text = _value_text(value, getattr(c, "number_format", None))
                    rs, cs = spans.get((r, k), (1, 1))
                    sheet.cells.append(_grid_cell(ws.title, text, r, k, rs, cs))
                if sheet.truncated_at:
                    break
            yield sheet
    except ReadError:
        raise
    except Exception as exc:
        raise _corrupt(path, "Excel 表格（.xlsx）", "Excel workbook (.xlsx)", exc) from exc
    finally:
        if streaming:
            wb.close()


_MERGE_REF = re.compile(rb'<mergeCell\s+ref="([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})"')


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _huge_merge(path: Path, sheets: list[str]) -> bool:
    """Whether a worksheet merges more than :data:`MAX_MERGE_CELLS` cells in one range
    (A1:XFD1048576): openpyxl's normal mode creates an object for every cell of a merged
    range, so such a sheet is read in streaming mode, its merges left out."""
    try:
        with zipfile.ZipFile(path) as zf:
            for name in sheets:
                for m in _MERGE_REF.finditer(zf.read(name)):
                    rows = int(m.group(4)) - int(m.group(2)) + 1
                    cols = _col_number(m.group(3)) - _col_number(m.group(1)) + 1
                    if rows * cols > MAX_MERGE_CELLS:
                        return True
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False  # openpyxl will say what is wrong
    return False


def uncached_formulas(path: Path) -> int:
    """How many formula cells of an .xlsx have no saved result (0 for large workbooks: not scanned)."""
    try:
        with zipfile.ZipFile(path) as zf:
            sheets = [i for i in zf.infolist() if _WORKSHEET_XML.match(i.filename)]
            if sum(i.file_size for i in sheets) > STREAMING_SHEET_BYTES:
                return 0
            return sum(len(_UNCACHED_FORMULA.findall(zf.read(i))) for i in sheets)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return 0


# --------------------------------------------------------------------------- .xls / .et


def _xls_sheets(path: Path, limits: InputLimits) -> Iterator[Sheet]:
    import xlrd
    from xlrd.biffh import XL_CELL_BLANK, XL_CELL_BOOLEAN, XL_CELL_DATE, XL_CELL_EMPTY, XL_CELL_ERROR, XL_CELL_NUMBER, XLRDError

    if path.stat().st_size > MAX_XLS_BYTES:
        raise too_large(path, f"{path.stat().st_size:,} 字节", f"{path.stat().st_size:,} bytes")
    kind = ("WPS 表格（.et）", "WPS spreadsheet (.et)") if path.suffix.lower() in (".et", ".ett") else \
        ("Excel 表格（.xls）", "Excel workbook (.xls)")
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=_NullLog())
    except XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise encrypted(path) from exc
        raise _corrupt(path, *kind, exc) from exc
    except Exception as exc:
        raise _corrupt(path, *kind, exc) from exc
    try:
        for i in range(book.nsheets):
            ws = book.sheet_by_index(i)
            if ws.visibility:
                continue
            sheet = Sheet(ws.name)
            spans = {(rlo, clo): (rhi - rlo, chi - clo) for rlo, rhi, clo, chi in ws.merged_cells}
            for r in range(ws.nrows):
                if sheet.full(r):
                    break
                for k, c in enumerate(ws.row(r)):
                    if c.ctype in (XL_CELL_EMPTY, XL_CELL_BLANK):
                        continue
                    if c.ctype == XL_CELL_DATE:
                        try:
                            text = format_date(xlrd.xldate_as_datetime(c.value, book.datemode))
                        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                            text = general(c.value)
                    elif c.ctype == XL_CELL_NUMBER:
                        text = format_number(c.value, _xls_format(book, c.xf_index))
                    elif c.ctype == XL_CELL_BOOLEAN:
                        text = "TRUE" if c.value else "FALSE"
                    elif c.ctype == XL_CELL_ERROR:
                        text = xlrd.error_text_from_code.get(c.value, "#ERR")
                    else:
                        text = str(c.value)
                    rs, cs = spans.get((r, k), (1, 1))
                    sheet.cells.append(_grid_cell(ws.name, text, r, k, rs, cs))
            book.unload_sheet(i)
            yield sheet
    except ReadError:
        raise
    except Exception as exc:
        raise _corrupt(path, *kind, exc) from exc
    finally:
        book.release_resources()


class _NullLog:
    """xlrd writes warnings to a log file; keep them off stdout."""

    def write(self, _s: str) -> None:
        pass


def _xls_format(book: object, xf_index: int | None) -> str | None:
    try:
        xf = book.xf_list[xf_index]  # type: ignore[attr-defined]
        return book.format_map[xf.format_key].format_str  # type: ignore[attr-defined]
    except (AttributeError, IndexError, KeyError, TypeError):
        return None


# --------------------------------------------------------------------------- .ods

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


def _t(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


_T_TABLE, _T_ROW, _T_CELL, _T_COVERED = (_t(_TABLE, n) for n in ("table", "table-row", "table-cell",
                                                                    "covered-table-cell"))
_T_P, _T_H, _T_S, _T_TAB, _T_BR = (_t(_TEXT, n) for n in ("p", "h", "s", "tab", "line-break"))
_STYLE_EL = _t(_STYLE, "style")
_MAX_REPEAT = 1_000  # a repeated filled cell is expanded at most this many times


def _ods_inline_text(el: object) -> str:
    """The text of a ``text:p`` with ``text:s``/``text:tab``/``text:line-break`` expanded."""
    parts: list[str] = [el.text or ""]  # type: ignore[attr-defined]
    for child in el:  # type: ignore[attr-defined]
        if child.tag == _T_S:
            parts.append(" " * int(child.get(_t(_TEXT, "c"), "1") or 1))
        elif child.tag == _T_TAB:
            parts.append(" ")
        elif child.tag == _T_BR:
            parts.append("\n")
        elif isinstance(child.tag, str) and not child.tag.startswith(f"{{{_OFFICE}}}"):
            parts.append(_ods_inline_text(child))  # text:span, text:a ... (not office:annotation)
        parts.append(child.tail or "")
    return "".join(parts)


def _ods_cell_text(cell: object) -> str:
    paras = [_ods_inline_text(p) for p in cell.iter(_T_P, _T_H)  # type: ignore[attr-defined]
             if not any(a.tag == _t(_OFFICE, "annotation") for a in p.iterancestors())]
    text = "\n".join(paras)
    if text.strip():
        return text
    vtype = cell.get(_t(_OFFICE, "value-type"))  # type: ignore[attr-defined]
    value = cell.get(_t(_OFFICE, "value"))  # type: ignore[attr-defined]
    if vtype in ("float", "currency") and value:
        return general(float(value))
    if vtype == "percentage" and value:
        return format_number(float(value), "0.##%")
    if vtype == "date":
        return (cell.get(_t(_OFFICE, "date-value")) or "")[:10]  # type: ignore[attr-defined]
    return text


def _ods_sheets(path: Path, limits: InputLimits) -> Iterator[Sheet]:
    from lxml import etree

    kind = ("OpenDocument 表格（.ods）", "OpenDocument spreadsheet (.ods)")
    sizes = _check_zip(path, *kind, limits)
    if "content.xml" not in sizes:
        raise _corrupt(path, *kind, "content.xml missing")
    hidden_styles: set[str] = set()
    try:
        with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
            sheet: Sheet | None = None
            hidden = False
            row = 0
            cells_seen = 0
            for event, el in etree.iterparse(fh, events=("start", "end"), huge_tree=False):
                tag = el.tag
                if event == "start":
                    if tag == _T_TABLE:
                        style = el.get(_t(_TABLE, "style-name"))
                        hidden = style in hidden_styles
                        sheet, row = Sheet(el.get(_t(_TABLE, "name")) or "Sheet"), 0
                    continue
                if tag == _STYLE_EL and el.get(_t(_STYLE, "family")) == "table":
                    for props in el:
                        if props.get(_t(_TABLE, "display")) == "false":
                            hidden_styles.add(el.get(_t(_STYLE, "name")) or "")
                elif tag == _T_ROW and sheet is not None:
                    repeat = int(el.get(_t(_TABLE, "number-rows-repeated"), "1") or 1)
                    if sheet.truncated_at is None:
                        if row >= MAX_SHEET_ROWS or len(sheet.cells) >= MAX_SHEET_CELLS:
                            if any(_ods_cell_text(c).strip() for c in el):
                                sheet.full(row)
                        else:
                            filled = _ods_row(sheet, el, row, min(repeat, MAX_SHEET_ROWS - row))
                            cells_seen += filled
                            if cells_seen > MAX_CELLS:
                                raise too_large(path, f"单元格超过 {MAX_CELLS:,} 个",
                                                f"more than {MAX_CELLS:,} filled cells")
                    row += repeat
                    el.clear()
                    parent = el.getparent()
                    while parent is not None and el.getprevious() is not None:
                        del parent[0]
                elif tag == _T_TABLE and sheet is not None:
                    if not hidden:
                        yield sheet
                    sheet = None
                    el.clear()
    except ReadError:
        raise
    except Exception as exc:
        raise _corrupt(path, *kind, exc) from exc


def _ods_row(sheet: Sheet, row_el: object, row: int, repeat_rows: int) -> int:
    """Add the filled cells of one ``table:table-row`` (repeated ``repeat_rows`` times);
    return how many cells were added."""
    col = 0
    added = 0
    for cell in row_el:  # type: ignore[attr-defined]
        if cell.tag not in (_T_CELL, _T_COVERED):
            continue
        repeat = int(cell.get(_t(_TABLE, "number-columns-repeated"), "1") or 1)
        if cell.tag == _T_CELL:
            text = _ods_cell_text(cell)
            if text.strip():
                rs = int(cell.get(_t(_TABLE, "number-rows-spanned"), "1") or 1)
                cs = int(cell.get(_t(_TABLE, "number-columns-spanned"), "1") or 1)
                for r in range(row, row + min(repeat_rows, _MAX_REPEAT)):
                    for extra in range(min(repeat, _MAX_REPEAT)):
                        sheet.cells.append(_grid_cell(sheet.name, text, r, col + extra, rs, cs))
                        added += 1
        col += repeat
    return added


# --------------------------------------------------------------------------- rendering

_READERS = {"xlsx": _xlsx_sheets, "xls": _xls_sheets, "ods": _ods_sheets}


def render_sheet(builder: DocumentBuilder, sheet: Sheet) -> None:
    """A sheet as paragraphs and a table: the rows above and below the table that hold a
    single unmerged cell in the sheet's first column (a title, a report's narrative pasted
    into column A, a signature) are paragraphs, located at their cell; the rest is the table."""
    rows: dict[int, list[GridCell]] = {}
    for c in sheet.cells:
        if c.text.strip():
            rows.setdefault(c.row, []).append(c)
    if not rows:
        return
    first_col = min(c.col for cells in rows.values() for c in cells)

    def single(r: int) -> bool:
        cells = rows[r]
        return len(cells) == 1 and cells[0].col == first_col and cells[0].row_span == 1 and cells[0].col_span == 1

    covered = {r for c in sheet.cells for r in range(c.row + 1, c.row + c.row_span)}
    table_rows = [r for r in sorted(rows) if not single(r) or r in covered]
    lo, hi = (table_rows[0], table_rows[-1]) if table_rows else (max(rows) + 1, max(rows))
    for r in sorted(rows):
        if r < lo:
            builder.paragraph(rows[r][0].text, rows[r][0].location)
    if table_rows:
        builder.table([c for c in sheet.cells if lo <= c.row <= hi])
    for r in sorted(rows):
        if r > hi:
            builder.paragraph(rows[r][0].text, rows[r][0].location)


def read_sheets_document(path: Path, fmt: str, *, limits: InputLimits) -> SourceDocument:
    """Read a workbook (``fmt`` is ``xlsx``, ``xls`` or ``ods``) into a :class:`SourceDocument`."""
    sheets: list[Sheet] = []
    notes: list[str] = []
    cells = 0
    max_chars = limits.max_chars
    for sheet in _READERS[fmt](path, limits):
        if sheet.merges_skipped and not any("合并单元格" in n for n in notes):
            notes.append("表格较大，按流式方式读取，合并单元格未识别 / large workbook read in streaming "
                         "mode: merged cells were not recognised")
        cells += len(sheet.cells)
        if cells > MAX_CELLS:
            raise too_large(path, f"单元格超过 {MAX_CELLS:,} 个", f"more than {MAX_CELLS:,} filled cells")
        if sheet.truncated_at:
            notes.append(f"工作表“{sheet.name}”过大，只读取了前 {sheet.truncated_at:,} 行 / "
                         f"sheet '{sheet.name}' is too large; only its first {sheet.truncated_at:,} rows were read")
        if any(c.text.strip() for c in sheet.cells):
            sheets.append(sheet)
    formulas = uncached_formulas(path) if fmt == "xlsx" else 0
    if formulas:
        notes.append(f"有 {formulas} 个公式单元格没有保存计算结果（文件可能由程序生成、未在 Excel/WPS 中打开保存过），"
                     f"这些单元格按空白读取 / {formulas} formula cell(s) carry no saved result (the file was "
                     "probably generated by a program and never saved by Excel/WPS); they read as blank")
    builder = DocumentBuilder()
    for sheet in sheets:
        if len(sheets) > 1:
            builder.paragraph(sheet.name)
        render_sheet(builder, sheet)
        if builder.size > max_chars:
            raise too_large(path, f"超过 {max_chars:,} 字符的上限", f"more than the limit of {max_chars:,} characters")
    if not builder.text().strip():
        raise empty(path)
    builder.warnings.extend(notes)
    return builder.build(str(path), fmt)
