"""Rules on the narrative: sums, products, shares, remainders, dates, years, sections."""

from rulekit import HEADER, STANDARD_ROWS, full_report, funds_table, indicator_table, narrative, run


def report(**kw) -> str:
    return HEADER + narrative(**kw)


def test_d27_components_must_add_up():
    bad = report(extra="其中：运维合同7.2万元；外包合同29.72万元，合计32.92万元。")
    [f] = run(bad, "D27")
    assert f.expected == "36.92万元" and f.stated == "32.92万元"
    assert run(report(extra="其中：运维合同7.2万元；外包合同29.72万元，合计36.92万元。"), "D27") == []


def test_d27_list_before_total():
    bad = report(extra="车辆维修保养费12.50万元、车辆保险费8.00万元，合计21.00万元。")
    [f] = run(bad, "D27")
    assert f.expected == "20.5万元"


def test_d27_total_then_parts():
    bad = report(extra="做出预算237965元，其中显示屏19345元；灯带45020元；桌椅173600元。全年执行237965元。")
    assert run(bad, "D27") == []  # 19345 + 45020 + 173600 = 237965
    worse = report(extra="做出预算237965元，其中显示屏19345元；灯带45020元；桌椅183600元。")
    assert run(worse, "D27")
    # a total named by its total word (总投资) with the parts after it, joined by commas
    named = report(extra="项目总投资3900万元,其中中央财政资金2340万元,省级财政资金936万元,县级配套资金524万元。")
    [f] = run(named, "D27")
    assert f.stated == "3900万元" and f.expected == "3800万元"
    # parts that add up to a subtotal named after them are not the total's parts
    sub = report(extra="项目总投资4200万元，其中中央补助2460万元、省级补助520万元、县级配套980万元，"
                       "合计财政资金3960万元；居民出资240万元。")
    assert run(sub, "D27") == []
    # the breakdown opens the sentence after the one the total ends
    nxt = report(extra="全年发放985.68万元，预算执行率98.57%。其中：生活补贴发放404.64万元；护理补贴发放591.04万元。")
    [f] = run(nxt, "D27")
    assert f.stated == "985.68万元" and f.expected == "995.68万元"
    # … but not when the list stops short of a further item of that sentence
    short = report(extra="全年支出411.60万元，预算执行率98.00%。其中：外包服务费356.40万元（一标段128.70万元），"
                         "补植费38.20万元，灌溉水电费17.00万元。")
    assert run(short, "D27") == []
    # items named alike by their payment word (改造支出 …，运维支出 …) are one list
    spent = report(extra="全年支出558.00万元，预算执行率90%。其中LED改造支出378.00万元，运维支出190.00万元；未支付的尾款62.00万元为质保金。")
    [f] = run(spent, "D27")
    assert f.stated == "558.00万元" and f.expected == "568万元"
    # a payment clause that is not the items' shared name still ends the list
    paid = report(extra="项目总投资120万元，其中设备购置70万元，已支付工程款50万元。")
    assert run(paid, "D27") == []
    # 上年结转资金 is one of the sources, not money left over
    sources = report(extra="项目资金96万元，其中省级补助资金56万元、县级配套资金24万元、上年结转资金16万元。")
    assert run(sources, "D27") == []


def test_d27_breakdown_in_the_next_sentence():
    # the parts open the sentence after the total, are joined by commas and named alike; a detail in
    # brackets is not one of them
    bad = report(extra="安排专项资金项目共计20个，财政资金500万元。其中评为“优”的项目12个财政资金300万元；"
                       "评为“良”的项目5个财政资金150万元，评为“差”的项目3个财政资金80万元（人才项目2个6万元），分别是：")
    [f] = run(bad, "D27")
    assert f.expected == "530万元" and f.stated == "500万元"
    good = bad.replace("80万元（", "50万元（")
    assert run(good, "D27") == []
    # a clause after a comma that is not named like the list is not a part
    other = report(extra="下达资金100万元。其中中央资金50万元；省级资金30万元，已支出70万元。")
    [f] = run(other, "D27")
    assert f.expected == "80万元"


def test_d28_count_times_unit_price():
    bad = report(extra="慰问27个单位，标准1000元/个，慰问金2.8万元。")
    [f] = run(bad, "D28")
    assert f.expected == "2.7万元"
    assert run(report(extra="慰问27个单位，标准1000元/个，慰问金2.7万元。"), "D28") == []
    assert run(report(extra="为30个助餐点各配备消毒柜1台，单价1200元，计3.80万元。"), "D28")


def test_d29_same_total_stated_twice():
    bad = report(extra="以上项目总投资237.95万元。因该项目总金额237.5万元支付缓慢。")
    assert run(bad, "D29")
    assert run(report(extra="以上项目总投资237.95万元。该项目总金额237.95万元。"), "D29") == []


