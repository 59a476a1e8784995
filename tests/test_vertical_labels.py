"""Form labels printed top to bottom (年/度/总/体/目/标, 绩/效/指/标) at the start of a scan's
lines are margin, not the rows' first cells; and an OCR'd 执行率 header still names its column."""

from __future__ import annotations

from reviewer.models import SourceDocument
from reviewer.parse import parse_source
from reviewer.structure.vertical_labels import blank_vertical_labels

FORM = """项目支出绩效自评表
（2023年度）
项目名称 农村改厕奖补项目
项目资金 年初预算数 全年预算数 全年执行数 分值 执行攀 得分
（万元） (A) (B) (B/A)
年度资金总额 240.00 240.00 216.00 10 90.00% 9.00
其中:本年财政拨款 200.00 200.00 180.00 — —
上年结转资金 40.00 40.00 38.00 — —
年 预期目标 实际完成情况
度 完成农村户厕改造800户, 完成户厕改造760户,
总 改厕合格率不低于95%。 合格率96.2%。
体
目
标
绩 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施
效 产出指标 数量指标 户厕改造数量 ≥800户 760户 20 19 2个村整村搬迁,40户取消
指 质量指标 改厕合格率 ≥95% 96.2% 15 15
标 时效指标 完工时间 2023年11月底前 2023年11月20日 15 15
"""


def test_vertical_label_characters_become_blanks_of_the_same_length():
    out = blank_vertical_labels(FORM)
    assert len(out) == len(FORM)
    lines = out.split("\n")
    at = {line.split()[0] if line.split() else "": i for i, line in enumerate(FORM.split("\n"))}
    assert lines[at["年"]].startswith("  预期目标") and lines[at["绩"]].startswith("  一级指标")
    assert lines[at["效"]].startswith("  产出指标") and lines[at["指"]].startswith("  质量指标")
    # a line holding only the character is kept: blanking it would end the block
    assert lines[at["目"]] == "目" and lines[at["体"]] == "体"
    # an ordinary text whose lines start with one character is left alone
    plain = "一 项目概况\n二 资金情况\n三 绩效情况\n四 存在问题\n"
    assert blank_vertical_labels(plain) == plain


def test_a_form_with_vertical_labels_and_an_ocr_header_is_read():
    [rep] = parse_source(SourceDocument(path="scan.txt", format="txt", text=FORM)).reports
    names = [r.level3.text for r in rep.indicators]
    assert names == ["户厕改造数量", "改厕合格率", "完工时间"]
    first = rep.indicators[0]
    assert (first.target.text, first.actual.text, first.weight.text, first.score.text) == ("≥800户", "760户", "20", "19")
    total = rep.funds.rows[0]
    assert (total.executed.text, total.rate.text, total.score.text) == ("216.00", "90.00%", "9.00")
    # the reader's quotes still come from the original text
    assert FORM[first.row.start:first.row.end].startswith("产出指标")


SCAN = """项目支出绩效自评表
       一级指标  二级指标   三级指标                   年度指标值   实际完成值   分值   得分   偏差原因分析及改进措施
缋     产        数量指标   新闻节目译制播出时长         ≥1400小时    1460小时     15     15
效     出                   专题节目制作期数             ≥104期       104期        10     10
指     指        质量指标   节目播出安全事故             =0次         0次          10     10
标     标        成本指标   每小时节目译制成本           ≤300元       286元        15     15
       效        社会效益   节目覆盖村屯数               ≥180个       186个        15     15
       益        可持续影   播音员队伍稳定人数           ≥8人         8人          15     15
       指        响指标
       标
       满意      服务对象   听众满意度                   ≥85%         91.2%        10     10
       度指      满意度指
       标        标
总    分                                                                           90     90
"""


def test_two_columns_of_vertical_labels_and_level_names_wrapped_over_lines():
    [rep] = parse_source(SourceDocument(path="scan.txt", format="txt", text=SCAN)).reports
    assert [(r.level3.text, r.score.text if r.score else None) for r in rep.indicators] == [
        ("新闻节目译制播出时长", "15"), ("专题节目制作期数", "10"), ("节目播出安全事故", "10"), ("每小时节目译制成本", "15"),
        ("节目覆盖村屯数", "15"), ("播音员队伍稳定人数", "15"), ("听众满意度", "10")]


def test_a_second_column_of_two_character_level_names_beside_the_first():
    scan = ("项目支出绩效自评表\n"
            "           三级指标              年度指标值         实际完成值        分值    得分     偏差原因分析及改进措施\n"
            "产  数     新建高标准农田面积    ≥2万亩             1.82万亩          20      19.10    地块调出实施范围\n"
            "出  量\n"
            "指  质     工程验收合格率        ≥95%               100%              10      10\n"
            "标  量\n")
    [rep] = parse_source(SourceDocument(path="scan.txt", format="txt", text=scan)).reports
    assert [(r.level3.text, r.score.text) for r in rep.indicators] == [("新建高标准农田面积", "19.10"), ("工程验收合格率", "10")]
    # two lines that happen to start with 数 and 量, with no first column beside them, stay as they are
    plain = "数 据\n量 大\n"
    assert blank_vertical_labels(plain) == plain
