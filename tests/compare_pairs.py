"""Generated pairs of report versions for the compare tests.

``ReportSpec`` holds what a version of a small 绩效自评报告 states; ``write_docx`` writes it
as a Word file with a 自评表 (funds row and indicator rows) and the narrative sections, and
``write_xlsx`` renders that .docx as a spreadsheet with the carriers of the format tests.
A test builds an OLD spec, derives NEW from it with planted corrections, deletions and new
errors, and checks what the comparison says about each.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from docx import Document

from carriers import read_blocks, render_xlsx


@dataclass(frozen=True)
class Indicator:
    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: str
    score: str


@dataclass(frozen=True)
class ReportSpec:
    year: int = 2023
    unit: str = "山丹县民政局"
    project: str = "城乡困难群众春节慰问"
    budget: str = "120"
    executed: str = "96"
    rate: str = "95%"  # in the 自评表
    rate_score: str = "9.5"
    rate_sentence: str = "95%"  # in the narrative
    indicators: tuple[Indicator, ...] = field(default_factory=lambda: (
        Indicator("产出指标", "数量指标", "慰问户数", "1200户", "1150户", "25", "25"),
        Indicator("产出指标", "时效指标", "慰问金发放及时率", "100%", "100%", "25", "25"),
        Indicator("效益指标", "社会效益指标", "困难群众生活保障水平", "有效保障", "有效保障", "30", "30"),
        Indicator("满意度指标", "服务对象满意度指标", "慰问对象满意度", "≥90%", "98%", "10", "10"),
    ))
    total: str = "99.5"
    grade: str = "优"
    problems: str | None = "无。"  # None: the 存在问题 section is left out
    measures: str | None = "进一步加强管理，提高资金使用效益。"

    def with_indicator(self, name: str, **changes: str) -> "ReportSpec":
        return replace(self, indicators=tuple(replace(i, **changes) if i.name == name else i for i in self.indicators))


def write_docx(spec: ReportSpec, path: Path) -> Path:
    doc = Document()
    doc.add_paragraph(spec.unit)
    doc.add_paragraph(f"{spec.year}年度{spec.project}项目支出绩效自评报告")
    doc.add_paragraph("一、项目基本情况")
    doc.add_paragraph(f"为做好{spec.year}年元旦春节期间困难群众基本生活保障工作，{spec.unit}对全县城乡低保户、特困人员等"
                      "困难群众开展春节慰问，慰问标准1000元/户。")
    doc.add_paragraph("二、项目资金情况")
    doc.add_paragraph(f"全年预算数{spec.budget}万元，全年执行数{spec.executed}万元，预算执行率{spec.rate_sentence}。")
    rows = 3 + 1 + len(spec.indicators)
    t = doc.add_table(rows=rows, cols=8)
    t.style = "Table Grid"
    t.cell(0, 0).merge(t.cell(0, 7)).text = "项目支出绩效自评表"
    for c, h in enumerate(["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]):
        t.cell(1, c).text = h
    for c, v in enumerate(["年度资金总额", spec.budget, spec.budget, spec.executed, "10", spec.rate, spec.rate_score], 1):
        t.cell(2, c).text = v
    for c, h in enumerate(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]):
        t.cell(3, c).text = h
    for r, ind in enumerate(spec.indicators, 4):
        for c, v in enumerate([ind.level1, ind.level2, ind.name, ind.target, ind.actual, ind.weight, ind.score]):
            t.cell(r, c).text = v
    doc.add_paragraph(f"总分：100分，自评得分{spec.total}分，评价等级为“{spec.grade}”。")
    doc.add_paragraph("三、绩效目标完成情况")
    doc.add_paragraph("项目按计划实施，慰问金已发放到户，困难群众满意度达98%。")
    n = 4
    for heading, body in (("存在问题", spec.problems), ("改进措施", spec.measures)):
        if body is None:
            continue
        doc.add_paragraph(f"{'四五六'[n - 4]}、{heading}")
        doc.add_paragraph(body)
        n += 1
    doc.add_paragraph(spec.unit)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def write_xlsx(spec: ReportSpec, path: Path) -> Path:
    """The same report as a spreadsheet (paragraphs in column A, the 自评表 with its merges)."""
    docx = write_docx(spec, path.with_name(path.stem + ".source.docx"))
    out = render_xlsx(read_blocks(str(docx)), path)
    docx.unlink()
    return out
