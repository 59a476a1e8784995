"""Page layout shared by the PDF-table reader (pdfplumber) and the OCR reader.

Both readers turn a page into *blocks* placed by their vertical position: lines of text
and ruled tables whose cells carry a box.  This module turns cell boxes into grid
positions (row/column spans from the boxes' edges), joins a table that runs over a page
break, renders everything through :class:`reviewer.ingest.grid.DocumentBuilder` (so the
linear text is the one the .docx reader would give) and warns when a 自评表 header is in
the text but none of its rows could be read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from reviewer.ingest.grid import DocumentBuilder, GridCell, clean_cell_text
from reviewer.models import Location, SourceDocument

Box = tuple[float, float, float, float]


@dataclass
class PlacedCell:
    """A table cell with its grid position and its box on its page."""

    text: str
    row: int
    col: int
    row_span: int
    col_span: int
    box: Box
    page: int


@dataclass
class TableBlock:
    page: int
    top: float
    bottom: float
    xs: list[float]  # column boundaries (left to right)
    cells: list[PlacedCell]
    n_rows: int


@dataclass
class TextBlock:
    page: int
    top: float
    bottom: float
    text: str
    box: Box | None = None


@dataclass
class PageLayout:
    page: int
    blocks: list[TableBlock | TextBlock] = field(default_factory=list)
    ocr: bool = False  # read by OCR: its text lines are located by box


# --------------------------------------------------------------------------- grids


def cluster(values: list[float], tol: float) -> list[float]:
    """Sorted representative values: values closer than ``tol`` are one boundary."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def nearest(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def drop_overlapping(cells: list[Box], eps: float = 1.0) -> list[Box]:
    """Cells less those overlapping an earlier one (row-major).  pdfplumber joins collinear
    border segments, so a line that stops at a merged cell and resumes below it yields a
    second, spurious cell inside the merged one."""
    kept: list[Box] = []
    for c in sorted(cells, key=lambda b: (round(b[1], 1), b[0])):
        if all(min(c[2], k[2]) - max(c[0], k[0]) <= eps or min(c[3], k[3]) - max(c[1], k[1]) <= eps for k in kept):
            kept.append(c)
    return kept


def grid_cells(boxes: list[tuple[Box, str]], page: int, tol: float) -> tuple[list[PlacedCell], list[float], int]:
    """Cells at grid positions from their boxes: the distinct left/right edges are the
    column boundaries and the distinct top/bottom edges the row boundaries, so a merged
    cell spans every boundary its box crosses.  Returns (cells, column bounds, rows)."""
    xs = cluster([b[0] for b, _ in boxes] + [b[2] for b, _ in boxes], tol)
    ys = cluster([b[1] for b, _ in boxes] + [b[3] for b, _ in boxes], tol)
    cells = []
    for box, text in boxes:
        c0, c1 = nearest(xs, box[0]), nearest(xs, box[2])
        r0, r1 = nearest(ys, box[1]), nearest(ys, box[3])
        if c1 <= c0 or r1 <= r0:
            continue
        cells.append(PlacedCell(text=text, row=r0, col=c0, row_span=r1 - r0, col_span=c1 - c0,
                                box=tuple(round(v, 2) for v in box), page=page))  # type: ignore[arg-type]
    return cells, xs, len(ys) - 1


_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_ITEM_START = re.compile(r"^(?:\d+[.、．)）]|[（(]\d+[)）]|[一二三四五六七八九十]+、|[①-⑳])")


def join_wrapped(lines: list[str]) -> str:
    """The lines of a cell joined as one text: a soft wrap between Chinese characters
    disappears, one between Latin words becomes a space; a line that starts a numbered
    item keeps its line break."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if not out:
            out = line
        elif _ITEM_START.match(line):
            out += "\n" + line
        elif _CJK.match(out[-1]) or _CJK.match(line[0]):
            out += line
        else:
            out += " " + line
    return out


# --------------------------------------------------------------------------- continuation

HEADER_WORDS = re.compile(r"项目名称|一级指标|二级指标|三级指标|年初预算|全年执行|年度指标值|绩效指标")
_IGNORABLE_LINE = 20  # a line this short at a page edge is a running header, page number or 续表


def _first_row(t: TableBlock) -> list[str]:
    first = min(c.row for c in t.cells)
    return [re.sub(r"\s+", "", c.text) for c in sorted(t.cells, key=lambda c: c.col) if c.row == first]


def _regrid(t: TableBlock, xs: list[float]) -> None:
    """Move the table's cells onto the finer column boundaries ``xs`` (in place)."""
    for c in t.cells:
        left, right = nearest(xs, t.xs[c.col]), nearest(xs, t.xs[c.col + c.col_span])
        c.col, c.col_span = left, max(1, right - left)
    t.xs = xs


def _significant(block: TableBlock | TextBlock) -> bool:
    return isinstance(block, TableBlock) or len(block.text.strip()) > _IGNORABLE_LINE


def _row(t: TableBlock, r: int) -> list[PlacedCell]:
    return sorted((c for c in t.cells if c.row == r), key=lambda c: c.col)


