#!/usr/bin/env python3
"""How many findings survive a page copied without its line breaks (no labels needed).

Text copied out of a web page or a PDF viewer often loses its line breaks: the headings run into
the sentences before and after them ("…发放到位.二、绩效目标完成情况(一)资金执行情况.全年…"),
and a form's rows run into each other.  Every report without tab-separated tables under
``eval/holdout*/reports`` and ``../shared/realworld/reports`` (when present) keeps its first line
(the title) and has the rest joined into one line; the rules run on both versions (no LLM, no
retrieval) and the findings, as (rule, stated value), are compared.  Prints the findings of the
originals and how many were lost or gained, by rule; ``-v`` lists them per file.  Sets given
with ``--skip`` are left out (a blind set).

Usage: python bench/runon_invariance.py [-v] [--skip holdout10]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from layout_invariance import findings, invariance_args  # noqa: E402

REALWORLD = REPO.parent / "shared" / "realworld" / "reports"


def run_together(text: str) -> str:
    """The title line, then every other line stripped and joined without a break."""
    title, _, rest = text.partition("\n")
    return title + "\n" + "".join(ln.strip() for ln in rest.split("\n")) + "\n"


def main() -> None:
    a, files = invariance_args()
    files += sorted(REALWORLD.glob("*.txt")) if REALWORLD.is_dir() else []
    lost: Counter = Counter()
    gained: Counter = Counter()
    total = used = 0
    for p in files:
        text = p.read_text("utf-8")
        if text.startswith("# source"):
            text = text.split("\n", 1)[1]
        if "\t" in text or sum(1 for ln in text.split("\n") if ln.count("|") >= 3) > 3:
            continue  # tab or pipe tables: their layouts are bench/layout_invariance.py's
        used += 1
        before, after = findings(text), findings(run_together(text))
        total += sum(before.values())
        gone, new = before - after, after - before
        lost.update(k[0] for k in gone.elements())
        gained.update(k[0] for k in new.elements())
        if a.v and (gone or new):
            print(f"{p.parent.parent.name}/{p.name}  lost {sorted(gone)}  gained {sorted(new)}")
    print(f"{used} reports without tab or pipe tables; findings {total}, lost when run together {sum(lost.values())}, "
          f"gained {sum(gained.values())}")
    print("  lost:", ", ".join(f"{r} {n}" for r, n in lost.most_common()))
    print("  gained:", ", ".join(f"{r} {n}" for r, n in gained.most_common()))


if __name__ == "__main__":
    main()
