"""Rules on narrative reports and on texts cut off the way published pages are: a budget stated
a paragraph earlier, targets the narrative sets (D83, D91), a price in brackets (D28), an
announced table (D60), a stock claim of effect (D88), a goal section seen whole in a cut text
(D36), a total figure cut in half (D12), and rows a cut leaves unseen (D25)."""

from __future__ import annotations

try:
    from rulekit import HEADER, indicator_table, narrative, run, STANDARD_ROWS
except ImportError:  # tests/ imported as a package
    from tests.rulekit import HEADER, indicator_table, narrative, run, STANDARD_ROWS

GOALS = "（二）年度绩效目标。2021年计划新建区域自动气象站8个，维护已建站点22个。\n"
DONE = ("（一）产出指标。新建区域自动气象站数量，年度指标值≥6个，实际完成6个；观测数据到报率，年度指标值≥98%，"
        "实际完成96.4%。\n")


def _narrative_report(problems: str, done: str = DONE) -> str:
    return (HEADER + "一、项目基本情况\n（一）项目概况。本项目资金210.00万元。\n" + GOALS +
            "二、绩效指标完成情况\n" + done + "三、存在的问题\n" + problems + "\n四、下一步工作打算\n（一）2022年5月前完成站点通信改造。\n")


def test_D91_a_narrative_target_missed_without_a_reason():
    bad = _narrative_report("（一）部分站点位于偏远牧区，交通不便，巡检难度较大。")
    [f] = run(bad, "D91")
    assert f.stated == "96.4%" and "观测数据到报率" in f.message
    # a cause after the result, or 存在问题 taking the shortfall up, explains it
    caused = DONE.replace("实际完成96.4%。", "实际完成96.4%，因7月汛期2个站点通信中断11天。")
    assert run(_narrative_report("（一）部分站点交通不便。", caused), "D91") == []
    assert run(_narrative_report("（一）观测数据到报率96.4%，低于目标，2个站点通信中断。"), "D91") == []
    # cut inside 存在问题: what it says may lie past the cut
    cut = bad[:bad.index("交通不便")]
    assert run(cut, "D91") == []


def test_D83_a_plan_against_a_target_the_narrative_sets():
    [f] = run(_narrative_report("（一）部分站点交通不便。"), "D83")
    assert f.stated == "≥6个" and f.expected == "8个" and "正文" in f.message


def test_D83_a_goal_that_says_complete_or_sets_a_floor_is_the_plan():
    """绩效目标：完成…5.2万亩 / 实施项目不少于512个 are the plan, even with 完成 or a floor in them."""
    goals = "（二）年度绩效目标。2021年完成林业有害生物防治作业面积5.2万亩，实施服务群众项目不少于512个。\n"
    done = ("（一）产出指标。防治作业面积年度指标值为≥4.8万亩，实际完成5.06万亩；"
            "实施服务群众项目数量年度指标值为≥500个，实际完成503个。\n")
    text = _narrative_report("（一）部分站点交通不便。", done).replace(GOALS, goals)
    found = {(f.expected, f.stated) for f in run(text, "D83")}
    assert found == {("5.2万亩", "≥4.8万亩"), ("512个", "≥500个")}
    # outside the goals a sentence with 完成 states what was done
    done_only = text.replace("（二）年度绩效目标。2021年", "（二）实施情况。2021年已")
    assert run(done_only, "D83") == []


def test_D83_the_forms_own_goal_cell_is_the_plan():
    """A form on one line: 预期目标 实际完成情况 <plan> <result>, the plan being the first sentence."""
    form = ("项目支出绩效自评表 (2020年度) 项目名称 乡村医生补助资金 年度总体目标 预期目标 实际完成情况 "
            "按照每人每年1.5万元的标准,为全县340名在岗乡村医生发放补助。 全年为324名在岗乡村医生足额发放补助。 "
            "绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施 "
            "产出指标(50分) 数量指标 补助乡村医生人数 ≥320人 324人 15 15 无 "
            "质量指标 乡村医生年度考核合格率 ≥95% 96.5% 10 10 无 时效指标 补助资金按季度发放率 100% 100% 5 5 无\n")
    [f] = run(HEADER + form, "D83")
    assert f.expected.startswith("340") and f.stated == "≥320人"
    assert run(HEADER + form.replace("≥320人", "≥340人"), "D83") == []


