"""``jixiao compare OLD NEW [--out DIR]``: what changed between two versions of reports,
which findings were corrected, which remain, which are new.

OLD and NEW are each a file (of any supported carrier; a file may hold several reports) or
a folder. Exit status: 0 when every report of NEW is free of findings that are still there
or new, 1 when some remain (仍存在 or 新出现), 2 when nothing could be compared.
"""

from __future__ import annotations

import argparse
import sys

from reviewer.commands._options import add_review_options


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare",
        help="对比两个版本的报告：改了什么、哪些问题已修正 / compare two versions of reports",
        description="对比旧版与新版（修订稿或上一年度报告）：匹配报告，列出资金、指标、得分、等级、存在问题、改进措施的每处改动，"
                    "并把审阅问题分为已修正、仍存在、新出现（随章节删除而消失的不算修正）。"
                    "输出 compare.html、compare.xlsx 和带批注的新版 Word。",
    )
    p.add_argument("old", metavar="OLD", help="旧版：文件或文件夹")
    p.add_argument("new", metavar="NEW", help="新版：文件或文件夹")
    p.add_argument("--out", "-o", metavar="DIR", help="输出文件夹（默认 compare-out） / output folder")
    add_review_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from reviewer.batch.session import open_session, split_codes
    from reviewer.compare.outputs import write_compare_outputs
    from reviewer.compare.run import compare_paths
    from reviewer.compare.summary import summary_lines
    from reviewer.outputs.text import emit

    said: set[str] = set()

    def notify(msg: str) -> None:  # each side opens a session: say each notice once
        if msg not in said:
            said.add(msg)
            print(msg, file=sys.stderr, flush=True)

    def session():
        return open_session(config_path=getattr(args, "config", None), no_llm=args.no_llm, corpus=args.corpus,
                            select=split_codes(args.select), ignore=split_codes(args.ignore), notify=notify)

    cmp = compare_paths([args.old], [args.new], session)
    r = cmp.result
    if not r.old.reports or not r.new.reports:
        for e in r.old.errors + r.new.errors:
            print(e, file=sys.stderr)
        print("jixiao compare: 旧版或新版中没有可读的报告 / no readable report on one side", file=sys.stderr)
        return 2
    outs = write_compare_outputs(cmp, args.out or "compare-out")
    lines = summary_lines(r)
    lines += ["", f"已写入 {outs.html}、{outs.xlsx}"
              + "".join(f"、{p}" for p in outs.docx) + f"（批注 {outs.comments} 条）"]
    emit("\n".join(lines))
    return 1 if r.count("仍存在") or r.count("新出现") else 0
