"""Chunking of a parsed report for the vector store.

Narrative text is chunked by section, then by paragraph; a paragraph longer than
``max_chars`` is cut at sentence ends (。！？；, the separator stays at the end of its
sentence); tiny paragraphs are merged with the next one of the same section.  Table rows
become chunks of their own, rendered with their header (``三级指标：… ｜ 实际完成值：…``).
Every chunk keeps its offsets into ``ParsedFile.source.text`` and its metadata.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer.models import ParsedFile, Report, Table
from reviewer.structure.sections import innermost_section
from vectorstore.textutil import Span, content_hash, paragraph_spans, sentence_spans, squash
from reviewer.lazy_re import lazy

MAX_CHARS = 300
MIN_CHARS = 20
MIN_KEEP = 8  # shorter leftovers are not indexed

# Chinese names accepted by ``--section`` and shown in search output
SECTION_NAMES: dict[str, str] = {
    "basic": "基本情况",
    "goals": "绩效目标",
    "funds": "资金情况",
    "performance": "绩效目标完成情况",
    "conclusion": "自评结论",
    "problems": "存在问题",
    "measures": "改进措施",
    "other": "其他",
    "table": "表格",
}
_SECTION_ALIASES = [
    ("存在", "problems"), ("问题", "problems"), ("改进", "measures"), ("措施", "measures"), ("建议", "measures"),
    ("结论", "conclusion"), ("完成情况", "performance"), ("效益", "performance"), ("偏差", "table"),
    ("目标", "goals"), ("资金", "funds"), ("预算", "funds"), ("概况", "basic"), ("基本", "basic"),
    ("表", "table"), ("其他", "other"),
]


def section_kind(name: str) -> str:
    """Map a user's section name (Chinese or kind) to a section kind."""
    name = name.strip()
    if name in SECTION_NAMES:
        return name
    for k, v in SECTION_NAMES.items():
        if name == v:
            return k
    for frag, kind in _SECTION_ALIASES:
        if frag in name:
            return kind
    return name


@dataclass
class Chunk:
    text: str  # what is embedded and stored (table rows: rendered with header)
    start: int  # offsets into ParsedFile.source.text
    end: int
    section: str  # section kind, "table" for a table row outside any section
    heading: str = ""
    kind: str = "text"  # text | row
    location: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def hash(self) -> str:
        return content_hash(self.text)




def report_tables(parsed: ParsedFile, report: Report) -> list[Table]:
    idx = set(report.tables)
    out = []
    for t in parsed.tables:
        if t.index in idx or (report.start <= t.start < report.end):
            out.append(t)
    return out


def section_of(report: Report, pos: int) -> tuple[str, str]:
    s = innermost_section(report.sections, pos)
    if s is None:
        return "other", ""
    return s.kind, s.heading.text.strip()


def chunk_report(parsed: ParsedFile, report: Report, max_chars: int = MAX_CHARS,
                 min_chars: int = MIN_CHARS, with_tables: bool = True) -> list[Chunk]:
    text = parsed.source.text
    tables = report_tables(parsed, report) if with_tables else []
    table_ranges = [(t.start, t.end) for t in tables]
    headings = [(s.heading.start, s.heading.end) for s in report.sections]

    def covered(sp: Span, ranges) -> bool:
        return any(a <= sp.start and sp.end <= b for a, b in ranges)

    chunks: list[Chunk] = []
    pending: list[tuple[Span, str, str]] = []  # tiny paragraphs waiting to be merged

    def emit(s: int, e: int, kind: str, heading: str):
        loc = parsed.source.locate(s, e)
        chunks.append(Chunk(text=text[s:e], start=s, end=e, section=kind, heading=heading,
                            location=loc.label() if loc else ""))

    def flush():
        if pending:
            s0, e0 = pending[0][0].start, pending[-1][0].end
            if len(squash(text[s0:e0])) >= MIN_KEEP:  # "附件1", "（2022年度）" alone are not passages
                emit(s0, e0, pending[0][1], pending[0][2])
            pending.clear()

    for para in paragraph_spans(text, report.start, report.end):
        if covered(para, table_ranges) or covered(para, headings):
            flush()  # a heading or a table ends a run of short paragraphs
            continue
        kind, heading = section_of(report, para.start)
        if pending and (pending[0][1] != kind):
            flush()
        n = len(squash(text[para.start:para.end]))
        if n > max_chars:
            flush()
            cur: list[Span] = []
            size = 0
            for sent in sentence_spans(text, para.start, para.end):
                ls = len(squash(text[sent.start:sent.end]))
                if cur and size + ls > max_chars:
                    emit(cur[0].start, cur[-1].end, kind, heading)
                    cur, size = [], 0
                cur.append(sent)
                size += ls
            if cur:
                emit(cur[0].start, cur[-1].end, kind, heading)
            continue
        pending.append((para, kind, heading))
        total = sum(len(squash(text[p.start:p.end])) for p, _, _ in pending)
        if total >= min_chars:
            flush()
    flush()

    for t in tables:
        chunks.extend(_table_rows(parsed, report, t))
    chunks.sort(key=lambda c: c.start)
    return chunks


