"""Run the rule checks (no LLM) over the seed reports (tests/data/seeds) and score them with eval/score.py.

Usage: python bench/seed_eval.py [SEEDS_DIR] [--out DIR]
Prints the scorer's figures; writes DIR/flags.jsonl (default: a temp folder).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reviewer.parse import parse_file  # noqa: E402
from reviewer.pipeline import review_parsed  # noqa: E402
from reviewer.profile import load_profile  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("seeds", nargs="?", default=str(ROOT / "tests" / "data" / "seeds"))
    ap.add_argument("--out")
    ap.add_argument("--with-retrieval", action="store_true", help="also run the retrieval reviewer")
    a = ap.parse_args()
    out = Path(a.out or tempfile.mkdtemp(prefix="jixiao-seeds-"))
    out.mkdir(parents=True, exist_ok=True)
    profile = load_profile()
    reviewers = []
    parsed = [parse_file(p) for p in sorted(Path(a.seeds).glob("*.txt"))]
    if a.with_retrieval:
        from reviewer.reviewers import ReviewOptions, build_reviewers

        reviewers = build_reviewers(ReviewOptions(no_llm=True))
        for rv in reviewers:
            if hasattr(rv, "prepare"):
                rv.prepare(parsed)
    with open(out / "flags.jsonl", "w", encoding="utf-8") as fh:
        for pf in parsed:
            for rr in review_parsed(pf, profile, reviewers).reports:
                for f in rr.flags:
                    fh.write(json.dumps(f.jsonl(), ensure_ascii=False) + "\n")
    scorer = ROOT / "eval" / "score.py"  # a copy of the shared scorer
    r = subprocess.run([sys.executable, str(scorer), a.seeds, str(out / "flags.jsonl")], capture_output=True, text=True)
    print(r.stdout or r.stderr)
    print(f"flags: {out / 'flags.jsonl'}")
    return r.returncode


if __name__ == "__main__":
    sys.exit(main())
