"""Indicators written as sentences, and D49 reading them."""

from __future__ import annotations

from reviewer.structure.prose_indicators import find_prose_indicators

try:
    from rulekit import HEADER, narrative, run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import HEADER, narrative, run


def test_target_and_actual_pairs_are_read_from_sentences():
    text = ("1、产出数量指标：第一，资助托养服务人次数年初指标值为不低于105人，全年实际完成值116人。"
            "第二，燃油补贴人次数年初指标值为不低于180人，全年实际完成值164人。")
    rows = find_prose_indicators(text, 0, len(text), [])
    assert [(r.level3.text, r.target.text, r.actual.text) for r in rows] == [
        ("资助托养服务人次数", "不低于105人", "116人"), ("燃油补贴人次数", "不低于180人", "164人")]
    for r in rows:
        for ref in (r.level3, r.target, r.actual, r.row):
            assert text[ref.start:ref.end] == ref.text


def test_D49_claim_of_completion_against_a_shortfall_in_prose():
    shortfall = "燃油补贴人次数年初指标值为不低于180人，全年实际完成值164人。"
    bad = HEADER + narrative(extra="该资金项目已按照计划完成目标，达到预期效果。" + shortfall)
    [f] = run(bad, "D49")
    assert "燃油补贴人次数" in f.message
    met = "燃油补贴人次数年初指标值为不低于180人，全年实际完成值182人。"
    assert run(HEADER + narrative(extra="该资金项目已按照计划完成目标。" + met), "D49") == []


def test_a_planned_count_and_its_actual_in_one_sentence_are_an_indicator():
    text = "本年度共举办培训班25期,年度计划培训1,000人次,实际培训860人次,培训合格率91%。计划改造农户300户，实际完成280户。"
    rows = find_prose_indicators(text, 0, len(text), [])
    assert [(r.level3.text, r.target.text, r.actual.text) for r in rows] == [
        ("培训", "1,000人次", "860人次"), ("改造农户", "300户", "280户")]
    # money planned and spent is the funds' execution, not an indicator; a date is no count
    money = "计划投资500万元，实际到位资金450万元。计划于2023年6月完工，实际于8月完工。"
    assert find_prose_indicators(money, 0, len(money), []) == []


def test_D49_completion_claimed_while_the_plan_was_not_met():
    bad = HEADER + narrative(extra="年度计划培训1,000人次，实际培训860人次。项目圆满完成年度培训任务。")
    [f] = run(bad, "D49")
    assert "1,000人次→860人次" in f.message
    good = HEADER + narrative(extra="年度计划培训1,000人次，实际培训1,020人次。项目圆满完成年度培训任务。")
    assert run(good, "D49") == []


def test_D49_reads_other_ways_of_claiming_every_indicator_done():
    shortfall = "年度计划培训1,000人次，实际培训860人次。"
    for claim in ("对照绩效目标，各项指标均已完成。", "偏差情况说明：各项指标均按期完成。", "项目达到了预期目标。"):
        [f] = run(HEADER + narrative(extra=shortfall + claim), "D49")
        assert claim.rstrip("。").split("，")[-1].split("：")[-1][:6] in f.evidence[0].quote
    assert run(HEADER + narrative(extra="年度计划培训1,000人次，实际培训1,000人次。各项指标均已完成。"), "D49") == []


GOAL = "年度绩效目标：完成326座设施全年运维，设施正常运行率≥90%，出水水质达标率≥80%，受益群众满意度≥90%。"


def test_a_target_in_the_goal_sentence_and_its_result_elsewhere_are_an_indicator():
    text = GOAL + "\n经抽检，设施正常运行率为85%，出水水质达标率为82%；问卷调查满意度为92.1%。"
    rows = find_prose_indicators(text, 0, len(text), [])
    assert [(r.level3.text, r.target.text, r.actual.text) for r in rows] == [
        ("设施正常运行率", "≥90%", "85%"), ("出水水质达标率", "≥80%", "82%"), ("满意度", "≥90%", "92.1%")]
    for r in rows:
        assert text[r.actual.start:r.actual.end] == r.actual.text and r.actual.start > len(GOAL)
    # a shortened name that occurs twice is not taken for the indicator
    twice = GOAL + "\n满意度为92.1%，上年满意度为88%。"
    assert [r.level3.text for r in find_prose_indicators(twice, 0, len(twice), [])] == []


def test_D25_a_narrative_scored_in_full_against_its_own_shortfalls():
    short = GOAL + "经抽检，设施正常运行率为85%。"
    [f] = run(HEADER + narrative(extra=short, conclusion="本项目自评得分100分，等级为优。"), "D25")
    assert "设施正常运行率" in f.message and f.kind == "score_inflation"
    met = GOAL + "经抽检，设施正常运行率为93%。"
    spent = HEADER + narrative(extra=met, conclusion="本项目自评得分100分，等级为优。")
    spent = spent.replace("执行数90万元，预算执行率90%", "执行数100万元，预算执行率100%")
    assert "执行率100%" in spent and run(spent, "D25") == []
    # the execution rate stated below 100%: the execution item alone cannot be full
    [f] = run(HEADER + narrative(conclusion="本项目自评得分100分，等级为优。"), "D25")
    assert "执行率只有90%" in f.message
    assert run(HEADER + narrative(conclusion="本项目自评得分96分，等级为优。"), "D25") == []


