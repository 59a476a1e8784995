"""D73: placeholders and filling-in instructions of the template left in the report."""

from __future__ import annotations

try:
    from rulekit import full_report, run
except ImportError:  # tests/ imported as a package
    from tests.rulekit import full_report, run


def test_D73_placeholders_and_instructions_left_in():
    [f] = run(full_report(extra="项目总投资XX万元，于20XX年完工。（请根据实际情况填写项目概况）"), "D73")
    assert "XX万元" in f.message and "20XX年" in f.message and f.kind == "missing"
    assert len(f.evidence) == 3
    assert run(full_report(extra="惠及××个乡镇。"), "D73")
    assert run(full_report(extra="填表说明：本表由项目单位填写。"), "D73")


def test_D73_quiet_on_ordinary_text():
    assert run(full_report(), "D73") == []
    # Latin letters in names, a multiplication sign in a size, a signature line's blank date
    ok = "采购XXL型号设备2台，规格0.6×0.6米，DN200管道。负责人（签字）： 年 月 日"
    assert run(full_report(extra=ok), "D73") == []
    ok = "**市根据《****财政厅关于印发〈**省就业专项资金管理办法〉的通知》，××局组织实施。"  # names masked on publication
    assert run(full_report(extra=ok), "D73") == []
    assert run(full_report(extra="运维费（按实际支出计算）12万元，（根据实际情况调整）。"), "D73") == []


def test_D81_unit_without_its_figure():
    [f] = run(full_report(extra="截至年底全县共收购烟叶公斤，烟农增收明显。"), "D81")
    assert "共收购烟叶公斤" in f.message and f.kind == "missing"
    [f] = run(full_report(extra="本年度项目资金执行率为%，低于预期。"), "D81")
    assert "执行率为%" in f.message


def test_D81_quiet_when_the_figure_is_there_or_the_unit_is_a_noun():
    assert run(full_report(), "D81") == []
    ok = ("全县共收购烟叶326万公斤，完成投资一百二十万元，覆盖农户，建成平台，完成配套，"
          "单位：万元，执行率（%）为98%，累计培训三千人次。培训人次、收购公斤数按台账统计。")
    assert run(full_report(extra=ok), "D81") == []
