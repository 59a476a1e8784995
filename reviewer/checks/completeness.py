"""Rules on what a report must contain: sections (D34), a score (D35), problems text
(D23), indicator categories (D15), numbering (D33), years (D21), quantified goals (D36)."""

from __future__ import annotations

import re
from typing import Iterator

from reviewer.checks._common import in_spans, stops_in, table_spans
from reviewer.checks.base import CheckContext, Finding, rule
from reviewer.models import Report, Section
from reviewer.structure.numbers import NUM
from reviewer.structure.sections import NONE_WORDS
from reviewer.lazy_re import lazy

CN_NUM = "一二三四五六七八九十"


def _narrative_headings(report: Report) -> list[Section]:
    return [s for s in report.sections if s.level == 1 and s.number]


# the outline of a 转移支付 (transfer payment) 绩效自评报告
TRANSFER_OUTLINE = lazy(r"绩效目标分解下达情况|自评结果拟应用")
REGIONAL_TITLE = lazy(r"区域绩效|转移支付")


@rule("D34", "缺少必备章节", kind="missing", severity="error", absence=True)
def required_sections(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A narrative 自评报告 needs 自评结论 (with a score), 存在问题 and 改进措施.

    The 转移支付 outline (一、绩效目标分解下达情况 … 三、偏离绩效目标的原因和下一步改进措施
    四、绩效自评结果拟应用和公开情况) has no 自评结论, and its 偏离原因 section is asked for only
    when the form shows a deduction.

    Bad:  一、基本情况 二、资金情况 三、完成情况 四、绩效评价的结果和意义 (no 结论/问题/措施)
    Good: … 四、自评结论 五、存在的问题 六、改进措施
    """
    heads = _narrative_headings(report)
    if len(heads) < 3:
        return  # not a narrative report (a bare 自评表), nothing to expect
    kinds = {s.kind for s in report.sections}
    # a 转移支付 区域绩效 self-evaluation follows its own outline, whatever its headings are called
    transfer = any(TRANSFER_OUTLINE.search(h.heading.text) for h in heads) or bool(REGIONAL_TITLE.search(report.title))
    if transfer:
        deducted = any(r.score is not None and r.weight is not None and r.score.value < r.weight.value
                       for r in report.indicators)
        missing = ["偏离绩效目标的原因和下一步改进措施"] if deducted and not kinds & {"problems", "measures"} else []
    else:
        missing = [name for kind, name in (("conclusion", "自评结论"), ("problems", "存在的问题"), ("measures", "改进措施"))
                   if kind not in kinds and not (kind == "measures" and _problems_has_measures(report))]
    # (a 部门整体支出 self-evaluation scores its projects one by one: no single 自评结论 is asked for)
    if (kind_has_score(report) or "部门整体" in report.title) and "自评结论" in missing:
        missing.remove("自评结论")
    if missing:
        last = heads[-1]
        text = ctx.text
        end = report.end
        while end > report.start and text[end - 1].isspace():
            end -= 1
        tail_start = max(last.heading.end, text.rfind("\n", report.start, max(report.start, end - 1)) + 1)
        yield Finding(message=f"报告缺少“{'”“'.join(missing)}”部分（最后一节为“{last.heading.text.strip()}”，报告到此结束）",
                      evidence=[last.heading, (tail_start, end)], expected="、".join(missing), stated="缺失")


def kind_has_score(report: Report) -> bool:
    return report.stated_total is not None


def _problems_has_measures(report: Report) -> bool:
    return any(s.kind == "problems" and re.search(r"建议|措施|改进", s.heading.text) for s in report.sections)


@rule("D35", "自评结论无得分", kind="missing", severity="error", absence=True)
def conclusion_without_score(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The 自评结论 must state the self-evaluation score (and grade).

    Bad:  四、自评结论 一是我中心高度重视项目评价工作……
    Good: 四、自评结论 本项目自评得分92分，等级为“优”。
    """
    if report.stated_total is not None or report.indicators:
        return
    sec = report.section("conclusion")
    if sec is None or sec.number is None:
        return
    g = report.stated_grade
    if g is not None and sec.body.start <= g.start < sec.body.end:
        # a grade with nothing to check it against: 自评等级为“优”, no score and no 自评表
        from reviewer.structure.scores import grade_of

        yield Finding(message=f"自评结论只给出等级“{grade_of(g) or g.text.strip()}”，没有自评得分，报告中也没有可核对的指标得分",
                      evidence=[g], expected="自评得分及等级", stated=grade_of(g) or g.text.strip())
        return
    yield Finding(message="自评结论未给出自评得分和等级", evidence=[(sec.heading.start, min(sec.body.start + 20, sec.body.end))],
                  expected="自评得分及等级", stated="未写明")


# the evaluation words a conclusion is made of when it says nothing of its own project
STOCK_CONCLUSION = lazy(
    r"项目|预算|编制|资金|使用|管理|执行|实施|绩效|年度|总体|整体|综合|评价|目标|任务|效果|效益|情况|工作|质量|进度|"
    r"完成|达到|实现|取得|较高|较好|良好|优秀|明显|显著|顺利|基本|全面|圆满|规范|合理|有效|到位|及时|预期|既定|"
    r"了|的|均|已|按|计划|要求|较|好|高|很|各项|符合")


@rule("D72", "评价结论为套话", kind="boilerplate", severity="warning")
def stock_conclusion(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 评价结论 of a line or two with no figure and no grade ("完成预算目标，总体评价良好。")
    could close any report: state the score, the grade and what the project achieved.

    Bad:  评价结论 | 预算编制质量较高，完成预算目标，总体评价良好。
    Good: 评价结论 | 自评得分96分，等级为优；新建排水沟1300米，受益群众2100人。
    """
    for sec in report.sections:
        if sec.kind != "conclusion" or stops_in(report, ctx.text, sec.body.end):
            continue  # (a conclusion the text stops in may give its score past the cut)
        body = sec.body.text
        words = re.sub(r"[|｜\s]+", "", body)
        own = STOCK_CONCLUSION.sub("", re.sub(r"[，,。；;、：:“”\"]", "", words))
        if 6 <= len(words) <= 80 and len(own) <= 4 and not re.search(r"\d|等级|等次|评为|评定", words):
            s = sec.body.start + len(body) - len(body.lstrip(" |｜\t\n"))
            e = sec.body.start + len(body.rstrip(" |｜\t\n"))
            yield Finding(message=f"评价结论只写“{words[:40]}”，没有自评得分、等级和具体成效",
                          evidence=[(s, e)], expected="自评得分、等级及主要成效", stated=words[:40])


# A statement that there is no problem names none: 不存在问题 / 没有问题 / 无明显问题 / 经自查，本项目未发现问题
NEGATED_PROBLEM = lazy(r"(?:无|不存在|没有|未发现|未出现)(?:任何|明显|重大|突出|其他)?(?:的)?(?:问题|不足)")
NO_PROBLEM = (r"(?:经(?:自查|检查|核查|评价|自评|评估|审核)[，,]?)?(?:本项目|该项目|项目|我单位|本单位|我局)?(?:在?(?:实施|执行|管理)(?:过程)?中[，,]?)?"
              r"(?:暂|均|基本|并|尚)?" + NEGATED_PROBLEM.pattern)
EMPTY_WORDS = lazy(rf"^(?:{NONE_WORDS}|{NO_PROBLEM})[。.]?$")
_FIRST_SENTENCE = lazy(r"[^。；;\n]*[。；;]?")


def no_problem_opening(text: str) -> str | None:
    """The opening sentence of ``text`` when it says there is no problem (本项目实施过程中未发现问题。
    before the measures that follow it), else None."""
    first = _FIRST_SENTENCE.match(text.strip()).group().strip()
    return first if EMPTY_WORDS.match(first) else None


NOTE = lazy(r"^(提示|备注|注)[:：]")


def _substance(text: str, report: Report, ctx: CheckContext, start: int, end: int) -> str:
    """The section's own words: lines that are not instructions, not table headers and
    not bare serial numbers."""
    out = []
    spans = table_spans(report, ctx.parsed)
    for ti in report.tables:
        t = ctx.parsed.tables[ti]
        if start <= t.start < end:
            for row in t.rows[1:]:
                out += [c.text for c in row if c.text.strip() and not re.fullmatch(r"[\d.\s]+|\.\.\.", c.text.strip())]
    pos = start
    for line in text[start:end].split("\n"):
        ls = pos
        pos += len(line) + 1
        if in_spans(ls, spans) or NOTE.match(line.strip()) or not line.strip():
            continue
        out.append(line.strip())
    return "".join(out)


@rule("D23", "存在问题为空", kind="missing", severity="error")
def empty_problems(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """存在问题 and 改进措施 must say something: not 无/暂无/—, not an empty table.

    Bad:  三、存在问题及改进意见 | 序号 | 主要问题 | 改进计划 | 1 |  |  | 2 |  |
    Good: 三、存在问题 1.资金12月才下达，采购推迟，完工延期45天……
    """
    for sec in report.sections:
        if sec.kind not in ("problems", "measures"):
            continue
        body = (sec.body.text if sec.number is None  # a section held in a table cell
                else _substance(ctx.text, report, ctx, sec.body.start, sec.body.end))
        cells = [c for ti in report.tables for row in ctx.parsed.tables[ti].rows[1:] for c in row
                 if sec.body.start <= ctx.parsed.tables[ti].start < sec.body.end and c.text.strip()
                 and not re.fullmatch(r"[\d.\s]+|\.\.\.", c.text.strip())]
        all_empty_cells = bool(cells) and all(EMPTY_WORDS.match(c.text.strip()) for c in cells)
        body = re.sub(r"^[|｜\s]+|[|｜\s]+$", "", body)  # a flattened form's cell: the pipes around it
        if not body and not cells and report.truncated_at is not None and sec.body.end >= report.truncated_at - 1:
            continue  # a heading the cut-off text ends with: its text was not seen
        if not body and sec.number and sec.number.endswith("部分") and any(
                o.kind in ("problems", "measures") and o is not sec and sec.body.end <= o.heading.start <= sec.body.end + 4
                for o in report.sections):
            continue  # 第五部分 存在问题及改进措施 opens its parts: 一、存在问题 … 二、改进措施
        # a part on problems and measures together that opens by saying there is no problem
        # (本项目实施过程中未发现问题。下一步…): its problems are empty
        first = no_problem_opening(body) if sec.kind == "problems" and re.search(r"改进|措施|建议|下一步", sec.heading.text) else None
        if first and len(body.strip()) > len(first):
            s0 = ctx.text.find(first, sec.body.start, sec.body.end)
            if s0 >= 0:
                yield Finding(message=f"“{sec.heading.text.strip()}”只说“{first}”，没有写出任何问题",
                              evidence=[(s0, s0 + len(first))], expected="具体问题及原因", stated=first)
                continue
        if not body or EMPTY_WORDS.match(body.strip()) or all_empty_cells:
            ev = [sec.heading]
            for ti in report.tables:
                t = ctx.parsed.tables[ti]
                if sec.body.start <= t.start < sec.body.end:
                    ev.append((t.start, t.rows[min(2, len(t.rows) - 1)][-1].end))
            if sec.body.text.strip() and len(ev) == 1:
                ev.append(sec.body)
            yield Finding(message=f"“{sec.heading.text.strip()}”没有填写任何内容", evidence=ev,
                          expected="具体问题及原因、改进措施", stated=body.strip() or "空")


@rule("D33", "章节编号混乱", kind="format", severity="info")
def heading_numbering(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """First-level headings are numbered 一、二、三… in order.

    Bad:  三、绩效目标完成情况  四、自评结论  5、 存在的问题  6、 改进措施
    Good: 三、绩效目标完成情况  四、自评结论  五、存在的问题  六、改进措施
    """
    heads = _narrative_headings(report)
    text = ctx.text
    if any(text[text.rfind("\n", 0, s.heading.start) + 1:s.heading.start].strip() for s in heads):
        return  # headings found inside run-together text: some may have been missed, the sequence is unsure
    prev = 0
    for s in heads:
        num = s.number or ""
        if num.startswith("第") and num.endswith("部分"):
            num = num[1:-2] + "、"  # 第五部分 is numbered like 五、
        if num and num[0] in CN_NUM:
            cur = _cn_value(num.rstrip("、"))
            if prev and cur > prev + 1:
                want = CN_NUM[prev] if prev < 10 else str(prev + 1)
                yield Finding(message=f"章节编号从“{CN_NUM[prev - 1]}”跳到“{s.heading.text.strip()}”，缺少“{want}”",
                              evidence=[s.heading], expected=f"{want}、", stated=num)
                return
            prev = cur
            continue
        m = re.match(r"(\d+)", num)
        if m and prev:
            want = CN_NUM[prev] if prev < 10 else str(prev + 1)
            # every later first-level heading numbered the same broken way needs the same fix
            later = [t.heading for t in heads[heads.index(s) + 1:] if re.match(r"\d", t.number or "")]
            more = f"，其后{len(later)}个标题（{'、'.join(h.text.strip() for h in later)}）同样需要改" if later else ""
            yield Finding(message=f"章节编号“{s.heading.text.strip()}”与前文“{CN_NUM[prev - 1] if prev <= 10 else prev}、”不连贯，应为“{want}、”{more}",
                          evidence=[s.heading, *later], expected=f"{want}、", stated=num)
            return


def _cn_value(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN_NUM.index(s[1]) + 1
    if len(s) == 1:
        return CN_NUM.index(s) + 1
    return 0


@rule("D15", "指标类别缺失", kind="missing", severity="warning", absence=True)
def indicator_categories(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """A 自评表 has 产出 and 效益 indicators and a 服务对象满意度 indicator.

    Bad:  产出指标 … 效益指标 … (no 满意度指标)
    Good: 产出指标 … 效益指标 … 满意度指标 | 服务对象满意度 | ≥90% | 93%
    """
    from reviewer.checks._common import rows_complete

    rows = [r for r in report.indicators if not r.empty]
    scored = [r for r in rows if r.score is not None or r.weight is not None]
    if len(scored) < 3 or not rows_complete(ctx.parsed) or not any(r.level1 or r.level2 for r in rows):
        return  # a flat table without 一级/二级 columns: categories cannot be judged
    names = " ".join(f"{r.level1} {r.level2} {r.level3.text}" for r in rows)
    missing = [n for n, pat in (("产出指标", r"产出|数量|质量|时效"), ("效益指标", r"效益|可持续"), ("满意度指标", r"满意"))
               if not re.search(pat, names)]
    if missing:
        # where the form starts, and where it ends without them (its 合计 row, or its last row)
        end = next((s.ref for s in report.subtotals if s.level == 0 and s.ref is not None), rows[-1].row)
        yield Finding(message=f"自评表缺少{'、'.join(missing)}", evidence=[rows[0].row, end], expected="、".join(missing), stated="缺失")


YEAR_TABLE = lazy(r"[（(]\s*(20\d{2})\s*年度\s*[）)]")


@rule("D21", "年度不一致", kind="contradiction", severity="warning")
def year_consistency(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The fiscal year in the title equals the 自评表's year; "本年度" means that year.

    Bad:  2023年度…自评报告 … 项目支出绩效自评表（2022年度）
    Good: 2023年度…自评报告 … 项目支出绩效自评表（2023年度）
    """
    text = ctx.text
    if report.year is None or report.year_ref is None:
        return
    title_year = report.year
    titled = report.title_ref is not None and report.title_ref.start <= report.year_ref.start < report.title_ref.end
    for m in YEAR_TABLE.finditer(text, report.start, report.end) if titled else []:
        if int(m.group(1)) != title_year:
            yield Finding(message=f"标题年度为{title_year}年，自评表年度为{m.group(1)}年", evidence=[report.year_ref, (m.start(), m.end())],
                          expected=str(title_year), stated=m.group(1))
    yield from _form_year_against_project(report, text)
    for m in re.finditer(r"(20\d{2})\s*年?本年度|本年度[^。；\n\d]{0,16}?(20\d{2})\s*年", text[report.start:report.end]):
        y = int(m.group(1) or m.group(2))
        if y != title_year:
            s = report.start + m.start()
            yield Finding(message=f"“本年度”写为{y}年，报告年度为{title_year}年", evidence=[(s, report.start + m.end())],
                          expected=str(title_year), stated=str(y))


PROJECT_YEAR = lazy(r"(?:项目名称\s*[:：|｜]?\s*)?(?<!\d)(20\d{2})\s*年(?!度)")


def _form_year_against_project(report: Report, text: str) -> Iterator[Finding]:
    """A form headed （2019年度） for a project named 2020年… whose indicator dates all fall
    in 2020: the form's year was carried over from last year's form."""
    forms = list(YEAR_TABLE.finditer(text, report.start, min(report.end, report.start + 600)))
    if len(forms) != 1:
        return
    m = forms[0]
    form_year = int(m.group(1))
    head = text[report.start:m.start()] + " " + text[m.end():min(report.end, m.end() + 200)]
    named = {int(y) for y in PROJECT_YEAR.findall(head)}
    dated = {int(y) for r in report.indicators for ref in (r.target, r.actual) if ref is not None
             for y in re.findall(r"(20\d{2})\s*年", ref.text)}
    if len(named) == 1 and form_year not in named and dated and dated <= named:
        y = next(iter(named))
        yield Finding(message=f"自评表年度写为{form_year}年度，而项目名称和指标日期均为{y}年，疑为沿用上年表格",
                      evidence=[(m.start(), m.end())], expected=f"{y}年度", stated=f"{form_year}年度")


QUANT = lazy(rf"{NUM}\s*(个|项|次|辆|人|户|台|套|家|村|%|％|天|日|月|万元|元|平方米|米|公里|条|路|处|场|份|件)|(?<!\d)\d+月\d+日|(?<!\d)\d+月底|年底前")


# the verbs of a goal that sets a direction, not a result: 进一步完善, 提升…能力, 保障…安全
DIRECTIONAL = lazy(r"进一步|完善|提升|提高|加强|强化|做好|保障|促进|推进|推动|有效|确保|更好|健全|改善|服务于")
# a figure the publishing site hides behind a link or an ellipsis
MASKED = lazy(r"点击查看|[（(]略[)）]|\*{3,}|×{3,}")


@rule("D36", "绩效目标未量化", kind="missing", severity="warning")
def unquantified_goal(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The 绩效目标 states measurable outputs: a quantity, a quality standard, a deadline
    or a cost ceiling — not just "按合同完成" or the amount of money.

    Bad:  （二）项目绩效目标 严格按照合同规定，对实训楼进行维修改造，保障机关工作正常运行。
    Bad:  （二）年度绩效目标。进一步完善站网布局，提升监测预警能力，为农牧业生产提供保障。  (stock: boilerplate)
    Good: （二）项目绩效目标 2023年6月底前完成实训楼2400平方米屋面防水和56樘门窗更换，验收合格率100%。

    A report with a 自评表 is held only to the stock kind: its indicators quantify a goal that
    names a concrete task.
    """
    sec = report.section("goals")
    if sec is None or not sec.body.text.strip():
        return
    cut = report.truncated_at
    if cut is not None and not any(sec.body.end <= s.heading.start < cut for s in report.sections):
        return  # the goals run to where the text stops (no later heading seen): their figures may lie past it
    body = sec.body.text
    if MASKED.search(body):
        return  # the page hides the figures (点击查看>>, (略)): what the goals quantify is not shown
    from reviewer.checks.goal_text import goal_restates_name  # (goal_text imports this module)

    if next(goal_restates_name(report, ctx), None) is not None:
        return  # a goal that only restates the project's name is D85's finding: one defect, one finding
    only_money = re.fullmatch(rf"[^，,。\n]*?{NUM}\s*万?元[。.]?", body.strip().split("\n")[0]) and body.count("\n") < 2
    if only_money or not QUANT.search(body):
        first_line_end = body.find("\n")
        end = sec.body.start + (first_line_end if first_line_end > 0 else len(body))
        # goals made of directional phrases (进一步完善…，提升…能力，为…提供保障) are stock text:
        # a boilerplate finding; a concrete task without figures (对实训楼进行维修改造) is a missing one
        words = list(dict.fromkeys(DIRECTIONAL.findall(body[:first_line_end if first_line_end > 0 else len(body)])))
        stock = not only_money and len(words) >= 3
        if report.indicators and not stock:
            return  # the form's indicators quantify what the goal sentence leaves open
        yield Finding(message=("绩效目标只有方向性表述（" + "、".join(words[:4]) + "），没有可衡量的数量、质量、时效或成本指标")
                      if stock else "绩效目标没有可衡量的数量、质量、时效或成本指标" + ("（只写了资金金额）" if only_money else ""),
                      evidence=[(sec.body.start, end)], expected="量化的产出、质量、时效、成本目标", stated=body.strip()[:40],
                      kind="boilerplate" if stock else None)


GOAL_LABEL = lazy(r"年度总体目标(?!完成)")
GOAL_END = lazy(r"绩效指标|一级指标|年度绩效指标|二级指标")


def goal_blocks(text: str, report: Report, label: re.Pattern | None = None) -> list[tuple[int, int]]:
    """Spans of the form's 年度总体目标 block (预期目标 and 实际完成情况 cells), from its label (or
    from ``label``) to the indicator block; a block the text stops inside of is left out."""
    out = []
    for m in (label or GOAL_LABEL).finditer(text, report.start, report.end):
        stop = GOAL_END.search(text, m.end(), min(report.end, m.end() + 600))
        if stop is not None:
            out.append((m.end(), stop.start()))
    return out


# an answer that is none: 实际完成情况：—— / 同预期目标。
RESULT_PLACEHOLDER = lazy(r"(?:实际完成(?:情况)?\s*[:：]?\s*(?P<v>——|—|－|-{1,2}|/|／|无)(?=\s*(?:$|\n|[|｜])))|"
                          r"(?:实际完成(?:情况)?\s*[:：]?\s*|(?<=\s)|(?<=[|｜]))(?P<v2>同预期目标|同上|同左|见预期目标|与预期目标一致)[。.]?(?=\s*(?:$|\n|[|｜]))",
                          re.MULTILINE)
# where the goal block starts in a form that prints 年度总体目标 down the page (年/度/总/体/目/标),
# so the label is not in the text as a word
TARGET_LABEL = lazy(r"预期目标")
GOAL_WORDS = lazy(r"年度总体目标|预期目标|实际完成情况|年初设定目标|完成情况综述|年度|总体|目标|完成情况|通过实施|项目|实施|[|｜\s]")


def _repeated(s: str, shortest: int = 10) -> str | None:
    """The longest piece of ``s`` (at least ``shortest`` characters) written twice, e.g. a
    project name restated as its own goal."""
    s = s[:400]
    for size in range(len(s) // 2, shortest - 1, -1):
        seen: set[str] = set()
        for i in range(len(s) - size + 1):
            piece = s[i:i + size]
            if piece in seen:
                return piece
            seen.add(piece)
    return None


@rule("D50", "年度总体目标空白", kind="missing", severity="error")
def empty_overall_goal(report: Report, ctx: CheckContext) -> Iterator[Finding]:
    """The 年度总体目标 block of the 自评表 fills in 预期目标 and 实际完成情况.

    Bad:  年度总体目标 | 预期目标 | 实际完成情况
          (空)         | (空)     | (空)
    Good: 年度总体目标 | 全年巡河1.2万次，县控断面达标率≥90% | 巡河1.26万次，达标率87.5%（7/8）
    """
    for ti in report.tables:
        rows = ctx.parsed.tables[ti].rows
        for i, row in enumerate(rows):
            texts = [re.sub(r"\s+", "", c.text) for c in row]
            if not any(t.startswith("年度总体目标") or t == "总体目标" for t in texts) or not any("预期目标" in t for t in texts):
                continue
            nxt = rows[i + 1] if i + 1 < len(rows) else []
            content = [c.text.strip() for c in nxt if c.text.strip()]
            if not content or (len(content) == 1 and re.fullmatch(r"[一二三]?级?指标|绩效指标|绩\s*效\s*指\s*标", content[0])) \
                    or any(re.search(r"一级指标|项目资金|年初预算|预算数", c) for c in content):
                yield Finding(message="自评表“年度总体目标”的预期目标和实际完成情况未填写",
                              evidence=[(row[0].start, row[-1].end)], expected="预期目标及实际完成情况", stated="空白")
                return
    # a flattened form: the words between 年度总体目标 and the indicator block
    text = ctx.text
    # the 实际完成情况 left as a dash or sent back to the target (同预期目标): no result given
    for s0, e0 in goal_blocks(text, report) or goal_blocks(text, report, TARGET_LABEL):
        blank = RESULT_PLACEHOLDER.search(text, s0, e0)
        if blank is not None:
            said = (blank.group("v") or blank.group("v2")).strip()
            yield Finding(message=f"自评表“年度总体目标”的实际完成情况只写“{said}”，没有填写实际完成的内容和数量",
                          evidence=[(blank.start(), blank.end())], expected="实际完成情况", stated=said)
            return
    for m in GOAL_LABEL.finditer(text, report.start, report.end):
        stop = GOAL_END.search(text, m.end(), min(report.end, m.end() + 400))
        if stop is None:
            continue  # the text stops inside the goal: nothing to judge
        body = text[m.end():stop.start()]
        twice = _repeated(re.sub(r"[\s|｜]+", "", body))
        # a project's name written twice (not a target copied as its result: that is D57)
        named = twice if twice and re.search(r"(?:项目|工程|经费|资金|专项)[,，。]?$", twice) else None
        rest = GOAL_WORDS.sub("", body)
        for name in filter(None, (report.project, report.title, named)):
            rest = rest.replace(GOAL_WORDS.sub("", name), "")
        rest = re.sub(r"[\s|｜,，。、:：;；()（）“”\"'\d.%％万元-]+", "", re.sub(r"\s+", "", rest))
        if len(rest) < 6:
            what = "只有金额" if re.search(r"\d", body) and not re.search(r"[\u4e00-\u9fff]{4}", GOAL_WORDS.sub("", body)) \
                else "只重复项目名称"
            yield Finding(message=f"自评表“年度总体目标”{what}，没有写出目标内容和完成情况",
                          evidence=[(m.start(), stop.start())], expected="预期目标及实际完成情况", stated=what)
            return
