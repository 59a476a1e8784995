"""Arithmetic and consistency of amounts, rates, scores and dates written in the narrative."""

from __future__ import annotations

import re
from datetime import date
from typing import Iterator

from reviewer.checks._common import fmt, in_spans, paragraph_at, rounding_tol, sentence_at, table_spans
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.models import Amount, Report
from reviewer.structure.funds import total_row
from reviewer.structure.numbers import NUM, UNIT_SCALE, to_float

TOTAL_WORD = re.compile(r"(合计|共计|总计|总额|共需资金|共需|共花费|总投资|总金额|审定金额)\s*(约|为|是|：|:)?\s*$")
PARTS_START = re.compile(r"其中[：:，,]?|包括[：:]?|分别(是|为)?[：:]?")


def _money_tol(ctx: CheckContext, *amounts: Amount) -> float:
    """Tolerance in 元: the profile's 万元 tolerance, and half a unit of the least precise token."""
    base = ctx.profile.money_tolerance * 1e4
    for a in amounts:
        dec = len(a.text.split(".")[1].rstrip("万亿千元 ")) if "." in a.text else 0
        base = max(base, 0.5 * 10 ** (-dec) * UNIT_SCALE[a.unit] * 1.0001)
    return base


def _is_unit_price(text: str, a: Amount) -> bool:
    """``1000元/个``, ``每村600元``, ``标准1000元``: a price per unit, not an amount of money."""
    before = text[max(0, a.start - 8):a.start]
    after = text[a.end:a.end + 2]
    return (bool(re.search(r"(每|标准|单价)[^\d，。；,;]{0,5}$", before)) or before.rstrip().endswith(("×", "x", "X", "*"))
            or after[:1] in "/／" or "每" in after)


def _amounts(report: Report, ctx: CheckContext) -> list[Amount]:
    return [a for a in report.amounts if not _is_unit_price(ctx.text, a)]


