"""Long narrative reports and the small tables inside them (holdout19's shapes): a score
summary (指标 | 分值 | 得分), spending given in parts, shares of a total, scores on a summary
line, a section on the deviations, and parts a 第X部分 heading opens."""

from __future__ import annotations

try:
    from rulekit import HEADER, narrative, run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import HEADER, narrative, run

SUMMARY = ("| 一级指标 | 分值 | 得分 |\n| 预算执行率 | 10 | 9.50 |\n| 产出指标 | 50 | 48.67 |\n"
           "| 效益指标 | 30 | 30.00 |\n| 满意度指标 | 10 | 10.00 |\n| 合计 | 100 | {total} |\n")


def _report(extra: str, conclusion: str = "经自评，本项目综合得分98.17分，等级为“优”。") -> str:
    return HEADER + narrative(extra="\n" + extra, conclusion=conclusion)


def test_a_score_summary_is_read_as_group_scores_and_its_total_checked():
    good = _report(SUMMARY.format(total="98.17"))
    assert run(good, "D10") == [] and run(good, "D12") == []
    bad = _report(SUMMARY.format(total="99.17"), conclusion="经自评，本项目综合得分99.17分，等级为“优”。")
    [f] = run(bad, "D12")
    assert f.expected == "98.17" and f.stated == "99.17"
    # a three-column summary headed 指标 is one too; its deductions are the report's own
    plain = _report(SUMMARY.format(total="98.17").replace("| 一级指标 |", "| 指标 |")
                    + "全年新建分类驿站26座，较目标少4座。")
    assert run(plain, "D25") == []


def test_spending_in_parts_and_shares_of_a_total():
    parts = "全年支出21,103.58万元，其中基本支出15,208.46万元、项目支出5,895.12万元，部门整体预算执行率96.60%。"
    text = _report("收入总计21,846.37万元。" + parts)
    assert run(text, "D61") == []  # the rate is of the whole spending, not of its last part
    share = "全县共保障城乡低保对象11,386人，其中城市低保对象2,904人、农村低保对象8,482人，农村低保对象占比72.8%。"
    [f] = run(_report(share), "D30")
    assert f.expected == "74.49%" and f.stated == "72.8%"
    assert run(_report(share.replace("72.8%", "74.5%")), "D30") == []
    rate = "全年对14座设施开展监督性监测168次，其中达标158次，出水达标率98.2%。"
    [f] = run(_report(rate), "D52")
    assert f.expected == "94.05%"


def test_a_list_item_with_its_own_detail_is_not_a_total_of_the_list():
    text = _report("具体支出情况：省级补助180,000元；县级补助182,000元，其中1名传承人去世，按半年发放2,000元；"
                   "运行补助90,000元；活动经费27,350元。全年实际支出479,350元。")
    assert run(text, "D27") == [] and run(text, "D27C") == []


def test_an_execution_score_on_a_summary_line_is_held_to_the_lines_precision():
    line = "五、自评得分情况。预算执行率 分值10 执行率98.00% 得分10;产出指标 分值50 得分49.27;效益指标 分值30 得分29.68。"
    [f] = run(_report(line), "D90")
    assert f.expected == "9.8" and f.stated == "10"
    whole = line.replace("得分49.27", "得分49").replace("得分29.68", "得分30")
    assert run(_report(whole), "D90") == []  # whole points throughout: 9.8 is written 10


def test_claims_of_every_target_met_in_other_words():
    claim = "经自评，本项目得分95分，等级为“优”，年度各项绩效目标均已完成。"
    [f] = run(_report("全年新建分类驿站26座，较目标少4座。", conclusion=claim), "D49")
    assert "较目标少4座" in f.message
    rows = "临时救助人次，年度指标值为≥1,600人次，实际完成1,318人次。本年度各项绩效指标均达到或超过年度指标值，无明显偏差。"
    [f] = run(_report(rows), "D49")
    assert "均达到或超过" in f.stated


def test_a_generic_cause_in_the_sentence_after_the_shortfall():
    text = _report("展演展示活动少于计划3场，结余经费4,650元。主要原因是受多种因素影响，部分活动未能如期举办。")
    [f] = run(text, "D84")
    assert "多种因素" in f.stated
    specific = text.replace("受多种因素影响，部分活动未能如期举办", "7月汛期2场户外展演取消")
    assert run(specific, "D84") == []


