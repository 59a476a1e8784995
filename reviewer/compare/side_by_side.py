"""compare.html: a self-contained page (inline CSS, no scripts, no external resources) with,
per matched pair, the two texts side by side (deleted and replaced text struck through on
the left, inserted and replacing text highlighted on the right), the changes and the
findings with their class. Every piece of report text is escaped."""

from __future__ import annotations

from html import escape

from reviewer.compare.align import PairAlignment
from reviewer.compare.models import CLASS_NOTES, FINDING_CLASSES, CompareResult
from reviewer.compare.run import Comparison
from reviewer.outputs.html import CSS as BASE_CSS

CLASS_CSS = {"已修正": "fixed", "仍存在": "open", "新出现": "new", "随删除消失": "removed", "消失但依据未改": "silent"}
CSS = BASE_CSS + """
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:.8em}
.sbs .txt{border:1px solid #ccd;padding:.5em;white-space:pre-wrap;font-size:.9em;max-height:36em;overflow:auto}
del{background:#f8d7da;text-decoration:line-through}ins{background:#d4edda;text-decoration:none}
.cls{display:inline-block;border-radius:3px;padding:0 .4em;font-size:.85em;white-space:nowrap}
td.k{white-space:nowrap}
.fixed{background:#d4edda}.open{background:#f8d7da}.new{background:#fff3cd}.removed{background:#e2e3e5}.silent{background:#dde7f3}
"""


def _e(v: object) -> str:
    return escape("" if v is None else str(v), quote=True)


def _texts(pa: PairAlignment) -> tuple[str, str]:
    old, new = pa.old.parsed.source.text, pa.new.parsed.source.text
    left: list[str] = []
    right: list[str] = []
    for op in pa.text.ops:
        a, b = _e(old[op.a0:op.a1]), _e(new[op.b0:op.b1])
        if op.tag == "equal":
            left.append(a)
            right.append(b)
            continue
        if a:
            left.append(f"<del>{a}</del>")
        if b:
            right.append(f"<ins>{b}</ins>")
    return "".join(left), "".join(right)


def _badge(cls: str) -> str:
    return f'<span class="cls {CLASS_CSS.get(cls, "")}" title="{_e(CLASS_NOTES.get(cls, ""))}">{_e(cls)}</span>'


def render_compare_html(cmp: Comparison, title: str = "绩效自评报告版本对比") -> str:
    """The whole page."""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>", f"<h1>{_e(title)}</h1>",
        compare_body(cmp), "</body></html>",
    ]) + "\n"


def compare_body(cmp: Comparison) -> str:
    """The page's content without its head (the web app shows it in its 对比 tab)."""
    r: CompareResult = cmp.result
    counts = "".join(f"<span>{_badge(c)} <b>{r.count(c)}</b></span>" for c in FINDING_CLASSES)
    out = [
        f'<p class="totals"><span>旧版报告 <b>{r.old.reports}</b></span><span>新版报告 <b>{r.new.reports}</b></span>'
        f"<span>匹配 <b>{len(r.matches)}</b></span><span>仅旧版 <b>{len(r.only_old)}</b></span>"
        f"<span>仅新版 <b>{len(r.only_new)}</b></span>{counts}</p>",
        '<p class="meta">' + "；".join(f"{_e(c)}：{_e(n)}" for c, n in CLASS_NOTES.items()) + "</p>",
    ]
    for e in r.old.errors + r.new.errors:
        out.append(f'<p class="mismatch">无法读取：{_e(e)}</p>')
    out.append("<h2>报告匹配</h2><table><thead><tr><th>#</th><th>旧版</th><th>新版</th><th>类型</th><th>匹配依据</th></tr></thead><tbody>")
    for k, m in enumerate(r.matches):
        out.append(f'<tr><td><a href="#p{k}">{k + 1}</a></td><td>{_e(m.old.label(short=True))}</td><td>{_e(m.new.label(short=True))}</td>'
                   f'<td class="k">{_e(m.kind)}</td><td>{_e("；".join(m.reasons))}</td></tr>')
    for key in r.only_old:
        out.append(f"<tr><td>—</td><td>{_e(key.label(short=True))}</td><td>（新版中没有）</td><td class='k'>仅旧版</td><td></td></tr>")
    for key in r.only_new:
        out.append(f"<tr><td>—</td><td>（旧版中没有）</td><td>{_e(key.label(short=True))}</td><td class='k'>仅新版</td><td></td></tr>")
    out.append("</tbody></table>")
    for pa in cmp.pairs:
        k, m = pa.pair, r.matches[pa.pair]
        out.append(f'<h2 id="p{k}">[{k + 1}] {_e(m.new.title)}（{_e(m.kind)}）</h2>')
        out.append("<h3>问题对比</h3><table><thead><tr><th>类别</th><th>规则</th><th>说明</th><th>旧版位置</th>"
                   "<th>新版位置</th><th>依据</th></tr></thead><tbody>")
        for f in (f for f in r.findings if f.pair == k):
            out.append(f"<tr><td>{_badge(f.cls)}</td><td>{_e(f.rule)}</td><td>{_e(f.flag.message)}</td>"
                       f"<td>{_e('、'.join(f.old_locations))}</td><td>{_e('、'.join(f.new_locations))}</td><td>{_e(f.reason)}</td></tr>")
        out.append("</tbody></table>")
        out.append("<h3>改动</h3><table><thead><tr><th>类型</th><th>部分</th><th>项目</th><th>旧版</th><th>旧版位置</th>"
                   "<th>新版</th><th>新版位置</th></tr></thead><tbody>")
        for c in (c for c in r.changes if c.pair == k):
            out.append(f"<tr><td>{_e(c.kind)}</td><td>{_e(c.area)}·{_e(c.field)}</td><td>{_e(c.item)}</td>"
                       f"<td><del>{_e(c.old or '')}</del></td><td>{_e(c.old_location or '')}</td>"
                       f"<td><ins>{_e(c.new or '')}</ins></td><td>{_e(c.new_location or '')}</td></tr>")
        out.append("</tbody></table>")
        copied = [c for c in r.carried_over if c.pair == k]
        if copied:
            out.append("<h3>照搬上年的文字</h3><ul>")
            out += [f"<li>{_e(c.section)}（新版 {_e(c.new_location)}）：<code>{_e(c.text)}</code></li>" for c in copied]
            out.append("</ul>")
        left, right = _texts(pa)
        out.append(f'<h3>原文对照</h3><div class="sbs"><div><b>旧版</b> <span title="{_e(m.old.file)}">{_e(m.old.label(short=True))}</span><div class="txt">{left}</div></div>'
                   f'<div><b>新版</b> <span title="{_e(m.new.file)}">{_e(m.new.label(short=True))}</span><div class="txt">{right}</div></div></div>')
    return "\n".join(out)
