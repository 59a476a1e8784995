"""Rules on the 自评表: funds (D01–D04), rows (D05, D09, D14A, D16, D24, D26), roll-ups (D10, D12, D13, D15)."""

from rulekit import STANDARD_ROWS, full_report, funds_table, run


def test_clean_report_has_no_table_flags():
    text = full_report()
    for code in ["D01", "D02", "D03", "D04", "D05", "D09", "D10", "D12", "D13", "D14A", "D15", "D16", "D24", "D26"]:
        assert run(text, code) == [], code


def test_d01_funding_sources_must_add_up():
    bad = full_report(funds=funds_table(parts=(("当年财政拨款", "90", "80"), ("其他资金", "5", "5"))))
    flags = run(bad, "D01")
    assert flags and flags[0].expected == "95" and "100" in flags[0].stated
    good = full_report(funds=funds_table(parts=(("当年财政拨款", "95", "85"), ("其他资金", "5", "5"))))
    assert run(good, "D01") == []


def test_d01_reads_source_rows_named_any_way():
    # a tab form: the second source row is named neither 财政拨款 nor 其他资金
    tab = ("项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
           "\t年度资金总额\t100\t100\t90\t10\t90%\t9\n\t其中：当年财政拨款\t80\t80\t72\t—\t\t—\n"
           "\t社会捐赠\t20\t20\t18\t—\t\t—\n")
    assert run(full_report(funds=tab), "D01") == []
    assert run(full_report(funds=tab.replace("\t20\t20\t18", "\t25\t25\t18")), "D01")
    # a pipe form of a 转移支付 report: 中央资金 and 地方资金
    pipe = ("| 资金投入情况 | 全年预算数（万元） | 全年执行数（万元） | 执行率 |\n| 年度资金总额 | 2,700.00 | 2,565.00 | 95.00% |\n"
            "| 其中：中央资金 | 1,860.00 | 1,790.00 | 96.24% |\n| 地方资金 | 840.00 | 775.00 | 92.26% |\n")
    assert run(full_report(funds=pipe), "D01") == []


def test_d02_execution_rate_is_recomputed():
    bad = full_report(funds=funds_table(executed="87.5", rate="95%", score="8.75", parts=(("当年财政拨款", "100", "87.5"),)))
    [f] = run(bad, "D02")
    assert f.expected == "87.5%" and f.stated == "95%"
    good = full_report(funds=funds_table(executed="87.5", rate="87.5%", score="8.75", parts=(("当年财政拨款", "100", "87.5"),)))
    assert run(good, "D02") == []


def test_d02_rounded_rate_is_accepted():
    text = full_report(funds=funds_table(budget="80", executed="71.92", rate="90%", score="8.99", parts=(("当年财政拨款", "80", "71.92"),)))
    assert run(text, "D02") == []


def test_d03_over_execution():
    bad = full_report(funds=funds_table(executed="105", rate="105%", score="10", parts=(("当年财政拨款", "100", "105"),)))
    assert run(bad, "D03")
    assert run(full_report(), "D03") == []


def test_d04_execution_score():
    bad = full_report(funds=funds_table(executed="87.5", rate="87.5%", score="10", parts=(("当年财政拨款", "100", "87.5"),)))
    [f] = run(bad, "D04")
    assert f.expected == "8.75"


def test_d04_a_score_written_to_two_decimals_is_held_to_them():
    """9.76 for 96.74% × 10 (= 9.67) is two digits swapped, within the general 0.1 tolerance."""
    parts = (("当年财政拨款", "1046.50", "1012.35"),)
    bad = full_report(funds=funds_table(budget="1046.50", executed="1012.35", rate="96.74%", score="9.76", parts=parts))
    [f] = run(bad, "D04")
    assert f.expected == "9.67" and f.stated == "9.76"
    for score in ("9.67", "9.68", "9.7"):  # right, rounded up, or written to one decimal
        good = full_report(funds=funds_table(budget="1046.50", executed="1012.35", rate="96.74%", score=score, parts=parts))
        assert run(good, "D04") == [], score
    assert run(bad, "D04", score_tolerance=0.5) == []  # a lenient profile keeps its tolerance


