"""D77: 改进措施 that take up none of the problems the report names."""

from __future__ import annotations

try:
    from rulekit import HEADER, narrative, run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import HEADER, narrative, run

PROBLEMS = ("一是小修保养预算依据的养护定额明显低于市场价格，物价上涨加大了日常维护成本。"
            "二是养护人员经费不足，小修经费大部分用于人员工资福利。")
SLOGANS = ("一是增强预算执行的严肃性，规范操作流程，杜绝预算管理的随意性。"
           "二是强化预算绩效管理，坚持“花钱必问效，无效必问责”，建立全过程预算绩效管理机制。")


def test_D77_slogans_that_answer_no_problem():
    [f] = run(HEADER + narrative(problems=PROBLEMS, measures=SLOGANS), "D77")
    assert f.kind == "vague_problems" and "严肃性" in f.message
    assert f.evidence[0].quote.startswith("一是增强预算执行")


def test_D77_measures_that_take_up_the_problems():
    answer = ("一是按市场价格重新测算小修保养定额，2024年6月前报市财政局调整；"
              "二是人员经费单列，小修经费专款专用，坚持“花钱必问效”。")
    assert run(HEADER + narrative(problems=PROBLEMS, measures=answer), "D77") == []
    # no slogan: a plain measure is left to the other checks
    plain = "一是加快工程结算。二是做好资料归档。三是按时报送报表。四是做好下一年度申报。"
    assert run(HEADER + narrative(problems=PROBLEMS, measures=plain), "D77") == []
    assert run(HEADER + narrative(), "D77") == []


def test_D77_one_sentence_of_carrying_on():
    [f] = run(HEADER + narrative(problems=PROBLEMS, measures="继续做好农村公路养护工作。"), "D77")
    assert "继续做好农村公路养护工作" in f.message
    assert run(HEADER + narrative(problems=PROBLEMS, measures="继续做好养护工作，2024年6月前完成定额重新测算。"), "D77") == []


def test_D77_measures_end_where_the_attached_form_starts():
    measures = "进一步提高思想认识，加强组织领导，强化责任落实，确保各项工作落到实处。"
    form = "\n附：项目支出绩效自评表（2023年度）\n项目名称 | 小修保养定额 | 养护人员经费 | 工资福利\n"
    [f] = run(HEADER + narrative(problems=PROBLEMS, measures=measures) + form, "D77")
    assert "定额" not in f.evidence[0].quote  # the attached form is not part of the measures
