"""Roll-up rules: weights (D10, D11), total score (D12), grade (D13), inflation (D25)."""

from __future__ import annotations

from typing import Iterator

from reviewer.checks._common import cut_figure, fmt, rows_complete, rows_cut, sentence_at, stops_in
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.models import Report, TextRef
from reviewer.structure.funds import total_row
from reviewer.structure.scores import grade_of, recompute_total
from reviewer.lazy_re import lazy


def _exec_weight_unread(report: Report, gap: float, ctx: CheckContext) -> bool:
    """Whether a gap between the rows and the 总分 row is the 预算执行率 weight (10 by default,
    at most that score) of a funds row the reader did not get (a form read column by column)."""
    tr = total_row(report.funds)
    exec_weight = ctx.profile.weights.get("预算执行率", 10.0)
    # the rows' weights make the 总分 row's 100 (a 预算执行率 row among them): nothing was left unread
    total_w = next((s.weight.value for s in report.subtotals if s.level == 0 and s.weight is not None), None)
    row_w = sum(r.weight.value for r in report.indicators if r.weight is not None)
    if total_w is not None and abs(row_w - total_w) <= ctx.profile.score_tolerance:
        return False
    return (tr is None or tr.weight is None) and 0 < gap <= exec_weight + ctx.profile.score_tolerance


# a total row of the indicators alone: 绩效指标得分合计, 指标总分
INDICATORS_TOTAL = lazy(r"指标")


