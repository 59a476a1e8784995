"""Passages of a report for the chat and the text pane, and an extractive ranker.

A passage is one line of the linear text (a paragraph, or a table row with cells joined
by tabs).  Each passage knows the section it sits in and where it came from in the file
(``段落N`` / ``表T·R·C`` / ``第N页`` / ``第N行``), so an answer can cite it.

Ranking needs no model: character n-gram overlap (bigrams, plus single CJK characters at
a low weight and ASCII/number tokens) weighted by inverse passage frequency, BM25 style.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from reviewer.models import Location, ParsedFile, Report, Table


@dataclass
class CellSpan:
    start: int
    end: int
    text: str
    location: Location | None = None
    header: str = ""  # the column header of the cell, when the table has one


@dataclass
class Passage:
    """One line of a report's text with its citation."""

    start: int
    end: int
    text: str
    line: int  # 1-based line number in the file's text
    section: str = ""  # heading text of the enclosing section
    location: Location | None = None
    cells: list[CellSpan] = field(default_factory=list)  # table rows: one per cell
    context: str = ""  # extra text used for matching only (e.g. the table's header row)
    follow: str = ""  # a section heading's body (clipped), shown with the heading in answers
    is_header: bool = False  # a table row of column labels (rarely an answer by itself)

    @property
    def shown(self) -> str:
        """The text an answer quotes: the line, and a heading's section body after it."""
        return f"{self.text}\n{self.follow}" if self.follow else self.text

    @property
    def anchor(self) -> str:
        """The HTML element id of this passage in the text pane."""
        return f"psg-{self.start}"

    @property
    def place(self) -> str:
        """``段落12`` / ``表1·R3·C2`` / ``第2页`` / ``第14行``."""
        loc = self.location
        if loc is not None and loc.kind == "table_cell" and self.cells:
            return f"表{(loc.table or 0) + 1}·R{(loc.row or 0) + 1}"  # a whole table row
        if loc is not None and loc.kind != "text":
            return loc.label()
        return f"第{self.line}行"

    def cite(self, cell: CellSpan | None = None) -> str:
        """Citation label: section and place, e.g. ``三、存在问题 › 段落12``."""
        place = self.place
        if cell is not None and cell.location is not None and cell.location.kind == "table_cell":
            place = cell.location.label()
        return f"{self.section} › {place}" if self.section else place


def _section_label(report: Report, offset: int) -> str:
    best = None
    for s in report.sections:
        if s.heading.start <= offset and (best is None or s.heading.start >= best.heading.start):
            best = s
    if best is None:
        return ""
    return re.sub(r"\s+", " ", best.heading.text).strip()[:40]


def _is_header(row) -> bool:
    """A row of labels: at least two filled cells, mostly without digits."""
    filled = [c for c in row if c.text.strip() and not c.merged_up]
    if len(filled) < 2:
        return False
    wordy = sum(1 for c in filled if not re.search(r"\d", c.text))
    return wordy >= 0.6 * len(filled)


def _row_ranges(tables: list[Table]) -> list[tuple[int, int, Table, int]]:
    """(start, end, table, row number) of every table row, from its first to last cell."""
    out = []
    for t in tables:
        for r, row in enumerate(t.rows):
            if row:
                out.append((row[0].start, max(c.end for c in row), t, r))
    return out


def _row_at(ranges, pos: int):
    """The innermost table row whose range holds ``pos``."""
    best = None
    for s, e, t, r in ranges:
        if s <= pos <= e and (best is None or e - s < best[1] - best[0]):
            best = (s, e, t, r)
    return best


def _header_for(t: Table, r: int) -> dict[int, str]:
    """Column (grid col) -> header text from the nearest header-like row above row ``r``."""
    for k in range(r - 1, -1, -1):
        if _is_header(t.rows[k]):
            out = {}
            for c in t.rows[k]:
                for col in range(c.col, c.col + max(1, c.col_span)):
                    out[col] = c.text.strip()
            return out
    return {}


