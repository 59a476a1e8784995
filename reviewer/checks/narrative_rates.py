"""Rules on rates written in the narrative against the figures they come from:
the execution rate against the budget and spending stated beside it (D61), and an
over-achievement percentage against the planned and achieved counts (D62)."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks._common import fmt, paragraph_at, rounding_tol, sentence_at
from reviewer.checks._narrative import COUNT_UNITS, NARR_RATE, SYNONYM
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.models import Amount, Report
from reviewer.structure.funds import total_row
from reviewer.structure.numbers import NUM, UNIT_SCALE, to_float
from reviewer.lazy_re import lazy

BUDGET_LABEL = lazy(r"预算|下达|安排|批复|到位|总额")
SPENT_LABEL = lazy(r"支出|执行|使用|支付|实际|发放|兑付")
SPENT_WORD = lazy(r"支出|执行|使用|支付|拨付|拨款|兑付|发放")
NOT_SPENT = lazy(r"未|剩余|结余|结转|差额|余额")


def _pick(amounts: list[Amount], label: re.Pattern, avoid: re.Pattern | None = None) -> Amount | None:
    """The last amount before the rate whose label says what it is."""
    for a in reversed(amounts):
        if label.search(a.label) and not NOT_SPENT.search(a.label) and not (avoid and avoid.search(a.label)):
            return a
    return None


def _money(a: Amount) -> str:
    """An amount as written, with its unit once (``87.40万元``)."""
    return a.text if a.text.endswith(a.unit or "") else f"{a.text}{a.unit}"


@rule("D61", "正文执行率与金额不符", kind="arithmetic", severity="error")
def narrative_execution_rate(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 预算执行率 written in the narrative equals the spending divided by the budget stated
    just before it, to the precision it is written in.

    Bad:  下达预算2596万元，全年实际支出2595.6208万元，预算执行率99%      (99.99% → 100%)
    Good: 下达预算2596万元，全年实际支出2595.6208万元，预算执行率99.99%
    """
    text = ctx.text
    for m in NARR_RATE.finditer(text, report.start, report.end):
        found = _rate_of_amounts(report, ctx, m)
        if found is None:
            continue
        got, budget, spent = found
        pct = m.group("pct")
        if abs(got - to_float(pct)) > rounding_tol(pct, ctx.profile.percent_tolerance):
            d = max(1, min(2, len(pct.split(".")[1]) if "." in pct else 0))
            exp = f"{got:.{d}f}".rstrip("0").rstrip(".") + "%"
            yield Finding(message=f"{_money(spent)} ÷ {_money(budget)} = {exp}，文中执行率写为{pct}%",
                          evidence=[(m.start(), m.end()), budget, spent], expected=exp, stated=f"{pct}%")


def _rate_of_amounts(report: Report, ctx: CheckContext, m: re.Match) -> tuple[float, Amount, Amount] | None:
    """(spending ÷ budget × 100, budget, spending) for the amounts stated just before the rate
    ``m`` (or the form's budget for the spending), or None when they are not there."""
    text = ctx.text
    ps, _ = paragraph_at(text, m.start(), report.start, report.end)
    s, _ = sentence_at(text, m.start(), report.start, report.end)
    lo = max(ps, s - 200)
    before = [a for a in report.amounts if lo <= a.start < m.start()]
    spent = _pick(before, SPENT_LABEL)
    if spent is None:
        return None
    # a part of the spending (全年支出21,103.58万元，其中基本支出…、项目支出5,895.12万元): the rate is of the total
    whole = next((a for a in reversed(before) if a.start < spent.start and SPENT_LABEL.search(a.label)
                  and not NOT_SPENT.search(a.label) and re.search(r"其中", text[a.end:spent.start])
                  and not re.search(r"[。；;]", text[a.end:spent.start])), None)
    if whole is not None:
        spent = whole
    elif re.search(r"中央|省级|自治区|市级|县级|区级|旗级|地方|本级|上级", spent.label[-10:]):
        return None  # one source's spending (中央资金执行2585.60万元，执行率100%): its rate is of its own budget
    earlier = [a for a in before if a.start < spent.start]
    # the full-year budget, not the 年初 figure given beside it in brackets
    budget = _pick(earlier, re.compile(r"全年|调整后"), SPENT_WORD) or _pick(earlier, BUDGET_LABEL, SPENT_WORD)
    if budget is not None and not re.search(r"全年|调整后|合计|共计|总计|总额", budget.label) and \
            any(budget.start < a.start < spent.start for a in earlier) and \
            not re.match(r"\s*[，,]?\s*其中", text[budget.end:budget.end + 6]):  # (收入预算X万元，其中…: the whole)
        return None  # one source of several (县级85万元，省级40万元，合计…): not the budget the rate is of
    if budget is None:
        budget = _form_budget(report, spent)  # 实际支出127.50万元 is the form's 执行数: its 预算数
    if budget is None and not re.search(r"其中|分别|用于", spent.label):
        budget = _earlier_total_budget(report, spent)  # not for a part (其中培训支出27.50万元)
    if budget is None or budget.yuan <= 0 or spent.yuan > budget.yuan * 1.5:
        return None
    return spent.yuan / budget.yuan * 100, budget, spent


