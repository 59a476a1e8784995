"""存在问题 / 改进措施 held in the cells of a form's last rows (| 存在问题 | … |): read as sections
even when the answer itself names a 不足, both pairs of a row that holds two, and judged by J01."""

from __future__ import annotations

from reviewer.models import SourceDocument
from reviewer.parse import parse_source
from vectorstore.generic import vague_parts

FORM = """甲县城管局2023年度垃圾分类项目支出绩效自评表
| 一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
| 产出指标 | 数量指标 | 覆盖行政村 | ≥120个 | 120个 | 50 | 50 | |
| 效益指标 | 社会效益指标 | 资源化利用率 | ≥60% | 63% | 30 | 30 | |
| 满意度指标 | 服务对象满意度指标 | 村民满意度 | ≥90% | 93% | 10 | 10 | |
| 总分 | | | | | 100 | 100 | |
{tail}
"""
STOCK = ("| 存在问题 | 项目实施过程中还存在一些不足，资金管理有待进一步规范。 |\n"
         "| 改进措施 | 下一步将进一步加强项目管理，严格资金使用，确保项目发挥效益。 |")
SPECIFIC = ("| 存在问题 | 北部3个村分类桶破损率达12%，9月前未完成更换。 |\n"
            "| 改进措施 | 县城管局2024年3月底前更换北部3个村破损分类桶216只。 |")


def _report(tail: str):
    [rep] = (parsed := parse_source(SourceDocument(path="t.txt", format="txt", text=FORM.format(tail=tail)))).reports
    return parsed, rep


def test_both_parts_read_from_their_cells_even_when_the_answer_names_a_shortcoming():
    _, rep = _report(STOCK)
    got = {s.kind: s.body.text for s in rep.sections if s.kind in ("problems", "measures")}
    assert got == {"problems": "项目实施过程中还存在一些不足，资金管理有待进一步规范。",
                   "measures": "下一步将进一步加强项目管理，严格资金使用，确保项目发挥效益。"}


def test_stock_answers_in_cells_are_vague_and_specific_ones_are_not():
    parsed, rep = _report(STOCK)
    assert {p.kind for p, _ in vague_parts(parsed, rep)} == {"problems", "measures"}
    parsed, rep = _report(SPECIFIC)
    assert vague_parts(parsed, rep) == []


def test_a_problem_in_its_own_words_with_figures_is_a_problem_named():
    own = ("| 存在问题 | 2名乡村医生年满65岁即将退出，北部牧区2个村卫生室面临无人接续。 |\n"
           "| 改进措施 | 县卫健委2024年6月前定向招聘补充2名乡村医生。 |")
    parsed, rep = _report(own)
    assert vague_parts(parsed, rep) == []
    none_named = ("| 存在问题 | 我局高度重视，各项工作扎实推进，取得明显成效。 |\n"
                  "| 改进措施 | 县卫健委2024年6月前定向招聘补充2名乡村医生。 |")
    parsed, rep = _report(none_named)
    assert [why for p, why in vague_parts(parsed, rep) if p.kind == "problems"] == ["没有写出任何问题"]


NARRATIVE = """甲市残疾人联合会2020年度残疾儿童康复救助项目支出绩效自评报告
一、项目基本情况
全年救助残疾儿童212人。
二、绩效目标完成情况
自评表各项指标见附表，自评得分95分。
三、{head}
{problems}
四、改进措施
{measures}
附件：项目支出绩效自评表
一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分
产出指标 数量指标 救助残疾儿童人数 ≥200人 212人 50 50
效益指标 社会效益指标 康复训练有效率 ≥85% 88% 30 30
满意度指标 服务对象满意度指标 家长满意度 ≥90% 96% 10 10
"""


def _narrative(head="存在的问题", problems="一是部分家长对政策了解不够；二是2家机构评估记录不完整。",
               measures="县残联2021年3月前对2家机构开展评估记录专项检查。"):
    [rep] = (parsed := parse_source(SourceDocument(path="t.txt", format="txt", text=NARRATIVE.format(
        head=head, problems=problems, measures=measures)))).reports
    return parsed, rep


def test_a_slogan_that_only_names_the_project_is_vague():
    parsed, rep = _narrative(measures="进一步提高政治站位，强化责任担当，推动残疾儿童康复救助工作再上新台阶。")
    assert [p.kind for p, _ in vague_parts(parsed, rep)] == ["measures"]
    # a plain statement about the project's subject names something specific
    parsed, rep = _narrative(problems="残疾儿童康复救助需求集中在听力和孤独症，市内定点机构只能接收其中一半。")
    assert [p.kind for p, _ in vague_parts(parsed, rep) if p.kind == "problems"] == []


def test_a_two_part_heading_is_not_read_as_its_own_answer():
    parsed, rep = _narrative(head="存在问题及下一步工作")
    assert not any("下一步工作" in p.text for p, _ in vague_parts(parsed, rep))