def test_D28_a_price_in_brackets_belongs_to_the_amount_before_it():
    text = HEADER + narrative(extra="全年实际支出300万元，其中新建食堂建设补贴30万元（每家15万元），8家食堂运营补贴96万元（每家12万元），"
                                    "助餐补贴174万元。")
    assert run(text, "D28") == []  # 30 = 2 × 15 (no count given), 96 = 8 × 12
    bad = text.replace("96万元（每家12万元）", "96万元（每家10万元）")
    [f] = run(bad, "D28")
    assert f.stated == "96万元" and f.expected == "80万元"


def test_D60_a_table_announced_in_a_sentence_that_ends_with_a_full_stop():
    text = HEADER + narrative(extra="\n（三）指标完成情况。各项绩效指标完成情况见下表。")
    [f] = run(text, "D60")
    assert "见下表" in f.message


def test_D88_stock_claims_of_effect():
    bad = HEADER + narrative(extra="\n通过资助，资助政策落实效果明显，有效减轻了家庭负担，社会反响良好。")
    assert [f.rule for f in run(bad, "D88")] == ["D88"]
    one = HEADER + narrative(extra="\n通过资助，有效减轻了家庭负担，全年资助1,980人次。")
    assert run(one, "D88") == []


def test_D36_runs_on_a_cut_text_whose_goals_were_seen_whole():
    goals = "（二）年度绩效目标。进一步完善全县气象观测站网布局，提升监测预警能力。\n"
    text = HEADER + "一、项目基本情况\n" + goals + "二、绩效目标完成情况\n全年新建站点6个，维护站点22个，数据到报率96.4%，"
    [f] = run(text, "D36")
    assert "进一步完善" in f.stated
    # the goals running into the cut may have their figures past it
    assert run(HEADER + "一、项目基本情况\n（二）年度绩效目标。进一步完善全县气象观测站网布局，", "D36") == []
    # figures the page hides are not absent
    assert run(text.replace("提升监测预警能力", "中央下达补助资金 点击查看>> 万元"), "D36") == []


def test_D12_is_silent_on_a_total_cut_after_its_first_digit():
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "维修管网长度", "≥20公里", "18公里", "20", "18", "3处漏损未修")
    table = indicator_table(rows)  # the scores add up to 88
    assert run(HEADER + table + "总分\t\t\t\t\t\t90\t8", "D12") == []  # 88, cut after its 8
    [f] = run(HEADER + table + "总分\t\t\t\t\t\t90\t85", "D12")
    assert f.stated == "85" and f.expected == "88"


def test_D25_is_silent_when_the_text_stops_inside_the_form():
    rows = [("产出指标", "数量指标", "维修管网长度", "≥20公里", "21公里", "20", "20", ""),
            ("", "质量指标", "验收合格率", "100%", "100%", "15", "15", "")]
    head = HEADER + narrative(conclusion="本项目自评得分99分，等级为“优”。",
                              problems="一是2处漏损修复推迟到12月中旬；") + indicator_table(rows)
    assert run(head + "\t\t时效指标\t完工时间\t2023年10月", "D25") == []  # the deductions may be past the cut
    whole = head + "总分\t\t\t\t\t\t100\t99\t\n"
    assert [f.rule for f in run(whole, "D25")] == ["D25"]


def test_D82_a_word_with_不_earlier_in_the_sentence_is_no_negation():
    goals = "（二）绩效目标。受助家长满意度不低于90%。\n"
    body = "（三）效益情况。受助儿童能力得到不同程度改善，受助家庭对项目满意度高。\n"
    text = HEADER + "一、项目基本情况\n" + goals + "二、绩效目标完成情况\n" + body + "三、自评结论\n自评得分93分。\n"
    [f] = run(text, "D82")
    assert f.stated == "满意度高"
    assert run(text.replace("受助家庭对项目满意度高", "受助家庭对项目并不满意度高"), "D82") == []


