"""Data models that cross module boundaries.

Everything a reader produces, everything the structure extractor produces and every
finding a check, the retrieval layer or the LLM emits is one of these pydantic models.

Offsets: every ``start``/``end`` pair is a half-open character range into
``SourceDocument.text``.  For a .txt file that text *is* the decoded file text, so
``text[start:end] == quote`` holds against the file itself.  For .docx and .pdf the text
is a linear rendering built by the reader (paragraphs one per line, table rows one per
line with cells joined by a tab) and :meth:`SourceDocument.locate` maps an offset back
to the paragraph / table / row / column (or page) it came from.
"""

from __future__ import annotations

import bisect
from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr

Kind = Literal[
    "arithmetic",
    "contradiction",
    "missing",
    "boilerplate",
    "vague_problems",
    "score_inflation",
    "format",
]
Severity = Literal["error", "warning", "info"]
FlagSource = Literal["rule", "retrieval", "llm"]
SourceFormat = Literal["txt", "docx", "pdf", "xlsx", "xls", "ods", "html", "image"]

SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


# --------------------------------------------------------------------------- source


class Location(BaseModel):
    """Where a span of the linear text sits in the original file."""

    kind: Literal["text", "paragraph", "table_cell", "page", "sheet_cell", "box"]
    paragraph: int | None = None  # .docx: index among body paragraphs (document order)
    table: int | None = None  # .docx/.html/.pdf: index among all tables, nested ones included
    row: int | None = None
    col: int | None = None
    page: int | None = None  # .pdf / scans: 1-based page number
    sheet: str | None = None  # spreadsheets: the sheet's name
    cell: str | None = None  # spreadsheets: the cell reference, e.g. ``C7``
    box: tuple[float, float, float, float] | None = None  # PDF table cell or OCR box: x0, y0, x1, y1 (points/pixels)

    def label(self) -> str:
        """Short human-readable form, e.g. ``表3·R5·C2``, ``段落12``, ``Sheet1!C7`` or ``第2页·(120,340)``."""
        if self.kind == "sheet_cell":
            return f"{self.sheet}!{self.cell}" if self.sheet else str(self.cell)
        if self.kind == "table_cell":
            where = f"表{(self.table or 0) + 1}·R{(self.row or 0) + 1}·C{(self.col or 0) + 1}"
            return f"第{self.page}页·{where}" if self.page else where
        if self.kind == "paragraph":
            return f"段落{(self.paragraph or 0) + 1}"
        if self.kind == "box":
            x0, y0 = (self.box or (0, 0, 0, 0))[:2]
            return f"第{self.page}页·({x0:.0f},{y0:.0f})" if self.page else f"({x0:.0f},{y0:.0f})"
        if self.kind == "page":
            return f"第{self.page}页"
        return "正文"


class LocatedSpan(BaseModel):
    """A range of the linear text and the place in the file it was rendered from."""

    start: int
    end: int
    location: Location


class Cell(BaseModel):
    """One de-duplicated table cell. A vertically merged continuation is an empty cell
    with ``merged_up=True``; a horizontally merged cell appears once with ``col_span``."""

    text: str
    start: int
    end: int
    row: int
    col: int  # grid column of the cell's left edge
    col_span: int = 1
    merged_up: bool = False


class Table(BaseModel):
    """A table found in the source: from the .docx grid, or reconstructed from text."""

    index: int
    rows: list[list[Cell]]
    start: int
    end: int
    nested_in: int | None = None  # index of the enclosing table for nested tables
    # field -> column of row 0, when the reader already knows what each column holds (a form
    # rebuilt from flattened text); otherwise the parsers read the header row's words
    columns: dict[str, int] | None = None
    partial: bool = False  # only part of a table (an excerpt that starts below its header): no sums over it
    # a row's cells lie apart in the text (a form read column by column): a row is quoted by its first cell
    scattered: bool = False


class SourceDocument(BaseModel):
    """A file as read: its linear text plus where each piece of it came from."""

    path: str
    format: SourceFormat
    text: str
    encoding: str | None = None
    tables: list[Table] = Field(default_factory=list)  # .docx: real grid tables
    spans: list[LocatedSpan] = Field(default_factory=list)  # sorted by start
    warnings: list[str] = Field(default_factory=list)
    # the text as read, when ``text`` is a same-length copy with OCR misreadings fixed
    # (reviewer.structure.ocr_fix): structure and rules read ``text``, quotes come from this
    original_text: str | None = None
    _span_starts: list[int] | None = PrivateAttr(default=None)

    @property
    def verbatim(self) -> str:
        """The text as the file has it: what evidence quotes and displays are cut from
        (``text`` may be the same-length copy with OCR misreadings fixed)."""
        return self.original_text if self.original_text is not None else self.text

    def quote(self, start: int, end: int) -> str:
        """The verbatim text at ``[start, end)``, as the file has it."""
        return self.verbatim[start:end]

    def locate(self, start: int, end: int | None = None) -> Location | None:
        """The location of the span containing ``start`` (None for .txt input)."""
        if not self.spans:
            return None
        starts = self._span_starts
        if starts is None or len(starts) != len(self.spans):  # built once, not per call (10,000-row tables)
            starts = self._span_starts = [s.start for s in self.spans]
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and self.spans[i].start <= start < max(self.spans[i].end, self.spans[i].start + 1):
            return self.spans[i].location
        return None


