"""Rules D53–D60: what the 自评表 leaves empty or fills with words instead of results."""

from __future__ import annotations

try:
    from rulekit import STANDARD_ROWS, full_report, funds_table, run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import STANDARD_ROWS, full_report, funds_table, run


def _rows(**changes):
    """STANDARD_ROWS with rows replaced by index."""
    rows = list(STANDARD_ROWS)
    for i, r in changes.items():
        rows[int(i[1:])] = r
    return rows


def test_D53_funds_row_without_rate_or_execution():
    [f] = run(full_report(funds=funds_table(rate="")), "D53")
    assert "执行率" in f.message and f.kind == "missing"
    assert run(full_report(), "D53") == []
    # a 转移支付 form has no 分值/执行率/得分 columns for its funds: no rate is missing
    transfer = ("项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\n"
                "\t年度资金总额\t185.00\t185.00\t157.25\n\t其中：中央补助\t185.00\t185.00\t157.25\n")
    assert run(full_report(funds=transfer), "D53") == []
    [g] = run(full_report(funds=funds_table(executed="", rate="", score="")), "D53")
    assert "全年执行数" in g.message


def test_D54_scored_row_without_target_or_result():
    bad = _rows(r1=("", "质量指标", "工程质量合格", "", "", "15", "15", ""))
    [f] = run(full_report(rows=bad), "D54")
    assert "工程质量合格" in f.message
    assert run(full_report(), "D54") == []


