"""D87: a funds section of compliance phrases, with no spending figure anywhere in the report."""

from __future__ import annotations

try:
    from rulekit import HEADER, narrative, run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import HEADER, narrative, run

COMPLIANCE = "项目资金实行专账核算、专款专用，按照工程进度和合同约定拨付，未发现挤占、挪用等问题。"


def _report(funds: str) -> str:
    return HEADER + narrative().replace("全年预算数100万元，执行数90万元，预算执行率90%。", funds)


def test_d87_no_spending_figure_anywhere():
    [f] = run(_report(COMPLIANCE), "D87")
    assert f.kind == "missing" and any(COMPLIANCE[:10] in ev.quote for ev in f.evidence)
    # a figure of what was spent, in the section or elsewhere, answers it
    assert run(_report("全年预算180万元，实际支出171.6万元。" + COMPLIANCE), "D87") == []
    assert run(_report(COMPLIANCE) + "经自评，预算执行率95.33%。\n", "D87") == []


def test_d87_not_for_a_section_the_text_is_cut_in():
    cut = _report(COMPLIANCE)
    cut = cut[:cut.index("三、绩效目标完成情况")].rstrip("\n。") + "，全年实际"
    assert run(cut, "D87") == []
