"""Helpers for the narrative rules: amounts, counts, prices, dates, name matching."""

from __future__ import annotations
import re
from datetime import date
from typing import Iterator
from reviewer.checks._common import in_spans
from reviewer.checks.base import CheckContext, Finding
from reviewer.models import Amount, Report
from reviewer.structure.numbers import NUM, UNIT_SCALE, to_float
from reviewer.lazy_re import lazy


TOTAL_WORD = lazy(r"(合计|共计|总计|总额|共需资金|共需|共花费|总投资|总金额|审定金额)\s*(约|为|是|：|:)?\s*$")


PARTS_START = lazy(r"其中[：:，,]?|包括[：:]?|分别(是|为)?[：:]?")


def _money_tol(ctx: CheckContext, *amounts: Amount) -> float:
    """Tolerance in 元: the profile's 万元 tolerance, and half a unit of the least precise token."""
    base = ctx.profile.money_tolerance * 1e4
    for a in amounts:
        dec = len(a.text.split(".")[1].rstrip("万亿千元 ")) if "." in a.text else 0
        base = max(base, 0.5 * 10 ** (-dec) * UNIT_SCALE[a.unit] * 1.0001)
    return base


def _is_unit_price(text: str, a: Amount) -> bool:
    """``1000元/个``, ``每村600元``, ``标准1000元``: a price per unit, not an amount of money
    (``按标准发放补助金13.46万元`` is the amount paid)."""
    before = text[max(0, a.start - 8):a.start]
    after = text[a.end:a.end + 2]
    per = re.search(r"(每|标准|单价)([^\d，。；,;]{0,5})$", before)
    # "按…标准发放扶助金134.64万元": what was paid at the rate, not the rate
    if per and per.group(1) == "标准" and re.search(r"发放|兑付|支付|拨付|下达|合计|累计|共计", per.group(2)):
        per = None
    return (per is not None or before.rstrip().endswith(("×", "x", "X", "*"))
            or after[:1] in "/／" or "每" in after)


def _amounts(report: Report, ctx: CheckContext) -> list[Amount]:
    return [a for a in report.amounts if not _is_unit_price(ctx.text, a)]


def _list_gap(gap: str) -> bool:
    """The words between two amounts of one list: a separator (、；) or a short label after
    a comma ("，完善类"), with no numbers, verbs of payment or dates in between."""
    if re.search(r"[、；;]", gap):
        return True
    return bool(re.fullmatch(r"[，,][^\d，,。；;]{1,14}", gap)) and not re.search(r"支付|执行|拨付|截至|截止|合计|共计", gap)


COUNT_UNITS = "个辆天村人家户台套次所间份名处条年月生张顶艘批亩块只件组部位"


LONG_UNITS = "公里|千米|平方米|立方米|吨|课时|学时"


# a count and its unit on one line (81.64 above a line 年度总体目标 is no count of years)
COUNT_RE = lazy(rf"(?P<num>{NUM})[ \t\u3000]*(?P<unit>万?人次|{LONG_UNITS}|[{COUNT_UNITS}])")


PRICE_RE = lazy(
    rf"(?P<per>(?:每[^\d，,。；;、]{{1,5}}?)+)(?P<num>{NUM})\s*(?P<unit>万元|元)|"
    rf"(?P<num2>{NUM})\s*(?P<unit2>万元|元)\s*[/／](?P<per2>{LONG_UNITS}|[{COUNT_UNITS}](?:[·.][{COUNT_UNITS}])?)|"
    rf"单价\s*(?:为|是)?\s*(?P<num3>{NUM})\s*(?P<unit3>万元|元)(?!\s*[/／每])"
)


SYNONYM = {"生": "人", "名": "人", "位": "人", "人次": "人"}


def is_date_part(text: str, c: re.Match) -> bool:
    """A count that is part of a date, not a number of years or months: 2023年, 2024年3月15日, 9月仍有."""
    unit = c.group("unit")
    if unit == "年":
        return re.fullmatch(r"(?:19|20)\d{2}", c.group("num")) is not None
    # a number of months is written N个月; a bare N月 (9月仍有, 2024年3月15日) names a month
    return unit == "月"


