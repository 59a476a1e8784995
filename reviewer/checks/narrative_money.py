"""Rules on money written in the narrative: sums, products, shares, remainders, scale, funding gaps,
unpaid money counted as spent."""

from __future__ import annotations

import itertools
import re
from typing import Iterator

from reviewer.checks._common import clause_start, fmt, in_spans, paragraph_at, rounding_tol, sentence_at, table_spans
from reviewer.checks._narrative import (
    _report_count,
    is_date_part,
    APPROPRIATION,
    BASE,
    BUDGET_STMT,
    COMPLETE,
    COUNT_RE,
    GAP_AMOUNT,
    PAID,
    PARTS_START,
    PCT_OF,
    PRICE_RE,
    QTY_RE,
    QTY_UNITS,
    REMAIN,
    SAME_KEYS,
    SHARE_OF,
    SPEND_LIST,
    SYNONYM,
    TOTAL_WORD,
    _amounts,
    _contract_like,
    _is_unit_price,
    _list_gap,
    _money_tol,
    _overlap,
    _per_units,
)
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.models import Amount, Report
from reviewer.structure.funds import total_row
from reviewer.structure.numbers import NUM, UNIT_SCALE, to_float
from reviewer.lazy_re import lazy


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
        if len(parts) < 2:  # (also a total named as one, 项目总投资3900万元，其中…, with its parts after it)
            parts = []
            after = text[tot.end:tot.end + 6]
            lead = len(after) - len(after.lstrip("，,。；;（( "))
            m2 = PARTS_START.match(after[lead:])
            next_sentence = False
            if not m2:
                # "全年支出558.00万元,预算执行率90%。其中LED改造支出378.00万元,…": the breakdown opens
                # the next sentence, and the total is its sentence's last amount
                stop = text.find("。", tot.end, pe)
                nxt = amounts[i + 1] if i + 1 < len(amounts) else None
                if 0 <= stop - tot.end <= 30 and (nxt is None or nxt.start > stop) and \
                        PARTS_START.match(text[stop + 1:stop + 6].lstrip()):
                    next_sentence = True
                    lead = stop + 1 - tot.end + (len(text[stop + 1:stop + 6]) - len(text[stop + 1:stop + 6].lstrip()))
                    m2 = PARTS_START.match(text[tot.end + lead:tot.end + lead + 6])
            if m2:
                # the breakdown may open the next sentence (…3267.28万元。其中…): its end is the list's end
                stop = re.search(r"[。\n]", text[tot.end + lead:pe])
                hi = tot.end + lead + stop.start() if stop else pe
                cand = [a for a in amounts[i + 1:] if a.start >= tot.end and a.end <= hi]
                parts = cand[:1]
                by_comma = False  # a part joined only by a comma, as a list item named like the first
                # the total is itself an item of a ；-list (补助180,000元；县级补助182,000元，其中…；运行补助…):
                # its 其中 ends at the next ；, where the list's next item starts
                in_list = bool(re.search(r"[；;]", text[ps:tot.start]))
                if not in_list and _whole_list(text, cand, hi):
                    cand = []  # a list that is the whole breakdown sentence: every amount of it
                    parts = [a for a in amounts[i + 1:] if a.start >= tot.end and a.end <= hi]
                for a in cand[1:]:  # the list ends where two amounts are no longer joined by 、/；
                    gap = text[parts[-1].end:a.start]
                    if in_list and re.search(r"[；;]", gap):
                        break
                    if UNPAID.search(gap):
                        break  # 未支付的尾款62.00万元: money not spent is no part of what was spent
                    if _inside_brackets(gap):
                        continue  # (其中…49万元): a detail of the part before it, not a part of the total
                    comma = not re.search(r"[、；;]", gap)
                    if comma and not _parallel_item(text, parts[0], a, gap) \
                            or TOTAL_WORD.search(text[max(ps, a.start - 8):a.start]):
                        if by_comma:
                            parts = []  # a comma list that goes on with items named otherwise: its end is unsure
                        break
                    by_comma |= comma
                    if abs(sum(x.yuan for x in parts) - tot.yuan) <= _money_tol(ctx, tot, *parts):
                        break  # the parts already make the total: what follows is another clause
                    parts.append(a)
        parts = [a for a in parts if abs(a.yuan - tot.yuan) > _money_tol(ctx, a, tot)]
        if len(parts) < 2:
            continue
        if parts[0].start > tot.start and next_sentence:
            # a breakdown found in the next sentence: it must end that sentence or its clause
            # (…运维支出190.00万元;未支付的尾款…), not stop short of a further item (…，灌溉水电费17.00万元)
            se = text.find("。", parts[-1].end, pe)
            rest = text[parts[-1].end:se if se >= 0 else pe]
            if not re.match(r"\s*[；;]", rest) and any(parts[-1].end < a.start < (se if se >= 0 else pe) for a in amounts):
                continue
        s = sum(a.yuan for a in parts)
        if parts[0].start > tot.start and any(a.start > parts[-1].end and abs(a.yuan - s) <= _money_tol(ctx, a, *parts)
                                              for a in amounts[i + 1:] if a.start < pe):
            continue  # the parts add up to a subtotal named after them (合计财政资金3960万元；居民出资240万元)
        if abs(s - tot.yuan) > _money_tol(ctx, tot, *parts) and s > 0:
            exp = s / UNIT_SCALE[tot.unit]
            yield Finding(message=f"分项金额 {' + '.join(a.text for a in parts)} = {fmt(exp, 4)}{tot.unit}，合计写为 {tot.text}",
                          evidence=[tot, *parts], expected=f"{fmt(exp, 4)}{tot.unit}", stated=tot.text)


