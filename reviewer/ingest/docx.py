"""The .docx reader: one recursive walk over the body in document order.

Linear rendering (the contract in :mod:`reviewer.models`): blocks are joined by ``\\n``; a
paragraph is its text; a table is one line per row, the row's cells joined by ``\\t``.
A cell's text is its blocks joined by ``\\n`` (leading/trailing empty paragraphs dropped);
a nested table is rendered inside its outer cell, in document order, and gets its own
:class:`Table` with ``nested_in``.  Horizontally merged cells appear once with
``col_span``; a vertical-merge continuation is an empty cell with ``merged_up=True``.

Spans never overlap: body paragraphs -> ``paragraph``, cells -> ``table_cell`` (an outer
cell's span is split around its nested tables).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from reviewer.ingest import wordml
from reviewer.ingest.errors import empty, read_error, too_large
from reviewer.ingest.limits import InputLimits, check_count
from reviewer.ingest.numbering import Numbering
from reviewer.ingest.zipguard import guard_zip
from reviewer.models import Cell, LocatedSpan, Location, ReadError, SourceDocument, Table


@dataclass
class _Span:
    start: int
    end: int
    location: Location


@dataclass
class _Cell:
    start: int
    end: int
    row: int
    col: int
    col_span: int = 1
    merged_up: bool = False


@dataclass
class _Table:
    index: int
    nested_in: int | None
    start: int = 0
    end: int = 0
    rows: list[list[_Cell]] = field(default_factory=list)


class _Renderer:
    """Accumulates the linear text, the spans and the tables of one document."""

    def __init__(self, numbering: Numbering) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.spans: list[_Span] = []
        self.tables: list[_Table] = []
        self.paragraph_count = 0
        self.numbering = numbering
        self.text_boxes = 0
        self._current_table: int | None = None

    # ------------------------------------------------------------------ output
    def emit(self, s: str) -> None:
        if s:
            self.parts.append(s)
            self.pos += len(s)

    # ------------------------------------------------------------------ blocks
    def paragraph_line(self, p: etree._Element) -> str:
        """A paragraph's rendered line: list number, text, then any text-box lines."""
        text, boxes = wordml.paragraph_text(p)
        label = self.numbering.label(p)
        if label:
            text = label + text
        if boxes:
            self.text_boxes += len(boxes)
            text = "\n".join([text, *boxes]) if text else "\n".join(boxes)
        return text

    def body(self, body: etree._Element) -> None:
        """Render the document body: every block, empty paragraphs included."""
        first = True
        for block in wordml.iter_children(body, wordml.BLOCKS):
            if not first:
                self.emit("\n")
            first = False
            if block.tag == wordml.P:
                start = self.pos
                self.emit(self.paragraph_line(block))
                self.spans.append(_Span(start, self.pos, Location(kind="paragraph",
                                                                  paragraph=self.paragraph_count)))
                self.paragraph_count += 1
            else:
                self.table(block, None)

    def cell_blocks(self, tc: etree._Element) -> list[tuple[int, int]]:
        """Render a cell's blocks; return the ranges of the nested tables rendered."""
        blocks = list(wordml.iter_children(tc, wordml.BLOCKS))
        while blocks and self.is_blank(blocks[0]):
            blocks.pop(0)
        while blocks and self.is_blank(blocks[-1]):
            blocks.pop()
        nested: list[tuple[int, int]] = []
        for i, block in enumerate(blocks):
            if i:
                self.emit("\n")
            if block.tag == wordml.P:
                self.emit(self.paragraph_line(block))
            else:
                start = self.pos
                self.table(block, self._current_table)
                nested.append((start, self.pos))
        return nested

    def is_blank(self, block: etree._Element) -> bool:
        """An empty paragraph without a list number (tables are never blank)."""
        if block.tag != wordml.P:
            return False
        text, boxes = wordml.paragraph_text(block)
        return not text and not boxes and not self.numbering.is_numbered(block)

    def table(self, tbl: etree._Element, nested_in: int | None) -> None:
        """Render a table (and, recursively, the tables nested in its cells)."""
        table = _Table(index=len(self.tables), nested_in=nested_in, start=self.pos)
        self.tables.append(table)
        outer, self._current_table = self._current_table, table.index
        rows = [tr for tr in wordml.iter_children(tbl, wordml.ROWS) if not wordml.is_deleted_row(tr)]
        for r, tr in enumerate(rows):
            if r:
                self.emit("\n")
            table.rows.append(self.row(tr, r, table.index))
        table.end = self.pos
        self._current_table = outer

    def row(self, tr: etree._Element, r: int, t: int) -> list[_Cell]:
        """Render row ``r`` of table ``t``: each ``<w:tc>`` once, at its grid column."""
        cells: list[_Cell] = []
        col = wordml.grid_before(tr)
        for tc in wordml.iter_children(tr, wordml.CELLS):
            span = wordml.grid_span(tc)
            if wordml.merge_state(tc, "hMerge") == "continue" and cells:
                cells[-1].col_span += span  # legacy horizontal merge: part of the previous cell
                col += span
                continue
            if cells:
                self.emit("\t")
            start = self.pos
            vmerge = wordml.merge_state(tc, "vMerge")
            location = Location(kind="table_cell", table=t, row=r, col=col)
            if vmerge == "continue":
                cells.append(_Cell(start, start, r, col, span, merged_up=True))
                self.spans.append(_Span(start, start, location))
            else:
                nested = self.cell_blocks(tc)
                cells.append(_Cell(start, self.pos, r, col, span))
                cursor = start
                for n_start, n_end in nested:
                    if n_start > cursor:
                        self.spans.append(_Span(cursor, n_start, location))
                    cursor = n_end
                if self.pos > cursor or not nested:
                    self.spans.append(_Span(cursor, self.pos, location))
            col += span
        return cells


