"""A 自评表 saved from a sheet as CSV and read as text: quoted fields (with commas and line
breaks inside), merged cells as empty fields, figures with thousands separators in other layouts."""

from __future__ import annotations

from reviewer.models import SourceDocument
from reviewer.parse import parse_source
from reviewer.structure.csv_tables import find_csv_tables

CSV_FORM = """甲区2022年度项目支出绩效自评表,,,,,,,,
项目名称,既有住宅加装电梯财政补贴项目,,,,,,,
资金情况（万元）,,年初预算数,全年预算数,全年执行数,分值,执行率,得分,
,年度资金总额,180.00,180.00,153.00,10,85.00%,8.50,
,其中：当年财政拨款,180.00,180.00,153.00,,,,
一级指标,二级指标,三级指标,年度指标值,实际完成值,分值,得分,偏差原因分析及改进措施,
产出指标,数量指标,加装电梯完工数量,≥30部,26部,50,43.33,"4部因住户意见不一,未能开工;
已组织协商,2023年二季度前开工。"
,质量指标,电梯验收合格率,=100%,100%,10,10,,
效益指标,社会效益,上下楼便利程度,明显提升,明显提升,20,20,,
满意度指标,服务对象满意度,居民满意度,≥85%,96%,10,10,,
"""


def test_a_csv_form_reads_funds_rows_and_quoted_reasons():
    text = CSV_FORM
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    total = rep.funds.rows[0]
    assert (total.budget_full.text, total.executed.text, total.rate.text, total.score.text) == ("180.00", "153.00", "85.00%", "8.50")
    names = [r.level3.text for r in rep.indicators]
    assert names == ["加装电梯完工数量", "电梯验收合格率", "上下楼便利程度", "居民满意度"]
    first = rep.indicators[0]
    assert first.reason.text == "4部因住户意见不一,未能开工;\n已组织协商,2023年二季度前开工。"
    for r in rep.indicators:
        for ref in (r.level3, r.target, r.actual, r.weight, r.score):
            assert text[ref.start:ref.end] == ref.text  # every cell points at its verbatim text


def test_pipe_rows_with_thousands_separators_and_prose_are_not_csv():
    pipe = "| 项目资金 | 年初预算数 | 全年预算数 | 全年执行数 |\n| 年度资金总额 | 2,160,000.00 | 2,304,000.00 | 2,211,840.00 |\n" * 3
    assert find_csv_tables(pipe) == []
    prose = "项目覆盖A村,B村,C村,D村,E村。\n资金用于道路,路灯,绿化,排水,公厕。\n另有培训,宣传,督导,检查,验收。\n" * 2
    assert find_csv_tables(prose) == []  # half-width commas in prose: no form header words, no sheet