def test_d05_target_met_but_deducted():
    rows = list(STANDARD_ROWS)
    rows[5] = ("满意度指标", "服务对象满意度指标", "群众满意度", "95%", "95%", "10", "8", "")
    [f] = run(full_report(rows=rows, total=("100", "97")), "D05")
    assert f.kind == "contradiction" and f.expected == "10" and "未说明" in f.message


def test_d05_proportional_score():
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "助餐服务人次", "≥30万人次", "27.7万人次", "20", "15", "天气原因")
    [f] = run(full_report(rows=rows, total=("100", "94")), "D05")
    assert f.expected == "18.47" and f.kind == "arithmetic"
    # the tolerance follows the precision the score is written in: 19.2 for 4.6/5 × 20 = 18.4 is wrong,
    # 18.4 (and 18.44 for 18.44) is right
    rows[0] = ("产出指标", "数量指标", "补播改良面积", "≥5万亩", "4.6万亩", "20", "19.2", "墒情差")
    [f] = run(full_report(rows=rows, total=("100", "98.2")), "D05")
    assert f.expected == "18.4" and f.stated == "19.2"
    rows[0] = rows[0][:6] + ("18.4",) + rows[0][7:]
    assert run(full_report(rows=rows, total=("100", "97.4")), "D05") == []


def test_d05_whole_point_forms_round_the_proportional_score():
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "验收通过率", "100%", "95%", "6", "5", "个别项目返工")
    assert run(full_report(rows=rows, total=("100", "98")), "D05") == []  # 5.7 written as a whole point
    rows[0] = rows[0][:6] + ("3",) + rows[0][7:]
    [f] = run(full_report(rows=rows, total=("100", "96")), "D05")  # 3 is neither 5 nor 6
    assert f.expected == "5.7"
    rows[1] = ("", "质量指标", "验收合格率", "100%", "100%", "15", "14.5", "")  # a decimal score: no rounding
    rows[0] = rows[0][:6] + ("5",) + rows[0][7:]
    assert [f.expected for f in run(full_report(rows=rows, total=("100", "97.5")), "D05")] == ["5.7", "15"]


def test_d05_on_time_but_deducted():
    rows = list(STANDARD_ROWS)
    rows[2] = ("", "时效指标", "完工时间", "2023年10月底前", "2023年9月28日", "10", "8", "")
    [f] = run(full_report(rows=rows, total=("100", "97")), "D05")
    assert f.kind == "contradiction" and f.expected == "10" and "未说明" in f.message
    rows[2] = ("", "时效指标", "完工时间", "2023年10月底前", "2023年11月15日", "10", "8", "汛期停工")
    assert run(full_report(rows=rows, total=("100", "97")), "D05") == []  # late: the deduction is due (D43's)
    assert run(full_report(), "D05") == []


def test_d24_full_marks_despite_shortfall():
    rows = list(STANDARD_ROWS)
    rows[1] = ("", "质量指标", "验收合格率", "≥95%", "85%", "15", "15", "")
    [f] = run(full_report(rows=rows), "D24")
    assert f.kind == "score_inflation" and f.expected == "13.42"


def test_d09_score_above_weight():
    rows = list(STANDARD_ROWS)
    rows[3] = ("", "成本指标", "每公里维修成本", "≤3万元", "2.9万元", "5", "6", "")
    assert run(full_report(rows=rows, total=("100", "100")), "D09")


def test_d10_second_level_weight_rolls_up():
    rows = [("产出指标", "数量指标（30分）", "管网长度", "≥20公里", "21公里", "10", "10", ""),
            ("", "", "维修点数", "≥30处", "31处", "10", "10", "")] + STANDARD_ROWS[1:]
    [f] = run(full_report(rows=rows), "D10")
    assert f.expected == "20" and "30" in f.stated