def test_d30_percent_of_total():
    bad = report(extra="招标价1736.18万元。累计支付800万元，占合同总金额的45%。")
    [f] = run(bad, "D30")
    assert f.expected == "46.08%"
    assert run(report(extra="合同金额200万元，已支付90万元，占合同金额的45%。"), "D30") == []


def test_d30_a_counts_share_of_a_whole_counted_elsewhere():
    base = "全县共有运营车辆812辆，线路58条。"
    bad = report(extra=base + "全市新能源公交车676辆，占运营车辆总数的87.2%，完成年度目标。")
    [f] = run(bad, "D30")
    assert f.expected == "83.25%" and f.stated == "87.2%"
    assert run(report(extra=base + "全市新能源公交车676辆，占运营车辆总数的83.3%。"), "D30") == []
    # two different wholes (two years' fleets): which one the share is of is not known
    two = "2019年运营车辆790辆，2020年运营车辆812辆。"
    assert run(report(extra=two + "新能源公交车676辆，占运营车辆总数的87.2%。"), "D30") == []


def test_d31_remainder():
    bad = report(extra="预算资金合计36.92万元，截止11月已支付36.92万元，剩余0.08万元退回财政。")
    assert run(bad, "D31")
    assert run(report(extra="预算资金合计37万元，截止11月已支付36.92万元，剩余0.08万元退回财政。"), "D31") == []


def test_d32_deduction_arithmetic():
    assert run(report(extra="本项应得分10分，扣10分，评价得分10分。"), "D32")
    assert run(report(extra="本项应得分10分，扣0分，评价得分10分。"), "D32") == []


def test_d37_planned_vs_actual_dates():
    bad = report(extra="计划开工日期：2023年7月13日。实际开工时间为：2023年7月29日。")
    [f] = run(bad, "D37")
    assert "16天" in f.message
    ok = report(extra="计划开工日期：2023年7月13日。实际开工时间为：2023年7月29日，因雨季推迟。")
    assert run(ok, "D37") == []
    assert run(report(extra="计划2023年6月30日前完工，项目于2023年9月15日完工。"), "D37")


def test_d38_unexplained_funding_gap():
    def text(funds: str) -> str:
        return HEADER + narrative().replace("全年预算数100万元，执行数90万元，预算执行率90%。", funds)

    assert run(text("租赁费合计304800元。财政拨付30万元，执行数30万元，预算执行率100%。"), "D38")
    assert run(text("租赁费合计304800元。财政拨付30万元，差额4800元由单位公用经费列支。"), "D38") == []


def test_d39_part_scores_vs_total():
    bad = HEADER + ("一、基本情况\n略。\n二、绩效分析\n1.产出指标（指标分值50分，得分50分）\n2.效益指标（指标分值30分，得分30分）\n"
                    "3.满意度指标（指标分值10分，得分10分）\n四、自评结论\n本项目自评评价得分98分。\n")
    [f] = run(bad, "D39")
    assert f.expected == "90"


def test_d40_narrative_weights_vs_table():
    bad = full_report(extra="成本指标方面共10分，得10分。")
    flags = run(bad, "D40")
    assert flags and flags[0].expected == "5"


def test_d41_admitted_quality_problem():
    assert run(full_report(extra="但存在平台建设质量问题及设备质量问题。"), "D41")
    assert run(full_report(), "D41") == []


def test_d42_budget_vs_appropriation():
    def text(funds: str) -> str:
        return HEADER + narrative().replace("全年预算数100万元，执行数90万元，预算执行率90%。", funds)

    assert run(text("财政拨付我中心改造项目资金20万元。全年预算数237965元，执行数237965元。"), "D42")
    assert run(text("财政拨付后勤经费80万元，拨付配餐经费10万元。全年预算数90万元。"), "D42") == []


def test_d19_narrative_rate():
    bad = HEADER + narrative().replace("预算执行率90%", "预算执行率95%")
    [f] = run(bad, "D19")
    assert f.expected == "90%"
    assert run(HEADER + narrative(), "D19") == []


def test_d21_year_consistency():
    bad = full_report().replace("（2023年度）", "（2022年度）")
    assert run(bad, "D21")
    assert run(report(extra="本年度于2022年11月20日完成招标。"), "D21")
    assert run(full_report(), "D21") == []


def test_d23_empty_problems():
    [f] = run(report(problems="暂无。"), "D23")
    assert f.kind == "missing"
    assert run(report(), "D23") == []
    # a sentence saying there is no problem is a "none" answer too, however it is introduced
    for none in ("经自评，本项目在实施过程中不存在问题。", "经自查，项目未发现问题。"):
        assert run(report(problems=none), "D23")
    assert run(report(problems="经自评，本项目存在资金拨付滞后问题，9月才拨付到位。"), "D23") == []
    # a text cut off right after a heading: what the heading held was not seen
    cut = report().split("六、改进措施")[0] + "六、改进措施\n"
    assert run(cut, "D23") == []
    assert run(cut + "无。\n", "D23")


