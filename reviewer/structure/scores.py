"""Stated total score and grade, and the total recomputed from the indicator rows."""

from __future__ import annotations

import re

from reviewer.models import NumberRef, Report, Table, TextRef
from reviewer.structure.numbers import NUM, to_float
from reviewer.lazy_re import lazy

TOTAL_PATTERNS = [
    lazy(rf"(?:自评|综合考评|总体|综合评价)(?:(?!执行率|指标)[^。\n；;，,]){{0,14}}?(?<!应)得(?:分)?(?:为|是|：|:)?\s*(?P<num>{NUM})\s*分"),
    lazy(rf"自评分数(?:为|是|：|:)?\s*(?P<num>{NUM})\s*分"),
    lazy(rf"自评(?:综合)?总分(?:为|是|：|:)?\s*(?P<num>{NUM})\s*分"),
    lazy(rf"经自评[^。\n]{{0,80}}?(?:合计|总计|共计)(?:得分)?\s*(?P<num>{NUM})\s*分"),
    # 经自评，本项目得分96.5分 (the comma after 自评 keeps it out of the first pattern)
    lazy(rf"经(?:自评|综合评价|绩效自评)\s*[,，:：]?\s*(?:本|该)?项目(?:综合|总)?得分(?:为|是|：|:)?\s*(?P<num>{NUM})\s*分"),
    lazy(rf"(?:总分|总得分|综合得分)(?:为|是|：|:)\s*(?P<num>{NUM})\s*分"),
    # without the usual verb: 本项目自评90分 / 综合评分90分 / 自评结果：90分 / 评价为优（90分）
    lazy(rf"自评(?:为|结果(?:为|是|：|:)?)?\s*(?P<num>{NUM})\s*分(?![值之钟数])"),
    lazy(rf"综合评分(?:为|是|：|:)?\s*(?P<num>{NUM})\s*分(?![值之钟数])"),  # 评价得分 is often one part's
    lazy(rf"(?:等级|等次|评价|评定)为?\s*[“\"「]?(?:优秀|良好|优|良|中|差)[”\"」]?\s*[（(]\s*(?P<num>{NUM})\s*分\s*[）)]"),
]
GRADE_RE = lazy(r"(?:等级|等次|评价结果|自评结果|评定为|评价为)(?:[为是：:\s“\"「]|总体)*(?P<g>优秀|良好|中等|合格|及格|不合格|较差|优|良|中|差)")
GRADE_NORM = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "合格": "中", "及格": "中",
              "不合格": "差", "较差": "差", "差": "差"}


def find_stated_totals(text: str, start: int, end: int, table_spans: list[tuple[int, int]]) -> list[NumberRef]:
    """Every place the narrative states the total self-evaluation score."""
    out: list[NumberRef] = []
    for pat in TOTAL_PATTERNS:
        for m in pat.finditer(text, start, end):
            if any(s <= m.start() < e for s, e in table_spans):
                continue
            s = m.start("num")
            if any(r.start == s for r in out):
                continue
            out.append(NumberRef(text=text[m.start():m.end()], start=m.start(), end=m.end(), value=to_float(m.group("num")), unit="分"))
    out.sort(key=lambda r: r.start)
    return out


def find_grade(text: str, start: int, end: int, tables: list[Table]) -> TextRef | None:
    """The stated grade (优/良/中/差 and their long forms), from the narrative or the table."""
    for t in tables:
        for row in t.rows:
            cells = [c for c in row if c.text.strip()]
            for a, b in zip(cells, cells[1:]):
                if re.sub(r"\s+", "", a.text) in ("自评等次", "自评等级", "等级", "等次", "评价等级") and b.text.strip() in GRADE_NORM:
                    return TextRef(text=text[a.start:b.end], start=a.start, end=b.end)
    for m in GRADE_RE.finditer(text, start, end):
        # a product's grade (成果质量等级为良级, 工程验收等级为优良), not the self-evaluation's
        if text[m.end():m.end() + 1] == "级" or re.search(r"质量|成果|验收|工程|资质", text[max(start, m.start() - 4):m.start()]):
            continue
        return TextRef(text=m.group(), start=m.start(), end=m.end())
    return None


def grade_of(ref: TextRef | None) -> str | None:
    """The normalised grade (优/良/中/差) of a stated grade reference."""
    if ref is None:
        return None
    for long in sorted(GRADE_NORM, key=len, reverse=True):
        if ref.text.rstrip().endswith(long):
            return GRADE_NORM[long]
    return None


def recompute_total(report: Report) -> float | None:
    """Σ indicator scores (+ the 执行率 score of the funds table when it has one).
    None when the report has no scored indicator rows."""
    scored = [r.score.value for r in report.indicators if r.score is not None]
    if not scored:
        return None
    total = sum(scored)
    if report.funds:
        from reviewer.structure.funds import total_row

        tr = total_row(report.funds)
        if tr and tr.score is not None and tr.weight is not None and tr.weight.value < 50:
            total += tr.score.value
    return round(total, 2)