def _report_count(text: str, report: Report, unit: str, start: int | None = None,
                  end: int | None = None) -> tuple[float, str] | None:
    """The one count the report gives for ``unit`` elsewhere ("全县118个行政村"), when it
    gives exactly one distinct value for it; between ``start`` and ``end`` when given (the
    paragraph of a price, when the report as a whole gives two values)."""
    lo, hi = (report.start if start is None else start), (report.end if end is None else end)
    vals: dict[float, str] = {}
    for c in COUNT_RE.finditer(text, lo, hi):
        if SYNONYM.get(c.group("unit"), c.group("unit")) == unit and not re.match(r"\s*[元/／]", text[c.end():c.end() + 1]) \
                and not is_date_part(text, c):
            vals.setdefault(to_float(c.group("num")), c.group())
    if unit == "村":  # "118个行政村": the count word sits before 行政村
        for c in re.finditer(rf"(?P<num>{NUM})\s*个(?:行政)?村", text[lo:hi]):
            vals.setdefault(to_float(c.group("num")), c.group())
    return next(iter(vals.items()), None) if len(vals) == 1 else None


def _per_units(m: re.Match) -> list[str] | None:
    """The units a price is per: 每人每月 → [人, 月]; 元/天·辆 → [天, 辆]; 单价 → [any]."""
    if m.group("per"):
        units = re.findall(r"每(.)", m.group("per"))
        if any(u not in COUNT_UNITS for u in units):
            return None
        return [SYNONYM.get(u, u) for u in units]
    if m.group("per2"):
        if re.fullmatch(LONG_UNITS, m.group("per2")):
            return [m.group("per2")]
        return [SYNONYM.get(u, u) for u in re.findall(rf"[{COUNT_UNITS}]", m.group("per2"))]
    return ["*"]


SAME_KEYS = [("总投资", lazy(r"总投资|总金额|投资总额")), ("预算", lazy(r"全年预算|预算资金|预算数|年初预算|预算安排")),
             ("执行", lazy(r"执行数|已支付|支出"))]


def _contract_like(label: str, noun: str) -> bool:
    groups = [("合同", "招标", "中标"), ("预算",), ("总投资", "投资"), ("到位",), ("拨付", "拨款")]
    for g in groups:
        if any(w in noun for w in g):
            return any(w in label for w in g)
    return False


PCT_OF = lazy(rf"占(?P<noun>[^，,。；;的]{{1,12}})的?\s*(?P<pct>{NUM})\s*[%％]")


REMAIN = lazy(rf"(剩余|结余|尚欠|余额|退回|未支出|未使用)[^\d，,。；;]{{0,6}}?(?P<num>{NUM})\s*(?P<unit>万元|元)")


PAID = lazy(r"已支付|累计支付|已拨付|支付了|实际支出|执行数")


BASE = lazy(r"预算|合计|合同|总投资|总额|总金额|招标|中标|欠付|欠款|应付")


DEDUCT = lazy(rf"应得(?:分)?\s*(?P<a>{NUM})\s*分[，,]\s*扣\s*(?P<b>{NUM})\s*分[，,]\s*(?:评价)?得分\s*(?P<c>{NUM})\s*分")


DATE = r"(?:(?P<y{n}>20\d{{2}})\s*年\s*)?(?P<m{n}>\d{{1,2}})\s*月\s*(?P<d{n}>\d{{1,2}})\s*日"


PLAN_ACT = lazy(
    r"(?:计划|预计|原定)(?P<ev1>开工|竣工|完工|完成|交付|上线)(?:日期|时间)?(?:为|是|：|:)*\s*" + DATE.format(n=1)
)


ACT = r"实际(?:于)?(?P<ev2>开工|竣工|完工|完成|交付|上线)?(?:日期|时间)?(?:为|是|：|:|于)*\s*" + DATE.format(n=2)


ACT_RE = lazy(ACT)


ACT_AFTER_DATE = lazy(r"(?:实际|项目|工程|已)于\s*" + DATE.format(n=2) + r"(?:前)?(?P<ev2>开工|竣工|完工|完成|交付|上线)")


PLAN_BEFORE = lazy(r"(?:计划|预计|原定|要求)(?:于|在)?\s*" + DATE.format(n=1) + r"(?:前|之前)?(?P<ev1>开工|竣工|完工|完成|交付|上线)")


