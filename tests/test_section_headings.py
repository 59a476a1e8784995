"""Narrative headings in their real styles: a heading ended by a full stop with its body on the
same line (五、存在问题。一是…) is a section of its own, not part of the section before it."""

from __future__ import annotations

from reviewer.models import SourceDocument
from reviewer.parse import parse_source

REPORT = """甲县人社局2022年度农村电商培训项目绩效自评报告
一、项目基本情况。项目面向全县返乡青年开展网店运营培训。
二、资金安排及使用情况。县级财政安排80.00万元,全年支出72.00万元,预算执行率90.00%。
三、绩效目标完成情况。全年培训820人次,合格率92%。
四、自评结论。项目自评得分92分,等级为优。
五、存在问题。一是北部4个镇报名不足,计划200人次只完成120人次;二是2期直播实训推迟到12月。
六、改进措施。一是2023年3月前由县就业中心到北部4个镇上门招生。
"""


def test_full_stop_headings_split_the_report_into_its_sections():
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=REPORT)).reports
    top = {s.kind: s for s in rep.sections if s.level == 1}
    assert list(top) == ["basic", "funds", "performance", "conclusion", "problems", "measures"]
    assert top["funds"].heading.text == "二、资金安排及使用情况"
    assert top["problems"].body.text.startswith("一是北部4个镇报名不足")
    assert top["problems"].body.text.endswith("推迟到12月。")  # ends where 六、 starts
    assert "项目自评得分92分" in top["conclusion"].body.text
    assert "存在问题" not in top["performance"].body.text


def test_a_numbered_sentence_is_not_a_heading():
    text = REPORT.replace("六、改进措施。一是", "六、改进措施。\n一、进一步做好宣传发动工作。二是")
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    kinds = [s.kind for s in rep.sections if s.level == 1]
    assert kinds[-1] == "measures"


def test_a_section_ends_where_an_attached_form_starts():
    text = REPORT.replace("六、改进措施。一是2023年3月前由县就业中心到北部4个镇上门招生。\n",
                          "六、改进措施。一是2023年3月前由县就业中心到北部4个镇上门招生。\n\n"
                          "附表：就业补助资金区域绩效目标自评表（2022年度）\n"
                          "| 转移支付名称 | 就业补助资金 | | |\n| 省级主管部门 | 甲省人社厅 | 地方主管部门 | 甲县人社局 |\n")
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    measures = next(s for s in rep.sections if s.kind == "measures")
    assert measures.body.text.endswith("上门招生。")
