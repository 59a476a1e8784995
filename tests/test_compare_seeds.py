"""``jixiao compare`` on the seeds: 004 is a later revision of four reports of 000.

Pins the matching (the four revised reports to their originals, the other twelve of 000 only
in OLD), a few known changes (the 12345 hotline's 32.92万元 became 36.92万元 four times), and
what became of the findings: the wrong 合计 (D27) is corrected, the 0.08万元 said to be left
after paying everything (D31), the two totals 237.95/237.5万元 (D29) and the 98 vs 90 total
(D12) are not. Every location points at the value it names in its own file.
"""

from __future__ import annotations

import pytest
from docx import Document
from openpyxl import load_workbook

from reviewer.batch.session import open_session
from reviewer.compare.outputs import write_compare_outputs
from reviewer.compare.run import compare_paths
from shared_paths import SEEDS

OLD = str(SEEDS / "000_2771c63391ef5ec7.txt")
NEW = str(SEEDS / "004_361417d92042ddd9.txt")


@pytest.fixture(scope="module")
def cmp():
    return compare_paths([OLD], [NEW], lambda: open_session(no_llm=True, notify=lambda s: None))


def _pair(cmp, new_index: int) -> int:
    return next(k for k, m in enumerate(cmp.result.matches) if m.new.index == new_index)


def _findings(cmp, pair: int, cls: str) -> set[str]:
    return {f.rule for f in cmp.result.findings if f.pair == pair and f.cls == cls}


def test_the_four_revised_reports_are_matched_to_their_originals(cmp):
    r = cmp.result
    assert [(m.old.index, m.new.index) for m in r.matches] == [(12, 0), (13, 1), (14, 2), (15, 3)]
    assert all(m.kind == "修订稿" for m in r.matches)
    assert "村级政务外网" in r.matches[3].old.title and "村级电子政务外网" in r.matches[3].new.title
    assert sorted(k.index for k in r.only_old) == list(range(12)) and r.only_new == []
    assert all(m.content_similarity > 0.9 for m in r.matches)


def test_changed_numbers_are_listed_with_both_values_and_locations(cmp):
    r = cmp.result
    hotline = _pair(cmp, 1)
    amounts = [c for c in r.changes if c.pair == hotline and c.numeric and c.old == "32.92万元"]
    assert len(amounts) == 4 and all(c.new == "36.92万元" for c in amounts)
    assert {c.item for c in amounts} >= {"合计", "合同价格", "已支付"}
    # the revision of the same report in the other pairs changed no table figure
    assert not [c for c in r.changes if c.area in ("资金", "指标", "总分", "等级")]
    old_text, new_text = cmp.old.files[OLD].source.text, cmp.new.files[NEW].source.text
    for c in r.changes:  # every location is the place of the value it names
        if c.old_span:
            assert old_text[c.old_span[0]:c.old_span[1]].strip() == c.old
        if c.new_span:
            assert new_text[c.new_span[0]:c.new_span[1]].strip() == c.new
        assert (c.old_location is not None) == (c.old is not None)
        assert (c.new_location is not None) == (c.new is not None)


def test_corrected_and_uncorrected_numbers(cmp):
    hotline, it, city = _pair(cmp, 1), _pair(cmp, 2), _pair(cmp, 0)
    assert "D27" in _findings(cmp, hotline, "已修正")
    d27 = next(f for f in cmp.result.findings if f.pair == hotline and f.rule == "D27")
    assert "32.92万元" in d27.reason and "36.92万元" in d27.reason and d27.new is None
    assert "D31" in _findings(cmp, hotline, "仍存在")  # 0.08万元 left after paying it all, in both
    d31 = next(f for f in cmp.result.findings if f.pair == hotline and f.rule == "D31")
    assert "32.92" in d31.old.message and "36.92" in d31.new.message
    assert "D29" in _findings(cmp, it, "仍存在")  # 237.95万元 vs 237.5万元
    assert {"D12", "D30", "D32"} <= _findings(cmp, city, "仍存在")
    assert not [f for f in cmp.result.findings if f.cls == "随删除消失"]  # no section was deleted


def test_outputs(cmp, tmp_path):
    outs = write_compare_outputs(cmp, tmp_path)
    r = cmp.result
    still = [f for f in r.findings if f.cls == "仍存在"]
    assert [p.name for p in outs.docx] == ["004_361417d92042ddd9.对比批注.docx"]
    doc = Document(str(outs.docx[0]))
    assert len(doc.comments) == outs.comments == len(still)
    assert all("【上一版已指出，仍未修正】" in c.text for c in doc.comments)
    wb = load_workbook(outs.xlsx)
    assert wb.sheetnames == ["问题对比", "改动", "报告匹配", "照搬上年"]
    rows = list(wb["问题对比"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(r.findings) and {row[1] for row in rows} == {f.cls for f in r.findings}
    changes = list(wb["改动"].iter_rows(min_row=2, values_only=True))
    assert ("32.92万元", "36.92万元") in {(row[5], row[7]) for row in changes}
    html = outs.html.read_text(encoding="utf-8")
    assert html.count('class="sbs"') == len(r.matches) and "<del>" in html and "<ins>" in html
    assert "仅旧版" in html and "已修正" in html
