"""HTML / Markdown rendering for the app: the report text with evidence highlighted,
the flags table rows and the score card."""

from __future__ import annotations

import html

from reviewer.models import SEVERITY_ORDER, Flag, Report
from reviewer.outputs.annotate import KIND_ZH, SEVERITY_ZH, SOURCE_ZH, evidence_location

from ui.passages import Passage

FLAG_COLUMNS = ["#", "规则", "严重程度", "类型", "说明", "应为", "所述", "位置", "原文"]


def flag_place(flag: Flag, passages_by_start: dict[int, Passage] | None = None, source=None) -> str:
    ev = flag.evidence[0] if flag.evidence else None
    if ev is None:
        return ""
    loc = evidence_location(source, ev, flag) if source is not None else ev.location
    if loc is not None and loc.kind != "text":
        return loc.label()
    if passages_by_start:
        for p in passages_by_start.values():
            if p.start <= ev.start <= p.end:
                return p.place
    return ""


def flag_rows(flags: list[Flag], severities: list[str] | None = None, kinds: list[str] | None = None,
              passages: list[Passage] | None = None, source=None) -> list[list]:
    """Table rows for the flags, numbered 1.. in the report's flag order, filtered."""
    by_start = {p.start: p for p in passages or []}
    rows = []
    for i, f in enumerate(flags, 1):
        sev, kind = SEVERITY_ZH.get(f.severity, f.severity), KIND_ZH.get(f.kind, f.kind)
        if severities is not None and sev not in severities:
            continue
        if kinds is not None and kind not in kinds:
            continue
        quote = f.evidence[0].quote if f.evidence else ""
        rule = f.rule if f.source == "rule" else f"{f.rule}（{SOURCE_ZH.get(f.source, f.source)}）"
        rows.append([i, rule, sev, kind, f.message, f.expected or "", f.stated or "", flag_place(f, by_start, source),
                     quote[:80] + ("…" if len(quote) > 80 else "")])
    return rows


def sort_flags(flags: list[Flag]) -> list[Flag]:
    """Errors first, then by position in the text."""
    return sorted(flags, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.evidence[0].start if f.evidence else 0))


def _marks(flags: list[Flag]) -> list[tuple[int, int, int, int, Flag]]:
    """(start, end, flag number, evidence number, flag) for every evidence span."""
    out = []
    for n, f in enumerate(flags, 1):
        for k, ev in enumerate(f.evidence):
            if ev.end > ev.start:
                out.append((ev.start, ev.end, n, k, f))
    return out


def _segment_html(text: str, a: int, b: int, marks, focus: int | None, started: set,
                  cells: list[tuple[int, int]] | None = None) -> str:
    """HTML for text[a:b], wrapping the parts covered by evidence in <mark> and each table
    cell (``cells``: start, end) in ``<span class="cell" id="cell-<start>">`` so that a
    citation can open the cell itself."""
    cuts = {a, b}
    inside = [m for m in marks if m[0] < b and m[1] > a]
    for s, e, *_ in inside:
        cuts.add(min(max(s, a), b))
        cuts.add(min(max(e, a), b))
    cells = [(s, e) for s, e in cells or [] if a <= s < e <= b]
    for s, e in cells:
        cuts.update((s, e))
    starts, ends = {s for s, _ in cells}, {e for _, e in cells}
    cuts = sorted(cuts)
    parts = []
    for x, y in zip(cuts, cuts[1:]):
        if y <= x:
            continue
        if x in starts:
            parts.append(f'<span class="cell" id="cell-{x}">')
        parts.append(_piece_html(text, x, y, inside, focus, started))
        if y in ends:
            parts.append("</span>")
    return "".join(parts)


def _piece_html(text: str, x: int, y: int, inside, focus: int | None, started: set) -> str:
    """One piece of text between two cuts: as it is, or in a <mark> with its flag numbers."""
    seg = html.escape(text[x:y]).replace("\t", '<span class="tab">\t</span>')
    cover = [m for m in inside if m[0] <= x and m[1] >= y]
    if not cover:
        return seg
    worst = min(cover, key=lambda m: SEVERITY_ORDER.get(m[4].severity, 9))
    nums = sorted({m[2] for m in cover})
    anchors = ""
    for m in cover:  # an anchor for each evidence span starting here (several flags may share one)
        key = (m[2], m[3])
        if key not in started and m[0] >= x:
            started.add(key)
            anchors += f'<span class="ev-anchor" id="ev-{m[2]}-{m[3]}"></span>'
    cls = f"ev sev-{worst[4].severity}" + (" focus" if focus in nums else "")
    tip = html.escape(" / ".join(f"#{m[2]} {m[4].rule} {m[4].message}" for m in cover), quote=True)
    # flag numbers after the evidence, set apart (#3, in brackets, with a gap) so that 95% followed
    # by flag 3 never reads as 95%3
    ends = [n for n in nums if any(m[2] == n and m[1] <= y for m in cover)]
    sup = f'<sup class="flag-no">［{"，".join(f"#{n}" for n in ends)}］</sup>' if ends else ""
    return f'{anchors}<mark class="{cls}" data-flags="{",".join(map(str, nums))}" title="{tip}">{seg}</mark>{sup}'


