#!/usr/bin/env python3
"""How much the rules' findings change when a form's layout changes (no labels needed).

Every report under ``eval/holdout*/reports`` and ``tests/data/seeds`` whose tables are written
with tabs (five table rows or more) is rewritten the ways real carriers flatten a table, merged
(empty) cells left out as they are on real pages:

* ``pipe``     — ``| a | b | c |`` rows;
* ``space``    — cells separated by one space, a row per line;
* ``cellline`` — one cell per line, nothing marks where a row ends;
* ``oneline``  — each table's rows joined onto one line;
* ``columns``  — each table column by column (a PDF's text read one column at a time).

The rules run on each version (no LLM, no retrieval) and the findings, as (rule, stated value),
are compared with the tab-separated original's.  A reader that sees every layout alike loses
and gains nothing.  Prints, per layout, the original's findings and how many were lost or
gained; ``-v`` lists them per file.  Sets given with ``--skip`` are left out (a blind set).

Usage: python bench/layout_invariance.py [-v] [--skip holdout8]
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


def findings(text: str) -> Counter:
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    return Counter((f.rule, re.sub(r"\s+", "", f.stated or ""))
                   for rep in parsed.reports for f in run_rules(parsed, rep, Profile(), errors=[]))


def _table_line(line: str) -> bool:
    return line.count("\t") >= 2


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t") if c.strip()]


def _rows(text: str, join) -> str:
    return "\n".join(join(_cells(ln)) if _table_line(ln) else ln for ln in text.split("\n"))


def oneline(text: str) -> str:
    out, run = [], []
    for ln in text.split("\n"):
        if _table_line(ln):
            run.append(" ".join(_cells(ln)))
            continue
        if run:
            out.append(" ".join(run))
            run = []
        out.append(ln)
    if run:
        out.append(" ".join(run))
    return "\n".join(out)


_HEADER_ROW = re.compile(r"一级指标|三级指标|年初预算|全年预算")


def columns(text: str) -> str:
    """Each table written column by column, as a PDF's text comes out one column at a time:
    a block of tab rows is cut at each header row, and each part gives its columns top to
    bottom, one cell a line, merged (empty) cells left out."""
    out: list[str] = []
    block: list[list[str]] = []

    def flush() -> None:
        width = max((len(r) for r in block), default=0)
        for c in range(width):
            out.extend(r[c].strip() for r in block if c < len(r) and r[c].strip())
        block.clear()

    for ln in text.split("\n"):
        if _table_line(ln):
            if block and _HEADER_ROW.search(ln):
                flush()
            block.append(ln.split("\t"))
            continue
        flush()
        out.append(ln)
    flush()
    return "\n".join(out)


LAYOUTS = {
    "pipe": lambda t: _rows(t, lambda cs: "| " + " | ".join(cs) + " |"),
    "space": lambda t: _rows(t, " ".join),
    "cellline": lambda t: _rows(t, "\n".join),
    "oneline": oneline,
    "columns": columns,
}


def invariance_args() -> tuple[argparse.Namespace, list[Path]]:
    """``-v`` and ``--skip SET …`` (blind sets left out), and the eval reports not skipped."""
    ap = argparse.ArgumentParser()
    ap.add_argument("-v", action="store_true")
    ap.add_argument("--skip", nargs="*", default=[])
    a = ap.parse_args()
    return a, sorted(p for p in (REPO / "eval").glob("holdout*/reports/*.txt") if p.parent.parent.name not in a.skip)


def main() -> None:
    a, files = invariance_args()
    files += sorted((REPO / "tests" / "data" / "seeds").glob("*.txt"))
    base_n, lost, gained, used = Counter(), Counter(), Counter(), 0
    for p in files:
        text = p.read_text(encoding="utf-8")
        if sum(_table_line(ln) for ln in text.split("\n")) < 5:
            continue
        used += 1
        base = findings(text)
        for name, fn in LAYOUTS.items():
            got = findings(fn(text))
            base_n[name] += sum(base.values())
            lo, ga = base - got, got - base
            lost[name] += sum(lo.values())
            gained[name] += sum(ga.values())
            if a.v and (lo or ga):
                print(f"{name:9s} {p.parent.parent.name}/{p.name}  lost {sorted(lo)}  gained {sorted(ga)}")
    print(f"{used} reports with tab-separated tables")
    print(f"{'layout':9s} {'findings':>8s} {'lost':>5s} {'gained':>6s}")
    for name in LAYOUTS:
        print(f"{name:9s} {base_n[name]:8d} {lost[name]:5d} {gained[name]:6d}")


if __name__ == "__main__":
    main()
