"""The 自评表 rebuilt from flattened text: every layout of one form gives the same rows."""

from __future__ import annotations

import pytest

from reviewer.models import SourceDocument
from reviewer.parse import parse_source
from reviewer.structure.text_forms import tokenize
from reviewer.structure.truncation import truncation_point

TITLE = "青禾县农业农村局2023年度高标准农田建设项目支出绩效自评表"
FUNDS_HEADER = ["年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"]
FUNDS = [("年度资金总额:", ["120", "120", "108", "10", "90%", "9"]),
         ("其中:本年财政拨款", ["100", "100", "90", "-", "90%", "-"]),
         ("上年结转资金", ["20", "20", "18", "-", "90%", "-"])]
IND_HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
# (一级, 二级, 三级, 指标值, 完成值, 分值, 得分, 原因); "" = a merged cell left out
ROWS = [("产出指标", "数量指标", "新建高标准农田面积", "≥1000亩", "1020亩", "20", "20", ""),
        ("", "", "新修机耕路长度", "≥5公里", "4.5公里", "10", "9", "受雨季影响延期"),
        ("", "质量指标", "工程验收合格率", "100%", "100%", "10", "10", ""),
        ("", "时效指标", "完工时间", "2023年11月底前", "2023年11月", "5", "5", ""),
        ("", "成本指标", "亩均建设成本", "≤1200元", "1180元", "5", "5", ""),
        ("效益指标", "经济效益指标", "亩均增产粮食", "≥50公斤", "55公斤", "15", "15", ""),
        ("", "社会效益指标", "受益农户数", "≥300户", "310户", "15", "15", ""),
        ("满意度指标", "服务对象满意度指标", "受益农户满意度", "≥90%", "93%", "10", "10", "")]
TOTAL = ("总分", "100", "99")
EXPECTED_ROWS = [(r[2], r[5], r[6]) for r in ROWS]


def pipe_layout() -> str:
    out = [TITLE, "项目资金(万元) | " + " | ".join(FUNDS_HEADER) + " |"]
    out += ["| " + label + " | " + " | ".join(v) + " |" for label, v in FUNDS]
    out.append("年度总体目标 | 新建高标准农田1000亩 |")
    out.append("绩效指标 | " + " | ".join(IND_HEADER) + " |")
    for r in ROWS:
        out.append(" | ".join(c for c in r[:7] if c) + " | " + r[7] + " |")
    out.append(f"{TOTAL[0]} | {TOTAL[1]} | {TOTAL[2]} |")
    return "\n".join(out) + "\n"


def cell_per_line_layout(blank: bool) -> str:
    sep = "\n\n" if blank else "\n"
    cells = [TITLE, "项目资金(万元)", *FUNDS_HEADER]
    for label, v in FUNDS:
        cells += [label, *v]
    cells += ["年度总体目标", "新建高标准农田1000亩", "绩效指标", *IND_HEADER]
    for r in ROWS:
        cells += [c for c in r if c]
    cells += list(TOTAL)
    return sep.join(cells) + "\n"


def space_rows_layout() -> str:
    out = [TITLE, "项目资金(万元) " + " ".join(FUNDS_HEADER)]
    out += [label + " " + " ".join(v) for label, v in FUNDS]
    out.append("年度总体目标 新建高标准农田1000亩")
    out.append(" ".join(["绩效指标", *IND_HEADER]))
    for r in ROWS:
        out.append(" ".join(c for c in r if c))
    out.append(" ".join(TOTAL))
    return "\n".join(out) + "\n"


def one_line_layout() -> str:
    return space_rows_layout().replace("\n", " ").strip() + "\n"


LAYOUTS = {
    "pipe": pipe_layout,
    "cell_per_line": lambda: cell_per_line_layout(False),
    "cell_per_line_blank": lambda: cell_per_line_layout(True),
    "space_rows": space_rows_layout,
}


def _parse(text: str):
    return parse_source(SourceDocument(path="form.txt", format="txt", text=text)).reports[0]


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_every_layout_gives_the_same_rows(layout):
    text = LAYOUTS[layout]()
    rep = _parse(text)
    got = [(r.level3.text, r.weight.text if r.weight else None, r.score.text if r.score else None) for r in rep.indicators]
    assert got == EXPECTED_ROWS, layout
    assert [r.level1 for r in rep.indicators] == ["产出指标"] * 5 + ["效益指标"] * 2 + ["满意度指标"]
    assert [r.level2 for r in rep.indicators][:3] == ["数量指标", "数量指标", "质量指标"]
    second = rep.indicators[1]
    assert (second.target.text, second.actual.text) == ("≥5公里", "4.5公里")
    assert second.reason is not None and second.reason.text == "受雨季影响延期"
    total = rep.funds.rows[0]
    assert (total.budget_full.value, total.executed.value, total.weight.value, total.rate.text, total.score.value) == \
        (120, 108, 10, "90%", 9)
    assert [r.name.text.rstrip(":") for r in rep.funds.rows] == ["年度资金总额", "其中:本年财政拨款", "上年结转资金"]
    assert [s.score.value for s in rep.subtotals if s.level == 0] == [99]
    # every cell points at its verbatim text
    for r in rep.indicators:
        for ref in (r.level3, r.target, r.actual, r.weight, r.score):
            assert text[ref.start:ref.end] == ref.text