DELAY_WORDS = lazy(r"延期|推迟|滞后|延误|晚于|逾期|未按期|顺延|延后")


def _date(m: re.Match, n: int, default_year: int | None) -> date | None:
    """The date held by groups y{n}/m{n}/d{n} of a plan/actual match."""
    from reviewer.structure.dates import parse_date

    start = m.start(f"y{n}") if m.group(f"y{n}") else m.start(f"m{n}")
    return parse_date(m.string[start:m.end(f"d{n}")], default_year or 2000)


NARR_RATE = lazy(rf"(?:预算)?执行率\s*(?:为|达到|是|：|:)?\s*(?P<pct>{NUM})\s*[%％]")


APPROP = lazy(r"拨付|拨款|下达|安排")


COMPLETE = lazy(r"执行率\s*(?:为|达到)?\s*100\s*%|完成率\s*(?:为|达到)?\s*100\s*%|均达到预期目标|全部完成|全面完成|圆满完成|已全部支付")


GAP_AMOUNT = lazy(r"(尚欠|剩余|缺口|未支付|差额|结转|欠款|未拨付|余款|尾款)[^。；;，,\d]{0,10}\d[\d.,]*\s*[万亿]?元")


PART_SCORE = lazy(rf"[（(]指标分值\s*(?P<w>{NUM})\s*分[，,]\s*得分\s*(?P<s>{NUM})\s*分[）)]")


PART_NAMES = lazy(r"(产出|效益|满意度|预算执行|成本)")


PART_ITEM = lazy(rf"(?:预算执行率?|产出|效益|满意度|成本|决策|过程)(?:指标)?(?:得分|得)?\s*(?P<v>{NUM})\s*分")


PART_LIST_TOTAL = lazy(
    rf"(?P<items>(?:(?:预算执行率?|产出|效益|满意度|成本|决策|过程)(?:指标)?(?:得分|得)?\s*{NUM}\s*分[、，,；;\s]*){{2,}})"
    rf"(?:合计|共计|总分|自评总分|自评得分|总得分)(?:为)?\s*(?P<tot>{NUM})\s*分")


PART_CLAIM = lazy(
    rf"(?P<name>数量|质量|时效|成本|经济效益|社会效益|生态效益|可持续影响|满意度|产出|效益)指标(?:分析|方面)?"
    rf"(?:[（(]?\s*(?:共|指标分值|分值)\s*(?P<w>{NUM})\s*分[，,]\s*(?:得分|得)\s*(?P<s>{NUM})\s*分"
    rf"|(?:合计|共|总)?得分\s*(?P<s2>{NUM})\s*分)"
)


QUALITY_ADMIT = lazy(r"存在[^。；;，,]{0,12}质量问题|质量不合格|质量缺陷|需返工|质量不达标")


BUDGET_STMT = lazy(r"全年预算|调整后预算|年初预算数?|预算数为")


APPROPRIATION = lazy(r"拨付|下达|拨款")


DONE_EVENT = lazy(r"(完工|竣工|完成|交付|上线|投入使用)")


PLAN_WORDS = lazy(r"计划|预计|要求|目标|原定|应于|力争|争取|确保|前完成|之前完成")


QTY_UNITS = r"万?(?:人次|客次|批次|场次|户次|车次|班次|平方米|公里|千米|立方米|吨|户|人|个|部|台|套|所|家|村|处|座|条|块|场|次|项|艘|张|顶|辆|亩|份|件|册|期|名|例|起|宗|本|头|只|棵|株|盏|趟|卷|尾|羽|枚|箱|袋)"


QTY_RE = lazy(rf"(?P<num>{NUM})\s*(?P<unit>{QTY_UNITS})")


GENERIC_NAME = lazy(r"指标\d*[:：]?|数量|完成|实际|情况|率|年度|全年|累计|新增|指标|总")