def test_D55_result_written_as_the_target_range():
    bad = _rows(r5=("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "≥90%", "10", "10", ""))
    [f] = run(full_report(rows=bad), "D55")
    assert "群众满意度" in f.message
    assert run(full_report(), "D55") == []
    [g] = run(full_report(extra="群众满意度年初目标值≥90%，实际完成值≥90%。"), "D55")
    assert "实际完成值≥90%" in g.evidence[0].quote
    assert run(full_report(extra="群众满意度实际完成值为93.5%。"), "D55") == []
    # in the 完成情况 section a rate written as a range is no result; a measured one is
    [h] = run(full_report(extra="工作任务及时完成率≥90%，资金按时下达。"), "D55")
    assert "≥90%" in h.evidence[0].quote
    assert run(full_report(extra="工作任务及时完成率达96%。"), "D55") == []
    assert run(full_report(extra="年度目标为及时完成率≥90%。"), "D55") == []


def test_D56_stock_phrase_as_the_result():
    goal = "年度总体目标 | 预期目标 | 实际完成情况\n完成20公里管网维修，保障2万人饮水安全。 | 完成年度目标。\n"
    [f] = run(full_report(extra="\n" + goal), "D56")
    assert f.evidence[0].quote == "完成年度目标。"
    specific = "年度总体目标 | 预期目标 | 实际完成情况\n完成20公里管网维修。 | 完成维修管网21公里，惠及2.1万人。\n"
    assert run(full_report(extra="\n" + specific), "D56") == []
    # inside a sentence with content before it, the phrase is not the whole answer
    assert run(full_report(extra="项目按期推进，较好地完成年度目标。"), "D56") == []
    every = "年度总体目标 | 预期目标 | 实际完成情况\n完成20公里管网维修。 | 全面完成年度各项目标任务。\n"
    [f] = run(full_report(extra="\n" + every), "D56")
    assert f.evidence[0].quote == "全面完成年度各项目标任务。"
    assert run(full_report(extra="\n2、完成的绩效目标。\n经过自评，完成维修管网21公里。"), "D56") == []  # a heading
    stock = "年度总体目标 | 预期目标 | 实际完成情况\n| 完成20公里管网维修，保障2万人饮水安全。 | 全县管网维修工作稳步推进，各项工作有序开展。 |\n"
    [f] = run(full_report(extra="\n" + stock), "D56")
    assert f.evidence[0].quote == "全县管网维修工作稳步推进，各项工作有序开展。"
    said = stock.replace("全县管网维修工作稳步推进，各项工作有序开展。", "全县管网维修工作稳步推进，完成维修21公里。")
    assert run(full_report(extra="\n" + said), "D56") == []
    reversed_order = "年度总体目标 | 预期目标 | 实际完成情况\n完成20公里管网维修。 | 年度目标全面完成。\n"
    [f] = run(full_report(extra="\n" + reversed_order), "D56")
    assert f.evidence[0].quote == "年度目标全面完成。"


def test_D57_result_copies_the_target():
    bad = _rows(r4=("效益指标", "社会效益指标", "河道环境", "美化河道周边环境。", "美化河道周边环境。", "30", "30", ""))
    [f] = run(full_report(rows=bad), "D57")
    assert "河道环境" in f.message and f.kind == "boilerplate"
    assert run(full_report(), "D57") == []
    short = _rows(r4=("效益指标", "社会效益指标", "管理制度", "健全", "健全", "30", "30", ""))
    assert run(full_report(rows=short), "D57") == []
    # one short phrase as the indicator's name, its target and its result
    triple = _rows(r4=("效益指标", "社会效益指标", "美化环境。", "美化环境。", "美化环境。", "30", "30", ""))
    [f] = run(full_report(rows=triple), "D57")
    assert "美化环境" in f.message
    named = _rows(r4=("效益指标", "社会效益指标", "美化环境", "美化环境", "已美化", "30", "30", ""))
    assert run(full_report(rows=named), "D57") == []


def test_D58_quantity_indicator_without_a_number():
    bad = _rows(r0=("产出指标", "数量指标", "维修管网长度", "完成主干管网维修", "完成主干管网维修", "20", "20", ""))
    [f] = run(full_report(rows=bad), "D58")
    assert "维修管网长度" in f.message
    assert run(full_report(), "D58") == []
    # a name that promises no quantity is not judged by this rule
    system = _rows(r0=("产出指标", "数量指标", "公车信息系统", "上级考核", "通过", "20", "20", ""))
    assert run(full_report(rows=system), "D58") == []


def test_D59_vague_result_scored_in_full():
    bad = _rows(r4=("效益指标", "社会效益指标", "群众饮水保障", "保障农村群众饮水安全", "程度较高", "30", "30", ""))
    [f] = run(full_report(rows=bad), "D59")
    assert "程度较高" in f.message
    partial = _rows(r4=("效益指标", "社会效益指标", "群众饮水保障", "保障农村群众饮水安全", "程度较高", "30", "25", "部分村组未覆盖"))
    assert run(full_report(rows=partial), "D59") == []


def test_D60_announced_content_never_comes():
    text = full_report().replace("三、绩效目标完成情况\n", "项目分解下达绩效目标，绩效目标如下：\n三、绩效目标完成情况\n")
    [f] = run(text, "D60")
    assert f.evidence[0].quote.endswith("绩效目标如下：")
    given = full_report().replace("三、绩效目标完成情况\n", "绩效目标如下：\n1.维修管网20公里。\n三、绩效目标完成情况\n")
    assert run(given, "D60") == []
    opening = full_report().replace("一、项目基本情况\n", "现将自评情况报告如下：\n一、项目基本情况\n")
    assert run(opening, "D60") == []
    # the next heading carries its body on its own line: （三）项目组织实施情况。县残联负责…
    inline = full_report().replace("三、绩效目标完成情况\n", "资金分配及使用明细见下表:\n（三）项目组织实施情况。县残联负责补贴对象资格初审，"
                                                    "县民政局负责审核认定，县财政局按月直接发放至补贴对象账户。\n三、绩效目标完成情况\n")
    [f] = run(inline, "D60")
    assert f.evidence[0].quote.endswith("见下表:")


def test_D63_indicator_under_the_wrong_category():
    bad = _rows(r4=("效益指标", "经济效益指标", "全市安全度汛", "安全度汛", "安全度汛", "30", "30", ""))
    [f] = run(full_report(rows=bad), "D63")
    assert "全市安全度汛" in f.message
    money = _rows(r0=("产出指标", "数量指标", "成本控制", "不超过预算", "不超过预算", "20", "20", ""))
    [g] = run(full_report(rows=money), "D63")
    assert "资金或成本" in g.message
    good = _rows(r4=("效益指标", "经济效益指标", "灌区亩均增收", "≥100元", "126元", "30", "30", ""))
    assert run(full_report(rows=good), "D63") == []
    assert run(full_report(), "D63") == []
    process = _rows(r4=("效益指标", "社会效益指标", "签订定点康复机构服务协议数", "≥6家", "6家", "30", "30", ""))
    [h] = run(full_report(rows=process), "D63")
    assert "工作过程" in h.message
    # the same count as an output is where it belongs
    output = _rows(r0=("产出指标", "数量指标", "签订定点康复机构服务协议数", "≥6家", "6家", "20", "20", ""))
    assert run(full_report(rows=output), "D63") == []


def test_D65_weights_without_scores():
    rows = [r[:6] + ("", "") for r in STANDARD_ROWS]
    [f] = run(full_report(rows=rows, total=("100", "")), "D65")
    assert "没有自评得分" in f.message
    assert run(full_report(), "D65") == []


def test_D66_the_same_clause_again_and_again():
    bad = full_report(extra="及时拨付项目资金，履行项目资金保障监督责任；及时拨付项目资金，履行项目资金保障监督责任。")
    [f] = run(bad, "D66")
    assert f.kind == "boilerplate" and len(f.evidence) == 2
    assert run(full_report(), "D66") == []
    twice = full_report(extra="项目改善了残疾人生活条件，增强了综合服务事业的可持续发展能力，是缩小差距的现实需要，"
                              "增强了综合服务事业的可持续发展能力。")
    [f] = run(twice, "D66")
    assert "同一句中" in f.message and f.evidence[0].quote.count("增强了综合服务事业的可持续发展能力") == 2
    # a fact restated in another sentence is normal
    assert run(full_report(extra="增强了综合服务事业的可持续发展能力。另外，增强了综合服务事业的可持续发展能力。"), "D66") == []


def test_D67_benefits_only_in_stock_words():
    bad = full_report(extra="\n4、社会效益：康复服务水平有所提高；车主出行便利程度有所提高；社会氛围有所改善。")
    [f] = run(bad, "D67")
    assert "有所提高" in f.message
    good = full_report(extra="社会效益：康复服务覆盖率由85%提高到100%，出行便利程度有所提高。")
    assert run(good, "D67") == []
    assert run(full_report(measures="下一步将进一步提升服务水平，不断提高群众满意度。"), "D67") == []


def test_D78_purpose_written_as_the_result():
    bad = full_report(extra="项目是加强残疾人综合服务体系建设、缩小残疾人生活状况与社会平均水平差距的现实需要。")
    [f] = run(bad, "D78")
    assert "现实需要" in f.message and f.kind == "boilerplate"
    # in the 基本情况, the purpose belongs; in the results, a figure is no purpose phrase
    basic = full_report().replace("项目对全县20公里供水管网进行维修。", "项目是保障农村饮水安全的现实需要。")
    assert run(basic, "D78") == []
    assert run(full_report(), "D78") == []
    # a result stated as support given is not a purpose phrase
    assert run(full_report(extra="项目为全县农村饮水安全提供了重要保障。"), "D78") == []


def test_D56_a_goal_without_figures_answered_only_with_done():
    cells = "年度总体目标\n预期目标\n实际完成情况\n加强河道管护，改善水生态环境，促进河湖长治久清。\n已完成。\n"
    [f] = run(full_report(extra="\n" + cells), "D56")
    assert f.kind == "boilerplate"
    assert [e.quote for e in f.evidence] == ["加强河道管护，改善水生态环境，促进河湖长治久清。", "已完成。"]
    # a goal with figures says what was to be done: "已完成" answers it, if thinly
    figures = cells.replace("加强河道管护，改善水生态环境", "全年巡河1200次，清理河道垃圾300吨")
    assert run(full_report(extra="\n" + figures), "D56") == []
    # a result that says what was done is no stock answer
    done = cells.replace("已完成。", "巡河1260次，清理垃圾315吨，县控断面达标率100%。")
    assert run(full_report(extra="\n" + done), "D56") == []


def test_D60_a_table_announced_with_suoshi():
    text = full_report().replace("三、绩效目标完成情况\n", "资金支出明细如下表所示：\n三、绩效目标完成情况\n")
    [f] = run(text, "D60")
    assert f.evidence[0].quote.endswith("如下表所示：")
    assert "“资金支出明细如下表所示：”" in f.message  # the announcing clause, not a cut figure
    given = text.replace("如下表所示：\n", "如下表所示：\n支出项目\t金额（万元）\n管材采购\t62.00\n")
    assert run(given, "D60") == []


def test_D60_an_announced_table_after_qingkuang():
    text = full_report().replace("三、绩效目标完成情况\n", "各乡镇补贴兑付情况如下表：\n（二）绩效目标完成情况\n三、绩效目标完成情况\n")
    [f] = run(text, "D60")
    assert f.evidence[0].quote.endswith("情况如下表：")


def test_D34_a_regional_transfer_report_and_a_department_report_have_their_own_outlines():
    from rulekit import HEADER

    body = ("一、资金投入情况\n共安排资金2800万元，执行2784.16万元。\n二、绩效目标完成情况\n完成补偿面积218.6万亩。\n"
            "三、偏差情况说明\n无。\n四、林农满意度调查情况\n抽取400户，满意374户，满意度93.5%。\n")
    regional = "甲旗2018年度森林生态效益补偿资金区域绩效自评报告\n" + body
    assert run(regional, "D34") == []
    project = HEADER + body
    [f] = run(project, "D34")
    assert "自评结论" in f.message


def test_D50_a_result_left_as_a_dash_or_sent_back_to_the_target():
    dash = "年度总体目标 预期目标:实现全县142个行政村生活垃圾收运全覆盖。 实际完成情况:——\n绩效指标 一级指标 二级指标\n"
    [f] = run(full_report(extra="\n" + dash), "D50")
    assert f.stated == "——"
    same = ("年  预期目标                       实际完成情况\n度  落实禁牧120万亩,补奖资金足额兑付到户。   同预期目标。\n总\n体\n目\n标\n"
            "绩效指标 一级指标 二级指标\n")
    [f] = run(full_report(extra="\n" + same), "D50")
    assert f.stated == "同预期目标"
    filled = dash.replace("实际完成情况:——", "实际完成情况:142个行政村全覆盖，无害化处理率97.2%。")
    assert run(full_report(extra="\n" + filled), "D50") == []


def test_D15_points_at_where_the_form_ends_without_satisfaction():
    rows = [r for r in STANDARD_ROWS if "满意" not in r[2]]
    [f] = run(full_report(rows=rows, total=("90", "89")), "D15")
    assert len(f.evidence) == 2 and f.evidence[1].quote.startswith("总分")


def test_D63_power_generation_is_an_economic_benefit():
    rows = _rows(r4=("效益指标", "经济效益指标", "全年发电量", "≥1050万千瓦时", "1068万千瓦时", "30", "30", ""))
    assert run(full_report(rows=rows), "D63") == []
