"""``jixiao batch PATH... --out DIR``: review many files, resumably, into flags.jsonl,
reports.jsonl, errors.jsonl, summary.xlsx and summary.html.

Exit status: 0 when the batch finished (files that could not be read are listed in
errors.jsonl), 2 on a usage problem (nothing to review, output folder not writable),
130 when interrupted (run the same command again to continue).

Each file is read and reviewed in a worker process (``--jobs N`` of them) under a time
and memory budget (``[tool.jixiao.budget]``, reviewer.batch.budget); a file over it is
stopped and listed in errors.jsonl (too_slow / too_large) and the batch goes on.  The
jsonl outputs grow as files finish; copies across files (R01) are added at the end, and
every output is then rewritten in order.

Resuming: each finished file is stored as ``DIR/.parts/<key>.json`` (key = sha1 of the
absolute path, the file's content hash and the run's options) with its sentence units; a
rerun skips those files without reading them again and assembles every output from the
parts, so an interrupted batch finishes with the same flags.jsonl as an uninterrupted
one.  Files that crashed or were stopped (internal_error, too_slow, too_large) are
retried.  Test hook: ``JIXIAO_BATCH_STOP_AFTER=N`` makes the process ``os._exit(75)``
right after storing its N-th part (see reviewer.batch.runner).

``--engine ray [--address ADDR]`` runs the same batch on Ray (a local one, or the cluster
at ADDR): the files are Ray tasks, everything else stays in this process and the outputs
are the same (reviewer.batch.engine, reviewer.batch.engine_ray).
"""

from __future__ import annotations

import argparse

from reviewer.commands._options import add_review_options
import sys
from pathlib import Path

from reviewer.batch.budget import load_budget
from reviewer.batch.discover import discover, supported_extensions
from reviewer.batch.engine import ENGINES, EngineUnavailable, pool_factory
from reviewer.batch.runner import run_batch
from reviewer.batch.session import open_session, split_codes
from reviewer.outputs.bundle import write_all
from reviewer.outputs.labels import SEVERITIES, severity_zh
from reviewer.outputs.records import FileOutcome
from reviewer.outputs.text import emit, failure_lines


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "batch",
        help="批量审阅文件/文件夹，输出 flags.jsonl、汇总表等 / review many files into an output folder",
        description="批量审阅：文件与文件夹（递归查找 .docx .txt .pdf），结果写入 --out 指定的文件夹；"
        "中断后重新运行同一命令会跳过已完成的文件。",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="报告文件或文件夹")
    p.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    add_review_options(p)
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="并行审阅的进程数（默认 1）；每个文件在独立进程中审阅，超过时间/内存上限即停止"
                        "（[tool.jixiao.budget]）；0 = 在本进程内审阅、不设上限（调试用）")
    p.add_argument("--engine", choices=ENGINES, default="local",
                   help="执行引擎：local（默认，本机进程）或 ray（Ray 集群：不给 --address 时在本机启动一个，"
                        "CPU 数取 --jobs）")
    p.add_argument("--address", metavar="ADDR",
                   help="与 --engine ray 一起使用：连接已在运行的 Ray 集群（如 10.0.0.1:6379，即 ray start --head 的地址）")
    p.add_argument("--no-progress", action="store_true", help="不显示进度")
    p.set_defaults(func=run)


