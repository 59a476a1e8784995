"""``jixiao search "查询" [--section 存在问题] [--k 5]``: ranked passages from the store."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser(
        "search",
        help="在向量库中检索段落",
        description="按语义检索已索引报告中的段落，列出得分、来源文件、报告、位置。",
    )
    p.add_argument("query", help="查询语句")
    p.add_argument("--section", help="只查某一部分：存在问题、改进措施、自评结论、绩效目标完成情况、绩效目标、资金、基本情况、表格")
    p.add_argument("--k", "-k", type=int, default=5, help="返回条数（默认5）")
    p.add_argument("--year", type=int, help="只查某一年度")
    p.add_argument("--store", help="向量库目录或 chroma://主机:端口")
    p.add_argument("--embedding", help="向量模型（须与建库时一致）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    import json

    from reviewer.commands._store import open_store
    from vectorstore.chunking import SECTION_NAMES, section_kind

    store = open_store(args)
    if store is None:
        return 2
    if store.count() == 0:
        print("向量库为空，请先运行 jixiao index", file=sys.stderr)
        return 1
    section = section_kind(args.section) if args.section else None
    hits = store.search(args.query, k=args.k, section=section, where={"year": args.year} if args.year else None)
    if args.json:
        print(json.dumps([{"score": round(h.score, 4), "text": h.text, **h.meta,
                           "also": [o.meta for o in h.also]} for h in hits], ensure_ascii=False, indent=1))
        return 0
    if not hits:
        print("没有结果")
        return 0
    for i, h in enumerate(hits, 1):
        sec = SECTION_NAMES.get(h.meta.get("section", ""), h.meta.get("section", ""))
        print(f"{i}. [{h.score:.3f}] {h.source_label()} 〔{sec}〕")
        body = " ".join(h.text.split())
        print(f"   {body[:300]}{'…' if len(body) > 300 else ''}")
        if h.also:
            same = "；".join(o.source_label() for o in h.also[:3])
            print(f"   （另有{len(h.also)}处相同：{same}{'…' if len(h.also) > 3 else ''}）")
    return 0
