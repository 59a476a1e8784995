"""Human-readable, linter-style findings for ``jixiao check``::

    seeds/001.txt:报告1 «子洲县财政支出项目绩效自评报告»
      D02 错误 自评总分与表内得分不一致（期望 94，陈述 95）  120:5 «我单位2021年…自评得95分»
    ...
    共检查 1 个文件、1 份报告：发现 3 个问题（错误 1，警告 2，提示 0）。
"""

from __future__ import annotations


from reviewer.outputs.labels import SEVERITIES, severity_zh, source_zh
from reviewer.outputs.records import ErrorRecord, FileOutcome, FlagRecord
from reviewer.lazy_re import lazy

QUOTE_WIDTH = 40
_WS = lazy(r"\s+")


def shorten(quote: str, width: int = QUOTE_WIDTH) -> str:
    """Whitespace collapsed; long quotes keep their head and tail around an ellipsis."""
    q = _WS.sub(" ", quote).strip()
    if len(q) <= width:
        return q
    head = (width - 1) * 2 // 3
    return q[:head] + "…" + q[-(width - 1 - head):]


def flag_line(fr: FlagRecord) -> str:
    f = fr.flag
    msg = f.message
    if f.expected or f.stated:
        msg += f"（期望 {f.expected or '—'}，陈述 {f.stated or '—'}）"
    quotes = "; ".join(f"{pos} «{shorten(ev.quote)}»" for ev, pos in zip(f.evidence, fr.positions))
    src = "" if f.source == "rule" else f"［{source_zh(f.source)}］"
    return f"  {f.rule} {severity_zh(f.severity)} {msg}{src}  {quotes}".rstrip()


def format_outcome(o: FileOutcome) -> list[str]:
    """Lines for one file: a header per report with flags (reports numbered from 1, as
    ``jixiao draft --report N`` takes them), then one line per flag."""
    lines: list[str] = []
    for r in o.reports:
        mine = [fr for fr in o.flags if fr.flag.report == r.index]
        if not mine and not r.warnings:
            continue
        lines.append(f"{o.file}:报告{r.index + 1} «{r.title}»")
        lines.extend(f"  提示：{w}" for w in r.warnings)
        lines.extend(flag_line(fr) for fr in mine)
    return lines


def format_error(err: ErrorRecord) -> str:
    """``path: 无法读取 [code] 说明`` (the Chinese message without its file prefix; the English
    one stays in errors.jsonl for developers)."""
    zh = err.message_zh.removeprefix(f"{err.file}：")
    return f"{err.file}: 无法读取 [{err.code}] {zh}"


def failure_lines(outcomes: list[FileOutcome]) -> list[str]:
    """Each distinct reason a report's review failed in part (the LLM's), said once with
    the number of reports it hit: ``大模型：…（3 份报告） / LLM: … (3 reports)``."""
    seen: dict[tuple[str, str, str], int] = {}
    for o in outcomes:
        for e in o.report_errors:
            zh = e.message_zh.split("：", 2)[-1]
            en = e.message_en.split(": ", 2)[-1]
            seen[(e.code, zh, en)] = seen.get((e.code, zh, en), 0) + 1
    return [f"大模型：{zh}（{n} 份报告） / LLM: {en} ({n} report{'s' if n > 1 else ''})"
            for (_, zh, en), n in seen.items()]


def summary_line(outcomes: list[FileOutcome]) -> str:
    n_files = len(outcomes)
    n_reports = sum(len(o.reports) for o in outcomes)
    flags = [fr.flag for o in outcomes for fr in o.flags]
    bad = sum(1 for o in outcomes if o.error is not None)
    head = f"共检查 {n_files} 个文件、{n_reports} 份报告："
    if flags:
        counts = "，".join(f"{severity_zh(s)} {sum(1 for f in flags if f.severity == s)}" for s in SEVERITIES)
        body = f"发现 {len(flags)} 个问题（{counts}）"
    else:
        body = "未发现问题"
    tail = f"；{bad} 个文件无法读取" if bad else ""
    return head + body + tail + "。"


def emit(text: str, stream=None) -> None:
    """Print to stdout; a closed pipe (``jixiao check … | head``) is not an error."""
    import os
    import sys

    out = stream or sys.stdout
    try:
        out.write(text if text.endswith("\n") else text + "\n")
        out.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())  # so the interpreter's final flush does not fail again
