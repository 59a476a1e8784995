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


FORM_TAIL = """甲县交通局2022年度农村公路养护项目支出绩效自评表
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
产出指标 数量指标 日常养护里程 ≥1280公里 1196公里 50 46.72
效益指标 社会效益指标 县乡道列养率 100% 100% 30 30
满意度指标 服务对象满意度指标 沿线群众满意度 ≥90% 93% 10 10
总分 100 {total}
存在问题 {problems}
改进措施 2023年4月底前由县养护中心补齐封冻路段84公里养护。
"""


def test_a_label_and_its_answer_separated_by_blanks_are_a_section():
    from reviewer.checks import run_rules
    from reviewer.profile import Profile
    from vectorstore.generic import vague_parts

    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=FORM_TAIL.format(total="96.72", problems="无")))
    [rep] = parsed.reports
    problems = next(s for s in rep.sections if s.kind == "problems")
    assert problems.body.text == "无"
    assert [f.rule for f in run_rules(parsed, rep, Profile(select=["D23"]))] == ["D23"]
    assert vague_parts(parsed, rep) == []  # an empty answer is D23's finding, not a vague one
    named = FORM_TAIL.format(total="96.72", problems="10月下旬北部路段提前封冻，84公里未能养护。")
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=named))
    assert list(run_rules(parsed, parsed.reports[0], Profile(select=["D23"]))) == []


def test_an_empty_answer_in_a_csv_sheet_is_not_vague_text():
    from vectorstore.generic import vague_parts

    text = FORM_TAIL.format(total="96.72", problems="无").replace("存在问题 无", "存在问题,无,,,,,,,")
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    assert [p.kind for p, _ in vague_parts(parsed, parsed.reports[0])] == []


RUN_ON = ("乙县教育局2020年度学前教育资助项目绩效自评报告一、项目基本情况(一)项目概况.2020年安排资金104.00万元,"
          "资助标准为每生每学年1000元.二、绩效目标完成情况(一)资金执行情况.全年实际发放资助资金99.00万元."
          "(二)产出完成情况.全年合计资助1,980人次.三、存在的问题一是宣传力度还需进一步加大;二是业务水平有待提高."
          "四、改进措施一是加大宣传力度;二是加强业务培训.五、自评结论本项目自评得分96.5分,评价等级为优.\n")


def test_headings_run_into_one_line_of_text_are_sections():
    """A page copied without its line breaks: the report's own section titles after a
    sentence's end are headings; a list item (一是…) is not."""
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=RUN_ON)).reports
    kinds = [(s.kind, s.heading.text) for s in rep.sections]
    assert ("problems", "三、存在的问题") in kinds and ("measures", "四、改进措施") in kinds
    assert ("performance", "(二)产出完成情况") in kinds and ("conclusion", "五、自评结论") in kinds
    problems = next(s for s in rep.sections if s.kind == "problems")
    assert problems.body.text == "一是宣传力度还需进一步加大;二是业务水平有待提高."
    # the same words inside a sentence are no heading
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text="丙县报告\n" + "项目说明" * 30 +
                                        "，其中谈到二、存在的问题需要研究，以及改进措施。\n")).reports
    assert not [s for s in rep.sections if s.kind in ("problems", "measures")]


def test_run_together_titles_without_a_stop_and_list_items_that_look_like_titles():
    text = ("丁县2022年度乡村教师生活补助项目绩效自评报告\n一、项目基本情况。全县乡村教师1260人。二、绩效目标年度绩效目标:"
            "受益教师不少于1260人。三、项目实施及资金使用情况项目资金400.00万元,支出382.80万元。资金明细详见下表:"
            "四、绩效目标完成情况经县教育局核查,全年享受补助教师1210人。五、存在的问题(一)资金管理还需进一步规范。"
            "(二)绩效目标设定不够科学,绩效管理水平有待提高。六、改进措施一是加强资金管理。\n")
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    heads = [(s.kind, s.heading.text) for s in rep.sections]
    assert ("funds", "三、项目实施及资金使用情况") in heads and ("performance", "四、绩效目标完成情况") in heads
    assert ("goals", "二、绩效目标年度绩效目标") in heads  # a title ended by a colon (its sub-label run into it)
    assert not any("设定不够科学" in h or h == "(二)绩效目标" for _, h in heads)  # a problem, not a heading
    problems = next(s for s in rep.sections if s.kind == "problems")
    assert "绩效目标设定不够科学" in problems.body.text
    from reviewer.checks import run_rules
    from reviewer.profile import Profile
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    found = {f.rule for f in run_rules(parsed, parsed.reports[0], Profile(select=["D60", "D33"]))}
    assert found == {"D60"}  # the announced table never comes; numbering found in run-on text is not judged


def test_a_form_row_labelled_problems_and_measures_is_a_problems_section():
    from reviewer.models import SourceDocument
    from reviewer.parse import parse_source

    text = ("甲县2023年度村级组织运转经费项目支出绩效自评表\n|总分|100|98|\n"
            "|存在问题及改进措施|运转经费拨付滞后近3个月。下一步将于每年5月底前拨付到村。|\n|填报人|张三|\n")
    [rep] = parse_source(SourceDocument(path="t.txt", format="txt", text=text)).reports
    [sec] = [s for s in rep.sections if s.kind == "problems"]
    assert sec.heading.text == "存在问题及改进措施" and "拨付滞后近3个月" in sec.body.text


def test_innermost_section_answers_as_a_scan_of_every_section_would():
    """The indexed lookup gives what the plain rule gives: of the sections holding a position,
    the one that starts last (the later one on a tie), an inner "other" giving way to a more
    specific section around it."""
    import random

    from reviewer.models import Section, TextRef
    from reviewer.structure.sections import innermost_section

    def scan(sections, pos):
        best = None
        for s in sections:
            if s.heading.start <= pos < max(s.body.end, s.heading.end):
                if best is None or s.heading.start >= best.heading.start:
                    if best is not None and s.kind == "other" and best.kind != "other":
                        continue
                    best = s
        return best

    rng = random.Random(7)
    for _ in range(200):
        sections = []
        for _ in range(rng.randint(0, 12)):
            a = rng.randint(0, 90)
            h, b = a + rng.randint(1, 5), a + rng.randint(0, 40)
            sections.append(Section(kind=rng.choice(["other", "problems", "goals"]), number=None, level=rng.randint(1, 2),
                                    heading=TextRef(text="x", start=a, end=h), body=TextRef(text="", start=h, end=b)))
        if rng.random() < 0.5:
            sections.sort(key=lambda s: s.heading.start)  # (as reports list them; any order is answered alike)
        for pos in range(0, 140):
            assert innermost_section(sections, pos) is scan(sections, pos)
