"""``compare_paths``: read and review both sides, match their reports, align each pair,
classify the findings and find carried-over passages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from reviewer.batch.session import Session
from reviewer.compare.align import PairAlignment, align_pair, make_pair
from reviewer.compare.carryover import carried_over_pair
from reviewer.compare.findings import classify_pair, only_new_findings
from reviewer.compare.matching import match_reports
from reviewer.compare.models import CompareResult
from reviewer.compare.sides import LoadedSide, SideReport, load_side


@dataclass
class Comparison:
    """The result plus what the writers need to show the texts (both sides, each pair)."""

    result: CompareResult
    old: LoadedSide
    new: LoadedSide
    pairs: list[PairAlignment] = field(default_factory=list)


def _find(side: LoadedSide, file: str, index: int) -> SideReport:
    return next(r for r in side.reports if r.key.file == file and r.key.index == index)


def compare_sides(old: LoadedSide, new: LoadedSide) -> Comparison:
    """Everything after reading: matching, alignment, findings, carried-over passages."""
    matches, only_old, only_new = match_reports(old.reports, new.reports)
    result = CompareResult(old=old.summary, new=new.summary, matches=matches,
                           only_old=[old.reports[i].key for i in only_old],
                           only_new=[new.reports[j].key for j in only_new])
    cmp = Comparison(result=result, old=old, new=new)
    for k, m in enumerate(matches):
        pa = make_pair(k, _find(old, m.old.file, m.old.index), _find(new, m.new.file, m.new.index))
        cmp.pairs.append(pa)
        result.changes.extend(align_pair(pa))
        result.findings.extend(classify_pair(pa))
        if m.kind == "上年报告":
            result.carried_over.extend(carried_over_pair(pa))
    for j in only_new:
        result.findings.extend(only_new_findings(new.reports[j]))
    return cmp


def compare_paths(old_paths: list[str], new_paths: list[str], session_for: Callable[[], Session]) -> Comparison:
    """Compare the reports of ``old_paths`` with those of ``new_paths`` (files or folders).
    ``session_for`` opens a fresh session per side (see :mod:`reviewer.compare.sides`)."""
    old = load_side("old", old_paths, session_for())
    new = load_side("new", new_paths, session_for())
    return compare_sides(old, new)