def test_D49_reads_the_goals_of_a_heading_ended_by_a_full_stop():
    text = (HEADER + "一、项目基本情况\n（二）绩效目标。年内救助残疾儿童不少于210人，其中康复训练不少于180人。\n"
            "二、绩效目标完成情况\n全年共救助残疾儿童196人，其中康复训练170人。\n三、自评结论\n经自评，本项目各项绩效目标均已全面完成，自评得分93分。\n")
    [f] = run(text, "D49")
    assert "不少于210人→196人" in f.message


def test_sums_are_left_alone_when_pieces_of_a_label_were_read_as_rows():
    """A scan's label written down the page (效 / 指标 on lines of their own) read as rows of
    one or two characters: rows are missing, so weights and scores are not summed."""
    from reviewer.checks._common import rows_complete, rows_reliable
    from reviewer.models import IndicatorRow, SourceDocument, TextRef
    from reviewer.parse import parse_source

    text = HEADER + indicator_table(STANDARD_ROWS, total=("90", "90"))
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    assert rows_complete(parsed)
    stub = IndicatorRow(level3=TextRef(text="指标", start=0, end=2), row=TextRef(text="指标", start=0, end=2))
    parsed.reports[0].indicators.append(stub)
    assert rows_reliable(parsed) and not rows_complete(parsed)


def test_D36_goals_of_directional_phrases_are_stock_text():
    def goal_flags(goal: str) -> list:
        return run(HEADER + "一、项目基本情况\n（二）年度绩效目标。" + goal + "\n二、绩效目标完成情况\n全年完成站点建设。\n", "D36")

    [f] = goal_flags("进一步完善全县气象观测站网布局，提升监测预警能力，为农牧业生产提供气象保障。")
    assert f.kind == "boilerplate" and "方向性表述" in f.message
    [f] = goal_flags("严格按照合同规定，对实训楼进行维修改造，保障机关工作正常运行。")
    assert f.kind == "missing"


SPACE_FORM = ("绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分\n"
              "产出指标 数量指标 预算执行率 10 10\n"
              "数量指标 年接待读者人次 ≥12万人次 11.4万人次 20 19\n"
              "质量指标 图书归还后24小时内上架率 ≥95% 97% 20 20\n"
              "时效指标 每周免费开放时长 ≥56小时 56小时 10 10\n"
              "效益指标 社会效益指标 数字资源年访问量 ≥20万次 23.5万次 30 30\n"
              "满意度指标 服务对象满意度指标 读者满意度 ≥90% 95% 10 10\n")


def test_a_space_separated_form_with_a_预算执行率_row():
    text = HEADER + "一、项目基本情况\n县图书馆免费开放。\n二、绩效目标完成情况\n" + SPACE_FORM + "总分 100 {}\n三、存在的问题\n读者活动偏少。\n"
    # the rows' weights make the 100: a gap of 2 is no 执行率 row left unread
    [f] = run(text.format("101"), "D12")
    assert f.stated == "101" and f.expected == "99"
    assert run(text.format("99"), "D12") == []
    # the 预算执行率 row holds no 指标值 (its figures are the funds block's); a target cell before
    # its result (≥95% 97%) is no result written as a range
    assert run(text.format("99"), "D54") == [] and run(text.format("99"), "D55") == []


def test_D49_money_paid_late_does_not_contradict_a_claim_about_the_indicators():
    def report(problem: str) -> str:
        return HEADER + narrative(extra="产出、效益、满意度指标均达到年度指标值。", problems=problem)

    assert run(report("一是质量保证金13.50万元需跨年支付，当年预算执行率未达到100%。"), "D49") == []
    assert [f.rule for f in run(report("一是2处管网维修推迟到次年3月完成。"), "D49")] == ["D49"]


def test_a_per_unit_goal_is_not_paired_with_a_total_named_by_its_tail():
    from reviewer.models import SourceDocument
    from reviewer.parse import parse_source

    text = (HEADER + "一、项目基本情况\n2023年项目预算1280万元，其中垃圾收运服务费1236万元。\n"
            "（二）绩效目标。每村年均保洁收运服务费不超过8.5万元，群众投诉办结率不低于98%。\n"
            "二、绩效目标完成情况\n投诉办结率为96.4%。\n")
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    assert [(r.target.text, r.actual.text) for r in rep.prose_indicators] == [("不低于98%", "96.4%")]