# a rate of one source or part of the money (中央资金执行率, 其中省级…执行率): not the project's
PART_RATE = lazy(r"(?:中央|省级|省|市级|县级|区级|本级|乡镇|镇级|其中|上年|结转|专项)[^，,。；;\d]{0,8}$")


# a clause about one source of the money: 中央资金执行2585.60万元，执行率100%
PART_CLAUSE = lazy(r"\s*(?:其中[:：，,]?)?(?:中央|省级|省|市级|县级|区级|旗级|地方|本级|乡镇|自治区)(?:财政)?(?:资金|补助|配套)")


@rule("D86", "执行率前后不一致", kind="contradiction", severity="error")
def execution_rate_restated(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The report gives one 预算执行率: the one its own figures bear out (spending ÷ budget in
    the text, or the 自评表's total row) is the one every other mention repeats.

    Bad:  累计支出3471万元，预算执行率89%。…… 四、自评结论 …预算执行率95.6%，自评得分98分
    Good: 累计支出3471万元，预算执行率89%。…… 四、自评结论 …预算执行率89%，自评得分93分
    """
    from reviewer.checks._common import clause_start, in_spans, table_spans

    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    rates = [m for m in NARR_RATE.finditer(text, report.start, report.end)
             if not in_spans(m.start(), spans) and not PART_RATE.search(text, max(report.start, m.start() - 12), m.start())
             and not PART_CLAUSE.match(text, clause_start(text, report.start, m.start(), "。；;\n"), m.start())]
    tol = ctx.profile.percent_tolerance
    ref: tuple[float, object, str] | None = None
    for m in rates:
        found = _rate_of_amounts(report, ctx, m)
        if found is not None and abs(found[0] - to_float(m.group("pct"))) <= rounding_tol(m.group("pct"), tol):
            ref = (to_float(m.group("pct")), (m.start(), m.end()), f"{m.group('pct')}%")
            break
    tr = total_row(report.funds)
    if ref is None and tr is not None and tr.rate is not None and tr.executed is not None:
        budget = tr.budget_full or tr.budget_initial
        if budget is not None and budget.value > 0 and \
                abs(tr.executed.value / budget.value * 100 - tr.rate.value) <= rounding_tol(tr.rate.text.rstrip("%％ "), tol):
            ref = (tr.rate.value, tr.rate, tr.rate.text.strip())
    if ref is None:
        return
    for m in rates:
        if ref[1] == (m.start(), m.end()) or _rate_of_amounts(report, ctx, m) is not None:
            continue  # the reference itself; a rate with its own amounts is D61's
        pct = m.group("pct")
        if abs(to_float(pct) - ref[0]) > rounding_tol(pct, tol):
            yield Finding(message=f"文中执行率写为{pct}%，而报告自己的金额算得（或自评表写明）执行率为{ref[2]}，前后不一致",
                          evidence=[(m.start(), m.end()), ref[1]], expected=ref[2], stated=f"{pct}%")
            return


TOTAL_LABEL = lazy(r"合计|共计|总计|总额|全年预算|调整后预算")


def _earlier_total_budget(report: Report, spent: Amount) -> Amount | None:
    """The project's whole budget stated in an earlier paragraph (项目概况: 县级96万元，省级48万元，
    合计144万元) for a spending whose own paragraph gives none: the last total before it, or
    the one budget figure the report gives before it."""
    earlier = [a for a in report.amounts if report.start <= a.start < spent.start and not SPENT_WORD.search(a.label)
               and not NOT_SPENT.search(a.label)]
    totals = [a for a in earlier if TOTAL_LABEL.search(a.label)]
    if totals:
        return totals[-1]
    budgets = [a for a in earlier if BUDGET_LABEL.search(a.label)]
    return budgets[0] if len(budgets) == 1 else None


def _form_budget(report: Report, spent: Amount) -> Amount | None:
    """The 全年预算数 of the report's funds table, as an amount, when the narrative's spending
    is the table's 全年执行数 (same figure, same unit)."""
    tr = total_row(report.funds)
    if tr is None or tr.executed is None or report.funds is None:
        return None
    budget = tr.budget_full or tr.budget_initial
    scale = UNIT_SCALE.get(report.funds.unit)
    if budget is None or scale is None or abs(tr.executed.value * scale - spent.yuan) > 0.5:
        return None
    return Amount(text=budget.text, start=budget.start, end=budget.end, value=budget.value, unit=report.funds.unit,
                  yuan=budget.value * scale, label="全年预算数")


# the points the execution rate earned, said right after it: 执行率95.19%，该项得分9.52分
# the scores a paragraph gives (得分49.27)
SCORE_IN_LINE = lazy(rf"(?:得分|计分)\s*(?:为|：|:)?\s*(?P<score>{NUM})")
# (a summary line may leave 分 off: 执行率98.00% 得分10；产出指标 …)
RATE_SCORE = lazy(rf"\s*[，,]?\s*(?:该项|此项|该指标|本项)?(?:得分|计分|得)\s*(?:为|：|:)?\s*(?P<score>{NUM})(?:\s*分|(?=\s*[；;，,。]|\s*$))")
WEIGHT_IN = lazy(rf"(?:分值|权重|满分)\s*(?:为|：|:)?\s*(?P<w>{NUM})\s*分|[（(]\s*(?P<w2>{NUM})\s*分\s*[）)]")


@rule("D90", "正文执行率得分", kind="arithmetic", severity="error")
def narrative_execution_score(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The points the narrative gives the 预算执行率 item equal the rate (100% at most) times
    the item's weight: the 自评表's 分值 when it was read, a weight the sentence states, or the
    profile's 预算执行率 weight (10 points in the 财预〔2020〕10号 form) when the score is within it.

    Bad:  预算执行率95.19%，该项得分9.9分      (95.19% × 10 = 9.52)
    Good: 预算执行率95.19%，该项得分9.52分
    """
    from reviewer.checks._common import in_spans, table_spans

    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    tr = total_row(report.funds)
    form_w = tr.weight.value if tr is not None and tr.weight is not None and tr.weight.value < 50 else None
    for m in NARR_RATE.finditer(text, report.start, report.end):
        sc = RATE_SCORE.match(text, m.end(), report.end)
        if sc is None or in_spans(m.start(), spans) or PART_RATE.search(text, max(report.start, m.start() - 12), m.start()):
            continue
        score = to_float(sc.group("score"))
        s, e = sentence_at(text, m.start(), report.start, report.end)
        stated_w = WEIGHT_IN.search(text, s, e)
        weight = form_w or (to_float(stated_w.group("w") or stated_w.group("w2")) if stated_w else None)
        if weight is None:
            default = ctx.profile.weights.get("预算执行率", 10.0)  # the 10号 form's 10 points unless the profile says
            if score > default:
                continue  # not that item, and its weight is not given
            weight = default
        if score > weight + 1e-9:
            continue  # the report's total, not the item's points
        rate = to_float(m.group("pct"))
        exp = min(rate, 100.0) / 100 * weight
        # a score's precision is the one its paragraph writes scores in: "得分10" beside 49.27 and
        # 29.68 is not 9.8 rounded to a whole point
        ps, pe = paragraph_at(text, m.start(), report.start, report.end)
        digits = max([len(sc.group("score").partition(".")[2])] +
                     [len(x.group("score").partition(".")[2]) for x in SCORE_IN_LINE.finditer(text, ps, pe)])
        if abs(exp - score) > max(ctx.profile.score_tolerance, 0.5 * 10 ** -digits):
            yield Finding(message=f"预算执行率{m.group('pct')}%（超过100%按100%计）× 分值{fmt(weight)} = {fmt(exp)}分，"
                                  f"文中该项得分写为{sc.group('score')}分",
                          evidence=[(m.start(), sc.end())], expected=fmt(exp), stated=sc.group("score"))


OVER_PCT = lazy(rf"超(?:出|过)?(?:年度|年初)?(?:任务|计划|目标)(?:数)?(?:的)?\s*(?P<pct>{NUM})\s*[%％]|超额(?:完成)?\s*(?P<pct2>{NUM})\s*[%％]")
PLAN_COUNT = lazy(rf"(?:任务数?|计划数?|目标(?:任务)?数?|年初目标)[^，,。；;\d]{{0,10}}?(?P<num>{NUM})\s*(?P<unit>人次|[{COUNT_UNITS}])")
ACTUAL_COUNT = lazy(rf"实际(?:完成|改造|发放|建设|实施|补助|培训|资助)?[^，,。；;\d]{{0,14}}?(?P<num>{NUM})\s*(?P<unit>人次|[{COUNT_UNITS}])")


@rule("D62", "超额比例与数量不符", kind="arithmetic", severity="error")
def over_target_percent(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"超任务X%" equals (actual − plan) ÷ plan for the planned and achieved counts the report
    gives (or, read loosely, actual ÷ plan).

    Bad:  任务数为115户，实际完成264户 …… 实际改造数超任务43%        ((264−115) ÷ 115 = 129.6%)
    Good: 任务数为115户，实际完成264户 …… 实际改造数超任务129.6%
    """
    text = ctx.text
    for m in OVER_PCT.finditer(text, report.start, report.end):
        pct = m.group("pct") or m.group("pct2")
        plans = [p for p in PLAN_COUNT.finditer(text, report.start, m.start())]
        actuals = [a for a in ACTUAL_COUNT.finditer(text, report.start, m.start())]
        if not plans or not actuals:
            continue
        plan = plans[-1]
        unit = SYNONYM.get(plan.group("unit"), plan.group("unit"))
        same = [a for a in actuals if SYNONYM.get(a.group("unit"), a.group("unit")) == unit and a.start() != plan.start()]
        if not same:
            continue
        act = same[-1]
        p, a = to_float(plan.group("num")), to_float(act.group("num"))
        if p <= 0 or a <= p:
            continue
        excess, ratio = (a - p) / p * 100, a / p * 100
        tol = rounding_tol(pct, ctx.profile.percent_tolerance)
        if min(abs(excess - to_float(pct)), abs(ratio - to_float(pct))) <= tol:
            continue
        s, e = sentence_at(text, m.start(), report.start, report.end)
        yield Finding(message=f"实际{act.group()}比任务{plan.group()}超出 ({fmt(a)} − {fmt(p)}) ÷ {fmt(p)} = {fmt(excess, 1)}%，"
                              f"文中写为超{pct}%", evidence=[(m.start(), m.end()), (plan.start(), plan.end()), (act.start(), act.end())],
                      expected=f"{fmt(excess, 1)}%", stated=f"{pct}%")