@rule("D27", "分项与合计不符", kind="arithmetic", severity="error")
def components_sum(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Amounts listed as parts of a total add up to it.

    Bad:  其中：运维合同7.2万元；外包合同29.72万元，合计32.92万元
    Good: 其中：运维合同7.2万元；外包合同29.72万元，合计36.92万元
    """
    text = ctx.text
    amounts = _amounts(report, ctx)
    for i, tot in enumerate(amounts):
        ps, pe = paragraph_at(text, tot.start, report.start, report.end)
        ps = max(ps, text.rfind("。", ps, tot.start) + 1)  # the full-stop sentence of the total
        parts: list[Amount] = []
        if TOTAL_WORD.search(text[max(ps, tot.start - 8):tot.start]):
            # parts before the total: from the last 其中/包括 in the sentence, else a list right before it
            seg = text[ps:tot.start]
            m = None
            for m in PARTS_START.finditer(seg):
                pass
            if m is not None:
                lo = ps + m.end()
                parts = [a for a in amounts[:i] if lo <= a.start and a.end <= tot.start]
            else:  # a list joined by 、/；right before the total, in the same sentence
                s0, _ = sentence_at(text, tot.start, ps, pe)
                cand = [a for a in amounts[:i] if s0 <= a.start and a.end <= tot.start]
                parts = []
                for a in reversed(cand):
                    nxt = parts[0] if parts else tot
                    gap = text[a.end:nxt.start]
                    if (parts and _list_gap(gap)) or (not parts and len(gap) <= 10):
                        parts.insert(0, a)
                    else:
                        break
                if len(parts) >= 2 and not all(_list_gap(text[x.end:y.start]) for x, y in zip(parts, parts[1:])):
                    parts = []
        else:
            after = text[tot.end:tot.end + 6]
            m2 = PARTS_START.match(after.lstrip("，,。；;（( "))
            if m2:
                stop = re.search(r"[。\n]", text[tot.end:pe])
                hi = tot.end + stop.start() if stop else pe
                cand = [a for a in amounts[i + 1:] if a.start >= tot.end and a.end <= hi]
                parts = cand[:1]
                for a in cand[1:]:  # the list ends where two amounts are no longer joined by 、/；
                    if not re.search(r"[、；;]", text[parts[-1].end:a.start]) or TOTAL_WORD.search(text[max(ps, a.start - 8):a.start]):
                        break
                    parts.append(a)
        parts = [a for a in parts if abs(a.yuan - tot.yuan) > _money_tol(ctx, a, tot)]
        if len(parts) < 2:
            continue
        s = sum(a.yuan for a in parts)
        if abs(s - tot.yuan) > _money_tol(ctx, tot, *parts) and s > 0:
            exp = s / UNIT_SCALE[tot.unit]
            yield Finding(message=f"分项金额 {' + '.join(a.text for a in parts)} = {fmt(exp, 4)}{tot.unit}，合计写为 {tot.text}",
                          evidence=[tot, *parts], expected=f"{fmt(exp, 4)}{tot.unit}", stated=tot.text)


def _list_gap(gap: str) -> bool:
    """The words between two amounts of one list: a separator (、；) or a short label after
    a comma ("，完善类"), with no numbers, verbs of payment or dates in between."""
    if re.search(r"[、；;]", gap):
        return True
    return bool(re.fullmatch(r"[，,][^\d，,。；;]{1,14}", gap)) and not re.search(r"支付|执行|拨付|截至|截止|合计|共计", gap)


COUNT_UNITS = "个辆天村人家户台套次所间份名处条年月生张顶艘批亩块只件组部位"
LONG_UNITS = "公里|千米|平方米|立方米|吨|课时|学时"
COUNT_RE = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>万?人次|{LONG_UNITS}|[{COUNT_UNITS}])")
PRICE_RE = re.compile(
    rf"(?P<per>(?:每[{COUNT_UNITS}][^\d，。；、]{{0,4}}?)+)(?P<num>{NUM})\s*(?P<unit>万元|元)|"
    rf"(?P<num2>{NUM})\s*(?P<unit2>万元|元)\s*[/／](?P<per2>{LONG_UNITS}|[{COUNT_UNITS}](?:[·.][{COUNT_UNITS}])?)|"
    rf"单价\s*(?:为|是)?\s*(?P<num3>{NUM})\s*(?P<unit3>万元|元)(?!\s*[/／每])"
)
SYNONYM = {"生": "人", "名": "人", "位": "人", "人次": "人"}


def _per_units(m: re.Match) -> list[str]:
    """The units a price is per: 每人每月 → [人, 月]; 元/天·辆 → [天, 辆]; 单价 → [any]."""
    if m.group("per"):
        return [SYNONYM.get(u, u) for u in re.findall(rf"每([{COUNT_UNITS}])", m.group("per"))]
    if m.group("per2"):
        if re.fullmatch(LONG_UNITS, m.group("per2")):
            return [m.group("per2")]
        return [SYNONYM.get(u, u) for u in re.findall(rf"[{COUNT_UNITS}]", m.group("per2"))]
    return ["*"]


@rule("D28", "数量×单价≠总额", kind="arithmetic", severity="error")
def count_times_price(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A count times a unit price equals the total stated with them; every unit the price
    is per (每人每月) needs its count (5380人, and 12 months for 全年).

    Bad:  慰问27个单位，标准1000元/个，慰问金2.8万元
    Bad:  重度残疾人护理补贴5380人，每人每月90元，全年发放591.04万元   (5380 × 90 × 12 = 581.04万元)
    Good: 慰问27个单位，标准1000元/个，慰问金2.7万元
    """
    text = ctx.text
    for m in PRICE_RE.finditer(text, report.start, report.end):
        num = m.group("num") or m.group("num2") or m.group("num3")
        unit = m.group("unit") or m.group("unit2") or m.group("unit3")
        price = to_float(num) * UNIT_SCALE[unit]
        s, e = sentence_at(text, m.start(), report.start, report.end)
        # the clause group of this price: from the sentence start (or the previous ；) to its end
        lo = max(s, text.rfind("；", s, m.start()) + 1)
        counts = [c for c in COUNT_RE.finditer(text, lo, e)
                  if not (m.start() <= c.start() < m.end()) and not text[c.end():c.end() + 1] in "元/／"]
        factors: list[tuple[float, str]] = []
        used: set[int] = set()
        for pu in _per_units(m):
            cand = [c for c in counts if c.start() not in used and
                    (pu == "*" or SYNONYM.get(c.group("unit"), c.group("unit")) == pu)]
            if pu == "*" and len(counts) >= 2 and "各" in text[counts[-2].end():counts[-1].start()]:
                c1, c2 = counts[-2], counts[-1]
                factors += [(to_float(c1.group("num")), c1.group()), (to_float(c2.group("num")), c2.group())]
                continue
            if cand:
                c = max((c for c in cand if c.start() < m.start()), key=lambda c: c.start(), default=cand[0])
                used.add(c.start())
                factors.append((to_float(c.group("num")), c.group()))
            elif pu == "月" and re.search(r"全年|年度|每年", text[lo:e]):
                factors.append((12.0, "12个月"))
            elif pu == "年":
                factors.append((1.0, "1年"))
            else:
                factors = []
                break
        if not factors:
            continue
        totals = [a for a in report.amounts if m.end() <= a.start < e and not _is_unit_price(text, a)]
        if not totals:
            continue
        tot = totals[0]
        exp = price
        for v, _ in factors:
            exp *= v
        if abs(exp - tot.yuan) > max(_money_tol(ctx, tot), 0.5):
            expr = " × ".join(t for _, t in factors)
            yield Finding(message=f"{expr} × {num}{unit} = {fmt(exp / UNIT_SCALE[tot.unit], 4)}{tot.unit}，文中写为 {tot.text}",
                          evidence=[(m.start(), m.end()), tot],
                          expected=f"{fmt(exp / UNIT_SCALE[tot.unit], 4)}{tot.unit}", stated=tot.text)


SAME_KEYS = [("总投资", re.compile(r"总投资|总金额|投资总额")), ("预算", re.compile(r"全年预算|预算资金|预算数|年初预算|预算安排")),
             ("执行", re.compile(r"执行数|已支付|支出"))]


@rule("D29", "同一金额前后不一", kind="contradiction", severity="error")
def same_amount_differs(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The same quantity (总投资, 预算, …) carries the same amount wherever it is stated.

    Bad:  以上信息化建设项目总投资237.95万元 … 因该项目总金额237.5万元
    Good: 总投资237.95万元 … 该项目总金额237.95万元
    """
    text = ctx.text
    amounts = _amounts(report, ctx)
    for key, pat in SAME_KEYS:
        group = [a for a in amounts if pat.search(a.label) and "约" not in text[max(0, a.start - 2):a.start]
                 and not re.search(r"其中|分别|每", a.label)]
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if abs(a.yuan - b.yuan) <= _money_tol(ctx, a, b):
                    continue
                big = max(a.yuan, b.yuan)
                if big and abs(a.yuan - b.yuan) / big < 0.01:
                    yield Finding(message=f"同一{key}金额前后不一：{a.text} 与 {b.text}", evidence=[a, b],
                                  expected=a.text, stated=b.text)
                    return


def _contract_like(label: str, noun: str) -> bool:
    groups = [("合同", "招标", "中标"), ("预算",), ("总投资", "投资"), ("到位",), ("拨付", "拨款")]
    for g in groups:
        if any(w in noun for w in g):
            return any(w in label for w in g)
    return False


PCT_OF = re.compile(rf"占(?P<noun>[^，。；的]{{1,12}})的?\s*(?P<pct>{NUM})\s*[%％]")


@rule("D30", "占比计算错误", kind="arithmetic", severity="error")
def percent_of_total(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"X万元，占Y的P%" is checked against the amount of Y stated in the report.

    Bad:  累计支付800万元，占合同总金额的45%（合同价1736.18万元）
    Good: 累计支付800万元，占合同总金额的46.08%
    """
    text = ctx.text
    amounts = _amounts(report, ctx)
    for m in PCT_OF.finditer(text, report.start, report.end):
        before = [a for a in amounts if a.end <= m.start() and m.start() - a.end <= 12]
        if not before:
            continue
        part = before[-1]
        noun = m.group("noun")
        bases = [a for a in amounts if a is not part and _contract_like(a.label + text[a.start - 6:a.start], noun)]
        if not bases:
            continue
        pct = to_float(m.group("pct"))
        tol = rounding_tol(m.group("pct"), ctx.profile.percent_tolerance)
        if any(abs(part.yuan / b.yuan * 100 - pct) <= tol for b in bases if b.yuan):
            continue
        b = bases[0]
        exp = part.yuan / b.yuan * 100
        yield Finding(message=f"{part.text} ÷ {noun}{b.text} = {fmt(exp)}%，文中写为 {m.group('pct')}%",
                      evidence=[part, (m.start(), m.end()), b], expected=f"{fmt(exp)}%", stated=f"{m.group('pct')}%")


REMAIN = re.compile(rf"(剩余|结余|尚欠|余额|退回)[^\d，。；]{{0,6}}?(?P<num>{NUM})\s*(?P<unit>万元|元)")
PAID = re.compile(r"已支付|累计支付|已拨付|支付了|实际支出|执行数")
BASE = re.compile(r"预算|合计|合同|总投资|总额|总金额|招标|中标|欠付|欠款|应付")


@rule("D31", "余额计算错误", kind="contradiction", severity="error")
def remainder(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A stated remainder (剩余/结余/退回) equals a stated total minus what was paid.

    Bad:  预算资金合计36.92万元 … 已支付36.92万元，剩余0.08万元退回财政
    Good: 预算资金合计37万元 … 已支付36.92万元，剩余0.08万元退回财政
    """
    text = ctx.text
    amounts = _amounts(report, ctx)
    for m in REMAIN.finditer(text, report.start, report.end):
        rem = next((a for a in amounts if a.start <= m.start("num") < a.end), None)
        if rem is None:
            continue
        paid = [a for a in amounts if a.end <= m.start() and m.start() - a.end < 40 and PAID.search(text[max(0, a.start - 12):a.start])]
        bases = [a for a in amounts if a is not rem and a not in paid and BASE.search(a.label)]
        if not paid or not bases:
            continue
        p = paid[-1]
        if any(abs(b.yuan - p.yuan - rem.yuan) <= _money_tol(ctx, b, p, rem) for b in bases):
            continue
        near = min(bases, key=lambda b: abs(b.yuan - p.yuan - rem.yuan))
        exp = (near.yuan - p.yuan) / UNIT_SCALE[rem.unit]
        s, e = sentence_at(text, p.start, report.start, report.end)
        yield Finding(message=f"{near.text} − 已支付{p.text} = {fmt(exp, 4)}{rem.unit}，文中却称剩余{rem.text}",
                      evidence=[(s, max(e, rem.end) if rem.start < e + 30 else e), near],
                      expected=f"{fmt(exp, 4)}{rem.unit}", stated=rem.text)


DEDUCT = re.compile(rf"应得(?:分)?\s*(?P<a>{NUM})\s*分[，,]\s*扣\s*(?P<b>{NUM})\s*分[，,]\s*(?:评价)?得分\s*(?P<c>{NUM})\s*分")


@rule("D32", "应得−扣分≠得分", kind="arithmetic", severity="error")
def deduction_arithmetic(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"应得X分，扣Y分，得分Z分" requires Z = X − Y.

    Bad:  本项应得分10分，扣10分，评价得分10分
    Good: 本项应得分10分，扣0分，评价得分10分
    """
    for m in DEDUCT.finditer(ctx.text, report.start, report.end):
        a, b, c = (to_float(m.group(k)) for k in "abc")
        if abs(a - b - c) > ctx.profile.score_tolerance:
            yield Finding(message=f"应得{m.group('a')}分 − 扣{m.group('b')}分 = {fmt(a - b)}分，文中得分{m.group('c')}分",
                          evidence=[(m.start(), m.end())], expected=fmt(a - b), stated=m.group("c"))


DATE = r"(?:(?P<y{n}>20\d{{2}})\s*年\s*)?(?P<m{n}>\d{{1,2}})\s*月\s*(?P<d{n}>\d{{1,2}})\s*日"
PLAN_ACT = re.compile(
    r"(?:计划|预计|原定)(?P<ev1>开工|竣工|完工|完成|交付|上线)(?:日期|时间)?(?:为|是|：|:)*\s*" + DATE.format(n=1)
)
ACT = r"实际(?:于)?(?P<ev2>开工|竣工|完工|完成|交付|上线)?(?:日期|时间)?(?:为|是|：|:|于)*\s*" + DATE.format(n=2)
ACT_RE = re.compile(ACT)
ACT_AFTER_DATE = re.compile(r"(?:实际|项目|工程|已)于\s*" + DATE.format(n=2) + r"(?:前)?(?P<ev2>开工|竣工|完工|完成|交付|上线)")
PLAN_BEFORE = re.compile(r"(?:计划|预计|原定|要求)(?:于|在)?\s*" + DATE.format(n=1) + r"(?:前|之前)?(?P<ev1>开工|竣工|完工|完成|交付|上线)")
DELAY_WORDS = re.compile(r"延期|推迟|滞后|延误|晚于|逾期|未按期|顺延|延后")


def _date(m: re.Match, n: int, default_year: int | None) -> date | None:
    y = m.group(f"y{n}")
    try:
        return date(int(y) if y else (default_year or 2000), int(m.group(f"m{n}")), int(m.group(f"d{n}")))
    except ValueError:
        return None


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
        desc = "；".join(f"计划{p.group('ev1')}{pl.month}月{pl.day}日、实际{ac.month}月{ac.day}日，推迟{(ac - pl).days}天"
                        for p, a, pl, ac in late)
        ev = [x for p, a, _, _ in late for x in ((p.start(), p.end()), (a.start(), a.end()))]
        yield Finding(message=f"{desc}；报告未说明原因，时效指标也未反映", evidence=ev,
                      expected="说明延期原因并据实评价时效", stated="延期未说明")


NARR_RATE = re.compile(rf"(?:预算)?执行率\s*(?:为|达到|是|：|:)?\s*(?P<pct>{NUM})\s*[%％]")


@rule("D19", "正文与表格/正文内部数字不符", kind="contradiction", severity="error")
def narrative_vs_facts(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Budget, execution and rate stated in the narrative agree with each other and with
    the 自评表: 执行率 = 执行数 ÷ 预算数; 预算数 in the text = 预算数 in the table.

    Bad:  全年预算数80万元，执行数71.92万元，预算执行率95%
    Good: 全年预算数80万元，执行数71.92万元，预算执行率89.9%
    """
    text = ctx.text
    amounts = _amounts(report, ctx)
    budgets = [a for a in amounts if re.search(r"全年预算|调整后预算|预算资金|年初预算|预算为|预算安排|资金预算|项目预算", a.label)]
    full_year = [a for a in budgets if re.search(r"全年预算|调整后预算", a.label)]
    execs = [a for a in amounts if re.search(r"执行数|全年执行|实际执行|执行(?!率)|实际支出|支出|已支付", a.label)
             and "预算" not in a.label[-4:]]
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
                             ("executed", r"执行数|实际支出")):
            cell = getattr(tr, field)
            if cell is None:
                continue
            for a in amounts:
                if not re.search(words, a.label):
                    continue
                tv = cell.value * scale
                if abs(a.yuan - tv) <= _money_tol(ctx, a):
                    continue
                ratio = a.yuan / tv if tv else 0
                if tv and (abs(ratio - 1e4) < 1 or abs(ratio - 1e-4) < 1e-8):
                    break  # a 元/万元 mix-up: reported by D20
                yield Finding(message=f"正文{a.label}{a.text}与自评表中{cell.text}不一致",
                              evidence=[a, cell], expected=cell.text, stated=a.text)
                break


APPROP = re.compile(r"拨付|拨款|下达|安排")
COMPLETE = re.compile(r"执行率\s*(?:为|达到)?\s*100\s*%|完成率\s*(?:为|达到)?\s*100\s*%|均达到预期目标|全部完成|全面完成|圆满完成|已全部支付")
GAP_AMOUNT = re.compile(r"(尚欠|剩余|缺口|未支付|差额|结转|欠款|未拨付|余款|尾款)[^。；，\d]{0,10}\d[\d.,]*\s*[万亿]?元")


@rule("D38", "资金缺口未说明", kind="contradiction", severity="warning")
def unexplained_gap(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """When the project's total cost (合计, 审定金额, 共花费, 总投资) exceeds what was funded
    or paid, the report states the gap and how it is covered; otherwise claims of full
    completion are not supported.

    Bad:  租赁费合计304800元 … 全年预算数30万元，执行数30万元，预算执行率100%
    Good: 租赁费合计304800元，财政拨付30万元，差额4800元由单位公用经费列支
    """
    text = ctx.text
    amounts = _amounts(report, ctx)
    totals = [a for a in amounts if TOTAL_WORD.search(text[max(report.start, a.start - 8):a.start])
              or re.search(r"审定金额|共花费|总投资", a.label)]
    funded = [a for a in amounts if re.search(r"执行数|已支付|累计支付|支付|拨付|拨款", a.label)]
    if not totals or not funded:
        return
    tot = max(totals, key=lambda a: a.yuan)
    got = max(funded, key=lambda a: a.yuan)
    strict = ctx.profile.money_tolerance * 1e4  # amounts in a funding statement are exact
    if tot.yuan <= got.yuan + strict:
        return
    gap = tot.yuan - got.yuan
    if any(abs(a.yuan - gap) <= strict for a in report.amounts):
        return  # the gap is stated
    if GAP_AMOUNT.search(text, report.start, report.end):
        return  # the report talks about the gap
    ev = [tot, got]
    claim = COMPLETE.search(text, report.start, report.end)
    if claim:
        ev.append((claim.start(), claim.end()))
    yield Finding(message=f"项目总额{tot.text}大于已拨付/支付的{got.text}，差额{fmt(gap / UNIT_SCALE[tot.unit], 4)}{tot.unit}"
                          "的来源或去向未说明" + ("，却称目标全部完成" if claim else ""),
                  evidence=ev, expected="说明资金缺口及解决办法", stated=f"差额{fmt(gap / UNIT_SCALE[tot.unit], 4)}{tot.unit}未说明")


PART_SCORE = re.compile(rf"[（(]指标分值\s*(?P<w>{NUM})\s*分[，,]\s*得分\s*(?P<s>{NUM})\s*分[）)]")
PART_NAMES = re.compile(r"(产出|效益|满意度|预算执行|成本)")
PART_ITEM = re.compile(rf"(?:预算执行率?|产出|效益|满意度|成本|决策|过程)(?:指标)?(?:得分|得)?\s*(?P<v>{NUM})\s*分")
PART_LIST_TOTAL = re.compile(
    rf"(?P<items>(?:(?:预算执行率?|产出|效益|满意度|成本|决策|过程)(?:指标)?(?:得分|得)?\s*{NUM}\s*分[、，,；;\s]*){{2,}})"
    rf"(?:合计|共计|总分|自评总分|自评得分|总得分)(?:为)?\s*(?P<tot>{NUM})\s*分")


@rule("D39", "分项得分与总分", kind="arithmetic", severity="error")
def part_scores_vs_total(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Part scores written in the narrative ("产出指标（指标分值50分，得分50分）") add up to
    the stated total, when the report has no scored table to recompute from.

    Bad:  产出（得分50分）+ 效益（得分30分）+ 满意度（得分10分），自评得分98分
    Good: 产出50 + 效益30 + 满意度10 + 预算执行率8，自评得分98分
    """
    text = ctx.text
    for m in PART_LIST_TOTAL.finditer(text, report.start, report.end):
        items = list(PART_ITEM.finditer(m.group("items")))
        if len(items) < 2:
            continue
        ssum = sum(to_float(x.group("v")) for x in items)
        stated = to_float(m.group("tot"))
        if abs(ssum - stated) > ctx.profile.score_tolerance:
            yield Finding(message=f"各部分得分 {' + '.join(x.group('v') for x in items)} = {fmt(ssum)}分，合计写为{m.group('tot')}分",
                          evidence=[(m.start(), m.end())], expected=fmt(ssum), stated=m.group("tot"))
            return
    if report.stated_total is None or any(r.score is not None for r in report.indicators):
        return
    parts = list(PART_SCORE.finditer(ctx.text, report.start, report.end))
    if len(parts) < 2:
        return
    s = sum(to_float(m.group("s")) for m in parts)
    if abs(s - report.stated_total.value) > ctx.profile.score_tolerance:
        yield Finding(message=f"各部分得分 {' + '.join(m.group('s') for m in parts)} = {fmt(s)}分，自评得分写为{fmt(report.stated_total.value)}分",
                      evidence=[report.stated_total, *[(m.start(), m.end()) for m in parts]],
                      expected=fmt(s), stated=fmt(report.stated_total.value))


PART_CLAIM = re.compile(
    rf"(?P<name>数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|满意度|产出|效益)指标(?:分析|方面)?"
    rf"(?:[（(]?\s*(?:共|指标分值|分值)\s*(?P<w>{NUM})\s*分[，,]\s*(?:得分|得)\s*(?P<s>{NUM})\s*分"
    rf"|(?:合计|共|总)?得分\s*(?P<s2>{NUM})\s*分)"
)


@rule("D40", "正文分值与自评表不符", kind="contradiction", severity="error")
def narrative_weights_vs_table(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Weights and scores the narrative gives for an indicator group match the 自评表.

    Bad:  成本指标方面共 10 分，得 10 分   (自评表: 成本指标 (30分))
    Good: 成本指标方面共 30 分，得 30 分
    """
    rows = report.indicators
    for m in PART_CLAIM.finditer(ctx.text, report.start, report.end):
        name = m.group("name")
        w = to_float(m.group("w")) if m.group("w") else None
        s = to_float(m.group("s") or m.group("s2"))
        subs = [x for x in report.subtotals if x.level in (1, 2) and re.sub(r"指标$", "", x.name) in (name, name + "指标")
                and not x.name.endswith("小计")]
        if not subs:
            continue
        sub = subs[0]
        tw = sub.weight.value if sub.weight is not None else None
        if tw is None:
            ws = [rows[i].weight.value for i in sub.members if rows[i].weight is not None]
            tw = sum(ws) if ws else None
        scores = [rows[i].score.value for i in sub.members if rows[i].score is not None]
        ts = sum(scores) if scores else None
        if w is not None and tw is not None and abs(tw - w) > ctx.profile.score_tolerance:
            yield Finding(message=f"正文称{name}指标分值{fmt(w)}分，自评表中{sub.name}为{fmt(tw)}分",
                          evidence=[(m.start(), m.end()), sub.ref], expected=fmt(tw), stated=fmt(w))
        elif ts is not None and abs(ts - s) > ctx.profile.score_tolerance:
            yield Finding(message=f"正文称{name}指标得{fmt(s)}分，自评表中各项得分合计{fmt(ts)}分",
                          evidence=[(m.start(), m.end()), sub.ref], expected=fmt(ts), stated=fmt(s))


QUALITY_ADMIT = re.compile(r"存在[^。；，]{0,12}质量问题|质量不合格|质量缺陷|需返工|质量不达标")


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


BUDGET_STMT = re.compile(r"全年预算|调整后预算|年初预算数?|预算数为")
APPROPRIATION = re.compile(r"拨付|下达|拨款")


@rule("D42", "预算数与拨付数不符", kind="contradiction", severity="warning")
def budget_vs_appropriation(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The 全年预算数 equals what the finance bureau appropriated (拨付/下达) for the
    project, or the sum of the appropriations.

    Bad:  财政拨付…改造项目资金20万元 … 全年预算数237965元
    Good: 财政拨付…改造项目资金23.7965万元 … 全年预算数237965元
    """
    text = ctx.text
    amounts = _amounts(report, ctx)
    budgets = sorted((a for a in amounts if BUDGET_STMT.search(a.label)), key=lambda a: "年初" in a.label)
    approps = [a for a in amounts if APPROPRIATION.search(a.label) and not BUDGET_STMT.search(a.label)
               and not re.search(r"追加|其中|配套|结转|补助|年中|另|再", a.label)]
    if not budgets or not approps:
        return
    b = budgets[0]
    distinct: list[Amount] = []
    for a in approps:
        if all(abs(a.yuan - d.yuan) > _money_tol(ctx, a, d) for d in distinct):
            distinct.append(a)
    tol = _money_tol(ctx, b, *distinct)
    if any(abs(a.yuan - b.yuan) <= tol for a in distinct) or abs(sum(a.yuan for a in distinct) - b.yuan) <= tol:
        return
    a = distinct[0]
    sa, ea = sentence_at(text, a.start, report.start, report.end)
    sb, eb = sentence_at(text, b.start, report.start, report.end)
    yield Finding(message=f"财政拨付{a.text}，全年预算数却为{b.text}，两者不一致且未说明差额来源",
                  evidence=[(sa, ea), (sb, eb)], expected=a.text, stated=b.text)


@rule("D20", "元与万元混淆", kind="arithmetic", severity="error")
def unit_scale(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """An amount that is exactly 10,000 times another amount of the same report (or of
    the 自评表) was written in 万元 where 元 was meant, or the other way round.

    Bad:  自评表全年执行数 323.40（万元） … 正文“已支付3234000万元”
    Good: 正文“已支付3234000元”或“已支付323.40万元”
    """
    vals: list[tuple[float, object, str]] = [(a.yuan, a, a.text) for a in _amounts(report, ctx)]
    f = report.funds
    if f is not None:
        scale = UNIT_SCALE.get(f.unit, 1e4)
        for r in f.rows:
            for cell in (r.budget_initial, r.budget_full, r.executed):
                if cell is not None and cell.value:
                    vals.append((cell.value * scale, cell, f"{cell.text}（{f.unit}）"))
    reported: set[int] = set()
    budget = max((v for v, r, _ in vals if isinstance(r, Amount) and re.search(r"预算|总投资|合计|总额", r.label)), default=None)
    if f is not None:
        tr = total_row(f)
        cell = tr and (tr.budget_full or tr.budget_initial)
        if cell is not None and cell.value:
            budget = max(budget or 0, cell.value * UNIT_SCALE.get(f.unit, 1e4))
    if budget:
        for va, ra, ta in vals:
            if (isinstance(ra, Amount) and ra.unit == "万元" and va >= 50 * budget
                    and re.search(r"支付|支出|执行|拨付|费|用于|发放", ra.label)
                    and not re.search(r"总值|产值|GDP|生产总值|累计投资|总投资|收入", ra.label)):
                reported.add(id(ra))
                yield Finding(message=f"{ta}是项目预算的{fmt(va / budget, 0)}倍，疑为把“元”写成了“万元”",
                              evidence=[ra], expected=f"{fmt(ra.value / 1e4, 4)}万元（若原意为元）", stated=ta)
    for i, (va, ra, ta) in enumerate(vals):
        for vb, rb, tb in vals:
            if vb <= 0 or va <= 0 or id(ra) in reported:
                continue
            if abs(va / vb - 1e4) < 1e4 * 1e-3:
                reported.add(id(ra))
                yield Finding(message=f"{ta} 恰为 {tb} 的一万倍，疑为元与万元混用", evidence=[ra, rb],
                              expected=f"{fmt(va / 1e4 / UNIT_SCALE.get(getattr(ra, 'unit', '元') or '元', 1), 4)}{getattr(ra, 'unit', '')}",
                              stated=ta)


DONE_EVENT = re.compile(r"(完工|竣工|完成|交付|上线|投入使用)")
PLAN_WORDS = re.compile(r"计划|预计|要求|目标|原定|应于|力争|争取|确保|前完成|之前完成")


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
            c_lo = max(s, text.rfind("，", s, m.start()) + 1)
            c_hi = text.find("，", m.end(), e)
            c_hi = e if c_hi < 0 else c_hi
            near = text[c_lo:c_hi]
            if not DONE_EVENT.search(near) or PLAN_WORDS.search(near) or re.search(r"开工|验收|批复", near):
                continue
            if re.match(r"\s*(前|之前|以前|底前)", text[m.end():m.end() + 3]) or any(
                    sec.kind == "measures" and sec.body.start <= m.start() < sec.body.end for sec in report.sections):
                continue  # a deadline or a planned measure, not a completion
            if subject and subject not in clause:
                continue
            d = parse_date(m.group(), actual.year)
            if d is None or abs((d - actual).days) <= 3:
                continue
            yield Finding(message=f"正文称{m.group().strip()}完成，自评表“{row.level3.text.strip()}”实际完成值为{row.actual.text.strip()}",
                          evidence=[(s, e), row.row], expected=row.actual.text.strip(), stated=m.group().strip())
            return


QTY_UNITS = r"万?(?:人次|批次|场次|户次|平方米|公里|千米|立方米|吨|户|人|个|部|台|套|所|家|村|处|座|条|块|场|次|项|艘|张|顶|辆|亩|份|件|册|期|名)"
QTY_RE = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>{QTY_UNITS})")
GENERIC_NAME = re.compile(r"指标\d*[:：]?|数量|完成|实际|情况|率|年度|全年|累计|新增|指标|总")


PCT_CLAIM = re.compile(rf"(?P<name>[^\d，。；、]{{2,12}}?)(?:达到|为|达)?\s*(?P<num>{NUM})\s*[%％]")


def _narrative_percents(report: Report, ctx: CheckContext, spans) -> Iterator[Finding]:
    """A rate the narrative reports, compared with the one indicator row whose name it
    matches best (ties and weak matches are skipped: 高血压/糖尿病 管理率 must not cross)."""
    from reviewer.structure.numbers import parse_target

    text = ctx.text
    rows = []
    for r in report.indicators:
        if r.actual is None:
            continue
        a = parse_target(r.actual.text)
        if not a.qualitative and a.value is not None and a.unit == "%":
            rows.append((r, a.value, parse_target(r.target.text) if r.target else None, _bigrams(r.level3.text)))
    if not rows:
        return
    for m in PCT_CLAIM.finditer(text, report.start, report.end):
        if in_spans(m.start(), spans):
            continue
        name = m.group("name")
        nb = _bigrams(name)
        scored = sorted(((len(nb & keys) / max(1, len(keys)), i) for i, (_, _, _, keys) in enumerate(rows)), reverse=True)
        best, i = scored[0]
        if best < 0.6 or (len(scored) > 1 and scored[1][0] == best):
            continue
        if PLAN_WORDS.search(name) or re.search(r"以上|不低于|≥|目标", text[m.end():m.end() + 3] + name):
            continue
        row, actual, target, _ = rows[i]
        v = to_float(m.group("num"))
        if abs(v - actual) < 1e-6 or (target and target.value is not None and abs(v - target.value) < 1e-6):
            continue
        yield Finding(message=f"正文称{name.strip()}{m.group('num')}%，自评表“{row.level3.text.strip()}”实际完成值为{row.actual.text.strip()}",
                      evidence=[(m.start(), m.end()), row.row], expected=row.actual.text.strip(), stated=f"{m.group('num')}%")


def _bigrams(s: str) -> set[str]:
    s = GENERIC_NAME.sub("", re.sub(r"\s+", "", s))
    return {s[i:i + 2] for i in range(len(s) - 1)}


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
    reported = 0
    for row in report.indicators:
        if row.actual is None:
            continue
        a = parse_target(row.actual.text)
        t = parse_target(row.target.text) if row.target else None
        if a.qualitative or a.value is None or not a.unit:
            continue
        if "%" in a.unit:
            continue  # rates: _narrative_percents below
        unit = a.unit.lstrip("万")
        scale = 1e4 if a.unit.startswith("万") else 1
        actual = a.value * scale
        keys = _bigrams(row.level3.text)
        if not keys or not re.fullmatch(QTY_UNITS, unit):
            continue
        for m in QTY_RE.finditer(text, report.start, report.end):
            if in_spans(m.start(), spans) or m.group("unit").lstrip("万") != unit:
                continue
            s, e = sentence_at(text, m.start(), report.start, report.end)
            lo = max(s, text.rfind("，", s, m.start()) + 1, text.rfind("、", s, m.start()) + 1)
            clause = text[lo:m.end()]
            if PLAN_WORDS.search(clause) or re.search(r"不少于|不低于|≥|以上|其中|达到|超过|共有|覆盖", clause):
                continue
            if len(keys & _bigrams(clause)) < 1 or not re.search(r"完成|实际|全年|累计|共", text[s:m.end()]):
                continue
            v = to_float(m.group("num")) * (1e4 if m.group("unit").startswith("万") else 1)
            if abs(v - actual) <= 1e-6 * max(1.0, actual) or (t and t.value is not None and abs(v - t.value * (1e4 if t.unit.startswith("万") else 1)) < 1e-6):
                continue
            if not (0.5 <= v / actual <= 2) if actual else True:
                continue  # a different quantity that shares a unit
            yield Finding(message=f"正文称{text[lo:m.end()].strip()}，自评表“{row.level3.text.strip()}”实际完成值为{row.actual.text.strip()}",
                          evidence=[(lo, m.end()), row.row], expected=row.actual.text.strip(), stated=m.group())
            reported += 1
            break
        if reported >= 3:
            return
    yield from _narrative_percents(report, ctx, spans)



SHARE_OF = re.compile(rf"(?P<subj>[^，。；、\d]{{2,14}}?)(?:资金|金额|经费)?占(?P<noun>[^，。；的\d]{{2,14}})的?\s*(?P<pct>{NUM})\s*[%％]")


def _overlap(a: str, b: str) -> int:
    return len(_bigrams(a) & _bigrams(b))


@rule("D30B", "分项占比错误", kind="arithmetic", severity="error")
def named_share(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"县级配套资金占财政资金的27.5%" is checked against the two amounts the report gives
    for them.

    Bad:  县级配套980万元 … 财政资金3960万元 … 县级配套资金占财政资金的27.5%   (24.75%)
    Good: … 县级配套资金占财政资金的24.75%
    """
    text = ctx.text
    amounts = _amounts(report, ctx)
    for m in SHARE_OF.finditer(text, report.start, report.end):
        if re.match(r"(万|亿)?元", m.group("subj")) or (m.start() > 0 and text[m.start() - 1].isdigit()):
            continue  # "X万元，占…": D30's case
        subj, noun = m.group("subj"), m.group("noun")
        def ctx_of(a: Amount) -> str:
            return a.label + text[a.end:a.end + 4]
        parts = sorted((a for a in amounts if _overlap(ctx_of(a), subj) >= 2 and a.start < m.start()),
                       key=lambda a: (-_overlap(ctx_of(a), subj), m.start() - a.start))
        bases = sorted((a for a in amounts if _overlap(ctx_of(a), noun) >= 1 and a not in parts[:1]),
                       key=lambda a: (-_overlap(ctx_of(a), noun), -a.yuan))
        if not parts or not bases:
            continue
        part, pct = parts[0], to_float(m.group("pct"))
        tol = rounding_tol(m.group("pct"), ctx.profile.percent_tolerance)
        cands = [b for b in bases if b.yuan > part.yuan]
        if not cands or any(abs(part.yuan / b.yuan * 100 - pct) <= tol for b in cands):
            continue
        b = cands[0]
        exp = part.yuan / b.yuan * 100
        yield Finding(message=f"{subj}{part.text} ÷ {noun}{b.text} = {fmt(exp)}%，文中写为{m.group('pct')}%",
                      evidence=[(m.start(), m.end()), part, b], expected=f"{fmt(exp)}%", stated=f"{m.group('pct')}%")


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
    for i, (a, la) in enumerate(found):
        for b, lb in found[i + 1:]:
            if a.group("unit") != b.group("unit"):
                continue
            va, vb = to_float(a.group("num")), to_float(b.group("num"))
            if va == vb or min(va, vb) < 100:
                continue
            if abs(va - vb) / max(va, vb) >= 0.03 or sorted(a.group("num")) != sorted(b.group("num")):
                continue  # only transposed digits of one figure (1164 / 1146)
            if _overlap(la, lb) < 2:
                continue
            yield Finding(message=f"同一数量前后不一：“{la.strip()}{a.group()}”与“{lb.strip()}{b.group()}”",
                          evidence=[(a.start() - len(la.lstrip()), a.end()), (b.start() - len(lb.lstrip()), b.end())],
                          expected=b.group(), stated=a.group())
            return


COUNT_CLAIM = re.compile(rf"(?:共|共计)?设置(?:了)?\s*(?P<n>{NUM})\s*[项个条](?:三级|绩效)?指标")


@rule("D48", "指标个数不符", kind="contradiction", severity="warning")
def indicator_count(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"共设置14项指标" matches the number of indicators in the 自评表 (the 预算执行率
    counts as one when the funds table carries a weight).

    Bad:  自评表设置14项指标   (表中 1 + 11 = 12项)
    Good: 自评表设置12项指标
    """
    rows = [r for r in report.indicators if not r.empty]
    if not rows:
        return
    tr = total_row(report.funds)
    n_table = len(rows) + (1 if tr is not None and tr.weight is not None and tr.weight.value < 50 else 0)
    for m in COUNT_CLAIM.finditer(ctx.text, report.start, report.end):
        n = int(to_float(m.group("n")))
        if n not in (n_table, len(rows)):
            yield Finding(message=f"正文称设置{n}项指标，自评表中有{n_table}项" + ("（含预算执行率）" if n_table != len(rows) else ""),
                          evidence=[(m.start(), m.end())], expected=str(n_table), stated=str(n))


ALL_DONE = re.compile(r"全面完成|圆满完成|全部完成(?:了)?(?:年度|全年)?(?:目标|任务)|均(?:已)?达到(?:预期|年度)?(?:目标|指标)|全部达到|完全实现")


@rule("D49", "声称全面完成却有未完成指标", kind="contradiction", severity="warning")
def claims_all_done(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"全面完成/均达到预期目标" while the 自评表 shows indicators below target or late.

    Bad:  项目全面完成年度改造任务 …  加装电梯数量 | ≥20部 | 14部
    Good: 项目基本完成年度任务，加装电梯完成14部（目标20部），差6部原因是……
    """
    from reviewer.checks.indicator_rows import _compare, _met, date_shortfall

    from reviewer.checks.rollup import ADMISSION

    short = []
    for r in report.indicators:
        c = _compare(r)
        if (c is not None and not _met(*c)) or date_shortfall(r, report.year) is not None:
            short.append(r)
    if not short:
        admitted = [a for a in ADMISSION.finditer(ctx.text, report.start, report.end)]
        claim = next((m for m in ALL_DONE.finditer(ctx.text, report.start, report.end)
                      if not any(sec.kind in ("problems", "measures") and sec.body.start <= m.start() < sec.body.end
                                 for sec in report.sections)), None)
        adm = next((a for a in admitted if claim is not None and abs(a.start() - claim.start()) > 30), None)
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
        s, e = sentence_at(ctx.text, m.start(), report.start, report.end)
        names = "、".join(f"{r.level3.text.strip()}（{r.target.text.strip()}→{r.actual.text.strip()}）" for r in short[:3])
        yield Finding(message=f"正文称“{m.group()}”，但自评表有{len(short)}项指标未达标：{names}",
                      evidence=[(s, e), short[0].row], expected="如实说明未完成情况", stated=m.group())
        return



QTY_TOTAL = re.compile(r"(共计|合计|总计|共有|共)\s*$")


def _unit(u: str) -> str:
    """Units that mean the same count: 场次 = 场, 户次 = 户."""
    return {"场次": "场", "户次": "户"}.get(u, u)


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
                if re.search(r"。|另|此外|未达到|目标", text[prev_end:q.start()]):
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


SPEND_LIST = re.compile(r"(?:全年)?(?:支出|资金使用|资金支出)(?:中|明细|情况|构成)?[：:，,]")


@rule("D27C", "支出明细与执行数不符", kind="arithmetic", severity="error")
def spending_items_vs_executed(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A list of spending items ("全年支出中，A万元，B万元，C万元") adds up to the amount
    the report says was executed.

    Bad:  全年执行179.35万元 … 全年支出中，人员经费96.20万元，药品31.45万元，体检42.80万元，宣传8.90万元   (179.35 vs 179.35? no: 179.35)
    Good: the items add up to the executed amount
    """
    text = ctx.text
    amounts = _amounts(report, ctx)
    executed = [a for a in amounts if re.search(r"执行数|全年执行|实际执行|实际支出|累计支出|全年支出|已支付", a.label)]
    tr = total_row(report.funds)
    exec_values = [a.yuan for a in executed]
    if tr is not None and tr.executed is not None and report.funds is not None:
        exec_values.append(tr.executed.value * UNIT_SCALE.get(report.funds.unit, 1e4))
    if not exec_values:
        return
    for m in SPEND_LIST.finditer(text, report.start, report.end):
        s, e = m.end(), text.find("。", m.end(), report.end)
        e = report.end if e < 0 else e
        items = [a for a in amounts if s <= a.start < e]
        if len(items) < 3 or any(TOTAL_WORD.search(text[max(s, a.start - 8):a.start]) for a in items):
            continue  # a list with its own total is D27's business
        total = sum(a.yuan for a in items)
        tol = _money_tol(ctx, *items)
        if any(abs(total - v) <= tol for v in exec_values):
            continue
        ref = min(exec_values, key=lambda v: abs(v - total))
        if abs(ref - total) / max(ref, 1) > 0.25:
            continue  # probably a partial breakdown, not the whole spending
        unit = items[0].unit
        yield Finding(message=f"支出明细 {' + '.join(a.text for a in items)} = {fmt(total / UNIT_SCALE[unit], 4)}{unit}，"
                              f"与执行数{fmt(ref / UNIT_SCALE[unit], 4)}{unit}不符",
                      evidence=[*items], expected=f"{fmt(ref / UNIT_SCALE[unit], 4)}{unit}", stated=f"{fmt(total / UNIT_SCALE[unit], 4)}{unit}")


RANGE = re.compile(r"(?P<a>20\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)\s*(?:至|到|—|－|-|~|～)\s*(?P<b>20\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)")


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



SPENT_ALL = re.compile(r"(?:资金)?(?:已)?全部(?:拨付到位并)?(?:支付|使用|拨付|执行)(?:完毕|完成|到位)|已全部支付|全部用完|使用完毕")


@rule("D51", "称资金全部支出但执行率不足", kind="contradiction", severity="error")
def spent_all_claim(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"资金已全部支付完毕" while the execution rate is below 100% (table or narrative).

    Bad:  全年执行186.3万元，执行率93.15% … 项目资金已全部支付完毕
    Good: 全年执行186.3万元，执行率93.15%，剩余13.7万元为质保金，2024年6月验收后支付
    """
    text = ctx.text
    tr = total_row(report.funds)
    rate, ref = None, None
    if tr is not None and tr.rate is not None:
        rate, ref = tr.rate.value, tr.rate
    else:
        m = NARR_RATE.search(text, report.start, report.end)
        if m:
            rate, ref = to_float(m.group("pct")), (m.start(), m.end())
    if rate is None or rate >= 100 - ctx.profile.percent_tolerance:
        return
    for m in SPENT_ALL.finditer(text, report.start, report.end):
        s, e = sentence_at(text, m.start(), report.start, report.end)
        yield Finding(message=f"报告称“{m.group()}”，但预算执行率为{fmt(rate)}%", evidence=[(s, e), ref],
                      expected=f"执行率{fmt(rate)}%，说明未支出部分", stated=m.group())
        return


WRONG_YEAR_PARA = re.compile(r"(?:^|\n)\s*(20\d{2})\s*年度?[，,]\s*(?:我|本)(?:局|单位|中心|办|院|所|委|项目)")


@rule("D21B", "正文年份与报告年度不符", kind="contradiction", severity="warning")
def paragraph_in_wrong_year(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A paragraph that opens "2022年度，我局…" in a 2023 report describes another year —
    usually text carried over from last year's report.

    Bad:  （2023年度报告）2022年度，我局严格按照上级核定的标准发放抚恤补助……
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
