"""Regression on the 37 real published excerpts (tests/data/realworld), scored the way the
tool is judged (eval/score.py, high + medium confidence), with `jixiao batch --no-llm`.

The excerpts were split before any tuning: 25 for development, 12 held out and never read
(A008 A009 A014 A023 A029 B009 B017 B023 B027 B028 B032 B035). The floors sit a little under
the figures measured when this test was written; the notes of issue 8/9 give the blind
figure of the held-out part. Since the second session every excerpt has been read, so none of
these figures is blind any more: eval/holdout4 (tests/test_holdout_eval.py) carries the last
blind figure."""

from __future__ import annotations

import shutil
from pathlib import Path

from labelled import score_labelled as _score
from shared_paths import REALWORLD

ROOT = Path(__file__).resolve().parents[1]
HELD_OUT = {"A008", "A009", "A014", "A023", "A029", "B009", "B017", "B023", "B027", "B028", "B032", "B035"}


def _subset(tmp_path: Path, stems: set[str], name: str) -> Path:
    dst = tmp_path / name
    for sub, ext in (("reports", ".txt"), ("labels", ".json")):
        (dst / sub).mkdir(parents=True)
        for stem in stems:
            shutil.copy(REALWORLD / sub / f"{stem}{ext}", dst / sub / f"{stem}{ext}")
    return dst


def test_realworld_development_part(tmp_path):
    dev = {p.stem for p in (REALWORLD / "reports").glob("*.txt")} - HELD_OUT
    res = _score(tmp_path, _subset(tmp_path, dev, "dev"))
    assert res["recall"] >= 0.82  # measured 0.90 (0.71 last session)
    assert res["precision_lb"] >= 0.88  # measured 0.95


def test_realworld_whole_set(tmp_path):
    res = _score(tmp_path, REALWORLD)
    assert res["recall"] >= 0.76  # measured 0.80 (0.59 two sessions ago)
    assert res["precision_lb"] >= 0.86  # measured 0.92
    # the excerpts labelled clean get no error or warning (issue 9); an info note is allowed
    import json
    clean = {p.stem for p in (REALWORLD / "labels").glob("*.json")
             if not json.loads(p.read_text(encoding="utf-8"))["defects"]}
    assert len(clean) >= 6
    flags = [json.loads(line) for line in (tmp_path / f"{REALWORLD.name}-out" / "flags.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    loud = [(Path(f["file"]).stem, f["rule"]) for f in flags
            if Path(f["file"]).stem in clean and f["severity"] in ("error", "warning")]
    assert loud == []
