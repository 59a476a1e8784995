"""summary.html: a self-contained overview in Chinese (inline CSS, no scripts, no
external resources).  Every piece of report text is escaped."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Iterable, Iterator

from reviewer.outputs.atomic import atomic_writer
from reviewer.outputs.labels import SEVERITIES, fmt_score, kind_zh, severity_zh, source_zh
from reviewer.outputs.records import FileOutcome, ReportRecord

QUOTE_MAX = 300

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:2em auto;max-width:1200px;
 padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.6em}h2{font-size:1.3em;margin-top:2em;border-bottom:2px solid #dde7f3}
h3{font-size:1.05em;margin:1.5em 0 .4em}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #ccd;padding:.3em .5em;vertical-align:top;text-align:left}
th{background:#dde7f3}td.n{text-align:right;white-space:nowrap}
.totals span{display:inline-block;margin:0 1.2em .4em 0;padding:.3em .7em;border-radius:4px;background:#f1f3f5}
.sev{display:inline-block;min-width:2.6em;text-align:center;border-radius:3px;padding:0 .3em;font-size:.85em}
.error{background:#f8d7da}.warning{background:#fff3cd}.info{background:#e2e3e5}
.mismatch{background:#f8d7da;font-weight:bold}
.flag{margin:.5em 0 .8em;padding:.4em .7em;border-left:4px solid #ccd}
.flag.error{border-color:#d9534f;background:none}.flag.warning{border-color:#e0a800;background:none}
.flag.info{border-color:#999;background:none}
.quote{margin:.2em 0 0 1em;color:#444;font-size:.92em}
.quote code{background:#f6f8fa;padding:0 .3em;border-radius:3px;white-space:pre-wrap}
.pos{color:#888;font-size:.85em;margin-right:.5em}
.meta{color:#666;font-size:.9em}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _shorten(text: str, n: int = QUOTE_MAX) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _anchor(r: ReportRecord, k: int) -> str:
    return f"r{k}-{r.index}"


def _score_cells(r: ReportRecord, tolerance: float = 0.05) -> str:
    stated, re = r.stated_score, r.recomputed_score
    cls = ' class="n mismatch"' if stated is not None and re is not None and abs(stated - re) > tolerance else ' class="n"'
    return f"<td{cls}>{_e(fmt_score(stated))}</td><td{cls}>{_e(fmt_score(re))}</td>"


def iter_html(outcomes: Iterable[FileOutcome], title: str = "绩效自评报告审阅汇总") -> Iterator[str]:
    """summary.html as chunks, in several passes over ``outcomes`` (re-iterable: a list, or
    the batch's outcomes read back from disk), so no list of every report or flag and no
    whole page is held in memory.  The chunks joined are exactly :func:`render_html`."""
    n_files = n_reports = n_flags = n_errors = 0
    by_sev = {s: 0 for s in SEVERITIES}
    for o in outcomes:
        n_files += 1
        n_reports += len(o.reports)
        n_flags += len(o.flags)
        n_errors += o.error is not None
        for fr in o.flags:
            if fr.flag.severity in by_sev:
                by_sev[fr.flag.severity] += 1
    yield "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        '<p class="totals">'
        f"<span>文件 <b>{n_files}</b></span><span>报告 <b>{n_reports}</b></span>"
        f"<span>问题 <b>{n_flags}</b></span>"
        + "".join(f'<span class="{s}">{severity_zh(s)} <b>{by_sev[s]}</b></span>' for s in SEVERITIES)
        + f"<span>读取错误 <b>{n_errors}</b></span></p>",
        "<h2>报告一览</h2>",
    ])

    if n_reports:
        yield ("\n<table><thead><tr><th>文件</th><th>序号</th><th>报告标题</th><th>年度</th>"
               "<th>陈述得分</th><th>复算得分</th><th>陈述等级</th>"
               + "".join(f"<th>{severity_zh(s)}</th>" for s in SEVERITIES) + "</tr></thead><tbody>")
        k = 0
        for o in outcomes:
            for r in o.reports:
                yield (
                    f"\n<tr><td>{_e(r.file)}</td><td class=\"n\">{r.index + 1}</td>"
                    f'<td><a href="#{_anchor(r, k)}">{_e(r.title)}</a></td><td class="n">{_e(r.year or "")}</td>'
                    f"{_score_cells(r)}<td>{_e(r.stated_grade or '—')}</td>"
                    + "".join(f'<td class="n">{r.flags_by_severity.get(s, 0)}</td>' for s in SEVERITIES)
                    + "</tr>"
                )
                k += 1
        yield "\n</tbody></table>"
    else:
        yield "\n<p>没有找到可审阅的报告。</p>"

    if n_errors:
        yield "\n<h2>读取错误</h2><table><thead><tr><th>文件</th><th>错误代码</th><th>说明</th></tr></thead><tbody>"
        for o in outcomes:
            err = o.error
            if err is None:
                continue
            yield (f"\n<tr><td>{_e(err.file)}</td><td>{_e(err.code)}</td><td>{_e(err.message_zh)}"
                   f'<div class="meta">{_e(err.message_en)}</div></td></tr>')
        yield "\n</tbody></table>"

    yield "\n<h2>问题明细</h2>"
    k = 0
    for o in outcomes:
        for r in o.reports:
            out: list[str] = []  # one report's part at a time
            mine = [fr for fr in o.flags if fr.flag.report == r.index]
            meta = " · ".join(x for x in [r.organisation or "", r.project or "", f"{r.year}年度" if r.year else ""] if x)
            out.append(f'<h3 id="{_anchor(r, k)}">{_e(r.file)} · 第{r.index + 1}份 · {_e(r.title)}</h3>')
            k += 1
            if meta:
                out.append(f'<div class="meta">{_e(meta)}</div>')
            if not mine:
                out.append('<p class="meta">未发现问题。</p>')
            for fr in mine:
                f = fr.flag
                extra = ""
                if f.expected or f.stated:
                    extra = f'<span class="meta">（期望：{_e(f.expected or "—")}；陈述：{_e(f.stated or "—")}）</span>'
                out.append(
                    f'<div class="flag {f.severity}"><span class="sev {f.severity}">{severity_zh(f.severity)}</span> '
                    f"<b>{_e(f.rule)}</b> <span class=\"meta\">{_e(kind_zh(f.kind))} · {_e(source_zh(f.source))}</span> "
                    f"{_e(f.message)}{extra}"
                )
                for ev, pos in zip(f.evidence, fr.positions):
                    out.append(f'<div class="quote"><span class="pos">{_e(pos)}</span><code>{_e(_shorten(ev.quote))}</code></div>')
                out.append("</div>")
            yield "\n" + "\n".join(out)
    yield "\n</body></html>\n"


def render_html(outcomes: Iterable[FileOutcome], title: str = "绩效自评报告审阅汇总") -> str:
    return "".join(iter_html(outcomes, title))


def write_html(path: Path, outcomes: Iterable[FileOutcome]) -> None:
    """summary.html streamed to the file chunk by chunk (atomically)."""
    with atomic_writer(path) as fh:
        buf: list[bytes] = []
        size = 0
        for chunk in iter_html(outcomes):
            b = chunk.encode("utf-8")
            buf.append(b)
            size += len(b)
            if size >= 1 << 20:
                fh.write(b"".join(buf))
                buf, size = [], 0
        fh.write(b"".join(buf))