def test_a_part_opened_by_a_part_heading_is_not_empty():
    """第五部分 存在问题及改进措施 opens 一、存在问题 and 二、改进措施: it is not an empty section."""
    text = (HEADER + "第一部分 项目基本情况\n项目对全县20公里供水管网进行维修。\n第二部分 自评结论\n自评得分99分，等级为优。\n"
            "第三部分 存在问题及改进措施\n一、存在问题\n9月仍有3处漏损未修复，影响约260户供水。\n"
            "二、改进措施\n2024年3月底前由县水务局完成剩余3处漏损修复。\n")
    assert run(text, "D23") == []
    assert run(text.replace("9月仍有3处漏损未修复，影响约260户供水。", "无。"), "D23")


def test_a_deviation_section_that_gives_a_cause_explains_the_shortfall():
    goals = "二、绩效目标\n年度目标：组织非遗展演展示活动不少于12场。\n"
    done = "三、绩效目标完成情况\n全年组织非遗展演展示活动9场，未完成12场的目标。传承人年度考核62人合格，合格率96.9%。\n" \
           "传习所平均年开放163天。\n"
    dev = "四、偏差原因分析\n展演活动少3场，原因是7月汛期2场户外展演取消、1场场馆维修停办。\n"
    tail = "五、存在的问题\n传习所场地不足。\n六、改进措施\n2024年增设2处展演场地。\n"
    assert run(HEADER + goals + done + dev + tail, "D91") == []
    assert run(HEADER + goals + done + tail, "D91")


def test_a_form_without_its_header_is_read_whole_when_its_rows_run_from_产出指标_to_总分():
    form = ("项目名称 残疾儿童康复救助 主管部门 梅岭县残疾人联合会\n"
            "年度资金总额 156.00 156.00 141.60 10 90.77% 9.08\n当年财政拨款 156.00 156.00 141.60\n"
            "产出指标 数量指标 康复救助残疾儿童人数 ≥130人 118人 20 18.15 部分儿童转入特殊教育学校\n"
            "产出指标 质量指标 康复训练达标率 ≥85% 88.1% 10 10 /\n产出指标 时效指标 费用结算及时率 100% 100% 10 10 /\n"
            "效益指标 社会效益指标 家庭康复知识知晓率 ≥85% 90.0% 40 40 /\n"
            "满意度指标 服务对象满意度指标 残疾儿童家长满意度 ≥90% 96.6% 10 10 /\n总分 100 {total}\n")
    head = "梅岭县残疾人联合会2023年度残疾儿童康复救助项目支出绩效自评表\n"
    [f] = run(head + form.format(total="98.23"), "D12")  # 9.08 + 18.15 + 10 + 10 + 40 + 10 = 97.23
    assert f.expected == "97.23"
    assert run(head + form.format(total="97.23"), "D12") == []
    # rows that do not start at 产出指标 may be an excerpt's tail: no sum over them
    tail = form.format(total="98.23").replace("产出指标 数量指标 康复救助残疾儿童人数 ≥130人 118人 20 18.15 部分儿童转入特殊教育学校\n", "")
    assert run(head + tail.replace("产出指标 质量指标", "效益指标 质量指标", 1), "D12") == []


def test_a_result_that_says_it_is_an_average_is_a_figure():
    from reviewer.structure.numbers import parse_target

    assert (parse_target("平均18个工作日").value, parse_target("约1.2万人次").value) == (18.0, 1.2)


def test_money_handed_on_in_full_against_a_clearly_lower_execution():
    """全部拨付完毕 says the money left the department, not that it was spent: it contradicts an
    execution rate clearly below 100% (82.40%), not one a little below it (98.25%)."""
    low = (HEADER + "一、项目资金情况\n项目预算1,500.00万元，全年实际支出1,236.00万元，预算执行率82.40%。专项资金已全部拨付完毕。\n"
           "二、自评结论\n自评得分92分，等级为优。\n")
    [f] = run(low, "D51")
    assert f.stated == "已全部拨付完毕"
    near = low.replace("1,236.00万元", "1,473.75万元").replace("82.40%", "98.25%")
    assert run(near, "D51") == []


def test_a_claim_about_the_other_indicators_is_not_a_claim_about_all():
    text = _report("村干部实际在岗553人，比目标少7人，扣2分；其余指标均达到目标值，得80分。")
    assert run(text, "D49") == []


def test_a_whole_narrative_report_that_leaves_unspent_money_unexplained():
    text = (HEADER + "一、项目资金情况\n项目预算1,500.00万元，全年实际支出1,236.00万元，预算执行率82.40%。\n"
            "二、偏差原因分析\n引进人才总数比目标少14人，主要是部分拟引进人才因家庭原因放弃。\n"
            "三、自评结论\n自评得分95.44分，等级为优。\n")
    [f] = run(text, "D64")
    assert f.stated == "82.4%"
    explained = text.replace("预算执行率82.40%。", "预算执行率82.40%，结余264万元系9名人才推迟到岗，安家补贴2022年支付。")
    assert run(explained, "D64") == []
    cut = text[:text.index("三、自评结论")] + "三、自评结论\n自评得分95.44分，等级"
    assert run(cut, "D64") == []  # the explanation may lie past the cut


