"""summary.xlsx: 问题清单 (one row per flag), 报告汇总 (one row per report), 读取错误."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

from reviewer.outputs.atomic import atomic_writer
from reviewer.outputs.labels import KIND_ZH, SEVERITIES, SEVERITY_ZH, kind_zh, section_zh, severity_zh, source_zh
from reviewer.outputs.records import FileOutcome

MAX_CELL = 32000  # Excel's limit is 32767 characters per cell
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
HEADER_FONT = Font(bold=True)
HEADER_ALIGN = Alignment(vertical="center", wrap_text=True)
TOP = Alignment(vertical="top")
WRAPPED = Alignment(vertical="top", wrap_text=True)
SEVERITY_FILL = {"error": "F8D7DA", "warning": "FFF3CD", "info": "E2E3E5"}

FLAG_COLUMNS: list[tuple[str, int]] = [
    ("文件", 28), ("报告序号", 8), ("报告标题", 30), ("规则", 8), ("类别", 10), ("严重程度", 9),
    ("说明", 48), ("证据原文", 60), ("位置", 14), ("期望值", 14), ("陈述值", 14), ("来源", 8),
]
REPORT_COLUMNS: list[tuple[str, int]] = [
    ("文件", 28), ("报告序号", 8), ("报告标题", 34), ("项目", 30), ("单位", 24), ("年度", 7),
    ("陈述得分", 9), ("复算得分", 9), ("陈述等级", 9), ("问题数", 8),
    *[(SEVERITY_ZH[s], 7) for s in SEVERITIES],
    *[(name, 9) for name in KIND_ZH.values()],
    ("已识别章节", 40),
]
ERROR_COLUMNS: list[tuple[str, int]] = [("文件", 40), ("错误代码", 16), ("说明", 60), ("英文说明（供技术人员）", 60)]


def _clean(value: Any) -> Any:
    """A cell value Excel accepts: no control characters, within the length limit."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > MAX_CELL:
            value = value[: MAX_CELL - 1] + "…"
    return value


def _sheet(ws: Worksheet, columns: list[tuple[str, int]], rows: list[list[Any]], wrap: set[int]) -> None:
    """A sheet of a normal (in-memory) workbook laid out like the summary's (compare.xlsx uses it)."""
    ws.append([name for name, _ in columns])
    for i, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
        c = ws.cell(row=1, column=i)
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(vertical="center", wrap_text=True)
    top = Alignment(vertical="top")
    wrapped = Alignment(vertical="top", wrap_text=True)
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            c = ws.cell(row=r, column=col, value=_clean(value))
            if isinstance(value, str):
                c.data_type = "s"  # never a formula, even if the text starts with "="
            c.alignment = wrapped if col in wrap else top
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"


def _stream_sheet(wb: Workbook, title: str, columns: list[tuple[str, int]], rows: Iterable[tuple[list[Any], str | None]],
           wrap: set[int], fill_col: int = 0) -> None:
    """One sheet written in a single streaming pass: header (bold, filled, wrapped), column
    widths, frozen header row, auto-filter over every row.  Each row comes with a colour (or
    None) for its column ``fill_col``."""
    ws = wb.create_sheet(title)
    for i, (_, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    head = []
    for name, _ in columns:
        c = WriteOnlyCell(ws, value=name)
        c.font = HEADER_FONT
        c.fill = HEADER_FILL
        c.alignment = HEADER_ALIGN
        head.append(c)
    ws.append(head)
    n = 0
    for row, fill in rows:
        cells = []
        for col, value in enumerate(row, start=1):
            c = WriteOnlyCell(ws, value=_clean(value))
            if isinstance(value, str):
                c.data_type = "s"  # never a formula, even if the text starts with "="
            c.alignment = WRAPPED if col in wrap else TOP
            if col == fill_col and fill is not None:
                c.fill = PatternFill("solid", fgColor=fill)
            cells.append(c)
        ws.append(cells)
        n += 1
    # the auto-filter is written after the rows, so the count is known by then
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(n + 1, 1)}"


def _flag_rows(outcomes: Iterable[FileOutcome]) -> Iterator[tuple[list[Any], str | None]]:
    for o in outcomes:
        for fr in o.flags:
            f = fr.flag
            yield [
                f.file, f.report + 1, f.title, f.rule, kind_zh(f.kind), severity_zh(f.severity), f.message,
                "\n".join(ev.quote for ev in f.evidence), "\n".join(fr.positions),
                f.expected or "", f.stated or "", source_zh(f.source),
            ], SEVERITY_FILL.get(f.severity, "FFFFFF")


def _report_rows(outcomes: Iterable[FileOutcome]) -> Iterator[tuple[list[Any], str | None]]:
    for o in outcomes:
        for r in o.reports:
            yield [
                r.file, r.index + 1, r.title, r.project or "", r.organisation or "", r.year or "",
                r.stated_score if r.stated_score is not None else "",
                r.recomputed_score if r.recomputed_score is not None else "",
                r.stated_grade or "", r.flags,
                *[r.flags_by_severity.get(s, 0) for s in SEVERITIES],
                *[r.flags_by_kind.get(k, 0) for k in KIND_ZH],
                "、".join(section_zh(k) for k in r.sections),
            ], None


def _error_rows(outcomes: Iterable[FileOutcome]) -> Iterator[tuple[list[Any], str | None]]:
    for o in outcomes:
        if o.error:
            yield [o.error.file, o.error.code, o.error.message_zh, o.error.message_en], None


def build_workbook(outcomes: Iterable[FileOutcome]) -> Workbook:
    """A write-only workbook: each sheet is one pass over ``outcomes`` (re-iterable: a list,
    or the batch's outcomes read back from disk); rows go to openpyxl's temporary files as
    they are made, not into a cell grid in memory."""
    wb = Workbook(write_only=True)
    _stream_sheet(wb, "问题清单", FLAG_COLUMNS, _flag_rows(outcomes), wrap={3, 7, 8, 9, 10, 11}, fill_col=6)
    _stream_sheet(wb, "报告汇总", REPORT_COLUMNS, _report_rows(outcomes), wrap={3, 4, 5, len(REPORT_COLUMNS)})
    _stream_sheet(wb, "读取错误", ERROR_COLUMNS, _error_rows(outcomes), wrap={1, 3, 4})
    return wb


def write_xlsx(path: Path, outcomes: Iterable[FileOutcome]) -> None:
    """summary.xlsx saved straight into a temporary file next to ``path`` (atomically)."""
    with atomic_writer(path) as fh:
        build_workbook(outcomes).save(fh)
