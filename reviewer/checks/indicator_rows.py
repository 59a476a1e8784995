"""Rules on single indicator rows: scoring (D05, D24), bounds (D09), reasons (D14a),
well-formedness (D16), satisfaction (D26)."""

from __future__ import annotations

import math
import re
from typing import Iterator

from reviewer.checks._common import clause_start, fmt, results_all_shown, rows_reliable, sentence_at
from reviewer.checks.base import CheckContext, Finding, rule, rule_selected
from reviewer.models import IndicatorRow, Report
from reviewer.structure.numbers import parse_target
from reviewer.structure.sections import innermost_section
from reviewer.lazy_re import lazy

TOL = 1e-6


def _compare(row: IndicatorRow) -> tuple[str, float, float] | None:
    """(op, target, actual) when both are quantitative and comparable (same unit)."""
    if row.target is None or row.actual is None:
        return None
    t, a = parse_target(row.target.text), parse_target(row.actual.text)
    if t.qualitative or a.qualitative or t.value is None or a.value is None:
        return None
    if a.op not in (None, "=", "≥"):  # an actual written as a range cannot be compared
        return None
    if t.unit and a.unit and t.unit != a.unit:
        return None
    if (t.unit == "%") != (a.unit == "%") and (t.unit or a.unit):
        return None
    return (t.op or "≥"), t.value, a.value


def below_full(row: IndicatorRow, tol: float) -> bool:
    """Whether the row's 得分 is below its 分值: by more than the profile's tolerance, or by
    more than half a unit of the last digit the score is written in (9.92 of 10 is a deduction,
    9.9 of 10 a rounding only when the score is written in whole points)."""
    if row.weight is None or row.score is None:
        return False
    dec = len(row.score.text.strip().partition(".")[2])
    if dec:
        tol = min(tol, 0.5 * 10 ** -dec)
    return row.score.value < row.weight.value - tol - 1e-9


def _met(op: str, target: float, actual: float) -> bool:
    return {"≥": actual >= target - TOL, ">": actual > target, "≤": actual <= target + TOL,
            "<": actual < target, "=": abs(actual - target) <= TOL}[op]


