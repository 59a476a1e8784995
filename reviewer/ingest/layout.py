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
_ITEM_START = re.compile(r"^(?:\d+[.、．)）](?!\d)|[（(]\d+[)）]|[一二三四五六七八九十]+、|[①-⑳])")


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
        elif _CJK.match(out[-1]) or _CJK.match(line[0]) or (out[-1].isdigit() and line[0] in "0123456789.%％"):
            out += line  # Chinese text, or a number cut by the wrap ('104.5' / '0%')
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


def _covering(t: TableBlock, r: int) -> list[PlacedCell]:
    """The cells of ``t`` that start in or span over grid row ``r``, left to right."""
    return sorted((c for c in t.cells if c.row <= r < c.row + c.row_span), key=lambda c: c.col)


def _owner(cells: list[PlacedCell], col: int) -> PlacedCell | None:
    return next((o for o in cells if o.col <= col < o.col + o.col_span), None)


_VALUE = re.compile(r"^[\d.,%％\s≥≤=<>＞＜~～-]+$")
_SENTENCE_END = ("。", "；", ";", "！", "!", "？", "?")


def _is_cut_row(last: list[PlacedCell], first: list[PlacedCell]) -> bool:
    """Whether ``first`` (the filled cells of the row at the top of the new page) is the
    rest of the row ``last`` that the page break cut: every piece sits under a cell of
    ``last``, none is a value of its own or starts a numbered item, none follows a
    finished sentence, and either ``last`` is a header row (全年执行 | 数) or the pieces
    are few (夜间紧急工单承办单位联系不 | 畅，2024年…)."""
    if not first:
        return False
    filled = [c for c in last if c.text.strip()]
    header = any(HEADER_WORDS.search(c.text) or "预算" in c.text for c in last)
    if not (header or 2 * len(first) <= len(filled)):
        return False
    for c in first:
        owner = _owner(last, c.col)
        text = c.text.strip()
        if owner is None or _VALUE.match(text) or _ITEM_START.match(text) or re.match(r"^指标\d", text):
            return False
        if owner.text.strip().endswith(_SENTENCE_END) or (not owner.text.strip() and not header):
            return False
    return True


def _append_continuation(prev: TableBlock, new: TableBlock) -> None:
    """Append the rows of ``new`` (on ``prev``'s column grid) below ``prev``: a row cut
    by the page break is glued back, and an empty cell at the top of the new page under a
    merged cell of ``prev`` (绩效指标, 一级指标 drawn again on each page) extends that
    merged cell instead of ending it."""
    last_r = prev.n_rows - 1
    top = min(c.row for c in new.cells)
    last = _covering(prev, last_r)
    first = [c for c in new.cells if c.row == top and c.text.strip()]
    glue = _is_cut_row(last, first)
    offset = last_r - top if glue else prev.n_rows - top  # new row r lands on prev row r + offset
    for c in sorted(new.cells, key=lambda c: (c.row, c.col)):
        if c.row == top:
            owner = _owner(last, c.col)
            if owner is not None and owner.col == c.col and owner.col_span == c.col_span \
                    and (glue or (not c.text.strip() and (owner.row_span > 1 or c.row_span > 1))):
                if c.text.strip():
                    owner.text = join_wrapped([owner.text, c.text])
                owner.row_span = max(owner.row_span, c.row + offset + c.row_span - owner.row)
                continue
            if glue and c.text.strip():
                owner = _owner(last, c.col)
                if owner is not None:
                    owner.text = join_wrapped([owner.text, c.text])
                continue
            if glue:
                continue
        c.row += offset
        prev.cells.append(c)
    prev.n_rows = max(prev.n_rows, max((c.row + c.row_span for c in prev.cells), default=0))


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
            if new.cells:
                _append_continuation(prev, new)
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


_PARA_START = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十\d]+[章节条部分]|附件|附表)")


def _text_column(pages: list[PageLayout]) -> tuple[float, float] | None:
    """The left and right edges of the body text (all text lines with a box)."""
    boxes = [b.box for p in pages for b in p.blocks if isinstance(b, TextBlock) and b.box]
    if not boxes:
        return None
    right = max(b[2] for b in boxes)
    # the left edge of the lines that reach the right edge: page numbers, signatures and
    # stray marks elsewhere do not move it
    wide = [b for b in boxes if b[2] >= right - 2 * (b[3] - b[1])]
    return min(b[0] for b in wide), right


def reflow(lines: list[TextBlock], column: tuple[float, float] | None) -> list[list[TextBlock]]:
    """Lines grouped into paragraphs: a line that fills the text column (starts at the
    left edge, give or take a two-character indent, and reaches the right edge) runs on
    into the next line unless that one starts a heading or numbered item."""
    paras: list[list[TextBlock]] = []
    for line in lines:
        if paras and column is not None:
            prev = paras[-1][-1]
            if prev.box and line.box and prev.page == line.page:
                h = max(1.0, prev.box[3] - prev.box[1])
                text = line.text.strip()
                # a number or Latin word is not broken: the line before it may end short by its width
                lead = len(re.match(r"[0-9A-Za-z.%％]*", text).group())  # type: ignore[union-attr]
                full = prev.box[0] <= column[0] + 3 * h and prev.box[2] >= column[1] - (2.5 + 0.6 * lead) * h \
                    and column[1] - column[0] > 12 * h
                if full and 0 <= line.box[1] - prev.box[3] < h and not _ITEM_START.match(text) \
                        and not _PARA_START.match(text) and line.box[0] <= column[0] + 1.0 * h:
                    paras[-1].append(line)
                    continue
        paras.append([line])
    return paras


def _union_box(lines: list[TextBlock]) -> Box | None:
    boxes = [b.box for b in lines if b.box]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def render(pages: list[PageLayout], builder: DocumentBuilder, text_kind: Literal["page", "box"]) -> None:
    """Render the blocks in page order.  Text lines are reflowed into paragraphs
    (:func:`reflow`): a run of them between tables is one ``page`` span, or for OCR'd
    text one ``box`` span per paragraph; tables go through :meth:`DocumentBuilder.table`
    with ``table_cell`` locations carrying page and box."""
    n_tables = 0
    column = _text_column(pages)
    for page in pages:
        run: list[TextBlock] = []
        by_box = text_kind == "box" or page.ocr

        def flush() -> None:
            if not run:
                return
            paras = reflow(run, column)
            if by_box:
                for para in paras:
                    builder.paragraph(join_wrapped([b.text for b in para]),
                                      Location(kind="box", page=page.page, box=_union_box(para)))
            else:
                builder.paragraph("\n".join(join_wrapped([b.text for b in para]) for para in paras),
                                  Location(kind="page", page=page.page))
            run.clear()

        for block in page.blocks:
            if isinstance(block, TextBlock):
                run.append(block)
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