def _merge_split_row(prev: TableBlock, new: TableBlock) -> bool:
    """Glue the first row of ``new`` to the last row of ``prev`` when the page break cut a
    row in two: the next row holds only word pieces without digits, under filled cells,
    and either the last row is a header (全年执行 | 数) or the pieces are few (满意度指 | 标).
    Returns whether it did."""
    last_r = max(c.row for c in prev.cells)
    first_r = min(c.row for c in new.cells)
    last, first = _row(prev, last_r), [c for c in _row(new, first_r) if c.text.strip()]
    filled = [c for c in last if c.text.strip()]
    header = any(HEADER_WORDS.search(c.text) or "预算" in c.text for c in last)
    if not first or not (header or 2 * len(first) <= len(filled)) or any(ch.isdigit() for c in first for ch in c.text):
        return False
    for c in first:
        owner = next((o for o in last if o.col <= c.col < o.col + o.col_span), None)
        if owner is None:
            return False
    for c in _row(new, first_r):
        owner = next((o for o in last if o.col <= c.col < o.col + o.col_span), None)
        if owner is None:
            continue
        if c.text.strip():
            owner.text = join_wrapped([owner.text, c.text])
        if c.col == owner.col:  # a merged cell that goes on below the cut keeps covering those rows
            owner.row_span = max(owner.row_span, c.row_span)
    new.cells = [c for c in new.cells if c.row != first_r]
    return True


def join_continued_tables(pages: list[PageLayout], tol: float) -> None:
    """A table at the top of a page that spans the width of the table ending the previous
    page, and whose first row is not a header, continues that table: its rows are
    appended to it (in place), both moved onto the union of their column boundaries.  A
    header row cut by the page break is glued back together."""
    open_table: TableBlock | None = None  # the table that ends the pages read so far
    for page in pages:
        head = [b for b in page.blocks if _significant(b)]
        new = head[0] if head and isinstance(head[0], TableBlock) else None
        if open_table is not None and new is not None and _continues(open_table, new, tol):
            prev = open_table
            xs = cluster(prev.xs + new.xs, tol)
            _regrid(prev, xs)
            _regrid(new, xs)
            _merge_split_row(prev, new)
            if new.cells:
                top = min(c.row for c in new.cells)
                for c in new.cells:
                    c.row = prev.n_rows + c.row - top
                prev.cells.extend(new.cells)
                prev.n_rows += new.n_rows - top
            page.blocks.remove(new)
            head = head[1:]
            if not head:
                continue  # the whole page continued the table: it stays open
        open_table = head[-1] if head and isinstance(head[-1], TableBlock) else None


def _continues(prev: TableBlock, new: TableBlock, tol: float) -> bool:
    if abs(prev.xs[0] - new.xs[0]) > tol or abs(prev.xs[-1] - new.xs[-1]) > tol:
        return False
    first = _first_row(new)
    return not any(HEADER_WORDS.search(t) for t in first) and first != _first_row(prev)


# --------------------------------------------------------------------------- rendering


def _without_trailing_blanks(cells: list[PlacedCell]) -> list[PlacedCell]:
    """The cells less the empty ones that end a row (right of every filled or covered
    grid slot of that row): DocumentBuilder drops such a cell but keeps its tab."""
    last: dict[int, int] = {}
    for c in cells:
        if clean_cell_text(c.text):
            last[c.row] = max(last.get(c.row, -1), c.col)
        for r in range(c.row + 1, c.row + c.row_span):  # covered slots render as merged_up cells
            last[r] = max(last.get(r, -1), c.col)
    return [c for c in cells if clean_cell_text(c.text) or c.col <= last.get(c.row, -1)]


def render(pages: list[PageLayout], builder: DocumentBuilder, text_kind: Literal["page", "box"]) -> None:
    """Render the blocks in page order.  Text lines become paragraphs (one per run of
    lines for ``page`` locations, one per line for ``box`` locations); tables go through
    :meth:`DocumentBuilder.table` with ``table_cell`` locations carrying page and box."""
    n_tables = 0
    for page in pages:
        run: list[TextBlock] = []

        def flush() -> None:
            if run:
                builder.paragraph("\n".join(b.text for b in run), Location(kind="page", page=page.page))
                run.clear()

        for block in page.blocks:
            if isinstance(block, TextBlock):
                if text_kind == "page" and not page.ocr:
                    run.append(block)
                else:
                    builder.paragraph(block.text, Location(kind="box", page=block.page, box=block.box))
                continue
            flush()
            filled = [c.row for c in block.cells if clean_cell_text(c.text)]
            if not filled:
                continue
            first = min(filled)
            grid = [GridCell(text=c.text, row=c.row, col=c.col, row_span=c.row_span, col_span=c.col_span,
                             location=Location(kind="table_cell", page=c.page, table=n_tables, row=c.row - first,
                                               col=c.col, box=c.box))
                    for c in _without_trailing_blanks(block.cells)]
            index = builder.table(grid)
            if index is not None:
                assert index == n_tables, (index, n_tables)
                n_tables += 1
        flush()


# --------------------------------------------------------------------------- warnings

_FORM_HINTS = (("年初预算", "全年执行"), ("一级指标", "分值"), ("三级指标", "得分"), ("一级指标", "得分"))


def form_rows_warning(doc: SourceDocument) -> str | None:
    """A warning when the text shows a 自评表 header but no funds or indicator row could
    be read from the document's tables (or, without tables, from its text)."""
    text = doc.text
    if not any(a in text and b in text for a, b in _FORM_HINTS):
        return None
    from reviewer.structure.funds import parse_funds_table
    from reviewer.structure.indicators import parse_indicator_table
    from reviewer.structure.text_tables import find_text_tables

    for table in doc.tables or find_text_tables(text):
        funds = parse_funds_table(table)
        if funds is not None and funds.rows:
            return None
        if parse_indicator_table(table, text)[0]:
            return None
    return ("看到了绩效自评表的表头（如年初预算数、一级指标、分值等），但未能读出表格中的行，"
            "请核对原件或提供 Word 版本 / the text shows a 自评表 (self-evaluation form) header, "
            "but its table rows could not be read; check the original or supply the Word file")
