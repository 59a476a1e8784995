"""Helpers shared by rule modules: tolerances, formatting and sentence lookup."""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from reviewer.models import Report
from reviewer.lazy_re import lazy

SENT_END = lazy(r"[。！？；;!?\n]")  # half-width ; ! ? as real pages write them


def _per_file(fn):
    """``fn(parsed)`` computed once per parsed file: every rule asks it for every report, and a
    file of many reports would otherwise walk all its rows once per report per rule. The last
    file's answer is kept with the file itself (so its identity cannot be reused) and the
    count of its tables and rows (so rows added since are seen)."""
    last: list = [None]  # one (file, size, answer) tuple, read and replaced whole: safe across threads

    def wrapper(parsed):
        size = (len(parsed.tables), sum(len(r.indicators) for r in parsed.reports))
        cur = last[0]
        if cur is None or cur[0] is not parsed or cur[1] != size:
            cur = (parsed, size, fn(parsed))
            last[0] = cur
        return cur[2]

    wrapper.__doc__, wrapper.__name__ = fn.__doc__, fn.__name__
    return wrapper


@_per_file
def rows_reliable(parsed) -> bool:
    """Whether every indicator row of the file can be trusted to add up: tables rebuilt
    from a PDF's layout text may merge overflowing cells, and a partial table (an excerpt
    that starts below its header) lacks rows, so sums over their rows are skipped.  Ruled
    tables a PDF reader extracted are as reliable as a .docx table."""
    layout_pdf = parsed.source.format == "pdf" and not parsed.source.tables  # rows rebuilt from layout text
    return not layout_pdf and not any(t.partial for t in parsed.tables)


def rows_complete(parsed) -> bool:
    """Whether the rows read are all of the form's rows, so that sums over them hold: reliable
    rows, and no label stubs among them (see :func:`_label_stubs`)."""
    return rows_reliable(parsed) and not _label_stubs(parsed)


@_per_file
def _label_stubs(parsed) -> bool:
    """Whether rows were read from the pieces of a label written down the page (a scan's 效 /
    指标 / 标 on lines of their own): a row of one or two characters with no figure at all
    means the form's lines were not read as its rows."""
    return any(len("".join(r.level3.text.split())) <= 2 and r.target is None and r.actual is None
               and r.weight is None and r.score is None
               for rep in parsed.reports for r in rep.indicators)


def fmt(v: float, digits: int = 2) -> str:
    """``94.0`` → ``'94'``; ``46.0789`` → ``'46.08'``."""
    s = f"{v:.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


def decimals(token: str) -> int:
    """Decimal places written in a number token (``'99. 41%'`` → 2)."""
    t = token.replace(" ", "")
    m = re.search(r"\.(\d+)", t)
    return len(m.group(1)) if m else 0


def rounding_tol(token: str, floor: float) -> float:
    """Half a unit of the last written digit, at least ``floor``: a stated ``90%`` is right
    for anything from 89.5% to 90.5%."""
    return max(floor, 0.5 * 10 ** (-decimals(token)) + 1e-9)


@lru_cache(maxsize=8)
def _sentence_ends(text: str) -> list[int]:
    """Positions of every sentence end (。！？； or newline) of ``text``, found once per text
    so that :func:`sentence_at` costs a bisection, not a rescan of a long line."""
    return [m.start() for m in SENT_END.finditer(text)]


def sentence_at(text: str, pos: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The sentence (between 。！？；, their half-width forms, or newlines) containing ``pos``."""
    hi = len(text) if hi is None else hi
    ends = _sentence_ends(text)
    i = bisect.bisect_left(ends, pos)
    s = pos if pos <= lo else max(lo, ends[i - 1] + 1 if i else lo)
    e = pos if pos >= hi else min(hi, ends[i] if i < len(ends) else hi)
    if e < hi and text[e] in "。！？；;!?":
        e += 1
    return s, e


COMMAS = "，,"  # a clause ends at a comma, full- or half-width as real pages have it


def clause_start(text: str, lo: int, pos: int, stops: str = COMMAS) -> int:
    """Where the clause holding ``pos`` begins: just after the last of ``stops`` in
    ``text[lo:pos]``, or ``lo`` (a sentence start) when there is none."""
    return max(lo, *(text.rfind(c, lo, pos) + 1 for c in stops))


def clause_end(text: str, pos: int, hi: int, stops: str = COMMAS) -> int:
    """Where the clause holding ``pos`` ends: at the first of ``stops`` in ``text[pos:hi]``,
    or ``hi`` (a sentence end) when there is none."""
    return min((i for i in (text.find(c, pos, hi) for c in stops) if i >= 0), default=hi)


CUT_REACH = 60  # non-space characters: a block the cut falls this close after is the block the text stops in


def stops_in(report: Report, text: str, pos: int) -> bool:
    """Whether the report's text is cut off within a few characters after ``pos`` (the end of a
    table row or block): what belongs to the block may lie past the cut."""
    cut = report.truncated_at
    return cut is not None and pos <= cut and len("".join(text[pos:cut].split())) <= CUT_REACH


def results_all_shown(report: Report) -> bool:
    """Whether the text holds every result the report gives: it is not cut off, or it is cut
    only after its 存在问题 or 改进措施 heading (the results come before them)."""
    return report.truncated_at is None or any(sec.kind in ("problems", "measures") for sec in report.sections)


def rows_cut(report: Report) -> bool:
    """Whether the text stops inside the indicator table, before its 总分 row: the rows seen
    are not all the rows."""
    if report.truncated_at is None or not report.indicators:
        return False
    if any(s.level == 0 and s.score is not None for s in report.subtotals):
        return False
    return report.truncated_at > min(r.row.start for r in report.indicators)


def cut_figure(report: Report, text: str, ref, full: float) -> bool:
    """Whether the figure ``ref`` is the last thing in the report's text and reads as the first
    digits of ``full`` (总分 100 9 where the rows give 98.9): the text was cut inside it."""
    if text[ref.end:report.end].strip(" \t\r\n|｜"):
        return False
    digits, whole = re.sub(r"\D", "", ref.text), re.sub(r"\D", "", fmt(full))
    return bool(digits) and whole.startswith(digits) and digits != whole


def paragraph_at(text: str, pos: int, lo: int = 0, hi: int | None = None) -> tuple[int, int]:
    """The line/paragraph containing ``pos``."""
    hi = len(text) if hi is None else hi
    s = text.rfind("\n", lo, pos) + 1
    s = max(s, lo)
    e = text.find("\n", pos, hi)
    return s, (hi if e < 0 else e)


def table_spans(report: Report, parsed) -> list[tuple[int, int]]:
    """The (start, end) ranges of the report's tables."""
    return [(parsed.tables[i].start, parsed.tables[i].end) for i in report.tables]


def in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)
