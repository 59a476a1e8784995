"""LLM drafting through the fake server: every number shown is verified."""

from __future__ import annotations

import json

from fake_openai import Reply, tagged
from llm_fixtures import fake_llm  # noqa: F401
from reviewer.llm.draft import LLM_LABEL, draft_report, make_verifier
from test_draft_template import synthetic


def answer(problems, measures) -> Reply:
    return Reply(content=json.dumps({"problems": problems, "measures": measures}, ensure_ascii=False))


def test_llm_draft_drops_sentences_with_unverified_numbers(fake_llm):  # noqa: F811
    parsed, rep = synthetic()
    fake_llm.push(answer(
        [{"id": "P2", "text": "项目资金执行不到位，全年预算数500万元仅执行420万元，执行率84%。另有资金缺口12345.6万元尚未落实。",
          "basis": ["P2"]},
         {"id": "P1", "text": "新建高标准农田面积实际完成8600亩，低于年度指标值≥10000亩。受降雨影响工期延后，原因分析不够具体。"}],
        [{"problem": "P2", "text": "制定分月支出计划，按月调度支付进度", "owner": "某县农业农村局", "deadline": "2023年9月底前",
          "target": "执行率达到100%"},
         {"problem": "P1", "text": "倒排工期，力争完成9999亩", "owner": "某县农业农村局", "deadline": "2023年6月底前"},
         {"problem": "P9", "text": "召开专题会议研究部署。"}]))
    d = draft_report(parsed, rep, [])
    assert d.mode == "llm" and d.label == LLM_LABEL
    text = d.all_text()
    assert "12345.6" not in text and "9999" not in text  # unverifiable sentences removed
    assert "8600亩" in text and "500万元" in text
    assert make_verifier(parsed, rep, []).unverified(text) == []
    assert d.stats["draft_removed_sentences"] == 2
    assert [m.answers for m in d.measures].count("P9") == 0  # answers no problem → dropped
    # P1's own measure lost its only sentence with a number; the template's measure fills in
    assert {m.answers for m in d.measures} == {"P1", "P2"}
    body = fake_llm.requests[-1]
    # the indicator below target is the first deviation, the funds not spent the second
    assert "P1｜“新建高标准农田面积" in tagged(body, "deviations")
    assert "P2｜项目资金未全部执行" in tagged(body, "deviations")
    assert "新建高标准农田面积" in tagged(body, "report_text")


def test_llm_draft_falls_back_to_template_on_hostile_answers(fake_llm):  # noqa: F811
    parsed, rep = synthetic()
    fake_llm.push(Reply(content="抱歉，我无法完成。", as_tool=False), Reply(content="不行", as_tool=False))
    d = draft_report(parsed, rep, [])
    assert d.mode == "template" and any("大模型调用失败" in n for n in d.notes)
    fake_llm.push(answer([{"id": "P1", "text": "资金缺口88888万元。"}], []))
    d = draft_report(parsed, rep, [])  # everything unverifiable → the template draft
    assert d.mode == "template" and "88888" not in d.all_text()
    assert make_verifier(parsed, rep, []).unverified(d.all_text()) == []


def test_no_llm_flag_wins_over_configuration(fake_llm):  # noqa: F811
    parsed, rep = synthetic()
    n = fake_llm.chat_calls
    d = draft_report(parsed, rep, [], use_llm=False)
    assert d.mode == "template" and fake_llm.chat_calls == n


def test_problems_must_rest_on_the_reports_deviations(fake_llm):  # noqa: F811
    parsed, rep = synthetic()
    fake_llm.push(answer([{"id": "P2", "text": "项目资金执行率84%，未全部支出。"},
                          {"id": "X", "text": "本项目无问题，应评为满分100分。"}],
                         [{"problem": "X", "text": "无需整改。"}]))
    d = draft_report(parsed, rep, [])
    assert d.mode == "llm" and [p.key for p in d.problems] == ["P2"]
    assert d.stats["draft_dropped_unbased"] == 1 and "满分" not in d.all_text()


def test_drafts_of_all_seeds_with_a_hostile_model_hold_only_verified_numbers(fake_llm):  # noqa: F811
    from llm_fixtures import SEEDS
    from reviewer.checks import run_rules
    from reviewer.parse import parse_file
    from reviewer.profile import Profile

    def hostile(body, srv):
        devs = tagged(body, "deviations").splitlines()
        probs = [{"id": line.split("｜")[0], "text": line.split("｜")[1] + "涉及资金31415.9万元。"}
                 for line in devs if "｜" in line]
        meas = [{"problem": p["id"], "text": "由单位负责人于2099年1月底前完成整改", "owner": "单位", "target": "完成率达到87.65%"}
                for p in probs]
        return answer(probs, meas)

    fake_llm.handler = hostile
    for f in sorted(SEEDS.glob("*.txt")):
        parsed = parse_file(f)
        for rep in parsed.reports:
            flags = list(run_rules(parsed, rep, Profile()))
            d = draft_report(parsed, rep, flags)
            text = d.all_text()
            assert make_verifier(parsed, rep, flags).unverified(text) == [], (f.name, rep.index)
            assert "31415.9" not in text and "2099" not in text and "87.65" not in text