def _whole_list(text: str, cand: list[Amount], hi: int) -> bool:
    """Whether the amounts after 其中 are one list that fills its sentence: each joined to the
    next by a comma or 、 and a short name (a bracketed detail aside), the last ending it
    (其中：传承人补助18.6万元（31人），传习所建设补助32万元，展演活动经费12.4万元。)."""
    if len(cand) < 3 or text[cand[-1].end:hi].strip(" ）)") != "":
        return False
    for x, y in zip(cand, cand[1:]):
        gap = re.sub(r"[（(][^（()）]*[）)]", "", text[x.end:y.start])
        if not _list_gap(gap) or UNPAID.search(gap) or TOTAL_WORD.search(gap) or re.search(r"已|支出|支付|用于|到位", gap):
            return False  # (…，已支出70万元: what was spent, not a part)
    return True


UNPAID = lazy(r"未支付|未拨付|尚未|剩余|尾款|质保金")  # (上年结转资金 is a source of the money, not money left)


def _inside_brackets(gap: str) -> bool:
    """The words between two amounts open a bracket they do not close: the second amount is
    a detail in brackets ("218.07万元（“三区”人才项目16个49万元）")."""
    return gap.count("（") + gap.count("(") > gap.count("）") + gap.count(")")


def _parallel_item(text: str, first: Amount, a: Amount, gap: str) -> bool:
    """An amount after a comma continues the list when it is named like the list's first item
    (…“优”的项目79个财政资金3038.38万元，…“中”的项目3个财政资金7万元): the same noun of at least
    two characters right before both amounts, and no word of payment or total in between."""
    if not re.match(r"[，,]", gap) or re.search(r"截至|截止|合计|共计|累计|已", gap):
        return False
    head, here = text[max(0, first.start - 4):first.start], text[max(0, a.start - 4):a.start]
    same = 0
    while same < min(len(head), len(here)) and head[-1 - same] == here[-1 - same]:
        same += 1
    if re.search(r"支付|支出|执行|拨付", gap) and not re.search(r"支付|支出|执行|拨付", here[-same:] if same else ""):
        return False  # a payment word that is not the items' shared name (…改造支出X，运维支出Y is a list)
    if same >= 2 and not re.search(r"[\d.]", here[-same:]):
        return True
    # or each amount right after a count of its own: 新建社区公园2个216万元，更新健身路径30套96万元
    c1 = COUNT_BEFORE.search(text, max(0, first.start - 8), first.start)
    c2 = COUNT_BEFORE.search(text, max(0, a.start - 8), a.start)
    return c1 is not None and c2 is not None and not re.search(r"[\d.]", gap[:len(gap) - (a.start - c2.start())])


COUNT_BEFORE = lazy(r"(?<![\d.])\d+(?:个|套|片|处|所|座|台|辆|户|人|项|条|间|批|家|公里|米|亩)$")


# units a paragraph may count once for its price (每村 → 全县126个行政村); not 年/月/天, which
# a paragraph writes as dates (2023年, 3月)
PARAGRAPH_COUNTABLE = set("人村户家所辆台套")


