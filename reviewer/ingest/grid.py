"""One linear rendering for every carrier that has real tables.

Spreadsheets, web pages, PDF tables and OCR'd scans all give us *blocks*: paragraphs of
text and tables made of cells with row/column spans.  :class:`DocumentBuilder` renders them
exactly the way the .docx reader does — a paragraph per line, a table row per line with its
cells joined by a tab, a vertically merged continuation as an empty ``merged_up`` cell — and
keeps, for every character, the place in the carrier it came from (a :class:`Location`).
The structure layer and the rules therefore never care which reader a table came from.

Use::

    b = DocumentBuilder()
    b.paragraph("项目支出绩效自评表", Location(kind="paragraph", paragraph=0))
    b.table([[GridCell("年初预算数", 0, 0, location=...), ...], ...])
    doc = b.build(path, "xlsx")
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer.models import Cell, LocatedSpan, Location, SourceDocument, Table

_CELL_JUNK = str.maketrans({"\t": " ", "\r": None})


@dataclass
class GridCell:
    """A cell as the carrier gives it: its text, its top-left grid position, its spans."""

    text: str
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    location: Location | None = None


@dataclass
class _Pending:
    index: int
    start: int
    end: int = 0
    rows: list[list[Cell]] = field(default_factory=list)


def clean_cell_text(text: str) -> str:
    """A cell's text for the linear rendering: no tabs (they separate cells), no CR, and
    the blank lines a spreadsheet cell or web page pads a cell with removed."""
    lines = [ln.strip() for ln in str(text).translate(_CELL_JUNK).split("\n")]
    return "\n".join(ln for ln in lines if ln)


class DocumentBuilder:
    """Accumulates linear text, located spans and tables; see the module docstring."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self._spans: list[LocatedSpan] = []
        self._tables: list[Table] = []
        self.warnings: list[str] = []

    @property
    def size(self) -> int:
        """Characters rendered so far (for size limits while reading)."""
        return self._pos

    def _emit(self, s: str) -> None:
        if s:
            self._parts.append(s)
            self._pos += len(s)

    def _newline(self) -> None:
        if self._pos:
            self._emit("\n")

    def paragraph(self, text: str, location: Location | None = None) -> None:
        """One paragraph (it may hold newlines); blank paragraphs are skipped."""
        text = "\n".join(ln.rstrip() for ln in str(text).replace("\r", "").split("\n")).strip("\n")
        if not text.strip():
            return
        self._newline()
        start = self._pos
        self._emit(text)
        if location is not None:
            self._spans.append(LocatedSpan(start=start, end=self._pos, location=location))

    def table(self, cells: list[list[GridCell]] | list[GridCell], *, nested_in: int | None = None) -> int | None:
        """Render a table given as rows of cells (or a flat list) at their grid positions.

        Cells covered by another cell's ``row_span`` become empty ``merged_up`` cells in the
        rows below; cells covered by a ``col_span`` are not repeated.  Empty trailing rows
        and columns are dropped.  Returns the table's index, or None if it had no text.
        """
        flat = [c for row in cells for c in (row if isinstance(row, list) else [row])]
        flat = [c for c in flat if c.row >= 0 and c.col >= 0]
        if not any(clean_cell_text(c.text) for c in flat):
            return None
        covered: dict[tuple[int, int], GridCell] = {}
        tops: dict[tuple[int, int], GridCell] = {}
        for c in flat:
            tops[(c.row, c.col)] = c
            for r in range(c.row, c.row + max(1, c.row_span)):
                for k in range(c.col, c.col + max(1, c.col_span)):
                    if (r, k) != (c.row, c.col):
                        covered.setdefault((r, k), c)
        # per row: the columns that start a cell there, and those a cell from above covers
        row_cols: dict[int, set[int]] = {}
        for (r, k) in tops:
            row_cols.setdefault(r, set()).add(k)
        for (r, k), owner in covered.items():
            if owner.col == k and owner.row < r:
                row_cols.setdefault(r, set()).add(k)
        filled_rows = [c.row for c in flat if clean_cell_text(c.text)]
        n_rows = max(filled_rows) + 1
        first_row = min(filled_rows)
        self._newline()
        index = len(self._tables)
        pending = _Pending(index=index, start=self._pos)
        for r in range(first_row, n_rows):
            if r > first_row:
                self._emit("\n")
            row_cells: list[Cell] = []
            cols = sorted(row_cols.get(r, ()))
            # trailing empty cells are left out of the row and of the text (no dangling tabs)
            while len(cols) > 1 and (r, cols[-1]) in tops and (r, cols[-1]) not in covered \
                    and not clean_cell_text(tops[(r, cols[-1])].text):
                cols.pop()
            for k in cols:
                if row_cells:
                    self._emit("\t")
                top = tops.get((r, k))
                if top is None or (r, k) in covered:
                    owner = covered[(r, k)] if (r, k) in covered else top
                    row_cells.append(Cell(text="", start=self._pos, end=self._pos, row=r - first_row, col=k,
                                          col_span=max(1, owner.col_span), merged_up=True))
                    continue
                text = clean_cell_text(top.text)
                start = self._pos
                self._emit(text)
                row_cells.append(Cell(text=text, start=start, end=self._pos, row=r - first_row, col=k,
                                      col_span=max(1, top.col_span)))
                loc = top.location or Location(kind="table_cell", table=index, row=r - first_row, col=k)
                if text:
                    self._spans.append(LocatedSpan(start=start, end=self._pos, location=loc))
            pending.rows.append(row_cells)
        pending.end = self._pos
        self._tables.append(Table(index=index, rows=pending.rows, start=pending.start, end=pending.end,
                                  nested_in=nested_in))
        return index

    def text(self) -> str:
        return "".join(self._parts)

    def build(self, path: str, fmt: str, *, encoding: str | None = None) -> SourceDocument:
        """The :class:`SourceDocument` of everything rendered so far."""
        text = self.text()
        spans = sorted(self._spans, key=lambda s: (s.start, s.end))
        return SourceDocument(path=str(path), format=fmt, text=text, encoding=encoding,  # type: ignore[arg-type]
                              tables=list(self._tables), spans=spans, warnings=list(self.warnings))