def test_D40_and_D45_leave_a_group_the_text_stops_inside_alone():
    rows = [("产出指标", "数量指标", "集中供养特困人员人数", "≥420人", "428人", "25", "25", ""),
            ("", "", "分散供养特困人员人数", "≥800人", "835人", "25", "25", ""),
            ("效益指标", "社会效益指标", "特困人员基本生活保障率", "100%", "100%", "40", "40", "")]
    head = HEADER + narrative(extra="全年共保障特困人员1,263人。产出指标得分50分。")
    table = indicator_table(rows, total=("90", "90"))
    assert run(head + table, "D40") == [] and run(head + table, "D45") == []
    cut = head + table[:table.index("分散供养")]  # the text stops after the group's first row
    assert run(cut, "D40") == [] and run(cut, "D45") == []
    [f] = run(head.replace("产出指标得分50分", "产出指标得分45分") + table, "D40")
    assert f.expected == "50"


def test_a_conclusion_a_cost_row_and_corrected_totals_are_not_judged_where_the_text_stops():
    # D72: a conclusion cut after its first words may give its score past the cut
    stock = HEADER + narrative(conclusion="完成预算目标，总体评价良好。")
    assert [f.rule for f in run(stock, "D72")] == ["D72"]
    cut = stock[:stock.index("总体评价")]
    assert run(cut, "D72") == []
    # D79: a cost row cut inside its 指标值 (控制在预…) may give its amount past the cut
    rows = list(STANDARD_ROWS)
    rows[3] = ("", "成本指标", "维修成本", "控制在预算范围内", "已控制", "5", "5", "")
    table = indicator_table(rows, total=("90", "90"))
    assert [f.rule for f in run(HEADER + table, "D79")] == ["D79"]
    assert run(HEADER + table[:table.index("算范围内")], "D79") == []
    # D12B: rows past the cut may carry deductions, so the corrected total is not known
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "维修管网长度", "≥20公里", "15公里", "20", "20", "")
    full = HEADER + narrative(conclusion="本项目自评得分90分。") + indicator_table(rows, total=("90", "90"))
    assert [f.rule for f in run(full, "D12B")] == ["D12B"]
    assert run(full[:full.index("验收合格率") + 12], "D12B") == []


def test_D29B_one_large_figure_written_with_its_digits_transposed():
    def report(first: str, second: str) -> str:
        return HEADER + narrative(extra=f"2024年，我县共为{first}困难残疾人发放生活补贴。\n（二）产出完成情况。全年补贴发放{second}，发放率100%。")

    [f] = run(report("4,316名", "4,361人"), "D29B")
    assert {f.stated, f.expected} == {"4,316名", "4,361人"}
    assert run(report("4,316名", "4,316人"), "D29B") == []
    assert run(report("4,316名", "4,352人"), "D29B") == []  # other digits: two figures, not one mistyped
    # a plan against a result is no typo
    plan = HEADER + narrative(extra="计划培训1,320人次。\n（二）产出完成情况。实际培训1,230人次。")
    assert run(plan, "D29B") == []


def test_targets_with_the_bound_after_the_figure():
    from reviewer.structure.numbers import parse_target

    def read(t: str) -> tuple:
        got = parse_target(t)
        return got.op, got.value, got.unit

    assert read("95%以上") == ("≥", 95.0, "%") and read("1,200人次及以上") == ("≥", 1200.0, "人次")
    assert read("4小时以内") == ("≤", 4.0, "小时") and read("达到90%") == ("≥", 90.0, "%")
    goal = "（二）年度绩效目标。培训农牧民1,200人次以上，培训后实现转移就业400人以上。\n"
    text = (HEADER + "一、项目基本情况\n" + goal + "二、绩效目标完成情况\n全年培训农牧民1,260人次，培训后实现转移就业342人。\n"
            "三、自评结论\n总体看，项目全面完成年度绩效目标，自评得分95分。\n四、存在的问题\n一是培训场地不足。\n五、改进措施\n一是增加场地。\n")
    [f] = run(text, "D49")
    assert "400人以上→342人" in f.message
    assert run(text, "D91") == []  # the claim is D49's; no second finding for the same shortfall
    assert [f.rule for f in run(text.replace("项目全面完成年度绩效目标，", ""), "D91")] == ["D91"]


