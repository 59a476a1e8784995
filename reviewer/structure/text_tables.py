"""Rebuilding tables from text that was converted from Word.

Two layouts are seen in real converted reports:

* **row per line** — each row is one line, cells separated by tabs
  (``项目名称\\t\\t全县…\\t\\t``);
* **cell per line** — each cell starts a line with a tab, rows are separated by exactly
  one blank line, and a cell's own text may run over several lines (even across blank
  lines when the Word cell was padded with empty paragraphs).
"""

from __future__ import annotations

from dataclasses import dataclass

from reviewer.models import Cell, Table
from reviewer.lazy_re import lazy

HEADING_LIKE = lazy(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.、．]|表\d)")


@dataclass
class Line:
    start: int  # offset of the first character
    end: int  # offset of the newline (exclusive end of content)
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def kind(self) -> str:
        t = self.text
        if t.startswith("\t") and t.count("\t") == 1:
            return "cell"
        if not t.strip():
            return "blank"
        if "\t" in t.lstrip("\t") and len([c for c in t.split("\t")]) >= 2 and not (t.startswith("\t") and t.count("\t") == 1):
            return "row"
        if t.startswith("\t"):
            return "cell"
        return "text"


def split_lines(text: str, start: int = 0, end: int | None = None) -> list[Line]:
    """Lines of ``text[start:end]`` with their offsets."""
    end = len(text) if end is None else end
    out = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        out.append(Line(pos, stop, text[pos:stop]))
        pos = stop + 1
    return out


def _cell(text: str, s: int, e: int, row: int, col: int) -> Cell:
    """A cell over ``text[s:e]`` with surrounding whitespace trimmed from its offsets."""
    while s < e and text[s] in " \t\r\n\u3000":
        s += 1
    while e > s and text[e - 1] in " \t\r\n\u3000":
        e -= 1
    return Cell(text=text[s:e], start=s, end=e, row=row, col=col)


def _row_from_line(text: str, line: Line, row: int) -> list[Cell]:
    cells, pos, col = [], line.start, 0
    for part in line.text.split("\t"):
        cells.append(_cell(text, pos, pos + len(part), row, col))
        pos += len(part) + 1
        col += 1
    # drop trailing empty cells beyond the last filled one, keep inner empties
    while len(cells) > 1 and not cells[-1].text:
        cells.pop()
    return cells


def _continues_cell(lines: list[Line], i: int) -> bool:
    """Whether text line ``i`` (after blank lines) still belongs to a cell: it is short,
    not heading-like, and the next non-blank line starts a cell."""
    ln = lines[i]
    if len(ln.text.strip()) > 20 or HEADING_LIKE.match(ln.text):
        return False
    for j in range(i + 1, len(lines)):
        if lines[j].blank:
            continue
        return lines[j].kind in ("cell", "row")
    return False


def find_text_tables(text: str, start: int = 0, end: int | None = None, first_index: int = 0) -> list[Table]:
    """Tables in ``text[start:end]`` in either layout, with exact cell offsets."""
    lines = split_lines(text, start, end)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        k = lines[i].kind
        if k == "row":
            rows: list[list[Cell]] = []
            j = i
            while j < len(lines):
                kj = lines[j].kind
                if kj == "row":
                    rows.append(_row_from_line(text, lines[j], len(rows)))
                    j += 1
                elif kj == "blank" and j + 1 < len(lines) and lines[j + 1].kind == "row":
                    j += 1  # a page break inside the table
                elif kj == "cell" and rows:
                    rows.append(_row_from_line(text, lines[j], len(rows)))
                    j += 1
                else:
                    break
            if len(rows) >= 2:
                tables.append(Table(index=first_index + len(tables), rows=rows,
                                    start=lines[i].start, end=lines[j - 1].end))
            i = j
        elif k == "cell":
            j, rows, cur = i, [], []
            cell_start: int | None = None
            last_content = i
            blanks = 0
            while j < len(lines):
                ln = lines[j]
                kj = ln.kind
                if kj == "cell":
                    if cell_start is not None:
                        cur.append((cell_start, lines[last_content].end))
                    if cur and blanks == 1:  # exactly one blank line ends a row
                        rows.append(cur)
                        cur = []
                    cell_start = ln.start + 1
                    last_content, blanks = j, 0
                elif kj == "blank":
                    blanks += 1
                elif kj == "text":
                    if blanks and not _continues_cell(lines, j):
                        break
                    last_content, blanks = j, 0
                else:  # a row-per-line row: a different table starts
                    break
                j += 1
            if cell_start is not None:
                cur.append((cell_start, lines[last_content].end))
            if cur:
                rows.append(cur)
            grid = [[_cell(text, s, e, r, c) for c, (s, e) in enumerate(row)] for r, row in enumerate(rows)]
            if len(grid) >= 2:
                tables.append(Table(index=first_index + len(tables), rows=grid,
                                    start=lines[i].start, end=lines[last_content].end))
            i = max(j, i + 1)
        else:
            i += 1
    return tables


_PIPE = "|｜"
_FIGURE = lazy(r"[-—]?\d[\d,.]*\s*[%％]?")


def _pipe_cells(text: str, line: Line, row: int) -> list[Cell] | None:
    """The cells of a line framed by bars (``| a | b |  | c |``), or None for another line."""
    t = line.text.rstrip()
    lead = len(t) - len(t.lstrip())
    if len(t) - lead < 3 or t[lead] not in _PIPE or t[-1] not in _PIPE:
        return None
    cells, pos, col = [], line.start + lead + 1, 0
    for ch_i in range(lead + 1, len(t)):
        if t[ch_i] in _PIPE:
            end = line.start + ch_i
            cells.append(_cell(text, pos, end, row, col))
            pos, col = end + 1, col + 1
    return cells if len(cells) >= 2 else None


def find_pipe_grids(text: str, start: int = 0, end: int | None = None, first_index: int = 0) -> list[Table]:
    """Tables written as bar-framed rows that keep every cell, merged ones as empty cells
    (``| 产出指标 | 数量指标 | … |`` then ``|  |  | … |``): when every row of the run has the same
    number of cells the columns stay in place, so the grid is as exact as a tab-separated one.
    Runs of uneven rows (merged cells left out) are the flattened forms' reader's business."""
    lines = split_lines(text, start, end)
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        first = _pipe_cells(text, lines[i], 0)
        if first is None:
            i += 1
            continue
        rows, j = [first], i + 1
        while j < len(lines):
            cells = _pipe_cells(text, lines[j], len(rows))
            if cells is None:
                break
            rows.append(cells)
            j += 1
        # cells kept in place: every row as wide as the first (a run of uneven rows may have left
        # merged cells out in some rows and kept them empty in others: not a grid)
        kept = all(len(r) == len(first) for r in rows)
        # the grid opens with its header (words, no figures): rows whose header sits on a line
        # of another shape are the flattened forms' reader's business
        header = sum(1 for c in first if c.text) >= 3 and not any(_FIGURE.fullmatch(c.text) for c in first if c.text)
        # (three columns only for a score summary: 指标 | 分值 | 得分)
        wide = len(first) >= 4 or (len(first) == 3 and "分值" in first[1].text + first[2].text and "得分" in first[2].text)
        if len(rows) >= 3 and wide and kept and header:
            for r in rows:  # trailing empty cells beyond the last filled one say nothing
                while len(r) > 1 and not r[-1].text:
                    r.pop()
            tables.append(Table(index=first_index + len(tables), rows=rows, start=lines[i].start, end=lines[j - 1].end))
        i = j
    return tables

