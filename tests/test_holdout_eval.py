"""Regression on a second labelled set (eval/holdout: 14 synthetic reports in other templates,
one report per file with a '# source:' header, labelled independently of the rules).

Runs the real batch (no LLM) and the shared scorer; the floors sit a little under the
figures measured when the set was added (recall 0.80, precision ≥ 0.93 overall)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shared_paths import SCORER

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "eval" / "holdout"


@pytest.mark.skipif(not SCORER.is_file(), reason="shared scorer not found")
def test_holdout_scores(tmp_path):
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "reviewer", "batch", str(HOLDOUT / "reports"), "--out", str(out),
                        "--no-llm", "--no-progress"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    s = subprocess.run([sys.executable, str(SCORER), str(HOLDOUT), str(out / "flags.jsonl"), "--json"],
                       capture_output=True, text=True)
    res = json.loads(s.stdout)
    print(json.dumps({k: v for k, v in res.items() if k != "misses"}, ensure_ascii=False))
    cls = res["classes"]
    assert res["grounded_quotes"] == 1.0
    assert cls["inconsistency"]["recall"] >= 0.75
    assert cls["missing"]["recall"] >= 0.75
    assert res["precision_lb"] >= 0.85
