"""A reviewer that raises (its own bug, a broken index) costs the report nothing but that
reviewer's findings: the rule flags stay, and the failure is said per report."""

from __future__ import annotations

from rulekit import full_report

from reviewer.models import SourceDocument
from reviewer.outputs.records import ErrorRecord
from reviewer.parse import parse_source
from reviewer.pipeline import review_parsed
from reviewer.profile import Profile


class Broken:
    name = "retrieval"

    def review(self, parsed, report, rule_flags):
        raise NameError("name 're' is not defined")


def test_rule_flags_survive_a_reviewer_that_raises():
    text = full_report(conclusion="本项目自评得分98分，等级为“良”。")  # D13: 98 is 优, not 良
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    alone = review_parsed(parsed, Profile()).reports[0]
    got = review_parsed(parsed, Profile(), [Broken()]).reports[0]
    assert [f.rule for f in got.flags] == [f.rule for f in alone.flags] and got.flags
    assert got.stats["reviewer_errors"] == 1
    [failure] = got.failures
    assert failure.code == "reviewer_error" and "retrieval" in failure.message_zh and "NameError" in failure.message_en
    rec = ErrorRecord.from_failure("t.txt", 0, failure)
    assert rec.report == 0 and "报告1" in rec.message_zh