def pipe_wrapped_layout() -> str:
    """Bar-framed rows (| a | b |) whose long cells wrap onto the next line, as a PDF or a
    narrow web page gives them: "| 新建高标准\n农田面积 | ≥1000亩 |"."""
    def wrap(c: str) -> str:
        return c[:5] + "\n" + c[5:] if len(c) > 6 else c

    out = [TITLE, "| 项目资金(万元) | " + " | ".join(FUNDS_HEADER) + " |"]
    out += ["| " + wrap(label) + " | " + " | ".join(v) + " |" for label, v in FUNDS]
    out.append("| " + " | ".join(wrap(c) for c in IND_HEADER) + " |")
    for r in ROWS:
        out.append("| " + " | ".join(wrap(c) for c in r) + " |")
    out.append(f"| {TOTAL[0]} | | | | | {TOTAL[1]} | {TOTAL[2]} | |")
    return "\n".join(out) + "\n"


def test_bar_framed_rows_with_wrapped_cells_read_as_one_row_each():
    text = pipe_wrapped_layout()
    rep = _parse(text)
    squash = lambda s: "".join(s.split())  # noqa: E731
    got = [(squash(r.level3.text), r.weight.text, r.score.text) for r in rep.indicators]
    assert got == EXPECTED_ROWS
    assert squash(rep.indicators[1].reason.text) == "受雨季影响延期"
    assert [squash(r.name.text) for r in rep.funds.rows] == ["年度资金总额:", "其中:本年财政拨款", "上年结转资金"]
    assert [r.executed.value for r in rep.funds.rows] == [108, 90, 18]
    for r in rep.indicators:
        for ref in (r.level3, r.target, r.actual, r.weight, r.score):
            assert text[ref.start:ref.end] == ref.text  # the wrapped cell keeps its line break, verbatim


def test_one_line_form_reads_funds_and_rows():
    rep = _parse(one_line_layout())
    assert rep.funds.rows[0].executed.value == 108
    assert [r.level3.text for r in rep.indicators] == [r[0] for r in EXPECTED_ROWS]


def test_a_row_with_the_rate_left_empty_is_placed_by_its_neighbours():
    text = TITLE + "\n项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额: 880 880 880 10 10\n"
    row = _parse(text).funds.rows[0]
    assert (row.budget_initial.value, row.budget_full.value, row.executed.value) == (880, 880, 880)
    assert row.weight.value == 10 and row.score.value == 10 and row.rate is None


def test_source_rows_with_three_figures_are_money_not_weight_and_score():
    text = (TITLE + "\n项目资金（万元）\n年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
            "年度资金总额 48.00 52.00 50.44 — 97.00% —\n其中：当年财政拨款 48.00 48.00 46.44\n上年结转资金 0.00 4.00 4.00\n")
    rows = _parse(text).funds.rows
    got = [(r.budget_initial.value, r.budget_full.value, r.executed.value, r.weight, r.score) for r in rows[1:]]
    assert got == [(48, 48, 46.44, None, None), (0, 4, 4, None, None)]


def test_a_single_budget_figure_is_read_by_coherence():
    text = (TITLE + "\n| 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n年度资金总额 |\n"
            "| 50 | 45 | 10 | 90.00% | 9 |\n")
    row = _parse(text).funds.rows[0]
    assert row.budget_initial is None
    assert (row.budget_full.value, row.executed.value, row.weight.value, row.score.value) == (50, 45, 10, 9)


def test_ambiguous_numbers_are_left_out_not_guessed():
    # two numbers for six columns and nothing to tell them apart
    text = TITLE + "\n项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额 30 30\n"
    row = _parse(text).funds.rows[0]
    assert all(getattr(row, f) is None for f in ("budget_initial", "budget_full", "executed", "weight", "rate", "score"))


def test_spaced_out_labels_and_broken_level_names_are_joined():
    src = "产 出 指 标 (50分)\n经济效益\n指标\n≥ 90 %\n"
    toks = [t.text for t in tokenize(src, 0, len(src))]
    assert toks[0].replace(" ", "") == "产出指标(50分)"
    assert "经济效益\n指标" in toks
    assert "≥ 90 %" in toks


def test_truncation_is_detected_mid_word_not_after_a_sentence_or_signature():
    assert truncation_point("一、项目概况\n本项目完成了年度任务。\n二、存在问题\n资金拨付进度", 0, 35) is not None
    done = "一、项目概况\n本项目完成了年度任务。"
    assert truncation_point(done, 0, len(done)) is None
    assert truncation_point("总分 | 100 | 99 |", 0, 15) is None
    signed = "填表人：王明  联系电话：0563-1234567  填报日期：2024年3月18日"
    assert truncation_point(signed, 0, len(signed)) is None
    for answered in ("存在问题暂无改进措施暂无", "改进措施：无", "存在问题 | 无 |"):
        assert truncation_point(answered, 0, len(answered)) is None, answered
    assert truncation_point("存在问题：部分乡镇无", 0, 10) is not None


def test_absence_rules_are_silent_on_a_cut_off_report():
    from reviewer.checks import run_rules
    from reviewer.profile import Profile

    full = pipe_layout()
    cut = full[: full.index("满意度指标")] + "满意度指"
    parsed = parse_source(SourceDocument(path="form.txt", format="txt", text=cut))
    rep = parsed.reports[0]
    assert rep.truncated_at is not None
    codes = {f.rule for f in run_rules(parsed, rep, Profile())}
    assert "D15" not in codes  # the 满意度 category may lie past the cut


def test_empty_problem_cells_of_a_flattened_form_are_empty_sections():
    from reviewer.checks import run_rules
    from reviewer.profile import Profile

    text = pipe_layout() + "评价结论 | 项目完成良好。 | ||||\n存在问题 |\n| |||||||||\n改进措施 |\n| |||||||||\n项目负责人: | 财务负责人: |\n"
    parsed = parse_source(SourceDocument(path="form.txt", format="txt", text=text))
    rep = parsed.reports[0]
    kinds = {s.kind: s for s in rep.sections}
    assert {"problems", "measures", "conclusion"} <= set(kinds)
    assert "项目负责人" not in kinds["measures"].body.text
    flags = [f for f in run_rules(parsed, rep, Profile()) if f.rule in ("D23", "J01")]
    assert sorted(f.evidence[0].quote for f in flags if f.rule == "D23") == ["存在问题", "改进措施"]
    filled = text.replace("存在问题 |\n| |||||||||", "存在问题 | 机耕路4.5公里未完成，因雨季停工 |")
    parsed = parse_source(SourceDocument(path="form.txt", format="txt", text=filled))
    codes = [f.evidence[0].quote for f in run_rules(parsed, parsed.reports[0], Profile()) if f.rule == "D23"]
    assert codes == ["改进措施"]


