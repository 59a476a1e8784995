"""A 自评表 read column by column (a PDF's text extracted one column at a time): each column's
header word on a line, then its cells, one a line."""

from __future__ import annotations

from reviewer.models import SourceDocument
from reviewer.parse import parse_source
from reviewer.structure.column_forms import find_column_forms

try:
    from rulekit import run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import run

NAMES = ["场馆开放天数", "年接待健身群众人次", "赛事活动场次", "健身群众满意度"]
TARGETS = ["≥330天", "≥15万人次", "≥12场", "≥90%"]
ACTUALS = ["336天", "13.2万人次", "14场", "92.8%"]
WEIGHTS = ["30", "30", "20", "10"]
SCORES = ["30", "30", "20", "10"]


def _form(scores=SCORES, total=("100", "99.05"), actuals=ACTUALS) -> str:
    cols = [("三级指标", NAMES), ("年度指标值", TARGETS), ("实际完成值", actuals), ("分值", WEIGHTS), ("得分", scores)]
    funds = ("项目资金(万元)\n年度资金总额\n其中:当年财政拨款\n上年结转资金\n"
             "年初预算数\n80.00\n80.00\n0.00\n全年预算数\n80.00\n80.00\n0.00\n全年执行数\n76.00\n76.00\n0.00\n"
             "分值\n10\n执行率\n95.00%\n得分\n9.50\n")
    levels = "一级指标\n产出指标\n效益指标\n满意度指标\n二级指标\n数量指标\n社会效益指标\n服务对象满意度指标\n"
    body = "".join(f"{h}\n" + "".join(v + "\n" for v in vals) for h, vals in cols)
    return ("丙县2019年度体育场馆开放补助资金绩效自评表\n项目支出绩效自评表\n(2019年度)\n" + funds + levels + body
            + "总分\n" + "\n".join(total) + "\n")


def _report(text: str):
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    return rep


def test_rows_are_read_across_the_columns():
    rep = _report(_form())
    got = [(r.level3.text, r.target.text, r.actual.text, r.weight.text, r.score.text) for r in rep.indicators]
    assert got == list(zip(NAMES, TARGETS, ACTUALS, WEIGHTS, SCORES))
    assert rep.stated_total is not None and rep.stated_total.text == "99.05"
    total, *parts = rep.funds.rows
    assert (total.budget_full.value, total.executed.value, total.rate.text, total.score.text) == (80.0, 76.0, "95.00%", "9.50")
    assert [p.executed.value for p in parts] == [76.0, 0.0] and parts[0].score is None
    # a row is quoted by its name: its cells lie apart in the text
    assert [r.row.text for r in rep.indicators] == NAMES


def test_rules_read_a_column_form_as_any_other():
    text = _form()
    [d24] = run(text, "D24")
    # the row is quoted by its name and its figures, each where it stands in its column
    assert [e.quote for e in d24.evidence] == ["年接待健身群众人次", "≥15万人次", "13.2万人次"]
    [d12] = run(text, "D12")  # 30 + 30 + 20 + 10 + 9.50 = 99.5, not 99.05
    assert d12.stated == "99.05"


def test_columns_of_different_lengths_are_not_read():
    """A column with a cell missing cannot say which row each cell is on."""
    text = _form(actuals=ACTUALS[:3])
    assert not any(t.columns and "level3" in t.columns for t in find_column_forms(text))
    # a form written one cell a line, row by row, is left to the other readers
    rowwise = "三级指标\n年度指标值\n实际完成值\n分值\n得分\n场馆开放天数\n≥330天\n336天\n30\n30\n"
    assert find_column_forms(rowwise) == []


def test_a_total_written_at_the_foot_of_its_columns_and_goal_cells_between_the_funds_columns():
    """As a table's first column comes out first: 总分 above the header, its weight and score one
    more cell at the foot of those columns; the goal cells of the funds rows between its columns."""
    funds = ("项目资金（万元）\n年度总体目标\n年度资金总额\n其中：当年财政拨款\n预期目标\n完成全县场馆开放。\n"
             "年初预算数\n80\n80\n实际完成情况\n开放336天。\n全年预算数\n80\n80\n全年执行数\n76\n76\n"
             "分值\n10\n—\n执行率\n95%\n95%\n得分\n9.5\n—\n")
    cols = [("三级指标", NAMES), ("年度指标值", TARGETS), ("实际完成值", ACTUALS), ("分值", WEIGHTS + ["90"]),
            ("得分", SCORES + ["89"])]
    body = "绩效指标\n总分\n" + "".join(f"{h}\n" + "".join(v + "\n" for v in vals) for h, vals in cols)
    rep = _report("丙县2019年度体育场馆开放补助资金绩效自评表\n" + funds + body + "偏差原因分析及改进措施\n")
    assert [r.score.text for r in rep.indicators] == SCORES
    assert rep.stated_total is not None and rep.stated_total.text == "89"
    total, part = rep.funds.rows
    assert (total.executed.value, total.score.text, part.executed.value, part.score) == (76.0, "9.5", 76.0, None)
    # a foot cell in one of the two columns only: they do not line up, nothing is read
    cols[4] = ("得分", SCORES)
    odd = "绩效指标\n总分\n" + "".join(f"{h}\n" + "".join(v + "\n" for v in vals) for h, vals in cols)
    assert not any(t.columns and "level3" in t.columns for t in find_column_forms(odd))