def test_d10_total_weight_row():
    rows = list(STANDARD_ROWS)
    rows[2] = ("", "时效指标", "完工时间", "2023年10月底前", "2023年9月28日", "5", "5", "")
    flags = run(full_report(rows=rows, total=("100", "94")), "D10")
    assert any(f.expected == "95" for f in flags)


def test_d10_d12_a_gap_of_the_unread_execution_row_is_not_an_error():
    # rows 90 (no 执行率 row read: the funds block came column by column) against 总分 100 / 99.9
    rows = STANDARD_ROWS  # weights 90, scores 90
    no_funds = full_report(rows=rows, total=("100", "99.9"), funds="", conclusion="本项目自评得分99.9分，等级为“优”。")
    assert run(no_funds, "D10") == [] and run(no_funds, "D12") == []
    # a gap larger than the 执行率 weight is still an error
    assert run(full_report(rows=rows, total=("110", "99.9"), funds=""), "D10")


def test_d12_total_and_narrative():
    bad = full_report(total=("100", "99"), conclusion="本项目自评得分97分，等级为“优”。")
    flags = run(bad, "D12")
    assert any(f.stated == "97" and f.expected == "99" for f in flags)
    assert run(full_report(), "D12") == []


def test_d13_grade_follows_score():
    bad = full_report(conclusion="本项目自评得分99分，等级为“良”。")
    [f] = run(bad, "D13")
    assert f.expected == "优" and f.stated == "良"


def test_d14a_shortfall_needs_a_reason():
    rows = list(STANDARD_ROWS)
    rows[4] = ("效益指标", "社会效益指标", "受益人口", "≥1.2万人", "1.1万人", "30", "27.5", "")
    flags = run(full_report(rows=rows, total=("100", "96.5")), "D14A")
    assert flags and flags[0].kind == "missing"
    rows[4] = ("效益指标", "社会效益指标", "受益人口", "≥1.2万人", "1.1万人", "30", "27.5", "2个村搬迁，受益人口减少")
    assert run(full_report(rows=rows, total=("100", "96.5")), "D14A") == []


def test_d14a_a_result_that_admits_a_shortfall_in_words():
    rows = list(STANDARD_ROWS)
    rows[4] = ("效益指标", "社会效益指标", "牧民政策性收入", "稳步增加", "部分达成", "30", "30", "")
    [f] = run(full_report(rows=rows), "D14A")
    assert "部分达成" in f.message
    rows[4] = ("效益指标", "社会效益指标", "牧民政策性收入", "稳步增加", "部分达成", "30", "24", "草场退化，补奖标准未调")
    assert run(full_report(rows=rows, total=("100", "93")), "D14A") == []
    rows[4] = ("效益指标", "社会效益指标", "管护制度建设", "基本完成", "基本完成", "30", "30", "")
    assert run(full_report(rows=rows), "D14A") == []  # the target asked for 基本完成


def test_d15_missing_satisfaction_block():
    rows = STANDARD_ROWS[:5]
    [f] = run(full_report(rows=rows, total=("90", "89")), "D15")
    assert "满意度" in f.message


def test_d16_placeholders_and_empty_rows():
    # a group whose only row is an empty template slot has no indicator at all
    rows = list(STANDARD_ROWS) + [("", "生态效益指标", "指标1：", "", "", "", "", "")]
    rows[3] = ("", "成本指标", "每公里维修成本", "XX", "2.9万元", "5", "5", "")
    msgs = " ".join(f.message for f in run(full_report(rows=rows), "D16"))
    assert "占位" in msgs and "未填写" in msgs
    # a spare slot (指标2：) under a group that has its indicator is the template, not a gap
    spare = list(STANDARD_ROWS) + [("", "", "指标2：", "", "", "", "", "")]
    assert run(full_report(rows=spare), "D16") == []


def test_d16_verbal_actual_for_quantitative_target():
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "督查次数", "≥36次", "按时完成", "20", "20", "")
    [f] = run(full_report(rows=rows), "D16")
    assert "按时完成" in f.message


def test_d26_hedged_satisfaction_with_full_marks():
    rows = list(STANDARD_ROWS)
    rows[5] = ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "群众较为满意", "10", "10", "")
    [f] = run(full_report(rows=rows), "D26")
    assert f.kind == "score_inflation"