def test_figures_run_together_are_split_only_when_one_reading_holds():
    from reviewer.structure.text_forms import split_glued

    fields = ["budget_initial", "executed", "weight", "rate", "score"]
    run = "310.2154.741050%5"
    assert [run[a:b] for a, b in split_glued(run, fields)] == ["310.2", "154.74", "10", "50%", "5"]
    run = "10001000100%20"
    assert [run[a:b] for a, b in split_glued(run, ["budget_full", "executed", "rate", "score"])] == \
        ["1000", "1000", "100%", "20"]
    assert split_glued("12345", fields) is None  # no rate, nothing ties the figures together
    text = TITLE + "\n项目资金(万元)年初预算数(A)全年执行数(B)分值(10分)执行率(B/A)得分 年度资金总额:310.2154.741050%5\n"
    row = _parse(text).funds.rows[0]
    assert (row.budget_initial.text, row.executed.text, row.weight.text, row.rate.text, row.score.text) == \
        ("310.2", "154.74", "10", "50%", "5")


def test_D64_low_execution_without_a_word_on_why():
    from reviewer.checks import run_rules
    from reviewer.profile import Profile

    base = TITLE + "\n项目资金 年初预算数 全年执行数 分值 执行率 得分\n年度资金总额: 310.2 154.74 10 50% 5\n"
    parsed = parse_source(SourceDocument(path="f.txt", format="txt", text=base))
    assert [f.rule for f in run_rules(parsed, parsed.reports[0], Profile(select=["D64"]))] == ["D64"]
    told = base + "剩余155.46万元资金因合同分两年支付，2024年支付。\n"
    parsed = parse_source(SourceDocument(path="f.txt", format="txt", text=told))
    assert list(run_rules(parsed, parsed.reports[0], Profile(select=["D64"]))) == []


def test_a_form_header_without_readable_rows_is_reported_not_silently_skipped():
    text = TITLE + "\n项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n见附件扫描件。\n"
    rep = _parse(text)
    assert rep.form_unread and any("未能读出" in w for w in rep.warnings)
    assert not _parse(pipe_layout()).form_unread


def test_check_prints_where_a_cut_off_report_stops(tmp_path, capsys):
    from reviewer.cli import main

    p = tmp_path / "cut.txt"
    full = pipe_layout()
    p.write_text(full[:full.index("受益农户满意度") + 5], encoding="utf-8")
    main(["check", str(p), "--no-llm"])
    out = capsys.readouterr().out
    assert "中断" in out and "stops" in out


def test_an_excerpt_that_starts_below_the_header_is_read_as_a_partial_table():
    body = "\n".join(" | ".join(c for c in r[:7] if c) + " |" for r in ROWS[2:]) + "\n合计 | 100 | 99 |\n"
    parsed = parse_source(SourceDocument(path="cut.txt", format="txt", text=body))
    rep = parsed.reports[0]
    assert [r.level3.text for r in rep.indicators][:3] == ["工程验收合格率", "完工时间", "亩均建设成本"]
    assert rep.indicators[0].weight.value == 10 and rep.indicators[0].score.value == 10
    assert any(t.partial for t in parsed.tables)
    from reviewer.checks import run_rules
    from reviewer.profile import Profile
    codes = {f.rule for f in run_rules(parsed, rep, Profile())}
    assert not codes & {"D10", "D11", "D12"}  # no sums over a table whose top is missing


def test_D02_reads_a_rate_written_as_a_ratio():
    from reviewer.checks import run_rules
    from reviewer.profile import Profile

    def d02(rate: str) -> list:
        text = TITLE + f"\n项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n年度资金总额 29 29 27.8 9 {rate} 8\n"
        parsed = parse_source(SourceDocument(path="f.txt", format="txt", text=text))
        return [f for f in run_rules(parsed, parsed.reports[0], Profile(select=["D02"]))]

    assert d02("0.959") == []  # 27.8 ÷ 29 = 0.9586
    [f] = d02("0.958")  # cut, not rounded
    assert f.stated == "0.958"
    assert d02("95.86%") == []


def test_indicator_rows_run_together_are_cut_at_level_names_and_unambiguous_figures():
    from reviewer.structure.text_forms import split_glued_values

    fields = ["weight", "target", "actual", "score"]
    assert [r[a:b] for r in ["2010010020"] for a, b in split_glued_values(r, fields)] == ["20", "100", "100", "20"]
    assert [r[a:b] for r in ["101001009.34"] for a, b in split_glued_values(r, fields)] == ["10", "100", "100", "9.34"]
    assert split_glued_values("12345678", ["score"]) is None  # a score above 100: no reading holds
    text = (TITLE + "\n一级指标二级指标三级指标年初目标值(A)实际完成值(B)得分产出指标数量指标补贴渔船数6620质量指标渔船补贴发放率100%100%10"
            "时效指标按时发放率100%100%10\n")
    rep = _parse(text)
    got = [(r.level2, r.level3.text, r.target and r.target.text, r.actual and r.actual.text, r.score and r.score.text)
           for r in rep.indicators]
    assert got == [("数量指标", "补贴渔船数", "6", "6", "20"), ("质量指标", "渔船补贴发放率", "100%", "100%", "10"),
                   ("时效指标", "按时发放率", "100%", "100%", "10")]