def report_html(text: str, passages: list[Passage], flags: list[Flag], focus_flag: int | None = None,
                focus_passage: int | None = None) -> str:
    """The report text, one block per passage (id ``psg-<start>``), evidence highlighted."""
    marks = _marks(flags)
    started: set = set()
    rows = []
    for p in passages:
        cls = "psg" + (" table-row" if p.cells else "") + (" focus-psg" if focus_passage == p.start else "")
        body = _segment_html(text, p.start, p.end, marks, focus_flag, started, [(c.start, c.end) for c in p.cells])
        rows.append(f'<div class="{cls}" id="{p.anchor}"><span class="place">{html.escape(p.place)}</span>'
                    f'<span class="line">{body}</span></div>')
    if not rows:
        return '<div class="report-text empty">（无文本）</div>'
    return '<div class="report-text">' + "".join(rows) + "</div>"


def score_markdown(report: Report, flags: list[Flag], recomputed: float | None, grade_of) -> str:
    """Stated vs recomputed total, grade and flag counts."""
    stated = report.stated_total.value if report.stated_total else None
    lines = [f"**{report.title or '（无标题）'}**"]
    bits = []
    bits.append(f"报告自评得分：**{_num(stated)}**" + (f"（{report.stated_grade.text}）" if report.stated_grade else ""))
    if recomputed is not None:
        diff = "" if stated is None else f"，差 {recomputed - stated:+.2f}"
        bits.append(f"按表重新计算：**{_num(recomputed)}**（{grade_of(recomputed)}{diff}）")
    else:
        bits.append("按表重新计算：—（未能从自评表取得分项得分）")
    lines.append(" ｜ ".join(bits))
    counts = {s: sum(1 for f in flags if f.severity == s) for s in ("error", "warning", "info")}
    lines.append(f"问题 {len(flags)} 条：错误 {counts['error']} · 警告 {counts['warning']} · 提示 {counts['info']}")
    return "\n\n".join(lines)


def _num(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:.2f}".rstrip("0").rstrip(".")


CSS = """
.report-text { max-height: 640px; overflow-y: auto; border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px; background: var(--background-fill-primary); font-size: 14px; line-height: 1.7; font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.report-text .psg { display: flex; gap: 8px; padding: 1px 4px; border-radius: 4px; }
.report-text .psg.table-row .line { font-family: inherit; background: var(--background-fill-secondary); }
.report-text .place { flex: 0 0 78px; color: #888; font-size: 11px; text-align: right; padding-top: 3px; user-select: none; }
.report-text .line { flex: 1; white-space: pre-wrap; word-break: break-all; }
.report-text .tab { display: inline-block; min-width: 1.2em; border-left: 1px solid #bbb; margin: 0 6px; }
.report-text mark.ev { padding: 0 1px; border-radius: 3px; cursor: help; }
.report-text mark.sev-error { background: #ffd0d0; border-bottom: 2px solid #d33; }
.report-text mark.sev-warning { background: #fff0b3; border-bottom: 2px solid #e0a000; }
.report-text mark.sev-info { background: #dbeafe; border-bottom: 2px solid #3b82f6; }
.report-text mark.focus { outline: 3px solid #7c3aed; }
.report-text sup.flag-no { color: #d33; font-size: 10px; margin: 0 3px 0 2px; user-select: none; }
.report-text .focus-psg, .report-text .flash { background: #ede9fe; outline: 2px solid #7c3aed; }
.report-text .cell.flash { outline-width: 3px; border-radius: 3px; }
.report-text.empty { color: #888; }
#jx-status { font-size: 13px; color: #555; }
"""

# Clicking a citation link (href="#psg-…") in the chat scrolls the text pane to the passage.
HEAD = """
<script>
(function () {
  function flash(id) {
    var el = document.getElementById(id);
    if (!el) return false;
    el.scrollIntoView({behavior: "smooth", block: "center"});
    el.classList.add("flash");
    el.dataset.flashed = String(Date.now());
    setTimeout(function () { el.classList.remove("flash"); }, 2500);
    return true;
  }
  window.jixiaoFlash = flash;
  document.addEventListener("click", function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest("a[href*='#psg-'], a[href*='#cell-']") : null;
    if (!a) return;
    var id = a.getAttribute("href").split("#").pop();
    ev.preventDefault();
    ev.stopPropagation();
    flash(id);
  }, true);
})();
</script>
"""

SCROLL_TO_FOCUS_JS = """
() => {
  setTimeout(() => {
    const el = document.querySelector('#report-text .focus-psg, #report-text mark.focus');
    if (el) el.scrollIntoView({behavior: 'smooth', block: 'center'});
  }, 150);
}
"""