def test_d06_reverse_indicator():
    rows = list(STANDARD_ROWS)
    rows[3] = ("", "成本指标", "每公里维修成本", "≤3万元", "2.8万元", "5", "4", "")
    [f] = run(full_report(rows=rows), "D06")
    assert f.expected == "5"
    rows[3] = ("", "成本指标", "每公里维修成本", "≤3万元", "3.3万元", "5", "4.5", "超支")
    assert run(full_report(rows=rows), "D06") == []
    rows[3] = ("", "成本指标", "每公里维修成本", "≤3万元", "3.3万元", "5", "5", "超支")
    assert run(full_report(rows=rows), "D06")
    # a small overrun still costs the full marks (1.62 against ≤1.6: within 5% of the weight)
    rows[3] = ("", "成本指标", "户均补助资金", "≤1.6万元/户", "1.62万元/户", "10", "10", "")
    [f] = run(full_report(rows=rows), "D06")
    assert f.kind == "score_inflation" and f.stated == "10"
    rows[3] = ("", "成本指标", "户均补助资金", "≤1.6万元/户", "1.62万元/户", "10", "9.9", "材料涨价")
    assert run(full_report(rows=rows), "D06") == []


def test_d08_qualitative_band():
    rows = list(STANDARD_ROWS)
    rows[2] = ("", "时效指标", "制度建设", "健全", "部分完成", "10", "10", "")
    [f] = run(full_report(rows=rows), "D08")
    assert f.expected == "6–8"
    rows[2] = ("", "时效指标", "制度建设", "健全", "部分完成", "10", "7", "制度待审议")
    assert run(full_report(rows=rows), "D08") == []


def test_d14b_over_achievement():
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "培训人次", "≥200人次", "520人次", "20", "20", "")
    assert run(full_report(rows=rows), "D14B")
    assert run(full_report(), "D14B") == []
    # a rate is over by points: 3% → 4.8% is not a target set too low, 60% → 85% is
    rows[0] = ("产出指标", "数量指标", "采购资金节约率", "≥3%", "4.8%", "20", "20", "")
    assert run(full_report(rows=rows), "D14B") == []
    rows[0] = ("产出指标", "数量指标", "集中收集率", "≥60%", "85%", "20", "20", "")
    assert run(full_report(rows=rows), "D14B")


def test_d17_cost_operator():
    rows = list(STANDARD_ROWS)
    rows[3] = ("", "成本指标", "设备采购成本", "≥50万元", "48万元", "5", "5", "")
    assert run(full_report(rows=rows), "D17")
    assert run(full_report(), "D17") == []


def test_d43_late_time_indicator():
    rows = list(STANDARD_ROWS)
    rows[2] = ("", "时效指标", "主体工程完工时间", "2023年5月15日前", "2023年6月28日", "10", "10", "")
    [f] = run(full_report(rows=rows), "D43")
    assert "逾期44天" in f.message and f.kind == "score_inflation"
    rows[2] = ("", "时效指标", "主体工程完工时间", "2023年5月15日前", "2023年6月28日", "10", "7", "汛期停工")
    assert run(full_report(rows=rows), "D43") == []
    assert run(full_report(), "D43") == []  # 9月28日 is before 10月底


def test_d14a_counts_late_dates_as_shortfalls():
    rows = list(STANDARD_ROWS)
    rows[2] = ("", "时效指标", "完工时间", "2023年10月底前", "2023年11月20日", "10", "8", "")
    assert run(full_report(rows=rows, total=("100", "97")), "D14A")