def test_D25_a_narrative_total_above_what_its_execution_rate_leaves():
    low = HEADER + narrative(conclusion="本项目自评得分98.5分，等级为优。").replace(
        "执行数90万元，预算执行率90%", "执行数77万元，预算执行率77%")
    [f] = run(low, "D25")
    assert f.expected == "≤97.7" and f.stated == "98.5"
    assert run(low.replace("98.5分", "97.5分"), "D25") == []


def test_a_result_followed_by_its_target_is_an_indicator():
    text = "（一）数量指标：完成危房改造86户，年度目标100户，完成率86%。（二）质量指标：竣工验收合格率100%。"
    [r] = find_prose_indicators(text, 0, len(text), [])
    assert (r.level3.text, r.target.text, r.actual.text) == ("危房改造", "100户", "86户")
    for ref in (r.level3, r.target, r.actual, r.row):
        assert text[ref.start:ref.end] == ref.text
    # money against its plan is the funds' execution
    money = "支出资金86万元，年度计划100万元。"
    assert find_prose_indicators(money, 0, len(money), []) == []


def test_a_goal_tied_to_its_result_by_an_uncommon_unit():
    text = ("年度绩效目标为：补贴农村散养户能繁母猪不少于2,400头，防疫密度100%。"
            "三、完成情况\n全年为2,215头能繁母猪发放补贴，补贴标准每头100元。")
    rows = find_prose_indicators(text, 0, len(text), [])
    assert [(r.target.text, r.actual.text) for r in rows] == [("不少于2,400头", "2,215头")]
    for ref in (rows[0].level3, rows[0].target, rows[0].actual, rows[0].row):
        assert text[ref.start:ref.end] == ref.text
    # two figures in the unit: which one answers the goal is not known
    two = text.replace("补贴标准每头100元。", "其中二元杂交母猪1,020头。")
    assert find_prose_indicators(two, 0, len(two), []) == []
    # a common unit (人, 个, %) ties nothing by itself
    people = "年度绩效目标为：培训农村劳动力不少于300人。三、完成情况\n全年共有268人参加培训。"
    assert find_prose_indicators(people, 0, len(people), []) == []


def test_D49_claim_of_completion_against_a_goal_worded_differently_where_it_is_met():
    extra = ("年度绩效目标为：补贴农村散养户能繁母猪不少于2,400头。全年为2,215头能繁母猪发放补贴。"
             "经综合评价，本项目各项绩效目标全面完成。")
    [f] = run(HEADER + narrative(extra=extra), "D49")
    assert "2,215头" in f.message


def test_a_goal_figure_without_an_operator_is_a_target_under_its_own_name():
    text = ("（三）绩效目标。受益学生不少于8,400人；采取食堂供餐的学校46所。"
            "二、完成情况\n全年受益学生8,437人；采取食堂供餐的学校43所，3个教学点无食堂。")
    rows = find_prose_indicators(text, 0, len(text), [])
    assert [(r.level3.text, r.target.text, r.actual.text) for r in rows] == [
        ("受益学生", "不少于8,400人", "8,437人"), ("采取食堂供餐的学校", "46所", "43所")]
    # a bare figure whose name comes back only in part is no target
    loose = text.replace("采取食堂供餐的学校43所", "有43所供餐")
    assert [r.level3.text for r in find_prose_indicators(loose, 0, len(loose), [])] == ["受益学生"]


def test_a_goal_that_names_its_count_after_the_figure():
    text = ("（三）绩效目标。全年为不少于1,500名老年人提供居家养老上门服务，服务对象满意度不低于90%。"
            "二、完成情况\n全年共为1,386名老年人提供上门服务，满意度93.3%。")
    rows = find_prose_indicators(text, 0, len(text), [])
    assert ("老年人", "不少于1,500名", "1,386名") in [(r.level3.text, r.target.text, r.actual.text) for r in rows]
    extra = "（三）绩效目标。全年为不少于1,500名老年人提供上门服务。全年共为1,386名老年人提供上门服务。本项目年度绩效目标全部完成。"
    [f] = run(HEADER + narrative(extra=extra), "D49")
    assert "1,386名" in f.message


def test_results_and_mentions_of_the_goal_are_no_goal_sentences():
    """绩效目标完成情况 opens the results, and 未达到…的年度目标， mentions a goal: neither sets a
    target, so a result stated there is never paired with itself elsewhere."""
    form = "预期目标:设置村级公益岗位不少于480个。 实际完成情况:设置村级公益岗位486个。\n"
    said = ("(二)绩效目标完成情况。全年发电量968万千瓦时,未达到1050万千瓦时的年度目标,主要原因是阴雨天气偏多;"
            "设置村级公益岗位486个,吸纳脱贫人口就业。\n")
    text = form + said
    rows = find_prose_indicators(text, 0, len(text), [])
    assert all(r.target.text != r.actual.text for r in rows)
    assert all(r.target.text.startswith("不少于") for r in rows if "公益岗位" in r.level3.text)
