"""Real pages write half-width punctuation (, : ; ( )) where Word documents have full-width
(，：；（）). The rules must find the same things either way: every report of the evaluation sets
and the seeds, with its punctuation turned half-width, gives the same (rule, stated value) findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.checks import run_rules
from reviewer.models import SourceDocument
from reviewer.parse import parse_source
from reviewer.profile import Profile

ROOT = Path(__file__).resolve().parents[1]
HALF = str.maketrans({"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"})
FILES = sorted((ROOT / "eval").glob("holdout*/reports/*.txt")) + sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))


def _findings(text: str) -> list[tuple[str, str]]:
    parsed = parse_source(SourceDocument(path="t.txt", format="txt", text=text))
    return sorted((f.rule, (f.stated or "").translate(HALF))
                  for rep in parsed.reports for f in run_rules(parsed, rep, Profile(), errors=[]))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_half_width_punctuation_gives_the_same_findings(path: Path):
    text = path.read_text(encoding="utf-8")
    full = _findings(text)
    assert full == _findings(text.translate(HALF))
