"""Reading speed per carrier: the example .docx reports rendered into every carrier
(tests/carriers.py), then ``parse_file`` + the rules (no LLM, no retrieval) on each file,
against a bare read of the same file with the same library.

Usage: python bench/bench_carriers.py [--examples GLOB] [--min-seconds S] [--no-scan] [--keep DIR]

Bare reads: python-docx ``Document()``; openpyxl ``load_workbook()``; xlrd
``open_workbook(formatting_info=True)`` (what the reader needs for merges); ``lxml.html.parse``;
pdfplumber ``open`` + ``extract_text`` of every page; for a scan, OCR only (pypdfium2 render
at the reader's dpi + RapidOCR on each page); for text, reading the file.  ``ratio`` is
our time ÷ the bare time: what the structure, the tables and the rules cost on top of the
library.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from carriers import CARRIERS, Missing, render_all  # noqa: E402

from reviewer.parse import parse_file  # noqa: E402
from reviewer.pipeline import review_parsed  # noqa: E402
from reviewer.profile import load_profile  # noqa: E402


def bare_docx(path: Path) -> None:
    from docx import Document

    Document(str(path))


def bare_xlsx(path: Path) -> None:
    import openpyxl

    openpyxl.load_workbook(path, data_only=True)


def bare_xls(path: Path) -> None:
    import xlrd

    xlrd.open_workbook(str(path), formatting_info=True)


def bare_html(path: Path) -> None:
    import lxml.html

    lxml.html.parse(str(path))


def bare_pdf(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def bare_scan(path: Path) -> None:
    import pypdfium2 as pdfium

    from reviewer.ingest.ocr import OCR_DPI, ocr_image

    pdf = pdfium.PdfDocument(str(path))
    try:
        for i in range(len(pdf)):
            ocr_image(pdf[i].render(scale=OCR_DPI / 72).to_pil())
    finally:
        pdf.close()


def bare_text(path: Path) -> None:
    path.read_text(encoding="utf-8")


BARE = {"docx": bare_docx, "xlsx": bare_xlsx, "xls": bare_xls, "html": bare_html, "pdf": bare_pdf, "pdf_fpdf": bare_pdf,
        "scan": bare_scan}


def timed(fn, files: list[Path], min_seconds: float) -> tuple[float, int]:  # noqa: ANN001
    """Seconds per pass over ``files`` (passes repeated until ``min_seconds``), and passes."""
    passes, start = 0, time.perf_counter()
    while True:
        for f in files:
            fn(f)
        passes += 1
        spent = time.perf_counter() - start
        if spent >= min_seconds:
            return spent / passes, passes


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", default="0*.docx", help="glob of the .docx examples to render (default 0*.docx)")
    ap.add_argument("--min-seconds", type=float, default=1.0, help="time each carrier for at least this long")
    ap.add_argument("--no-scan", action="store_true", help="leave out the scanned PDF (OCR takes ~10 s a page)")
    ap.add_argument("--keep", help="render into this folder (kept) instead of a temporary one")
    a = ap.parse_args()
    logging.disable(logging.WARNING)
    examples = sorted((ROOT / "examples").glob(a.examples))
    carriers = [c for c in CARRIERS if not (a.no_scan and c == "scan")]
    out_dir = Path(a.keep or tempfile.mkdtemp(prefix="jixiao-carriers-"))
    files: dict[str, list[Path]] = {c: [] for c in carriers}
    skipped: dict[str, str] = {}
    for ex in examples:
        for c, p in render_all(ex, out_dir / ex.stem, carriers).items():
            if isinstance(p, Missing):
                skipped[c] = p.reason
            else:
                files[c].append(p)
    profile = load_profile()
    reports: dict[str, int] = {}

    def ours(path: Path) -> None:
        parsed = parse_file(path)
        reports[str(path)] = len(review_parsed(parsed, profile).reports)

    print(f"{len(examples)} example(s) from examples/{a.examples}; files in {out_dir}")
    print(f"{'carrier':15s} {'files':>5s} {'reports/s':>10s} {'ms/report':>10s} {'bare/s':>9s} {'ms/bare':>8s} {'ratio':>7s}")
    for c in carriers:
        if not files[c]:
            print(f"{c:15s} skipped: {skipped.get(c, 'no file')}")
            continue
        slow = c == "scan"
        per_pass, _ = timed(ours, files[c], 0 if slow else a.min_seconds)
        n_reports = sum(reports[str(f)] for f in files[c])
        bare = BARE.get(c, bare_text)
        bare_pass, _ = timed(bare, files[c], 0 if slow else a.min_seconds)
        print(f"{c:15s} {len(files[c]):5d} {n_reports / per_pass:10.1f} {1000 * per_pass / n_reports:10.1f} "
              f"{len(files[c]) / bare_pass:9.1f} {1000 * bare_pass / len(files[c]):8.1f} {per_pass / bare_pass:7.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
