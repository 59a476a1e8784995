"""D45 reads the form's 年度总体目标 cells: a count its 实际完成情况 claims is compared with the
indicator's 实际完成值, also when the claim repeats the target; a restated target is not a claim."""

from __future__ import annotations

try:
    from rulekit import run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import run

FORM = ("甲县教育局2021年度乡村教师生活补助项目支出绩效自评表\n"
        "项目名称 乡村教师生活补助 主管部门 甲县教育局 "
        "项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 "
        "年度资金总额 612.00 612.00 598.50 10 97.79% 9.78 "
        "年度总体目标 预期目标 实际完成情况 {expected} {actual} "
        "绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 "
        "产出指标 数量指标 享受补助乡村教师人数 ≥1700人 {done}人 40 {score} "
        "覆盖乡镇数 14个 14个 10 10 "
        "效益指标 社会效益指标 乡村教师年流失率 ≤3% 2.1% 30 30 "
        "满意度指标 服务对象满意度指标 乡村教师满意度 ≥90% 95.2% 10 10 总分 100 {total}\n")


def _form(expected: str, actual: str, done: str = "1662") -> str:
    score = "39.11" if done == "1662" else "40"
    total = "98.89" if done == "1662" else "99.78"
    return FORM.format(expected=expected, actual=actual, done=done, score=score, total=total)


def test_the_actual_cell_claiming_the_target_against_a_shortfall_in_the_table():
    bad = _form("做好乡村教师生活补助发放工作,提高乡村教师待遇。",
                "全年为1700名乡村教师发放生活补助598.50万元,补助资金全部发放到位。")
    [f] = run(bad, "D45")
    assert f.stated == "1700名" and f.expected == "1662人"
    assert "享受补助乡村教师人数" in f.message


def test_the_same_count_in_both_cells_the_later_one_is_the_claim():
    bad = _form("为1700名乡村教师发放生活补助。", "全年为1700名乡村教师发放生活补助。")
    [f] = run(bad, "D45")
    assert bad.index(f.evidence[0].quote) > bad.index("实际完成情况 为1700名")


def test_a_target_restated_in_the_expected_cell_is_no_claim():
    good = _form("为1700名乡村教师发放生活补助。", "全年为1662名乡村教师发放生活补助,4人因调离未发放。")
    assert run(good, "D45") == []
    met = _form("为1700名乡村教师发放生活补助。", "全年为1700名乡村教师发放生活补助,补助资金全部发放到位。", done="1700")
    assert run(met, "D45") == []


def test_half_width_commas_end_a_clause():
    # "…全部实现免费开放,全年开展各类文化活动260场": the count belongs to the activity row, not to
    # the row of stations named earlier in the sentence
    text = ("甲县文旅局2023年度文化站免费开放项目支出绩效自评表\n"
            "年度总体目标 预期目标 实际完成情况 开展各类文化活动不少于240场。 "
            "12个乡镇综合文化站全部实现免费开放,全年开展各类文化活动260场,服务群众6.8万人次。 "
            "绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 "
            "产出指标 数量指标 免费开放文化站数量 12个 12个 20 20 开展文化活动场次 ≥240场 206场 30 25.75 "
            "效益指标 社会效益指标 年服务群众人次 ≥6万人次 6.8万人次 30 30 "
            "满意度指标 服务对象满意度指标 群众满意度 ≥90% 93% 10 10 总分 90 85.75\n")
    [f] = run(text, "D45")
    assert f.stated == "260场" and "开展文化活动场次" in f.message
