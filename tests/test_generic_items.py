"""J01 at item level: a stock item inside an otherwise specific list is reported, a measure
that answers a stated problem is not."""

from __future__ import annotations

from reviewer.models import SourceDocument
from reviewer.parse import parse_source
from rulekit import HEADER, narrative
from vectorstore.generic import vague_parts


def _parts(problems: str, measures: str):
    text = HEADER + narrative(problems=problems, measures=measures)
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    return [(p.text, why) for p, why in vague_parts(parsed, parsed.reports[0])]


def test_stock_item_among_specific_ones_is_reported():
    found = _parts(problems="一是9月仍有3处漏损未修复，影响约260户供水。二是绩效管理意识有待进一步增强。",
                   measures="一是2024年3月底前由县水务局完成剩余3处漏损修复。")
    assert any("绩效管理意识有待进一步增强" in t and "套话" in why for t, why in found)
    assert not any("漏损" in t for t, _ in found)


def test_measure_answering_a_problem_is_not_reported():
    found = _parts(problems="一是北片区斗渠渗漏严重，灌溉水有效利用系数未达到0.60。",
                   measures="一是2024年3月底前完成北片区斗渠防渗改造。二是进一步加强斗渠防渗管理。")
    assert not any("斗渠" in t for t, _ in found)


def test_measures_made_of_slogans_are_vague_item_by_item():
    found = _parts(problems="一是约2.4万名外出务工人员重复参保，清退周期长。二是乡镇经办人员不足，人工比对错漏时有发生。",
                   measures="一是进一步提高政治站位，加强组织领导，压实工作责任；二是严格执行资金管理制度，确保资金安全；"
                            "三是加强业务学习培训，不断提高工作水平；四是加大宣传力度，营造良好氛围；"
                            "五是2024年起县医保局每季度与税务部门比对一次参保数据。")
    # 压实工作责任 and 营造良好氛围 are slogans too: the first and fourth items are as vague as the second and third
    items = [t for t, why in found if "套话" in why]
    assert any(t.startswith("一是进一步提高政治站位") for t in items), found
    assert any(t.startswith("四是加大宣传力度") for t in items), found
    assert not any("比对" in t for t in items)


def _one_line_parts(measures: str, project: str = "智慧社区建设"):
    """A page copied without line breaks: the 改进措施 run on into the signature block."""
    text = (f"乙县民政局2025年度{project}项目绩效自评报告 一、项目基本情况 建成12个社区平台。 四、自评结论 自评得分92分。 "
            f"五、存在问题 2个社区因产权单位未同意改造未能安装智能门禁。 六、改进措施 {measures} 乙县民政局 2026年3月10日")
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    return [(p.text, why) for p, why in vague_parts(parsed, parsed.reports[0])]


def test_a_closing_pledge_is_stock_even_when_it_names_the_project_and_runs_into_the_signature():
    pledge = "下一步,我们将认真总结经验,查找不足,持续完善智慧社区服务功能,不断提升群众的获得感、幸福感、安全感。"
    found = _one_line_parts(pledge)
    assert [(t, why) for t, why in found if t.startswith("下一步")] == [(pledge, "全是套话，没有指向本项目的具体内容")]
    # a measure with its own place, date and count is specific
    own = "2026年6月前由街道办协调甲社区产权单位,完成2个社区智能门禁安装。"
    assert not [t for t, _ in _one_line_parts(own) if "门禁" in t]
