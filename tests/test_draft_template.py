"""The deterministic template draft (no model) and the ``jixiao draft`` command."""

from __future__ import annotations

import docx
import pytest

from llm_fixtures import SEEDS, no_llm_env  # noqa: F401
from reviewer.checks import run_rules
from reviewer.cli import main
from reviewer.llm.draft import TEMPLATE_LABEL, collect_deviations, draft_report, make_verifier, write_docx
from reviewer.models import FundsRow, FundsTable, IndicatorRow, NumberRef, ParsedFile, Report, SourceDocument, TextRef
from reviewer.parse import parse_file
from reviewer.profile import Profile

SYNTH = (
    "某县农业农村局2022年高标准农田建设项目支出绩效自评报告\n"
    "项目资金（万元）\n年度资金总额\t500\t500\t420\t10\t84%\t8.4\n"
    "产出指标\t数量指标\t新建高标准农田面积（亩）\t≥10000亩\t8600亩\t20\t17.2\t受降雨影响工期延后\n"
    "满意度指标\t服务对象满意度指标\t受益农户满意度\t≥90%\t92%\t10\t10\t\n"
    "四、存在的问题\n加强管理。\n"
)


def ref(text: str, token: str, cls=TextRef, nth: int = 0, **kw):
    i = -1
    for _ in range(nth + 1):
        i = text.index(token, i + 1)
    return cls(text=token, start=i, end=i + len(token), **kw)


def synthetic() -> tuple[ParsedFile, Report]:
    t = SYNTH
    src = SourceDocument(path="synthetic.txt", format="txt", text=t)
    row_start = t.index("年度资金总额")
    funds = FundsTable(rows=[FundsRow(
        name=ref(t, "年度资金总额"),
        budget_initial=ref(t, "500", NumberRef, value=500.0), budget_full=ref(t, "500", NumberRef, 1, value=500.0),
        executed=ref(t, "420", NumberRef, value=420.0), weight=ref(t, "10", NumberRef, value=10.0),
        rate=ref(t, "84%", NumberRef, value=84.0, unit="%"), score=ref(t, "8.4", NumberRef, value=8.4))])
    line = t[t.index("产出指标"):t.index("\n", t.index("产出指标"))]
    ind = IndicatorRow(level1="产出指标", level2="数量指标", level3=ref(t, "新建高标准农田面积（亩）"),
                       target=ref(t, "≥10000亩"), actual=ref(t, "8600亩"),
                       weight=ref(t, "20", NumberRef, value=20.0), score=ref(t, "17.2", NumberRef, value=17.2),
                       reason=ref(t, "受降雨影响工期延后"), row=ref(t, line))
    line2 = t[t.index("满意度指标"):t.index("\n", t.index("满意度指标"))]
    ok = IndicatorRow(level1="满意度指标", level2="服务对象满意度指标", level3=ref(t, "受益农户满意度"),
                      target=ref(t, "≥90%"), actual=ref(t, "92%"), weight=ref(t, "10", NumberRef, 2, value=10.0),
                      score=ref(t, "10", NumberRef, 3, value=10.0), row=ref(t, line2))
    rep = Report(file="synthetic.txt", index=0, start=0, end=len(t), title=t.splitlines()[0],
                 organisation="某县农业农村局", year=2022, funds=funds, indicators=[ind, ok])
    assert row_start < ind.row.start
    return ParsedFile(source=src, reports=[rep]), rep