def test_d44_narrative_date_vs_table():
    rows = list(STANDARD_ROWS)
    rows[2] = ("", "时效指标", "项目完工时限", "2023年11月30日前", "2024年1月20日", "10", "8", "冬季停工")
    bad = full_report(rows=rows, total=("100", "97"), extra="项目于2023年11月底全部完工。")
    [f] = run(bad, "D44")
    assert f.expected == "2024年1月20日"
    assert run(full_report(rows=rows, total=("100", "97"), extra="项目于2024年1月20日全部完工。"), "D44") == []
    # half-width commas part the clauses; a completion followed by its acceptance is still a completion date
    both = "项目采取公开招标方式确定施工单位,于2023年5月开工,11月底全部完工并通过州级验收。"
    [f] = run(full_report(rows=rows, total=("100", "97"), extra=both), "D44")
    assert f.stated == "11月底"
    # an acceptance date alone is not the completion date
    accepted = "项目于2023年5月开工,2023年11月通过验收。"
    assert run(full_report(rows=rows, total=("100", "97"), extra=accepted), "D44") == []


def test_d45_narrative_quantity_vs_table():
    bad = full_report(extra="全年完成维修管网18公里。")
    [f] = run(bad, "D45")
    assert f.expected == "21公里"
    assert run(full_report(extra="全年完成维修管网21公里。"), "D45") == []
    assert run(full_report(extra="计划维修管网不少于20公里。"), "D45") == []
    # a count of another thing that shares only a stock verb and one word with the row's name
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "完成普查登记单位数", "≥4500个", "4618个", "20", "20", "")
    assert run(full_report(rows=rows, extra="全年完成清查单位5,126个。"), "D45") == []
    assert run(full_report(rows=rows, extra="全年完成普查登记单位4,816个。"), "D45")

    # a part named by its scope (农村) is not the row's whole (城乡)
    rows[0] = ("产出指标", "数量指标", "城乡低保对象人数", "≥11,000人", "11,386人", "20", "20", "")
    assert run(full_report(rows=rows, extra="全年保障农村低保对象8,482人。"), "D45") == []
    assert run(full_report(rows=rows, extra="全年保障城乡低保对象11,368人。"), "D45")


def test_d16c_vague_targets():
    rows = list(STANDARD_ROWS)
    rows[4] = ("效益指标", "社会效益指标", "残疾人生活状况", "有所改善", "有所改善", "30", "30", "")
    [f] = run(full_report(rows=rows), "D16C")
    assert "有所改善" in f.message and f.kind == "boilerplate"
    assert run(full_report(), "D16C") == []
    # a form without weight and score columns states a vague target just the same
    rows[4] = ("效益指标", "社会效益指标", "提升消费者维权意识", "不断提升", "已完成100%", "", "", "")
    [f] = run(full_report(rows=rows), "D16C")
    assert "不断提升" in f.message
    # a state that holds or not (a licence 有效) is checkable; 有效提升 is not
    rows[4] = ("效益指标", "可持续影响指标", "检验检测机构资质认定证书", "有效", "有效期至2027年", "30", "30", "")
    assert run(full_report(rows=rows), "D16C") == []
    rows[4] = ("效益指标", "社会效益指标", "农产品质量安全水平", "有效提升", "有效提升", "30", "30", "")
    assert run(full_report(rows=rows), "D16C")


def test_d12b_corrected_total():
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "储备冲锋舟", "≥4艘", "2艘", "20", "18", "采购流标")
    [f] = run(full_report(rows=rows, total=("100", "99"), conclusion="本项目自评得分99分，等级为“优”。"), "D12B")
    assert f.expected == "89" and f.stated == "99"  # 2/4 × 20 = 10 instead of 18; 执行率 90% × 10 = 9 (as stated)
    assert any("储备冲锋舟" in ev.quote for ev in f.evidence)  # the row whose score was corrected is shown
    assert run(full_report(), "D12B") == []


def test_d26b_full_satisfaction_without_survey():
    rows = list(STANDARD_ROWS)
    rows[5] = ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "100%", "10", "10", "")
    [f] = run(full_report(rows=rows), "D26B")  # 100%, no survey anywhere
    assert f.message.startswith("满意度为100%")
    # the message gives the figure the report states, not a fixed 100%
    [f] = run(full_report(extra="群众满意度达到99%。"), "D26B")
    assert f.message.startswith("满意度为99%") and f.stated == "99%"
    assert run(full_report(rows=rows, extra="发放问卷300份，回收286份。"), "D26B") == []
    # a measured 94% scored in full reads as a survey result: reviewers of real reports do not flag it
    assert run(full_report(), "D26B") == []