def _err(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def summary_lines(outcomes: list[FileOutcome], reviewed: int, reused: int, paths: dict[str, Path]) -> list[str]:
    """The short summary printed at the end of a batch (what ``make demo`` shows)."""
    sev_count: dict[str, int] = {}  # counted, not held: the outcomes may be read back from disk
    n_flags = 0
    for o in outcomes:
        for fr in o.flags:
            n_flags += 1
            sev_count[fr.flag.severity] = sev_count.get(fr.flag.severity, 0) + 1
    n_reports = sum(len(o.reports) for o in outcomes)
    n_err = sum(1 for o in outcomes if o.error is not None)
    by_sev = "，".join(f"{severity_zh(s)} {sev_count.get(s, 0)}" for s in SEVERITIES)
    dropped = sum(r.stats.get("ungrounded_quotes_dropped", 0) for o in outcomes for r in o.reports)
    lines = [
        f"审阅完成：{len(outcomes)} 个文件（本次审阅 {reviewed}，沿用上次结果 {reused}），"
        f"{n_reports} 份报告，{n_flags} 个问题（{by_sev}），读取错误 {n_err} 个。",
    ]
    if dropped:
        lines.append(f"已丢弃 {dropped} 条无法在原文中定位的证据引文。")
    cut = sum(1 for o in outcomes for r in o.reports if r.truncated_at is not None)
    unread = sum(1 for o in outcomes for r in o.reports if r.form_unread)
    if cut:
        lines.append(f"{cut} 份报告的文字中途中断，缺失类检查只针对已见部分（见 reports.jsonl 的 truncated_at）。")
    if unread:
        lines.append(f"{unread} 份报告看到自评表表头却未能读出表格行，表格检查未执行（见 reports.jsonl 的 form_unread）。")
    rule_errors = sum(r.stats.get("rule_errors", 0) for o in outcomes for r in o.reports)
    if rule_errors:
        lines.append(f"注意：有 {rule_errors} 次规则运行出错（已跳过该规则，其余检查照常），详见 reports.jsonl 的 stats.rule_errors。")
    llm = {k: sum(r.stats.get(k, 0) for o in outcomes for r in o.reports)
           for k in ("llm_calls", "llm_flags", "llm_errors", "llm_dropped_unquoted", "llm_dropped_numbers",
                     "llm_marked_numbers", "llm_dropped_invalid", "llm_dropped_nonfinding")}
    if llm["llm_calls"]:
        lines.append(f"大模型：调用 {llm['llm_calls']} 次，采纳 {llm['llm_flags']} 条，失败 {llm['llm_errors']} 次；"
                     f"因引文无法定位丢弃 {llm['llm_dropped_unquoted']} 条，因数字无法核实丢弃 {llm['llm_dropped_numbers']} 条、"
                     f"标注 {llm['llm_marked_numbers']} 条，其他不合格 {llm['llm_dropped_invalid'] + llm['llm_dropped_nonfinding']} 条。")
    lines.extend(failure_lines(outcomes))  # why the LLM failed, once per cause (per report in errors.jsonl)
    lines.append("输出文件：")
    lines.extend(f"  {p}" for p in paths.values())
    return lines


def run(args: argparse.Namespace) -> int:
    if args.jobs < 0:
        _err("jixiao batch: --jobs 必须 ≥ 0")
        return 2
    engine = getattr(args, "engine", "local")
    if engine == "ray" and args.jobs < 1:
        _err("jixiao batch: --engine ray 需要 --jobs ≥ 1")
        return 2
    try:
        factory = pool_factory(engine, getattr(args, "address", None))
    except EngineUnavailable as e:
        _err(f"jixiao batch: {e}")
        return 2
    files, missing = discover(args.paths, exclude=[args.out])
    if not files and not missing:
        _err(f"jixiao batch: 没有找到可审阅的文件（支持 {' '.join(supported_extensions())}） / no input files found")
        return 2
    out_dir = Path(args.out)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        _err(f"jixiao batch: 无法创建输出文件夹 {out_dir}：{e}")
        return 2
    session = open_session(
        config_path=getattr(args, "config", None),
        no_llm=args.no_llm,
        corpus=args.corpus,
        select=split_codes(args.select),
        ignore=split_codes(args.ignore),
    )
    try:
        budget = load_budget(getattr(args, "config", None))
    except ValueError as e:
        _err(f"jixiao batch: {e}")
        return 2
    try:
        result = run_batch(files, missing, out_dir, session, jobs=args.jobs, progress=not args.no_progress,
                           budget=budget, pool_factory=factory)
    except EngineUnavailable as e:
        _err(f"jixiao batch: {e}")
        return 2
    except KeyboardInterrupt:
        for rv in session.reviewers:
            close = getattr(rv, "close", None)
            if callable(close):
                close()
        _err(f"\n已中断。已完成的文件保存在 {out_dir / '.parts'}，重新运行同一命令即可继续。")
        return 130
    for note in result.notes:
        _err(note)
    paths = write_all(out_dir, result.outcomes)
    emit("\n".join(summary_lines(result.outcomes, result.reviewed, result.reused, paths)))
    return 0