def test_D50_a_goal_that_only_restates_the_project_or_gives_amounts():
    from reviewer.checks import run_rules
    from reviewer.profile import Profile

    def d50(goal: str) -> list:
        text = TITLE + f"\n年度总体目标 {goal}\n绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
        parsed = parse_source(SourceDocument(path="f.txt", format="txt", text=text))
        return [f.message for f in run_rules(parsed, parsed.reports[0], Profile(select=["D50"]))]

    [m] = d50("2022年青禾县高标准农田建设项目，通过实施2022年青禾县高标准农田建设项目，")
    assert "只重复项目名称" in m
    [m] = d50("预期目标 实际完成情况 43.2 37.24")
    assert "只有金额" in m
    assert d50("预期目标 新建高标准农田1000亩 实际完成情况 新建高标准农田1020亩，亩均增产55公斤") == []


def test_funds_rows_are_never_indicators_under_a_headerless_indicator_block():
    from reviewer.models import SourceDocument
    from reviewer.parse import parse_source

    text = ("附：项目支出绩效自评表（2021年度）\n项目名称 | 国家免疫规划 | 主管部门 | 县卫健委\n"
            "项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分\n"
            "年度资金总额 | 64.00 | 64.00 | 60.80 | 10 | 95.00% | 9.50\n其中：当年财政拨款 | 64.00 | 64.00 | 60.80 | — | — | —\n"
            "产出指标 | 数量指标 | 疫苗接种率 | ≥95% | 96.8% | 15 | 15\n质量指标 | 冷链温度监测覆盖率 | 100% | 100% | 10 | 10\n"
            "总分 | 100 | 99.5\n")
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    names = [r.level3.text for r in rep.indicators]
    assert not any("资金" in n or "拨款" in n for n in names), names
    assert rep.funds is not None and rep.funds.rows[0].executed.value == 60.8


# A whole form copied out of a PDF onto one line with no separators at all: amounts written
# with their decimals, each indicator's figures glued to its name and to the next name.
GLUED_TITLE = "临河县水利局2023年度农村供水保障工程项目支出绩效自评表"
GLUED_ROWS = ("产出指标数量指标新建集中供水工程≥12处12处2020改造入户管网≥30公里27公里1513.5质量指标水质检测达标率≥95%96.5%1010"
              "时效指标工程完工及时率100%100%55成本指标单处工程建设成本≤18万元17.6万元1010效益指标社会效益指标受益人口≥8000人8350人2020"
              "满意度指标服务对象满意度指标受益群众满意度≥90%93%109.3")


def glued_form(funds: str = "256.00256.00230.401090.00%9.00", rows: str = GLUED_ROWS, total: str = "总分10096.8") -> str:
    return (GLUED_TITLE + "项目名称农村供水保障工程主管部门临河县水利局项目资金(万元)年初预算数全年预算数(A)全年执行数(B)分值"
            f"执行率(B/A)得分年度资金总额{funds}其中:本年财政拨款256.00256.00230.40上年结转资金其他资金年度总体目标"
            "新建集中供水工程12处。一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"
            + rows + total + "存在问题无\n")


def _rows(rep):
    t = lambda c: c.text if c is not None else None
    return [(r.level2, r.level3.text, t(r.target), t(r.actual), t(r.weight), t(r.score)) for r in rep.indicators]


def test_a_form_glued_without_separators_reads_funds_rows_and_total():
    text = glued_form()
    rep = _parse(text)
    total, source = rep.funds.rows[0], rep.funds.rows[1]
    assert [total.budget_initial.text, total.budget_full.text, total.executed.text, total.weight.text, total.rate.text,
            total.score.text] == ["256.00", "256.00", "230.40", "10", "90.00%", "9.00"]
    assert (source.budget_full.text, source.executed.text, source.rate) == ("256.00", "230.40", None)
    assert _rows(rep) == [
        ("数量指标", "新建集中供水工程", "≥12处", "12处", "20", "20"),
        ("数量指标", "改造入户管网", "≥30公里", "27公里", "15", "13.5"),
        ("质量指标", "水质检测达标率", "≥95%", "96.5%", "10", "10"),
        ("时效指标", "工程完工及时率", "100%", "100%", "5", "5"),
        ("成本指标", "单处工程建设成本", "≤18万元", "17.6万元", "10", "10"),
        ("社会效益指标", "受益人口", "≥8000人", "8350人", "20", "20"),
        ("服务对象满意度指标", "受益群众满意度", "≥90%", "93%", "10", "9.3")]
    assert [(s.weight.text, s.score.text) for s in rep.subtotals if s.level == 0] == [("100", "96.8")]
    assert rep.truncated_at is None  # 存在问题无 answers the last question
    for r in rep.indicators:
        for ref in (r.level3, r.target, r.actual, r.weight, r.score):
            assert text[ref.start:ref.end] == ref.text


def test_a_glued_funds_row_with_one_wrong_figure_is_still_read_and_checked():
    # 执行率 written 92.00% where 230.40 ÷ 256.00 = 90%: 得分 = 10 × 92% = 9.20 holds, so the
    # reading stands and the wrong rate is a finding
    from reviewer.checks import run_rules
    from reviewer.profile import Profile

    parsed = parse_source(SourceDocument(path="f.txt", format="txt", text=glued_form("256.00256.00230.401092.00%9.20")))
    row = parsed.reports[0].funds.rows[0]
    assert (row.executed.text, row.weight.text, row.rate.text, row.score.text) == ("230.40", "10", "92.00%", "9.20")
    assert "D02" in {f.rule for f in run_rules(parsed, parsed.reports[0], Profile(select=["D02"]))}


