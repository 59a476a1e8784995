"""Regression on two more labelled sets, one report per file with a '# source:' header, each
written and labelled by someone who had not seen the rules:

* eval/holdout  — 14 synthetic reports in other templates (rules were then tuned on it);
* eval/holdout2 — 12 reports close to real county style, measured blind first
  (overall recall 0.54, precision ≥ 0.71 before any change made for it);
* eval/holdout3 — 10 more, measured blind at recall 0.41, precision ≥ 0.63 (then only a few
  general fixes: recall 0.41, precision ≥ 0.70);
* eval/holdout4 — 12 reports in real layouts (pipe, cell-per-line, one-line glued, narrative,
  转移支付), written on 2026-12-02 blind to the rules: recall 0.53, precision ≥ 0.64 when first
  measured;
* eval/holdout5 — 14 more in real layouts, written on 2026-12-02 (fourth session) blind to the
  rules: recall 0.57, precision ≥ 0.63 when first measured;
* eval/holdout6 — 12 more (CSV/TSV sheets, OCR, numbered department forms), written later in
  that session, blind: recall 0.46, precision ≥ 0.64;
* eval/holdout7 — 14 excerpts cut off the way published pages are (narrative, one-line, pipe,
  OCR, cell-per-line, mixed), written on 2026-12-03 (fifth session) blind to the rules: recall
  0.46, precision ≥ 0.65 when first measured;
* eval/holdout8 — 14 more of the same kinds, written in the same session by another helper and
  measured once, at the end of the session's reading work: recall 0.62, precision ≥ 0.77 (0.52 /
  0.61 with the session's starting code);
* eval/holdout9 — 14 more (narrative, one-line, pipe, OCR, cell-per-line, mixed), written on
  2026-12-03 (sixth session) blind to the rules: recall 0.57, precision ≥ 0.68 when first
  measured (the session's fixes were then built from its misses);
* eval/holdout10 — 14 more (one-line glued rows, space-separated rows, a department form with
  several projects, a 转移支付 form), written in the same session: recall 0.61, precision ≥ 0.79
  when first measured; its files were not opened, and at the end of the session it scored
  recall 0.64, precision ≥ 0.81;
* eval/holdout11 — 12 more (vertical form labels in an OCR'd scan, cell-per-line, one-line,
  narrative), written at the end of the sixth session and measured blind at the start of the
  seventh: recall 0.67, precision ≥ 0.67 (the seventh session's first fixes were built from its
  misses);
* eval/holdout13 — 14 more (two-column vertical labels in scans, rows run into each other, a
  department report grading several projects), written in the seventh session and measured blind
  on arrival: recall 0.59, precision ≥ 0.83 with the session's starting code, 0.59 / 0.73 with
  the holdout11 fixes (the loss was a funds table newly read with one OCR'd row; mended); the
  session's last fixes were then built from its misses;
* eval/holdout14 — 14 more (a page copied without line breaks, a PDF read column by column, a
  区域 transfer-payment report, a 部门整体 report), written late in the seventh session and
  measured blind on arrival: recall 0.58, precision ≥ 0.62 with the session's starting code,
  0.58 / 0.67 with its fixes up to then; then opened;
* eval/holdout15 — 14 more (a sheet saved as CSV, OCR, a PDF read column by column, narrative),
  written last in the seventh session: 0.62 / 0.53 with the starting code, 0.62 / 0.57 with the
  session's fixes up to then; then opened;
* eval/holdout16 — 14 more, written last of all in the seventh session: 0.59 / 0.54 with the
  starting code, 0.62 / 0.59 with the session's fixes up to then; then opened;
* eval/holdout18 — 14 more (a page with two forms numbered after their title, a PDF read column
  by column, a 部门整体 form, a 转移支付 report), written early in the eighth session and measured
  blind on arrival: 0.67 / 0.93 with the session's starting code; then opened. (eval/holdout17,
  written with it, stays closed: it has no floor here);
* eval/holdout19 — 14 more, mostly long narratives with small tables inside: 0.50 / 0.57 on arrival
  (with the starting code and with the session's fixes up to then alike); then opened;
* eval/holdout20 — 14 more: 0.50 / 0.56 with the starting code, 0.50 / 0.62 with the session's
  fixes up to then; then opened;
* eval/holdout21 — 14 more, written last in the eighth session: 0.52 / 0.71 with the starting
  code and with all of the session's fixes before it alike; then opened.

Runs the real batch (no LLM) and the shared scorer; the floors sit a little under the
figures measured when the sets were added."""

from __future__ import annotations

from pathlib import Path

import pytest

