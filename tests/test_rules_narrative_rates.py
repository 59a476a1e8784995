"""Rules D61 (narrative execution rate vs amounts), D62 (over-target percent vs counts), D51 wording."""

from __future__ import annotations

try:
    from rulekit import HEADER, narrative, run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import HEADER, narrative, run


def _report(extra: str) -> str:
    return HEADER + narrative(extra=extra)


def test_D61_execution_rate_against_budget_and_spending():
    bad = _report("下达预算2596万元，全年实际支出2595.6208万元，项目预算执行率99%。")
    [f] = run(bad, "D61")
    assert f.expected == "100%" and f.stated == "99%"  # 99.985% to the precision written
    assert run(_report("下达预算2596万元，全年实际支出2595.6208万元，项目预算执行率99.99%。"), "D61") == []
    # the narrative of rulekit states 100万元 / 90万元 / 90%: consistent
    assert run(_report(""), "D61") == []


def test_D61_budget_from_the_form_when_the_narrative_gives_only_the_spending():
    from rulekit import funds_table

    form = funds_table(budget="150.00", executed="127.50", rate="85.00%", score="8.50", parts=())
    bad = HEADER + form + narrative(extra="截至2023年12月31日，项目实际支出127.50万元，预算执行率为88.00%。")
    [f] = run(bad, "D61")
    assert f.expected == "85%" and f.stated == "88.00%" and "150.00" in f.message
    ok = HEADER + form + narrative(extra="截至2023年12月31日，项目实际支出127.50万元，预算执行率为85.00%。")
    assert run(ok, "D61") == []
    # spending that is not the form's 执行数 borrows nothing from the form
    other = HEADER + form + narrative(extra="其中培训支出27.50万元，执行率为88.00%。")
    assert run(other, "D61") == []


def test_D61_one_source_of_several_is_not_the_budget():
    text = _report("资金来源：县级财政安排85.00万元，省级补助资金40.00万元，合计135.00万元。全年实际支出118.75万元，预算执行率95.00%。")
    assert [f.rule for f in run(text, "D61")] == []  # the sum (125 ≠ 135) is D27's finding, not a rate of 85


def test_D61_leaves_unspent_balances_alone():
    text = _report("下达预算200万元，结余资金20万元，预算执行率90%。")
    assert run(text, "D61") == []


def test_D62_over_target_percent_against_counts():
    bad = _report("年度任务数为115户，实际完成改造264户。改造数超任务43%。")
    [f] = run(bad, "D62")
    assert f.expected == "129.6%" and f.stated == "43%"
    assert run(_report("年度任务数为115户，实际完成改造264户。改造数超任务129.6%。"), "D62") == []
    # read loosely as actual ÷ plan is not flagged either
    assert run(_report("年度任务数为100户，实际完成改造150户，超任务150%。"), "D62") == []


def test_D51_full_disbursement_claim_against_a_zero_rate():
    bad = _report("林业改革资金已全面拨付使用。管护补助资金当年未使用，预算执行率0%。")
    [f] = run(bad, "D51")
    assert "全面拨付使用" in f.stated
    assert run(_report("林业改革资金已拨付到县。"), "D51") == []


def test_D29B_same_noun_two_counts():
    bad = _report("全县重点村全部配备 群测群防员 95 名。进一步健全四级网络，落实 群测群防员 99 人。")
    [f] = run(bad, "D29B")
    assert "群测群防员" in f.message
    # the same tail of two different names is not one noun: 上寨村 / 下寨村
    two = _report("完成上寨村内道路硬化700平方米。完成下寨村内道路硬化650平方米。")
    assert run(two, "D29B") == []
    # a target and its result are not the same count
    plan = _report("年度目标为配备群测群防员100名以上。实际落实群测群防员99人。")
    assert run(plan, "D29B") == []
    assert run(_report("全县配备群测群防员99名。落实群测群防员99人。"), "D29B") == []


def test_D29B_planned_scope_against_the_result_is_not_a_contradiction():
    text = HEADER + ("一、项目基本情况\n项目安排资金对42处工程实施维修养护，更换入户水表1500块。\n"
                     "二、项目资金情况\n全年预算数100万元，执行数90万元，预算执行率90%。\n"
                     "三、绩效目标完成情况\n全年完成42处工程维修养护，更换入户水表1560块。\n"
                     "四、自评结论\n本项目自评得分99分，等级为“优”。\n")
    assert run(text, "D29B") == []


def test_D38_a_gap_made_up_by_other_batches_is_explained():
    batches = _report("第一批下达预算463142万元；第二批下达163455万元；第三批下达44440万元，已拨付463142万元。"
                      "资金合计671037万元。")
    assert run(batches, "D38") == []
    # one batch short: the gap is not made up by the others
    short = _report("第一批下达预算463142万元；第二批下达163455万元，已拨付463142万元。资金合计671037万元。")
    assert [f.rule for f in run(short, "D38")] == ["D38"]