@rule("D10", "权重汇总", kind="arithmetic", severity="error")
def weights_roll_up(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Σ 三级指标分值 = 二级指标分值; Σ 二级 = 一级; a 小计 row equals its members.

    Bad:  数量指标（12）: 2 + 2 + 2 + 2
    Good: 数量指标（8）: 2 + 2 + 2 + 2
    """
    tol = ctx.profile.score_tolerance
    rows = report.indicators
    if not rows_complete(ctx.parsed):
        return
    for sub in report.subtotals:
        if sub.weight is None or not sub.members:
            continue
        if any(rows[i].weight_in_label for i in sub.members):
            continue  # weights read out of labels: too fragile to add up
        ws = [rows[i].weight for i in sub.members if rows[i].weight is not None]
        if len(ws) != len([i for i in sub.members if not rows[i].empty]):
            continue  # some member row has no weight: nothing reliable to add up
        if stops_in(report, ctx.text, max(rows[i].row.end for i in sub.members)):
            continue  # the text stops in this group: its other rows lie past the cut
        total = sum(w.value for w in ws)
        if sub.level in (1, 2) and abs(total - sub.weight.value) > tol:
            parts = " + ".join(fmt(w.value) for w in ws)
            yield Finding(message=f"{sub.name}的分值写为{sub.weight.text}，其下各指标分值合计 {parts} = {fmt(total)}",
                          evidence=[sub.ref], expected=fmt(total), stated=sub.weight.text)
    # the whole table: Σ row weights (+ 执行率 weight) = the 总分 row's 分值
    for sub in report.subtotals:
        if sub.level != 0 or sub.weight is None:
            continue
        ws = [rows[i].weight.value for i in sub.members if rows[i].weight is not None]
        tr = total_row(report.funds)
        extra = tr.weight.value if tr is not None and tr.weight is not None and tr.weight.value < 50 \
            and not INDICATORS_TOTAL.search(sub.name) else 0
        total = sum(ws) + extra
        if not extra and _exec_weight_unread(report, sub.weight.value - total, ctx):
            continue  # the 执行率 row's 10 points are the gap, and its row was not read
        if ws and abs(total - sub.weight.value) > tol:
            yield Finding(message=f"各指标分值合计{fmt(total)}" + (f"（含预算执行率{fmt(extra)}分）" if extra else "")
                                  + f"，总分行写为{sub.weight.text}", evidence=[sub.ref], expected=fmt(total), stated=sub.weight.text)
    # 一级 stated weight vs its 二级 stated weights
    l1 = [s for s in report.subtotals if s.level == 1 and s.weight is not None and not s.name.endswith("小计")]
    for s1 in l1:
        if any(rows[i].weight_in_label for i in s1.members):
            continue
        l2 = [s for s in report.subtotals if s.level == 2 and s.weight is not None and s.members
              and set(s.members) <= set(s1.members)]
        if len(l2) < 2:
            continue
        total = sum(s.weight.value for s in l2)
        if abs(total - s1.weight.value) > tol:
            closing = next((s for s in report.subtotals if s.name == f"{s1.name}小计" and s.weight is not None), None)
            yield Finding(message=f"{s1.name}分值为{fmt(s1.weight.value)}，其二级指标分值 "
                                  f"{' + '.join(fmt(s.weight.value) for s in l2)} = {fmt(total)}，不相等",
                          evidence=[s1.ref] + ([closing.ref] if closing else []) + [s.ref for s in l2],
                          expected=fmt(total), stated=fmt(s1.weight.value))


@rule("D11", "一级指标权重", kind="format", severity="info", absence=True, default_off=True)
def default_weights(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """First-level weights follow 产出50 / 效益30 / 满意度10 / 预算执行率10 unless the
    report explains the adjustment (财预〔2020〕10号 allows it, so this is off by default: turn it
    on with ``select = ["D11"]``, as a province that fixes the split would).

    Bad:  产出指标 80 | 效益指标 10 | 满意度 10
    Good: 产出指标 50 | 效益指标 30 | 满意度 10 | 预算执行率 10
    """
    if not rows_complete(ctx.parsed):
        return
    expected = ctx.profile.weights
    l1 = [s for s in report.subtotals if s.level == 1 and not s.name.endswith("小计")]
    known = [s for s in l1 if any(s.name.startswith(k) for k in expected)]
    if len(known) < 2 or len(known) < len(l1):
        return  # another framework (e.g. 决策/过程/产出/效益): the default split does not apply
    off = []
    for s1 in known:
        key = next(k for k in expected if s1.name.startswith(k))
        w = s1.weight.value if s1.weight else sum(report.indicators[i].weight.value for i in s1.members
                                                   if report.indicators[i].weight is not None)
        if w and abs(w - expected[key]) > ctx.profile.score_tolerance:
            off.append((s1, key, w))
    if off:
        stated = "、".join(f"{key}{fmt(w)}" for _, key, w in off)
        exp = "、".join(f"{key}{fmt(expected[key])}" for _, key, _ in off)
        yield Finding(message=f"一级指标权重为{stated}，默认应为{exp}（如有调整应说明理由）",
                      evidence=[s1.ref for s1, _, _ in off], expected=exp, stated=stated)


@rule("D12", "总分", kind="arithmetic", severity="error")
def total_score(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The stated 自评得分 equals the sum of the indicator scores (plus the 预算执行率
    score); a table 总分 row and the narrative must agree.

    Bad:  表中各项得分合计90分，正文“自评得分98分”
    Good: 表中各项得分合计90分，正文“自评得分90分”
    """
    tol = ctx.profile.score_tolerance
    calc = recompute_total(report) if rows_complete(ctx.parsed) else None
    total_sub = next((s for s in report.subtotals if s.level == 0 and s.score is not None), None)
    table_total = total_sub.score if total_sub is not None else None
    # a total of the indicators alone (绩效指标得分合计), the 执行率 score added after it in another
    # proportion (综合得分 = 指标得分 × 90% + 执行率得分): the rows' sum without the funds score, and
    # the narrative's 综合得分 is another figure
    indicators_only = total_sub is not None and INDICATORS_TOTAL.search(total_sub.name)
    if indicators_only and calc is not None:
        calc = round(sum(r.score.value for r in report.indicators if r.score is not None), 2)
    narrative = [t for t in report.stated_totals if table_total is None or t.start != table_total.start]
    if calc is not None and table_total is not None and abs(calc - table_total.value) > tol \
            and not _exec_weight_unread(report, table_total.value - calc, ctx) \
            and not cut_figure(report, ctx.text, table_total, calc):
        yield Finding(message=f"表中总分{table_total.text}与各项得分合计{fmt(calc)}不符", evidence=[table_total],
                      expected=fmt(calc), stated=table_total.text)
    yield from _summary_totals(report, tol)
    ref_total = table_total.value if table_total is not None else calc
    if ref_total is None or indicators_only:
        return
    if table_total is None and rows_cut(report):
        return  # the text stops inside the form, before its 总分: the rows seen are not all the scores
    for t in narrative:
        if t.unit != "分" or abs(t.value - ref_total) <= tol:
            continue
        src = "自评表总分" if table_total is not None else "各项指标得分合计"
        kind = "contradiction" if table_total is not None else "arithmetic"
        yield Finding(message=f"正文自评得分{fmt(t.value)}分，{src}为{fmt(ref_total)}分",
                      evidence=[t] + ([table_total] if table_total is not None else []),
                      expected=fmt(ref_total), stated=fmt(t.value), kind=kind)


def _summary_totals(report: Report, tol: float) -> Iterator[Finding]:
    """D12 on a score summary (一级指标 | 分值 | 得分, one row per group and a 合计): the 合计
    row's score is the sum of the groups' scores above it."""
    run: list = []
    for sub in report.subtotals:
        if sub.members or sub.score is None:
            run = []
        elif sub.level == 1:
            run.append(sub)
        elif sub.level == 0:
            total = sum(s.score.value for s in run)
            if len(run) >= 2 and abs(total - sub.score.value) > tol:
                yield Finding(message=f"{sub.name}得分{sub.score.text}，各项得分 {' + '.join(s.score.text for s in run)} = {fmt(total)}",
                              evidence=[sub.score], expected=fmt(total), stated=sub.score.text)
            run = []


@rule("D13", "等级与得分不符", kind="contradiction", severity="error")
def grade_matches(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The grade follows the score: ≥90 优, 80–89 良, 60–79 中, below 60 差.

    Bad:  自评得分98分，总体自评结果良好
    Good: 自评得分98分，等级为“优”
    """
    if len({round(t.value, 2) for t in report.stated_totals}) > 1 and not report.indicators:
        # a department's report scores several projects: each grade goes with the score of its sentence
        yield from _grades_by_sentence(report, ctx)
        return
    g = grade_of(report.stated_grade)
    score = report.stated_total.value if report.stated_total is not None else \
        recompute_total(report) if rows_complete(ctx.parsed) and not rows_cut(report) else None
    if g is None or score is None:
        return  # (no total stated, and the rows read may not be all of them: no sum to grade)
    exp = ctx.profile.grade(score)
    if exp != g:
        ev = [report.stated_grade] + ([report.stated_total] if report.stated_total is not None else [])
        yield Finding(message=f"得分{fmt(score)}分对应等级“{exp}”，报告写为“{g}”",
                      evidence=ev, expected=exp, stated=g)


def _grades_by_sentence(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """D13 where several scores are stated: the grade in the sentence of each score."""
    from reviewer.structure.scores import GRADE_RE

    text = ctx.text
    for t in report.stated_totals:
        s, e = sentence_at(text, t.start, report.start, report.end)
        m = GRADE_RE.search(text, t.end, e)
        g = grade_of(TextRef(text=m.group(), start=m.start(), end=m.end())) if m else None
        exp = ctx.profile.grade(t.value)
        if g is not None and exp != g:
            yield Finding(message=f"得分{fmt(t.value)}分对应等级“{exp}”，报告写为“{g}”",
                          evidence=[(m.start(), m.end()), t], expected=exp, stated=g)


ADMISSION = lazy(r"未能实现|未能达到|未达到|未完成|仅达到|尚有\d+|暂未|未开通|滞后|延期|推迟|标准模糊|因主观性|难以量化|未按期|少于计划|低于目标")
# a shortfall counted against the target (较目标少4座): an admission for a claim that all was met,
# though a report that says so usually deducts for it too (no D25 on it alone)
SHORT_BY = lazy(r"(?:较|比)(?:年度)?(?:目标|计划)(?:少|低|减少)")


@rule("D25", "自评结果虚高", kind="score_inflation", severity="warning")
def inflated_result(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A near-perfect score while the report's own table or text shows a shortfall:
    every row full marks, total ≥ 98, yet 执行率 < 100% or a target missed; or a total of
    90+ while the report admits a missed target or vague indicators.

    Bad:  自评评价得分99分 … 畅通率仅达到95%，未能实现100%
    Good: 自评得分93.5分（畅通率95%，按比例扣分）
    """
    tot = report.stated_total
    if tot is None or tot.value < 90:
        return
    text = ctx.text
    tr = total_row(report.funds)
    rows = [r for r in report.indicators if r.weight is not None and r.score is not None]
    if rows_cut(report):
        # the text stops inside the form: rows past the cut may carry deductions, but none can
        # give back what the form's own 执行率 score took off (9.40 of 10: 99.4 at most)
        yield from _score_above_funds_row(report, ctx, tot, tr)
        return
    if rows and all(r.score.value >= r.weight.value - 1e-9 for r in rows) and tot.value >= ctx.profile.inflation_total:
        exec_deducted = (tr is not None and tr.score is not None and tr.weight is not None
                         and tr.score.value < tr.weight.value - ctx.profile.score_tolerance)
        if tr is not None and tr.rate is not None and tr.rate.value < 100 - ctx.profile.percent_tolerance \
                and not exec_deducted:  # 执行率96% scored 9.6 of 10: the total already carries it
            yield Finding(message=f"各项指标均为满分、总分{fmt(tot.value)}分，但预算执行率只有{tr.rate.text}",
                          evidence=[tot, tr.rate], expected="按执行率扣分", stated=fmt(tot.value))
            return
    if any(r.score.value < r.weight.value - ctx.profile.score_tolerance for r in rows) or any(
            s.level == 1 and s.weight is not None and s.score is not None
            and s.score.value < s.weight.value - ctx.profile.score_tolerance for s in report.subtotals):
        return  # the table (or its score summary, 产出指标 | 50 | 47.50) already deducts for shortfalls;
        # whether enough is D05/D24's business
    if not rows and tot.value >= 100 - 1e-9:
        # a narrative report scored in full: its own sentences show a target missed or money unspent
        found = list(_full_score_against_prose(report, ctx, tot))
        if found:
            yield from found
            return
    if not rows:
        found = list(_score_above_execution(report, ctx, tot))
        if found:
            yield from found
            return
    if not rows and report.truncated_at is not None and tot.value < 100 - 1e-9:
        return  # the form may lie past the cut and deduct for what the text admits (a full 100 deducted nothing)
    for sec in report.sections:
        if sec.kind not in ("problems", "performance", "measures"):
            continue
        m = ADMISSION.search(text, sec.body.start, sec.body.end)
        if m:
            s, e = sentence_at(text, m.start(), sec.body.start, sec.body.end)
            yield Finding(message=f"自评得分{fmt(tot.value)}分接近满分，但报告自己承认“{text[s:e].strip()[:40]}”，"
                                  "未完成的目标应按比例扣分",
                          evidence=[tot, (s, e)], expected="按未完成程度扣分", stated=fmt(tot.value))
            return


def _full_score_against_prose(report: Report, ctx: CheckContext, tot) -> Iterator[Finding]:
    """D25 for a report without scored rows: 100 points while a prose indicator falls short of
    its target, or the stated 执行率 is below 100%."""
    from reviewer.checks._common import in_spans, table_spans
    from reviewer.checks._narrative import NARR_RATE
    from reviewer.checks.indicator_rows import _compare, _met

    short = [r for r in report.prose_indicators if (c := _compare(r)) is not None and not _met(*c)]
    if short:
        r = short[0]
        yield Finding(message=f"自评得分{fmt(tot.value)}分（满分），但报告写明“{r.level3.text.strip()}”"
                              f"实际{r.actual.text.strip()}，未达到目标{r.target.text.strip()}，未完成的指标应扣分",
                      evidence=[tot, r.row], expected="按未完成程度扣分", stated=fmt(tot.value))
        return
    spans = table_spans(report, ctx.parsed)
    for m in NARR_RATE.finditer(ctx.text, report.start, report.end):
        if in_spans(m.start(), spans):
            continue
        pct = float(m.group("pct"))
        if pct < 100 - ctx.profile.percent_tolerance:
            yield Finding(message=f"自评得分{fmt(tot.value)}分（满分），但预算执行率只有{m.group('pct')}%，"
                                  "预算执行率一项即不应得满分",
                          evidence=[tot, (m.start(), m.end())], expected="按执行率扣分", stated=fmt(tot.value))
        return


EXEC_WEIGHT = 10  # the 预算执行率 item's points in the 财预〔2020〕10号 form: the least any template gives it


def _score_above_execution(report: Report, ctx: CheckContext, tot) -> Iterator[Finding]:
    """D25 for a report without scored rows: a total above what its execution rate leaves
    (77% executed loses at least 2.3 of the item's 10 points: 98.5 cannot be reached)."""
    from reviewer.checks._common import in_spans, table_spans
    from reviewer.checks._narrative import NARR_RATE

    spans = table_spans(report, ctx.parsed)
    rates = [m for m in NARR_RATE.finditer(ctx.text, report.start, report.end) if not in_spans(m.start(), spans)]
    if len({m.group("pct") for m in rates}) != 1:
        return  # no rate, or rates that disagree (D86's business)
    m = rates[0]
    pct = float(m.group("pct"))
    if pct >= 100:
        return
    most = 100 - EXEC_WEIGHT * (1 - pct / 100)
    if tot.value > most + ctx.profile.score_tolerance:
        yield Finding(message=f"预算执行率{m.group('pct')}%，执行率一项（{EXEC_WEIGHT}分）至少扣{fmt(100 - most)}分，总分最多{fmt(most)}分，"
                              f"自评得分却为{fmt(tot.value)}分",
                      evidence=[tot, (m.start(), m.end())], expected=f"≤{fmt(most)}", stated=fmt(tot.value))


def _score_above_funds_row(report: Report, ctx: CheckContext, tot, tr) -> Iterator[Finding]:
    """D25 when the form is cut off: a stated total above 100 less the points the funds row's
    执行率 score lost, in a form whose rows seen and 执行率 item fit in 100."""
    if tr is None or tr.weight is None or tr.score is None or tot.value > 100:
        return
    lost = tr.weight.value - tr.score.value
    seen = sum(r.weight.value for r in report.indicators if r.weight is not None)
    if lost <= ctx.profile.score_tolerance or seen + tr.weight.value > 100 + 1e-9:
        return
    most = 100 - lost
    if tot.value > most + ctx.profile.score_tolerance:
        yield Finding(message=f"自评表预算执行率一项得{tr.score.text}分（分值{tr.weight.text}），总分最多{fmt(most)}分，"
                              f"自评得分却为{fmt(tot.value)}分",
                      evidence=[tot, tr.score], expected=f"≤{fmt(most)}", stated=fmt(tot.value))


@rule("D12B", "按规则核算的总分", kind="score_inflation", severity="warning")
def corrected_total(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The total after correcting the scores the rules find wrong (proportional scoring,
    full marks despite a shortfall, the 执行率 score) — when it is lower than the stated
    total by more than a point, the self-evaluation is inflated by that much.

    Bad:  冲锋舟 ≥4艘 完成2艘 得8分；执行率93.71% 得10分；自评得分98分   (核算 94.37分)
    Good: 冲锋舟 得5分；执行率得分9.37分；自评得分94.37分
    """
    from reviewer.checks.indicator_rows import _compare, _met

    if report.stated_total is None or not rows_complete(ctx.parsed) or rows_cut(report):
        return  # (rows past the cut may carry the deductions)
    rows = [r for r in report.indicators if r.score is not None]
    if not rows:
        return
    total, changed = 0.0, []
    for r in rows:
        s = r.score.value
        cmp_ = _compare(r)
        if cmp_ is not None and r.weight is not None:
            op, target, actual = cmp_
            if op in ("≥", ">") and not _met(op, target, actual) and target > 0:
                exp = min(actual / target, 1.0) * r.weight.value
                if abs(exp - s) > max(ctx.profile.score_tolerance, 0.05 * r.weight.value):
                    changed.append((r, s, exp))
                    s = exp
        total += s
    tr = total_row(report.funds)
    if tr is not None and tr.weight is not None and tr.score is not None and tr.weight.value < 50:
        s = tr.score.value
        budget = tr.budget_full or tr.budget_initial
        if tr.executed is not None and budget is not None and budget.value > 0:
            exp = min(tr.executed.value / budget.value, 1.0) * tr.weight.value
            if abs(exp - s) > ctx.profile.score_tolerance:
                changed.append((None, s, exp))
                s = exp
        total += s
    if not changed:
        return
    stated = report.stated_total.value
    if stated - total > 1.0:
        what = "、".join(f"{(r.level3.text.strip() if r else '预算执行率')}{fmt(a)}→{fmt(b)}" for r, a, b in changed[:4])
        # the rows whose scores were corrected, so the reader sees where the points come from
        rows_ev = [r.row if r is not None else tr.score for r, _, _ in changed[:4]]
        yield Finding(message=f"按比例计分核算后总分应为{fmt(total)}分（{what}），自评得分{fmt(stated)}分偏高{fmt(stated - total)}分",
                      evidence=[report.stated_total, *rows_ev], expected=fmt(total), stated=fmt(stated))