def test_glued_figures_that_the_arithmetic_does_not_support_are_not_read():
    # 120 ÷ 150 is 80%, not 85%, and 10 × 85% is 8.5, not 9: no check holds, so no reading
    rep = _parse(glued_form("150.00150.00120.001085.00%9.00"))
    assert all(getattr(row, f) is None for row in rep.funds.rows
               for f in ("budget_initial", "budget_full", "executed", "weight", "rate", "score"))
    # 分值 and 得分 run into a next name that starts with a digit: 2020 + 2号… or 20 + 202号…
    rows = GLUED_ROWS.replace("改造入户管网", "2号泵站改造")
    got = {r[1]: r for r in _rows(_parse(glued_form(rows=rows)))}
    assert got["新建集中供水工程"][2:] == ("≥12处", "12处", None, None)
    assert got["20202号泵站改造"][2:] == ("≥30公里", "27公里", "15", "13.5")


def test_weight_and_score_written_together_split_one_way_only():
    from reviewer.structure.text_forms import split_glued_decimals, split_weight_score

    def cut(run, **kw):
        got = split_weight_score(run, **kw)
        return got and [run[a:b] for a, b in got]

    assert cut("1515") == ["15", "15"] and cut("55") == ["5", "5"] and cut("109.34") == ["10", "9.34"]
    assert cut("100") == ["10", "0"] and cut("10098.5", max_weight=100, min_weight=50) == ["100", "98.5"]
    assert cut("95", max_weight=100, min_weight=50) is None  # a total of 95 is not a weight of 9
    assert cut("1005") is None and cut("45") is None and cut("7") is None  # no weight ≥ its score
    fields = ["budget_initial", "budget_full", "executed", "weight", "rate", "score"]
    run = "87.587.578.81090%9"
    pieces, cols = split_glued_decimals(run, fields)
    assert [run[a:b] for a, b in pieces] == ["87.5", "87.5", "78.8", "10", "90%", "9"]
    assert split_glued_decimals("87.587.578.8590%9", fields) is None  # a score of 9 out of 5
    run = "1280.001280.001190.402093.00%18.60"
    pieces, cols = split_glued_decimals(run, fields)
    assert [run[a:b] for a, b in pieces] == ["1280.00", "1280.00", "1190.40", "20", "93.00%", "18.60"]
    assert cols == fields
    assert split_glued_decimals("150.00150.00120.001085.00%9.00", fields) is None


def test_a_one_line_form_without_an_indicator_header_reads_its_rows():
    text = (TITLE + " 项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 120 120 108 10 90% 9 "
            + " ".join(" ".join(c for c in r if c) for r in ROWS) + " 总分 100 99 存在问题: 无\n")
    rep = _parse(text)
    got = [(r.level3.text, r.weight.text if r.weight else None, r.score.text if r.score else None) for r in rep.indicators]
    assert got == EXPECTED_ROWS
    assert rep.indicators[1].reason is not None and rep.indicators[1].reason.text == "受雨季影响延期"


def test_a_glued_target_and_result_written_the_same_are_cut_from_the_name():
    rows = GLUED_ROWS.replace("时效指标工程完工及时率100%100%55", "时效指标工程完工时间2023年11月底前2023年11月底前55") \
        .replace("社会效益指标受益人口≥8000人8350人2020", "社会效益指标供水保障机制长期长期2020")
    text = glued_form(rows=rows)
    got = {r[1]: r[2:] for r in _rows(_parse(text))}
    assert got["工程完工时间"] == ("2023年11月底前", "2023年11月底前", "5", "5")
    assert got["供水保障机制"] == ("长期", "长期", "20", "20")
    # a name that merely ends in a doubled character is not cut: 新建集中供水工程 stays whole
    assert "新建集中供水工程" in got


def test_the_101_template_with_cost_as_a_first_level_indicator():
    """财预〔2021〕101号: 成本指标 is a 一级指标 of its own, with 经济成本指标 under it."""
    import sys

    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    from rulekit import run

    text = (TITLE + "\n| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
            "| 产出指标(40分) | 数量指标 | 受益学生人数 | ≥11,200人 | 11,270人 | 20 | 20 |\n"
            "| 质量指标 | 食品安全事故发生数 | =0起 | 0起 | 20 | 20 |\n"
            "| 成本指标(10分) | 经济成本指标 | 生均每天膳食补助标准 | ≤5元 | 5元 | 10 | 10 |\n"
            "| 效益指标(30分) | 社会效益 | 学生贫血检出率 | ≤8% | 7.4% | 30 | 30 |\n"
            "| 满意度指标(10分) | 服务对象满意度 | 家长满意度 | ≥90% | 94.6% | 10 | 10 |\n"
            "| 总分 | | | | | 90 | 90 |\n")
    rep = _parse(text)
    assert [r.level3.text for r in rep.indicators][2] == "生均每天膳食补助标准"
    assert [s.name for s in rep.subtotals if s.level == 1] == ["产出指标", "成本指标", "效益指标", "满意度指标"]
    assert run(text, "D10") == [] and run(text, "D11") == []


def test_a_text_that_stops_inside_the_last_rows_weight_is_cut_there():
    from reviewer.checks import run_rules
    from reviewer.profile import Profile

    form = ("甲县林草局2023年草原修复项目绩效自评报告\n经自评,项目得分96.4分,等级为优。自评表如下:\n"
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n"
            "产出指标(50分) 数量指标 补播改良面积 ≥5万亩 5.2万亩 40 40\n"
            "质量指标 补播出苗率 ≥80% 83% 10 10\n"
            "效益指标(30分) 生态效益指标 植被盖度提高 ≥10个百分点 11个百分点 30 30\n"
            "满意度指标(10分) 服务对象满意度指标 受益牧民满意度 ≥90% 92% 1")
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=form))
    [rep] = parsed.reports
    last = rep.indicators[-1]
    assert last.level3.text == "受益牧民满意度" and last.weight is None and last.score is None
    assert rep.truncated_at is not None and rep.truncated_at <= last.row.start
    # neither the cut weight (1 of 10) nor the missing score is a finding
    codes = {f.rule for f in run_rules(parsed, rep, Profile())}
    assert not codes & {"D10", "D12", "D65"}
    # a complete form whose last row has no score is still read as it stands
    whole = form + "0\n总分 100 90\n"
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=whole)).reports
    assert rep.indicators[-1].weight.value == 10