class ReadError(Exception):
    """A file could not be read. ``str(err)`` is bilingual and names the file."""

    def __init__(self, path: str, code: str, zh: str, en: str):
        self.path, self.code, self.zh, self.en = path, code, zh, en
        super().__init__(f"{path}: {zh} / {en}")


# --------------------------------------------------------------------------- structure


class TextRef(BaseModel):
    """A verbatim piece of the report with its offsets."""

    text: str
    start: int
    end: int


class NumberRef(TextRef):
    """A number read from the report; ``text`` is the verbatim token, ``value`` parsed."""

    value: float
    unit: str | None = None  # 元, 万元, 亿元, %, 分, 个 ...


class Amount(NumberRef):
    """A money amount in the narrative; ``yuan`` normalises the unit."""

    yuan: float
    label: str = ""  # the words just before the number (e.g. 全年预算数)


class Section(BaseModel):
    """A narrative section found by its heading."""

    kind: str  # one of reviewer.structure.sections.SECTION_KINDS
    heading: TextRef
    number: str | None = None  # the heading's numbering token: 一、 / 5、 / （一） / 1.
    level: int = 1
    body: TextRef  # the text between this heading and the next of the same or higher level


class FundsRow(BaseModel):
    """A row of the 项目资金 table (年度资金总额, 财政拨款, 上年结转, 其他资金 ...)."""

    name: TextRef
    budget_initial: NumberRef | None = None  # 年初预算数
    budget_full: NumberRef | None = None  # 全年预算数
    executed: NumberRef | None = None  # 全年执行数
    weight: NumberRef | None = None  # 分值
    rate: NumberRef | None = None  # 执行率
    score: NumberRef | None = None  # 得分


class FundsTable(BaseModel):
    rows: list[FundsRow] = Field(default_factory=list)
    unit: str = "万元"
    table_index: int | None = None


class IndicatorRow(BaseModel):
    """A third-level indicator row of the 自评表 (or of a score table in the narrative)."""

    level1: str = ""
    level2: str = ""
    level3: TextRef
    target: TextRef | None = None  # 年度指标值
    actual: TextRef | None = None  # 实际完成值
    weight: NumberRef | None = None  # 分值
    score: NumberRef | None = None  # 得分
    reason: TextRef | None = None  # 偏差原因分析及改进措施
    row: TextRef  # the whole row
    table_index: int | None = None
    empty: bool = False  # a placeholder row such as "指标2：" with nothing filled in
    weight_in_label: bool = False  # 分值 read from the label ("项目论证 (1 分)"), not from a 分值 column


class Subtotal(BaseModel):
    """A stated weight/score of a group of indicators (一级 or 二级, or the total)."""

    level: Literal[1, 2, 0]  # 0 = whole table
    name: str
    ref: TextRef  # where it is stated
    weight: NumberRef | None = None
    score: NumberRef | None = None
    members: list[int] = Field(default_factory=list)  # indexes into Report.indicators


class Report(BaseModel):
    """One 绩效自评报告 (a file may hold several)."""

    file: str
    index: int
    format: SourceFormat = "txt"
    start: int
    end: int
    title: str
    title_ref: TextRef | None = None
    organisation: str | None = None
    project: str | None = None
    year: int | None = None
    year_ref: TextRef | None = None
    sections: list[Section] = Field(default_factory=list)
    funds: FundsTable | None = None
    indicators: list[IndicatorRow] = Field(default_factory=list)
    # target/actual pairs written in sentences ("年初指标值为≥180人，全年实际完成164人"): no weight, no score
    prose_indicators: list[IndicatorRow] = Field(default_factory=list)
    subtotals: list[Subtotal] = Field(default_factory=list)
    stated_total: NumberRef | None = None  # 自评得分 as stated (table total or narrative)
    stated_totals: list[NumberRef] = Field(default_factory=list)  # every place a total is stated
    stated_grade: TextRef | None = None
    amounts: list[Amount] = Field(default_factory=list)
    tables: list[int] = Field(default_factory=list)  # indexes into ParsedFile.tables
    # where the text stops short (mid-row or mid-sentence), None when it ends cleanly; rules
    # that report an absence say nothing about a report that is cut off
    truncated_at: int | None = None
    form_unread: bool = False  # a 自评表 header was seen but none of its rows could be read
    warnings: list[str] = Field(default_factory=list)  # what the reader could not do, in Chinese / English

    def section(self, *kinds: str) -> Section | None:
        """The first section of one of ``kinds``."""
        for s in self.sections:
            if s.kind in kinds:
                return s
        return None


class ParsedFile(BaseModel):
    """A source file and the reports found in it."""

    source: SourceDocument
    tables: list[Table] = Field(default_factory=list)  # grid tables + tables rebuilt from text
    reports: list[Report] = Field(default_factory=list)


# --------------------------------------------------------------------------- findings


class Evidence(BaseModel):
    """A verbatim quote: ``source.text[start:end] == quote``."""

    quote: str
    start: int
    end: int
    location: Location | None = None


class Flag(BaseModel):
    """One finding, in the exact shape written to flags.jsonl."""

    file: str
    report: int
    title: str
    rule: str
    kind: Kind
    severity: Severity
    message: str
    evidence: list[Evidence]
    expected: str | None = None
    stated: str | None = None
    source: FlagSource = "rule"

    def jsonl(self) -> dict:
        d = self.model_dump()
        for ev in d["evidence"]:
            if ev.get("location") is None:
                ev.pop("location", None)
        return d
