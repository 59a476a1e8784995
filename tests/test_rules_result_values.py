"""Rules D68, D69, D71: what an indicator row's 指标值 and 完成值 say."""

from __future__ import annotations

try:
    from rulekit import STANDARD_ROWS, full_report, run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import STANDARD_ROWS, full_report, run


def _with(i: int, row: tuple) -> list[tuple]:
    rows = list(STANDARD_ROWS)
    rows[i] = row
    return rows


def test_D68_template_options_left_as_the_result():
    for options in ("好坏", "好/坏", "是□否", "优良中差", "优/良/中/差", "合格/不合格", "达到、未达到"):
        rows = _with(4, ("效益指标", "可持续影响指标", "管理机制健全性", "定性", options, "30", "30", ""))
        [f] = run(full_report(rows=rows), "D68")
        assert "管理机制健全性" in f.message and f.kind == "missing"
    for graded in ("好", "良", "合格", "达到", "是", "健全"):
        rows = _with(4, ("效益指标", "可持续影响指标", "管理机制健全性", "好坏", graded, "30", "30", ""))
        assert run(full_report(rows=rows), "D68") == [], graded  # the grade reached, chosen from the options
    assert run(full_report(), "D68") == []


def test_D69_completion_percentage_instead_of_a_measurement():
    rows = _with(5, ("满意度指标", "服务对象满意度指标", "群众满意度", "90%", "已完成100%", "10", "10", ""))
    rows[3] = ("", "成本指标", "成本", "10万元", "完成100%", "5", "5", "")
    [f] = run(full_report(rows=rows), "D69")
    assert "群众满意度" in f.message and "成本" in f.message and "已完成100%" in f.message
    # a completion rate is what a 完成率 indicator measures; a 时效 indicator's result may be its completion
    rows = _with(1, ("", "质量指标", "整改任务完成率", "100%", "已完成100%", "15", "15", ""))
    rows[2] = ("", "时效指标", "完工时间", "2023年10月底前", "100%完成", "10", "10", "")
    assert run(full_report(rows=rows), "D69") == []
    assert run(full_report(), "D69") == []


def test_D71_indicator_named_by_reference_to_the_application_form():
    rows = _with(0, ("产出指标", "数量指标", "是否完成绩效目标申报表中申报的数量", "是", "是", "20", "20", ""))
    [f] = run(full_report(rows=rows), "D71")
    assert "申报表" in f.message and f.kind == "boilerplate"
    rows = _with(1, ("", "质量指标", "达到年初设定的标准", "是", "是", "15", "15", ""))
    assert run(full_report(rows=rows), "D71")
    rows = _with(0, ("产出指标", "数量指标", "申报项目评审数量", "≥30个", "32个", "20", "20", ""))
    assert run(full_report(rows=rows), "D71") == []  # 申报 as the work itself, not a reference
    assert run(full_report(), "D71") == []


def test_D79_cost_indicator_without_money():
    rows = _with(3, ("", "成本指标", "成本控制", "控制在预算范围内", "已控制", "5", "5", ""))
    [f] = run(full_report(rows=rows), "D79")
    assert "成本控制" in f.message and f.kind == "missing"
    assert run(full_report(), "D79") == []  # ≤3万元 | 2.9万元
    rows = _with(3, ("", "成本指标", "人均补助标准", "每人每月九十元", "九十元", "5", "5", ""))
    assert run(full_report(rows=rows), "D79") == []  # an amount in Chinese numerals
    # the 101号 form: 成本指标 as 一级, 经济成本指标 as 二级; a 社会成本指标 needs no amount
    rows = _with(3, ("成本指标", "经济成本指标", "保管费用补贴标准", "按标准执行", "按标准执行", "5", "5", ""))
    [f] = run(full_report(rows=rows), "D79")
    assert "保管费用补贴标准" in f.message
    rows = _with(3, ("成本指标", "社会成本指标", "对周边居民出行的影响", "影响可控", "影响可控", "5", "5", ""))
    assert run(full_report(rows=rows), "D79") == []


def test_D80_stock_words_as_the_result_of_a_number():
    rows = _with(1, ("", "质量指标", "验收合格率", "100%", "达到预期", "15", "15", ""))
    [f] = run(full_report(rows=rows), "D80")
    assert "验收合格率" in f.message and f.kind == "missing"
    for said in ("已完成", "效果明显", "达标"):
        rows = _with(1, ("", "质量指标", "验收合格率", "100%", said, "15", "15", ""))
        assert run(full_report(rows=rows), "D80"), said
    # a number, a qualitative target, a time indicator: left to other rules
    assert run(full_report(), "D80") == []
    rows = _with(1, ("", "质量指标", "工程质量", "合格", "达到预期", "15", "15", ""))
    assert run(full_report(rows=rows), "D80") == []
    rows = _with(2, ("", "时效指标", "完工时间", "2023年10月底前", "按期完成", "10", "10", ""))
    assert run(full_report(rows=rows), "D80") == []