def test_a_regular_bar_grid_reads_like_its_tab_separated_original():
    tab = ("甲县市场监管局2023年度食品安全抽检项目绩效自评表\n"
           "指标\t指标值\t完成值\t分值\t得分\n抽检批次\t≥900批次\t936批次\t20\t20\n"
           "抽检覆盖食品大类\t34类\t32类\t10\t12\n资金执行率\t100%\t91.3%\t10\t10\n合计\t\t\t\t98\n")
    bars = "\n".join(("| " + " | ".join(line.split("\t")) + " |") if "\t" in line else line for line in tab.split("\n"))

    def rows(text):
        [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
        return [(r.level3.text, r.target.text, r.actual.text, r.weight.value, r.score.value) for r in rep.indicators]

    assert rows(tab) and rows(bars) == rows(tab)


def test_a_plain_indicator_header_in_a_flattened_form():
    # 指标 | 指标值 | 完成值 | 分值 | 得分, without 一级/二级/三级, flattened onto space-separated lines
    text = ("甲县市场监管局2023年度食品安全抽检项目绩效自评表\n指标 指标值 完成值 分值 得分\n"
            "抽检批次 ≥900批次 936批次 20 20\n抽检覆盖食品大类 34类 32类 10 12\n资金执行率 100% 91.3% 10 10\n合计 98\n")
    want = [("抽检批次", "936批次", 20), ("抽检覆盖食品大类", "32类", 12), ("资金执行率", "91.3%", 10)]
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    assert [(r.level3.text, r.actual.text, r.score.value) for r in rep.indicators] == want
    # one cell per line
    cells = "\n".join(text.split("\n", 1)[1].replace(" ", "\n").split("\n"))
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text.split("\n", 1)[0] + "\n" + cells)).reports
    assert [(r.level3.text, r.actual.text, r.score.value) for r in rep.indicators] == want


def test_flattened_funds_rows_named_by_level_and_ending_in_dashes():
    text = ("甲县残联2023年度两项补贴项目支出绩效自评表\n"
            "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
            "年度资金总额 1000 1000 985.68 10 98.57% 9.86\n"
            "其中：中央和省级补助 620 620 620 — 100% —\n"
            "县级配套 380 380 365.68 — 96.23% —\n"
            "上年结转资金 — 13.00 11.00 — —\n"
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
            "产出指标 数量指标 补贴发放人数 ≥4300人 4215人 10 9.8\n")
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    got = [(r.name.text, r.budget_full and r.budget_full.value, r.executed and r.executed.value,
            r.weight and r.weight.value) for r in rep.funds.rows]
    assert got == [("年度资金总额", 1000, 985.68, 10), ("其中：中央和省级补助", 620, 620, None),
                   ("县级配套", 380, 365.68, None), ("上年结转资金", 13.0, 11.0, None)]


def test_flattened_funds_header_with_weight_and_self_score_words():
    # 预算数 执行数 执行率 权重 自评分: the weight and score columns under other names
    text = ("甲县教育局2023年度营养改善计划绩效自评表\n项目资金 预算数 执行数 执行率 权重 自评分\n"
            "资金总额 846.00 839.24 99.20% 10 9.92\n其中：省级补助 507.60 507.60 100% — —\n"
            "县级财政 338.40 331.64 98.00% — —\n"
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n产出指标 数量指标 受益学生人数 ≥8460人 8460人 90 90\n")
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    total = rep.funds.rows[0]
    assert (total.weight.value, total.score.value, total.rate.text) == (10, 9.92, "99.20%")
    assert [r.name.text for r in rep.funds.rows] == ["资金总额", "其中：省级补助", "县级财政"]



def test_a_row_whose_result_is_in_words_ends_at_its_weight_and_score():
    # one cell per line: "有所提升 10 10" then the next row's name
    rows = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
            "效益指标", "社会效益指标", "居民健康素养水平", "≥25%", "有所提升", "10", "10",
            "传染病报告及时率", "≥95%", "100%", "10", "10",
            "可持续影响指标", "居民健康档案动态使用率", "≥60%", "58.2%", "10", "9.7"]
    text = TITLE + "\n" + "\n".join(rows) + "\n总分\n100\n99.7\n"
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    assert [(r.level3.text, r.actual.text, r.score.value) for r in rep.indicators] == [
        ("居民健康素养水平", "有所提升", 10), ("传染病报告及时率", "100%", 10), ("居民健康档案动态使用率", "58.2%", 9.7)]


def test_the_forms_note_after_its_total_is_not_cells_run_together():
    line = ("一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 产出指标(50分) 数量指标 参赛选手人数 ≥5000人 6200人 50 50 "
            "效益指标(30分) 社会效益指标 直播观看人次 ≥50万人次 56万人次 30 30 满意度指标(10分) 服务对象满意度指标 参赛选手满意度 ≥90% 98% 10 10 "
            "总分 100 100 注:1.一级指标分值统一设置为:产出指标50分、效益指标30分、满意度指标10分、预算资金执行率10分。")
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=TITLE + "\n" + line + "\n"))
    assert [r.level3.text for r in parsed.reports[0].indicators] == ["参赛选手人数", "直播观看人次", "参赛选手满意度"]
    assert not any(t.partial for t in parsed.tables)  # sums over it are checked