from labelled import score_labelled
from shared_paths import SCORER

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "eval" / "holdout"


def _score(tmp_path: Path, labelled: Path) -> dict:
    return score_labelled(tmp_path, labelled)


@pytest.mark.skipif(not SCORER.is_file(), reason="shared scorer not found")
def test_holdout_scores(tmp_path):
    res = _score(tmp_path, HOLDOUT)
    cls = res["classes"]
    assert cls["inconsistency"]["recall"] >= 0.75
    # this synthetic set labels a vague 指标值 (有所改善, 持续向好) "missing"; the reviewers who labelled the
    # real excerpts call it boilerplate, and D16C follows them, so those labels now count under generic
    # it also labels the empty 偏差原因 of a row scored in full though short as a second, "missing"
    # defect; the real excerpts' labels fold it into the score finding (A029, B012), and so do the
    # rules (D24/D06/D08/D43 name the empty reason, D14A stays silent on such a row)
    assert cls["missing"]["recall"] >= 0.3
    assert cls["generic"]["recall"] >= 0.9
    assert res["precision_lb"] >= 0.85


@pytest.mark.skipif(not SCORER.is_file(), reason="shared scorer not found")
def test_holdout2_scores(tmp_path):
    res = _score(tmp_path, ROOT / "eval" / "holdout2")
    cls = res["classes"]
    assert cls["inconsistency"]["recall"] >= 0.8
    assert res["recall"] >= 0.78
    assert res["precision_lb"] >= 0.72


# (set, recall floor, precision floor).  Blind figures when first measured, and now:
# holdout3 0.41 / 0.63 → 0.58 / 0.73; holdout4 0.53 / 0.64 → 0.81 / 0.84; holdout5 (wrapped pipe
# cells, one-line forms, two forms in one file, 转移支付) 0.57 / 0.63 → 0.82 / 0.93; holdout6
# (CSV/TSV sheets, PDF pages read column by column, OCR, numbered department forms, the 101号
# template) 0.46 / 0.64 (0.46 / 0.54 with the fourth session's starting code) → 0.60 / 0.77 → 0.78 / 0.87;
# holdout7 0.46 / 0.65 (0.44 / 0.64 with the fifth session's starting code) → 0.92 / 0.91;
# holdout8 0.62 / 0.77 (0.52 / 0.61 with the starting code) → 0.81 / 0.86 → 0.81 / 0.89;
# holdout9 0.57 / 0.68 → 0.83 / 0.77; holdout10 0.61 / 0.79 → 0.64 / 0.81 (never opened);
# holdout11 0.67 / 0.67 → 1.00 / 0.87; holdout10 opened in the seventh session → 0.97 / 0.95;
# holdout13 0.59 / 0.83 → 0.86 / 1.00; holdout14 0.58 / 0.62 (0.58 / 0.67 with the session's fixes up to then) → 0.77 / 0.82;
# holdout15 0.62 / 0.53 (0.62 / 0.57 with the session's fixes up to then) → 0.75 / 0.73;
# holdout16 0.59 / 0.54 (0.62 / 0.59 with the session's fixes up to then) → 0.76 / 0.83 → 0.86 / 0.84
# (its PDF read column by column read in the eighth session); holdout18 0.67 / 0.93 → 0.97 / 1.00;
# holdout19 0.50 / 0.57 → 0.93 / 0.96; holdout20 0.50 / 0.62 → 0.81 / 0.88; holdout21 0.52 / 0.71 → 0.67 / 0.87
FLOORS = [("holdout3", 0.52, 0.66), ("holdout4", 0.74, 0.76), ("holdout5", 0.80, 0.86), ("holdout6", 0.70, 0.80),
          ("holdout7", 0.84, 0.84), ("holdout8", 0.70, 0.78), ("holdout9", 0.78, 0.72), ("holdout10", 0.88, 0.85),
          ("holdout11", 0.90, 0.78), ("holdout13", 0.78, 0.85), ("holdout14", 0.70, 0.75), ("holdout15", 0.68, 0.66), ("holdout16", 0.78, 0.76),
          ("holdout18", 0.88, 0.88), ("holdout19", 0.85, 0.85), ("holdout20", 0.72, 0.78),
          ("holdout21", 0.60, 0.78)]


@pytest.mark.skipif(not SCORER.is_file(), reason="shared scorer not found")
@pytest.mark.parametrize("name,recall,precision", FLOORS, ids=[f[0] for f in FLOORS])
def test_holdout_set_scores(tmp_path, name, recall, precision):
    res = _score(tmp_path, ROOT / "eval" / name)
    assert res["recall"] >= recall
    assert res["precision_lb"] >= precision