def test_j01_stock_measures_over_a_page_break():
    from reviewer.models import SourceDocument
    from reviewer.parse import parse_source
    from vectorstore.generic import vague_parts

    text = report(measures="进一步加强资金管理，严格执行相关制度，确保资金安全，提高资金使用效益。\n第1页")
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    [(piece, why)] = vague_parts(parsed, parsed.reports[0])
    assert piece.kind == "measures" and "第1页" not in piece.text


def test_d25_admission_with_high_score():
    bad = report(problems="县乡村三级政务外网畅通率仅达到95%，未能实现100%。", conclusion="本项目自评得分99分。")
    assert run(bad, "D25")


def test_d33_numbering_break():
    bad = report().replace("五、存在的问题", "5、 存在的问题")
    [f] = run(bad, "D33")
    assert f.expected == "五、"
    assert run(report(), "D33") == []


def test_d34_missing_sections():
    text = HEADER + "一、项目基本情况\n略。\n二、项目资金情况\n略。\n三、绩效目标完成情况\n略。\n四、绩效评价的结果和意义\n略。\n"
    [f] = run(text, "D34")
    assert "存在的问题" in f.message and "改进措施" in f.message
    assert run(report(), "D34") == []


TRANSFER = (HEADER + "一、绩效目标分解下达情况\n下达资金56万元。\n二、绩效目标自评工作开展情况\n略。\n"
            "三、绩效目标自评完成情况分析\n全部完成。\n四、绩效自评结果拟应用和公开情况\n在系统内部公开。\n")


def test_d34_d35_transfer_payment_outline():
    # this outline has no 自评结论, and its 四、结果拟应用和公开情况 is not one
    assert run(TRANSFER, "D34") == [] and run(TRANSFER, "D35") == []
    # a deduction in the form asks for the 偏离原因 section
    rows = "\n项目支出绩效自评表\n" + indicator_table([("产出指标", "数量指标", "新建排水沟", "1300米", "1100米", "20", "16", "")],
                                                ("20", "16"))
    [f] = run(TRANSFER + rows, "D34")
    assert "偏离绩效目标的原因" in f.message
    assert run(TRANSFER.replace("三、绩效目标自评完成情况分析", "三、偏离绩效目标的原因和下一步改进措施") + rows, "D34") == []


def test_d35_conclusion_without_score():
    assert run(report(conclusion="一是我中心高度重视项目评价工作。"), "D35")
    assert run(report(), "D35") == []
    # a grade alone: said as such, at the grade
    [f] = run(report(conclusion="综上所述，绩效目标全面完成，自评等级为“优”。"), "D35")
    assert "只给出等级“优”" in f.message and "等级为" in f.evidence[0].quote


def test_d36_unquantified_goal():
    text = HEADER + "一、项目基本情况\n（一）项目概况\n略。\n（二）项目绩效目标\n严格按照合同规定进行维修改造，保障机关工作正常运行。\n二、资金\n略。\n"
    assert run(text, "D36")
    good = text.replace("严格按照合同规定进行维修改造", "6月底前完成2400平方米屋面防水")
    assert run(good, "D36") == []


def test_d20_unit_scale():
    bad = report(extra="截至12月已支付900000万元。")
    [f] = run(bad, "D20")
    assert "一万倍" in f.message or "倍" in f.message
    assert run(report(extra="截至12月已支付900000元。"), "D20") == []


def test_d28_needs_every_factor():
    bad = report(extra="重度残疾人护理补贴5380人，每人每月90元，全年发放591.04万元。")
    [f] = run(bad, "D28")
    assert f.expected == "581.04万元"
    ok = report(extra="河道保洁员64人，每人每月补助500元，全年38.4万元。")
    assert run(ok, "D28") == []
    assert run(report(extra="新建道路46公里，平均造价15.5万元/公里，计735万元。"), "D28")


def test_d28_count_from_the_price_paragraph_when_the_report_gives_two():
    para = "2023年县财政对全县126个行政村安排办公经费，按每村3万元标准安排，共计387万元。"
    later = "\n全县118个行政村的经费全部拨付到位。"
    [f] = run(report(extra=para + later), "D28")
    assert f.expected == "378万元" and "126个行政村" in f.message
    assert run(report(extra=para.replace("387", "378") + later), "D28") == []
    # a date is not a count of months: 2023年3月 gives no factor for 每月
    assert run(report(extra="2023年3月起，为64名保洁员每人每月补助500元，全年发放38.4万元。\n另有保洁员70名。"), "D28") == []


def test_d30b_named_share():
    bad = report(extra="财政资金3960万元，其中县级配套980万元。县级配套资金占财政资金的27.5%。")
    [f] = run(bad, "D30B")
    assert f.expected == "24.75%"
    assert run(report(extra="财政资金3960万元，其中县级配套980万元。县级配套资金占财政资金的24.75%。"), "D30B") == []


