"""Indicators stated in prose: "X年初指标值为不低于180人次，全年实际完成值164人次".

Narrative-only reports (转移支付 self-evaluations above all) give their indicators as
sentences instead of a table.  Each target/actual pair becomes an :class:`IndicatorRow`
without weight or score, so the rules that compare a result with its target (shortfalls,
"全面完成" claims) read prose and tables alike.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterator

from reviewer.models import IndicatorRow, TextRef
from reviewer.lazy_re import lazy

# Blanks are bounded ({0,8}): the name and the values may hold blanks themselves, and an
# unbounded \s* between them rescanned a run of blanks from every start (issue 15).
PAIR = lazy(
    r"(?P<name>[^，。；;:：,\n]{2,40}?)?[，,]?\s{0,8}(?:年初|年度|计划)?(?:绩效)?(?:指标值|目标值)\s{0,8}(?:为|是|[:：])?\s{0,8}"
    r"(?P<target>(?:[^，。；;,\n]|(?<=\d),(?=\d{3})){1,24}?)\s{0,8}[，,；;]\s{0,8}(?:全年|年度|年末)?实际(?:完成值|完成情况|完成|值)?\s{0,8}(?:为|是|[:：])?\s{0,8}"
    r"(?P<actual>(?:[^，。；;,\n]|(?<=\d),(?=\d{3})){1,24})")  # (a thousands separator is no clause break: 1,600人次)
_LEAD = lazy(r"^(?:第[一二三四五六七八九十\d]+|[一二三四五六七八九十]+是|\d+[、.．])[，,、]?")


def _ref(text: str, s: int, e: int) -> TextRef:
    while s < e and text[s] in " \t\u3000":
        s += 1
    while e > s and text[e - 1] in " \t\u3000。":
        e -= 1
    return TextRef(text=text[s:e], start=s, end=e)


_KEY = lazy(r"指标值|目标值")
_BEFORE_KEY, _AFTER_KEY = 60, 220  # a PAIR match reaches at most 49 characters before its key word, ~130 after


def _pairs(text: str, start: int, end: int) -> list[re.Match]:
    """PAIR matches, searched only in windows around the key words 指标值/目标值 (most
    reports have none), so a long line without them costs one scan for the key."""
    windows: list[list[int]] = []
    for k in _KEY.finditer(text, start, end):
        ws, we = max(start, k.start() - _BEFORE_KEY), min(end, k.end() + _AFTER_KEY)
        if windows and ws <= windows[-1][1]:
            windows[-1][1] = we
        else:
            windows.append([ws, we])
    return [m for ws, we in windows for m in PAIR.finditer(text, ws, we)]


# a planned count and its actual in one sentence: "年度计划培训1,000人次,实际培训860人次",
# "计划改造农户300户，实际完成280户" (the same unit on both sides)
_QTY = r"\d[\d,，]*(?:\.\d+)?"
PLAN_PAIR = lazy(
    r"(?:年度|全年|年初)?(?:计划|目标任务为?)(?:完成)?(?P<name>[^\d，,。；;:：\n]{1,12}?)\s{0,2}"
    rf"(?P<target>{_QTY}\s{{0,2}}(?P<unit>[^\d\s，,。；;、（(]{{1,3}}?))\s{{0,2}}[，,；;]\s{{0,4}}"
    r"(?:全年|年度)?实际(?:完成|已)?(?:[^\d，,。；;\n]{0,12}?)\s{0,2}"
    rf"(?P<actual>{_QTY}\s{{0,2}}(?P=unit))")
_PLAN_KEY = lazy(r"计划|目标任务")
# the other order: the result, then its target: "修缮完工文物建筑3处，年度目标5处"
RESULT_THEN_TARGET = lazy(
    rf"(?P<name>[\u4e00-\u9fff]{{2,16}}?)\s{{0,2}}(?P<actual>{_QTY}\s{{0,2}}(?P<unit>[^\d\s，,。；;、（(]{{1,3}}?))\s{{0,2}}[，,；;（(]\s{{0,2}}"
    rf"(?:年度|全年|年初)?(?:目标|计划)(?:任务|数|值)?(?:为|是|[:：])?\s{{0,2}}(?P<target>{_QTY}\s{{0,2}}(?P=unit))(?![\d.])")
_TARGET_KEY = lazy(r"(?:年度|全年|年初)?(?:目标|计划)")


def _pairs_at_keys(text: str, start: int, end: int, key: re.Pattern, pair: re.Pattern, before: int, after: int,
                   holds) -> list[re.Match]:
    """``pair`` matches searched only in a window around each ``key`` word (``before`` and
    ``after`` characters), kept when ``holds(match, key)``; windows a kept pair covers are skipped."""
    out = []
    last = start
    for k in key.finditer(text, start, end):
        if k.start() < last:
            continue
        m = pair.search(text, max(start, k.start() - before), min(end, k.end() + after))
        if m and holds(m, k):
            out.append(m)
            last = m.end()
    return out


def _plan_pairs(text: str, start: int, end: int) -> list[re.Match]:
    return _pairs_at_keys(text, start, end, _PLAN_KEY, PLAN_PAIR, 4, 90, lambda m, k: m.start() <= k.start())


# a target in a goal sentence: "设施正常运行率≥90%", "受益群众满意度不低于90%"; and the same name's
# result in another sentence: "设施正常运行率为85%"
# (not 绩效目标完成情况: that heading opens the results; nor a mention, 未达到…的年度目标，
# 较年度目标增加0.4万人)
GOAL_SENTENCE = lazy(r"(?<![的较比过于])(?:绩效|年度|总体|预期)目标(?!\s*(?:完成|实现|执行|落实|达成)?情况|完成|实现|[，,])|目标(?:为|是|[:：])")
# a goal's target: an operator before the figure (不少于210人) or 以上 after it (1,200人次以上)
GOAL_ITEM = lazy(r"(?P<name>[\u4e00-\u9fff]{3,14}?)\s{0,2}(?P<target>(?P<op>(?:≥|≤|>=|<=|不低于|不少于|不高于|不超过|达到)\s{0,2})?"
                 r"\d[\d,]*(?:\.\d+)?\s{0,2}(?P<unit>%|％|[\u4e00-\u9fff]{1,2}?(?=(?:及)?以上|[，,。；;、\s)）]|$))"
                 r"(?P<above>(?:及)?以上)?)")
_NAME_LEAD = lazy(r"^(?:完成|实现|确保|保障|力争|全年|年度|其中|并|且|使|将)+")


_HEAD_END = lazy(r"[。．.:：]?\s*")
_RESULT_AFTER_NAME = lazy(r"\s{0,2}(?:为|达到|达|是|[:：])?\s{0,2}(?P<num>\d[\d,]*(?:\.\d+)?)\s{0,2}")


def _results_named(text: str, key: str, unit: str, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """Each ``key`` in ``text[start:end]`` directly followed by a number in ``unit``
    (满意度为96%): (start of the name, start and end of the number with its unit)."""
    pos = text.find(key, start, end)
    while pos >= 0:
        m = _RESULT_AFTER_NAME.match(text, pos + len(key), end)
        if m and text.startswith(unit, m.end(), end):
            yield pos, m.start("num"), m.end() + len(unit)
            pos = text.find(key, m.end() + len(unit), end)
        else:
            pos = text.find(key, pos + 1, end)


class _NamedResults:
    """The results stated under each name (:func:`_results_named`, outside ``skip``), found
    once per name and unit however many goals ask for them: a file of many like goals costs
    one scan per distinct name, not one per goal."""

    def __init__(self, text: str, start: int, end: int, skip: list[tuple[int, int]]):
        self.text, self.start, self.end, self.skip = text, start, end, skip
        self._hits: dict[tuple[str, str], tuple[list[int], list[tuple[int, int, int]]]] = {}

    def outside(self, key: str, unit: str, span: tuple[int, int]) -> tuple[int, tuple[int, int, int] | None]:
        """How many results are stated under ``key`` outside ``span`` (the goal's own sentence),
        and the one a goal takes: the first after the span, else the first before it (a figure
        before the goal is the project's scope, a result comes after it)."""
        if (key, unit) not in self._hits:
            hits = [h for h in _results_named(self.text, key, unit, self.start, self.end)
                    if not any(s <= h[0] < e for s, e in self.skip)]
            self._hits[key, unit] = ([h[0] for h in hits], hits)
        starts, hits = self._hits[key, unit]
        lo, hi = bisect.bisect_left(starts, span[0]), bisect.bisect_right(starts, span[1])
        n = len(hits) - (hi - lo)
        if not n:
            return 0, None
        return n, hits[hi] if hi < len(hits) else hits[0]


def _goal_pairs(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> list[IndicatorRow]:
    """A target set in a goal sentence and the same indicator's result stated elsewhere."""
    out: list[IndicatorRow] = []
    figures = _Figures(text, start, end, skip)
    named = _NamedResults(text, start, end, skip)
    for g in GOAL_SENTENCE.finditer(text, start, end):
        if any(s <= g.start() < e for s, e in skip):
            continue
        # a heading (（二）绩效目标。 or 绩效目标：) ends where its goals begin
        gs = g.end() + len(_HEAD_END.match(text, g.end(), end).group())
        se = min((i for i in (text.find(c, gs, end) for c in "。\n") if i >= 0), default=end)
        out.extend(_noun_pairs(text, (gs, se), end, figures))
        for m in GOAL_ITEM.finditer(text, gs, se):
            name = _NAME_LEAD.sub("", m.group("name"))
            # a figure with no operator is a target only when its result is stated under the
            # goal's very name (采取食堂供餐的学校46所 … 采取食堂供餐的学校43所)
            bare = not (m.group("op") or m.group("above"))
            if len(name) < (5 if bare else 3):
                continue
            unit = m.group("unit").replace("％", "%")
            # the result may drop the name's qualifier (受益群众满意度 → 满意度): a shorter tail of
            # the name counts only when it is found once
            # but not when the name is per unit (每村年均…服务费): the tail alone names the total
            tails = () if re.search(r"每|均", name) else \
                tuple(name[-k:] for k in range(len(name) - 1, 4, -1)) if bare else (name[-4:], name[-3:])
            for key in dict.fromkeys((name, *tails)):
                n, hit = named.outside(key, unit, (g.start(), se))
                if hit and (key == name or n == 1):
                    r, a_lo, a_hi = hit
                    out.append(IndicatorRow(level3=_ref(text, r, r + len(key)),
                                            target=_ref(text, m.start("target"), m.end("target")),
                                            actual=_ref(text, a_lo, a_hi), row=_ref(text, r, a_hi)))
                    break
            else:
                if not bare and (row := _result_by_unit(text, name, unit, m, (g.start(), se), start, end, figures)) is not None:
                    out.append(row)
    return out


# a goal that names what it counts after the figure: 为不少于1,500名老年人提供上门服务
TARGET_THEN_NOUN = lazy(r"(?P<target>(?:不少于|不低于|≥|>=|达到)\s{0,2}\d[\d,]*(?:\.\d+)?\s{0,2}(?P<unit>万?(?:名|人次|人|户|个|家|所|座|处|辆|台|套)))"
                        r"(?P<noun>[\u4e00-\u9fff]{2,6})")


class _Figures:
    """Every figure written in one unit in ``text[start:end]`` (1,214具), found once per unit
    however many goals ask for it: the goals of a long file cost one scan each, not one scan
    of the file each."""

    def __init__(self, text: str, start: int, end: int, skip: list[tuple[int, int]]):
        self.text, self.start, self.end, self.skip = text, start, end, skip
        self._by_unit: dict[str, list[tuple[int, int]]] = {}

    def of(self, unit: str, noun: str = "") -> list[tuple[int, int]]:
        """The figures in ``unit`` (followed by ``noun`` when given), in text order."""
        key = unit + "\0" + noun
        if key not in self._by_unit:
            if noun:
                self._by_unit[key] = [(a, b) for a, b in self.of(unit) if self.text.startswith(noun, b)]
            else:
                rx = re.compile(rf"(?<![\d.,])\d[\d,]*(?:\.\d+)?\s{{0,2}}{re.escape(unit)}")
                self._by_unit[key] = [(m.start(), m.end()) for m in rx.finditer(self.text, self.start, self.end)
                                      if not any(s <= m.start() < e for s, e in self.skip)]
        return self._by_unit[key]

    def outside(self, unit: str, span: tuple[int, int], noun: str = "") -> list[tuple[int, int]] | None:
        """The figures outside ``span`` when there is exactly one (or none), else None: a goal
        among many like it learns that without walking all of them."""
        spans = self.of(unit, noun)
        lo = bisect.bisect_left(spans, (span[0], -1))
        hi = bisect.bisect_right(spans, (span[1], len(self.text) + 1))
        if len(spans) - (hi - lo) > 1:
            return None
        return spans[:lo] + spans[hi:]


def _noun_pairs(text: str, goal_span: tuple[int, int], end: int, figures: _Figures) -> list[IndicatorRow]:
    """Goals written figure first (为不少于1,500名老年人提供…) and the one result elsewhere that
    counts the same noun in the same unit (为1,386名老年人提供…)."""
    out = []
    gs, ge = goal_span
    for m in TARGET_THEN_NOUN.finditer(text, gs, ge):
        noun = m.group("noun")[:3]
        hits = figures.outside(m.group("unit"), (gs, ge), noun)
        if hits is None or len(hits) != 1:
            continue
        (a, b), = hits
        out.append(IndicatorRow(level3=_ref(text, m.start("noun"), m.start("noun") + len(noun)),
                                target=_ref(text, m.start("target"), m.end("target")),
                                actual=_ref(text, a, b), row=_ref(text, a, min(end, b + len(noun)))))
    return out


# units too common to tie a result to a goal by the unit alone
_COMMON_UNITS = frozenset("% 元 万元 亿元 年 月 日 天 个 人 次 项 分 名 户 家".split())


def _result_by_unit(text: str, name: str, unit: str, goal: re.Match, goal_span: tuple[int, int],
                    start: int, end: int, figures: _Figures) -> IndicatorRow | None:
    """The result of a goal whose name is worded differently where the result is stated
    ("补贴遗体火化不少于1,300具" … "为1,214具遗体发放火化补贴"): the one other figure in the
    goal's uncommon unit, with two characters of the goal's name beside it."""
    if unit in _COMMON_UNITS:
        return None
    found = []
    for a, b in figures.outside(unit, goal_span) or []:
        if re.match(r"\s{0,2}/|[每/]", text[b:b + 2]) or text[max(start, a - 1):a] in "每/":
            continue  # a rate per unit (1,000元/具, 每具), not a count
        found.append((a, b))
    if len(found) != 1:
        return None
    a, b = found[0]
    lo, hi = max(start, a - 12), min(end, b + 12)
    near = re.sub(r"\s+", "", text[lo:hi])
    if not any(name[k:k + 2] in near for k in range(len(name) - 1)):
        return None
    return IndicatorRow(level3=TextRef(text=name, start=goal.end("name") - len(name), end=goal.end("name")),
                        target=_ref(text, goal.start("target"), goal.end("target")),
                        actual=_ref(text, a, b), row=_ref(text, lo, hi))


def _result_target_pairs(text: str, start: int, end: int) -> list[re.Match]:
    return _pairs_at_keys(text, start, end, _TARGET_KEY, RESULT_THEN_TARGET, 40, 30,
                          lambda m, k: m.start("actual") < k.start() < m.start("target"))


def find_prose_indicators(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> list[IndicatorRow]:
    """Target/actual pairs written in sentences of ``text[start:end]`` outside ``skip``
    (the report's tables)."""
    out: list[IndicatorRow] = []
    seen: set[tuple[int, int]] = set()
    for r in _goal_pairs(text, start, end, skip):  # a goal sentence found twice (绩效目标。…目标为：)
        if (r.target.start, r.actual.start) not in seen:
            seen.add((r.target.start, r.actual.start))
            out.append(r)
    for m in _plan_pairs(text, start, end):
        if any(s <= m.start() < e for s, e in skip) or "元" in m.group("unit"):
            continue  # money planned and spent is the funds' execution, not an indicator
        out.append(IndicatorRow(level3=_ref(text, m.start("name"), m.end("name")),
                                target=_ref(text, m.start("target"), m.end("target")),
                                actual=_ref(text, m.start("actual"), m.end("actual")), row=_ref(text, m.start(), m.end())))
    for m in _result_target_pairs(text, start, end):
        if any(s <= m.start() < e for s, e in skip) or "元" in m.group("unit"):
            continue
        lead = _NAME_LEAD.match(m.group("name"))
        ns = m.start("name") + (lead.end() if lead else 0)
        out.append(IndicatorRow(level3=_ref(text, ns, m.end("name")),
                                target=_ref(text, m.start("target"), m.end("target")),
                                actual=_ref(text, m.start("actual"), m.end("actual")), row=_ref(text, ns, m.end())))
    for m in _pairs(text, start, end):
        if any(s <= m.start() < e for s, e in skip):
            continue
        if m.group("name"):
            ns, ne = m.start("name"), m.end("name")
            lead = _LEAD.match(text[ns:ne])
            if lead:
                ns += lead.end()
        else:
            ns = ne = m.start("target")
        name = _ref(text, ns, ne)
        out.append(IndicatorRow(level3=name, target=_ref(text, m.start("target"), m.end("target")),
                                actual=_ref(text, m.start("actual"), m.end("actual")),
                                row=_ref(text, ns if name.text else m.start(), m.end())))
    return out
