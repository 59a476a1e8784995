"""Small builders for rule tests: seed-style reports as text, run one rule, get flags."""

from __future__ import annotations

from reviewer.checks import run_rules
from reviewer.models import Flag, SourceDocument
from reviewer.parse import parse_source
from reviewer.profile import Profile

HEADER = "青禾县水务局\n2023年度农村饮水安全维修项目支出绩效自评报告\n\n"


def funds_table(budget="100", executed="90", weight="10", rate="90%", score="9", parts=(("当年财政拨款", "100", "90"),)) -> str:
    lines = ["项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分",
             f"\t年度资金总额\t{budget}\t{budget}\t{executed}\t{weight}\t{rate}\t{score}"]
    for name, b, e in parts:
        lines.append(f"\t其中：{name}\t{b}\t{b}\t{e}\t—\t\t—")
    return "\n".join(lines) + "\n"


INDICATOR_HEADER = "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施"


def indicator_table(rows: list[tuple], total: tuple[str, str] | None = None) -> str:
    """rows: (一级, 二级, 三级, 指标值, 完成值, 分值, 得分, 原因)."""
    lines = [INDICATOR_HEADER]
    for r in rows:
        lines.append("\t" + "\t".join(r))
    if total:
        lines.append(f"总分\t\t\t\t\t\t{total[0]}\t{total[1]}\t")
    return "\n".join(lines) + "\n"


STANDARD_ROWS = [
    ("产出指标", "数量指标", "维修管网长度", "≥20公里", "21公里", "20", "20", ""),
    ("", "质量指标", "验收合格率", "100%", "100%", "15", "15", ""),
    ("", "时效指标", "完工时间", "2023年10月底前", "2023年9月28日", "10", "10", ""),
    ("", "成本指标", "每公里维修成本", "≤3万元", "2.9万元", "5", "5", ""),
    ("效益指标", "社会效益指标", "受益人口", "≥1.2万人", "1.26万人", "30", "30", ""),
    ("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "94%", "10", "10", ""),
]


def narrative(conclusion="本项目自评得分99分，等级为“优”。", problems="一是管网老化点多，9月仍有3处漏损未修复，影响约260户供水。",
              measures="一是2024年3月底前由县水务局完成剩余3处漏损修复。", extra="") -> str:
    return (
        "一、项目基本情况\n项目对全县20公里供水管网进行维修。\n"
        "二、项目资金情况\n全年预算数100万元，执行数90万元，预算执行率90%。\n"
        f"三、绩效目标完成情况\n完成维修管网21公里。{extra}\n"
        f"四、自评结论\n{conclusion}\n"
        f"五、存在的问题\n{problems}\n"
        f"六、改进措施\n{measures}\n"
    )


def run_all(text: str, **profile) -> list[Flag]:
    """Flags of every rule the profile selects (all by default) on a report given as text."""
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    return [f for rep in parsed.reports for f in run_rules(parsed, rep, Profile(**profile))]


def run(text: str, code: str, **profile) -> list[Flag]:
    """Flags of rule ``code`` on a report given as text."""
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    prof = Profile(select=[code], **profile)
    out = []
    for rep in parsed.reports:
        out += [f for f in run_rules(parsed, rep, prof) if f.rule == code]
    for f in out:  # every quote is sliced from the text by its offsets
        for ev in f.evidence:
            assert text[ev.start:ev.end] == ev.quote
    return out


def full_report(**kw) -> str:
    rows = kw.pop("rows", STANDARD_ROWS)
    total = kw.pop("total", ("100", "99"))
    funds = kw.pop("funds", funds_table())
    return HEADER + narrative(**kw) + "\n项目支出绩效自评表\n（2023年度）\n" + funds + indicator_table(rows, total)