def _bracketed_by(text: str, report: Report, pos: int) -> Amount | None:
    """The amount directly before the bracket that holds ``pos`` (opening just before it, or
    earlier in it: 18.6万元（31人，每人每年6000元）), if any."""
    k = pos
    while k > report.start and text[k - 1] in " \t":
        k -= 1
    if k <= report.start:
        return None
    if text[k - 1] not in "(（":
        # inside the bracket: its opening within a few words, with no close or sentence end between
        opening = max(text.rfind("(", max(report.start, k - 16), k), text.rfind("（", max(report.start, k - 16), k))
        if opening < 0 or re.search(r"[)）。；;]", text[opening:k]):
            return None
        k = opening + 1
    k -= 1
    while k > report.start and text[k - 1] in " \t":
        k -= 1
    return next((a for a in report.amounts if a.end == k), None)


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
        if re.search(r"约|左右", text[max(report.start, m.start() - 2):m.start() + len(m.group()) - len(num) - len(unit)]):
            continue  # an approximate average cannot be multiplied back exactly
        s, e = sentence_at(text, m.start(), report.start, report.end)
        # the clause group of this price: from the sentence start (or the previous ；) to its end
        lo = clause_start(text, s, m.start(), "；")
        # a price in brackets after an amount (建设补贴300,000元(每家150,000元)) is that amount's:
        # its count, if any, is in the amount's own clause
        owner = _bracketed_by(text, report, m.start())
        if owner is not None:  # its count: in the amount's own clause, or in the bracket before the price
            lo, e = clause_start(text, s, owner.start, "，,；;"), m.start()
        counts = [c for c in COUNT_RE.finditer(text, lo, e)
                  if not (m.start() <= c.start() < m.end()) and not text[c.end():c.end() + 1] in "元/／"
                  and not is_date_part(text, c)]  # 2022年, 2023年3月 are dates
        factors: list[tuple[float, str]] = []
        used: set[int] = set()
        per_units = _per_units(m)
        if per_units is None:
            continue  # priced per something we cannot count (每站)
        for pu in per_units:
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
            elif pu == "年" and owner is not None:
                factors.append((1.0, "1年"))  # 每人每年 in a bracket after the year's amount
            elif owner is not None:
                factors = []  # the bracketed price's own clause gives no count: nothing to multiply
                break
            elif pu != "*" and (n_report := _report_count(text, report, pu)) is not None:
                factors.append(n_report)
            elif pu in PARAGRAPH_COUNTABLE and (n_para := _report_count(text, report, pu, paragraph_at(
                    text, m.start(), report.start, report.end)[0], e)) is not None:
                factors.append(n_para)  # the report gives two counts; the price's paragraph one
            elif pu == "月" and re.search(r"全年|年度|每年", text[lo:e]):
                factors.append((12.0, "12个月"))
            elif pu == "年":
                factors.append((1.0, "1年"))
            else:
                factors = []
                break
        if not factors:
            continue
        totals = [owner] if owner is not None else \
            [a for a in report.amounts if m.end() <= a.start < e and not _is_unit_price(text, a)]
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


# a count and its share of a whole the report counts elsewhere: 新能源公交车676辆，占运营车辆总数的87.2%
COUNT_SHARE = lazy(rf"(?P<num>{NUM})\s*(?P<unit>{QTY_UNITS})[，,]?\s*占(?:全[市县区镇乡])?(?P<noun>[\u4e00-\u9fff]{{2,10}}?)"
                   rf"(?:总数|总量|总人数|总户数|总)?的?(?:比例|比重)?(?:为|达到?)?\s*(?P<pct>{NUM})\s*[%％]")


# a part's share of the total its sentence counts: 共保障低保对象11,386人，其中…农村低保对象8,482人，农村低保对象占比72.8%
NAMED_SHARE = lazy(rf"(?P<noun>[\u4e00-\u9fff]{{2,10}}?)(?:所)?占比(?:为|达到?)?\s*(?P<pct>{NUM})\s*[%％]")


def _share_in_sentence(text: str, m: re.Match, s: int) -> tuple[re.Match, re.Match] | None:
    """(part, whole) for a NAMED_SHARE in the sentence starting at ``s``: the part is the count
    written right after the same noun, the whole the count a 其中 list opens with."""
    counts = list(QTY_RE.finditer(text, s, m.start()))
    noun = m.group("noun")
    part = [q for q in counts if text[max(s, q.start() - len(noun) - 2):q.start()].replace("为", "").replace("有", "").endswith(noun)]
    whole = [q for q in counts if re.match(r"\s*[，,]?\s*其中", text[q.end():q.end() + 4])]
    if len(part) != 1 or len(whole) != 1 or part[0].group("unit") != whole[0].group("unit"):
        return None
    return part[0], whole[0]


