"""The seed labels as a development gauge: ``jixiao batch seeds --no-llm`` scored with
eval/score.py (a copy of the shared scorer).  Thresholds (the lead tunes them): inconsistency recall
≥ 0.8, missing recall ≥ 0.7, overall precision ≥ 0.6."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
from shared_paths import SEEDS  # noqa: E402
from shared_paths import SCORER as SCORE  # noqa: E402

MIN_RECALL = {"inconsistency": 0.8, "missing": 0.7}
MIN_PRECISION = 0.6


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("seed_eval")
    run = subprocess.run([sys.executable, "-m", "reviewer", "batch", str(SEEDS), "--out", str(out), "--no-llm",
                          "--no-progress"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    score = subprocess.run([sys.executable, str(SCORE), str(SEEDS), str(out / "flags.jsonl"), "--json"],
                           capture_output=True, text=True, timeout=120)
    assert score.returncode == 0, score.stderr
    res = json.loads(score.stdout)
    for cls, r in sorted(res["classes"].items()):
        fmt = lambda v: "-" if v is None else f"{v:.2f}"  # noqa: E731
        print(f"{cls:14s} labels {r['labels']:3d} recall {fmt(r['recall'])}  flags {r['flags']:4d} "
              f"precision>= {fmt(r['precision_lb'])}")
    print(f"overall recall {res['recall']:.2f} precision>= {res['precision_lb']:.2f} "
          f"grounded {res['grounded_quotes']}")
    return res


def test_quotes_grounded(figures):
    assert figures["grounded_quotes"] in (None, 1.0)


@pytest.mark.parametrize("cls", sorted(MIN_RECALL))
def test_recall(figures, cls):
    r = figures["classes"].get(cls, {}).get("recall") or 0.0
    assert r >= MIN_RECALL[cls], f"{cls} recall {r:.2f} < {MIN_RECALL[cls]}"


def test_precision(figures):
    assert figures["precision_lb"] >= MIN_PRECISION, f"precision {figures['precision_lb']:.2f} < {MIN_PRECISION}"