def test_d45_count_with_its_noun_after_and_a_synonym_unit():
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "救助残疾儿童人数", "≥200人", "212人", "20", "20", "")
    [f] = run(full_report(rows=rows, extra="全年为218名残疾儿童提供康复救助。"), "D45")
    assert f.expected == "212人" and "218名" in f.message
    assert run(full_report(rows=rows, extra="全年为212名残疾儿童提供康复救助。"), "D45") == []


def test_d45_a_count_goes_with_the_row_its_words_name():
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "宫颈癌检查人数", "≥8000人", "8035人", "10", "10", "")
    rows[1] = ("", "数量指标", "乳腺癌检查人数", "≥7500人", "7760人", "10", "10", "")
    ok = "全年完成宫颈癌检查8035人、乳腺癌检查7760人，两癌检查共计15795人。"
    assert run(full_report(rows=rows, extra=ok), "D45") == []
    [f] = run(full_report(rows=rows, extra=ok.replace("乳腺癌检查7760人", "乳腺癌检查7670人")), "D45")
    assert "乳腺癌检查人数" in f.message and f.expected == "7760人"


def test_d82_satisfaction_in_words_only():
    rows = [r for r in STANDARD_ROWS if "满意" not in r[2]]
    said = "通过走访调查，服务对象对项目实施普遍表示满意。"
    [f] = run(full_report(rows=rows, total=("90", "90"), extra=said), "D82")
    assert "普遍表示满意" in f.message and f.kind == "missing"
    # a measured rate anywhere (text or form) answers it; a target alone does not
    assert run(full_report(rows=rows, total=("90", "90"), extra=said + "问卷调查满意率95.8%。"), "D82") == []
    assert run(full_report(extra=said), "D82") == []  # the form's 群众满意度 | ≥90% | 94%
    assert run(full_report(rows=rows, total=("90", "90"), extra="满意度不低于90%。" + said), "D82")


def test_d82_in_a_text_cut_off():
    from rulekit import HEADER, narrative

    goal = "年度绩效目标：改造管网20公里，受益群众满意度≥90%。"
    said = "项目区群众满意度达到较高水平。"
    cut = (HEADER + narrative(extra=goal + said)).split("四、自评结论")[0] + "四、自评结论\n本项目自评"
    [f] = run(cut, "D82")  # a target set, answered in words where the results are
    assert "满意度达到较高水平" in f.message
    # no target given: the survey's figure may lie past the cut
    assert run(cut.replace("，受益群众满意度≥90%", ""), "D82") == []


def test_a_placeholder_in_the_reason_cell_is_no_reason():
    rows = list(STANDARD_ROWS)
    for filler in ("/", "—", "无", "0"):
        rows[0] = ("产出指标", "数量指标", "维修管网长度", "≥20公里", "18公里", "20", "18", filler)
        assert [f.rule for f in run(full_report(rows=rows), "D14A")] == ["D14A"], filler
        rows[0] = ("产出指标", "数量指标", "培训人次", "≥200人次", "520人次", "20", "20", filler)
        assert [f.rule for f in run(full_report(rows=rows), "D14B")] == ["D14B"], filler
    rows[0] = ("产出指标", "数量指标", "维修管网长度", "≥20公里", "18公里", "20", "18", "2公里因汛期顺延")
    assert run(full_report(rows=rows), "D14A") == []


def test_d16_a_result_left_as_the_templates_placeholder():
    rows = list(STANDARD_ROWS)
    rows[2] = ("", "时效指标", "补贴资金拨付时限", "验收后30个工作日内", "**", "10", "10", "")
    [f] = run(full_report(rows=rows), "D16")
    assert f.stated == "**" and "10分" in f.message