def _count_shares(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """D30 on counts: the whole is the one figure in the same unit written right after the
    whole's name (运营车辆812辆), anywhere in the report outside its tables; or, for a share
    named 占比, the total the sentence's 其中 list opens with."""
    text = ctx.text
    spans = table_spans(report, ctx.parsed)
    for m in NAMED_SHARE.finditer(text, report.start, report.end):
        if in_spans(m.start(), spans):
            continue
        s, _ = sentence_at(text, m.start(), report.start, report.end)
        got = _share_in_sentence(text, m, s)
        if got is None:
            continue
        part, whole = got
        a, b = to_float(part.group("num")), to_float(whole.group("num"))
        if b <= 0 or a > b:
            continue
        exp = a / b * 100
        if abs(exp - to_float(m.group("pct"))) > rounding_tol(m.group("pct"), ctx.profile.percent_tolerance):
            yield Finding(message=f"{m.group('noun')}{part.group()} ÷ {whole.group()} = {fmt(exp)}%，文中写为 {m.group('pct')}%",
                          evidence=[(m.start(), m.end()), (part.start(), part.end()), (whole.start(), whole.end())],
                          expected=f"{fmt(exp)}%", stated=f"{m.group('pct')}%")
    for m in COUNT_SHARE.finditer(text, report.start, report.end):
        if in_spans(m.start(), spans):
            continue
        unit, noun = m.group("unit"), m.group("noun")
        whole = re.compile(rf"{re.escape(noun)}(?:总数|数量|共有|共计|共|合计|总计|为|达到?|有)*\s*(?P<num>{NUM})\s*{re.escape(unit)}(?![\d\u4e00-\u9fff]{{0,1}}[%％])")
        values = {to_float(w.group("num")): w for w in whole.finditer(text, report.start, report.end)
                  if not in_spans(w.start(), spans) and not m.start() <= w.start() < m.end()}
        if len(values) != 1:
            continue  # no whole, or wholes of different years or places
        (base, w), = values.items()
        part, pct = to_float(m.group("num")), to_float(m.group("pct"))
        if base <= 0 or part > base:
            continue
        exp = part / base * 100
        if abs(exp - pct) > rounding_tol(m.group("pct"), ctx.profile.percent_tolerance):
            yield Finding(message=f"{m.group('num')}{unit} ÷ {noun}{w.group('num')}{unit} = {fmt(exp)}%，文中写为 {m.group('pct')}%",
                          evidence=[(m.start(), m.end()), (w.start(), w.end())], expected=f"{fmt(exp)}%",
                          stated=f"{m.group('pct')}%")


@rule("D30", "占比计算错误", kind="arithmetic", severity="error")
def percent_of_total(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """"X万元，占Y的P%" is checked against the amount of Y stated in the report.

    A count's share is checked the same way against the one count the report gives for the
    whole it names.

    Bad:  累计支付800万元，占合同总金额的45%（合同价1736.18万元）
    Bad:  运营车辆812辆 … 新能源公交车676辆，占运营车辆总数的87.2%   (83.25%)
    Good: 累计支付800万元，占合同总金额的46.08%
    """
    text = ctx.text
    yield from _count_shares(report, ctx)
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
    others = [a.yuan for a in report.amounts if a is not tot and a is not got][:30]
    if any(abs(sum(c) - gap) <= strict for k in (2, 3) for c in itertools.combinations(others, k)):
        return  # other funding stated in the report makes up the gap (several batches of one appropriation)
    if GAP_AMOUNT.search(text, report.start, report.end):
        return  # the report talks about the gap
    ev = [tot, got]
    claim = COMPLETE.search(text, report.start, report.end)
    if claim:
        ev.append((claim.start(), claim.end()))
    yield Finding(message=f"项目总额{tot.text}大于已拨付/支付的{got.text}，差额{fmt(gap / UNIT_SCALE[tot.unit], 4)}{tot.unit}"
                          "的来源或去向未说明" + ("，却称目标全部完成" if claim else ""),
                  evidence=ev, expected="说明资金缺口及解决办法", stated=f"差额{fmt(gap / UNIT_SCALE[tot.unit], 4)}{tot.unit}未说明")


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


@rule("D27C", "支出明细与执行数不符", kind="arithmetic", severity="error")
def spending_items_vs_executed(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A list of spending items ("全年支出中，A万元，B万元，C万元") adds up to the amount
    the report says was executed.

    Bad:  全年执行179.35万元 … 全年支出中，人员经费96.20万元，药品31.45万元，体检42.80万元   (items: 170.45万元)
    Good: 全年执行179.35万元 … 全年支出中，人员经费96.20万元，药品31.45万元，体检42.80万元，宣传8.90万元
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
        # a detail of an item (县级补助182,000元，其中…按半年发放2,000元；) is inside that item, not one more
        items = [a for k, a in enumerate(items) if k == 0 or not (
            "其中" in text[items[k - 1].end:a.start] and not re.search(r"[；;]", text[items[k - 1].end:a.start]))]
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


SPENT_VERB = lazy(r"已使用|已支出|已支付|实际支出|实际使用|执行数|执行金额|完成支出|累计支出|支出|使用")
AMOUNT_END = lazy(r"\d[\d,.]*\s*万?元\s*$")
UNPAID_INSIDE = lazy(r"[（(][^（()）]{0,40}?(?:含|包括|包含)[^（()）]{0,40}?(?:待支付|未支付|尚未支付|应付未付|未结算|未拨付|待拨付)"
                           r"[^（()）]{0,40}?[）)]")


@rule("D75", "未支付款计入支出", kind="contradiction", severity="warning")
def unpaid_counted_as_spent(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Money still to be paid (待支付合同进度款, 尚未支付的质保金) counted in what was used or
    spent overstates execution: only what has been paid is executed.

    Bad:  资金已使用9,965.68万元（含待支付合同进度款1436.8万元）
    Good: 资金已支付8,528.88万元，另有合同进度款1436.8万元待支付
    """
    text = ctx.text
    for m in UNPAID_INSIDE.finditer(text, report.start, report.end):
        s, _ = sentence_at(text, m.start(), report.start, report.end)
        # the bracket hangs on an amount, in a sentence about what was spent (or on one of its parts)
        if AMOUNT_END.search(text[max(s, m.start() - 20):m.start()]) and SPENT_VERB.search(text, s, m.start()):
            yield Finding(message=f"尚未支付的款项计入了已使用（支出）资金：“{m.group()}”，执行数被高估",
                          evidence=[(m.start(), m.end())], expected="只计已支付金额", stated=m.group())


DOC_NUMBER = lazy(r"[\u4e00-\u9fff]{1,10}[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,4}\s*号")
ALLOCATE = lazy(r"下达|拨付|安排|分配|批复|核定|补助")


@rule("D29D", "同一文件金额不一", kind="contradiction", severity="warning")
def same_document_two_amounts(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """One funding document (文号) allocates one amount: cited twice with two different amounts,
    one of them is wrong.

    Bad:  按照X财农〔2023〕12号文件下达资金50万元……根据X财农〔2023〕12号下达资金45万元
    Good: 按照X财农〔2023〕12号文件下达资金50万元……根据X财农〔2023〕12号下达资金50万元
    """
    text = ctx.text
    amounts = _amounts(report, ctx)
    cited: dict[str, list[tuple[re.Match, Amount]]] = {}
    refs = list(DOC_NUMBER.finditer(text, report.start, report.end))
    for k, m in enumerate(refs):
        nxt = refs[k + 1].start() if k + 1 < len(refs) else report.end
        hi = min(nxt, m.end() + 40)
        first = next((a for a in amounts if m.end() <= a.start < hi), None)
        if first is None or not ALLOCATE.search(text, m.end(), first.start) or re.search(r"[。；;\n]", text[m.end():first.start]):
            continue  # only an amount the document itself allocates, in the same clause
        if re.match(r"\s*[、，,]", text[first.end:first.end + 2]) and any(first.end < a.start < first.end + 20 for a in amounts):
            continue  # the first of a list of amounts (A项目30万元、B项目20万元): not the document's total
        # the two characters before the bracket, the year and the number name the document (按照县财农〔…〕 = 县财农〔…〕)
        key = re.sub(r"\s+", "", m.group())
        key = re.search(r"[\u4e00-\u9fff]{0,2}[〔\[［【(（].*$", key).group()
        cited.setdefault(key, []).append((m, first))
    for key, uses in cited.items():
        a0 = uses[0][1]
        for _, a in uses[1:]:
            if abs(a.yuan - a0.yuan) > _money_tol(ctx, a, a0):
                yield Finding(message=f"同一文件{key}下达的金额前后不一：{a0.text} 与 {a.text}",
                              evidence=[(uses[0][0].start(), a0.end), (uses[-1][0].start(), a.end)],
                              expected=a0.text, stated=a.text)
                break