def test_d29b_transposed_count():
    bad = report(extra="全年实际参训乡村教师1164人次。参训乡村教师1146人次，完成率95.5%。")
    assert run(bad, "D29B")
    assert run(report(extra="全年实际参训乡村教师1146人次。参训乡村教师1146人次。"), "D29B") == []


def test_d48_indicator_count():
    bad = full_report(extra="自评表共设置9项指标。")
    [f] = run(bad, "D48")
    assert f.expected == "7"  # 6 rows + 预算执行率
    assert run(full_report(extra="自评表共设置7项指标。"), "D48") == []


def test_d49_claims_all_done_with_shortfall():
    from rulekit import STANDARD_ROWS
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "维修管网长度", "≥20公里", "18公里", "20", "18", "资金不足")
    bad = full_report(rows=rows, total=("100", "97"), extra="项目全面完成年度任务。")
    assert run(bad, "D49")
    assert run(full_report(extra="项目全面完成年度任务。"), "D49") == []


def test_d40_group_score_claim():
    bad = full_report(extra="产出指标得分49分。")
    [f] = run(bad, "D40")
    assert f.expected == "50"


def test_d50_empty_overall_goal():
    text = full_report().replace("项目资金（万元）", "年度总体目标\t预期目标\t实际完成情况\n\t\t\n项目资金（万元）")
    assert run(text, "D50")
    filled = full_report().replace("项目资金（万元）", "年度总体目标\t预期目标\t实际完成情况\n\t维修20公里\t维修21公里\n项目资金（万元）")
    assert run(filled, "D50") == []


def test_d27b_count_components():
    bad = report(extra="优抚对象共计1672人，其中伤残人员412人、复员军人86人、带病回乡134人、参战参试958人、烈士遗属37人。")
    [f] = run(bad, "D27B")
    assert f.expected == "1627人"
    assert run(report(extra="开展活动共计38场次，其中进校园18场次、进社区14场次、进景区6场次。"), "D27B") == []
    # what the parts reach, after them, is not one more part
    reach = "共安排项目42个，其中本体修缮项目28个、安防消防项目9个、考古勘探项目5个，涉及18个市（州）。"
    assert run(report(extra=reach), "D27B") == []
    assert run(report(extra=reach.replace("5个，", "6个，")), "D27B")


def test_d27c_spending_items_vs_executed():
    text = HEADER + narrative().replace("全年预算数100万元，执行数90万元，预算执行率90%。",
                                        "全年预算数100万元，执行数90万元，预算执行率90%。全年支出中，人员经费50万元，材料30万元，宣传8万元。")
    [f] = run(text, "D27C")
    assert f.expected == "90万元"
    ok = text.replace("宣传8万元", "宣传10万元")
    assert run(ok, "D27C") == []


def test_d47_reversed_range():
    assert run(report(extra="实施期为2023年1月1日至2022年12月31日。"), "D47")
    assert run(report(extra="实施期为2023年1月1日至2023年12月31日。"), "D47") == []


def test_d51_spent_all_claim():
    assert run(report(extra="项目资金已全部支付完毕。"), "D51")  # the template's 执行率 is 90%
    ok = HEADER + narrative().replace("预算执行率90%", "预算执行率100%").replace("执行数90万元", "执行数100万元")
    assert run(ok.replace("完成维修管网21公里。", "完成维修管网21公里。项目资金已全部支付完毕。"), "D51") == []


def test_d51_payout_rate_of_100_against_low_execution():
    from rulekit import HEADER as H, STANDARD_ROWS, funds_table, indicator_table

    rows = list(STANDARD_ROWS)
    rows[2] = ("", "时效指标", "补贴资金兑付率", "100%", "100%", "10", "10", "")
    low = funds_table(budget="125", executed="97.5", rate="78%", score="7.8")
    [f] = run(H + low + indicator_table(rows) + narrative(), "D51")
    assert "补贴资金兑付率" in f.message and "78%" in f.message
    # 98.57% executed: a few points may be fees or rounding; a 社会化发放率 is how, not how much
    high = funds_table(budget="100", executed="98.57", rate="98.57%", score="9.86")
    assert run(H + high + indicator_table(rows) + narrative(), "D51") == []
    rows[2] = ("", "时效指标", "补贴资金社会化发放率", "100%", "100%", "10", "10", "")
    assert run(H + low + indicator_table(rows) + narrative(), "D51") == []


def test_d21b_paragraph_in_wrong_year():
    assert run(report(extra="\n2022年度，我局严格按照上级核定的标准发放补助。"), "D21B")
    assert run(report(extra="\n2023年度，我局严格按照上级核定的标准发放补助。"), "D21B") == []


def test_d49_narrative_claim_against_admission():
    text = report(extra="项目圆满完成了年度绩效目标。", problems="一是3处漏损因管材到货滞后未完成修复。")
    assert run(text, "D49")


