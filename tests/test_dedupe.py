"""One defect, one finding: the dedupe step after the rules (reviewer.dedupe)."""

from __future__ import annotations

from reviewer.dedupe import dedupe_flags
from reviewer.models import Evidence, Flag
from reviewer.parse import parse_file
from reviewer.pipeline import review_parsed
from reviewer.profile import load_profile

from test_annotate_docx import make_seed_docx


def _flag(rule: str, spans: list[tuple[int, int]], expected: str | None, stated: str | None,
          severity: str = "warning") -> Flag:
    return Flag(file="a.txt", report=0, title="t", rule=rule, kind="arithmetic", severity=severity, message=f"{rule} 说明",
                evidence=[Evidence(quote="x" * (e - s), start=s, end=e) for s, e in spans], expected=expected, stated=stated)


def test_same_rule_same_amount_two_expected_values_is_one_finding():
    a = _flag("D19", [(10, 20), (30, 35)], "80%", "95%")
    b = _flag("D19", [(10, 20), (40, 45)], "79.17%", "95%", severity="error")
    out = dedupe_flags([a, b])
    assert len(out) == 1
    assert out[0].expected == "80% 或 79.17%" and out[0].severity == "error" and out[0].evidence == a.evidence


def test_two_rules_on_the_same_evidence_and_figures_are_one_finding():
    a = _flag("D19", [(1, 4), (5, 9)], "80%", "95%")
    b = _flag("D61", [(5, 9), (1, 4)], "80%", "95%")
    assert [f.rule for f in dedupe_flags([a, b])] == ["D19"]


def test_different_defects_stay_apart():
    base = _flag("D19", [(1, 4)], "80%", "95%")
    others = [
        _flag("D19", [(1, 4)], "80%", "90%"),  # another stated figure
        _flag("D19", [(50, 60)], "80%", "95%"),  # another place
        _flag("D02", [(1, 4)], "81%", "95%"),  # another rule that expects something else
        _flag("D12", [(1, 4)], "80%", None),  # states nothing
        _flag("D02", [(1, 4)], None, "95%"),  # another rule that names no expected value
    ]
    for o in others:
        assert len(dedupe_flags([base, o])) == 2, o.rule
    other_report = base.model_copy(update={"report": 1})
    assert len(dedupe_flags([base, other_report])) == 2


def test_pipeline_reports_the_seed_rate_sentence_once(tmp_path):
    """The seed's 预算执行率95% against 96 ÷ 120 = 80% is one finding, not a D19 and a D61."""
    parsed = parse_file(make_seed_docx(tmp_path / "seed.docx"))
    flags = review_parsed(parsed, load_profile()).reports[0].flags
    on_sentence = [f for f in flags if any(e.quote == "预算执行率95%" for e in f.evidence)]
    assert len(on_sentence) == 1 and on_sentence[0].expected == "80%" and on_sentence[0].stated == "95%"
    keys = [(f.rule, f.stated, frozenset((e.start, e.end) for e in f.evidence)) for f in flags]
    assert len(keys) == len(set(keys))
