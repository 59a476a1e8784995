"""``jixiao check FILE...``: linter-style findings per report.

Exit status (like a linter): 0 = no error/warning flags, 1 = at least one flag of
severity error or warning, 2 = a file could not be read, or a usage error.
``--format json`` writes the flags as JSON lines (the flags.jsonl shape) to stdout.
"""

from __future__ import annotations

import argparse

from reviewer.commands._options import add_review_options
import io
import sys
from pathlib import Path

from reviewer.batch.discover import InputFile, discover, supported_extensions
from reviewer.batch.review import error_outcome
from reviewer.batch.runner import review_files
from reviewer.batch.session import Session, open_session, split_codes
from reviewer.outputs.jsonl import write_flag_lines
from reviewer.outputs.records import FileOutcome
from reviewer.outputs.text import emit, failure_lines, format_error, format_outcome, summary_line

EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE = 0, 1, 2


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="检查报告并逐条列出问题（类似代码检查工具） / lint reports, print findings",
        description="检查一个或多个报告文件（或文件夹），逐份报告列出问题。"
        "退出码：0 无错误/警告，1 有错误或警告，2 有文件无法读取或用法错误。",
    )
    p.add_argument("paths", nargs="+", metavar="FILE", help="报告文件（.docx .txt .pdf）或文件夹")
    add_review_options(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="text（默认）或 json（flags 逐行 JSON）")
    p.add_argument("--jobs", type=int, default=1, metavar="N",
                   help="并行审阅的进程数（默认 1，每个文件受 [tool.jixiao.budget] 时间/内存上限约束）；0 = 在本进程内、不设上限")
    p.set_defaults(func=run)


def exit_code(outcomes: list[FileOutcome]) -> int:
    if any(o.error is not None for o in outcomes):
        return EXIT_TROUBLE
    if any(fr.flag.severity in ("error", "warning") for o in outcomes for fr in o.flags):
        return EXIT_FINDINGS
    return EXIT_CLEAN


def check_outcomes(paths: list[str], session: Session, jobs: int = 1) -> list[FileOutcome]:
    """Review every file named (folders searched) and return the outcomes in order;
    each file in one of ``jobs`` worker processes under the budget (0: in this process)."""
    files, missing = discover(paths)
    done, _ = review_files(files, session, jobs=jobs) if files else ({}, 0.0)
    outcomes: list[FileOutcome] = [done[f.display].outcome for f in files]
    for given, err in missing:
        outcomes.append(error_outcome(InputFile(given, Path(given).absolute(), True), err))
    return outcomes


def run(args: argparse.Namespace) -> int:
    session = open_session(
        config_path=getattr(args, "config", None),
        no_llm=args.no_llm,
        corpus=args.corpus,
        select=split_codes(args.select),
        ignore=split_codes(args.ignore),
    )
    if args.jobs < 0:
        print("jixiao check: --jobs 必须 ≥ 0", file=sys.stderr)
        return EXIT_TROUBLE
    try:
        outcomes = check_outcomes(args.paths, session, jobs=args.jobs)
    except ValueError as e:  # an invalid [tool.jixiao.budget]
        print(f"jixiao check: {e}", file=sys.stderr)
        return EXIT_TROUBLE
    if not outcomes:
        print(f"jixiao check: 没有找到可检查的文件（支持 {' '.join(supported_extensions())}）", file=sys.stderr)
        return EXIT_TROUBLE
    for o in outcomes:
        if o.error is not None:
            print(format_error(o.error), file=sys.stderr)
    if args.format == "json":
        buf = io.StringIO()
        write_flag_lines(outcomes, buf)
        if buf.getvalue():
            emit(buf.getvalue())
    else:
        lines = [ln for o in outcomes for ln in format_outcome(o)]
        emit("\n".join([*lines, summary_line(outcomes)]))
    for line in failure_lines(outcomes):  # why the LLM added nothing, once per cause
        print(line, file=sys.stderr)
    return exit_code(outcomes)
