"""Rules comparing the narrative with the 自评表 and with itself: rates, dates, counts, claims."""

from __future__ import annotations

import bisect
import re
from datetime import date
from typing import Iterator

from reviewer.checks._common import (clause_end, clause_start, fmt, in_spans, paragraph_at, rounding_tol,
                                     rows_cut, sentence_at, table_spans)
from reviewer.checks._narrative import (
    SYNONYM,
    ACT_AFTER_DATE,
    ACT_RE,
    ALL_DONE,
    DELAY_WORDS,
    DONE_EVENT,
    NARR_RATE,
    PLAN_ACT,
    PLAN_BEFORE,
    PLAN_WORDS,
    QTY_RE,
    QTY_TOTAL,
    QTY_UNITS,
    QUALITY_ADMIT,
    RANGE,
    ALLOCATED_ALL,
    SPENT_ALL,
    WRONG_YEAR_PARA,
    _amounts,
    _bigrams,
    in_units,
    _date,
    _money_tol,
    _narrative_percents,
    _overlap,
    _unit,
)
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.checks.completeness import goal_blocks
from reviewer.llm.numbers import cn_to_number
from reviewer.models import IndicatorRow, Report
from reviewer.structure.funds import total_row
from reviewer.structure.sections import innermost_section
from reviewer.structure.numbers import NUM, to_float
from reviewer.lazy_re import lazy


