"""D85: a 年度目标 that only restates the project's name."""

from __future__ import annotations

try:
    from rulekit import HEADER, narrative, run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import HEADER, narrative, run

NARRATIVE = ("甲县教育局2021年义务教育薄弱环节改善与能力提升项目支出绩效自评报告\n"
             "一、基本情况\n（一）项目概况。项目改造全县3所学校教学楼。\n（二）绩效目标。{goal}\n"
             "二、项目资金情况\n项目预算860万元，实际支出817万元，预算执行率95%。\n")
FORM = ("甲县教育局2021年度乡村教师生活补助项目支出绩效自评表\n项目名称 乡村教师生活补助 主管部门 甲县教育局 "
        "年度总体目标 预期目标 实际完成情况 {goal} 全年为1662名乡村教师发放生活补助。 "
        "绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 "
        "产出指标 数量指标 享受补助乡村教师人数 ≥1650人 1662人 50 50 总分 100 100\n")


def test_d85_a_goal_sentence_that_is_the_project_name_again():
    [f] = run(NARRATIVE.format(goal="年度绩效目标为：完成义务教育薄弱环节改善与能力提升项目建设任务。"), "D85")
    assert f.kind == "boilerplate" and f.evidence[0].quote == "完成义务教育薄弱环节改善与能力提升项目建设任务"
    good = "年度绩效目标为：改造3所学校教学楼6,200平方米，2021年8月底前交付使用。"
    assert run(NARRATIVE.format(goal=good), "D85") == []
    own_words = "年度绩效目标为：消除城区学校大班额，让农村学校学生就近入学。"
    assert run(NARRATIVE.format(goal=own_words), "D85") == []


def test_d85_the_forms_expected_goal_cell():
    [f] = run(FORM.format(goal="做好乡村教师生活补助发放工作,提高乡村教师待遇。"), "D85")
    assert f.evidence[0].quote.startswith("做好乡村教师生活补助发放工作")
    assert run(FORM.format(goal="为不少于1650名乡村教师按月发放生活补助。"), "D85") == []


def test_d85_a_goals_section_whose_text_is_the_name_again():
    text = NARRATIVE.format(goal="").replace("（二）绩效目标。\n", "（二）年度绩效目标。完成义务教育薄弱环节改善与能力提升项目建设。\n")
    [f] = run(text, "D85")
    assert "义务教育薄弱环节改善与能力提升" in f.evidence[0].quote


def test_d88_effects_claimed_in_stock_words_alone():
    stock = NARRATIVE.format(goal="年度绩效目标为：改造3所学校教学楼。") + \
        "三、绩效目标完成情况\n通过项目实施，办学条件明显改善，社会效益显著，达到预期效果。\n"
    [f] = run(stock, "D88")
    assert f.kind == "boilerplate" and f.evidence[0].quote.startswith("通过项目实施")
    figures = stock.replace("通过项目实施，办学条件明显改善", "改造教学楼6,200平方米，大班额由12个降为0个，办学条件明显改善")
    assert run(figures, "D88") == []
    one = stock.replace("，社会效益显著，达到预期效果", "")  # one stock phrase in a sentence is not flagged
    assert run(one, "D88") == []


def test_d89_on_time_claimed_after_the_deadline_the_report_set():
    base = ("甲区城管局2022年度路灯节能改造项目绩效自评报告\n一、项目基本情况\n年初绩效目标为：2022年10月31日前完成2,150盏路灯改造。\n"
            "二、绩效目标完成情况\n全年完成LED节能改造2,150盏，于{done}通过竣工验收。时效指标：项目按期完工，得满分。\n")
    [f] = run(base.format(done="2022年12月26日"), "D89")
    assert f.kind == "contradiction" and f.stated == "2022年12月26日" and f.expected == "2022年10月31日前"
    assert run(base.format(done="2022年10月28日"), "D89") == []
    # no claim of keeping the deadline: D43/D14A's business, not this rule's
    assert run(base.format(done="2022年12月26日").replace("项目按期完工，得满分", "项目延期完工"), "D89") == []


def test_d85_a_goal_that_restates_the_name_with_its_year():
    text = HEADER.replace("农村饮水安全维修项目", "农村户厕改造项目") + narrative(
        extra="").replace("三、绩效目标完成情况", "（二）绩效目标\n项目年度绩效目标为：实施2023年度农村户厕改造项目。\n三、绩效目标完成情况")
    [f] = run(text, "D85")
    assert f.evidence[0].quote.startswith("实施2023年度农村户厕改造项目")


def test_d89_a_deadline_kept_in_words_and_missed_in_dates():
    extra = ("时效指标：年度指标值为2023年11月30日前完成改造并验收，实际于2024年1月15日完成全部户厕验收。"
             "时效指标按期完成，得满分5分。")
    [f] = run(HEADER + narrative(extra=extra), "D89")
    assert f.stated == "2024年1月15日"
    assert run(HEADER + narrative(extra=extra.replace("2024年1月15日", "2023年11月25日")), "D89") == []


def test_d89_a_delay_admitted_is_no_claim_of_keeping_the_deadline():
    extra = ("时效指标：年度指标值为2023年11月30日前完成改造并验收，2个村迁改滞后，未能按期完成，"
             "实际于2024年1月15日完成全部户厕验收。")
    assert run(HEADER + narrative(extra=extra), "D89") == []
