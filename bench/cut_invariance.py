#!/usr/bin/env python3
"""Findings that appear only because a text was cut off (no labels needed).

Published excerpts stop after a few hundred characters, mid-row or mid-sentence.  Each report
of ``eval/holdout*/reports`` and of ``../shared/realworld/reports`` (when present) is cut every
``--step`` characters from ``--first`` on; the rules run on every cut (no LLM, no retrieval) and
any finding, as (rule, stated value), that the whole text does not give is counted: the cut
created it.  A reader that sees the cut, and rules that leave alone what may lie past it,
create none.  Prints the number of cuts and of created findings by rule; ``-v`` lists them.

Usage: python bench/cut_invariance.py [-v] [--skip holdout8] [--step 173] [--first 400]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from reviewer.checks import run_rules  # noqa: E402
from reviewer.models import SourceDocument  # noqa: E402
from reviewer.parse import parse_source  # noqa: E402
from reviewer.profile import Profile  # noqa: E402

REALWORLD = REPO.parent / "shared" / "realworld" / "reports"


def findings(text: str) -> Counter:
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    return Counter((f.rule, re.sub(r"\s+", "", f.stated or ""))
                   for rep in parsed.reports for f in run_rules(parsed, rep, Profile(), errors=[]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", action="store_true")
    ap.add_argument("--skip", nargs="*", default=[])
    ap.add_argument("--step", type=int, default=173)
    ap.add_argument("--first", type=int, default=400)
    a = ap.parse_args()
    files = sorted(p for p in (REPO / "eval").glob("holdout*/reports/*.txt") if p.parent.parent.name not in a.skip)
    files += sorted(REALWORLD.glob("*.txt")) if REALWORLD.is_dir() else []
    created, cuts = Counter(), 0
    for p in files:
        text = p.read_text(encoding="utf-8")
        if text.startswith("# source:"):
            text = text.split("\n", 1)[1] if "\n" in text else ""
        whole = findings(text)
        for cut in range(a.first, len(text) - 50, a.step):
            cuts += 1
            for key in findings(text[:cut]) - whole:
                created[key[0]] += 1
                if a.v:
                    print(f"{p.parent.parent.name}/{p.name} @{cut}: {key}")
    print(f"{cuts} cuts of {len(files)} reports; findings created by the cut: {sum(created.values())}")
    print("  " + ", ".join(f"{k} {n}" for k, n in created.most_common()))


if __name__ == "__main__":
    main()