def test_label_line_problems_count_as_a_section():
    text = HEADER + "一、项目基本情况\n略。\n二、项目资金情况\n略。\n三、绩效目标完成情况\n略。\n四、自评结论\n本项目自评得分92分。\n存在问题：无。\n改进措施：2024年6月底前补齐台账。\n"
    [f] = run(text, "D23")
    assert "存在问题" in f.message


def test_d39_part_list_vs_stated_sum():
    bad = report(extra="经自评，产出指标45分、效益指标27分、满意度指标9分、预算执行8分，合计91分。")
    [f] = run(bad, "D39")
    assert f.expected == "89"
    assert run(report(extra="经自评，产出指标45分、效益指标27分、满意度指标9分、预算执行8分，合计89分。"), "D39") == []


def test_d27b_decomposition_without_total_word():
    bad = report(extra="全年新增市场主体3420户，其中企业865户、个体工商户2415户、农民专业合作社150户。")
    [f] = run(bad, "D27B")
    assert f.expected == "3430户"
    assert run(report(extra="活动共计38场次，其中进校园18场、进社区14场、进景区6场。"), "D27B") == []


def test_d20_implausible_magnitude():
    [f] = run(report(extra="支付工程监理费86500万元。"), "D20")
    assert "865倍" in f.message
    assert run(report(extra="全县地区生产总值105000万元。"), "D20") == []


def test_d45_percent_matches_only_its_own_row():
    from rulekit import STANDARD_ROWS
    rows = list(STANDARD_ROWS) + [("", "质量指标", "高血压患者规范管理率", "≥60%", "63.5%", "5", "5", ""),
                                  ("", "质量指标", "糖尿病患者规范管理率", "≥60%", "61.2%", "5", "5", "")]
    ok = full_report(rows=rows, extra="高血压患者规范管理率63.5%，糖尿病患者规范管理率61.2%。")
    assert run(ok, "D45") == []
    bad = full_report(rows=rows, extra="高血压患者规范管理率65.3%。")
    [f] = run(bad, "D45")
    assert f.expected == "63.5%"


def test_d28_count_from_elsewhere_in_the_report():
    bad = report(extra="全县118个行政村。其中：办公经费按每村3万元标准安排，共计387万元。")
    [f] = run(bad, "D28")
    assert f.expected == "354万元"
    assert run(report(extra="全县118个行政村。其中：办公经费按每村3万元标准安排，共计354万元。"), "D28") == []


def test_d27b_case_counts():
    [f] = run(report(extra="检出宫颈癌及癌前病变23例、乳腺癌9例，共计34例。"), "D27B")
    assert f.expected == "32例"


def test_d52_rate_from_counts_and_savings():
    [f] = run(report(extra="全县城乡居民参保26.35万人，应参保人数27.1万人，参保率98.2%。"), "D52")
    assert f.expected == "97.23%"
    assert run(report(extra="全县城乡居民参保26.35万人，应参保人数27.1万人，参保率97.23%。"), "D52") == []
    [g] = run(report(extra="项目年初预算145万元，中标金额131.46万元，节约资金13.54万元，节约率达10.3%。"), "D52")
    assert g.expected == "9.34%"


def test_d52_base_count_in_the_sentence_before():
    bad = "全年实际组织262名高校毕业生参加就业见习。见习期满后，被见习单位留用141人，见习留用率达58.3%。"
    [f] = run(report(extra=bad), "D52")
    assert f.expected == "53.82%" and "141 ÷ 262" in f.message
    assert run(report(extra=bad.replace("58.3%", "53.82%")), "D52") == []
    # the sentence before gives a target, not the base: no ratio to check
    target = "计划组织不少于300名高校毕业生参加就业见习。见习期满后，留用141人，见习留用率达58.3%。"
    assert run(report(extra=target), "D52") == []


def test_d52_a_completion_rate_against_the_count_the_goal_set():
    goal = "年度绩效目标:完成326座设施全年运维,设施正常运行率≥90%。\n镇政府每季度考核运维单位。"
    bad = goal + "全年完成318座设施运维,完成率100%。"
    [f] = run(report(extra=bad), "D52")
    assert f.expected == "97.55%" and "318 ÷ 326" in f.message
    assert run(report(extra=goal + "全年完成326座设施运维,完成率100%。"), "D52") == []
    # a count of another thing in the goal is not the base
    other = "年度绩效目标:新建326座化粪池,设施正常运行率≥90%。\n镇政府每季度考核运维单位。全年完成318座设施运维,完成率100%。"
    assert run(report(extra=other), "D52") == []


