"""What the model is shown about a report: the structured 自评表, the rule flags, the
report text (delimited, as data) and similar passages from other reports."""

from __future__ import annotations

from typing import Iterable

from reviewer.models import Flag, ParsedFile, Report


def _t(ref) -> str:
    return ref.text if ref is not None else ""


def render_table(report: Report) -> str:
    """The parsed 自评表 as compact text (what our parser understood)."""
    lines = [f"标题：{report.title}"]
    if report.organisation:
        lines.append(f"单位：{report.organisation}")
    if report.project:
        lines.append(f"项目：{report.project}")
    if report.year:
        lines.append(f"年度：{report.year}")
    if report.funds and report.funds.rows:
        lines.append(f"项目资金（{report.funds.unit}）：名称 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分")
        for r in report.funds.rows:
            lines.append(" | ".join([_t(r.name), _t(r.budget_initial), _t(r.budget_full), _t(r.executed),
                                     _t(r.weight), _t(r.rate), _t(r.score)]))
    if report.indicators:
        lines.append("绩效指标：一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因")
        for ind in report.indicators:
            if ind.empty:
                continue
            lines.append(" | ".join([ind.level1, ind.level2, _t(ind.level3), _t(ind.target), _t(ind.actual),
                                     _t(ind.weight), _t(ind.score), _t(ind.reason)]))
    if report.stated_total is not None:
        lines.append(f"自评得分（报告所写）：{report.stated_total.text}")
    if report.stated_grade is not None:
        lines.append(f"等级（报告所写）：{report.stated_grade.text}")
    kinds = [s.kind for s in report.sections]
    if kinds:
        lines.append("识别到的章节：" + "、".join(dict.fromkeys(kinds)))
    return "\n".join(lines) if len(lines) > 1 else "（未能解析出自评表）"


def render_flags(flags: Iterable[Flag]) -> str:
    out = []
    for f in flags:
        s = f"[{f.rule}][{f.kind}][{f.severity}] {f.message}"
        if f.expected:
            s += f"（应为 {f.expected}）"
        if f.stated:
            s += f"（报告所写 {f.stated}）"
        out.append(s)
    return "\n".join(out) if out else "（程序检查未发现问题）"


def report_text(parsed: ParsedFile, report: Report, max_chars: int) -> str:
    text = parsed.source.text[report.start:report.end]
    if len(text) <= max_chars:
        return text
    head = int(max_chars * 0.7)
    tail = max_chars - head
    return text[:head] + "\n……（中间部分过长，已省略）……\n" + text[-tail:]


# --------------------------------------------------------------------------- retrieval

PASSAGE_KINDS = ("problems", "measures", "conclusion")


def _bigrams(s: str) -> set[str]:
    s = "".join(ch for ch in s if not ch.isspace())
    return {s[i:i + 2] for i in range(len(s) - 1)}


def section_texts(parsed: ParsedFile, report: Report, kinds=PASSAGE_KINDS) -> list[tuple[str, str]]:
    out = []
    for s in report.sections:
        if s.kind in kinds and s.body.text.strip():
            out.append((s.kind, s.body.text.strip()))
    return out


def local_passages(report: Report, parsed: ParsedFile, pool: list[tuple[ParsedFile, Report]], k: int = 4,
                   max_chars: int = 300) -> list[str]:
    """Passages (问题/措施/结论) of *other* reports most similar to this report's own."""
    mine = section_texts(parsed, report)
    if not mine:
        return []
    mine_grams = [(kind, _bigrams(t)) for kind, t in mine]
    scored = []
    for p2, r2 in pool:
        if p2.source.path == parsed.source.path and r2.index == report.index:
            continue
        for kind, text in section_texts(p2, r2):
            g = _bigrams(text)
            if not g:
                continue
            best = max((len(g & mg) / max(1, len(g | mg)) for _, mg in mine_grams), default=0.0)
            if best >= 0.2:
                scored.append((best, f"《{r2.title}》{kind}（相似度{best:.2f}）：{text[:max_chars]}"))
    scored.sort(key=lambda x: -x[0])
    return [s for _, s in scored[:k]]


_STORES: dict[str, object] = {}


def vectorstore_passages(report: Report, parsed: ParsedFile, corpus: str | None, k: int = 4) -> list[str]:
    """Similar passages of earlier reports from the vector store (``--corpus``), when
    there is one; [] otherwise. Never raises: retrieval is optional context."""
    if not corpus:
        return []
    query = "\n".join(t for _, t in section_texts(parsed, report))[:1000]
    if not query:
        return []
    try:
        store = _STORES.get(corpus)
        if store is None:
            from vectorstore.store import VectorStore

            store = _STORES[corpus] = VectorStore(corpus)
        if store is False:
            return []
        hits = store.search(query, k=k + 4)
    except Exception:
        _STORES[corpus] = False
        return []
    from pathlib import Path

    me = Path(parsed.source.path).name
    out = []
    for h in hits:
        meta = getattr(h, "meta", {}) or {}
        if meta.get("file_name") == me and meta.get("report") == report.index:
            continue
        text = (getattr(h, "text", "") or "").strip()
        if text and text not in parsed.source.text[report.start:report.end]:
            out.append(f"《{meta.get('title', '')}》（相似度{getattr(h, 'score', 0.0):.2f}）：{text[:300]}")
        if len(out) >= k:
            break
    return out