@rule("D05", "定量指标得分", kind="contradiction", severity="error")
def quantitative_score(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A positive quantitative indicator scores full marks when its target is met and
    完成值 ÷ 指标值 × 分值 when it is not (财预〔2020〕10号 第十六条).

    Bad:  工作人员满意度 | 95% | 95% | 分值 10 | 得分 8   (target met, yet 2 points off)
    Good: 工作人员满意度 | 95% | 95% | 分值 10 | 得分 10
    Good: 验收通过率 | 100% | 95% | 分值 6 | 得分 5   (5.7 in a form scored in whole points)
    Bad:  完工时间 | 2022年12月30日前 | 2022年12月30日 | 分值 6 | 得分 5   (on time, yet a point off)
    """
    # a form that writes every score in whole points rounds a proportional score (5.7 → 5 or 6)
    whole_points = all(re.fullmatch(r"\s*\d+\s*", r.score.text) for r in report.indicators if r.score is not None)
    for row in report.indicators:
        cmp_ = _compare(row)
        if cmp_ is None and row.weight is not None and row.score is not None \
                and row.score.value < row.weight.value - ctx.profile.score_tolerance and _dates(row, report.year) is not None:
            t, a = _dates(row, report.year)
            if a <= t:  # done on time, yet points taken off
                no_reason = "，且未说明扣分原因" if row.reason is None else ""
                yield Finding(message=f"{row.level3.text.strip()}：实际{row.actual.text.strip()}，未晚于指标值{row.target.text.strip()}，"
                                      f"应得满分{fmt(row.weight.value)}分，实际只得{fmt(row.score.value)}分{no_reason}",
                              evidence=[row.row], expected=fmt(row.weight.value), stated=fmt(row.score.value))
            continue
        if cmp_ is None or row.weight is None or row.score is None:
            continue
        op, target, actual = cmp_
        w, s = row.weight.value, row.score.value
        if _met(op, target, actual) and s < w - ctx.profile.score_tolerance:
            no_reason = "，且未说明扣分原因" if row.reason is None else ""
            yield Finding(message=f"{row.level3.text.strip()}：完成值{row.actual.text}已达到指标值{row.target.text}，应得满分{fmt(w)}分，"
                                  f"实际只得{fmt(s)}分{no_reason}",
                          evidence=[row.row], expected=fmt(w), stated=fmt(s))
        elif op in ("≥", ">") and not _met(op, target, actual) and target > 0 and s < w - ctx.profile.score_tolerance:
            exp = actual / target * w
            if whole_points and s in (math.floor(exp), round(exp)):
                continue
            # to the precision the score is written in (19.2 → ±0.05), never finer than the profile's
            dec = len(row.score.text.strip().split(".")[1]) if "." in row.score.text else 0
            if abs(exp - s) > max(ctx.profile.score_tolerance, 0.5 * 10 ** -dec + 1e-9):
                yield Finding(message=f"{row.level3.text.strip()}：完成值{row.actual.text}、指标值{row.target.text}，按比例应得 "
                                      f"{fmt(actual)}÷{fmt(target)}×{fmt(w)} = {fmt(exp)} 分，填写 {fmt(s)} 分",
                              evidence=[row.row], expected=fmt(exp), stated=fmt(s), kind="arithmetic")


@rule("D24", "未完成却得满分", kind="score_inflation", severity="error")
def full_score_with_shortfall(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A quantitative indicator whose 完成值 falls short of its 指标值 cannot score full
    marks; proportional scoring gives 完成值 ÷ 指标值 × 分值.

    Bad:  验收合格率 | ≥95% | 85% | 分值 10 | 得分 10
    Good: 验收合格率 | ≥95% | 85% | 分值 10 | 得分 8.95
    """
    for row in report.indicators:
        cmp_ = _compare(row)
        if cmp_ is None or row.weight is None or row.score is None:
            continue
        op, target, actual = cmp_
        if op in ("≥", ">") and not _met(op, target, actual) and target > 0 \
                and not below_full(row, ctx.profile.score_tolerance):
            exp = actual / target * row.weight.value
            yield Finding(message=f"{row.level3.text.strip()}：完成值{row.actual.text}未达到指标值{row.target.text}，"
                                  f"按比例应得 {fmt(exp)} 分，却得满分 {row.score.text}" + _empty_reason(row),
                          evidence=[row.row], expected=fmt(exp), stated=row.score.text)


@rule("D09", "得分超出分值", kind="arithmetic", severity="error")
def score_bounds(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """0 ≤ 得分 ≤ 分值 on every row.

    Bad:  开工率 | 100% | 100% | 分值 5 | 得分 6
    Good: 开工率 | 100% | 100% | 分值 5 | 得分 5
    """
    for row in report.indicators:
        if row.weight is None or row.score is None:
            continue
        if row.score.value > row.weight.value + ctx.profile.score_tolerance or row.score.value < 0:
            yield Finding(message=f"{row.level3.text.strip()}：得分{row.score.text}超出分值{row.weight.text}",
                          evidence=[row.score, row.weight], expected=f"0–{fmt(row.weight.value)}", stated=row.score.text)


@rule("D14A", "扣分未说明原因", kind="missing", severity="warning")
def deduction_without_reason(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Every indicator that falls short (得分 < 分值, or 完成值 below 指标值) needs a
    偏差原因分析及改进措施.

    Bad:  群众满意度 | ≥90% | 82% | 10 | 9.1 | (空)
    Good: 群众满意度 | ≥90% | 82% | 10 | 9.1 | 问卷回收率低，12月已增设线上渠道

    A row short of its target yet scored in full is the score rules' finding (D24, D06, D08,
    D43), which name the empty reason too: one row, one finding.
    """
    table_has_reason = _tables_with_reason_column(report, ctx)
    for row in report.indicators:
        if row.table_index not in table_has_reason or \
                gives_reason(row) and not _reference_left_unanswered(row, report, ctx):
            continue
        cmp_ = _compare(row)
        deducted = below_full(row, ctx.profile.score_tolerance)
        short = (cmp_ is not None and not _met(*cmp_)) or date_shortfall(row, report.year) is not None \
            or admits_shortfall(row)
        if cmp_ is not None and _met(*cmp_) and deducted:
            continue  # reported by D05 (target met yet deducted)
        if not deducted and (code := _full_score_rule(row, report.year)) and rule_selected(ctx.profile, code):
            continue  # scored in full though short: that score rule reports the row, its empty reason with it
        if deducted and not short and _met_in_words(row):
            continue  # 达成 scored 9 of 10: inside the band for 达成, no shortfall to explain
        if deducted or short:
            if _reference_only(row):
                yield Finding(message=f"{row.level3.text.strip()}：未达到指标值，偏差原因只写“{row.reason.text.strip()}”，报告正文却没有说明原因",
                              evidence=[row.row], expected="填写偏差原因", stated=row.reason.text.strip())
                continue
            what = (f"得分{row.score.text}低于分值{row.weight.text}" if deducted
                    else f"完成值“{row.actual.text.strip()}”表明未完全达到指标值" if admits_shortfall(row)
                    else f"完成值{row.actual.text.strip()}未达到指标值{row.target.text.strip()}")
            yield Finding(message=f"{row.level3.text.strip()}：{what}，但未填写偏差原因分析及改进措施",
                          evidence=[row.row], expected="填写偏差原因", stated="空")


def worded_result(text: str) -> bool:
    """Whether a 完成值 is a result in words: no figure, or a band word first with its detail
    after it (部分达成（2处种植点出现林下植被破坏）)."""
    t = text.strip()
    return not re.search(r"\d", t) or bool(re.match(r"(?:部分|基本|未能?)?(?:达成|完成|达到)", t))


def _full_score_rule(row: IndicatorRow, year: int | None) -> str | None:
    """The score rule that reports ``row`` as short of its target yet scored in full: D24
    (≥ target missed), D06 (≤ ceiling exceeded), D43 (late) or D08 (部分达成 in words)."""
    if row.weight is None or row.score is None:
        return None
    cmp_ = _compare(row)
    if cmp_ is not None and not _met(*cmp_) and cmp_[1] > 0:
        if cmp_[0] in ("≥", ">"):
            return "D24"
        if cmp_[0] in ("≤", "<") and cmp_[2] > 0:
            return "D06"
    if date_shortfall(row, year) is not None:
        return "D43"
    if row.actual is not None and worded_result(row.actual.text) and admits_shortfall(row) \
            and any(pat.search(row.actual.text.strip()) for pat, *_ in QUAL_BANDS[:2]):
        return "D08"
    return None


def _narrative_full_band(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """D08 in the narrative: 部分达成 (or 未达成) given full marks in the same sentence."""
    text = ctx.text
    for m in NARRATIVE_FULL_BAND.finditer(text, report.start, report.end):
        if re.search(r"不|未|没有", text[m.end("band"):m.start("full")]):
            continue  # (…部分达成，未按满分计: negated)
        yield Finding(message=f"正文评定为“{m.group('band')}”，却“{m.group('full')}”：{m.group('band')}应在分值的"
                              f"{'60%–80%' if m.group('band').startswith('部分') else '60%以下'}之间计分",
                      evidence=[(m.start(), m.end())], expected="按档次计分", stated=m.group("full"), kind="score_inflation")
        return


# a 偏差原因 cell that sends the reader elsewhere: 详见报告, 见正文
REFERENCE_REASON = lazy(r"^(?:详见|见|参见)(?:自评)?(?:报告|正文|说明|附件)[。.]?$")


def _reference_only(row: IndicatorRow) -> bool:
    """Whether the row's 偏差原因 only sends the reader to the report (详见报告)."""
    return row.reason is not None and bool(REFERENCE_REASON.match("".join(row.reason.text.split())))


def _met_in_words(row: IndicatorRow) -> bool:
    """Whether a qualitative row's result says the target was reached (达成年度指标) and its
    score lies in that band (80–100% of the weight)."""
    if row.actual is None or row.weight is None or row.score is None or re.search(r"\d", row.actual.text):
        return False
    pat, lo, _, _ = QUAL_BANDS[2]
    return bool(pat.search(row.actual.text.strip())) and not admits_shortfall(row) and \
        row.score.value >= lo * row.weight.value - 1e-9


def _reference_left_unanswered(row: IndicatorRow, report: Report, ctx: CheckContext) -> bool:
    """Whether the row's reason is only "详见报告" and the report's text outside its tables
    says nothing about the row: no sentence naming it (three characters of its name) gives a cause."""
    from reviewer.checks._common import table_spans
    from reviewer.checks.deviation_reasons import CAUSE_WORDS

    if not _reference_only(row):
        return False
    if not results_all_shown(report):
        return False  # the text the reason points to may lie past the cut
    text, spans = ctx.text, table_spans(report, ctx.parsed)
    name = re.sub(r"\s+", "", row.level3.text)
    grams = {name[k:k + 3] for k in range(len(name) - 2)} - {"满意度", "完成率", "合格率"}
    for m in re.finditer(r"[^。；;\n]+", text[report.start:report.end]):
        a = report.start + m.start()
        if any(s <= a < e for s, e in spans):
            continue
        if any(g in m.group() for g in grams) and CAUSE_WORDS.search(m.group()):
            return False
    return True


# a 偏差原因 cell that gives none: "/", "—", "无", "0" (a shortfall's reason cell filled to look filled)
NO_REASON = lazy(r"^(?:[/／\\\-—－_]+|无|暂无|没有|不适用|0|空|略)[。.]?$")


def gives_reason(row: IndicatorRow) -> bool:
    """Whether the row's 偏差原因 cell holds a reason (not a placeholder such as / or 无)."""
    return row.reason is not None and not NO_REASON.match("".join(row.reason.text.split()))


def _empty_reason(row: IndicatorRow) -> str:
    """What a score rule adds for a row scored in full though short whose reason is empty
    (D14A leaves such a row to it)."""
    return "" if gives_reason(row) else "，且未说明偏差原因"


# a result that says in words that the target was not (fully) reached: 部分达成, 基本完成, 未完成
ADMITS_SHORT = lazy(r"^(?:部分|基本|大部分|大部|未能?|尚未|没有)(?:达成|完成|达到|实现|到位|达标)")


def admits_shortfall(row: IndicatorRow) -> bool:
    """Whether the row's 实际完成值 admits in words that its target was not fully reached."""
    if row.actual is None or not ADMITS_SHORT.match(row.actual.text.strip()):
        return False
    # a target that itself asks for 基本完成 is met by 基本完成
    return row.target is None or not ADMITS_SHORT.match(row.target.text.strip())


def _tables_with_reason_column(report: Report, ctx: CheckContext) -> set[int]:
    from reviewer.structure.indicators import header_map

    out = set()
    for ti in report.tables:
        for row in ctx.parsed.tables[ti].rows:
            h = header_map(row)
            if h and "reason" in h:
                out.add(ti)
                break
    return out


ADVERSE = lazy(r"事故|投诉|案件|违规|违纪|事件|伤亡|火灾|差错|不良|超标|上访|信访|漏损|死亡|失误|纠纷|疫情|疫病|发生次数|发生率")
PLACEHOLDER = lazy(r"^(\*+|X+|x+|××|XX|xx|／|/|—|-|待定|略)$")
UNIT_WORDS = ("万元", "元", "%", "个", "项", "次", "人", "辆", "天", "户", "台", "套", "家", "村", "所", "份", "件", "场", "km", "公里", "米", "平方米")


@rule("D16", "指标填写不规范", kind="missing", severity="warning")
def malformed_indicator(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Each indicator row needs a 指标值 and a 实际完成值; a quantitative target
    (≥/≤/=, number, unit) needs a number as its 完成值; placeholders (``*``, ``XX``),
    blank rows left in the form, percentages above 100 and a target of 0 that any result
    meets are not measurable indicators.

    Bad:  指标2： | (空) | (空) | (空) | (空)       — a blank row left in the table
    Bad:  督促检查 | ≥36次 | 按时完成               — a count answered in words
    Bad:  讲座培训场次 | ≥ 场/站 | 6场/站           — an operator and a unit, no figure
    Good: 督促检查次数 | ≥36次 | 38次
    """
    # a spare template slot (指标2：) under a group that has its indicator is not a defect;
    # a group whose only rows are empty has no measurable indicator at all
    filled_groups = {(r.level1, r.level2) for r in report.indicators if not r.empty}
    empties = [r for r in report.indicators if r.empty and (r.level1, r.level2) not in filled_groups]
    if empties:
        yield Finding(message=f"自评表中有{len(empties)}行指标未填写（只有“{empties[0].level3.text.strip()}”等占位），"
                              "相关二级指标没有设置可衡量的三级指标",
                      evidence=[r.row for r in empties[:6]], expected="删除空行或补充指标", stated=f"{len(empties)}行空白")
    verbal: list[IndicatorRow] = []
    unscored: list[IndicatorRow] = []
    reliable = rows_reliable(ctx.parsed)  # a partial table read without its header may place a number one column off
    for row in report.indicators:
        if row.empty:
            continue
        tgt = row.target.text.strip() if row.target else ""
        act = row.actual.text.strip() if row.actual else ""
        if row.weight is None and row.score is None and tgt in ("/", "／", "无") and act in ("/", "／", "无", ""):
            continue  # the whole row marked 不适用 (/): a choice, not a gap
        # (an operator with a unit and no figure, ≥ 场/站, is a placeholder too)
        if row.target is not None and (PLACEHOLDER.match(tgt) or "XX" in tgt.upper() or "**" in tgt
                                       or (re.fullmatch(r"(?:≥|≤|>|<|＞|＜|=)\s*[^\d\s]{1,6}", tgt) and act)):
            yield Finding(message=f"{row.level3.text.strip()}：指标值为占位符“{tgt}”", evidence=[row.row], stated=tgt,
                          expected="具体指标值")
            continue
        if row.actual is not None and tgt and re.fullmatch(r"[*＊]+\s*[%％\u4e00-\u9fff]{0,3}|X+|x+|×{2,}", act):
            # a result left as the template's placeholder (**) was never filled in
            yield Finding(message=f"{row.level3.text.strip()}：实际完成值为占位符“{act}”" +
                          (f"，却得{row.score.text}分" if row.score is not None else ""),
                          evidence=[row.row], stated=act, expected="实际完成值")
            continue
        if row.target is not None and row.actual is None and row.score is not None and reliable:
            yield Finding(message=f"{row.level3.text.strip()}：实际完成值未填写", evidence=[row.row], stated="空", expected="实际完成值")
            continue
        if row.weight is not None and row.score is None and row.target is None and row.actual is None:
            unscored.append(row)  # one finding for the rows the form left unscored together
            continue
        t = parse_target(tgt)
        a = parse_target(act)
        if t.value is not None and not t.qualitative and t.op and act and a.qualitative and not re.search(r"\d", act):
            verbal.append(row)
        elif (t.value == 0 and t.op in (None, "≥", ">") and not t.qualitative and a.value == 0 and not a.qualitative
              and not ADVERSE.search(row.level3.text)):
            yield Finding(message=f"{row.level3.text.strip()}：指标值与完成值均为0，该指标不衡量任何结果",
                          evidence=[row.row], expected="有意义的目标值", stated=f"{tgt} / {act}")
        elif t.unit == "%" and t.value is not None and t.value > 100:
            yield Finding(message=f"{row.level3.text.strip()}：百分比指标值{tgt}超过100%", evidence=[row.target],
                          expected="≤100%", stated=tgt)
        elif (t.unit and a.unit and not t.qualitative and not a.qualitative
              and t.unit.split("/")[0] != a.unit.split("/")[0]
              and {t.unit.split("/")[0], a.unit.split("/")[0]} <= {"万元", "元"}):
            yield Finding(message=f"{row.level3.text.strip()}：指标值单位“{t.unit}”与完成值单位“{a.unit}”不一致",
                          evidence=[row.target, row.actual], expected=t.unit, stated=a.unit, kind="format")
    if unscored:
        first = unscored[0]
        message = (f"{first.level3.text.strip()}：指标有分值{first.weight.text}却未填写内容和得分，该项未评价"
                   if len(unscored) == 1 else
                   "、".join(r.level3.text.strip() for r in unscored[:4]) + ("等" if len(unscored) > 4 else "") +
                   f"：{len(unscored)}项指标有分值却未填写内容和得分，均未评价")
        yield Finding(message=message, evidence=[r.row for r in unscored[:6]], expected="填写指标或调整权重", stated="空")
    if verbal:
        listing = "；".join(f"“{r.target.text.strip()}”→“{r.actual.text.strip()}”" for r in verbal[:4])
        yield Finding(message=f"{len(verbal)}项定量指标的实际完成值只写了文字，无法核对是否达标：{listing}",
                      evidence=[x for r in verbal for x in (r.target, r.actual)], expected="与指标值同单位的数值",
                      stated=verbal[0].actual.text.strip())


def _survey_described(text: str, report: Report) -> bool:
    """Whether the report says how satisfaction was measured: a survey word in the same
    paragraph as a mention of 满意 (抽样 in 食品抽样检验 is not a satisfaction survey);
    a 问卷 anywhere counts."""
    if "问卷" in text[report.start:report.end]:
        return True
    for m in re.finditer("满意", text[report.start:report.end]):
        pos = report.start + m.start()
        ps = text.rfind("\n", report.start, pos) + 1
        pe = text.find("\n", pos, report.end)
        if SURVEY.search(text, ps, pe if pe >= 0 else report.end):
            return True
    return False


FULL_SAT = lazy(r"满意度[^。；\n]{0,16}?(?:达到|为|达|实际完成值)?\s*(?:100|9[89](?:\.\d+)?)\s*[%％]|满意度(?:很|较)?高(?![于出])")


@rule("D26B", "满意度100%无调查依据", kind="score_inflation", severity="warning", absence=True)
def satisfaction_without_survey(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A satisfaction of 100% needs its survey: method, sample size, who was asked.

    Bad:  服务对象满意度预期年度指标值100%，实际完成值100%。（全文无调查方式）
    Good: 发放问卷320份，回收301份，满意度96.3%
    """
    text = ctx.text
    if _survey_described(text, report):
        return
    m = FULL_SAT.search(text, report.start, report.end)
    if not m:
        for row in report.indicators:
            if "满意" not in f"{row.level2}{row.level3.text}" or row.actual is None:
                continue
            # 100% exactly: a measured 92% scored in full is a survey result, whatever its method
            if re.fullmatch(r"\s*100(?:\.0+)?\s*[%％]\s*", row.actual.text):
                m = row.row
                break
    if m is None:
        return
    span = (m.start(), m.end()) if isinstance(m, re.Match) else m
    said = re.search(r"(?:100|9[89])(?:\.\d+)?\s*[%％]", m.group()) if isinstance(m, re.Match) else None
    value = said.group().replace(" ", "") if said else "100%" if not isinstance(m, re.Match) else "很高"
    ev = [span]
    if report.stated_total is not None and report.stated_total.value >= 95:
        ev.append(report.stated_total)
    yield Finding(message=f"满意度为{value}，但报告没有说明调查方式、样本量或调查对象" +
                          (f"，自评得分{fmt(report.stated_total.value)}分依据不足" if len(ev) > 1 else ""),
                  evidence=ev, expected="满意度调查方法及样本", stated=value)


HEDGE = lazy(r"较为满意|基本满意|比较满意|总体满意|较满意|普遍满意|满意度较高|群众满意")
SURVEY = lazy(r"问卷|调查|抽样|样本|测评|回访|评议")


@rule("D26", "满意度依据不足", kind="score_inflation", severity="warning")
def satisfaction_evidence(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A satisfaction indicator at full marks needs a measured rate and a method (问卷,
    抽样, 样本量); "较为满意" with full marks is an inflated score.

    Bad:  服务对象满意度 (6分) | 6 | 服务对象较为满意
    Good: 服务对象满意度 | ≥90% | 93.5%（发放问卷200份，回收186份） | 10 | 10
    """
    for row in report.indicators:
        name = f"{row.level2}{row.level3.text}"
        if "满意" not in name or row.weight is None or row.score is None:
            continue
        if row.score.value < row.weight.value - ctx.profile.score_tolerance:
            continue
        said = " ".join(x.text for x in (row.actual, row.reason) if x is not None)
        if said and HEDGE.search(said) and not SURVEY.search(said):
            yield Finding(message=f"{row.level3.text.strip()}得满分{row.score.text}，但完成情况只写“{said.strip()[:20]}”，"
                                  "没有满意度数值和调查方法",
                          evidence=[x for x in (row.actual, row.reason) if x is not None] + [row.score],
                          expected="满意度数值及调查方法", stated=said.strip()[:40])


@rule("D16B", "指标内容雷同", kind="missing", severity="warning")
def reused_indicator_text(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The same 三级指标 text used under different 二级指标 (质量, 生态效益, 满意度 …)
    measures nothing specific to any of them.

    Bad:  质量指标 | 达到国家和行业标准要求;  生态效益 | 达到国家和行业标准要求
    Good: 质量指标 | 系统可用率≥99.5%;  生态效益 | 减少纸质公文印刷≥20万页
    """
    seen: dict[str, list[IndicatorRow]] = {}
    for row in report.indicators:
        key = re.sub(r"\s+|^指标\d+[:：]", "", row.level3.text)
        if len(key) >= 4:
            seen.setdefault(key, []).append(row)
    for key, rows in seen.items():
        cats = {r.level2 for r in rows}
        if len(cats) >= 2:
            yield Finding(message=f"三级指标“{key}”在{len(cats)}个不同的二级指标（{'、'.join(sorted(c for c in cats if c))}）下重复使用，"
                                  "不是可衡量的具体指标",
                          evidence=[r.row for r in rows], expected="每个二级指标设置具体、可衡量的三级指标",
                          stated=key)


@rule("D06", "反向指标得分", kind="arithmetic", severity="error")
def reverse_indicator_score(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A reverse indicator (≤, <: cost, time, complaint counts) scores full marks when the
    result stays within the target; above it, either (1 − (完成值−指标值)/指标值) × 分值
    (0 at twice the target) or 指标值 ÷ 完成值 × 分值. A score matching neither is flagged.

    Bad:  每公里维修成本 | ≤3万元 | 2.8万元 | 5 | 4     (within the ceiling, yet deducted)
    Bad:  户均补助资金 | ≤1.6万元/户 | 1.62万元/户 | 10 | 10   (over the ceiling, yet full marks)
    Good: 每公里维修成本 | ≤3万元 | 3.3万元 | 5 | 4.5   (over by 10%: 0.9 × 5)
    """
    tol = ctx.profile.score_tolerance
    for row in report.indicators:
        cmp_ = _compare(row)
        if cmp_ is None or row.weight is None or row.score is None or cmp_[0] not in ("≤", "<"):
            continue
        op, target, actual = cmp_
        w, s = row.weight.value, row.score.value
        if _met(op, target, actual):
            if s < w - tol:
                yield Finding(message=f"{row.level3.text.strip()}：完成值{row.actual.text}在指标值{row.target.text}以内，应得满分{fmt(w)}分，填写{fmt(s)}分",
                              evidence=[row.row], expected=fmt(w), stated=fmt(s), kind="contradiction")
            continue
        if target <= 0 or actual <= 0:
            continue
        a = max(0.0, 1 - (actual - target) / target) * w
        b = target / actual * w
        # over the ceiling yet full marks is never right, however small the overrun (1.62 vs ≤1.6万元)
        if min(abs(s - a), abs(s - b)) > max(tol, 0.05 * w) or s >= w - 1e-9:
            yield Finding(message=f"{row.level3.text.strip()}：完成值{row.actual.text}超出指标值{row.target.text}，应得 {fmt(a)} 分"
                                  f"（或按 指标值÷完成值 计 {fmt(b)} 分），填写 {fmt(s)} 分" + (_empty_reason(row) if s >= w - tol else ""),
                          evidence=[row.row], expected=f"{fmt(a)}或{fmt(b)}", stated=fmt(s),
                          kind="score_inflation" if s > max(a, b) else None)


QUAL_BANDS = [(lazy(r"未达成|未完成|效果较差"), 0.0, 0.6, "未达成年度指标且效果较差"),
              (lazy(r"部分达成|基本达成|部分完成|基本完成"), 0.6, 0.8, "部分达成年度指标并具有一定效果"),
              (lazy(r"^(达成|达到|完成|已完成|全部完成|达成年度指标|达到预期)"), 0.8, 1.0, "达成年度指标")]


# a sentence that rates an indicator 部分达成 or 未达成 and gives it full marks all the same
NARRATIVE_FULL_BAND = lazy(r"(?P<band>部分达成|未达成|部分完成|未完成)(?:年度指标)?[^。；;\n]{0,30}?"
                           r"(?P<full>(?:按|得|给|计|记)(?:予)?满分(?:\s*\d+(?:\.\d+)?\s*分)?)")


@rule("D08", "定性指标得分档次", kind="contradiction", severity="warning")
def qualitative_band(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A qualitative indicator is scored in bands: 达成 → 80–100% of 分值; 部分达成 →
    60–80%; 未达成 → below 60% (财预〔2020〕10号 第十六条).

    Bad:  制度建设 | 健全 | 部分完成 | 10 | 10
    Bad:  评定为“部分达成年度指标并具有一定效果”，按满分10分计分
    Good: 制度建设 | 健全 | 部分完成 | 10 | 7
    """
    yield from _narrative_full_band(report, ctx)
    tol = ctx.profile.score_tolerance
    for row in report.indicators:
        if row.actual is None or row.weight is None or row.score is None or not worded_result(row.actual.text):
            continue
        act = row.actual.text.strip()
        for pat, lo, hi, name in QUAL_BANDS:
            if pat.search(act):
                w, s = row.weight.value, row.score.value
                upper_ok = s <= hi * w + tol if hi < 1 else s <= w + tol
                if not (lo * w - tol <= s and (upper_ok if hi == 1 else s < hi * w + tol)):
                    yield Finding(message=f"{row.level3.text.strip()}：完成情况“{act}”属于“{name}”档，得分应在{fmt(lo * w)}–{fmt(hi * w)}分之间，填写{fmt(s)}分"
                                  + (_empty_reason(row) if s >= w - tol else ""),
                                  evidence=[row.row], expected=f"{fmt(lo * w)}–{fmt(hi * w)}", stated=fmt(s),
                                  kind="score_inflation" if s > hi * w else None)
                break


PCT_POINTS_OVER = 20  # percentage points above a rate target that call for an explanation


@rule("D14B", "超额完成未说明", kind="missing", severity="warning")
def over_achievement(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A result far above its target (≥ 120% by default) needs an explanation: was the
    target set too low? The score may need to be reduced (财预〔2020〕10号 第十六条).

    A rate counts by points (≥60% → 85%, 25 points over), not by ratio (≥3% → 4.8% is
    no target set too low).

    Bad:  培训人次 | ≥200人次 | 520人次 | 10 | 10 | (空)
    Good: 培训人次 | ≥200人次 | 520人次 | 10 | 9 | 线上课程开放后参训人数大增，2024年目标调至500人次
    """
    k = ctx.profile.over_achievement
    for row in report.indicators:
        cmp_ = _compare(row)
        if cmp_ is None or gives_reason(row):
            continue
        op, target, actual = cmp_
        # a rate is over-achieved by points, not by ratio: ≥3% → 4.8% is no target set too low
        pct = row.target is not None and re.search(r"[%％]|百分点", row.target.text)
        if op in ("≥", ">") and target > 0 and actual >= k * target and not (pct and actual - target < PCT_POINTS_OVER):
            full = row.score is not None and row.weight is not None and row.score.value >= row.weight.value - 1e-9
            yield Finding(message=f"{row.level3.text.strip()}：完成值{row.actual.text}为指标值{row.target.text}的{fmt(actual / target * 100, 0)}%，"
                                  "超额较多却未说明原因（指标值是否偏低、得分是否应调减）",
                          evidence=[row.row], expected="说明超额原因", stated=f"{fmt(actual / target * 100, 0)}%",
                          kind="score_inflation" if full else None)


@rule("D17", "成本指标方向", kind="format", severity="warning")
def cost_operator(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 成本指标 caps spending: it uses ≤ with 元/万元, not ≥.

    Bad:  成本指标 | 设备采购成本 | ≥50万元
    Good: 成本指标 | 设备采购成本 | ≤50万元
    """
    for row in report.indicators:
        if not row.level2.startswith("成本") or row.target is None:
            continue
        t = parse_target(row.target.text)
        if t.op in ("≥", ">") and t.unit in ("元", "万元"):
            yield Finding(message=f"{row.level3.text.strip()}：成本指标应为上限（≤），却写为“{row.target.text.strip()}”",
                          evidence=[row.target], expected=f"≤{fmt(t.value or 0)}{t.unit}", stated=row.target.text.strip())


TIME_ROW = lazy(r"时限|时间|日期|完工|竣工|完成时|上线|交付|到位时|进度")


def _dates(row: IndicatorRow, year: int | None):
    """(target, actual) dates of a time indicator, when both cells hold one."""
    from reviewer.structure.dates import parse_date

    if row.target is None or row.actual is None or not (TIME_ROW.search(row.level3.text) or row.level2.startswith("时效")):
        return None
    t = parse_date(row.target.text, year)
    a = parse_date(row.actual.text, t.year if t else year)
    return None if t is None or a is None else (t, a)


def date_shortfall(row: IndicatorRow, year: int | None):
    """(target, actual) dates when a time indicator's actual date is later than its target."""
    d = _dates(row, year)
    return d if d is not None and d[1] > d[0] else None


@rule("D43", "时效指标逾期", kind="score_inflation", severity="error")
def late_time_indicator(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A time indicator whose actual date is later than its target date is not met: it
    cannot score full marks, and the delay needs a reason.

    Bad:  主体工程完工时间 | 2023年5月15日前 | 2023年6月28日 | 5 | 5
    Good: 主体工程完工时间 | 2023年5月15日前 | 2023年6月28日 | 5 | 3 | 汛期停工44天，已调整施工计划
    """
    for row in report.indicators:
        late = date_shortfall(row, report.year)
        if late is None or row.weight is None or row.score is None:
            continue
        t, a = late
        if row.score.value >= row.weight.value - ctx.profile.score_tolerance:
            yield Finding(message=f"{row.level3.text.strip()}：指标值{row.target.text.strip()}，实际{row.actual.text.strip()}，逾期{(a - t).days}天，"
                                  f"却得满分{row.score.text}" + ("，且未说明原因" if not gives_reason(row) else ""),
                          evidence=[row.row], expected="按逾期程度扣分", stated=row.score.text)


# (有效 alone is a state one can check, a licence 有效 or not; 有效提升 is vague)
VAGUE_TARGET = lazy(r"^(有所|明显|显著|逐步|进一步|持续|稳步|不断|大幅|全面)?(改善|提升|提高|向好|完善|加强|增强|好转|促进|提高|增加|降低|减少|有效(?=\S)|明显)"
                          r"|^(效果明显|成效显著|有所改善|有所提升|持续向好|稳步提升|明显提升|显著提升|逐步完善|基本实现|较好|良好|好|提高|促进|增强|长期|长效|持续|稳定|规范|健全)$")


@rule("D16C", "指标值模糊", kind="boilerplate", severity="warning")
def vague_target(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 指标值 such as "有所改善" / "持续向好" / "提高" measures nothing: it cannot be missed,
    so scoring it in full says nothing (财预〔2015〕88号: 细化量化). Rewrite it with a number.

    Bad:  残疾人生活状况 | 有所改善 | 有所改善 | 15 | 15
    Good: 困难残疾人月人均可支配收入 | ≥1200元 | 1260元 | 15 | 15
    """
    vague = [r for r in report.indicators
             if r.target is not None and VAGUE_TARGET.search(r.target.text.strip()) and not re.search(r"\d", r.target.text)]
    if vague:
        listing = "、".join(f"“{r.level3.text.strip()}”（{r.target.text.strip()}）" for r in vague[:4])
        yield Finding(message=f"{len(vague)}项指标的指标值只有模糊表述，无法衡量是否完成：{listing}",
                      evidence=[r.row for r in vague], expected="可量化的指标值", stated=vague[0].target.text.strip())


# satisfaction claimed in words: 普遍表示满意, 满意度较高, 一致好评
SATISFIED_WORDS = lazy(r"(?:普遍|均|都|一致|总体|比较|较为|非常)表示满意|普遍满意|满意度(?:达到)?(?:较高|很高|高|良好)(?:水平)?|一致好评|"
                       r"广泛好评|交口称赞")
SATISFACTION_FIGURE = lazy(r"满意(?:度|率)[^。；;\n\d]{0,16}\d|\d+(?:\.\d+)?\s*[%％][^。；;\n]{0,6}满意")


@rule("D82", "满意度只有文字评价", kind="missing", severity="warning")
def satisfaction_in_words_only(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """Satisfaction claimed in words ("普遍表示满意") while the report gives no satisfaction
    figure anywhere — no rate in the text, no measured 满意度 in the form: the claim cannot be
    checked against a target such as ≥90%.

    Bad:  通过走访调查，见习单位和见习人员对就业见习工作普遍表示满意。（全文无满意率）
    Bad:  群众满意度目标值为≥90%，实际完成情况为满意。
    Good: 走访见习单位38家、见习人员120人，满意率95.8%。
    """
    text = ctx.text
    figures = list(SATISFACTION_FIGURE.finditer(text, report.start, report.end))
    # a measured figure (满意率95.8%), not the target (满意度不低于90%)
    if any(not re.search(r"不低于|不少于|≥|≧|>=|目标|预期", m.group() + text[m.end():m.end() + 6]) for m in figures):
        return
    # in a text cut off, the survey's figure may lie past the cut: only a report that set a
    # satisfaction target and then answers it in words where its results are is held to it
    cut = report.truncated_at is not None
    if not figures and not results_all_shown(report):
        return
    if any("满意" in f"{r.level2}{r.level3.text}" and r.actual is not None and re.search(r"\d", r.actual.text)
           for r in report.indicators):
        return
    # a satisfaction target stated in a sentence and answered in words: 目标值为≥90%，实际完成情况为满意
    for r in report.prose_indicators:
        if "满意" in r.level3.text and r.target is not None and re.search(r"\d", r.target.text) \
                and r.actual is not None and not re.search(r"\d", r.actual.text):
            yield Finding(message=f"{r.level3.text.strip()}的目标为{r.target.text.strip()}，完成情况只写“{r.actual.text.strip()}”，"
                                  "没有满意度调查的结果（满意率、样本量）",
                          evidence=[r.row], expected="满意度调查结果（满意率、样本量、方式）", stated=r.actual.text.strip())
            return
    for m in SATISFIED_WORDS.finditer(text, report.start, report.end):
        sec = innermost_section(report.sections, m.start())
        if sec is not None and sec.kind in ("problems", "measures", "goals"):
            continue
        if cut and (sec is None or sec.kind not in ("performance", "conclusion")):
            continue
        s, e = sentence_at(text, m.start(), report.start, report.end)
        if re.search(r"力争|确保|预计|目标|计划", text[s:m.start()]) or \
                "不" in text[clause_start(text, s, m.start()):m.start()]:
            continue  # a plan, or a negation in its own clause (不同程度改善，…满意度高 is not one)
        yield Finding(message=f"报告称“{m.group()}”，但全文没有满意度调查的结果（满意率、样本量）",
                      evidence=[(s, e)], expected="满意度调查结果（满意率、样本量、方式）", stated=m.group())
        return
