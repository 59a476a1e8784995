"""Rules on the 项目资金 table of the 自评表 (D01–D04) and on funds rate rows."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks._common import decimals, fmt, in_spans, rounding_tol, sentence_at, stops_in, table_spans
from reviewer.checks._narrative import NARR_RATE
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.checks.narrative_rates import PART_RATE
from reviewer.models import Report
from reviewer.structure.funds import total_row
from reviewer.structure.numbers import to_float
from reviewer.lazy_re import lazy

MONEY_FIELDS = (("budget_initial", "年初预算数"), ("budget_full", "全年预算数"), ("executed", "全年执行数"))


@rule("D01", "资金来源合计", kind="arithmetic", severity="error")
def funds_rows_add_up(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """年度资金总额 must equal 财政拨款 + 上年结转 + 其他资金, column by column.

    Bad:  年度资金总额 90 | 其中：财政拨款 89.97 | 其他资金 5
    Good: 年度资金总额 94.97 | 其中：财政拨款 89.97 | 其他资金 5
    """
    f = report.funds
    tr = total_row(f)
    if not f or tr is None or len(f.rows) < 2:
        return
    parts = [r for r in f.rows if r is not tr]
    if any(all(getattr(r, k) is None for k, _ in MONEY_FIELDS) and re.search(r"\d", ctx.text[r.name.end:r.name.end + 12])
           for r in parts):
        return  # a source row whose figures stand beside it but could not be read: the sum is not known
    last = max(c.end for r in f.rows for c in (r.name, *(getattr(r, k) for k, _ in MONEY_FIELDS)) if c is not None)
    if stops_in(report, ctx.text, last):
        return  # the text stops among the source rows: some of them lie past the cut
    tol = ctx.profile.money_tolerance * (1e4 if f.unit == "元" else 1)
    for field, label in MONEY_FIELDS:
        total = getattr(tr, field)
        vals = [getattr(r, field) for r in parts if getattr(r, field) is not None]
        if total is None or not vals:
            continue
        s = sum(v.value for v in vals)
        if abs(s - total.value) > tol:
            yield Finding(
                message=f"{label}：年度资金总额应等于各来源之和 {fmt(s, 4)}，表中填写 {total.text}",
                evidence=[total, *vals], expected=fmt(s, 4), stated=total.text)


@rule("D02", "预算执行率计算", kind="arithmetic", severity="error")
def execution_rate(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """执行率 = 全年执行数 ÷ 全年预算数 × 100%.

    Bad:  全年预算数 80 | 全年执行数 70 | 执行率 95%
    Good: 全年预算数 80 | 全年执行数 70 | 执行率 87.5%
    """
    tr = total_row(report.funds)
    if tr is None or tr.rate is None or tr.executed is None:
        return
    budget = tr.budget_full or tr.budget_initial
    if budget is None or budget.value <= 0:
        return
    rate = tr.executed.value / budget.value * 100
    stated = tr.rate.value
    tol = rounding_tol(tr.rate.text, ctx.profile.percent_tolerance)
    if tr.rate.unit != "%" and "%" not in tr.rate.text and stated <= 1.5:
        stated, tol = stated * 100, rounding_tol(tr.rate.text, 0) * 100  # a rate written as a ratio: 0.958, 1
    if abs(rate - stated) > tol:
        yield Finding(
            message=f"执行率应为 全年执行数{tr.executed.text} ÷ 全年预算数{budget.text} = {fmt(rate)}%，表中填写 {tr.rate.text}",
            evidence=[tr.rate, tr.executed, budget], expected=f"{fmt(rate)}%", stated=tr.rate.text)


@rule("D03", "超预算执行", kind="contradiction", severity="warning")
def over_execution(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """全年执行数 may not exceed 全年预算数; 执行率 above 100% needs an explanation.

    Bad:  全年预算数 50 | 全年执行数 56.3 | 执行率 112.6%
    Good: 全年预算数 56.3 (调整后) | 全年执行数 56.3 | 执行率 100%
    """
    tr = total_row(report.funds)
    if tr is None or tr.executed is None:
        return
    budget = tr.budget_full or tr.budget_initial
    if budget is not None and tr.executed.value > budget.value + ctx.profile.money_tolerance:
        yield Finding(message=f"全年执行数 {tr.executed.text} 超过全年预算数 {budget.text}，超预算支出须说明依据",
                      evidence=[tr.executed, budget], expected=f"≤ {budget.text}", stated=tr.executed.text)
    elif tr.rate is not None and tr.rate.value > 100 + ctx.profile.percent_tolerance:
        yield Finding(message=f"执行率 {tr.rate.text} 超过100%", evidence=[tr.rate], expected="≤ 100%", stated=tr.rate.text)


@rule("D04", "执行率得分", kind="arithmetic", severity="error")
def execution_score(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """预算执行率得分 = min(执行率, 100%) × 分值.

    Bad:  分值 10 | 执行率 87.5% | 得分 10
    Bad:  分值 10 | 执行率 96.74% | 得分 9.76     — two decimals are held to 0.02 (9.67)
    Good: 分值 10 | 执行率 87.5% | 得分 8.75
    """
    tr = total_row(report.funds)
    if tr is None or tr.weight is None or tr.score is None or tr.weight.value >= 50:
        return  # a 分值 of 100 here is the whole table's total, not the 执行率 weight
    rate = None
    budget = tr.budget_full or tr.budget_initial
    if tr.executed is not None and budget is not None and budget.value > 0:
        rate = tr.executed.value / budget.value
    elif tr.rate is not None:
        rate = tr.rate.value / 100
    if rate is None:
        return
    exp = min(rate, 1.0) * tr.weight.value
    # the tolerance follows the precision the score is written in: a score given to two
    # decimals (9.76 for 96.74% × 10 = 9.67) is held to 0.02, unless the profile is lenient
    tol = ctx.profile.score_tolerance
    if decimals(tr.score.text) >= 2 and tol <= 0.1:
        tol = 0.02
    tol = max(tol, 0.5 * 10 ** -decimals(tr.score.text))
    if abs(exp - tr.score.value) > tol:
        yield Finding(message=f"执行率得分应为 执行率{fmt(min(rate, 1.0) * 100)}%（超过100%按100%计）× 分值{tr.weight.text} = {fmt(exp)}，表中填写 {tr.score.text}",
                      evidence=[tr.score, tr.weight] + ([tr.rate] if tr.rate else []), expected=fmt(exp), stated=tr.score.text)


RATE_ROWS = [
    # (row label pattern, numerator label, denominator label, formula shown)
    (lazy(r"到位率"), "实际到位", "预算安排", "实际到位 ÷ 预算安排"),
    (lazy(r"预算完成率|预算执行率"), "实际支出", "预算安排", "实际支出 ÷ 预算安排"),
    (lazy(r"支出实现率|支出率"), "实际支出", "实际到位", "实际支出 ÷ 实际到位"),
]


@rule("D02B", "资金明细表比率", kind="arithmetic", severity="error")
def funds_detail_rates(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """In a 投入指标 table (预算安排, 实际到位, 实际支出 …), each rate must follow the
    standard formula of 财预〔2020〕10号 附件1: 资金到位率 = 实际到位 ÷ 预算资金, etc.

    Bad:  预算安排 2700000 | 实际投入 2683950 | 实际到位 2700000 | 实际到位率 (3)÷(2) 100.60%
    Good: 实际到位率 = 实际到位 ÷ 预算安排 = 100%
    """
    for ti in report.tables:
        table = ctx.parsed.tables[ti]
        values: dict[str, float] = {}
        for row in table.rows:
            cells = [c for c in row if c.text.strip()]
            if len(cells) < 2:
                continue
            label = re.sub(r"\s+", "", cells[0].text)
            nums = [c for c in cells[1:] if re.fullmatch(r"[\d,.\s]+%?", c.text.strip()) and not c.text.strip().startswith("(")]
            if not nums:
                continue
            for name in ("预算安排", "实际投入", "实际到位", "实际支出", "资金结余"):
                if label.startswith(name) and "%" not in nums[0].text:
                    values[name] = float(nums[0].text.replace(",", "").replace(" ", ""))
            for pat, num, den, formula in RATE_ROWS:
                if pat.search(label) and "%" in nums[0].text and num in values and values.get(den):
                    stated = float(nums[0].text.replace(" ", "").rstrip("%"))
                    exp = values[num] / values[den] * 100
                    if abs(exp - stated) > rounding_tol(nums[0].text.rstrip("%"), ctx.profile.percent_tolerance):
                        row_ref = (cells[0].start, cells[-1].end)
                        yield Finding(message=f"{label}应为 {formula} = {fmt(exp)}%，表中填写 {nums[0].text.strip()}",
                                      evidence=[row_ref], expected=f"{fmt(exp)}%", stated=nums[0].text.strip())
            if label.startswith("资金结余") and "实际到位" in values and "实际支出" in values and "资金结余" in values:
                exp = values["实际到位"] - values["实际支出"]
                if abs(exp - values["资金结余"]) > ctx.profile.money_tolerance * 1e4:
                    yield Finding(message=f"资金结余应为 实际到位 − 实际支出 = {fmt(exp)}，表中填写 {nums[0].text.strip()}",
                                  evidence=[(cells[0].start, cells[-1].end)], expected=fmt(exp), stated=nums[0].text.strip())


UNSPENT_REASON = lazy(r"原因|由于|因为|剩余|余额|差额|结余|结转|未(?:能|及时)?(?:支付|拨付|使用|执行|支出|到位|下达)|不到位|尚未|质保金|节约|延期|顺延|滞后|推迟|缓慢|未完工|未验收|清算")


@rule("D64", "执行率低而无说明", kind="contradiction", severity="warning")
def low_execution_unexplained(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A budget executed at less than 60% (less than 90% in a narrative report seen whole) while
    the report says nothing about why the rest was not spent (结余、结转、未支付的原因): the
    results and the score cannot be read without it.

    Bad:  年初预算数 310.2 | 全年执行数 154.74 | 执行率 50%   (no word on the other half)
    Good: 年初预算数 310.2 | 全年执行数 154.74 | 执行率 50% … 剩余155.46万元因合同分两年支付，2024年支付
    """
    tr = total_row(report.funds)
    if tr is not None and tr.executed is not None:
        budget = tr.budget_full or tr.budget_initial
        if budget is None or budget.value <= 0:
            return
        rate = tr.executed.value / budget.value * 100
        where = f"（{tr.executed.text} ÷ {budget.text}）"
        ev = (tr.name.start, max(r.end for r in (tr.executed, budget, tr.rate, tr.score) if r is not None))
    elif report.funds is None and report.truncated_at is None:
        # a narrative report seen whole: the rate it states (not one source's)
        spans = table_spans(report, ctx.parsed)
        rates = {m.group("pct"): m for m in NARR_RATE.finditer(ctx.text, report.start, report.end)
                 if not in_spans(m.start(), spans) and not PART_RATE.search(ctx.text, max(report.start, m.start() - 12), m.start())}
        if len(rates) != 1:
            return
        (pct, m), = rates.items()
        rate, where, ev = to_float(pct), "", (m.start(), m.end())
    else:
        return
    # below 60%; a narrative report seen whole (its explanation cannot lie past a cut, and no
    # form's row stands for it) below 90%
    if rate >= (90 if tr is None else 60):
        return
    for m in UNSPENT_REASON.finditer(ctx.text, report.start, report.end):
        s, e = sentence_at(ctx.text, m.start(), report.start, report.end)
        if re.search(r"资金|经费|万元|元|预算|支出|支付", ctx.text[s:e]) and not re.search(r"原因分析|原因及", ctx.text[m.start():m.end() + 3]):
            return  # the report explains the money it did not spend
    yield Finding(message=f"预算执行率只有{fmt(rate)}%{where}，报告没有说明未执行资金的原因和去向",
                  evidence=[ev], expected="说明未执行原因", stated=f"{fmt(rate)}%")