def test_d72_stock_conclusion():
    [f] = run(report(conclusion="预算编制质量较高，完成预算目标，总体评价良好。"), "D72")
    assert f.kind == "boilerplate" and "总体评价良好" in f.message
    assert run(report(), "D72") == []  # 本项目自评得分99分，等级为“优”。
    assert run(report(conclusion="项目自评等级为优，各项目标全面完成。"), "D72") == []
    long = "项目按计划实施，" * 12
    assert run(report(conclusion=long), "D72") == []  # a long conclusion is judged by other checks
    # a conclusion in the project's own words is not a stock phrase, even without a figure
    assert run(report(conclusion="通过免费开放，吸引了更多公众走进图书馆，读者好评。"), "D72") == []


def test_d75_unpaid_money_counted_as_spent():
    bad = report(extra="截至年末资金已使用120万元（含待支付合同进度款30万元），其余结转。")
    [f] = run(bad, "D75")
    assert "待支付合同进度款30万元" in f.message and f.kind == "contradiction"
    assert run(report(extra="资金已支付90万元，另有合同进度款30万元待支付。"), "D75") == []
    assert run(report(extra="下达资金120万元（含待拨付的第二批资金30万元）。"), "D75") == []  # no spending stated
    assert run(report(extra="项目执行中签订合同100万元（含未支付质保金5万元）。"), "D75") == []  # a contract, not spending


def test_d29c_listed_count_differs_from_the_stated_count():
    listed = "补助甲乡王家村2万元、乙乡新路4万元、丙社区三组2万元、丁乡大坝村2万元用于环境整治。"
    [f] = run(report(extra=listed + "10万元经费主要用于补助3个村开展整治。"), "D29C")
    assert "补助3个村" in f.message and "4处" in f.message
    assert run(report(extra=listed + "10万元经费主要用于补助4个村开展整治。"), "D29C") == []
    assert run(report(extra=listed + "经费用于支持3个村开展整治。"), "D29C") == []  # another verb, another count
    assert run(report(extra=listed + "经费主要用于补助三个村开展整治。"), "D29C")  # the count in Chinese numerals


def test_d29d_one_document_two_amounts():
    bad = report(extra="按照县财农〔2023〕12号文件下达资金50万元。年底根据县财农〔2023〕12号下达资金45万元开展验收。")
    [f] = run(bad, "D29D")
    assert "50万元" in f.message and "45万元" in f.message
    same = bad.replace("45万元", "50万元")
    assert run(same, "D29D") == []
    listed = report(extra="县财农〔2023〕12号下达甲村30万元、乙村20万元。县财农〔2023〕12号下达资金50万元。")
    assert run(listed, "D29D") == []  # the first of a list is not the document's amount
    two = report(extra="县财农〔2023〕12号下达资金50万元；县财农〔2023〕15号下达资金45万元。")
    assert run(two, "D29D") == []


def test_d23_none_answers_in_forms_of_every_layout():
    form = HEADER + "\n项目支出绩效自评表\n" + funds_table() + indicator_table(STANDARD_ROWS, ("100", "99"))
    pipe = form + "| 存在问题 | 无 |\n| 改进措施 | 无 |\n"
    assert run(pipe, "D23")
    assert run(form + "| 存在问题 | 9月仍有3处漏损未修复 |\n| 改进措施 | 2024年3月底前修复 |\n", "D23") == []
    fields = ("项目支出绩效自评表 项目名称 送戏下乡 主管部门 县文旅局 实施单位 县文化馆 年度资金总额 50 50 48 10 96% 9.6 "
              "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 ")
    one_line = HEADER + fields * 2 + "存在问题 无 改进措施 继续做好演出工作 填报单位：县文旅局\n"
    [f] = run(one_line, "D23")
    assert "存在问题" in f.message
    glued = HEADER + fields * 2 + "存在问题暂无改进措施暂无\n"
    assert run(glued, "D23")
    # the 偏差原因分析及改进措施 column header is no section of its own
    assert run(HEADER + fields * 3 + "\n", "D23") == []


def test_d25_full_marks_with_execution_below_100():
    from rulekit import HEADER as H, STANDARD_ROWS, funds_table, indicator_table

    body = narrative(conclusion="本项目自评得分{}分，等级为“优”。".replace("{}", "{total}"))
    # every row full, 执行率 90% and still 10 of 10 for it: the total 100 ignores the shortfall
    bad = H + funds_table(score="10") + indicator_table(STANDARD_ROWS) + body.format(total="100")
    [f] = run(bad, "D25")
    assert "90%" in f.message
    # the same form with 执行率 scored 9 of 10: the total 99 carries the deduction
    ok = H + funds_table(score="9") + indicator_table(STANDARD_ROWS) + body.format(total="99")
    assert run(ok, "D25") == []