def test_a_time_row_answered_on_time_while_the_text_dates_the_work_later():
    rows = ("| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
            "| 产出指标 | 时效指标 | 轮换任务完成时限 | 2019年12月31日前 | 按时完成 | 5 | 5 |\n"
            "| 产出指标 | 数量指标 | 年度轮换数量 | 5,000吨 | 4,634吨 | 10 | 9.27 |\n"
            "| 满意度指标 | 服务对象满意度指标 | 满意度 | ≥90% | 96% | 10 | 10 |\n")
    late = "本年轮换的4,634吨中，轮出工作于2019年11月20日完成，轮入新粮于2020年1月15日全部入库。\n"
    text = HEADER.replace("2023", "2019") + "一、绩效目标完成情况\n" + rows + late
    [f] = run(text, "D44")
    assert "2020年1月15日" in f.message and f.stated == "按时完成"
    assert run(text.replace("2020年1月15日", "2019年12月25日"), "D44") == []


def test_a_budget_made_of_sources_and_a_budget_followed_by_its_parts():
    made_of = ("本项目年初预算2,400.00万元，年中将项目预算调整为2,100.00万元，调整后预算由省级补助1,200.00万元和县级财政资金900.00万元组成。"
               "全年实际支出1,995.00万元，按调整后预算计算，预算执行率为95.00%。")
    assert run(HEADER + "一、项目资金情况\n" + made_of + "\n二、自评结论\n自评得分95分。\n", "D19") == []
    parts = ("2022年部门收入预算1,845.60万元，其中财政拨款1,780.60万元，其他收入65.00万元。全年支出1,760.60万元，"
             "其中基本支出612.40万元、项目支出1,148.20万元，部门预算执行率95.93%。")
    [f] = run(_report(parts), "D61")
    assert f.expected == "95.39%"


def test_a_count_said_done_against_the_forms_result():
    rows = ("| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 |\n| 产出指标 | 数量指标 | 新改建旅游公路里程 | 18公里 | 16.5公里 |\n"
            "| 产出指标 | 质量指标 | 交工验收合格率 | 100% | 100% |\n| 满意度指标 | 服务对象满意度指标 | 沿线群众满意度 | ≥90% | 92% |\n")
    said = "二、绩效目标完成情况\n截至2020年底，景区至溪口村旅游公路18公里已全部建成通车，交工验收合格率100%。\n三、存在的问题\n征地"
    [f] = run(HEADER + "一、项目基本情况\n" + rows + said, "D45")
    assert f.stated == "18公里" and f.expected == "16.5公里"
    fish = ("| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
            "| 产出指标 | 数量指标 | 放流大黄鱼苗种数量 | ≥800万尾 | 826万尾 | 15 | 15 |\n"
            "| 产出指标 | 质量指标 | 苗种检验检疫合格率 | 100% | 100% | 10 | 10 |\n| 总分 | | | | | 100 | 100 |\n")
    [f] = run(HEADER + fish + "全年实际放流大黄鱼苗种862万尾。\n", "D45")
    assert f.expected == "826万尾"


def test_a_remainder_called_unspent_and_a_cause_given_for_a_delay():
    text = _report("项目预算650.00万元，全年实际支出598.00万元，未支出资金62.00万元。")
    [f] = run(text, "D31")
    assert f.expected == "52万元"
    late = _report("", conclusion="自评得分95分。").replace(
        "一是管网老化点多，9月仍有3处漏损未修复，影响约260户供水。", "一是部分排危除险工程进度滞后，主要受客观因素影响。")
    [f] = run(late, "D84")
    assert "客观因素" in f.stated


def test_a_heading_run_into_its_first_sub_heading():
    text = (HEADER + "一、基本情况(一)项目概况。项目对全县供水管网进行维修。\n二、绩效目标完成情况分析(一)产出情况。完成维修21公里。\n"
            "三、自评结论\n自评得分95分。\n四、存在的问题及原因\n9月仍有3处漏损未修复。\n")
    assert run(text, "D33") == []


def test_problems_and_measures_that_open_by_saying_there_is_no_problem():
    text = _report("", conclusion="自评得分98.9分，等级为优。").replace(
        "五、存在的问题\n一是管网老化点多，9月仍有3处漏损未修复，影响约260户供水。\n六、改进措施\n一是2024年3月底前由县水务局完成剩余3处漏损修复。",
        "五、存在的问题及改进措施\n本项目实施过程中未发现问题。下一步，我局将继续加强管理，巩固项目成效。")
    [f] = run(text, "D23")
    assert f.stated == "本项目实施过程中未发现问题。"