# The blanks before the number are bounded: the name may itself hold blanks, so an unbounded
# \s* made every start in a run of 20,000 spaces rescan the run (130 CPU-s, issue 15).
PCT_CLAIM = lazy(rf"(?P<name>[^\d，,。；;、]{{2,12}}?)(?:达到|为|达)?\s{{0,4}}(?P<num>{NUM})\s*+[%％]")


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
        if re.search(r"(?:由|从)?(?:上年|去年|上一年|同期|基期)(?:的)?\s*$", text[max(0, m.start("num") - 8):m.start("num")]):
            continue  # last year's figure (遗体火化率由上年的41.6%提高到47.3%)
        row, actual, target, _ = rows[i]
        v = to_float(m.group("num"))
        if abs(v - actual) < 1e-6 or (target and target.value is not None and abs(v - target.value) < 1e-6):
            continue
        yield Finding(message=f"正文称{name.strip()}{m.group('num')}%，自评表“{row.level3.text.strip()}”实际完成值为{row.actual.text.strip()}",
                      evidence=[(m.start(), m.end()), row.row], expected=row.actual.text.strip(), stated=f"{m.group('num')}%")


def in_units(value: float, unit: str) -> float:
    """A count written with 万 (3.6万吨, 1.2万人次) in its plain units."""
    return value * (1e4 if unit.startswith("万") else 1)


def _bigrams(s: str) -> set[str]:
    s = GENERIC_NAME.sub("", re.sub(r"\s+", "", s))
    return {s[i:i + 2] for i in range(len(s) - 1)}


SHARE_OF = lazy(rf"(?P<subj>[^，,。；;、\d]{{2,14}}?)(?:资金|金额|经费)?占(?P<noun>[^，,。；;的\d]{{2,14}})的?\s*(?P<pct>{NUM})\s*[%％]")


def _overlap(a: str, b: str) -> int:
    return len(_bigrams(a) & _bigrams(b))


COUNT_CLAIM = lazy(rf"(?:共|共计)?设置(?:了)?\s*(?P<n>{NUM})\s*[项个条](?:三级|绩效)?指标")


ALL_DONE = lazy(r"全面完成|圆满完成|全部完成(?:了)?(?:年度|全年)?(?:目标|任务)|均(?:已)?达到(?:或超过)?(?:预期|年度)?(?:目标|指标)|全部达到|完全实现|"
                      r"各项(?:绩效)?目标(?:均已|均|已)(?:完成|实现)|各项指标均(?:得|获)?满分|"
                      r"(?:各项)?指标均(?:已)?(?:按期|如期)?完成|各项(?:产出|绩效)?指标(?:已|均已)?(?:全部|全面)完成|(?:年度)?绩效目标(?:已|均已)?(?:全部|全面)(?:完成|实现)|达到了预期(?:目标|效果)|"
                      r"(?:已)?按(?:照)?计划完成(?:了)?(?:各项)?(?:年度|全年|既定)?(?:绩效)?(?:目标|任务)")


QTY_TOTAL = lazy(r"(共计|合计|总计|共有|共)\s*$")


def _unit(u: str) -> str:
    """Units that mean the same count: 场次 = 场, 户次 = 户."""
    return {"场次": "场", "户次": "户"}.get(u, u)


SPEND_LIST = lazy(r"(?:全年)?(?:支出|资金使用|资金支出)(?:中|明细|情况|构成)?[：:，,]")


RANGE = lazy(r"(?P<a>20\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)\s*(?:至|到|—|－|-|~|～)\s*(?P<b>20\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)")


# money handed on in full (拨付完毕): spent only as far as the units spent it, so it contradicts
# only an execution rate clearly below 100%
ALLOCATED_ALL = lazy(r"(?:已)?全部拨付完毕")
SPENT_ALL = lazy(r"(?:资金)?(?:已)?全部(?:拨付到位并)?(?:支付|使用|执行|支出)(?:完毕|完成)|已全部支付|全部用完|使用完毕|"
                       r"(?:已)?(?:全面|全额|全部)拨付(?:并)?使用|"
                       r"(?:已)?全部(?:兑付|发放)(?:到位|完毕|到户)?")  # paid out to recipients: spent, unlike 拨付


WRONG_YEAR_PARA = lazy(r"(?:^|\n)[^\S\n]*(20\d{2})\s*+年度?[，,]\s*+(?:我|本)(?:局|单位|中心|办|院|所|委|项目)")