def test_template_draft_rests_on_the_reports_figures():
    parsed, rep = synthetic()
    d = draft_report(parsed, rep, [], use_llm=False)
    assert d.mode == "template" and d.label == TEMPLATE_LABEL
    assert len(d.problems) == 2 and len(d.measures) == 2  # funds + one indicator; the met row is not a problem
    ind, funds = d.problems  # the indicator below target is named first
    for token in ("500", "420", "84%", "80"):  # 80 = 500 − 420, computed
        assert token in funds.text
    for token in ("新建高标准农田面积（亩）", "≥10000亩", "8600亩", "20", "17.2", "受降雨影响工期延后"):
        assert token in ind.text
    for m, p in zip(d.measures, d.problems):
        assert m.answers == p.key
        assert "某县农业农村局" in m.text  # who
        assert "2023年" in m.text and "月底前" in m.text  # by when (fiscal year + 1, computed)
    assert "执行率达到100%" in d.measures[1].text
    assert "≥10000亩" in d.measures[0].text  # measurable target from the report
    for p in d.problems:
        assert p.basis and all(parsed.source.text[e.start:e.end] == e.quote for e in p.basis)
    v = make_verifier(parsed, rep, [])
    assert v.unverified(d.all_text()) == []
    assert d.stats["draft_removed_sentences"] == 0


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not available")
def test_template_drafts_of_the_seeds_hold_only_verified_numbers(no_llm_env):  # noqa: F811
    n_problems = 0
    for f in sorted(SEEDS.glob("*.txt")):
        parsed = parse_file(f)
        for rep in parsed.reports:
            flags = list(run_rules(parsed, rep, Profile()))
            d = draft_report(parsed, rep, flags, use_llm=False)
            v = make_verifier(parsed, rep, flags)
            assert v.unverified(d.all_text()) == [], (f.name, rep.index, d.all_text())
            assert d.stats["draft_removed_sentences"] == 0
            assert len(d.measures) >= len(d.problems)
            n_problems += len(d.problems)
            for p in d.problems:
                assert all(parsed.source.text[e.start:e.end] == e.quote for e in p.basis)
    assert n_problems >= 5


def test_deviations_include_rule_flags_of_the_right_kinds():
    from reviewer.models import Evidence, Flag

    parsed, rep = synthetic()
    ev = Evidence(quote="8.4", start=SYNTH.index("8.4"), end=SYNTH.index("8.4") + 3)
    mk = lambda rule, kind, sev: Flag(file="synthetic.txt", report=0, title=rep.title, rule=rule, kind=kind,  # noqa
                                      severity=sev, message="自评得分合计与表内得分之和不一致", evidence=[ev],
                                      expected="35.6", stated="36")
    devs = collect_deviations(parsed, rep, [mk("D12", "arithmetic", "error"), mk("D22", "boilerplate", "warning"),
                                            mk("D26", "missing", "info")])
    rules = [d.rule for d in devs if d.kind == "report"]
    assert rules == ["D12"]  # boilerplate and info flags are not draft material
    d = draft_report(parsed, rep, [mk("D12", "arithmetic", "error")], use_llm=False)
    assert "2023年度绩效自评报告报送前" in d.measures[-1].text
    assert "35.6" in devs[-1].text and "36" in devs[-1].text


def test_draft_command_writes_terminal_markdown_and_docx(no_llm_env, tmp_path, capsys):  # noqa: F811
    src = tmp_path / "r.txt"
    src.write_text((SEEDS / "002_c23655f7ba6c33aa.txt").read_text("utf-8") if SEEDS.is_dir() else SYNTH, "utf-8")
    out, md = tmp_path / "d.docx", tmp_path / "d.md"
    assert main(["draft", str(src), "--out", str(out), "--md", str(md)]) == 0
    cap = capsys.readouterr()
    assert "（一）存在问题" in cap.out and "（二）改进措施" in cap.out and "模板草稿" in cap.out
    assert cap.err.count("未配置大模型") == 1
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "存在问题" in text and "改进措施" in text and "模板草稿" in text
    assert "### （一）存在问题" in md.read_text("utf-8")
    assert main(["draft", str(src), "--report", "9"]) == 2
    assert main(["draft", str(tmp_path / "missing.txt")]) == 1