def test_a_total_of_the_indicators_alone_leaves_the_execution_score_out():
    rows = ("| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
            "| 产出指标 | 数量指标 | 新建健身路径 | ≥40个 | 40个 | 60 | 60 |\n| 效益指标 | 社会效益指标 | 器材完好率 | ≥95% | 97% | 30 | 30 |\n"
            "| 满意度指标 | 服务对象满意度指标 | 满意度 | ≥90% | 93.5% | 10 | 10 |\n| 绩效指标得分合计 | | | | | 100 | 100 |\n")
    funds = ("| 项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
             "| 年度资金总额 | 100 | 100 | 96 | 10 | 96% | 9.6 |\n")
    text = HEADER + funds + rows + "综合得分=绩效指标得分×90%+预算执行率得分=100×90%+9.60=99.60\n"
    assert run(text, "D10") == [] and run(text, "D12") == []
    [f] = run(text.replace("| 100 | 100 |\n综合", "| 100 | 99 |\n综合"), "D12")
    assert f.expected == "100" and f.stated == "99"


def test_a_target_split_into_operator_value_and_unit_cells():
    from reviewer.structure.numbers import parse_target

    t = parse_target("≥ | 800 | 人")
    assert (t.op, t.value, t.unit) == ("≥", 800.0, "人")


def test_subsidies_paid_out_are_the_spending_a_rate_is_of():
    text = (HEADER + "一、项目概况\n2019年县财政预算安排高龄补贴资金660.00万元。\n"
            "二、资金使用情况\n2019年全年累计发放高龄补贴645.84万元，预算执行率98.75%。\n")
    [f] = run(text, "D61")
    assert f.expected == "97.85%"


def test_figures_of_last_year_and_differences_are_not_this_years_results():
    rows = ("| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |\n"
            "| 效益指标 | 社会效益指标 | 遗体火化率 | ≥45% | 47.3% | 30 | 30 |\n| 产出指标 | 数量指标 | 新建公墓 | ≥3个 | 3个 | 60 | 60 |\n"
            "| 满意度指标 | 服务对象满意度指标 | 群众满意度 | ≥90% | 94% | 10 | 10 |\n| 总分 | | | | | 100 | 100 |\n")
    text = HEADER + rows + "遗体火化率由上年的41.6%提高到47.3%。\n"
    assert run(text, "D45") == []
    goal = "二、绩效目标\n年度目标：受益人口8.6万人，水质达标率达到90%以上。\n"
    done = "三、完成情况\n受益人口8.9万人，较年度目标增加0.3万人；水质达标率92.7%。\n四、存在的问题\n管网老化。\n五、改进措施\n2026年更换管网。\n"
    from reviewer.models import SourceDocument
    from reviewer.parse import parse_source

    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=HEADER + goal + done)).reports
    assert all(r.actual.text != "90%" for r in rep.prose_indicators)  # 较年度目标增加… sets no target


def test_a_reason_that_says_the_row_fell_a_little_short():
    from reviewer.checks.deviation_reasons import names_no_cause

    assert names_no_cause("受各种因素影响数据有效率略低于目标,下一步将加强管理。", "监测数据有效率")
    assert not names_no_cause("受各种因素影响，7月雷击致2个站点停运11天。", "监测数据有效率")


def test_the_forms_own_result_cell_against_its_row_in_a_cut_form():
    form = ("项目支出绩效自评表\n年度总体目标\n预期目标\n实际完成情况\n"
            "完成全县1286公里农村公路日常养护，处治路面病害2.4万平方米，优良中等路比例达到75%以上。\n"
            "完成全县1286公里农村公路日常养护，处治路面病害2.4万平方米，优良中等路比例达到78.2%。\n"
            "绩效指标\n一级指标\n二级指标\n三级指标\n年度指标值\n实际完成值\n分值\n得分\n"
            "产出指标\n数量指标\n农村公路日常养护里程\n≥1286公里\n1286公里\n15\n15\n"
            "路面病害处治面积\n≥2.4万平方米\n2.1万平方米\n10\n8.75\n"
            "质量指标\n优良中等路比例\n≥75%\n78.2%\n10\n10\n效益指标\n社会效益指标\n农村公路列养率\n=100%\n100%\n15\n1")
    [f] = run(HEADER + form, "D45")
    assert f.stated == "2.4万平方米" and f.expected == "2.1万平方米"
