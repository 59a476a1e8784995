"""The title of a report that has no title block is never a table row, an indicator category,
an addressee or a stray word: then the file (or the 项目名称) names the report."""

from __future__ import annotations

from reviewer.ingest.text import SourceDocument
from reviewer.parse import parse_source


def _title(text: str) -> str:
    [rep] = parse_source(SourceDocument(path="excerpt.txt", format="txt", text=text)).reports
    return rep.title


def test_text_starting_inside_a_table_has_no_title_from_its_rows():
    text = ("公益性讲座知晓率 | = | 100 | % | 100 | 5 | 5 |\n可持续影响指标 | 管理机制健全性 | 定性 | 好 | 好 | 5 | 5 |\n"
            "合计 | 100 | 100 |\n评价结论 | 通过免费开放，读者好评。\n")
    assert _title(text) == "excerpt.txt"
    later = "可持续影响指标\n部门预算项目支出绩效自评表（2022年度）\n合计 | 100 | 100 |\n"
    assert _title(later) == "部门预算项目支出绩效自评表（2022年度）"


def test_addressee_and_stray_words_are_no_title():
    assert _title("县乡村振兴指挥部：\n现将本镇2024年排水沟项目自评情况报告如下。\n一、基本情况\n略。\n") == "excerpt.txt"
    assert _title("绩效\n一、基本情况\n略。\n") == "excerpt.txt"
    assert _title("青禾县2023年供水管网维修项目\n一、基本情况\n略。\n") == "青禾县2023年供水管网维修项目"


def test_a_units_name_above_the_forms_title_is_the_banner_not_the_title():
    text = "白河县农业农村局\n2022年度耕地质量提升项目绩效自评表\n2023-06-02 | 来源:白河县农业农村局\n项目名称\n耕地质量提升项目\n"
    assert _title(text) == "2022年度耕地质量提升项目绩效自评表"
    # a unit's name with nothing better after it stays the title
    assert _title("白河县农业农村局\n一、基本情况\n略。\n") == "白河县农业农村局"


def test_a_page_copied_onto_one_line_is_titled_by_its_report_title():
    text = ("乙县人民政府 首页>政务公开>部门动态>县民政局 乙县民政局2025年度智慧社区建设项目绩效自评报告 "
            "发布时间:2026-03-12 来源:县民政局 浏览次数:58 字体:[大 中 小] 打印本页 一、项目基本情况 2025年,我局实施智慧社区建设项目。")
    assert _title(text) == "乙县民政局2025年度智慧社区建设项目绩效自评报告"


def test_a_sites_name_is_a_banner_not_the_title():
    text = "丙县人民政府网\n首页 > 政务公开 > 财政公开\n丙县2019年度体育场馆开放补助资金绩效自评表\n项目名称\n体育场馆开放补助\n"
    assert _title(text) == "丙县2019年度体育场馆开放补助资金绩效自评表"


def test_a_breadcrumb_with_blanks_and_a_title_inside_a_short_chrome_line():
    crumbs = "丁县人民政府 政府信息公开 > 部门信息 > 县市场监督管理局 > 财政资金\n丁县2024年度食品安全监督抽检项目绩效自评表\n"
    assert _title(crumbs) == "丁县2024年度食品安全监督抽检项目绩效自评表"
    line = "戊县人民政府 首页 政务公开 戊县住建局2020年度污水处理运维项目绩效自评报告 发布日期:2021-05-14 来源:县住建局\n一、项目基本情况\n略。\n"
    assert _title(line) == "戊县住建局2020年度污水处理运维项目绩效自评报告"