def test_d21_form_year_carried_over_from_last_year():
    form = ("丰渡县2020年农村公路养护项目 项目支出绩效自评表 ({y}年度) 项目名称 2020年农村公路养护 "
            "项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 410.00 410.00 397.70 10 97.00% 9.70 "
            "产出指标(50分) 数量指标 日常养护里程 ≥1,150公里 1,162公里 20 20 质量指标 优良中等路率 ≥75% 78% 10 10 "
            "时效指标 养护资金拨付时间 2020年12月31日前 2020年12月28日 20 20 效益指标(30分) 社会效益指标 通行时间 ≤2小时 1.8小时 30 30 "
            "满意度指标(10分) 服务对象满意度指标 沿线群众满意度 ≥85% 88% 10 10 总分 100 99.70\n")
    flags = run(form.format(y="2019"), "D21")
    assert any("2019年度" in f.message and "2020年" in f.message for f in flags)
    assert run(form.format(y="2020"), "D21") == []


def test_d29b_a_count_with_two_neighbouring_digits_swapped():
    # 1,150 and 1,510 are 24% apart: only the swap ties them, with the same words before both
    bad = report(extra="全年完成农村公路日常养护里程1,150公里。经自评，全年完成农村公路日常养护里程1,510公里。")
    [f] = run(bad, "D29B")
    assert "1,150公里" in f.message and "1,510公里" in f.message
    # digits that are not one swap apart are two counts
    assert run(report(extra="全年完成农村公路日常养护里程1,150公里。经自评，全年完成农村公路日常养护里程1,501公里。"),
               "D29B") == []


def test_d52_a_part_counted_out_of_a_whole_in_one_clause():
    bad = report(extra="全县62家农民专业合作社中有48家获得扶持，覆盖率达90.3%。")
    [f] = run(bad, "D52")
    assert f.expected == "77.42%"
    assert run(report(extra="全县62家农民专业合作社中有48家获得扶持，覆盖率达77.4%。"), "D52") == []


def test_d13_a_department_report_grades_each_project_by_its_own_score():
    text = (HEADER + "一、项目总体情况\n纳入自评的项目共3个，自评等级为“优”的2个、“良”的1个。\n"
            "二、各项目自评情况\n（一）甲项目执行率98%，自评得分96.5分，等级优。\n"
            "（二）乙项目执行率100%，自评得分98分，等级优。\n（三）丙项目执行率85%，自评得分86.5分，等级良。\n"
            "三、存在问题\n丙项目尾款18.9万元未付。\n四、改进措施\n6月底前完成结算。\n")
    assert run(text, "D13") == []
    [f] = run(text.replace("86.5分，等级良", "86.5分，等级优"), "D13")
    assert f.expected == "良" and f.stated == "优"


def test_d45_a_count_with_two_digits_swapped_against_a_form_cut_off():
    text = (HEADER + "三、绩效目标完成情况\n全年提供法律咨询6820人次，办结法律援助案件274件。\n"
            "项目支出绩效自评表\n一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n"
            "产出指标 数量指标 法律咨询服务人次 ≥6000人次 6280人次 10 10\n"
            "法律援助案件办结数 ≥300件 274件 10 9.13 案源减少\n质量指标 法律援助案件")
    [f] = run(text, "D45")
    assert "6820人次" in f.message and "6280人次" in f.message


def test_d19_an_amount_paid_out_against_the_forms_execution():
    form = ("\n项目支出绩效自评表\n" + funds_table(budget="450", executed="423", rate="94%", score="9.4",
                                                 parts=(("当年财政拨款", "450", "423"),)))
    bad = (HEADER + narrative()).replace("全年预算数100万元，执行数90万元，预算执行率90%。",
                                         "全年预算数450万元，实际兑付补助资金432.00万元，执行率96%。") + form
    [f] = [x for x in run(bad, "D19") if "432.00万元" in x.message]
    assert f.expected == "423"
    good = bad.replace("432.00万元，执行率96%", "423.00万元，执行率94%")
    assert not [x for x in run(good, "D19") if "兑付" in x.message]


def test_d27_a_list_of_counted_items_each_with_its_amount():
    bad = report(extra="市级下达资金420万元，其中：新建社区体育公园2个216万元，更新健身路径30套96万元，新建笼式足球场3片118万元。")
    [f] = run(bad, "D27")
    assert f.expected == "430万元"
    assert run(bad.replace("118万元", "108万元"), "D27") == []


def test_d55_a_satisfaction_result_written_as_its_range_in_prose():
    bad = report(extra="经调查，群众满意度≥90%。")
    [f] = run(bad, "D55")
    assert "群众满意度≥90%" in f.message
    assert run(report(extra="经调查，群众满意度为93.5%（问卷200份）。"), "D55") == []


def test_d52_a_rate_of_what_was_sampled():
    bad = report(extra="累计抽查公厕1440座次，合格1368座次，抽查合格率98.0%。")
    [f] = run(bad, "D52")
    assert f.expected == "95%"
    assert run(report(extra="累计抽查公厕1440座次，合格1368座次，抽查合格率95.0%。"), "D52") == []