def test_draft_report_accepts_what_check_prints(no_llm_env, tmp_path, capsys):  # noqa: F811
    """``jixiao check`` numbers reports from 1 (``file:报告1 «…»``); ``draft --report`` takes
    that number, written either way."""
    import re

    from reviewer.commands.draft import report_number

    src = tmp_path / "r.txt"
    src.write_text((SEEDS / "002_c23655f7ba6c33aa.txt").read_text("utf-8") if SEEDS.is_dir() else SYNTH, "utf-8")
    main(["check", str(src), "--no-llm"])
    header = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith(f"{src}:"))
    label, title = re.fullmatch(rf"{re.escape(str(src))}:(报告\d+) «(.+)»", header).groups()
    assert label == "报告1"
    for given in (label, label.removeprefix("报告")):
        assert main(["draft", str(src), "--report", given]) == 0
        assert title in capsys.readouterr().out
    assert report_number("第2份") == 2
    with pytest.raises(SystemExit):
        main(["draft", str(src), "--report", "0"])


def test_docx_for_several_reports(tmp_path):
    parsed, rep = synthetic()
    d = draft_report(parsed, rep, [], use_llm=False)
    p = write_docx([d, d], tmp_path / "two.docx")
    paras = [x.text for x in docx.Document(str(p)).paragraphs]
    assert sum("存在问题及改进措施" in x for x in paras) == 2


# the reviewer's working (应为 …, … = 80%, 96 ÷ 120) never appears in a drafted problem; the
# report's own text may hold an "=" (年度指标值=|6|万元) that is not followed by a figure we computed
REVIEWER_NOTE = __import__("re").compile(r"应为|应得|核算后|\d\s*[÷×]\s*\d|[=＝]\s*\d")


@pytest.fixture(scope="module")
def labelled_drafts():
    """Template drafts of every seed and real excerpt, with the deviations they rest on."""
    from reviewer.pipeline import review_parsed
    from reviewer.profile import load_profile
    from shared_paths import REALWORLD

    profile = load_profile()
    out = []
    for path in sorted(SEEDS.glob("*.txt")) + sorted((REALWORLD / "reports").iterdir()):
        parsed = parse_file(path)
        for rr in review_parsed(parsed, profile).reports:
            devs = collect_deviations(parsed, rr.report, rr.flags)
            out.append((path.name, devs, draft_report(parsed, rr.report, rr.flags, use_llm=False, profile=profile)))
    assert sum(len(d.problems) for _, _, d in out) >= 40
    return out


def test_measures_differ_per_problem_and_name_it(labelled_drafts):
    """Each measure answers its own problem: it names that problem's indicator or finding,
    and no two measures of a draft share one sentence pattern (names and figures aside)."""
    import re

    pattern = lambda t: re.sub(r"“[^”]*”|[\d.]+%?", "", t)  # noqa: E731
    n_multi = 0
    for name, devs, d in labelled_drafts:
        by_key = {dv.id: dv for dv in devs}
        for m in d.measures:
            dv = by_key[m.answers]
            assert dv.subject in m.text, (name, dv.subject, m.text)
        pats = [pattern(m.text) for m in d.measures]
        assert len(set(pats)) == len(pats), (name, [m.text for m in d.measures])
        n_multi += len(d.measures) >= 3
    assert n_multi >= 5


def test_no_reviewer_notes_inside_drafted_problems(labelled_drafts):
    problems = [p.text for _, _, d in labelled_drafts for p in d.problems]
    assert [p for p in problems if REVIEWER_NOTE.search(p)] == []
    assert REVIEWER_NOTE.search("执行率应为 96 ÷ 120 = 80%") and not REVIEWER_NOTE.search("年度指标值=|6|万元")


def test_a_shortfall_in_the_table_is_named_first(labelled_drafts):
    n = 0
    for name, devs, d in labelled_drafts:
        short = [dv for dv in devs if dv.kind in ("indicator", "satisfaction") and dv.short]
        if short:
            n += 1
            assert d.problems[0].key == short[0].id, (name, d.problems[0].text)
            assert short[0].subject in d.problems[0].text
    assert n >= 3
