"""Scoring a labelled set the way the tool is judged: `jixiao batch --no-llm` in a subprocess,
then eval/score.py (a copy of the shared scorer) on its flags.jsonl."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from shared_paths import SCORER

ROOT = Path(__file__).resolve().parents[1]


def score_labelled(tmp_path: Path, labelled: Path) -> dict:
    """The scorer's JSON figures for the labelled set ``labelled`` (reports/ + labels/)."""
    out = tmp_path / (labelled.name + "-out")
    r = subprocess.run([sys.executable, "-m", "reviewer", "batch", str(labelled / "reports"), "--out", str(out),
                        "--no-llm", "--no-progress"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    s = subprocess.run([sys.executable, str(SCORER), str(labelled), str(out / "flags.jsonl"), "--json"],
                       capture_output=True, text=True)
    res = json.loads(s.stdout)
    print(labelled.name, json.dumps({k: v for k, v in res.items() if k != "misses"}, ensure_ascii=False))
    assert res["grounded_quotes"] == 1.0
    return res