@rule("D37", "计划与实际日期", kind="contradiction", severity="warning")
def planned_vs_actual(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """When the actual date of an event (开工, 完工 …) is later than planned, the report
    explains the delay and the 时效 indicator reflects it.

    Bad:  计划开工日期：2023年7月13日 … 实际开工时间为：2023年7月29日 (no word on the delay)
    Good: … 实际开工时间为2023年7月29日，因雨季推迟16天，时效指标相应扣分
    """
    text = ctx.text
    if DELAY_WORDS.search(text, report.start, report.end):
        return
    late: list[tuple[re.Match, re.Match, date, date]] = []
    plans = sorted(list(PLAN_ACT.finditer(text, report.start, report.end)) + list(PLAN_BEFORE.finditer(text, report.start, report.end)),
                   key=lambda m: m.start())
    for p in plans:
        planned = _date(p, 1, report.year)
        if planned is None:
            continue
        window = min(report.end, p.end() + 600)
        cands = sorted(list(ACT_RE.finditer(text, p.end(), window)) + list(ACT_AFTER_DATE.finditer(text, p.end(), window)),
                       key=lambda m: m.start())
        for a in cands:
            ev1, ev2 = p.group("ev1"), a.group("ev2")
            if ev2 is not None and ev2 != ev1 and {ev2, ev1} != {"竣工", "完工"}:
                continue
            if ev2 is None and ev1 != "开工":
                continue
            actual = _date(a, 2, planned.year)
            if actual is not None and actual > planned:
                late.append((p, a, planned, actual))
            break
    if late:
        from reviewer.checks.deviation_reasons import GENERIC_CAUSE

        desc = "；".join(f"计划{p.group('ev1')}{pl.month}月{pl.day}日、实际{ac.month}月{ac.day}日，推迟{(ac - pl).days}天"
                        for p, a, pl, ac in late)
        ev = [x for p, a, _, _ in late for x in ((p.start(), p.end()), (a.start(), a.end()))]
        # a cause given in the actual date's own sentence, if one that could be said of any project
        _, e = sentence_at(text, late[0][1].start(), report.start, report.end)
        generic = GENERIC_CAUSE.search(text, late[0][1].end(), e)
        if generic is not None:
            yield Finding(message=f"{desc}；原因只写“{generic.group()}”，没有说明是什么原因", evidence=ev + [(generic.start(), generic.end())],
                          expected="说明具体的延期原因", stated=generic.group(), kind="vague_problems")
            return
        yield Finding(message=f"{desc}；报告未说明原因，时效指标也未反映", evidence=ev,
                      expected="说明延期原因并据实评价时效", stated="延期未说明")


@rule("D19", "正文与表格/正文内部数字不符", kind="contradiction", severity="error")
def narrative_vs_facts(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Budget, execution and rate stated in the narrative agree with each other and with
    the 自评表: 执行率 = 执行数 ÷ 预算数; 预算数 in the text = 预算数 in the table.

    Bad:  全年预算数80万元，执行数71.92万元，预算执行率95%
    Good: 全年预算数80万元，执行数71.92万元，预算执行率89.9%
    """
    text = ctx.text
    amounts = _amounts(report, ctx)
    # (not a part the budget is made of: 调整后预算由省级补助1,200.00万元和县级资金900.00万元组成)
    budgets = [a for a in amounts if re.search(r"全年预算|调整后预算|预算资金|年初预算|预算为|预算安排|资金预算|项目预算", a.label)
               and not re.search(r"(?:由|其中|包括|含)[^，,。；;]*$", a.label)]
    full_year = [a for a in budgets if re.search(r"全年预算|调整后预算|预算调(?:整|增|减)(?:为|至)", a.label)]
    execs = [a for a in amounts if re.search(r"执行数|全年执行|实际执行|执行(?!率)|实际支出|支出|已支付", a.label)
             and "预算" not in a.label[-4:] and not re.search(r"未(?:支出|支付|执行)|结余|结转|剩余", a.label[-8:])]
    for m in NARR_RATE.finditer(text, report.start, report.end):
        if in_spans(m.start(), table_spans(report, ctx.parsed)):
            continue
        s, e = sentence_at(text, m.start(), report.start, report.end)
        b = [a for a in (full_year or budgets) if s - 200 <= a.start < e] or [a for a in budgets if s - 200 <= a.start < e]
        x = [a for a in execs if s - 200 <= a.start < e]
        if not b or not x:
            continue
        rate = x[-1].yuan / b[-1].yuan * 100 if b[-1].yuan else None
        pct = to_float(m.group("pct"))
        if rate is not None and abs(rate - pct) > rounding_tol(m.group("pct"), ctx.profile.percent_tolerance):
            yield Finding(message=f"执行数{x[-1].text} ÷ 预算数{b[-1].text} = {fmt(rate)}%，文中写执行率{m.group('pct')}%",
                          evidence=[x[-1], b[-1], (m.start(), m.end())], expected=f"{fmt(rate)}%", stated=f"{m.group('pct')}%",
                          kind="arithmetic")
    tr = total_row(report.funds)
    if tr is not None:
        scale = 1e4 if (report.funds and report.funds.unit == "万元") else 1
        for field, words in (("budget_full", r"全年预算|调整后预算|资金预算|项目预算"), ("budget_initial", r"年初预算"),
                             ("executed", r"执行数|实际支出|实际(?:兑付|发放|使用)(?:[\u4e00-\u9fff]{0,4}资金)?$")):
            cell = getattr(tr, field)
            if cell is None:
                continue
            for a in amounts:
                if not re.search(words, a.label) or re.search(r"(?:较|比)[^，,。；;]{0,8}(?:少|多|减少|增加|相差)$|差额$", a.label):
                    continue  # (执行数较预算数少27.60万元: a difference, not the figure)
                tv = cell.value * scale
                if abs(a.yuan - tv) <= _money_tol(ctx, a):
                    continue
                ratio = a.yuan / tv if tv else 0
                if tv and (abs(ratio - 1e4) < 1 or abs(ratio - 1e-4) < 1e-8):
                    break  # a 元/万元 mix-up: reported by D20
                yield Finding(message=f"正文{a.label}{a.text}与自评表中{cell.text}不一致",
                              evidence=[a, cell], expected=cell.text, stated=a.text)
                break


@rule("D41", "承认质量问题却质量满分", kind="contradiction", severity="error")
def admitted_quality_problems(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """When the narrative admits quality problems, the 质量指标 cannot all score full marks.

    Bad:  但存在平台建设质量问题及设备质量问题 … 质量指标 | 工程质量优良 | 5 | 5
    Good: 存在设备质量问题，质量指标扣2分，已要求供应商12月底前更换
    """
    q = [r for r in report.indicators if r.level2.startswith("质量") and r.weight is not None and r.score is not None]
    if not q or any(r.score.value < r.weight.value - ctx.profile.score_tolerance for r in q):
        return
    m = QUALITY_ADMIT.search(ctx.text, report.start, report.end)
    if m:
        s, e = sentence_at(ctx.text, m.start(), report.start, report.end)
        yield Finding(message="报告承认存在质量问题，质量指标却全部满分", evidence=[(m.start(), m.end()), *[r.row for r in q]],
                      expected="质量指标按问题扣分", stated="满分")


# a third of a month: 11月下旬 is the 21st to the month's end
XUN = lazy(r"上旬|中旬|下旬")
XUN_DAYS = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, 31)}


ON_TIME_WORDS = lazy(r"(?:按时|如期|按期|按计划)(?:完成|完工|办结|到位)?|已完成")
FINISHED = lazy(DONE_EVENT.pattern + r"|入库|到岗|到位|办结")  # (work of any kind done: grain stored, staff in post)
_STOCK_TIME = frozenset("完成 任务 时限 时间 日期 工作 项目 按时 及时 年度".split())


def _on_time_in_words(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """D44 for a time row answered in words (轮换任务完成时限 | 2019年12月31日前 | 按时完成) while
    the narrative dates the same work after the deadline (轮入新粮于2020年1月15日全部入库)."""
    from reviewer.checks.indicator_rows import TIME_ROW
    from reviewer.structure.dates import DATE_RE, parse_date

    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    for row in report.indicators:
        if row.actual is None or row.target is None or not TIME_ROW.search(row.level3.text) \
                or not ON_TIME_WORDS.fullmatch(re.sub(r"\s+", "", row.actual.text)):
            continue
        if not re.search(r"前|之前|以前|以内", row.target.text):
            continue
        deadline = parse_date(row.target.text, report.year)
        keys = _bigrams(row.level3.text) - _STOCK_TIME
        if deadline is None or not keys:
            continue
        for m in DATE_RE.finditer(text, report.start, report.end):
            if in_spans(m.start(), spans) or "日" not in m.group():
                continue
            s, e = sentence_at(text, m.start(), report.start, report.end)
            near = text[clause_start(text, s, m.start()):clause_end(text, m.end(), e)]
            if not FINISHED.search(near) or PLAN_WORDS.search(near) or not keys & _bigrams(text[s:e]):
                continue
            d = parse_date(m.group(), deadline.year)
            if d is not None and d > deadline:
                yield Finding(message=f"“{row.level3.text.strip()}”要求{row.target.text.strip()}，自评表填“{row.actual.text.strip()}”，"
                                      f"正文却写明{m.group().strip()}才完成",
                              evidence=[row.row, (s, e)], expected=f"实际完成日期{m.group().strip()}（逾期）",
                              stated=row.actual.text.strip())
                return


@rule("D44", "正文日期与自评表不符", kind="contradiction", severity="error")
def narrative_date_vs_table(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The completion date the narrative gives matches the 实际完成值 of the time
    indicator in the 自评表.

    Bad:  正文“项目于2023年11月底全部完工”；自评表 项目完工时限 | 2023年11月30日前 | 2024年1月20日
    Good: 正文“项目于2024年1月20日全部完工（较计划推迟51天）”
    """
    from reviewer.checks.indicator_rows import TIME_ROW
    from reviewer.structure.dates import DATE_RE, parse_date

    text = ctx.text
    yield from _on_time_in_words(report, ctx)
    rows = [r for r in report.indicators if r.actual is not None and TIME_ROW.search(r.level3.text)
            and re.search(r"完工|竣工|完成", r.level3.text)]
    if not rows:
        return
    spans = table_spans(report, ctx.parsed)
    for row in rows:
        actual = parse_date(row.actual.text, report.year)
        if actual is None:
            continue
        subject = "主体工程" if "主体" in row.level3.text else None
        for m in DATE_RE.finditer(text, report.start, report.end):
            if in_spans(m.start(), spans) or not ("月" in m.group()):
                continue
            s, e = sentence_at(text, m.start(), report.start, report.end)
            clause = text[s:e]
            near = text[clause_start(text, s, m.start()):clause_end(text, m.end(), e)]
            done = DONE_EVENT.search(near)
            other = re.search(r"开工|验收|批复", near)
            # "9月底全部完工并通过州级验收": the date is the completion's, the acceptance follows it
            completion_first = done is not None and done.group() in ("完工", "竣工") and (
                other is None or done.start() < other.start())
            if not done or PLAN_WORDS.search(near) or (other is not None and not completion_first):
                continue
            if re.match(r"\s*(前|之前|以前|底前)", text[m.end():m.end() + 3]) or any(
                    sec.kind == "measures" and sec.body.start <= m.start() < sec.body.end for sec in report.sections):
                continue  # a deadline or a planned measure, not a completion
            if subject and subject not in clause:
                continue
            d = parse_date(m.group(), actual.year)
            if d is None or abs((d - actual).days) <= 3:
                continue
            xun = XUN.search(text, m.end() - 2, m.end() + 3)
            if xun and (d.year, d.month) == (actual.year, actual.month) and \
                    XUN_DAYS[xun.group()][0] <= actual.day <= XUN_DAYS[xun.group()][1]:
                continue  # 11月下旬 and 2023年11月25日 are the same completion
            yield Finding(message=f"正文称{m.group().strip()}完成，自评表“{row.level3.text.strip()}”实际完成值为{row.actual.text.strip()}",
                          evidence=[(s, e), row.row], expected=row.actual.text.strip(), stated=m.group().strip())
            return


# words that name a part of a whole by its scope: 农村 / 城市 of 城乡, 新建 of all works
SCOPE_WORD = lazy(r"农村|城市|城镇|城区|城乡|县城|市区|新建|改建|续建|新增")


@rule("D45", "正文完成数与自评表不符", kind="contradiction", severity="error")
def narrative_quantity_vs_table(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A result the narrative reports (完成抽检926批次) equals the 实际完成值 of the same
    indicator in the 自评表.

    Bad:  正文“全年完成抽检926批次”；自评表 抽检批次 | ≥900批次 | 936批次
    Good: 正文“全年完成抽检936批次”
    """
    from reviewer.structure.numbers import parse_target

    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    # the form's 年度总体目标 cells are prose inside the table: their 实际完成情况 is a result
    goals = goal_blocks(text, report)
    reported = 0
    # every row's result (parsed once), to tell which row a count in the text is about
    # (宫颈癌检查8035人 is the 宫颈癌 row's, not a wrong figure for the 乳腺癌 row beside it)
    results: list[tuple[IndicatorRow, object, float, set[str]]] = []
    for r in report.indicators:
        ra = parse_target(r.actual.text) if r.actual is not None else None
        if ra is not None and ra.value is not None and not ra.qualitative and ra.unit:
            results.append((r, ra, in_units(ra.value, ra.unit), _bigrams(r.level3.text)))
    # (a heading after the rows and before the cut: the table ended before the cut, whatever rows it lacks)
    last = max((r.row.end for r in report.indicators), default=report.start)
    cut_rows = rows_cut(report) and not any(last < s.heading.start < report.truncated_at for s in report.sections)
    for row, a, actual, keys in results:
        if "%" in a.unit:
            continue  # rates: _narrative_percents below
        unit = a.unit.lstrip("万")
        if not keys or not re.fullmatch(QTY_UNITS, unit):
            continue
        t = parse_target(row.target.text) if row.target else None
        for m in QTY_RE.finditer(text, report.start, report.end):
            mu = m.group("unit").lstrip("万")
            if (in_spans(m.start(), spans) and not in_spans(m.start(), goals)) or \
                    (mu != unit and SYNONYM.get(mu, mu) != SYNONYM.get(unit, unit)):
                continue  # 218名 and 212人 count the same people
            s, e = sentence_at(text, m.start(), report.start, report.end)
            # the clause: from the last comma (full- or half-width, as real pages have it) or 、
            lo = clause_start(text, s, m.start(), "，,、；;")
            clause = text[lo:m.end()]
            # the noun may follow the count: "为218名残疾儿童提供康复救助"
            stop = re.search(r"[，,、；;。]", text[m.end():e])
            noun_after = text[m.end():m.end() + stop.start()] if stop else text[m.end():e]
            if PLAN_WORDS.search(clause) or re.search(r"不少于|不低于|≥|以上|其中|达到|超过|共有|覆盖|共计|合计|总计", clause):
                continue
            near = _bigrams(clause) | _bigrams(noun_after)
            # a part the count names by its scope (农村低保对象8,482人) is not the row's whole (城乡低保对象人数)
            row_scope = set(SCOPE_WORD.findall(row.level3.text))
            if row_scope and any(w not in row_scope for w in SCOPE_WORD.findall(clause + noun_after)):
                continue
            # the words the count and the row share, stock verbs left out (完成清查单位 is not 完成普查登记单位数)
            shared = (keys & near) - STOCK_BIGRAMS
            # the row's figure with two digits swapped (6820 for 6280, 16.8万 for 18.6万) is this row's
            swapped = _one_swap(re.sub(r"\D", "", m.group("num")), re.sub(r"\D", "", row.actual.text.split("(")[0].split("（")[0]))
            # the sentence says it is done, before the count or right after it (18公里已全部建成通车)
            said_done = not in_spans(m.start(), goals) and bool(DONE_MARK.search(text, m.end(), clause_end(text, m.end(), e))) \
                and not PLAN_WORDS.search(text, s, e)
            if (len(shared) < 2 and len(keys - STOCK_BIGRAMS) > 2) or not shared or \
                    not (swapped or said_done or re.search(r"完成|实际|全年|累计|共", text[s:m.end()])):
                continue
            v = in_units(to_float(m.group("num")), m.group("unit"))
            if abs(v - actual) <= 1e-6 * max(1.0, actual):
                continue
            # the target restated, not a result; unless the sentence says it is done
            if t and t.value is not None and abs(v - in_units(t.value, t.unit)) < 1e-6 and \
                    not _goal_claim(text, m, goals, s, e) and not said_done:
                continue
            if any(other is not row and abs(v - ov) <= 1e-6 * max(1.0, ov) and len(ok & near) >= len(keys & near)
                   for other, _, ov, ok in results):
                continue  # the count is another row's result, named at least as closely
            if any(other is not row and len(ok & near) > len(keys & near) for other, _, _, ok in results):
                continue  # another row's name fits the sentence better: 乳腺癌筛查 is the 乳腺癌 row's
            if not (0.5 <= v / actual <= 2) if actual else True:
                continue  # a different quantity that shares a unit
            if cut_rows and len(shared) < len(keys - STOCK_BIGRAMS) and not swapped and \
                    not (in_spans(m.start(), goals) and len(shared) >= 3):  # (the form's own 实际完成情况 naming the row)
                continue  # named only in part, while rows past the cut may name it whole (6820 for 6280 is this one)
            yield Finding(message=f"正文称{text[lo:m.end()].strip()}，自评表“{row.level3.text.strip()}”实际完成值为{row.actual.text.strip()}",
                          evidence=[(lo, m.end()), row.row], expected=row.actual.text.strip(), stated=m.group())
            reported += 1
            break
        if reported >= 3:
            return
    yield from _narrative_percents(report, ctx, spans)


def _heading_only(text: str, m: re.Match, report: Report) -> bool:
    """Whether the sentence of ``m`` is only a template's heading (3.未完成的绩效目标。), which
    admits nothing by itself."""
    s, e = sentence_at(text, m.start(), report.start, report.end)
    return len("".join(text[s:e].split())) <= 14


DONE_MARK = lazy(r"全部[^，,。；;]{0,4}到位|已|均已|实际|累计|全面完成")


def _goal_claim(text: str, m: re.Match, goals: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether a count equal to the target, in the form's 年度总体目标 block, is the
    实际完成情况's claim: the later of the two cells that give it (预期 then 实际), or a
    sentence that says it is done (补助资金全部发放到位) and plans nothing."""
    block = next(((a, b) for a, b in goals if a <= m.start() < b), None)
    if block is None:
        return False
    if re.compile(r"(?<![\d.,])" + re.escape(m.group())).search(text, block[0], m.start()):
        return True  # (the same count written before it, not 86座 holding 6座)
    return bool(DONE_MARK.search(text, s, e)) and not PLAN_WORDS.search(text, s, e)


STOCK_BIGRAMS = frozenset("完成 实际 全年 开展 累计 年度 指标 数量 项目 工作 实施 共计".split())

NOT_SAME_COUNT = lazy(r"其中|新增|累计|共计|合计|共有|现有|拥有|覆盖|增加|减少|较上年|上年|同比|计划|目标|任务|不少于|不低于|超过|达到|分别|每")


def _noun_before(text: str, pos: int) -> tuple[str, bool]:
    """The run of Chinese characters right before ``pos`` (spaces skipped), at most 8, and
    whether it is delimited (it stopped at a non-Chinese character, not at the limit)."""
    k = pos
    while k > 0 and text[k - 1] in " \u3000":
        k -= 1
    j = k
    while j > 0 and "\u4e00" <= text[j - 1] <= "\u9fff" and k - j < 8:
        j -= 1
    return text[j:k], not (j > 0 and "\u4e00" <= text[j - 1] <= "\u9fff")


PLAN_SECTIONS = {"basic", "goals"}


def _section_kind(report: Report, pos: int) -> str:
    """The kind of the innermost section holding ``pos`` ("" outside every section)."""
    sec = innermost_section(report.sections, pos)
    return sec.kind if sec else ""


PLANNED = lazy(r"目标|计划|指标值|预期|年初|申报|任务|预计|拟|力争|要求|标准")


def _planned_or_ordinal(text: str, pos: int, report: Report) -> bool:
    """Whether the count at ``pos`` is a plan or target (its sentence says so) or an ordinal."""
    lo = clause_start(text, report.start, pos, "，,；;。\n")
    hi = clause_end(text, pos, report.end, "，,；;。\n")
    m = QTY_RE.match(text, pos)
    after = text[m.end():m.end() + 3] if m else ""
    return bool(PLANNED.search(text[max(report.start, lo - 12):hi])) or text[max(0, pos - 1):pos] == "第" \
        or bool(re.match(r"\s*(?:以上|以下|左右|及以上)", after))


def _one_swap(a: str, b: str) -> bool:
    """Whether digit strings ``a`` and ``b`` differ only by two neighbouring digits swapped
    (1150 / 1510): a typing slip, however far apart the two values are."""
    if len(a) != len(b) or len(a) < 3:
        return False  # (12 and 21 are as likely two counts as one slip)
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _pairs_by_key(keys: list, values: list[float]) -> Iterator[tuple[int, int]]:
    """Index pairs ``i < j`` with equal keys (None pairs with nothing) and different values,
    in the order of a double loop over ``i`` then ``j``; equal values are skipped as a block, so
    a figure repeated a thousand times costs one step per repeat, not one per pair."""
    by_key: dict = {}
    for i, k in enumerate(keys):
        if k is not None:
            by_key.setdefault(k, {}).setdefault(values[i], []).append(i)
    for i, k in enumerate(keys):
        if k is None:
            continue
        later: list[int] = []
        for v, idx in by_key[k].items():
            if v != values[i]:
                later.extend(idx[bisect.bisect_right(idx, i):])
        yield from ((i, j) for j in sorted(later))


@rule("D29B", "同一数量前后不一", kind="contradiction", severity="warning")
def same_count_differs(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The same count (参训1146人次, 抽检936批次) is the same wherever the narrative states it;
    two close but different values are a typo or a copy from another version.

    Bad:  全年实际参训乡村教师1164人次 … 参训1146人次，完成率95.5%
    Good: 全年实际参训乡村教师1146人次 … 参训1146人次
    """
    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    found = []
    for m in QTY_RE.finditer(text, report.start, report.end):
        if in_spans(m.start(), spans):
            continue
        lo = max(report.start, m.start() - 10)
        found.append((m, text[lo:m.start()]))
    # the same noun right before two different counts: "配备群测群防员95名" … "群测群防员99人"
    nouns = [_noun_before(text, a.start()) for a, _ in found]
    unit_of = [SYNONYM.get(a.group("unit"), a.group("unit")) for a, _ in found]
    value = [to_float(a.group("num")) for a, _ in found]
    # only counts whose nouns end alike (four characters at least) and whose values differ by
    # less than 15% can pair: bucketed, a long report costs a pass, not a pass per count
    keys = [(unit_of[i], nouns[i][0][-4:]) if len(nouns[i][0]) >= 4 else None for i in range(len(found))]
    for i, j in _pairs_by_key(keys, value):
        (a, la), (b, lb) = found[i], found[j]
        (na, na_whole), (nb, nb_whole) = nouns[i], nouns[j]
        va, vb = value[i], value[j]
        if abs(va - vb) / max(va, vb) >= 0.15 or NOT_SAME_COUNT.search(la):
            continue
        k = 0
        while k < min(len(na), len(nb)) and na[-1 - k] == nb[-1 - k]:
            k += 1
        short_n = na[len(na) - k:]  # the noun both counts share
        # the shared noun must be a whole noun on one side ("群测群防员" after a space), not
        # the tail of two different names ("甲寨村内道路硬化" / "乙寨村内道路硬化")
        whole = (k == len(na) and na_whole) or (k == len(nb) and nb_whole)
        if k < 4 or not whole or NOT_SAME_COUNT.search(lb):
            continue
        if _planned_or_ordinal(text, a.start(), report) or _planned_or_ordinal(text, b.start(), report):
            continue  # a target set against a result, or 第17次 / 第20次
        if {_section_kind(report, a.start()), _section_kind(report, b.start())} & PLAN_SECTIONS and \
                _section_kind(report, a.start()) != _section_kind(report, b.start()):
            continue  # the project's planned scope (项目概况, 绩效目标) against what was done
        sa = text.rfind(short_n, 0, a.start())
        sb = text.rfind(short_n, 0, b.start())
        yield Finding(message=f"同一数量前后不一：{short_n}前写{a.group().strip()}，后写{b.group().strip()}",
                      evidence=[(sa, a.end()), (sb, b.end())], expected=a.group().strip(), stated=b.group().strip())
        return
    # a pair of two results before a pair with the project's planned scope (项目概况, 绩效目标);
    # only figures written with the same digits (1164 / 1146) in the same unit can pair
    planned = [_section_kind(report, m.start()) in PLAN_SECTIONS for m, _ in found]
    digits = [re.sub(r"\D", "", a.group("num")) for a, _ in found]
    keys = [(a.group("unit").startswith("万"), SYNONYM.get(a.group("unit").lstrip("万"), a.group("unit").lstrip("万")),
             "".join(sorted(digits[i]))) for i, (a, _) in enumerate(found)]
    candidates = list(_pairs_by_key(keys, value))
    pairs = ((found[i][0], found[i][1], found[j][0], found[j][1]) for plan_pass in (False, True)
             for i, j in candidates if (planned[i] or planned[j]) == plan_pass)
    for a, la, b, lb in pairs:
        ua = a.group("unit")  # (b's unit is the same: the pairs were keyed by it)
        va, vb = to_float(a.group("num")), to_float(b.group("num"))
        scale = 10000 if ua.startswith("万") else 1  # 29.8万客次 is a large count
        if va == vb or min(va, vb) * scale < 100:
            continue
        da, db = re.sub(r"\D", "", a.group("num")), re.sub(r"\D", "", b.group("num"))
        if sorted(da) != sorted(db) or (abs(va - vb) / max(va, vb) >= 0.15 and not _one_swap(da, db)):
            continue  # only transposed digits of one figure (1164 / 1146, 31,620 / 36,120, 1,150 / 1,510)
        # the same words before both; a large figure of three or more different digits written
        # two ways is rarely two counts, unless one is a plan or target
        if _overlap(la, lb) < 2:
            distinct = min(va, vb) * scale >= 1000 and len(set(da)) >= 3
            if not distinct or _planned_or_ordinal(text, a.start(), report) or \
                    _planned_or_ordinal(text, b.start(), report) or NOT_SAME_COUNT.search(la) or NOT_SAME_COUNT.search(lb):
                continue
        ca, cb = (re.sub(r"^[\d,.]+年?", "", x.strip()) for x in (la, lb))
        yield Finding(message=f"同一数量前后不一：“{ca}{a.group()}”与“{cb}{b.group()}”",
                      evidence=[(a.start() - len(la.lstrip()), a.end()), (b.start() - len(lb.lstrip()), b.end())],
                      expected=b.group(), stated=a.group())
        return
    # the whole jurisdiction's count of a kind of place is one fact: 全县126个行政村 … 全县118个行政村
    seen: dict[tuple[str, str], re.Match] = {}
    for m in JURISDICTION_COUNT.finditer(text, report.start, report.end):
        if in_spans(m.start(), spans):
            continue
        key = (m.group("scope"), m.group("place"))
        first = seen.setdefault(key, m)
        if first is not m and to_float(first.group("num")) != to_float(m.group("num")):
            yield Finding(message=f"同一数量前后不一：前写“{first.group()}”，后写“{m.group()}”",
                          evidence=[(first.start(), first.end()), (m.start(), m.end())],
                          expected=first.group(), stated=m.group())
            return


# how many places of a kind the whole county (city, district) has: 全县126个行政村, 全市共有38个社区
JURISDICTION_COUNT = lazy(rf"(?P<scope>全[县市区旗州乡镇])(?:共有|共|现有|辖)?\s*(?P<num>{NUM})\s*个\s*"
                                r"(?P<place>行政村|自然村|社区|乡镇|街道|村)(?![民委级干医卫])")


SOME_INDICATORS = lazy(r"(?:数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|满意度)指标[、和及与]")


def _claims_some(text: str, m: re.Match, report: Report) -> bool:
    """Whether the claim ``m`` is about named indicator kinds only ("时效指标、满意度指标均达到目标"),
    or about the rest of them (其余指标均达到目标值), not about every indicator."""
    s, _ = sentence_at(text, m.start(), report.start, report.end)
    subject = text[s:m.start()]
    if re.search(r"其余|其他|其它|除[^，,。；;]{1,20}外", text[clause_start(text, s, m.start(), "，,；;"):m.start()]):
        return True
    return bool(SOME_INDICATORS.search(subject)) and not re.search(r"各项|全部|所有|全面|其余", subject)


FUNDS_ADMISSION = lazy(r"执行率|资金|结余|结转|跨年支付|拨付|支付|保证金|尾款")


@rule("D49", "声称全面完成却有未完成指标", kind="contradiction", severity="warning")
def claims_all_done(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"全面完成/均达到预期目标" while the 自评表 shows indicators below target or late.

    Bad:  项目全面完成年度改造任务 …  加装电梯数量 | ≥20部 | 14部
    Good: 项目基本完成年度任务，加装电梯完成14部（目标20部），差6部原因是……
    """
    from reviewer.checks.indicator_rows import _compare, _met, date_shortfall

    from reviewer.checks.rollup import ADMISSION, SHORT_BY

    short = []
    for r in report.indicators + report.prose_indicators:
        c = _compare(r)
        if (c is not None and not _met(*c)) or date_shortfall(r, report.year) is not None:
            short.append(r)
    if not short:
        admitted = sorted([a for pat in (ADMISSION, SHORT_BY) for a in pat.finditer(ctx.text, report.start, report.end)
                           if not _heading_only(ctx.text, a, report)], key=lambda a: a.start())
        claim = next((m for m in ALL_DONE.finditer(ctx.text, report.start, report.end)
                      if not any(sec.kind in ("problems", "measures") and sec.body.start <= m.start() < sec.body.end
                                 for sec in report.sections) and not _claims_some(ctx.text, m, report)), None)
        about_rows = claim is not None and "指标" in ctx.text[sentence_at(ctx.text, claim.start(), report.start, report.end)[0]:claim.start()]
        # a claim about the indicators is not contradicted by money paid late (执行率未达到100%)
        adm = next((a for a in admitted if claim is not None and abs(a.start() - claim.start()) > 30 and not (
            about_rows and FUNDS_ADMISSION.search(ctx.text, clause_start(ctx.text, report.start, a.start(), "。；;\n"), a.end()))),
            None)
        if claim is not None and adm is not None:
            s1, e1 = sentence_at(ctx.text, claim.start(), report.start, report.end)
            s2, e2 = sentence_at(ctx.text, adm.start(), report.start, report.end)
            yield Finding(message=f"正文称“{claim.group()}”，报告自己又承认“{ctx.text[s2:e2].strip()[:40]}”",
                          evidence=[(s1, e1), (s2, e2)], expected="如实说明未完成情况", stated=claim.group())
        return
    spans = table_spans(report, ctx.parsed)
    for m in ALL_DONE.finditer(ctx.text, report.start, report.end):
        if in_spans(m.start(), spans) or any(
                sec.kind in ("problems", "measures") and sec.body.start <= m.start() < sec.body.end for sec in report.sections):
            continue
        if _claims_some(ctx.text, m, report):
            continue
        s, e = sentence_at(ctx.text, m.start(), report.start, report.end)
        names = "、".join(f"{r.level3.text.strip()}（{r.target.text.strip()}→{r.actual.text.strip()}）" for r in short[:3])
        where = "自评表" if short[0] in report.indicators else "报告"
        yield Finding(message=f"正文称“{m.group()}”，但{where}有{len(short)}项指标未达标：{names}",
                      evidence=[(s, e), short[0].row], expected="如实说明未完成情况", stated=m.group())
        return


@rule("D27B", "分项数量与合计不符", kind="arithmetic", severity="error")
def count_components(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Counts listed as parts of a total add up to it.

    Bad:  优抚对象共计1672人，其中伤残人员412人、复员军人86人、带病回乡134人、参战参试958人、烈士遗属37人
    Good: … 共计1627人，其中 …
    """
    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    qs = [m for m in QTY_RE.finditer(text, report.start, report.end) if not in_spans(m.start(), spans)]
    for i, tot in enumerate(qs):
        followed_by_parts = re.match(r"[，,]?\s*其中", text[tot.end():tot.end() + 4])
        if not QTY_TOTAL.search(text[max(report.start, tot.start() - 4):tot.start()]) and not followed_by_parts:
            continue
        unit = _unit(tot.group("unit"))
        s, e = sentence_at(text, tot.start(), report.start, report.end)
        after = text[tot.end():tot.end() + 4]
        parts = []
        if re.match(r"[，,]?\s*其中", after):  # total first, then 其中 parts joined by 、，；
            for q in qs[i + 1:]:
                if q.start() >= e or _unit(q.group("unit")) != unit:
                    break
                prev_end = parts[-1].end() if parts else tot.end()
                if parts and not re.search(r"[、，,；;]", text[prev_end:q.start()]):
                    break
                # (…考古项目5个，涉及18个市: a clause on what the parts reach, not one more part)
                if re.search(r"。|另|此外|未达到|目标|涉及|覆盖|分布|惠及|带动|辐射|受益", text[prev_end:q.start()]):
                    break
                parts.append(q)
        else:  # parts before the total in the same sentence, joined by 、/；
            for q in reversed(qs[:i]):
                if q.start() < s or _unit(q.group("unit")) != unit:
                    break
                nxt = parts[0].start() if parts else tot.start()
                gap = text[q.end():nxt]
                if parts and not re.search(r"[、；;]", gap) or (not parts and len(gap) > 8):
                    break
                parts.insert(0, q)
        if len(parts) < 2:
            continue
        total = sum(to_float(q.group("num")) for q in parts)
        stated = to_float(tot.group("num"))
        if abs(total - stated) > 1e-6:
            yield Finding(message=f"分项 {' + '.join(q.group() for q in parts)} = {fmt(total)}{unit}，合计写为{tot.group()}",
                          evidence=[(tot.start(), tot.end()), *[(q.start(), q.end()) for q in parts]],
                          expected=f"{fmt(total)}{unit}", stated=tot.group())


@rule("D47", "起止日期颠倒", kind="contradiction", severity="error")
def reversed_range(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A period ends after it starts.

    Bad:  实施期为2023年1月1日至2022年12月31日
    Good: 实施期为2023年1月1日至2023年12月31日
    """
    from reviewer.structure.dates import parse_date

    for m in RANGE.finditer(ctx.text, report.start, report.end):
        a, b = parse_date(m.group("a"), None), parse_date(m.group("b"), None)
        if a and b and b < a:
            yield Finding(message=f"起止日期颠倒：{m.group('a')}至{m.group('b')}", evidence=[(m.start(), m.end())],
                          expected="结束日期晚于开始日期", stated=m.group())


@rule("D51", "称资金全部支出但执行率不足", kind="contradiction", severity="error")
def spent_all_claim(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"资金已全部支付完毕" while the execution rate is below 100% (table or narrative); an
    indicator of money paid out to recipients (补贴资金兑付率) at 100% while execution is clearly lower.

    Bad:  全年执行186.3万元，执行率93.15% … 项目资金已全部支付完毕
    Bad:  执行率78% … 补贴资金兑付率 | 100% | 100%
    Good: 全年执行186.3万元，执行率93.15%，剩余13.7万元为质保金，2024年6月验收后支付
    """
    text = ctx.text
    tr = total_row(report.funds)
    rate, ref = None, None
    if tr is not None and tr.rate is not None:
        rate, ref = tr.rate.value, tr.rate
    else:  # the lowest rate the narrative gives: one fund left unspent is enough
        for m in NARR_RATE.finditer(text, report.start, report.end):
            if rate is None or to_float(m.group("pct")) < rate:
                rate, ref = to_float(m.group("pct")), (m.start(), m.end())
    if rate is None or rate >= 100 - ctx.profile.percent_tolerance:
        return
    claims = list(SPENT_ALL.finditer(text, report.start, report.end))
    if rate < 95:
        claims += list(ALLOCATED_ALL.finditer(text, report.start, report.end))
    for m in sorted(claims, key=lambda m: m.start()):
        s, e = sentence_at(text, m.start(), report.start, report.end)
        yield Finding(message=f"报告称“{m.group()}”，但预算执行率为{fmt(rate)}%", evidence=[(s, e), ref],
                      expected=f"执行率{fmt(rate)}%，说明未支出部分", stated=m.group())
        return
    # an indicator of money paid out to recipients at 100% (补贴资金兑付率 | 100% | 100%) against a
    # clearly lower execution (a gap of a few points may be fees or rounding; below 30% the
    # figure is more likely misread than real)
    for r in report.indicators if 30 <= rate < 95 else []:
        if r.actual is None or not PAID_OUT_RATE.search(r.level3.text):
            continue
        got = re.fullmatch(rf"\s*(?P<n>{NUM})\s*[%％]\s*", r.actual.text)
        if got and to_float(got.group("n")) >= 100:
            yield Finding(message=f"“{r.level3.text.strip()}”完成值为{r.actual.text.strip()}，但预算执行率只有{fmt(rate)}%："
                                  "资金未全部支出，不能全部兑付", evidence=[r.row, ref],
                          expected=f"与执行率{fmt(rate)}%一致的兑付率", stated=r.actual.text.strip())
            return


# money paid out to final recipients (not 拨付, which a county makes to its units ahead of spending)
PAID_OUT_RATE = lazy(r"(?:资金|补贴|补助|奖补|经费|补偿)(?:(?!社会化|及时|按时|准确)[^|｜\n]){0,4}?(?:兑付|兑现|发放|支付)率")


@rule("D21B", "正文年份与报告年度不符", kind="contradiction", severity="warning")
def paragraph_in_wrong_year(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A paragraph that opens "2022年度，我局…" in a 2023 report describes another year —
    usually text carried over from last year's report.

    Bad:  （2023年度报告）2022年度，我局严格按照上级核定的标准发放抚恤补助……
    Bad:  （2023年度报告）截至2022年12月31日，全县共拨付就业见习补贴128.6万元，预算执行率为85.73%。
    Bad:  （2023年度报告）项目实施期为2022年1月1日至2022年12月31日。
    Bad:  （2023年度报告）综上，2022年度水土保持综合治理项目按计划完成。
    Good: 2023年度，我局严格按照上级核定的标准发放抚恤补助……
    """
    if report.year is None:
        return
    for m in WRONG_YEAR_PARA.finditer(ctx.text, report.start, report.end):
        y = int(m.group(1))
        if y != report.year and abs(y - report.year) <= 3:
            s = m.start(1)
            e = ctx.text.find("。", s, report.end)
            yield Finding(message=f"报告年度为{report.year}年，此段却写“{y}年度”，疑为沿用往年报告",
                          evidence=[(s, e + 1 if e > 0 else m.end())], expected=f"{report.year}年度", stated=f"{y}年度")
            return
    # the year's accounts closed on the previous year's last day: 截至2022年12月31日 in a 2023 report
    for m in CLOSING_DATE.finditer(ctx.text, report.start, report.end):
        s, e = sentence_at(ctx.text, m.start(), report.start, report.end)
        if int(m.group("y")) == report.year - 1 and not re.search(r"结转|上年|结余|余额", ctx.text[s:e]):
            yield Finding(message=f"报告年度为{report.year}年，资金执行却写“{m.group().strip()}”（上一年度的年末），疑为沿用往年报告",
                          evidence=[(s, e)], expected=f"截至{report.year}年12月31日", stated=m.group().strip())
            return
    # the project named with another year: 综上，2019年度水土保持综合治理项目… in the 2020 report
    core = _project_core(report)
    if core:
        for m in re.finditer(r"(?P<y>(?:19|20)\d{2})\s*年度?" + re.escape(core), ctx.text[report.start:report.end]):
            y = int(m.group("y"))
            if y != report.year and 1 <= report.year - y <= 3:
                a = report.start + m.start()
                if report.title_ref is not None and report.title_ref.start <= a < report.title_ref.end:
                    continue
                s, e = sentence_at(ctx.text, a, report.start, report.end)
                yield Finding(message=f"报告年度为{report.year}年，此处却写“{m.group()}”，疑为沿用往年报告",
                              evidence=[(s, e)], expected=f"{report.year}年度{core}", stated=m.group())
                return
    # the project's period, all of it in another year: the year's report does not cover it
    for m in PERIOD.finditer(ctx.text, report.start, report.end):
        y1, y2 = int(m.group("y1")), int(m.group("y2"))
        if y1 <= y2 and not (y1 <= report.year <= y2) and report.year - y2 in (1, 2):
            s, e = sentence_at(ctx.text, m.start(), report.start, report.end)
            yield Finding(message=f"报告年度为{report.year}年，项目实施期却写为{ctx.text[m.start('y1'):m.end()].strip()}，不含报告年度，疑为沿用往年报告",
                          evidence=[(s, e)], expected=f"{report.year}年", stated=m.group().strip())
            return


def _project_core(report: Report) -> str | None:
    """The project's name without its unit and year (水土保持综合治理 from
    涪溪区水利局2020年度水土保持综合治理项目绩效自评报告), when it is at least six characters."""
    name = report.project or report.title or ""
    m = re.search(r"(?:19|20)\d{2}\s*年度?(?P<core>[\u4e00-\u9fff（）()]{6,30}?)(?:项目|资金|经费|专项|$)", name)
    return m.group("core") if m else None


CLOSING_DATE = lazy(r"截[至止]\s*(?P<y>(?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日")
# the project's own period: 项目实施期为2021年1月1日至2021年12月31日
PERIOD = lazy(r"(?:实施|执行|建设)(?:期|周期|期限|时间)\s*(?:为|是|[:：])?\s*(?P<y1>(?:19|20)\d{2})\s*年[^至到，,。；;]{0,8}"
              r"(?:至|到|—|-|~)\s*(?P<y2>(?:19|20)\d{2})\s*年[^，,。；;]{0,8}")


RATE_CLAIM = lazy(rf"(?P<name>[\u4e00-\u9fff]{{1,8}}?率)(?:达到|为|达|是|：|:)?\s*(?P<pct>{NUM})\s*[%％]")


GOAL_SENTENCE_LEAD = lazy(r"(?:年度|总体|绩效|预期)+目标(?:为|是)?\s*[:：]")


def _goal_count(text: str, report: Report, unit: str, done: re.Match) -> list[re.Match]:
    """The one count of ``unit`` that a goal sentence sets for the thing ``done`` counts (the
    noun after both shares a word), or nothing."""
    stop = re.search(r"[，,。；;]", text[done.end():done.end() + 20])
    noun = _bigrams(text[done.end():done.end() + (stop.start() if stop else 20)])
    found = []
    for g in GOAL_SENTENCE_LEAD.finditer(text, report.start, report.end):
        ge = min((i for i in (text.find(c, g.end(), report.end) for c in "。\n") if i >= 0), default=report.end)
        for q in QTY_RE.finditer(text, g.end(), ge):
            if SYNONYM.get(q.group("unit"), q.group("unit")) != unit or q.start() <= done.start() < ge:
                continue
            qs = re.search(r"[，,。；;]", text[q.end():ge])
            if noun & _bigrams(text[q.end():q.end() + (qs.start() if qs else 20)]):
                found.append(q)
    return found if len(found) == 1 else []


@rule("D52", "比率与所列数据不符", kind="arithmetic", severity="error")
def rate_from_counts(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A rate stated in the same sentence as the two counts it comes from is their ratio;
    a 节约率 is 节约资金 ÷ 预算 (财预〔2020〕10号 附件1: 成本节约率 = (计划成本 − 实际成本) ÷ 计划成本).

    Bad:  全县参保26.35万人，应参保人数27.1万人，参保率98.2%   (97.23%)
    Bad:  全县62家合作社中有48家获得扶持，覆盖率达90.3%   (77.42%)
    Good: 全县参保26.35万人，应参保人数27.1万人，参保率97.23%
    """
    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    amounts = [a for a in report.amounts]
    for m in RATE_CLAIM.finditer(text, report.start, report.end):
        name = m.group("name")
        if in_spans(m.start(), spans) or re.search(r"执行率|满意|得分率|增长率|下降率|发生率|检出率", name):
            continue
        pct = to_float(m.group("pct"))
        tol = rounding_tol(m.group("pct"), ctx.profile.percent_tolerance)
        s, e = sentence_at(text, m.start(), report.start, report.end)
        if "节约" in name:
            saved = [a for a in amounts if s <= a.start < m.start() and "节约" in a.label]
            plans = [a for a in amounts if report.start <= a.start < m.start() and re.search(r"预算|计划|控制价|概算", a.label)]
            if saved and plans and not any(abs(saved[-1].yuan / p.yuan * 100 - pct) <= tol for p in plans if p.yuan):
                p = plans[-1]
                exp = saved[-1].yuan / p.yuan * 100
                yield Finding(message=f"节约率应为 节约资金{saved[-1].text} ÷ {p.label[-6:]}{p.text} = {fmt(exp)}%，文中写为{m.group('pct')}%",
                              evidence=[(m.start(), m.end()), saved[-1], p], expected=f"{fmt(exp)}%", stated=f"{m.group('pct')}%")
            continue
        counts = [q for q in QTY_RE.finditer(text, s, m.start())]
        stem = name[:-1][-2:]  # 参保率 → 参保
        by_unit: dict[str, list] = {}
        for q in counts:
            by_unit.setdefault(SYNONYM.get(q.group("unit"), q.group("unit")), []).append(q)

        def clause(q, start: int = s) -> str:
            return text[clause_start(text, start, q.start()):q.start()]

        for unit, qs in by_unit.items():
            nums = [q for q in qs if stem in clause(q) and not re.search(r"应|计划|目标|总", clause(q))]
            if len(qs) == 1 and len(nums) == 1:
                # the base may open the sentence before: 实际组织262名毕业生参加见习。…留用141人，留用率58.3%
                ps, _ = paragraph_at(text, m.start(), report.start, report.end)
                prev_s, _ = sentence_at(text, max(ps, s - 1), report.start, report.end)
                before = [q for q in QTY_RE.finditer(text, max(ps, prev_s), s)
                          if SYNONYM.get(q.group("unit"), q.group("unit")) == unit]
                dens = (before if len(before) == 1 and not re.search(r"计划|目标|不少于|不低于|以上", clause(before[0], prev_s))
                        else [])
                if not dens and name.endswith("完成率"):
                    # a completion rate's base is the count the goal set: 年度绩效目标：完成326座设施全年运维
                    dens = _goal_count(text, report, unit, nums[0]) if nums else []
            elif len(qs) == 2 and re.search(r"^(?:[^，,。；;]{0,16}?(?:中有|中的|之中|其中)|\s*[，,]\s*其中)", text[qs[0].end():qs[1].start()]):
                nums, dens = [qs[1]], [qs[0]]  # 全县62家合作社中有48家获得扶持: the part of a whole
            elif len(qs) == 2:
                # the base is what was due, planned or in all, or what was sampled (抽查1440座次，合格1368座次)
                dens = [q for q in qs if re.search(r"应|计划|目标|总|共|全部|任务|抽查|抽检|抽取|抽样", clause(q)) and q not in nums]
            else:
                continue
            if len(nums) != 1 or len(dens) != 1:
                continue
            a, b = to_float(nums[0].group("num")), to_float(dens[0].group("num"))
            if b <= 0 or a > b:
                continue
            exp = a / b * 100
            if abs(exp - pct) > tol:
                yield Finding(message=f"{name}应为 {fmt(a)} ÷ {fmt(b)} = {fmt(exp)}%，文中写为{m.group('pct')}%",
                              evidence=[(m.start(), m.end()), (nums[0].start(), nums[0].end()), (dens[0].start(), dens[0].end())],
                              expected=f"{fmt(exp)}%", stated=f"{m.group('pct')}%")
            break


GIVE_VERB = r"补助|资助|扶持|支持|奖补|奖励|慰问"
STATED_COUNT = lazy(rf"(?P<verb>{GIVE_VERB})\s*(?P<n>\d+|[一二两三四五六七八九十])\s*(?:个|所|家|户)"
                          r"(?P<noun>村|社区|乡镇|乡|镇|单位|学校|企业|合作社|项目|组)")
LISTED = lazy(rf"(?P<verb>{GIVE_VERB})(?P<items>(?:[^、，,。；;\n\d]{{2,30}}?\d[\d.,]*\s*万?元[、，,])+"
                    r"[^、，,。；;\n\d]{2,30}?\d[\d.,]*\s*万?元)")


@rule("D29C", "列举个数与所述个数不符", kind="contradiction", severity="warning")
def listed_count_differs(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"补助3个村" while the report lists, with the same verb, four places each with its amount:
    the count and the list cannot both be right.

    Bad:  经费主要用于补助3个村 … 补助甲村2万元、乙村4万元、丙社区2万元、丁村2万元
    Good: 经费主要用于补助4个村 … 补助甲村2万元、乙村4万元、丙社区2万元、丁村2万元
    """
    text = ctx.text
    lists = [(m, len(re.findall(r"万?元(?:[、，,]|$)", m.group("items")))) for m in LISTED.finditer(text, report.start, report.end)]
    if not lists:
        return
    for c in STATED_COUNT.finditer(text, report.start, report.end):
        n = int(c.group("n")) if c.group("n").isdigit() else int(cn_to_number(c.group("n")))
        for m, k in lists:
            if m.group("verb") == c.group("verb") and k >= 2 and k != n and not (m.start() <= c.start() < m.end()):
                yield Finding(message=f"文中称{c.group()}，另一处以“{m.group('verb')}”列举了{k}处及各自金额，个数不一致",
                              evidence=[(c.start(), c.end()), (m.start(), m.end())], expected=f"{k}{c.group()[-2:]}",
                              stated=c.group())
                return


def _row_target(row: IndicatorRow) -> float | None:
    """A row's target as a count in base units, or None."""
    from reviewer.structure.numbers import parse_target

    if row.target is None:
        return None
    t = parse_target(row.target.text)
    return None if t.qualitative or t.value is None or not t.unit else in_units(t.value, t.unit)


def _goal_plans(text: str, report: Report) -> list[tuple[int, int]]:
    """The 预期目标 cell of the form's 年度总体目标 block: up to the 实际完成情况 label, or, when
    the two labels stand together before both cells (预期目标 实际完成情况 <plan> <result>), the
    first sentence after them."""
    out = []
    for a, b in goal_blocks(text, report):
        p = re.search(r"预期目标", text[a:b])
        if p is None:
            continue
        q = re.search(r"实际完成(?:情况)?", text[a + p.end():b])
        if q is None:
            continue
        ps, qs = a + p.end(), a + p.end() + q.start()
        if len(re.sub(r"[\s|｜:：]", "", text[ps:qs])) > 6:
            out.append((ps, qs))
        else:
            qe = a + p.end() + q.end()
            stop = text.find("。", qe, b)
            if stop > qe:
                out.append((qe, stop))
    return out


PLAN_CLAUSE = lazy(r"计划|预计|目标[为是：:]|绩效目标|预期|主要建设内容|建设内容|拟|设计规模|规划|申报")


@rule("D83", "计划数量与指标值不符", kind="contradiction", severity="warning")
def planned_quantity_vs_target(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A quantity the report plans (建设内容, 绩效目标, 计划…) for something the 自评表 also
    measures equals that indicator's 指标值: a target set lower (or higher) than the project's
    own plan is judged against the wrong yardstick.

    Bad:  主要建设内容为：……维修仓容4.2万吨。 … 维修仓容 | ≥3.6万吨 | 3.6万吨 | 15 | 15
    Bad:  2021年计划新建自动气象站8个。 … 新建自动站数量，年度指标值≥6个，实际完成6个
    Good: 主要建设内容为：……维修仓容4.2万吨。 … 维修仓容 | ≥4.2万吨 | 4.2万吨 | 15 | 15
    """
    from reviewer.structure.numbers import parse_target

    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    # the counts the report plans, found once for all rows: (count, clause start, clause, its
    # bigrams, whether it is the form's own 预期目标 cell)
    plans = []
    seen_plans: set = set()
    in_form = _goal_plans(text, report)  # the form's 预期目标 cell is the plan too
    for m in QTY_RE.finditer(text, report.start, report.end):
        if in_spans(m.start(), spans) and not in_spans(m.start(), in_form):
            continue
        sec = innermost_section(report.sections, m.start())
        if sec is not None and sec.kind in ("problems", "measures", "performance", "conclusion"):
            continue  # what was done, or what went wrong: not the plan
        s, _ = sentence_at(text, m.start(), report.start, report.end)
        lo = clause_start(text, s, m.start(), "，,、：:")
        clause = text[lo:m.end()]
        form_goal = in_spans(m.start(), in_form)
        planned = PLAN_CLAUSE.search(text[s:m.start()]) or (sec is not None and sec.kind == "goals") or form_goal
        # a goal's own clause may say 完成 or set a floor (绩效目标：完成防治作业面积5.2万亩，实施项目不少于512个);
        # elsewhere those words state what was done, or a target of another kind
        goal = (sec is not None and sec.kind == "goals") or form_goal or re.search(r"目标|计划|预期", text[s:m.start()])
        done = r"其中|累计|已|实际|共计|合计|每" + ("" if goal else r"|完成|不少于|不低于|以上|≥")
        if planned and not re.search(done, clause):
            if form_goal:  # the form's plan names what it counts after the figure: 为全县340名在岗乡村医生发放
                stop = re.search(r"[，,、；;。]", text[m.end():m.end() + 16])
                clause = text[lo:m.end() + (stop.start() if stop else 16)]
            key = (m.group(), frozenset(_bigrams(clause)))
            if key not in seen_plans:  # a plan repeated word for word is one plan
                seen_plans.add(key)
                plans.append((m, lo, clause, key[1], form_goal))
    found = 0
    # the 自评表's rows, and targets the narrative sets (年度指标值≥6个，实际完成6个), with each
    # row's target and name read once for the check that a plan is another row's
    rows = [*report.indicators, *report.prose_indicators]
    read = [(o, _row_target(o), _bigrams(o.level3.text)) for o in rows]
    for row in rows:
        if row.target is None or row.empty:
            continue
        t = parse_target(row.target.text)
        if t.qualitative or t.value is None or not t.unit or "%" in t.unit:
            continue
        unit = t.unit.lstrip("万")
        if not re.fullmatch(QTY_UNITS, unit):
            continue
        target = in_units(t.value, t.unit)
        keys = _bigrams(row.level3.text)
        if len(keys) < 2:
            continue
        for m, lo, clause, near, form_goal in plans:
            mu = m.group("unit").lstrip("万")
            if SYNONYM.get(mu, mu) != SYNONYM.get(unit, unit) or len(keys & near) < (3 if form_goal else 2):
                continue
            v = in_units(to_float(m.group("num")), m.group("unit"))
            if abs(v - target) <= 0.01 * max(v, target) or not 0.5 <= v / target <= 2:
                continue
            if any(ot is not None and abs(ot - v) <= 0.01 * v and len(ok & near) >= 2
                   and not lo <= o.target.start <= m.end()  # (the plan read as a prose row is the plan itself)
                   for o, ot, ok in read if o is not row):
                continue  # the plan is another row's (购置主战消防车2辆 beside 抢险救援消防车 ≥1辆)
            where = "自评表" if any(row is r for r in report.indicators) else "正文"
            yield Finding(message=f"计划写“{clause.strip()}”，{where}“{row.level3.text.strip()}”的指标值却为{row.target.text.strip()}",
                          evidence=[(lo, m.end()), row.row], expected=m.group().strip(), stated=row.target.text.strip())
            found += 1
            break
        if found >= 3:
            return
