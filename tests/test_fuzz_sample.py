"""A small sample of the fuzz corpus (tests/fuzz/corpus.py) through ``jixiao batch --no-llm``:
every file is reviewed or refused with a named reason, none is an internal error, none is
lost, and the batch exits normally.  The big files are scaled down (``scale=0.02``) and the
limits lowered to match in a jixiao.toml, so the same checks trip as on full-size files;
``bench/bench_fuzz.py`` runs the whole corpus at full size."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fuzz.corpus import hostile, mutants, seed_files

ROOT = Path(__file__).resolve().parents[1]

LIMITS = """[tool.jixiao.limits]
max_unzipped_mb = 8
max_member_mb = 4
max_xml_mb = 4
max_chars = 100000
max_line_chars = 20000
max_paragraphs = 3000
max_table_cells = 5000
max_pdf_pages = 10
"""

# one file of every hostile kind the readers meet, by name prefix
HOSTILE_SAMPLE = ("docx_bomb_styles", "docx_bomb_media", "docx_lying_header", "docx_entity_expansion",
                  "docx_deep_sdt", "docx_empty_paragraphs", "docx_sym_surrogate", "docx_sym_huge", "docx_gridspan_huge",
                  "xlsx_bomb_sharedstrings", "xlsx_entity_expansion", "ods_bomb_content", "txt_line_10MB",
                  "txt_spaces_20000", "txt_headings_200k", "html_huge_spans", "html_deep_nesting", "pdf_pages_1000",
                  "pdf_truncated", "random_docx", "random_xlsx", "random_pdf", "random_txt", "image_pixels_bomb")


@pytest.mark.slow
def test_fuzz_sample_through_batch(tmp_path: Path) -> None:
    made = tmp_path / "made"
    files = hostile(made / "hostile", scale=0.02)
    seeds = seed_files(made / "seeds", with_pdf=False, with_ods=False)
    files += mutants(made / "mutants", seeds, 12, seed=random.Random(7).randrange(1000))
    inputs = tmp_path / "in"
    inputs.mkdir()
    picked = [f for f in files if f.stem.startswith(HOSTILE_SAMPLE) or f.parent.name == "mutants"]
    assert len(picked) >= len(HOSTILE_SAMPLE) + 12 - 2
    for f in picked:
        shutil.copy(f, inputs / f.name)
    (tmp_path / "jixiao.toml").write_text(LIMITS, "utf-8")
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "reviewer", "batch", str(inputs), "--out", str(out), "--no-llm",
                           "--no-progress"], cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    errors = [json.loads(ln) for ln in (out / "errors.jsonl").read_text("utf-8").splitlines() if ln.strip()]
    reports = [json.loads(ln) for ln in (out / "reports.jsonl").read_text("utf-8").splitlines() if ln.strip()]
    internal = [e for e in errors if e["code"] == "internal_error"]
    assert not internal, internal
    named = {Path(e["file"]).name for e in errors} | {Path(r["file"]).name for r in reports}
    assert {f.name for f in picked} <= named
    by_name = {Path(e["file"]).name: e for e in errors}
    for name in ("docx_bomb_styles.docx", "docx_bomb_media.docx", "xlsx_bomb_sharedstrings.xlsx", "ods_bomb_content.ods"):
        assert by_name[name]["code"] == "too_large" and name in by_name[name]["message_zh"]
    assert by_name["docx_entity_expansion.docx"]["code"] == "unsafe_xml"
    assert by_name["pdf_pages_1000.pdf"]["code"] == "too_large"
    assert by_name["txt_line_10MB.txt"]["code"] == "too_large" and "max_line_chars" in by_name["txt_line_10MB.txt"]["message_zh"]
    # the good carriers of the sample are reviewed, not refused
    assert "docx_sym_surrogate.docx" not in by_name and "txt_spaces_20000.txt" not in by_name