def test_D21B_the_accounts_closed_on_the_previous_years_last_day():
    head = "乙县人社局\n2023年度就业见习补贴项目支出绩效自评报告\n\n"
    bad = head + narrative(extra="截至2022年12月31日，全县共拨付就业见习补贴128.6万元，预算执行率为85.73%。")
    [f] = run(bad, "D21B")
    assert f.stated == "截至2022年12月31日" and f.expected == "截至2023年12月31日"
    assert run(bad.replace("截至2022年", "截至2023年"), "D21B") == []
    # the balance carried in from the year before is dated at that year's end
    assert run(head + narrative(extra="截至2022年12月31日，上年结转资金12万元。"), "D21B") == []


def test_D51_money_paid_out_in_full_while_execution_is_short():
    text = HEADER + narrative(extra="补贴资金全部兑付到位。")  # the narrative's rate is 90%
    [f] = run(text, "D51")
    assert f.stated == "全部兑付到位"
    assert run(HEADER + narrative(extra="补贴资金已全部拨付到乡镇。"), "D51") == []  # 拨付 to units is not spending


def test_D93_paid_on_time_claimed_against_the_reports_own_figures():
    head = "丙县教育局\n2022年度乡村教师生活补助项目支出绩效自评报告\n\n"
    late = head + narrative(extra="补助资金均按季度及时足额发放到教师个人账户。第四季度补助因配套资金到位较晚，于2023年1月20日发放。")
    [f] = run(late, "D93")
    assert f.stated == "均按季度及时足额发放" and "2023年1月20日发放" in f.message
    on_time = head + narrative(extra="补助资金均按季度及时足额发放到教师个人账户。第四季度补助于2022年12月20日发放。")
    assert run(on_time, "D93") == []
    rows = list(STANDARD_ROWS)
    rows[2] = ("", "时效指标", "补贴按月结算及时率", "≥95%", "88%", "10", "10", "台账报送滞后")
    rate = HEADER + narrative(extra="补贴均按月及时结算到服务机构。") + indicator_table(rows, total=("100", "100"))
    [f] = run(rate, "D93")
    assert "88%" in f.message
    once = HEADER + narrative(extra="补贴资金按季度及时兑付。受资料报送滞后影响，全年补贴资金于第四季度集中审核兑付。")
    assert [f.rule for f in run(once, "D93")] == ["D93"]
    # a plan or a measure is no claim
    assert run(head + narrative(measures="一是确保2023年补助按季度及时发放。", extra="第四季度补助于2023年1月20日发放。"), "D93") == []


def test_D25_a_full_score_above_what_a_cut_forms_funds_row_leaves():
    from rulekit import HEADER, narrative

    form = ("\n项目支出绩效自评表\n项目资金（万元） 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
            "年度资金总额 450.00 450.00 423.00 10 94.00% 9.40\n"
            "一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施\n"
            "产出指标 数量指标 退耕还林造林面积 ≥3,000亩 3,000亩 20 20\n"
            "质量指标 当年造林成活率 ≥85% 87.5% 15 15\n时效指标 补助资金兑付时间 2023年12月底前 2023年12月底前 15 1")
    text = HEADER + narrative(conclusion="本项目各项指标均完成，自评得分100分，等级为优。") + form
    [f] = run(text, "D25")
    assert f.expected == "≤99.4" and "9.40" in f.message
    assert run(text.replace("自评得分100分", "自评得分99.4分"), "D25") == []


def test_D36_a_stock_goal_beside_a_form_is_boilerplate_a_plain_task_is_not():
    from rulekit import full_report

    stock = full_report().replace("三、绩效目标完成情况", "（二）年度绩效目标\n进一步提升供水保障能力，更好服务全县群众生产生活。\n三、绩效目标完成情况")
    [f] = run(stock, "D36")
    assert f.kind == "boilerplate"
    task = full_report().replace("三、绩效目标完成情况", "（二）年度绩效目标\n对全县供水管网进行维修改造。\n三、绩效目标完成情况")
    assert run(task, "D36") == []  # the form's indicators give the figures