def test_a_flattened_form_ends_where_its_explanation_starts():
    text = (TITLE + "\n一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
            "产出指标 数量指标 培训期数 ≥20期 16期 50 40\n总分 100 90\n"
            "自评情况说明：本项目全年预算95.00万元，实际支出87.40万元，执行率92.00%。\n存在问题：无。\n")
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    [rep] = parsed.reports
    assert any(a.text.startswith("87.40") for a in rep.amounts)  # the explanation is prose, not the form
    assert all(t.end < text.index("自评情况说明") for t in parsed.tables)


RUN_ON_FORM = ("甲区2023年度长者食堂运营补贴项目支出绩效自评表\n一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 "
               "偏差原因分析及改进措施产出指标 数量指标 长者食堂运营点位 ≥24个 24个 20 20日均供餐人次 ≥3,000人次 3,150人次 20 20"
               "时效指标 新建点位投入运营时间 ≤2023年9月30日 2023年11月15日 20 20成本指标 每客餐补贴标准 ≤4元/客 3.6元/客 20 20"
               "质量指标 食品安全抽检合格率 =100% 98% 10 9.8 3 批次复检中\n")


def test_a_score_run_into_the_next_rows_name_is_cut_where_the_figures_say():
    """Line breaks lost between rows: ``20 20日均供餐人次`` is a score and the next row's name,
    while ``10 9.8 3 批次复检中`` keeps its reason (the cell before 9.8 is no result with a unit)."""
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=RUN_ON_FORM)).reports
    rows = {r.level3.text.strip(): (r.weight.text if r.weight else None, r.score.text if r.score else None)
            for r in rep.indicators}
    assert rows["日均供餐人次"] == ("20", "20") and rows["新建点位投入运营时间"] == ("20", "20")
    assert rows["每客餐补贴标准"] == ("20", "20") and rows["长者食堂运营点位"] == ("20", "20")
    assert [t.text for t in tokenize("10 9.8 3座厂进水浓度偏低", 0, 16)][-1].startswith("3")


def test_a_cell_at_the_start_that_looks_like_a_score_and_a_name_is_left_whole():
    assert [t.text for t in tokenize("10日均供餐人次 ≥3人", 0, 13)] == ["10日均供餐人次", "≥3人"]
    assert [t.text for t in tokenize("5 10日均供餐人次 ≥3人", 0, 15)] == ["5", "10日均供餐人次", "≥3人"]


def test_a_glued_time_row_and_a_result_that_repeats_the_range_are_cut():
    text = ("甲县2022年度地质灾害防治项目支出绩效自评表\n"
            "一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施"
            "产出指标数量指标搬迁避让户数≥1,200户1,236户2020时效指标治理工程完工时间2022年10月31日前2023年3月底1010"
            "满意度指标服务对象满意度指标受威胁群众满意度≥90%≥90%1010总分100")
    rep = _parse(text)
    assert _rows(rep)[:3] == [
        ("数量指标", "搬迁避让户数", "≥1,200户", "1,236户", "20", "20"),
        ("时效指标", "治理工程完工时间", "2022年10月31日前", "2023年3月底", "10", "10"),
        ("服务对象满意度指标", "受威胁群众满意度", "≥90%", "≥90%", "10", "10")]
    for r in rep.indicators:
        for ref in (r.level3, r.target, r.actual, r.weight, r.score):
            assert text[ref.start:ref.end] == ref.text


def test_a_score_cut_to_its_first_digit_is_no_score():
    form = ("甲县林草局2023年草原修复项目绩效自评报告\n"
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n"
            "产出指标 数量指标 补播改良面积 ≥5万亩 5.2万亩 40 40\n"
            "质量指标 补播出苗率 ≥80% 83% 10 10\n"
            "时效指标 补播完成时间 2023年6月底前 2023年6月底前 15 1")
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=form)).reports
    assert rep.indicators[-1].score is None and rep.truncated_at is not None
    # a score of 1 that the text goes on after is a score
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=form + " 疫情停工\n总分 65 51")).reports
    assert rep.indicators[-1].score.value == 1


def test_a_form_whose_rows_run_into_each_other_with_spaces_between_figures():
    text = ("甲区文化委员会2018年度文化站免费开放补助资金绩效自评表\n"
            "一级指标二级指标三级指标年度指标值实际完成值分值得分偏差原因分析及改进措施产出指标数量指标"
            "免费开放文化站数量=20个 20个 10 10每站年开放天数≥300天 306天 10 10公益性讲座培训场次≥ 场/站 6场/站 10 10"
            "质量指标免费开放服务规范达标率≥95% 100% 10 10")
    rep = _parse(text)
    assert [(r.level3.text, r.target.text, r.actual.text, r.score.text) for r in rep.indicators] == [
        ("免费开放文化站数量", "=20个", "20个", "10"), ("每站年开放天数", "≥300天", "306天", "10"),
        ("公益性讲座培训场次", "≥ 场/站", "6场/站", "10"), ("免费开放服务规范达标率", "≥95%", "100%", "10")]
    assert [r.level2 for r in rep.indicators][-1] == "质量指标"


def test_a_vertical_label_line_is_not_the_unit_of_the_figure_above_it():
    text = ("甲县2023年度高标准农田建设项目支出绩效自评表\n"
            "项                    年初预算数    全年预算数    全年执行数    分值    执行率    得分\n"
            "目\n资    年度资金总额    6,000.00     6,000.00      5,436.00      10      90.60%    9.06\n"
            "金    其中:中央资金   4,200.00     4,200.00      3,990.00\n"
            "          县级资金    1,800.00       1,800.00        1,446.00\n年\n"
            "      预期目标:新建高标准农田2万亩,其中高效节水灌溉0.5万亩。\n")
    rep = _parse(text)
    assert [(r.name.text.strip(), r.executed.text) for r in rep.funds.rows] == [
        ("年度资金总额", "5,436.00"), ("其中:中央资金", "3,990.00"), ("县级资金", "1,446.00")]


