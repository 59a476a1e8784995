"""Mutated real reports (digits changed, tabs/units/dates sprinkled in, random cuts): no rule
may raise, and every evidence quote still slices exactly out of the text."""

from __future__ import annotations

import random
from pathlib import Path

from reviewer.checks import run_rules
from reviewer.models import SourceDocument
from reviewer.parse import parse_source
from reviewer.profile import Profile
from shared_paths import SEEDS

ROOT = Path(__file__).resolve().parents[1]


def _corpus() -> list[str]:
    files = sorted(SEEDS.glob("*.txt")) + sorted((ROOT / "eval" / "holdout" / "reports").glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


def test_rules_survive_mutated_reports():
    rng = random.Random(7)
    texts = _corpus()
    assert texts
    prof = Profile()
    for _ in range(60):
        chars = list(rng.choice(texts))
        for _ in range(rng.randint(1, 40)):
            k = rng.randrange(len(chars))
            if chars[k].isdigit():
                chars[k] = rng.choice("0123456789")
            elif rng.random() < 0.05:
                chars[k] = rng.choice(["\t", "\n", "年", "月", "%", "万元", "。", "：", "."])
        text = "".join(chars)
        if rng.random() < 0.3:
            a = rng.randrange(len(text))
            text = text[a:a + rng.randint(50, 3000)]
        parsed = parse_source(SourceDocument(path="f.txt", format="txt", text=text))
        for rep in parsed.reports:
            for flag in run_rules(parsed, rep, prof):  # errors=None: a failing rule raises here
                for ev in flag.evidence:
                    assert text[ev.start:ev.end] == ev.quote
