"""Drafting 存在问题 and 改进措施 from a report's own deviations.

* :func:`collect_deviations` finds what the draft may rest on: funds not fully spent,
  indicator rows that fall short (actual < target, score < weight), and rule flags of
  kinds arithmetic / contradiction / missing / score_inflation.  Every figure is copied
  verbatim from the report (with its offsets) or computed here.
* :func:`template_draft` builds a deterministic draft from them (no model): each
  problem names the row / amount it rests on with the report's figures; each measure
  answers one problem with who (责任单位), what, by when (a computed deadline) and a
  measurable target where the report has one.
* :func:`draft_report` asks the model when one is configured (the template and the
  deviations are its material; other reports' sections are style examples only) and
  verifies every number of every sentence; unverifiable sentences are removed.
  Whatever the path, no number reaches the user unverified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from reviewer.llm.numbers import NumberVerifier, parse_value, report_computations
from reviewer.models import Evidence, Flag, ParsedFile, Report, TextRef

DRAFT_KINDS = ("arithmetic", "contradiction", "missing", "score_inflation")
TEMPLATE_LABEL = "模板草稿（未使用大模型，根据审阅发现和报告偏差自动生成，请人工修改完善）"
NO_LLM_DRAFT_NOTICE = ("未配置大模型（OPENAI_BASE_URL/JIXIAO_MODEL），输出模板草稿 / "
                       "no LLM configured (OPENAI_BASE_URL/JIXIAO_MODEL), writing a template draft")
LLM_LABEL = "大模型草稿（所有数字已与报告或程序计算核对，请人工修改完善）"
REVERSE = re.compile(r"[≤<＜]|不超过|不高于|以内|以下|低于")
# months of the deadline by kind of problem: funds must be spent before the fourth
# quarter; indicator progress is checked at the mid-year 绩效运行监控; report quality is
# fixed before the next self-evaluation is submitted.
DEADLINE_MONTH = {"funds": 9, "indicator": 6, "satisfaction": 10,
                  # indicator categories: quantities by mid-year, schedules at the end of the
                  # first quarter, quality and cost before the fourth quarter, benefits by November
                  "数量": 6, "时效": 3, "质量": 9, "成本": 9, "效益": 11}
# indicator category by the words of its 二级/一级 name
CATEGORY = (("满意", "满意度"), ("数量", "数量"), ("质量", "质量"), ("时效", "时效"), ("进度", "时效"), ("成本", "成本"),
            ("效益", "效益"), ("影响", "效益"))
_SENT = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


@dataclass
class Deviation:
    id: str
    kind: str  # funds | indicator | satisfaction | reason | report
    text: str  # problem statement, figures verbatim
    evidence: list[Evidence] = field(default_factory=list)
    target: str | None = None  # measurable target for the measure, when there is one
    subject: str = ""  # short name of the row/amount
    rule: str | None = None
    category: str = ""  # indicators: 数量 / 质量 / 时效 / 成本 / 效益 / 满意度 (see CATEGORY)
    short: bool = False  # the 自评表 shows a shortfall: 完成值 below 指标值, or funds not spent
    correction: str = ""  # rule findings: "，把报告填写的X更正为核算结果Y" when both are figures


@dataclass
class DraftItem:
    text: str
    key: str = ""
    answers: str | None = None  # for measures: the problem key
    basis: list[Evidence] = field(default_factory=list)


@dataclass
class Draft:
    title: str
    mode: str  # "llm" | "template"
    problems: list[DraftItem] = field(default_factory=list)
    measures: list[DraftItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    organisation: str | None = None
    file: str = ""
    report: int = 0

    @property
    def label(self) -> str:
        return LLM_LABEL if self.mode == "llm" else TEMPLATE_LABEL

    def all_text(self) -> str:
        return "\n".join(i.text for i in self.problems + self.measures)

    def text(self) -> str:
        lines = [f"【{self.title}】", self.label, "", "（一）存在问题"]
        lines += [f"{i}. {p.text}" for i, p in enumerate(self.problems, 1)]
        lines += ["", "（二）改进措施"]
        lines += [f"{i}. {m.text}" for i, m in enumerate(self.measures, 1)]
        if self.notes:
            lines += ["", *[f"注：{n}" for n in self.notes]]
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = [f"## {self.title}", "", f"> {self.label}", "", "### （一）存在问题", ""]
        for i, p in enumerate(self.problems, 1):
            lines.append(f"{i}. {p.text}")
            for ev in p.basis[:3]:
                lines.append(f"   - 依据：“{_flat(ev.quote)[:80]}”" + (f"（{ev.location.label()}）" if ev.location else ""))
        lines += ["", "### （二）改进措施", ""]
        lines += [f"{i}. {m.text}" for i, m in enumerate(self.measures, 1)]
        if self.notes:
            lines += ["", *[f"> 注：{n}" for n in self.notes]]
        return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- helpers


def _flat(text: str) -> str:
    """A quote for display on one line (the Evidence itself keeps the exact text)."""
    return re.sub(r"\s+", " ", text).strip()


def _s(ref: TextRef | None) -> str:
    return re.sub(r"\s+", "", ref.text) if ref is not None else ""


def _clean_name(text: str) -> str:
    t = re.sub(r"\s+", "", text)
    t = re.sub(r"^指标\d*[:：]", "", t)
    return t.strip("：: ") or re.sub(r"\s+", "", text)


def _fmt(v: float) -> str:
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return s if s not in ("-0", "") else "0"


def _ev(parsed: ParsedFile, *refs: TextRef | None) -> list[Evidence]:
    out = []
    for r in refs:
        if r is None or r.end <= r.start:
            continue
        s, e = r.start, r.end
        txt = parsed.source.text
        while s < e and txt[s].isspace():
            s += 1
        while e > s and txt[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Evidence(quote=parsed.source.quote(s, e), start=s, end=e, location=parsed.source.locate(s, e)))
    return out


def _with_unit(ref: TextRef, unit: str) -> str:
    t = _s(ref)
    return t if re.search(r"[元%％]", t) else t + unit


def report_year(report: Report, parsed: ParsedFile | None = None) -> int | None:
    """The fiscal year the report is about: from its title, else from a 自评表 header
    such as "(2021 年度)" (an evaluation date is not the fiscal year), else report.year."""
    m = re.search(r"(20\d{2})\s*年", report.title or "")
    if m:
        return int(m.group(1))
    if parsed is not None:
        m = re.search(r"(20\d{2})\s*年度", parsed.source.text[report.start:report.end])
        if m:
            return int(m.group(1))
    return report.year


def owner(report: Report) -> str:
    return report.organisation or "项目实施单位"


def deadline(report: Report, kind: str, parsed: ParsedFile | None = None) -> tuple[str, list[float]]:
    """``"2022年9月底前"`` and the numbers it uses (registered as computed)."""
    y = report_year(report, parsed)
    if kind == "report":  # fixed in the next self-evaluation
        return (f"{y + 1}年度绩效自评报告报送前", [float(y + 1)]) if y else ("下一年度绩效自评报告报送前", [])
    m = DEADLINE_MONTH.get(kind, 12)
    if y:
        return f"{y + 1}年{m}月底前", [float(y + 1), float(m)]
    return f"下一年度{m}月底前", [float(m)]


# --------------------------------------------------------------------------- deviations


def collect_deviations(parsed: ParsedFile, report: Report, flags: list[Flag] | None = None,
                       score_tolerance: float = 0.01) -> list[Deviation]:
    out: list[Deviation] = []
    funds = report.funds
    if funds is not None and funds.rows:
        row = next((r for r in funds.rows if re.search(r"总额|合计|总计", _s(r.name))), funds.rows[0])
        budget = row.budget_full or row.budget_initial
        if budget is not None and row.executed is not None and budget.value > 0 \
                and row.executed.value < budget.value - 1e-9:
            rate = row.executed.value / budget.value * 100
            gap = budget.value - row.executed.value
            unit = funds.unit or "万元"
            label = "全年预算数" if row.budget_full is not None else "年初预算数"
            text = (f"项目资金未全部执行：{_s(row.name)}{label}{_with_unit(budget, unit)}，全年执行数"
                    f"{_with_unit(row.executed, unit)}，执行率{_fmt(rate)}%，尚有{_fmt(gap)}{unit}未支出")
            if row.rate is not None:
                text += f"（自评表填报执行率{_s(row.rate)}）"
            out.append(Deviation(id="", kind="funds", text=text + "。", evidence=_ev(parsed, row.name, budget, row.executed),
                                 target="预算执行率达到100%", subject=_s(row.name), short=True))
    if not any(d.kind == "funds" for d in out):
        d = _narrative_funds(parsed, report)
        if d is not None:
            out.append(d)
    for ind in report.indicators:
        if ind.empty:
            continue
        w = ind.weight.value if ind.weight else None
        sc = ind.score.value if ind.score else None
        t = parse_value(ind.target.text if ind.target else None)
        a = parse_value(ind.actual.text if ind.actual else None)
        reverse = bool(ind.target and REVERSE.search(ind.target.text))
        short_value = t is not None and a is not None and ((a > t) if reverse else (a < t))
        short_score = w is not None and sc is not None and sc < w - score_tolerance
        if not (short_value or short_score):
            continue
        name = _clean_name(ind.level3.text)
        level = "/".join(x for x in (re.sub(r"\s+", "", ind.level1), re.sub(r"\s+", "", ind.level2)) if x)
        what = "未完成年度目标" if short_value else "得分低于分值"
        if not short_value and t is not None and a is not None:
            what = "实际完成值已达到年度指标值却被扣分，扣分依据不清"
        parts = [f"“{name}”指标" + (f"（{level}）" if level else "") + what]
        figs = []
        if ind.target is not None:
            figs.append(f"年度指标值{_s(ind.target)}")
        if ind.actual is not None:
            figs.append(f"实际完成值{_s(ind.actual)}")
        if ind.weight is not None and ind.score is not None:
            figs.append(f"分值{_s(ind.weight)}、得分{_s(ind.score)}")
        text = parts[0] + "：" + "，".join(figs)
        reason = _s(ind.reason)
        if reason:
            text += f"；偏差原因填报为“{reason}”"
            if len(reason) < 12:
                text += "，原因分析过于简单，未说明具体原因和影响"
        else:
            text += "；自评表未分析偏差原因"
        kind = "satisfaction" if "满意" in (ind.level1 + ind.level2 + name) else "indicator"
        target = f"“{name}”实际完成值达到年度指标值{_s(ind.target)}" if ind.target is not None and t is not None else None
        category = next((c for word, c in CATEGORY if word in ind.level2 + ind.level1 + name), "")
        out.append(Deviation(id="", kind=kind, text=text + "。", evidence=_ev(parsed, ind.row),
                             target=target if short_value else None, subject=name,
                             rule=None if reason else "no_reason", category=category, short=short_value))
    out += _flag_deviations(flags or [], out)
    # a shortfall in the 自评表 is named first: indicators below target, then funds not spent
    rank = {("indicator", True): 0, ("satisfaction", True): 0, ("funds", True): 1}
    out.sort(key=lambda d: rank.get((d.kind, d.short), 2))
    for i, d in enumerate(out, 1):
        d.id = f"P{i}"
    return out


MAX_FLAG_PROBLEMS = 5


def _flag_deviations(flags: list[Flag], drafted: list[Deviation]) -> list[Deviation]:
    """One problem per rule finding (errors first, at most MAX_FLAG_PROBLEMS), said without
    the reviewer's working; findings on a row or amount already drafted from the 自评表 are
    left out unless they add a figure the drafted problem does not state."""
    from reviewer.llm.flag_problems import problem_from_flag, rule_topic

    picked = [f for f in flags if f.source == "rule" and f.kind in DRAFT_KINDS and f.severity in ("error", "warning")]
    picked.sort(key=lambda f: 0 if f.severity == "error" else 1)
    out: list[Deviation] = []
    seen: set[str] = set()
    more: dict[str, int] = {}
    for f in picked:
        covering = [d for d in drafted if any(e.start < x.end and x.start < e.end for e in f.evidence for x in d.evidence)]
        if covering and (not f.stated or not re.search(r"\d", f.stated)
                         or any(re.search(rf"(?<![\d.]){re.escape(f.stated)}(?![\d.])", d.text) for d in covering)):
            continue
        text = problem_from_flag(f)
        if text in seen:
            continue
        seen.add(text)
        topic = rule_topic(f.rule)
        family = finding_family(topic + f.message)
        same = [d for d in out if d.category == family]
        if len(same) >= len(FINDING_MEASURES[family]):  # one wording per problem: the rest is counted
            more[family] = more.get(family, 0) + 1
            continue
        fix = ""
        if f.stated and f.expected and re.search(r"\d", f.stated) and re.search(r"\d", f.expected):
            fix = f"，把报告填写的{f.stated}更正为核算结果{f.expected}"
        out.append(Deviation(id="", kind="report", text=text, evidence=f.evidence[:2], rule=f.rule,
                             subject=topic, category=family, correction=fix))
        if len(out) >= MAX_FLAG_PROBLEMS:
            break
    for family, n in more.items():
        last = [d for d in out if d.category == family][-1]
        last.text = last.text.rstrip("。") + f"（另有{n}处同类问题，见审阅问题清单）。"
    return out


_BUDGET_LABEL = re.compile(r"(全年预算数|预算资金|预算数|预算经费|预算金额|年初预算)[^，。；]{0,6}$")
_SPENT_LABEL = re.compile(r"(执行数|已支付|累计支付|实际支出|全年支出|支出|拨付)[^，。；]{0,6}$")
_RATE_RE = re.compile(r"执行率\s*(?:为|达到|是)?\s*(\d+(?:\.\d+)?)\s*[%％]")


def _narrative_funds(parsed: ParsedFile, report: Report) -> Deviation | None:
    """Funds not fully spent, read from the narrative when there is no 资金 table:
    a budget amount and a later executed/paid amount, or a stated 执行率 below 100%."""
    budget = spent = None
    for a in report.amounts:
        lab = re.sub(r"\s+", "", a.label)
        if _BUDGET_LABEL.search(lab):
            budget, spent = a, None
        elif budget is not None and spent is None and _SPENT_LABEL.search(lab):
            spent = a
            if spent.yuan < budget.yuan - 0.5:
                rate = spent.yuan / budget.yuan * 100
                gap_wan = (budget.yuan - spent.yuan) / 10000
                text = (f"项目资金未全部执行：报告所列预算{re.sub(chr(32), '', budget.text)}，"
                        f"执行（支付）{re.sub(chr(32), '', spent.text)}，执行率{_fmt(rate)}%，"
                        f"尚有{_fmt(gap_wan)}万元未执行。")
                return Deviation(id="", kind="funds", text=text, evidence=_ev(parsed, budget, spent),
                                 target="预算执行率达到100%", subject="项目资金")
    text = parsed.source.text
    for m in _RATE_RE.finditer(text, report.start, report.end):
        if float(m.group(1)) < 100:
            ref = TextRef(text=m.group(0), start=m.start(), end=m.end())
            return Deviation(id="", kind="funds", text=f"项目资金未全部执行：报告所述“{m.group(0)}”，未达到100%。",
                             evidence=_ev(parsed, ref), target="预算执行率达到100%", subject="项目资金")
    return None


# what to do about a shortfall, by the indicator's category (two wordings each, so two
# rows of one category do not read alike); {who} {when} {name} {aim} are filled in
SHORTFALL_MEASURES: dict[str, tuple[str, str]] = {
    "数量": ("{who}业务科室于{when}把“{name}”的年度任务分解到季度，逐季核对完成数量，进度滞后时调整实施计划{aim}",
             "{who}于{when}建立“{name}”完成情况台账，按月登记完成数量，对差额部分明确承办人和完成时限{aim}"),
    "质量": ("{who}业务科室于{when}制定“{name}”的质量标准和验收办法，组织抽查验收，不达标的限期整改并复验{aim}",
             "{who}于{when}对“{name}”未达标的部分逐项查找原因，落实整改责任人，整改后组织复查{aim}"),
    "时效": ("{who}于{when}为“{name}”排出月度时间节点，在每月工作调度会上通报进度，逾期事项限期完成{aim}",
             "{who}于{when}把“{name}”的完成时限写入实施方案和合同，按节点督办，延误的书面说明原因{aim}"),
    "成本": ("{who}财务部门于{when}对“{name}”开展成本核算，超出标准的支出逐项说明依据，下一年度按实际成本编制预算{aim}",
             "{who}于{when}复核“{name}”的成本测算依据，对照同类项目标准压减不必要支出{aim}"),
    "效益": ("{who}于{when}建立“{name}”的统计台账，明确统计口径和数据来源，按季度采集数据并形成效益分析{aim}",
             "{who}于{when}对“{name}”开展效益跟踪评估，用可核实的数据说明实际效果，未达预期的调整实施方式{aim}"),
}
# what to do about a rule finding, by what it is about (FINDING_FAMILY, first match) with three
# wordings each; {topic} names the finding, {fix} is " 把报告填写的X更正为核算结果Y" or ""
FINDING_FAMILY = (("score", re.compile(r"分|等级|等次|权重")), ("date", re.compile(r"日期|时间|时限|逾期|年度|月")),
                  ("money", re.compile(r"元|资金|预算|执行|支付|金额|拨款|结转")), ("rate", re.compile(r"率|占比|比例|%")))
FINDING_MEASURES: dict[str, tuple[str, str]] = {
    "score": ("{who}绩效自评工作小组在{when}，针对“{topic}”问题对照评分标准重新计分{fix}，并复核总分和等级",
              "{who}绩效自评工作小组在{when}，针对“{topic}”问题逐行复核分值和得分{fix}，同步修改自评表合计行和正文",
              "{who}在{when}，针对“{topic}”问题请财政部门或第三方复核评分{fix}，按复核意见修正得分"),
    "money": ("{who}财务部门在{when}，针对“{topic}”问题以财务账和支付凭证为准重新核算{fix}，更正自评表和正文",
              "{who}财务部门在{when}，针对“{topic}”问题与会计账簿逐笔核对金额{fix}，统一正文与自评表的数字",
              "{who}在{when}，针对“{topic}”问题由财务和业务人员共同对账{fix}，对账记录作为佐证材料存档"),
    "rate": ("{who}业务科室在{when}，针对“{topic}”问题按分子、分母的原始数据重新计算{fix}，在报告中写明计算口径",
             "{who}业务科室在{when}，针对“{topic}”问题核实所用的计划数和完成数{fix}，使正文引用的比率与表中数据一致",
             "{who}在{when}，针对“{topic}”问题在报告中列出比率的计算过程{fix}，便于核对"),
    "date": ("{who}业务科室在{when}，针对“{topic}”问题依据合同、验收单等原始凭证核实日期和年度，更正报告中的表述",
             "{who}在{when}，针对“{topic}”问题按项目实施台账逐项核对时间节点，正文与自评表统一填写实际日期",
             "{who}办公室在{when}，针对“{topic}”问题统一全文的年度和日期写法，逐段核对后定稿"),
    "other": ("{who}绩效管理人员在{when}，针对“{topic}”问题逐项核对报告正文与自评表{fix}，以佐证材料为准统一口径",
              "{who}在{when}，针对“{topic}”问题组织业务和财务人员共同复核{fix}，按核实结果修改报告并留存佐证材料",
              "{who}办公室在{when}，针对“{topic}”问题对照自评表模板逐栏检查{fix}，补充说明后报分管领导审核"),
}


def finding_family(text: str) -> str:
    return next((name for name, pat in FINDING_FAMILY if pat.search(text)), "other")


# an indicator scored below its weight although its result met the target (or cannot be compared)
SCORE_ONLY_MEASURES = (
    "{who}绩效自评工作小组在{when}，对照评分标准复核“{name}”的得分，确有扣分的在自评表写明扣分依据，没有依据的按满分更正。",
    "{who}业务科室在{when}，整理“{name}”的完成佐证材料，说明扣分所依据的事实，与评分一并报绩效自评工作小组审定。",
    "{who}在{when}，由绩效自评工作小组集体评议“{name}”的得分，在自评报告中记录评议意见和扣分理由。",
)


def _measure_for(d: Deviation, report: Report, parsed: ParsedFile | None = None, nth: int = 0) -> tuple[str, list[float]]:
    """The measure that answers ``d``: who, what, by when and, when the report gives one,
    a measurable target; ``nth`` counts earlier deviations of the same category."""
    who = owner(report)
    if d.kind in ("indicator", "satisfaction") and not d.short:
        # the score falls below the weight while the result met the target (or cannot be compared)
        when, nums = deadline(report, "report", parsed)
        return SCORE_ONLY_MEASURES[nth % len(SCORE_ONLY_MEASURES)].format(who=who, when=when, name=d.subject), nums
    if d.kind == "report":
        when, nums = deadline(report, "report", parsed)
        wordings = FINDING_MEASURES[d.category if d.category in FINDING_MEASURES else "other"]
        wording = wordings[nth % len(wordings)]
        return wording.format(who=who, when=when, topic=d.subject, fix=d.correction) + "。", nums
    aim = f"；目标：{d.target}。" if d.target else "。"
    if d.kind == "funds":
        when, nums = deadline(report, "funds", parsed)
        text = (f"{who}财务部门于{when}制定分月资金支出计划并按月跟踪支付进度，对{d.subject}未支出部分查明原因，"
                f"符合条件的按规定结转或收回{aim}")
    elif d.kind == "satisfaction":
        when, nums = deadline(report, "satisfaction", parsed)
        text = (f"{who}于{when}组织开展服务对象满意度调查，明确调查方式、样本数量和统计口径，针对“{d.subject}”"
                f"反映的问题逐项整改{aim}")
    elif d.category in SHORTFALL_MEASURES:
        when, nums = deadline(report, d.category, parsed)
        text = SHORTFALL_MEASURES[d.category][nth % 2].format(who=who, when=when, name=d.subject, aim=aim)
    else:
        when, nums = deadline(report, "indicator", parsed)
        text = f"{who}于{when}完成年中绩效运行监控，跟踪“{d.subject}”指标完成进度，分析未完成原因并采取纠偏措施{aim}"
    if d.rule == "no_reason":
        text = text.rstrip("。") + f"；并在自评表“偏差原因”栏写明“{d.subject}”未完成的具体原因。"
    return text, nums


def template_draft(parsed: ParsedFile, report: Report, flags: list[Flag] | None = None,
                   deviations: list[Deviation] | None = None, profile=None) -> Draft:
    """The deterministic draft (no model)."""
    devs = collect_deviations(parsed, report, flags) if deviations is None else deviations
    draft = Draft(title=report.title, mode="template", organisation=report.organisation,
                  file=parsed.source.path, report=report.index)
    verifier = make_verifier(parsed, report, flags, profile)
    seen: dict[str, int] = {}
    for d in devs:
        draft.problems.append(DraftItem(text=d.text, key=d.id, basis=d.evidence))
        group = "score_only" if d.kind in ("indicator", "satisfaction") and not d.short else f"{d.kind}:{d.category}"
        text, nums = _measure_for(d, report, parsed, seen.get(group, 0))
        seen[group] = seen.get(group, 0) + 1
        verifier.allow(*nums)
        draft.measures.append(DraftItem(text=text, key=f"M{d.id[1:]}", answers=d.id))
    if not devs:
        draft.notes.append("自评表和资金表中未发现未完成的指标、未执行的资金或程序检查问题；"
                           "请结合项目实际补充存在问题，避免写“无”或套话。")
    removed = verify_draft(draft, verifier)
    draft.stats = {"draft_problems": len(draft.problems), "draft_measures": len(draft.measures),
                   "draft_removed_sentences": removed}
    return draft


def make_verifier(parsed: ParsedFile, report: Report, flags: list[Flag] | None, profile=None) -> NumberVerifier:
    v = NumberVerifier(parsed.source.text[report.start:report.end], report_computations(report, flags or [], profile))
    for f in flags or []:
        v.allow_text(f.message)
        v.allow_text(f.expected)
        v.allow_text(f.stated)
    for kind in DEADLINE_MONTH:
        v.allow(*deadline(report, kind, parsed)[1])
    return v


def verify_text(text: str, verifier: NumberVerifier) -> tuple[str, int]:
    """``text`` without the sentences that hold an unverified number; and how many went."""
    kept, removed = [], 0
    for m in _SENT.finditer(text):
        sent = m.group(0)
        if verifier.unverified(sent):
            removed += 1
        else:
            kept.append(sent)
    return "".join(kept).strip(), removed


def verify_draft(draft: Draft, verifier: NumberVerifier) -> int:
    """Remove every sentence with an unverified number; drop emptied items (and the
    measures of dropped problems). Returns the number of sentences removed."""
    removed = 0
    problems = []
    for p in draft.problems:
        p.text, n = verify_text(p.text, verifier)
        removed += n
        if p.text:
            problems.append(p)
    keys = {p.key for p in problems}
    measures = []
    for m in draft.measures:
        m.text, n = verify_text(m.text, verifier)
        removed += n
        if m.text and (m.answers is None or m.answers in keys):
            measures.append(m)
    draft.problems, draft.measures = problems, measures
    if removed:
        draft.notes.append(f"已删除 {removed} 句含有无法与报告核对的数字的文字。")
    return removed


# --------------------------------------------------------------------------- LLM draft

DRAFT_SCHEMA = {
    "type": "object",
    "properties": {
        "problems": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "string"}, "text": {"type": "string"},
            "basis": {"type": "array", "items": {"type": "string"}}}, "required": ["id", "text"]}},
        "measures": {"type": "array", "items": {"type": "object", "properties": {
            "problem": {"type": "string"}, "text": {"type": "string"}, "owner": {"type": "string"},
            "deadline": {"type": "string"}, "target": {"type": "string"}}, "required": ["problem", "text"]}},
    },
    "required": ["problems", "measures"],
}


def _render_devs(devs: list[Deviation], report: Report, parsed: ParsedFile | None = None) -> str:
    lines = []
    for d in devs:
        when, _ = deadline(report, d.kind, parsed)
        lines.append(f"{d.id}｜{d.text}｜建议期限：{when}" + (f"｜可衡量目标：{d.target}" if d.target else ""))
    return "\n".join(lines) if lines else "（未发现偏差）"


def llm_draft(parsed: ParsedFile, report: Report, flags: list[Flag], client, cfg, profile=None,
              examples: list[str] | None = None) -> Draft:
    """A draft written by the model from the deviations, every number verified.
    Raises LLMError when the model fails (the caller falls back to the template)."""
    from reviewer.llm.context import report_text
    from reviewer.llm.prompts import load_prompt

    devs = collect_deviations(parsed, report, flags)
    base = template_draft(parsed, report, flags, devs, profile)
    from reviewer.llm.config import task_max_tokens

    prompt = load_prompt("draft")
    from reviewer.llm.client import LLMError

    client.capabilities()
    text_chars = cfg.max_report_chars
    for attempt in range(3):  # a prompt the server says is too long is cut (at most twice)
        budget = client.prompt_budget(task_max_tokens(cfg, "draft"))
        for _ in range(2):  # the report text is what gives way to the server's context
            system, user = prompt.render(
                organisation=owner(report),
                deviations=_render_devs(devs, report, parsed),
                template=base.text(),
                examples="\n\n".join(examples or []) or "（无）",
                report_text=report_text(parsed, report, text_chars),
            )
            over = len(system) + len(user) - budget if budget else 0
            if over <= 0:
                break
            examples = []
            text_chars = max(300, min(text_chars, report.end - report.start) - over - 50)
        try:
            res = client.complete_json(system, user, name="draft", schema=DRAFT_SCHEMA)
            break
        except LLMError as e:
            if e.kind != "context" or attempt == 2:
                raise
            client.shrink_budget(e.detail, len(system) + len(user))
    data = res.data
    dev_by_id = {d.id: d for d in devs}
    draft = Draft(title=report.title, mode="llm", organisation=report.organisation, file=parsed.source.path,
                  report=report.index)
    seen = set()
    unbased = 0
    for i, p in enumerate(data.get("problems") or [], 1):
        if not isinstance(p, dict) or not isinstance(p.get("text"), str) or not p["text"].strip():
            continue
        key = str(p.get("id") or f"P{i}")
        if key in seen:
            key = f"X{i}"
        seen.add(key)
        basis = []
        ids = [b for b in (p.get("basis") or []) if isinstance(b, str)] + [key]
        for b in dict.fromkeys(ids):
            if b in dev_by_id:
                basis.extend(dev_by_id[b].evidence)
        if not basis:  # a problem must rest on one of the report's own deviations
            unbased += 1
            continue
        draft.problems.append(DraftItem(text=p["text"].strip(), key=key, basis=basis))
    verifier = make_verifier(parsed, report, flags, profile)
    pre_removed = 0
    for i, m in enumerate(data.get("measures") or [], 1):
        if not isinstance(m, dict) or not isinstance(m.get("text"), str) or not m["text"].strip():
            continue
        text, n = verify_text(m["text"].strip().rstrip("。") + "。", verifier)
        pre_removed += n
        if not text:  # the action itself did not survive: the template's measure fills in
            continue
        for fld, lab in (("owner", "责任单位"), ("deadline", "完成时限"), ("target", "目标")):
            v = m.get(fld)
            if isinstance(v, str) and v.strip() and v.strip() not in text:
                extra, n = verify_text(f"{lab}：{v.strip().rstrip('。')}。", verifier)
                pre_removed += n
                text += extra
        draft.measures.append(DraftItem(text=text, key=f"M{i}", answers=str(m.get("problem") or "") or None))
    removed = verify_draft(draft, verifier) + pre_removed
    if pre_removed:
        draft.notes = [n for n in draft.notes if not n.startswith("已删除") or "句" not in n]
        draft.notes.append(f"已删除 {removed} 句含有无法与报告核对的数字的文字。")
    draft.stats = {"llm_calls": res.stats.calls, "llm_cached": res.stats.cached, "draft_removed_sentences": removed,
                   "draft_dropped_unbased": unbased}
    if unbased:
        draft.notes.append(f"已删除 {unbased} 条不以报告偏差为依据的问题。")
    if not draft.problems:
        base.notes.append("大模型草稿经核对后没有可用内容，改用模板草稿。")
        base.stats.update(draft.stats)
        return base
    answered = {m.answers for m in draft.measures}
    for p in draft.problems:  # a problem without a measure gets the template's measure
        if p.key not in answered and p.key in dev_by_id:
            text, _ = _measure_for(dev_by_id[p.key], report, parsed)
            t2, n = verify_text(text, verifier)
            if t2:
                draft.measures.append(DraftItem(text=t2, key=f"M{p.key}", answers=p.key))
    return draft


def draft_report(parsed: ParsedFile, report: Report, flags: list[Flag] | None = None, *,
                 use_llm: bool | None = None, config: dict | None = None, profile=None,
                 notices: list[str] | None = None) -> Draft:
    """The draft for one report: the model's when configured (and ``use_llm`` is not
    False), else — or when the model fails — the template draft."""
    from reviewer.llm.config import load_llm_config

    if flags is None:
        from reviewer.checks import run_rules
        from reviewer.profile import Profile

        flags = list(run_rules(parsed, report, profile or Profile()))
    if use_llm is False:
        return template_draft(parsed, report, flags, profile=profile)
    cfg = load_llm_config(config)
    if not cfg.configured:
        if notices is not None and NO_LLM_DRAFT_NOTICE not in notices:
            notices.append(NO_LLM_DRAFT_NOTICE)
        return template_draft(parsed, report, flags, profile=profile)
    from reviewer.llm.client import LLMError
    from reviewer.llm.context import local_passages

    if not cfg.model:
        from reviewer.llm.client import resolve_model

        cfg.model = resolve_model(cfg)
        if not cfg.model:
            d = template_draft(parsed, report, flags, profile=profile)
            d.notes.append(f"大模型接口 {cfg.base_url} 未返回可用模型（请设置 JIXIAO_MODEL），以下为模板草稿。")
            return d
    client = _client_for(cfg)
    examples = local_passages(report, parsed, [(parsed, r) for r in parsed.reports])
    try:
        return llm_draft(parsed, report, flags, client, cfg, profile, examples)
    except (LLMError, Exception) as e:  # the draft must always come out
        d = template_draft(parsed, report, flags, profile=profile)
        why = e.failure(cfg).message_zh if isinstance(e, LLMError) else type(e).__name__
        d.notes.append(f"大模型调用失败（{why}），以下为模板草稿。")
        d.stats["llm_errors"] = 1
        return d


def _client_for(cfg):
    from reviewer.llm.client import get_client

    return get_client(cfg)


# --------------------------------------------------------------------------- .docx


def write_docx(drafts: list[Draft], path: str | Path) -> Path:
    from docx import Document
    from docx.shared import Pt, RGBColor

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    from reviewer.outputs.wordstyle import set_cjk_font

    doc = Document()
    set_cjk_font(doc, size_pt=12)
    for n, d in enumerate(drafts):
        if n:
            doc.add_page_break()
        doc.add_heading(f"{d.title} —— 存在问题及改进措施（草稿）", level=1)
        note = doc.add_paragraph()
        run = note.add_run(d.label)
        run.italic = True
        run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
        doc.add_heading("（一）存在问题", level=2)
        if not d.problems:
            doc.add_paragraph("（未发现可列入的问题，请结合项目实际补充。）")
        for i, p in enumerate(d.problems, 1):
            doc.add_paragraph(f"{i}. {p.text}")
            for ev in p.basis[:2]:
                q = doc.add_paragraph()
                r = q.add_run("依据原文：“" + _flat(ev.quote)[:100] + "”" + (f"（{ev.location.label()}）" if ev.location else ""))
                r.font.size = Pt(9)
                r.font.color.rgb = RGBColor(0x60, 0x60, 0x60)
        doc.add_heading("（二）改进措施", level=2)
        for i, m in enumerate(d.measures, 1):
            doc.add_paragraph(f"{i}. {m.text}")
        for note_text in d.notes:
            q = doc.add_paragraph()
            r = q.add_run("注：" + note_text)
            r.font.size = Pt(9)
    doc.save(str(out))
    return out


def write_markdown(drafts: list[Draft], path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("# 存在问题及改进措施（草稿）\n\n" + "\n".join(d.markdown() for d in drafts), encoding="utf-8")
    return out