def test_a_text_that_stops_inside_the_last_rows_result_leaves_its_cells_unread():
    from rulekit import run_all

    form = ("甲县2023年度高标准农田建设项目支出绩效自评表\n"
            "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
            "产出指标\t数量指标\t灌排渠道长度\t≥38公里\t38.6公里\t10\t10\t\n"
            "\t\t机耕道路长度\t≥40公里\t46公里\t10\t10\t\n"
            "\t\t新建高标准农田面积\t≥20000亩\t2000")
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=form)).reports
    last = rep.indicators[-1]
    assert last.level3.text == "新建高标准农田面积" and last.actual is None and last.target is None
    assert not [f for f in run_all(form) if f.rule in ("D14A", "D24", "D55")]


def test_a_glued_source_row_is_read_against_the_total_row_above_it():
    text = ("甲县2020年度公共租赁住房运营管理经费项目支出绩效自评表\n"
            "项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分年度资金总额236.00236.00176.402074.75%14.95"
            "其中:当年财政拨款236.00236.00176.40上年结转资金//其他资金//年度总体目标预期目标做好运营管理工作。")
    rep = _parse(text)
    total, source = rep.funds.rows[0], rep.funds.rows[1]
    assert (total.executed.text, total.weight.text, total.rate.text) == ("176.40", "20", "74.75%")
    assert (source.budget_full.text, source.executed.text, source.rate) == ("236.00", "176.40", None)


def test_funds_rows_run_together_with_dashes_and_named_sources():
    text = ("甲县2022年度远程会诊项目支出绩效自评表\n"
            "项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分"
            "年度资金总额64.0064.0062.721098.00%9.80其中：当年财政拨款40.0040.0038.72———上年结转资金0.000.000.00———"
            "其他资金（援藏资金）24.0024.0024.00———年度总体目标预期目标保障12个乡镇卫生院远程会诊系统运行。")
    rep = _parse(text)
    assert [(r.name.text, r.executed.text) for r in rep.funds.rows] == [
        ("年度资金总额", "62.72"), ("其中：当年财政拨款", "38.72"), ("上年结转资金", "0.00"), ("其他资金（援藏资金）", "24.00")]
    spaced = ("甲县2022年度图书馆免费开放项目支出绩效自评表\n项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分 "
              "年度资金总额 60.00 64.00 57.60 10 90.00% 9.00其中：当年财政拨款 60.00 60.00 53.60 — — —上年结转资金 0.00 4.00 4.00 — — —"
              "年度总体目标 预期目标：保障图书馆全年免费开放。")
    rep = _parse(spaced)
    assert [(r.name.text, r.executed.text) for r in rep.funds.rows] == [
        ("年度资金总额", "57.60"), ("其中：当年财政拨款", "53.60"), ("上年结转资金", "4.00")]


def test_d01_is_silent_when_a_source_rows_figures_could_not_be_read():
    from rulekit import run

    text = ("甲县2021年度农村饮水维修养护项目支出绩效自评表\n"
            "项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分年度资金总额320338.5331.731098.0%9.8"
            "其中:当年财政拨款320320313.23———上年结转资金018.518.5———年度总体目标预期目标完成56处工程维修。")
    assert run(text, "D01") == []


def test_a_pipe_form_with_operator_value_and_unit_in_columns_of_their_own():
    text = ("甲县2021年度优待抚恤资金项目支出绩效自评表\n"
            "| 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |\n"
            "| 产出指标 | 数量指标 | 抚恤补助发放人数 | ≥ | 1260 | 人 | 1274 | 15 | 15 | |\n"
            "| 时效指标 | 抚恤金发放完成时间 | ≤ | 2021年12月31日 | | 2021年12月28日 | 10 | 10 | |\n"
            "| 成本指标 | 义务兵家庭优待金标准 | = | 1.5 | 万元/户·年 | 1.5 | 5 | 5 | |\n"
            "| 合计 | | | | | | | 30 | 30 | |\n")
    rep = _parse(text)
    assert [(r.level3.text, r.actual.text, r.weight.text, r.score.text) for r in rep.indicators] == [
        ("抚恤补助发放人数", "1274", "15", "15"), ("抚恤金发放完成时间", "2021年12月28日", "10", "10"),
        ("义务兵家庭优待金标准", "1.5", "5", "5")]


def test_a_source_named_for_an_autonomous_region_is_a_funds_row():
    text = ("甲县2023年度光伏电站运维管护资金绩效自评表\n资金投入情况(万元) 全年预算数(A) 全年执行数(B) 预算执行率(B/A) "
            "年度资金总额 156.00 142.80 91.54% 其中:中央财政资金 0 0 - 自治区财政资金 120.00 110.40 92.00% "
            "县级财政资金 36.00 32.40 90.00% 年度总体目标 预期目标 保障24座电站正常运行。")
    rep = _parse(text)
    assert [r.name.text for r in rep.funds.rows] == ["年度资金总额", "其中:中央财政资金", "自治区财政资金", "县级财政资金"]


def test_a_glued_source_row_holding_a_rate_is_not_read_as_money():
    text = ("甲县2022年度项目支出绩效自评表\n项目资金(万元)年初预算数全年预算数全年执行数分值执行率得分"
            "年度资金总额100010001000100%10其中:当年财政拨款10001000100%10\n")
    rep = _parse(text)  # it must not fail on 100% among the money columns
    assert rep.funds.rows[0].executed.text == "1000"
