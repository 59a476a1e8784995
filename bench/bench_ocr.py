#!/usr/bin/env python3
"""Speed of the PDF readers on this machine.

* OCR: pages per second of ``read_document`` on an image-only (scanned) PDF of a
  自评表, at the default render resolution and at the ones given with ``--dpi``; each run
  also reports how many indicator 分值/得分 pairs came back right.
* Text PDF: reports per second of ``read_document`` (pdfplumber tables) on the same form
  as a text PDF, against a bare ``pdfplumber.open`` + ``extract_text`` of every page.

The test form is built with fpdf2 (tests/test_ingest_pdf_tables.py) and needs a CJK font.

Usage: python bench/bench_ocr.py [--pages N] [--dpi 150 200 ...] [--min-seconds S] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from test_ingest_pdf_tables import CJK_FONTS, INDICATORS, SCORES, WEIGHTS, build_form_pdf  # noqa: E402

from reviewer.ingest import ocr, read_document  # noqa: E402
from reviewer.parse import parse_source  # noqa: E402


def _timed(fn: Callable[[], object], min_seconds: float, min_runs: int = 1) -> tuple[float, int, object]:
    """Seconds per run (mean), runs done and the last result."""
    runs, t0, result = 0, time.perf_counter(), None
    while runs < min_runs or time.perf_counter() - t0 < min_seconds:
        result = fn()
        runs += 1
    return (time.perf_counter() - t0) / runs, runs, result


def _scan(form: Path, out: Path, pages: int, dpi: int) -> Path:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(form))
    image = pdf[0].render(scale=dpi / 72).to_pil().convert("RGB")
    pdf.close()
    images = [image] * pages
    images[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return out


def _right_pairs(doc) -> int:  # noqa: ANN001
    rep = parse_source(doc).reports[0]
    got = {r.level3.text: (r.weight and r.weight.value, r.score and r.score.value) for r in rep.indicators}
    return sum(1 for row, w, s in zip(INDICATORS, WEIGHTS, SCORES) if got.get(row[2]) == (w, s))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2, help="pages in the scanned PDF (default 2)")
    ap.add_argument("--dpi", type=int, nargs="*", default=[150, ocr.OCR_DPI], help="render resolutions to time")
    ap.add_argument("--min-seconds", type=float, default=3.0)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not CJK_FONTS:
        print("no CJK font installed (apt-get install fonts-wqy-microhei)", file=sys.stderr)
        return 2
    results: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        form = build_form_pdf(Path(tmp) / "form.pdf")

        # Text PDF: our reader vs a bare pdfplumber open + extract_text.
        import pdfplumber

        def bare() -> int:
            with pdfplumber.open(str(form)) as pdf:
                return sum(len(p.extract_text() or "") for p in pdf.pages)

        ours_s, ours_n, _ = _timed(lambda: read_document(form), args.min_seconds)
        bare_s, bare_n, _ = _timed(bare, args.min_seconds)
        results["text_pdf"] = {"reports_per_s": round(1 / ours_s, 2), "bare_pdfplumber_per_s": round(1 / bare_s, 2),
                               "ratio_to_bare": round(ours_s / bare_s, 2), "runs": [ours_n, bare_n]}

        # OCR: the engine is loaded once (as in a batch); time whole scanned files.
        if not ocr.ocr_available():
            results["ocr"] = "rapidocr_onnxruntime not installed"
        else:
            t0 = time.perf_counter()
            ocr._engine()
            results["ocr_model_load_s"] = round(time.perf_counter() - t0, 2)
            for dpi in args.dpi:
                scan = _scan(form, Path(tmp) / f"scan_{dpi}.pdf", args.pages, 300)  # a 300 dpi scanner
                per_file, runs, doc = _timed(lambda: ocr.read_scanned_pdf(scan, n_pages=args.pages, max_chars=10**7,
                                                                           dpi=dpi), args.min_seconds)
                results[f"ocr_{dpi}dpi"] = {"pages_per_s": round(args.pages / per_file, 3),
                                            "s_per_page": round(per_file / args.pages, 2), "runs": runs,
                                            "indicator_pairs_right": f"{_right_pairs(doc)}/{len(INDICATORS)}"}
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for k, v in results.items():
            print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
