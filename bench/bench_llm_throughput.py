"""LLM batch throughput: ``jixiao batch`` against a local OpenAI-compatible server that
answers every request after a fixed delay.

    .venv/bin/python bench/bench_llm_throughput.py --reports 64 --delay 3.0 --concurrency 8

Prints the wall time of the whole batch (parse, rules, retrieval, LLM, outputs) next to
the ideal ``calls × delay / concurrency`` and their ratio; the target is ≤ 1.2.
The response cache is off so every report costs one real call. The batch has a fixed
start-up cost (≈2–2.5 s on 2 cores: imports of langchain/chromadb, parsing, retrieval
prepare) before the first request, so the ratio only approaches the model phase's own
(≈1.03–1.08 × ideal, also printed) when ``calls × delay / concurrency`` is well above
that — as it is with real models, whose answers take seconds each.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fake_openai import FakeOpenAI, Reply  # noqa: E402

TEMPLATE = """{org}{year}年{name}项目支出绩效自评报告

一、项目基本情况
{org}{year}年实施{name}项目，全年预算数{budget}万元，全年执行数{spent}万元。

项目资金（万元）
\t年度资金总额\t{budget}\t{budget}\t{spent}\t10\t{rate}%\t{score}

二、绩效目标完成情况
项目完成年度目标{done}项，群众满意度{sat}%。

三、自评结论
自评得分{total}分，等级为“优”。

四、存在的问题
部分工作推进较慢，资金支付进度滞后。

五、改进措施
加强管理，提高资金使用效益。
"""


def make_reports(folder: Path, n: int) -> None:
    for i in range(n):
        budget = 100 + i
        spent = budget - (i % 7)
        rate = round(spent / budget * 100, 2)
        (folder / f"r{i:03d}.txt").write_text(TEMPLATE.format(
            org=f"某县第{i + 1}局", year=2022, name=f"基础设施维护{i + 1}号", budget=budget, spent=spent,
            rate=rate, score=round(min(rate, 100) / 10, 2), done=3 + i % 4, sat=90 + i % 9, total=90 + i % 10),
            encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=64)
    ap.add_argument("--delay", type=float, default=3.0, help="seconds the server waits before answering")
    ap.add_argument("--concurrency", type=int, default=8)
    a = ap.parse_args()
    from reviewer.cli import main as cli

    with tempfile.TemporaryDirectory() as tmp, FakeOpenAI(lambda b, s: Reply(content='{"findings": []}'),
                                                          delay=a.delay) as srv:
        tmp = Path(tmp)
        src = tmp / "reports"
        src.mkdir()
        make_reports(src, a.reports)
        os.environ.update({
            "OPENAI_BASE_URL": srv.url, "OPENAI_API_KEY": "sk-bench", "JIXIAO_MODEL": "bench-model",
            "JIXIAO_LLM_CACHE": "off", "JIXIAO_LLM_CONCURRENCY": str(a.concurrency),
            "JIXIAO_LLM_TIMEOUT": str(max(10.0, a.delay * 5)),
        })
        os.chdir(tmp)
        t0 = time.perf_counter()
        rc = cli(["batch", str(src), "--out", str(tmp / "out"), "--no-progress"])
        wall = time.perf_counter() - t0
        reports = [json.loads(x) for x in (tmp / "out" / "reports.jsonl").read_text("utf-8").splitlines()]
        calls = srv.chat_calls
        n_reports = len(reports)
        in_flight = srv.max_in_flight
        first, last = min(srv.arrivals) - t0, max(srv.finished) - t0
    ideal = calls * a.delay / a.concurrency
    ratio = wall / ideal if ideal else float("nan")
    print(f"reports={n_reports} calls={calls} delay={a.delay:.2f}s concurrency={a.concurrency} "
          f"max_in_flight={in_flight} exit={rc}")
    print(f"model phase: first request at {first:.2f}s, last answer at {last:.2f}s "
          f"(span {last - first:.2f}s, {(last - first) / ideal if ideal else float('nan'):.3f} × ideal); outside it: {wall - (last - first):.2f}s of parsing, rules, imports, outputs")
    print(f"wall={wall:.2f}s ideal=calls×delay/concurrency={ideal:.2f}s ratio={ratio:.3f} "
          f"({'OK' if ratio <= 1.2 else 'OVER'} target ≤ 1.2)")
    return 0 if rc == 0 and ratio <= 1.2 else 1


if __name__ == "__main__":
    sys.exit(main())