def report_passages(parsed: ParsedFile, report: Report) -> list[Passage]:
    """The report as passages, in order, with citations: one per paragraph line, one per
    table row (a row whose cells hold line breaks stays one passage)."""
    text = parsed.source.text
    src = parsed.source
    ranges = [x for x in _row_ranges(parsed.tables or src.tables) if x[1] > report.start and x[0] < report.end]
    out: list[Passage] = []
    line_no = text.count("\n", 0, report.start) + 1
    pos = report.start
    end_all = min(report.end, len(text))
    while pos < end_all:
        nl = text.find("\n", pos, end_all)
        e = end_all if nl < 0 else nl
        row = _row_at(ranges, pos) if ranges else None
        if row is not None and row[1] > e:  # the row goes on over further lines
            e = min(row[1], end_all)
            nl2 = text.find("\n", e, end_all)
            e = end_all if nl2 < 0 else nl2
        raw = text[pos:e]
        if raw.strip():
            loc = src.locate(pos, e)
            p = Passage(start=pos, end=e, text=raw, line=line_no, section=_section_label(report, pos), location=loc)
            sec = next((x for x in report.sections if pos <= x.heading.start < max(e, pos + 1)), None)
            if sec is not None:
                body = text[sec.body.start:sec.body.end].strip()
                if body:
                    p.follow = body if len(body) <= 200 else body[:200] + "…"
            if row is not None:
                _, _, t, r = row
                header = _header_for(t, r)
                for c in t.rows[r]:
                    if c.merged_up or not c.text.strip() or c.start < pos or c.end > e:
                        continue
                    p.cells.append(CellSpan(c.start, c.end, c.text, src.locate(c.start, c.end) or
                                            Location(kind="table_cell", table=t.index, row=r, col=c.col),
                                            header.get(c.col, "")))
                p.context = " ".join(dict.fromkeys(v for v in header.values() if v))
                p.is_header = _is_header(t.rows[r])
                title = " ".join(c.text for c in t.rows[0]) if t.rows and t.rows[0] else ""
                title += text[max(0, t.start - 60):t.start]  # the caption lines above the table
                if "自评表" in title:  # a 自评表 is its own place, whatever section precedes it
                    p.section = "绩效自评表"
            elif "\t" in raw:
                off = pos
                for part in raw.split("\t"):
                    if part.strip():
                        p.cells.append(CellSpan(off, off + len(part), part, src.locate(off, off + len(part))))
                    off += len(part) + 1
            out.append(p)
        line_no += text.count("\n", pos, e) + 1
        pos = e + 1
    return out


# --------------------------------------------------------------------------- ranking

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?%?")
# question words that say nothing about the content
_STOP = re.compile(r"请问|是否|是多少|多少|什么|怎么样|怎么|如何|哪些|哪个|为什么|有没有|有哪些|报告中|报告|这个|一下|吗|呢|吧|的|了|是|有|在|和|与|及")


def grams(text: str) -> Counter:
    """Character bigrams of CJK runs (weight 1), single CJK characters (0.25) and
    ASCII words / numbers (1)."""
    c: Counter = Counter()
    for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", text):
        for ch in run:
            c["1:" + ch] += 1
        for i in range(len(run) - 1):
            c["2:" + run[i : i + 2]] += 1
    for wd in _WORD.findall(text):
        c["w:" + wd.lower()] += 1
    return c


def _weight(g: str) -> float:
    return 0.25 if g.startswith("1:") else 1.0


@dataclass
class Hit:
    passage: Passage
    score: float
    cell: CellSpan | None = None

    def cite(self) -> str:
        return self.passage.cite(self.cell)


def rank(question: str, passages: list[Passage], k: int = 3) -> list[Hit]:
    """The ``k`` passages that best match ``question`` (score > 0 only)."""
    q = grams(_STOP.sub(" ", question))
    if not q:
        q = grams(question)
    if not q or not passages:
        return []
    docs = [grams(p.text) for p in passages]
    ctx = [grams(p.context) if p.context else Counter() for p in passages]
    n = len(passages)
    df = Counter()
    for d in docs:
        df.update(set(d))
    avg = sum(len(p.text) for p in passages) / n
    hits = []
    need_strong = any(not g.startswith("1:") for g in q)
    for p, d, cx in zip(passages, docs, ctx):
        s = 0.0
        if need_strong and not any(not g.startswith("1:") and (g in d or g in cx) for g in q):
            continue  # shared single characters only: not about the question
        for g in q:
            idf = math.log(1 + (n - df.get(g, 0) + 0.5) / (df.get(g, 0) + 0.5))
            tf = d.get(g, 0)
            if tf:
                s += _weight(g) * idf * (tf * 2.2) / (tf + 1.2 * (0.25 + 0.75 * len(p.text) / avg))
            elif cx.get(g):
                s += 0.8 * _weight(g) * idf  # the column header names what the row holds
        if p.is_header:
            s *= 0.4  # labels only: the rows under them hold the answer
        if s > 0:
            hits.append((s, p))
    hits.sort(key=lambda x: (-x[0], x[1].start))
    if not hits:
        return []
    top = hits[0][0]
    out = []
    for s, p in hits[:k]:
        if s < 0.35 * top:  # a stray shared character is not an answer
            break
        out.append(Hit(p, round(s, 3), _best_cell(p, q)))
    return out


def _best_cell(p: Passage, q: Counter) -> CellSpan | None:
    """The cell of a table row the question is about: its own text or its column header."""
    if not p.cells:
        return None

    def own(c: CellSpan) -> float:
        return sum(_weight(g) for g in grams(c.text) if g in q)

    def head(c: CellSpan) -> float:
        return sum(_weight(g) for g in grams(c.header) if g in q) if c.header else 0.0

    # the row's label names the subject, the column header the attribute asked about:
    # a cell under a matching header is the answer
    best = max(p.cells, key=lambda c: (head(c), own(c), -c.start))
    if head(best) >= 1.0:
        return best
    best = max(p.cells, key=lambda c: (own(c), -c.start))
    return best if own(best) > 0 else None
