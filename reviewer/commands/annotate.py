"""``jixiao annotate FILE --out reviewed.docx``: the document with a Word comment (批注)
on each flagged paragraph or table cell.  .txt/.pdf input gives a new .docx holding the
text and the comments."""

from __future__ import annotations

import sys
from pathlib import Path

from reviewer.commands._options import add_review_options
from reviewer.models import ReadError


def register(sub) -> None:
    p = sub.add_parser(
        "annotate",
        help="输出带批注的 Word 文档",
        description="在每个有问题的段落或表格单元格上添加 Word 批注（规则编号、说明、应为与所述）。"
                    " / Adds a Word comment on each flagged paragraph or table cell.",
    )
    p.add_argument("file", help="报告文件 .docx/.txt/.pdf")
    p.add_argument("--out", "-o", help="输出 .docx（默认：<文件名>.审阅.docx）")
    add_review_options(p)
    p.set_defaults(func=run)


def default_out(path: Path) -> Path:
    return path.with_name(f"{path.stem}.审阅.docx")


def annotate_file(path: str | Path, out: str | Path, session) -> tuple[object, int]:
    """Parse, review and write the annotated .docx; returns (AnnotateResult, flag count)."""
    from reviewer.outputs.annotate import write_annotated
    from reviewer.outputs.records import ground_flags
    from reviewer.parse import parse_file
    from reviewer.pipeline import review_parsed

    parsed = parse_file(path)
    fr = review_parsed(parsed, session.profile, session.reviewers)
    flags = []
    for rr in sorted(fr.reports, key=lambda r: r.report.index):
        kept, _, _ = ground_flags(rr.flags, parsed.source)
        flags.extend(kept)
    return write_annotated(parsed, flags, out), len(flags)


def run(args) -> int:
    from reviewer.batch.session import open_session, split_codes

    path = Path(args.file)
    out = Path(args.out) if args.out else default_out(path)
    if out.suffix.lower() != ".docx":
        print(f"输出文件须为 .docx：{out}", file=sys.stderr)
        return 2
    if path.exists() and out.exists() and out.resolve() == path.resolve():
        print(f"输出文件不能覆盖原文件：{out}", file=sys.stderr)
        return 2
    session = open_session(config_path=getattr(args, "config", None), no_llm=args.no_llm, corpus=args.corpus,
                           select=split_codes(args.select), ignore=split_codes(args.ignore))
    try:
        res, n = annotate_file(path, out, session)
    except ReadError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(f"已写入 {res.path}：{res.comments} 条批注（{n} 个问题）"
          + (f"，其中 {res.unplaced} 条无法定位，批注在报告标题处" if res.unplaced else "")
          + f" / wrote {res.path}: {res.comments} comment(s) for {n} flag(s)")
    return 0
