"""Splitting a file into reports when it holds bare 自评表 forms one after another, each under
its own title (…项目支出绩效自评表), and not splitting a narrative from its attached form."""

from __future__ import annotations

from reviewer.models import SourceDocument
from reviewer.parse import parse_source

PIPE_FORM = """甲县卫生健康委员会2023年度乡村医生补助项目支出绩效自评表
| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
| 年度资金总额 | 86.40 | 86.40 | 86.40 | 10 | 100.00% | 10 |
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| 产出指标 | 数量指标 | 补助乡村医生人数 | ≥180人 | 180人 | 50 | 50 | |
| 效益指标 | 社会效益指标 | 群众就近就医率 | ≥85% | 87% | 30 | 30 | |
| 满意度指标 | 服务对象满意度指标 | 乡村医生满意度 | ≥90% | 92% | 10 | 10 | |
| 总分 | | | | | 100 | 100 | |
"""
SPACE_FORM = """甲县交通运输局2023年度农村客运补贴项目支出绩效自评表
项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分
年度资金总额 125.00 125.00 97.50 10 78.00% 7.80
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施
产出指标 数量指标 补贴农村客运线路 ≥24条 24条 25 25
产出指标 数量指标 补贴营运车辆 ≥60辆 60辆 25 25
效益指标 社会效益指标 建制村通客车率 100% 100% 30 30
满意度指标 服务对象满意度指标 乘客满意度 ≥90% 93% 10 10
总分 100 97.80
"""


def _reports(text: str):
    return parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports


def test_two_bare_forms_are_two_reports_with_their_own_rows():
    a, b = _reports(PIPE_FORM + "\n" + SPACE_FORM)
    assert a.title.endswith("乡村医生补助项目支出绩效自评表") and b.title.endswith("农村客运补贴项目支出绩效自评表")
    assert [r.level3.text for r in a.indicators] == ["补助乡村医生人数", "群众就近就医率", "乡村医生满意度"]
    assert [r.level3.text for r in b.indicators] == ["补贴农村客运线路", "补贴营运车辆", "建制村通客车率", "乘客满意度"]
    assert b.funds.rows[0].executed.value == 97.5
    # the 一级 repeated on every row of the flattened form is one group of 50
    l1 = [s for s in b.subtotals if s.level == 1]
    assert [s.name for s in l1] == ["产出指标", "效益指标", "满意度指标"]


def test_a_narrative_and_its_attached_form_stay_one_report():
    narrative = ("甲县卫生健康委员会2023年度乡村医生补助项目支出绩效自评报告\n一、项目基本情况\n全县180名乡村医生。\n"
                 "二、项目资金情况\n预算86.40万元，执行86.40万元。\n三、绩效目标完成情况\n完成。\n四、自评结论\n自评得分100分，等级为优。\n"
                 "五、存在的问题\n2名乡村医生即将退休。\n六、改进措施\n2024年6月前招聘补充。\n附件\n")
    [rep] = _reports(narrative + PIPE_FORM)
    assert len(rep.indicators) == 3


def test_a_department_file_of_numbered_forms_without_their_own_year():
    text = ("甲县教育和体育局2023年度项目支出绩效自评材料\n项目一：学前教育幼儿资助项目绩效自评表\n"
            + PIPE_FORM.split("\n", 1)[1] + "\n项目二：中小学校舍维修改造项目绩效自评表\n"
            + SPACE_FORM.split("\n", 1)[1].replace("建制村通客车率", "校舍安全隐患消除率") + "完成时间 2024年1月5日\n")
    a, b = _reports(text)
    assert [r.level3.text for r in a.indicators] == ["补助乡村医生人数", "群众就近就医率", "乡村医生满意度"]
    assert "校舍安全隐患消除率" in [r.level3.text for r in b.indicators] and len(b.indicators) == 4
    assert b.title.startswith("项目二") and b.year == 2023  # the file's year, not the date in its text


def test_numbered_projects_named_only_above_their_forms_are_reports_of_their_own():
    body = lambda f: f.split("\n", 1)[1]  # noqa: E731  (the form without its title line)
    text = ("甲县民政局2023年度项目支出绩效自评表\n项目一：乡村医生补助资金\n" + body(PIPE_FORM)
            + "项目二：农村客运补贴资金\n" + body(SPACE_FORM))
    a, b = _reports(text)
    assert [r.level3.text for r in a.indicators] == ["补助乡村医生人数", "群众就近就医率", "乡村医生满意度"]
    assert b.title == "项目二：农村客运补贴资金" and len(b.indicators) == 4 and b.funds.rows[0].executed.value == 97.5
    # a numbered table of one form (表2.…) is part of its report, not another project
    parts = ("甲县民政局2023年度乡村医生补助项目支出绩效自评报告\n" + body(PIPE_FORM)
             + "表2.效益指标得分情况\n一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
             + "效益指标 社会效益指标 群众就近就医率 ≥85% 87% 30 30\n")
    assert len(_reports(parts)) == 1


def test_forms_numbered_after_their_title_are_two_reports():
    """项目支出绩效自评表（一）/（二) under one file title: the second form's rows belong to it,
    and a site's breadcrumb (某区人民政府 > 政务公开 > …) is no title."""
    body_a = PIPE_FORM.split("\n", 1)[1]
    body_b = body_a.replace("86.40 | 86.40 | 86.40 | 10 | 100.00% | 10", "64.00 | 64.00 | 60.48 | 10 | 94.50% | 9.45") \
        .replace("补助乡村医生人数", "村医培训人次")
    text = ("甲区人民政府 > 政务公开 > 财政信息 > 预算绩效\n甲区2023年度卫生项目支出绩效自评表\n"
            "项目支出绩效自评表（一）\n" + body_a + "项目支出绩效自评表(二)\n" + body_b)
    a, b = _reports(text)
    assert a.title == "甲区2023年度卫生项目支出绩效自评表"
    assert [r.level3.text for r in a.indicators][0] == "补助乡村医生人数"
    assert [r.level3.text for r in b.indicators][0] == "村医培训人次" and len(b.indicators) == 3
    assert b.funds.rows[0].executed.value == 60.48
