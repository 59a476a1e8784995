"""``jixiao draft FILE [--report N] [--out draft.docx] [--md draft.md] [--no-llm]``:
draft 存在问题 and 改进措施 for the reports of a file.

Uses the configured LLM unless ``--no-llm``; with none configured it says so once and
prints the deterministic template draft.  Every number shown is verified against the
report or our own computation.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "draft",
        help="起草“存在问题”和“改进措施”",
        description="根据报告自身的偏差（未完成的指标、未执行的资金、程序检查发现的问题）起草存在问题和改进措施。"
        "配置了大模型时由大模型润色，所有数字都与报告核对；未配置时输出模板草稿。",
    )
    p.add_argument("file", metavar="FILE", help="报告文件（.docx .txt .pdf）")
    p.add_argument("--report", type=report_number, metavar="N",
                   help="只起草第 N 份报告（从 1 开始，与 jixiao check 显示的“报告N”一致；默认全部）")
    p.add_argument("--out", metavar="DOCX", help="写出 .docx 草稿")
    p.add_argument("--md", metavar="MD", help="写出 Markdown 草稿")
    p.add_argument("--no-llm", action="store_true", help="不调用大模型，只输出模板草稿")
    p.set_defaults(func=run)


def report_number(value: str) -> int:
    """``2``, ``报告2`` (as ``jixiao check`` prints it) or ``第2份`` → 2."""
    m = re.fullmatch(r"\s*(?:报告|第)?\s*(\d+)\s*(?:份)?(?:报告)?\s*", value)
    if m is None or int(m.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"报告序号应为从 1 开始的数字（如 1 或 报告1），而不是 {value!r}")
    return int(m.group(1))


def run(args: argparse.Namespace) -> int:
    from reviewer.checks import run_rules
    from reviewer.llm.draft import draft_report, write_docx, write_markdown
    from reviewer.models import ReadError
    from reviewer.parse import parse_file
    from reviewer.profile import load_config, load_profile

    cfg_path = Path(args.config) if getattr(args, "config", None) else None
    try:
        config = load_config(cfg_path)
        profile = load_profile(cfg_path)
    except Exception as e:  # noqa: BLE001
        print(f"jixiao draft：配置文件有误：{e}", file=sys.stderr)
        return 2
    try:
        parsed = parse_file(args.file)
    except ReadError as e:
        print(f"jixiao draft: {e}", file=sys.stderr)
        return 1
    reports = parsed.reports
    if args.report is not None:
        if not 1 <= args.report <= len(reports):
            print(f"jixiao draft：{args.file} 只有 {len(reports)} 份报告",
                  file=sys.stderr)
            return 2
        reports = [reports[args.report - 1]]
    if not reports:
        print(f"jixiao draft：{args.file} 中没有找到报告", file=sys.stderr)
        return 1
    notices: list[str] = []
    shown: set[str] = set()
    drafts = []
    for rep in reports:
        flags = list(run_rules(parsed, rep, profile))
        drafts.append(draft_report(parsed, rep, flags, use_llm=not args.no_llm, config=config, profile=profile,
                                   notices=notices))
        for n in notices:  # each notice once per run
            if n not in shown:
                shown.add(n)
                print(n, file=sys.stderr, flush=True)
    print("\n\n".join(d.text() for d in drafts), flush=True)
    if args.md:
        print(f"Markdown 草稿：{write_markdown(drafts, args.md)}", file=sys.stderr)
    if args.out:
        print(f"Word 草稿：{write_docx(drafts, args.out)}", file=sys.stderr)
    return 0