def test_D61_reads_the_full_year_budget_not_the_initial_one_in_brackets():
    ok = _report("全年预算52.00万元（年初预算45.00万元，追加7.00万元），全年支出52.00万元，预算执行率100%。")
    assert run(ok, "D61") == []
    [f] = run(_report("全年预算95.00万元（含上年结转13.00万元），实际支出87.40万元，执行率94.20%。"), "D61")
    assert f.expected == "92%" and "万元万元" not in f.message


def test_D29B_the_jurisdiction_count_of_places_is_one_fact():
    bad = _report("县财政对全县126个行政村安排运转经费。\n全县118个行政村的经费全部拨付到位。")
    [f] = run(bad, "D29B")
    assert "全县126个行政村" in f.message and "全县118个行政村" in f.message
    assert run(_report("县财政对全县126个行政村安排运转经费。\n全县126个行政村的经费全部拨付到位。"), "D29B") == []
    # different kinds of place, or a part of them, are different counts
    assert run(_report("全县126个行政村、全县8个社区。其中32个行政村为脱贫村。"), "D29B") == []


def test_D83_planned_quantity_against_the_indicator_target():
    from rulekit import STANDARD_ROWS, full_report

    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "维修仓容", "≥3.6万吨", "3.6万吨", "20", "20", "")
    base = "项目对全县20公里供水管网进行维修。"  # the 项目基本情况 line of rulekit's narrative

    def with_basic(line: str) -> str:
        return full_report(rows=rows).replace(base, line)

    plan = "主要建设内容为：仓房屋面防水翻新及门窗改造，维修仓容4.2万吨。"
    [f] = run(with_basic(plan), "D83")
    assert "4.2万吨" in f.message and f.stated == "≥3.6万吨"
    assert run(with_basic(plan.replace("4.2万吨", "3.6万吨")), "D83") == []
    # a result, or a part of the plan, is not the plan's quantity
    assert run(with_basic("实际完成维修仓容4.2万吨。"), "D83") == []
    assert run(with_basic("主要建设内容为：其中维修仓容4.2万吨。"), "D83") == []
    # in 存在问题 or 完成情况 a count is what happened ("任务重，维修仓容4.2万吨…" is no plan)
    assert run(full_report(rows=rows, extra="任务重，维修仓容4.2万吨，仅完成目标的88%。"), "D83") == []


def test_D86_an_execution_rate_that_differs_from_the_one_the_figures_bear_out():
    # rulekit's narrative: 全年预算数100万元，执行数90万元，预算执行率90% (borne out by its amounts)
    bad = HEADER + narrative(conclusion="经自评，预算执行率95.6%，自评得分98分，等级为“优”。")
    [f] = run(bad, "D86")
    assert f.kind == "contradiction" and f.stated == "95.6%" and f.expected == "90%"
    assert [ev.quote for ev in f.evidence] == ["预算执行率95.6%", "预算执行率90%"]
    assert run(HEADER + narrative(conclusion="经自评，预算执行率90%，自评得分97分。"), "D86") == []
    # a rate of one source of the money is not the project's rate
    part = HEADER + narrative(extra="其中省级资金执行率80%。")
    assert run(part, "D86") == []


def test_D86_against_the_forms_total_row():
    from rulekit import funds_table

    text = HEADER + funds_table() + "\n" + narrative().replace("全年预算数100万元，执行数90万元，预算执行率90%。", "资金执行率为96.00%。")
    [f] = run(text, "D86")
    assert f.stated == "96.00%" and f.expected == "90%"


def test_D61_budget_stated_in_an_earlier_paragraph():
    overview = "县级财政安排资金96.00万元,省级补助资金48.00万元,合计144.00万元。\n"
    bad = _report(overview + "（一）资金使用情况。全年实际支出131.76万元,预算执行率94.50%。")
    [f] = run(bad, "D61")
    assert f.stated == "94.50%" and f.expected == "91.5%" and "144.00" in f.message
    assert run(_report(overview + "（一）资金使用情况。全年实际支出131.76万元,预算执行率91.50%。"), "D61") == []


def test_D90_execution_score_in_the_narrative():
    bad = _report("全年实际发放资金99.00万元,预算执行率95.19%,该项得分9.9分。")
    [f] = run(bad, "D90")
    assert f.expected == "9.52" and f.stated == "9.9"
    assert run(_report("预算执行率95.19%,该项得分9.52分。"), "D90") == []
    # a stated weight counts; a total score (above the item's 10 points) is not the item's
    [f] = run(_report("预算执行率90%,得分19分（分值20分）。"), "D90")
    assert f.expected == "18"
    assert run(_report("预算执行率95%,得分96分。"), "D90") == []