def _sorted_spans(spans: list[_Span]) -> list[LocatedSpan]:
    """Spans by start; a zero-length span never shares its start with another span."""
    spans = sorted(spans, key=lambda s: (s.start, s.end))
    out: list[LocatedSpan] = []
    for i, s in enumerate(spans):
        if s.start == s.end and i + 1 < len(spans) and spans[i + 1].start == s.start:
            continue
        if out and s.start == s.end and out[-1].start == s.start:
            continue
        out.append(LocatedSpan(start=s.start, end=s.end, location=s.location))
    return out


def _related_root(main: object, reltype: str) -> etree._Element | None:
    """Root element of the part related to ``main`` by ``reltype`` (None if none)."""
    from docx.oxml.parser import parse_xml

    for rel in main.rels.values():  # type: ignore[attr-defined]
        if rel.reltype == reltype and not rel.is_external:
            part = rel.target_part
            root = getattr(part, "element", None)
            return root if root is not None else parse_xml(part.blob)
    return None


def _corrupt_docx(path: Path, exc: BaseException | str) -> ReadError:
    detail = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    return read_error(
        path,
        "corrupt_docx",
        f".docx 文件已损坏或不完整，无法打开（{detail[:200]}），请在 Word 中打开后重新保存",
        f"the .docx file is corrupt or incomplete and cannot be opened ({detail[:200]}); "
        "open it in Word and save it again",
    )


def _open_document_xml(path: Path, limits: InputLimits) -> tuple[etree._Element, Numbering]:
    """``(document root, numbering)`` from the package; raises corrupt_docx, too_large."""
    guard_zip(path, limits, _corrupt_docx)  # every member, before python-docx inflates any
    try:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.package import OpcPackage
        from docx.oxml.parser import parse_xml

        package = OpcPackage.open(str(path))
        main = package.main_document_part
        root = getattr(main, "element", None)
        if root is None:
            root = parse_xml(main.blob)
        numbering = Numbering(_related_root(main, RT.NUMBERING), _related_root(main, RT.STYLES))
    except ReadError:
        raise
    except etree.XMLSyntaxError as exc:
        if "depth" in str(exc).lower():
            raise too_large(path, f"XML 嵌套过深（{exc}）", f"the XML is nested too deeply ({exc})") from exc
        raise _corrupt_docx(path, exc) from exc
    except Exception as exc:  # zipfile, lxml, python-docx and KeyError all signal corruption
        raise _corrupt_docx(path, exc) from exc
    return root, numbering


def read_docx_document(path: Path, *, limits: InputLimits) -> SourceDocument:
    """Read a .docx file into a :class:`SourceDocument` with tables and spans."""
    root, numbering = _open_document_xml(path, limits)
    body = root.find(wordml.w("body"))
    if body is None:
        raise read_error(path, "corrupt_docx", ".docx 文件中找不到正文（w:body）",
                         "the .docx file has no document body (w:body)")
    # counted in C before anything is rendered: a 70 KB file can hold 200,000 empty paragraphs
    check_count(path, "段落数", "paragraphs", sum(1 for _ in body.iter(wordml.P)), limits.max_paragraphs, "max_paragraphs")
    check_count(path, "表格单元格数", "table cells", sum(1 for _ in body.iter(wordml.w("tc"))), limits.max_table_cells,
                "max_table_cells")
    max_chars = limits.max_chars
    try:
        renderer = _Renderer(numbering)
        renderer.body(body)
    except RecursionError as exc:  # tables nested in tables hundreds deep
        raise too_large(path, "表格或内容控件嵌套过深", "tables or content controls are nested too deeply") from exc
    text = "".join(renderer.parts)
    if len(text) > max_chars:
        raise too_large(path, f"{len(text):,} 字符，超过 {max_chars:,} 字符的上限",
                        f"{len(text):,} characters, more than the limit of {max_chars:,}")
    if not text.strip():
        raise empty(path)
    tables = [
        Table(
            index=t.index,
            nested_in=t.nested_in,
            start=t.start,
            end=t.end,
            rows=[[Cell(text=text[c.start:c.end], start=c.start, end=c.end, row=c.row, col=c.col,
                        col_span=c.col_span, merged_up=c.merged_up) for c in row] for row in t.rows],
        )
        for t in renderer.tables
    ]
    warnings: list[str] = []
    if next(body.iter(wordml.w("del"), wordml.w("moveFrom")), None) is not None:
        warnings.append("文档含有修订（已删除的文字未计入） / tracked changes present "
                        "(deleted text left out)")
    if renderer.text_boxes:
        warnings.append(f"文本框内容 {renderer.text_boxes} 段已附在所在段落之后 / "
                        f"{renderer.text_boxes} text-box paragraph(s) appended to their anchor paragraph")
    return SourceDocument(path=str(path), format="docx", text=text, encoding=None, tables=tables,
                          spans=_sorted_spans(renderer.spans), warnings=warnings)
