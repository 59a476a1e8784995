"""Published excerpts stop mid-sentence or mid-row. A text cut anywhere gives no finding that the
whole text does not give: the cut is seen, figures the cut runs through are not read, and what
may lie past the cut is not reported missing."""

from __future__ import annotations

from reviewer.checks import run_rules
from reviewer.models import SourceDocument
from reviewer.parse import parse_source
from reviewer.profile import Profile
from reviewer.structure.truncation import truncation_point

NARRATIVE = ("甲县园林局2023年度公园绿化养护项目绩效自评报告\n一、项目基本情况\n项目对全县公园绿地进行日常养护。\n"
             "二、项目资金情况\n全年预算数300.00万元，全年实际支出286.50万元，预算执行率95.50%。\n"
             "三、绩效目标完成情况分析\n全年养护公园绿地86.4万平方米，补植苗木11600株，较目标少400株，养护作业外包单价约4.1元/平方米，低于4.5元的控制价。\n"
             "四、自评结论\n本项目自评得分98.7分，等级为优。\n五、存在的问题\n北坡400株乔木补植推迟。\n六、改进措施\n2024年3月底前补植。\n")
FORM = ("甲县水务局2023年度饮水工程维修项目绩效自评表\n正文：全年实际支出286.50万元。\n"
        "项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
        "年度资金总额 300.00 300.00 286.50 10 95.50% 9.55\n")


def _codes(text: str) -> set[str]:
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    return {f.rule for rep in parsed.reports for f in run_rules(parsed, rep, Profile(), errors=[])}


def test_a_sentence_cut_on_a_figure_is_cut():
    cut = NARRATIVE[:NARRATIVE.index("低于4.") + 4]  # "…低于4."
    assert truncation_point(cut, 0, len(cut)) is not None
    assert "D34" not in _codes(cut)  # 自评结论/存在问题/改进措施 may lie past the cut


def test_a_figure_the_cut_runs_through_is_not_read():
    cut = FORM[:FORM.rindex("286.50") + 3]  # "… 300.00 300.00 286"
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=cut))
    [rep] = parsed.reports
    assert rep.truncated_at is not None
    assert rep.funds.rows[0].executed is None
    assert not _codes(cut) & {"D19", "D53", "D02"}
    # the whole row is read as it stands
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=FORM)).reports
    assert rep.funds.rows[0].executed.value == 286.5


def test_an_admission_against_a_score_below_full_waits_for_the_form_past_the_cut():
    admits = NARRATIVE.replace("北坡400株乔木补植推迟。", "北坡400株乔木补植未完成。")
    cut = admits[:admits.index("2024年3月底前")]
    assert "D25" not in _codes(cut)  # 98.7: the form past the cut may deduct for it
    full_marks = cut.replace("98.7分", "100分")
    assert "D25" in _codes(full_marks)  # 100 deducted nothing, whatever the form says


def test_sums_over_a_block_the_text_stops_in_are_not_checked():
    funds = ("甲县教育局2023年度学前资助项目支出绩效自评表\n"
             "| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
             "| 年度资金总额 | 186.00 | 212.40 | 198.66 | 10 | 93.53% | 9.35 |\n"
             "| 其中：当年财政拨款 | 170.00 | 196.00 | 176.26 | — | — | — |\n"
             "| 上年结转资金 | 16.00 | 16.40 | 22.40 | — | — | — |\n")
    assert "D01" not in _codes(funds)
    cut = funds[:funds.rindex("| 16.00") + 3]  # "| 上年结转资金 | 16.00 ": the other sources lie past the cut
    assert "D01" not in _codes(cut)
    rows = ("甲县交通局2020年度公路安防项目绩效自评表\n"
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
            "产出指标（50分） 数量指标 新增防护栏 ≥6400米 6420米 15 15\n"
            "质量指标 交工验收合格率 100% 100% 10 10\n"
            "时效指标 工程完工时间 2020年10月31日前 2020年10月20日 10 10\n"
            "成本指标 每公里造价 ≤20万元 19.6万元 15 15\n"
            "效益指标（30分） 社会效益指标 事故起数下降率 ≥10% 12.5% 30 30\n")
    assert "D10" not in _codes(rows)
    cut = rows[:rows.index("成本指标 每公里造价") + 6]  # the 产出 group stops after three of its rows
    assert "D10" not in _codes(cut)


def test_a_heading_and_the_first_characters_of_its_text_are_cut():
    text = NARRATIVE[:NARRATIVE.index("三、绩效目标完成情况分析")] + "三、绩效目标完成情况分析\n全"
    assert truncation_point(text, 0, len(text)) is not None
    assert "D34" not in _codes(text)


def test_the_ways_a_published_page_stops():
    head = NARRATIVE[:NARRATIVE.index("四、自评结论")]
    for tail in ("四、自评结论\n本项目自评得分98.1", "四、自评结论\n（三）", "四、自评结论\n自评表如下:项目支出绩效自评表(2023"):
        text = head + tail
        assert truncation_point(text, 0, len(text)) is not None, tail
    # a form's last row, a total row and a finished sentence end a text cleanly
    for tail in ("四、自评结论\n本项目自评得分98.1分。", "总分 100 98.1", "满意度指标 服务对象满意度 群众满意度 ≥90% 95% 10 10"):
        text = head + tail
        assert truncation_point(text, 0, len(text)) is None, tail
