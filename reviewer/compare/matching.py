"""Pairing the reports of OLD with those of NEW.

Evidence, each in 0..1: the project's name (difflib ratio of the names with the unit and
generic words taken off; a name contained in the other counts as 0.95), the content
(Jaccard similarity of character 4-grams of the whole text), the unit, and the year (the
same year: a revision; the next year: the previous year's report). Pairs are taken best
first, each report at most once. A pair needs similar content, or a similar name backed
by some shared content or the same unit; two different names (reports of one unit written
from one template) pair only on nearly identical content; years more than one apart never pair.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from reviewer.compare.models import ReportMatch
from reviewer.compare.sides import SideReport

SHINGLE = 4
W_CONTENT, W_NAME, W_ORG, W_YEAR = 0.5, 0.3, 0.1, 0.1
MIN_CONTENT = 0.6  # content alone is enough above this
MIN_NAME = 0.75  # a name this similar pairs with some shared content or the same unit
MIN_CONTENT_WITH_NAME = 0.15
MIN_NAME_ANY = 0.5  # two stated names less similar than this pair only on nearly identical content
MIN_CONTENT_OTHER_NAME = 0.85

_GENERIC = re.compile(r"\d{4}\s*年度?|项目支出|绩效自评报告|自评报告|支出|项目|经费|资金|费用|关于|的|\s")
_SPACE = re.compile(r"\s+")


def _name(rep: SideReport) -> str:
    name = rep.report.project or rep.report.title or ""
    org = rep.report.organisation or ""
    if org and name.startswith(org):
        name = name[len(org):]
    return _GENERIC.sub("", name)


def name_similarity(a: SideReport, b: SideReport) -> float:
    x, y = _name(a), _name(b)
    if not x or not y:
        return 0.0
    if x == y:
        return 1.0
    if x in y or y in x:
        return 0.95
    return SequenceMatcher(None, x, y, autojunk=False).ratio()


def _shingles(text: str) -> set[str]:
    t = _SPACE.sub("", text)
    return {t[i:i + SHINGLE] for i in range(max(0, len(t) - SHINGLE + 1))}


def content_similarity(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _same_org(a: SideReport, b: SideReport) -> bool | None:
    x, y = a.report.organisation, b.report.organisation
    if not x or not y:
        return None
    return x == y


def match_reports(old: list[SideReport], new: list[SideReport]) -> tuple[list[ReportMatch], list[int], list[int]]:
    """``(matches, unmatched old indexes, unmatched new indexes)``; matches in NEW's order."""
    sh_old = [_shingles(r.text) for r in old]
    sh_new = [_shingles(r.text) for r in new]
    cands: list[tuple[float, int, int, ReportMatch]] = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            ya, yb = a.report.year, b.report.year
            if ya is not None and yb is not None and not 0 <= yb - ya <= 1:
                continue
            name = name_similarity(a, b)
            content = content_similarity(sh_old[i], sh_new[j])
            org = _same_org(a, b)
            if not (content >= MIN_CONTENT or (name >= MIN_NAME and (content >= MIN_CONTENT_WITH_NAME or org))):
                continue
            if _name(a) and _name(b) and name < MIN_NAME_ANY and content < MIN_CONTENT_OTHER_NAME:
                continue  # two projects written from one template: the names must agree
            year_ok = 1.0 if ya is None or yb is None or ya == yb or yb == ya + 1 else 0.0
            score = W_CONTENT * content + W_NAME * name + W_ORG * (1.0 if org else 0.0) + W_YEAR * year_ok
            yoy = ya is not None and yb is not None and yb == ya + 1
            reasons = [f"项目名称相似度 {name:.2f}（“{_name(a)}” / “{_name(b)}”）", f"内容相似度 {content:.2f}"]
            if org is not None:
                reasons.append("单位相同" if org else f"单位不同（{a.report.organisation} / {b.report.organisation}）")
            if ya is not None and yb is not None:
                reasons.append(f"{ya}年度 → {yb}年度（上一年度的报告）" if yoy else f"同为{ya}年度")
            m = ReportMatch(old=a.key, new=b.key, kind="上年报告" if yoy else "修订稿", score=round(score, 3),
                            name_similarity=round(name, 3), content_similarity=round(content, 3),
                            same_organisation=org, reasons=reasons)
            cands.append((score, i, j, m))
    cands.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    chosen: list[tuple[int, int, ReportMatch]] = []
    for _, i, j, m in cands:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        chosen.append((i, j, m))
    chosen.sort(key=lambda c: c[1])
    return ([m for _, _, m in chosen], [i for i in range(len(old)) if i not in used_old],
            [j for j in range(len(new)) if j not in used_new])
