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
