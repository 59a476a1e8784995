"""``jixiao compare`` on generated pairs (.docx and .xlsx): a report and a revision of it with
planted corrections, a deleted section and new errors; each class of finding is checked.

Planted in NEW: the 执行率 corrected in the 自评表 and in the narrative (95% → 80%, its score
9.5 → 8); the 存在问题 section deleted; a 满意度 score above its weight (12 of 10); a target,
the total and the grade changed. Left as they were: the 慰问户数 row (1150 of 1200户, full
marks, no reason).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document

from compare_pairs import ReportSpec, write_docx, write_xlsx
from reviewer.batch.session import open_session
from reviewer.cli import main as cli_main
from reviewer.compare.outputs import write_compare_outputs
from reviewer.compare.run import compare_paths

WRITERS = {"docx": write_docx, "xlsx": write_xlsx}
CARRYOVER_PROBLEM = "由于部分慰问对象外出务工，慰问金发放进度滞后，部分资金未能按期拨付到位。"
CARRYOVER_MEASURE = "下一步将建立慰问对象动态台账，由乡镇民政办每月核对一次，确保资金按期拨付到户。"


def _session():
    return open_session(no_llm=True, notify=lambda s: None)


def _revised(old: ReportSpec) -> ReportSpec:
    new = replace(old, rate="80%", rate_score="8", rate_sentence="80%", problems=None, total="98", grade="良")
    return new.with_indicator("慰问对象满意度", score="12").with_indicator("慰问金发放及时率", target="≥95%")


def _write_pair(tmp_path: Path, carrier: str, old: ReportSpec, new: ReportSpec) -> tuple[Path, Path]:
    w = WRITERS[carrier]
    return w(old, tmp_path / "old" / f"报告.{carrier}"), w(new, tmp_path / "new" / f"报告修订.{carrier}")


def _classes(cmp) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in cmp.result.findings:
        out.setdefault(f.cls, set()).add(f.rule)
    return out


@pytest.fixture(scope="module", params=sorted(WRITERS))
def revision(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    old, new = _write_pair(tmp, request.param, ReportSpec(), _revised(ReportSpec()))
    return request.param, tmp, compare_paths([str(old)], [str(new)], _session)


def test_each_class_of_finding(revision):
    _, _, cmp = revision
    assert len(cmp.result.matches) == 1 and cmp.result.matches[0].kind == "修订稿"
    cls = _classes(cmp)
    assert {"D02", "D19"} <= cls["已修正"]  # the 执行率 in the table and in the text
    d19 = next(f for f in cmp.result.findings if f.rule == "D19")
    assert "95%" in d19.reason and "80%" in d19.reason
    assert "D24" in cls["仍存在"]  # the 慰问户数 row was left as it was (its empty reason named by D24, not D14A)
    d24 = next(f for f in cmp.result.findings if f.rule == "D24")
    assert "未说明偏差原因" in (d24.new or d24.old).message
    assert "D23" in cls["随删除消失"]  # the empty 存在问题 went with its section: not corrected
    assert "D23" not in cls["已修正"]
    d23 = next(f for f in cmp.result.findings if f.rule == "D23")
    assert "四、存在问题" in d23.reason and "不算修正" in d23.reason
    assert {"D09", "D34"} <= cls["新出现"]  # 12 of 10 points; the deleted section is now missing
    for f in cmp.result.findings:
        assert (f.old is not None) == (f.cls != "新出现") and (f.new is not None) == (f.cls in ("仍存在", "新出现"))


def test_changes_name_both_values_and_cells(revision):
    carrier, _, cmp = revision
    ch = {(c.area, c.field, c.old, c.new): c for c in cmp.result.changes}
    rate = ch[("资金", "执行率", "95%", "80%")]
    assert ch[("资金", "得分", "9.5", "8")].numeric
    assert ("指标", "得分", "10", "12") in ch and ("正文", "资金情况", "95%", "80%") in ch
    assert ch[("指标", "年度指标值", "100%", "≥95%")].numeric
    assert ch[("总分", "自评得分", "99.5分", "98分")].numeric and ("等级", "评价等级", "优", "良") in ch
    text = cmp.new.files[cmp.result.matches[0].new.file].source.text
    for c in cmp.result.changes:  # each NEW value is where its location says
        if c.new_span and c.area != "章节":
            assert text[c.new_span[0]:c.new_span[1]] == c.new
    cell = "表1·R3·C7" if carrier == "docx" else "Sheet1!G9"
    assert rate.old_location == rate.new_location == cell
    deleted = [c for c in cmp.result.changes if c.area == "章节" and c.kind == "删除"]
    assert len(deleted) == 1 and deleted[0].old.startswith("四、存在问题")


def test_commented_docx_and_cli(revision, capsys):
    carrier, tmp, cmp = revision
    outs = write_compare_outputs(cmp, tmp / "out")
    still = [f for f in cmp.result.findings if f.cls == "仍存在"]
    doc = Document(str(outs.docx[0]))
    assert len(doc.comments) == len(still) > 0
    texts = "\n".join(c.text for c in doc.comments)
    assert all(f.rule in texts for f in still) and "D09" not in texts  # new findings get no 仍存在 comment
    rc = cli_main(["compare", "--no-llm", str(tmp / "old"), str(tmp / "new"), "--out", str(tmp / "cli")])
    assert rc == 1  # findings remain
    out = capsys.readouterr().out
    counts = {c: sum(1 for f in cmp.result.findings if f.cls == c) for c in ("已修正", "仍存在", "随删除消失")}
    assert "匹配 1 对" in out and all(f"{c} {n}" in out for c, n in counts.items())
    assert "资金·执行率 «年度资金总额» 95% → 80%" in out
    assert {p.name for p in (tmp / "cli").iterdir()} == {"compare.html", "compare.xlsx", "报告修订.对比批注.docx"}


def test_a_revision_in_another_carrier(tmp_path):
    """OLD as .docx, NEW as .xlsx: the same pairing and the same classes as within one carrier."""
    old = write_docx(ReportSpec(), tmp_path / "old.docx")
    same = compare_paths([str(old)], [str(write_docx(_revised(ReportSpec()), tmp_path / "new.docx"))], _session)
    cmp = compare_paths([str(old)], [str(write_xlsx(_revised(ReportSpec()), tmp_path / "new.xlsx"))], _session)
    assert len(cmp.result.matches) == 1 and _classes(cmp) == _classes(same)
    assert ("资金", "执行率", "95%", "80%") in {(c.area, c.field, c.old, c.new) for c in cmp.result.changes}


def test_same_report_compared_with_itself(tmp_path):
    path = write_docx(ReportSpec(), tmp_path / "a.docx")
    cmp = compare_paths([str(path)], [str(path)], _session)
    assert cmp.result.changes == []
    assert {f.cls for f in cmp.result.findings} == {"仍存在"} and cmp.result.carried_over == []


def test_year_over_year_carried_over_passages(tmp_path):
    last = ReportSpec(year=2022, problems=CARRYOVER_PROBLEM, measures=CARRYOVER_MEASURE)
    this = replace(last, year=2023, executed="110")
    old, new = _write_pair(tmp_path, "docx", last, this)
    cmp = compare_paths([str(old)], [str(new)], _session)
    assert [m.kind for m in cmp.result.matches] == ["上年报告"]
    copied = {(c.section, c.text) for c in cmp.result.carried_over}
    assert copied == {("存在问题", CARRYOVER_PROBLEM), ("改进措施", CARRYOVER_MEASURE)}
    text = cmp.new.files[str(new)].source.text
    assert all(text[c.new_span[0]:c.new_span[1]] == c.text for c in cmp.result.carried_over)
    outs = write_compare_outputs(cmp, tmp_path / "out")
    texts = [c.text for c in Document(str(outs.docx[0])).comments]
    assert sum("C01" in t for t in texts) == 2
    # a revision of the same year may keep its sections: nothing is called copied
    same_year = compare_paths([str(old)], [str(write_docx(replace(last, executed="110"), tmp_path / "rev.docx"))], _session)
    assert same_year.result.matches[0].kind == "修订稿" and same_year.result.carried_over == []


def test_folders_reports_only_on_one_side(tmp_path):
    other = ReportSpec(project="城乡低保资金发放", budget="300", executed="280", rate="93.33%", rate_score="9.33",
                       rate_sentence="93.33%", problems="低保对象动态调整不够及时。")
    third = ReportSpec(project="临时救助", unit="山丹县民政局", budget="50", executed="50", rate="100%", rate_score="10",
                       rate_sentence="100%", measures="严格审核救助对象。")
    write_docx(ReportSpec(), tmp_path / "old" / "慰问.docx")
    write_docx(other, tmp_path / "old" / "低保.docx")
    write_docx(_revised(ReportSpec()), tmp_path / "new" / "慰问修订.docx")
    write_docx(third, tmp_path / "new" / "临时救助.docx")
    cmp = compare_paths([str(tmp_path / "old")], [str(tmp_path / "new")], _session)
    r = cmp.result
    assert [(Path(m.old.file).name, Path(m.new.file).name) for m in r.matches] == [("慰问.docx", "慰问修订.docx")]
    assert [Path(k.file).name for k in r.only_old] == ["低保.docx"]
    assert [Path(k.file).name for k in r.only_new] == ["临时救助.docx"]
    unpaired = [f for f in r.findings if f.pair is None]
    assert unpaired and all(f.cls == "新出现" and Path(f.new.file).name == "临时救助.docx" for f in unpaired)


def test_cli_with_nothing_to_compare(tmp_path, capsys):
    old = write_docx(ReportSpec(), tmp_path / "a.docx")
    assert cli_main(["compare", "--no-llm", str(old), str(tmp_path / "缺失.docx"), "--out", str(tmp_path / "o")]) == 2
    assert "缺失.docx" in capsys.readouterr().err and not (tmp_path / "o").exists()