def test_d45_a_figure_with_two_digits_swapped_needs_no_word_of_completion():
    rows = list(STANDARD_ROWS)
    rows[4] = ("效益指标", "社会效益指标", "参保老年人数", "≥18万人", "18.6万人", "30", "30", "")
    bad = full_report(rows=rows, extra="通过公开招标确定承保机构，全区为16.8万名老年人统一投保。")
    [f] = run(bad, "D45")
    assert "16.8万名" in f.message and "18.6万人" in f.message
    # a different count, not a slip of the same figure, needs a word of completion
    assert run(full_report(rows=rows, extra="通过公开招标确定承保机构，全区为15.2万名老年人统一投保。"), "D45") == []


def test_d21b_a_project_period_wholly_in_the_year_before():
    [f] = run(report(extra="项目实施期为2022年1月1日至2022年12月31日。"), "D21B")
    assert "2022年1月1日至2022年12月31日" in f.message
    assert run(report(extra="项目实施期为2022年1月至2024年12月。"), "D21B") == []  # a period that holds the year


def test_d28_an_amount_paid_at_a_rate_is_a_total_not_a_rate():
    bad = report(extra="为187名特别扶助对象按每人每年7440元标准发放扶助金134.64万元。")
    [f] = run(bad, "D28")
    assert f.expected == "139.128万元"
    assert run(report(extra="为187名特别扶助对象按每人每年7440元标准发放扶助金139.128万元。"), "D28") == []


def test_d44_a_third_of_a_month_holds_the_forms_date():
    rows = list(STANDARD_ROWS)
    rows[2] = ("", "时效指标", "工程完工时间", "2023年11月30日前", "2023年11月25日", "10", "10", "")
    good = full_report(rows=rows, extra="完成12处历史建筑修缮，工程于11月下旬全部完工。")
    assert run(good, "D44") == []
    [f] = run(full_report(rows=rows, extra="完成12处历史建筑修缮，工程于11月上旬全部完工。"), "D44")
    assert "11月" in f.stated


def test_d86_a_rate_of_one_source_of_the_money_is_not_the_projects_rate():
    extra = ("共安排资金2800.00万元，执行2784.16万元，执行率99.43%。中央资金执行2585.60万元，执行率100%；"
             "地方资金执行198.56万元，执行率92.61%。")
    text = (HEADER + narrative()).replace("全年预算数100万元，执行数90万元，预算执行率90%。", extra)
    assert run(text, "D86") == []
    [f] = run(text.replace("本项目自评得分99分", "预算执行率95%，本项目自评得分99分"), "D86")
    assert f.stated == "95%"


def test_d21b_the_project_named_with_last_years_year():
    text = report(conclusion="综上，2022年度农村饮水安全维修项目按计划完成，自评得分95分，等级为优。")
    [f] = run(text, "D21B")
    assert f.stated.startswith("2022年度农村饮水安全维修")
    assert run(report(conclusion="综上，2023年度农村饮水安全维修项目按计划完成，自评得分95分，等级为优。"), "D21B") == []


def test_d28_a_count_and_a_rate_in_the_bracket_after_the_amount():
    good = report(extra="其中：代表性传承人补助18.6万元（31人，每人每年6000元），传习所建设补助32万元。")
    assert run(good, "D28") == []
    [f] = run(good.replace("18.6万元（31人", "19.6万元（31人"), "D28")
    assert f.expected == "18.6万元" and f.stated == "19.6万元"


def test_d27_a_list_that_fills_its_sentence_named_item_by_item():
    bad = report(extra="全年实际支出80万元。其中：代表性传承人补助18.6万元（31人），传习所建设补助32万元，"
                       "展演活动经费12.4万元，数字化记录及资料出版经费15万元。")
    [f] = run(bad, "D27")
    assert f.expected == "78万元"
    assert run(bad.replace("15万元", "17万元"), "D27") == []


def test_d19_money_left_unspent_is_not_the_execution():
    text = (HEADER + narrative()).replace("全年预算数100万元，执行数90万元，预算执行率90%。",
                                          "全年预算100.00万元，实际支出90.00万元，预算执行率90%，未支出10.00万元结转下年。")
    assert run(text, "D19") == []


def test_d49_a_templates_heading_admits_nothing():
    text = report(extra="各项指标均已完成，完成市直养护里程1180.5公里，完成市直桥梁养护67座，路况优良率91.2%。"
                        "\n3.未完成的绩效目标。\n无。")
    assert run(text, "D49") == []


def test_d37_a_delay_put_down_to_a_cause_of_any_project():
    said = "春季集中免疫要求5月31日前完成，实际于6月12日完成，主要受客观原因影响。"
    [f] = run(report(extra=said), "D37")
    assert f.kind == "vague_problems" and "客观原因" in f.message
    [f] = run(report(extra="春季集中免疫要求5月31日前完成，实际于6月12日完成。"), "D37")
    assert f.kind == "contradiction"
