"""OCR misreadings of form words (执行卒, 侍分, 2O22) are read as the words they stand for, while
every evidence quote is still the file's own text at the flag's offsets."""

from __future__ import annotations

import pytest

from reviewer.checks import run_rules
from reviewer.models import SourceDocument
from reviewer.parse import parse_source
from reviewer.profile import Profile
from reviewer.structure.ocr_fix import fix_ocr

FORM = """岚溪县2022年度项目支出绩效自评表
项目名称 农村危房改造
项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分
（万元）
年度资金总额 330.00 352.00 316.80 10 90.00% 10
其中：当年财政拨款 330.00 330.00 300.00 - - -
上年结转资金 0.00 22.00 16.80 - - -
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
产出指标 数量指标 完成危房改造户数 ≥220户 220户 20 20
质量指标 竣工验收合格率 =100% 100% 10 10
时效指标 当年开工率 ≥95% 91% 10 10
成本指标 户均补助资金 ≤1.6万元/户 1.5万元/户 10 10
效益指标 社会效益指标 住房安全保障户数 ≥220户 220户 30 30
满意度指标 服务对象满意度指标 改造户满意度 ≥95% 98% 10 10
总分 100 100
"""
# the same form as a scanner's OCR gives it: look-alike characters, same length
GARBLED = (FORM.replace("2022", "2O22").replace("项目", "顶目").replace("执行率", "执行卒")
           .replace("得分", "侍分").replace("满意度", "满意虔").replace("万元", "万兀").replace(" 10 10", " 1O 10")
           .replace("财政拨款", "财政拔款").replace("316.80 10 ", "316.80 l0 ").replace("项目名称", "頂目名称")
           .replace("90.00%", "90.OO%"))


def _flags(text: str) -> list:
    parsed = parse_source(SourceDocument(path="scan.txt", format="txt", text=text))
    return [f for rep in parsed.reports for f in run_rules(parsed, rep, Profile())], parsed


def test_fixed_copy_has_the_same_length_and_reads_back_the_form():
    assert len(GARBLED) == len(FORM) and GARBLED != FORM
    assert fix_ocr(GARBLED) == FORM


@pytest.mark.parametrize("typed", [
    "我中心高度重视项目评价工作", "确保万无一失", "各项日常工作", "投资全部完成", "屋顶目前已修复",
    "O2O电商平台", "H2O2消毒液", "PM10浓度下降", "型号A1O型", "完成植树造林", "指标植被覆盖率", "型号I5处理器", "I2C总线"])
def test_typed_text_is_left_as_it_is(typed):
    assert fix_ocr(typed) == typed


def test_an_ocr_form_gets_the_findings_of_the_clean_form_with_quotes_from_the_scan():
    clean, _ = _flags(FORM)
    garbled, parsed = _flags(GARBLED)
    assert parsed.reports[0].year == 2022
    # the execution rate 90% scored in full, and 91% < 95% scored in full: found on both
    assert {"D04", "D24"} <= {f.rule for f in clean}
    assert sorted(f.rule for f in garbled) == sorted(f.rule for f in clean)
    quotes = [ev for f in garbled for ev in f.evidence]
    assert quotes
    for ev in quotes:
        assert ev.quote == GARBLED[ev.start:ev.end]  # the file's text, never the fixed copy
    assert any("执行卒" in ev.quote or "1O" in ev.quote for ev in quotes)


def test_the_cells_of_a_grid_read_the_fixed_copy_too():
    from reviewer.models import Cell, Table

    text = "执行卒\t9O%\n得分\t9\n"
    cells = [[Cell(text="执行卒", start=0, end=3, row=0, col=0), Cell(text="9O%", start=4, end=7, row=0, col=1)],
             [Cell(text="得分", start=8, end=10, row=1, col=0), Cell(text="9", start=11, end=12, row=1, col=1)]]
    src = SourceDocument(path="scan.pdf", format="pdf", text=text, tables=[Table(index=0, rows=cells, start=0, end=12)])
    parsed = parse_source(src)
    got = [[c.text for c in row] for row in parsed.tables[0].rows]
    assert got == [["执行率", "90%"], ["得分", "9"]]
    assert parsed.source.quote(0, 7) == "执行卒\t9O%"


def test_parsing_leaves_the_document_it_was_given_as_read():
    src = SourceDocument(path="scan.txt", format="txt", text=GARBLED)
    parsed = parse_source(src)
    assert src.text == GARBLED and src.original_text is None  # the caller's object keeps the scan
    assert parsed.source.text == FORM and parsed.source.quote(0, len(GARBLED)) == GARBLED


@pytest.mark.parametrize("garbled, fixed", [
    ("预算执行窣95.19%", "预算执行率95.19%"), ("资肋标准", "资助标准"), ("幻儿入园", "幼儿入园"), ("合格窣98%", "合格率98%"),
    ("案件数 O件 0件 15 15", "案件数 0件 0件 15 15"),
    # ten and a hundred read as l and Os, a percentage whose 0 came before the point, a thousands group
    ("l80.OO l62.OO lO 9O.OO% lO", "180.00 162.00 10 90.00% 10"), ("总分 lOO", "总分 100"),
    ("≥l,200平方米 l,260平方米", "≥1,200平方米 1,260平方米"), ("全年执仃数 得兮 满惫度 改迼", "全年执行数 得分 满意度 改造"),
    ("年度资金总頟", "年度资金总额"),
    # a word with an l and an O is left as it is
    ("Hello lOGO", "Hello lOGO")])
def test_more_look_alikes_of_form_words(garbled, fixed):
    assert fix_ocr(garbled) == fixed


def test_a_batch_keeps_the_findings_on_a_scan_and_quotes_the_scan(tmp_path):
    """Output grounding checks quotes against the file's own text, not the fixed copy: a
    flag on a misread span (执行卒) is kept, quoting the scan as it is."""
    from reviewer.batch.session import open_session
    from reviewer.commands.check import check_outcomes

    path = tmp_path / "scan.txt"
    path.write_text(GARBLED, encoding="utf-8")
    [out] = check_outcomes([str(path)], open_session(no_llm=True), jobs=0)
    flags = [r.flag for r in out.flags if r.flag.source == "rule"]
    clean, _ = _flags(FORM)
    assert sorted(f.rule for f in flags) == sorted(f.rule for f in clean)
    assert not out.reports[0].stats.get("ungrounded_flags_dropped")
    for f in flags:
        for ev in f.evidence:
            assert GARBLED[ev.start:ev.end] == ev.quote
    assert any(ev.quote != FORM[ev.start:ev.end] for f in flags for ev in f.evidence)