def test_d11_is_off_unless_selected_by_its_code():
    """财预〔2020〕10号 lets a department adjust its first-level weights: D11 runs only when a
    profile names it (a prefix such as D does not turn it on)."""
    from reviewer.checks.base import selected_rules
    from reviewer.profile import Profile

    codes = lambda **kw: {r.code for r in selected_rules(Profile(**kw))}  # noqa: E731
    assert "D11" not in codes() and "D11" not in codes(select=["D"]) and "D12" in codes(select=["D"])
    assert "D11" in codes(select=["D", "D11"])


def test_d24_reads_a_score_at_the_precision_it_is_written_in():
    # 98.2% of ≥99% on a 10-point row: 9.92 is the proportional score, not full marks
    rows = list(STANDARD_ROWS)
    rows[1] = ("", "质量指标", "数据到报率", "≥99%", "98.2%", "10", "9.92", "通信中断两天")
    assert run(full_report(rows=rows), "D24") == []
    # written in whole points, 10 of 10 is full marks
    rows[1] = ("", "质量指标", "数据到报率", "≥99%", "98.2%", "10", "10", "通信中断两天")
    [f] = run(full_report(rows=rows), "D24")
    assert "数据到报率" in f.message and "未说明偏差原因" not in f.message


def test_a_full_score_shortfall_is_one_finding_with_its_empty_reason():
    from rulekit import run_all

    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "维修管网长度", "≥20公里", "17公里", "20", "20", "")
    rows[2] = ("", "时效指标", "完工时间", "2023年10月底前", "2023年12月5日", "10", "10", "")
    text = full_report(rows=rows)
    flags = run_all(text)
    by_rule = {f.rule: f for f in flags}
    assert "未说明偏差原因" in by_rule["D24"].message and "维修管网长度" in by_rule["D24"].message
    assert "未说明原因" in by_rule["D43"].message
    # D14A leaves both rows to the score rules ...
    assert not [f for f in flags if f.rule == "D14A"]
    # ... unless they are turned off: then it reports the empty reasons itself
    flags = run_all(text, ignore=["D24", "D43"])
    assert len([f for f in flags if f.rule == "D14A"]) == 2


def test_d82_a_satisfaction_target_answered_in_words_in_a_sentence():
    from rulekit import HEADER, narrative

    said = "（五）满意度指标：受益群众满意度目标值为≥90%，实际完成情况为满意。"
    [f] = run(HEADER + narrative(extra=said), "D82")
    assert f.kind == "missing" and "满意" in f.message
    assert "实际完成情况为满意" in f.evidence[0].quote
    measured = said.replace("实际完成情况为满意", "实际完成值为93.5%（发放问卷200份）")
    assert run(HEADER + narrative(extra=measured), "D82") == []


def test_d16_a_target_with_an_operator_and_a_unit_but_no_figure():
    rows = list(STANDARD_ROWS)
    rows[1] = ("", "质量指标", "讲座培训场次", "≥ 场/站", "6场/站", "15", "15", "")
    [f] = run(full_report(rows=rows), "D16")
    assert "≥ 场/站" in f.message


def test_d82_a_claim_in_words_in_a_text_cut_after_its_problems_heading():
    from rulekit import HEADER, narrative

    text = HEADER + narrative(extra="项目实施后受益群众普遍表示满意。")
    cut = text[:text.index("六、改进措施")] + "六、改进措施\n一是由县水务局牵头，2024年3月底前"
    [f] = run(cut, "D82")
    assert "普遍表示满意" in f.message
    # cut before the results were all shown: the survey may lie past the cut
    early = text[:text.index("完成维修管网21公里")] + "完成维修管网21公里。项目实施后受益群众普遍表示满意。全年"
    assert run(early, "D82") == []


def test_d08_partial_achievement_given_full_marks_in_a_sentence():
    from rulekit import HEADER, narrative

    said = "经县级测评，达标教师比例为71.5%，评定为“部分达成年度指标并具有一定效果”，按满分10分计分。"
    [f] = run(HEADER + narrative(extra=said), "D08")
    assert f.kind == "score_inflation" and "部分达成" in f.message
    assert run(HEADER + narrative(extra=said.replace("按满分10分计分", "按7分计分")), "D08") == []


