"""Sentence units of a report with their role, the raw material of the boilerplate checks.

A unit is one sentence (split on 。！？； and newlines) of the narrative or of a table
cell, with its offsets, the section kind it belongs to and whether it sits in a part
where a report must be specific (*target*: 绩效目标完成情况/效益分析, 自评结论, 存在问题,
改进措施, 偏差原因, 实际完成情况) or in a part that states goals (*goal*).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reviewer.models import ParsedFile, Report
from vectorstore.chunking import is_header_row, report_tables, section_of
from vectorstore.textutil import bigrams, norm, paragraph_spans, sentence_spans, squash
from reviewer.lazy_re import lazy

TARGET_KINDS = {"performance", "conclusion", "problems", "measures"}
TARGET_LABEL = lazy(r"实际完成|完成情况|问题|措施|建议|偏差|原因|结论|情况及分析|情况说明|主要经验")
GOAL_LABEL = lazy(r"预期目标|设定目标|年度目标|绩效目标|总体目标|目标任务")
PROBLEM_LABEL = lazy(r"问题")
MEASURE_LABEL = lazy(r"措施|建议")
MIN_UNIT = 12  # normalised characters


@dataclass
class Unit:
    start: int
    end: int
    text: str
    section: str  # section kind; table cells get the kind from their label when they have one
    role: str  # target | goal | other
    cell: bool = False
    label: str = ""  # row label / column header of a table cell
    n: str = ""  # normalised text
    sh: set = field(default_factory=set)

    @property
    def size(self) -> int:
        return len(self.n)


def cell_context(report: Report, parsed: ParsedFile):
    """Yield (cell, label) for every non-empty table cell of the report; the label is
    the row label before the cell and the column header above it."""
    for t in report_tables(parsed, report):
        header = None
        for row in t.rows:
            cells = [c for c in row if not c.merged_up and c.text.strip()]
            if not cells:
                continue
            if is_header_row(cells):
                header = cells
                continue
            prev = ""
            for c in cells:
                col_h = ""
                if header:
                    for h in header:
                        if h.col <= c.col < h.col + max(1, h.col_span):
                            col_h = squash(h.text)
                            break
                yield c, (prev + "｜" + col_h) if prev or col_h else ""
                t_ = squash(c.text)
                if len(t_) <= 20:
                    prev = t_


def report_units(parsed: ParsedFile, report: Report) -> list[Unit]:
    text = parsed.source.text
    tables = report_tables(parsed, report)
    table_ranges = [(t.start, t.end) for t in tables]
    heads = [(s.heading.start, s.heading.end) for s in report.sections]
    units: list[Unit] = []
    for para in paragraph_spans(text, report.start, report.end):
        if any(a <= para.start < b for a, b in table_ranges) or any(a <= para.start and para.end <= b for a, b in heads):
            continue
        kind, _ = section_of(report, para.start)
        role = "target" if kind in TARGET_KINDS else "goal" if kind == "goals" else "other"
        for s in sentence_spans(text, para.start, para.end):
            units.append(Unit(s.start, s.end, text[s.start:s.end], kind, role))
    reasons = [(r.reason.start, r.reason.end) for r in report.indicators if r.reason is not None]
    for c, label in cell_context(report, parsed):
        if len(squash(c.text)) < MIN_UNIT:
            continue
        kind, _ = section_of(report, c.start)
        is_reason = any(a <= c.start < b for a, b in reasons)
        if is_reason or TARGET_LABEL.search(label):
            role = "target"
            if PROBLEM_LABEL.search(label):
                kind = "problems"
            elif MEASURE_LABEL.search(label) or is_reason:
                kind = "measures" if not is_reason else "reason"
            elif kind not in TARGET_KINDS:
                kind = "performance"
        elif GOAL_LABEL.search(label):
            role = "goal"
        else:
            role = "other"
        for s in sentence_spans(text, c.start, c.end):
            units.append(Unit(s.start, s.end, text[s.start:s.end], kind, role, cell=True, label=label))
    units.sort(key=lambda u: u.start)
    for u in units:
        u.n = norm(u.text)  # u.sh (3-character shingles) is computed where used: a report alone needs none
    return units


_TITLE_NOISE = lazy(
    r"关于|项目支出|财政支出|绩效自评报告|自评报告|绩效自评|支出绩效|绩效|项目|专项|经费|资金|费用|支出|的|\d{4}年度?|年度")


def title_core(report: Report) -> str:
    """The distinctive part of a report's title (the project), for same-project tests."""
    t = norm(report.project or "") or norm(report.title or "")
    if report.organisation:
        t = t.replace(norm(report.organisation), "")
    return _TITLE_NOISE.sub("", t)


def same_project(a: Report, b: Report) -> bool:
    """Two reports on the same project (e.g. a revised version of one report)."""
    ca, cb = title_core(a), title_core(b)
    if len(ca) < 3 or len(cb) < 3:
        return False
    if a.organisation and b.organisation and norm(a.organisation) != norm(b.organisation):
        return False
    ba, bb = bigrams(ca), bigrams(cb)
    small, big = (ba, bb) if len(ba) <= len(bb) else (bb, ba)
    return len(small & big) / max(1, len(small)) >= 0.8
