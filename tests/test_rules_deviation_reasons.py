"""D84: a shortfall's 偏差原因 that names no cause."""

from __future__ import annotations

from reviewer.checks.deviation_reasons import names_no_cause

try:
    from rulekit import HEADER, STANDARD_ROWS, full_report, narrative, run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import HEADER, STANDARD_ROWS, full_report, narrative, run


def test_generic_and_circular_reasons_name_no_cause():
    for vague in ("受客观因素影响,今后加强管理。", "由于其他原因未能按期完成", "未完成是因为会诊例次没有达到年初目标", "多种原因所致"):
        assert names_no_cause(vague), vague
    for specific in ("11月连续降雪，北坡350株顺延至次年3月除治", "受疫情影响，部分培训改为线上",
                     "因客观原因，2户未开工，已于次年3月开工", "采购流标，12月重新招标"):
        assert not names_no_cause(specific), specific


def _rows(reason: str, score: str = "18"):
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "维修管网长度", "≥20公里", "18公里", "20", score, reason)
    return rows


def test_d84_a_reason_cell_that_names_no_cause():
    [f] = run(full_report(rows=_rows("受客观因素影响,今后加强管理。")), "D84")
    assert f.kind == "vague_problems" and "维修管网长度" in f.message
    assert f.evidence[0].quote == "受客观因素影响,今后加强管理。"
    assert run(full_report(rows=_rows("9月连续降雨，北段2公里顺延至次年4月")), "D84") == []


def test_d84_only_where_the_row_falls_short():
    rows = list(STANDARD_ROWS)
    rows[0] = ("产出指标", "数量指标", "维修管网长度", "≥20公里", "21公里", "20", "20", "受客观因素影响")
    assert run(full_report(rows=rows), "D84") == []


def test_d84_in_the_narrative():
    bad = HEADER + narrative(extra="安置人员在岗率为91%，未达到95%的目标，扣0.42分，主要是受客观因素影响。")
    [f] = run(bad, "D84")
    assert f.evidence[0].quote == "主要是受客观因素影响"
    # a generic cause named where nothing fell short is no deviation reason
    assert run(HEADER + narrative(extra="受客观因素影响，项目开工推迟，但仍按期完成。"), "D84") == []
    good = HEADER + narrative(extra="在岗率为91%，未达到95%的目标，主要是12月有9人转入企业就业。")
    assert run(good, "D84") == []


def test_d84_a_generic_cause_that_only_restates_the_shortfall():
    assert names_no_cause("受客观因素影响,人数有所减少")
    assert names_no_cause("由于其他原因，进度略有滞后")
    assert not names_no_cause("受客观因素影响，冬季施工进度滞后")  # names when


def test_d91_a_reason_given_as_none():
    bad = HEADER + narrative(extra="改造农村户厕210户，年度目标260户，完成率80.8%。偏差原因：无。",
                             problems="一是部分农户外出务工，改厕需入户协调，进度受到影响。")
    [f] = run(bad, "D91")
    assert f.kind == "missing" and "偏差原因：无" in f.message
    assert [e.quote for e in f.evidence] == ["改造农村户厕210户，年度目标260户", "偏差原因：无"]
    good = HEADER + narrative(extra="改造农村户厕210户，年度目标260户，完成率80.8%。偏差原因：50户因整村搬迁取消。")
    assert run(good, "D91") == []