def test_d14a_a_reason_that_points_to_a_report_that_gives_none():
    rows = list(STANDARD_ROWS)
    rows[4] = ("效益指标", "社会效益指标", "年接待游客量", "≥120万人次", "104万人次", "30", "26", "详见报告")
    [f] = run(full_report(rows=rows, total=("100", "95")), "D14A")
    assert "详见报告" in f.message
    explained = full_report(rows=rows, total=("100", "95"), extra="年接待游客量未达目标，主要因3月至5月街区封闭施工。")
    assert run(explained, "D14A") == []


def test_d14a_a_qualitative_result_reached_and_scored_inside_its_band():
    rows = list(STANDARD_ROWS)
    rows[4] = ("效益指标", "社会效益指标", "日常巡查管护制度", "定性:建立并执行", "达成年度指标", "30", "27", "")
    assert run(full_report(rows=rows, total=("100", "96")), "D14A") == []
    rows[4] = ("效益指标", "社会效益指标", "日常巡查管护制度", "定性:建立并执行", "达成年度指标", "30", "20", "")
    assert run(full_report(rows=rows, total=("100", "89")), "D14A")  # below the band: a deduction to explain


def test_d64_funds_that_never_arrived_explain_the_unspent_budget():
    from rulekit import funds_table

    funds = funds_table(budget="640", executed="371.2", rate="58%", score="5.8", parts=(("当年财政拨款", "640", "371.2"),))
    said = "全年执行371.20万元，县级配套资金240.00万元未到位。"
    assert run(full_report(funds=funds, extra=said), "D64") == []
    assert run(full_report(funds=funds, extra="全年执行371.20万元。"), "D64")


def test_d14a_a_reason_given_as_lue_is_none():
    rows = list(STANDARD_ROWS)
    rows[4] = ("效益指标", "社会效益指标", "矛盾纠纷调解成功率", "≥95%", "91%", "30", "28.74", "略")
    [f] = run(full_report(rows=rows, total=("100", "97.74")), "D14A")
    assert "矛盾纠纷调解成功率" in f.message


def test_d16_an_adverse_count_with_a_target_of_zero_is_measurable():
    rows = list(STANDARD_ROWS)
    rows[4] = ("效益指标", "社会效益指标", "区域性重大动物疫情发生次数", "0次", "0次", "30", "30", "")
    assert run(full_report(rows=rows), "D16") == []


def test_d08_a_band_word_with_its_detail_after_it():
    rows = list(STANDARD_ROWS)
    rows[4] = ("效益指标", "生态效益指标", "林下生态环境保护", "林下植被不破坏", "部分达成（2处种植点植被破坏）", "30", "30", "")
    [f] = run(full_report(rows=rows), "D08")
    assert f.kind == "score_inflation" and "部分达成" in f.message


def test_d13_grades_no_sum_of_rows_that_may_not_be_all_of_them():
    rows = list(STANDARD_ROWS)[:3]  # 45 points of rows read, the rest of the form past the cut
    text = full_report(rows=rows, total=None, conclusion="本项目自评等级为优。")
    cut = text[:text.rindex("\n", 0, len(text) - 1)] + "\n\t成本指标\t每公里维修成本\t≤3万元"
    assert run(cut, "D13") == []


def test_d16_rows_left_unscored_together_are_one_finding():
    """Two benefit rows that carry a weight and nothing else are one gap in the form, not two."""
    rows = list(STANDARD_ROWS)
    rows[4:5] = [("效益指标", "经济效益指标", "带动农户增收", "", "", "15", "", ""),
                 ("", "生态效益指标", "节水效果", "", "", "15", "", "")]
    [f] = run(full_report(rows=rows), "D16")
    assert "带动农户增收" in f.message and "节水效果" in f.message and "2项" in f.message
    assert len(f.evidence) == 2
    rows[5] = ("", "生态效益指标", "节水量", "≥5万吨", "5.2万吨", "15", "15", "")
    [f] = run(full_report(rows=rows), "D16")
    assert f.message.startswith("带动农户增收：指标有分值15")