def _table_rows(parsed: ParsedFile, report: Report, t: Table) -> list[Chunk]:
    header: list | None = None
    out: list[Chunk] = []
    for row in t.rows:
        cells = [c for c in row if not c.merged_up and c.text.strip()]
        if not cells:
            continue
        if is_header_row(cells):
            header = row
            continue
        parts = []
        values = ""
        for c in cells:
            h = _header_for(header, c.col) if header else ""
            v = " ".join(c.text.split())
            parts.append(f"{h}：{v}" if h and h != v else v)
            values += _PLACEHOLDER.sub("", squash(v)) if not (h and h == v) else ""
        rendered = " ｜ ".join(parts)
        if len(values) < 4:  # an empty placeholder row ("指标2：")
            continue
        s, e = cells[0].start, cells[-1].end
        long_cells = [c for c in cells if len(squash(c.text)) > MAX_CHARS]
        if long_cells:  # a narrative cell: cut it like a paragraph, keep the row label in front
            label = " ｜ ".join(" ".join(c.text.split()) for c in cells if c not in long_cells)[:60]
            for c in long_cells:
                cur: list[Span] = []
                size = 0
                for sent in sentence_spans(parsed.source.text, c.start, c.end) + [None]:
                    ls = len(squash(parsed.source.text[sent.start:sent.end])) if sent else 0
                    if cur and (sent is None or size + ls > MAX_CHARS):
                        a, b = cur[0].start, cur[-1].end
                        loc = parsed.source.locate(a, b)
                        body = parsed.source.text[a:b]
                        out.append(Chunk(text=f"{label}：{body}" if label else body, start=a, end=b,
                                         section=_row_section(label) if label else "table", heading=section_of(report, a)[1],
                                         kind="row", location=loc.label() if loc else ""))
                        cur, size = [], 0
                    if sent is not None:
                        cur.append(sent)
                        size += ls
            continue
        _, heading = section_of(report, s)
        kind = _row_section(squash(cells[0].text)) if len(squash(cells[0].text)) <= 20 else "table"
        if kind == "table" and header and len(cells) <= 2:
            kind = _row_section(_header_for(header, cells[-1].col))
        loc = parsed.source.locate(s, e)
        out.append(Chunk(text=rendered, start=s, end=e, section=kind,
                         heading=heading, kind="row", location=loc.label() if loc else ""))
    return out


_ROW_KINDS = [("问题", "problems"), ("措施", "measures"), ("建议", "measures"), ("偏差", "measures"),
              ("实际完成", "performance"), ("完成情况", "performance"), ("分析", "performance"), ("结论", "conclusion"),
              ("目标", "goals"), ("资金", "funds"), ("预算", "funds")]


_PLACEHOLDER = lazy(r"^指标\d*[:：]?$|^[—\-/*]+$")


def _row_section(label: str) -> str:
    """Section kind of a table row from its row label / column header."""
    for frag, kind in _ROW_KINDS:
        if frag in label:
            return kind
    return "table"


def is_header_row(cells: list) -> bool:
    """A row of two or more short labels without figures (年度总体目标｜预期目标｜实际完成情况)."""
    if len(cells) < 2:
        return False
    for c in cells:
        t = squash(c.text)
        if len(t) > 14 or any(ch.isdigit() for ch in t):
            return False
    return True


def _header_for(header: list, col: int) -> str:
    for c in header:
        if c.col <= col < c.col + max(1, c.col_span):
            return " ".join(c.text.split())
    return ""


def chunk_metadata(parsed: ParsedFile, report: Report, chunk: Chunk, file_key: str, file_hash: str) -> dict:
    """Flat metadata Chroma accepts (str/int/float/bool, no None)."""
    return {
        "file": file_key,
        "file_name": file_key.replace("\\", "/").rsplit("/", 1)[-1],
        "file_hash": file_hash,
        "report": report.index,
        "title": squash(report.title)[:200],
        "organisation": (report.organisation or "")[:200],
        "year": int(report.year or 0),
        "section": chunk.section,
        "heading": chunk.heading[:100],
        "chunk_kind": chunk.kind,
        "start": chunk.start,
        "end": chunk.end,
        "location": chunk.location,
        "content_hash": chunk.hash,
    }
