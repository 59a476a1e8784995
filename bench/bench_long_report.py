#!/usr/bin/env python3
"""Growth of the cost of one report with its length: parse + every rule (no LLM) on texts
made of N copies of a block.

A cost linear in the text grows 4x per step; a quadratic one 16x. Two blocks:
- ``goals``: a goal paragraph with its results (prose indicators: each goal looks for its
  result in the whole report, so a scan per goal would be quadratic);
- ``seed``: a whole seed report (tables, sections, narrative).

Prints, per block and N: characters, seconds for ``find_prose_indicators`` alone and for
parse + rules, and the ratio to the previous N. A seed copy is a report of its own, so the
seed block measures a file of many reports (N = 25, 100, 400 by default).

Usage: python bench/bench_long_report.py [--sizes 100,400,1600] [--seed-sizes 25,100,400] [--blocks goals,seed]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reviewer.checks import run_rules  # noqa: E402
from reviewer.models import SourceDocument  # noqa: E402
from reviewer.parse import parse_source  # noqa: E402
from reviewer.profile import Profile  # noqa: E402
from reviewer.structure.prose_indicators import find_prose_indicators  # noqa: E402

GOAL_BLOCK = ("（三）绩效目标。全年为不少于1,500名老年人提供居家养老上门服务，补贴遗体火化不少于1,300具，"
              "修缮完工文物建筑3处，年度目标5处，受益群众满意度不低于90%。全年共为1,386名老年人提供上门服务，"
              "为1,214具遗体发放火化补贴，受益群众满意度为93%。\n")
BLOCKS = {
    "goals": lambda: GOAL_BLOCK,
    "seed": lambda: (REPO / "tests" / "data" / "seeds" / "001_636fdea54536b2e6.txt").read_text(encoding="utf-8"),
}


def _time(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _whole(text: str) -> None:
    parsed = parse_source(SourceDocument(path="long.txt", format="txt", text=text))
    for rep in parsed.reports:
        list(run_rules(parsed, rep, Profile(), errors=[]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,400,1600")
    ap.add_argument("--seed-sizes", default="25,100,400")
    ap.add_argument("--blocks", default="goals,seed")
    a = ap.parse_args()
    print(f"{'block':6} {'N':>6} {'chars':>10} {'prose s':>8} {'x':>5} {'parse+rules s':>14} {'x':>5}")
    for name in a.blocks.split(","):
        block = BLOCKS[name]()
        sizes = [int(s) for s in (a.seed_sizes if name == "seed" else a.sizes).split(",")]
        prev = None
        for n in sizes:
            text = block * n
            prose = _time(lambda: find_prose_indicators(text, 0, len(text), []))
            whole = _time(lambda: _whole(text))
            rp = f"{prose / prev[0]:5.1f}" if prev and prev[0] else "    -"
            rw = f"{whole / prev[1]:5.1f}" if prev and prev[1] else "    -"
            print(f"{name:6} {n:6d} {len(text):10,d} {prose:8.2f} {rp} {whole:14.2f} {rw}", flush=True)
            prev = (prose, whole)


if __name__ == "__main__":
    main()
