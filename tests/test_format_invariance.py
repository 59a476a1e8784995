"""The same report must give the same findings in every carrier.

Each example .docx in ``examples/`` is rendered into every carrier of ``tests/carriers.py``
(xlsx, xls, html, text PDF from LibreOffice and from fpdf2, scanned PDF, pipe / one-line / cell-per-line text); the rules
(no LLM, no retrieval) run on each and the set of (rule, expected, stated) findings —
numbers normalised, whitespace dropped — must equal the .docx's.  Every evidence quote must
be the text at its offsets, and its location must point into the carrier (a sheet cell
``Sheet1!C7``, a page of the PDF, a table cell of the web page).

A carrier/example pair whose reader is known to differ is listed in :data:`KNOWN` with the
precise difference; it is a *strict* xfail, so the test starts failing (XPASS) as soon as
the reader is fixed and the entry must be removed.  A failing comparison prints both
sides' funds and indicator rows.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from reviewer.checks.base import REGISTRY
from reviewer.parse import parse_file
from reviewer.pipeline import review_parsed
from reviewer.profile import load_profile

try:
    from carriers import CARRIERS, Missing, cjk_font, render, soffice
except ImportError:  # tests/ imported as a package
    from tests.carriers import CARRIERS, Missing, cjk_font, render, soffice

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p.name for p in (ROOT / "examples").glob("0*.docx"))
FAST = [c for c in CARRIERS if c not in ("docx", "scan")]
TEXT = ("pipe", "oneline", "oneline_table", "cellline", "cellline_blank")
EX01, EX02, EX03, EX04 = ("01_qinghe_shuili_yinshui_2023.docx", "02_yunling_zhengwu_rexian_2023.docx",
                          "03_qinghe_minzheng_zhucan_2023.docx", "04_yunling_jiaoyu_xiaoyuan_2023.docx")

# rules that read only the funds table and the indicator rows: what an OCR'd scan is held to
TABLE_RULES = frozenset(code for code, r in REGISTRY.items()
                        if r.func.__module__.rsplit(".", 1)[-1] in ("funds_table", "indicator_rows"))

# carrier/example pairs whose reader is known to differ, each with the precise difference
# (strict xfail: it fails as soon as the reader is fixed, and the entry must go)
KNOWN: dict[tuple[str, str], str] = {}

_NUM = re.compile(r"\d+(?:\.\d+)?")


def norm(s: str | None) -> str | None:
    """``'97.50 %'`` → ``'97.5%'``: whitespace dropped, each number in its shortest form."""
    if s is None:
        return None
    return _NUM.sub(lambda m: f"{float(m.group()):g}", re.sub(r"\s+", "", s))


@cache
def _profile():
    return load_profile()


def review(path: Path):
    parsed = parse_file(path)
    flags = [f for rr in review_parsed(parsed, _profile()).reports for f in rr.flags]
    return parsed, flags


def finding_set(flags, rules=None) -> set[tuple[str, str | None, str | None]]:
    return {(f.rule, norm(f.expected), norm(f.stated)) for f in flags if rules is None or f.rule in rules}


def dump(parsed) -> str:
    """The funds and indicator rows of every report, for the failure message."""
    out = [f"== {parsed.source.path} ({parsed.source.format})"]
    for r in parsed.reports:
        out.append(f"report {r.index}: {r.title}")
        if r.funds is None:
            out.append("  funds: none")
        for fr in (r.funds.rows if r.funds else []):
            vals = [getattr(fr, k).text if getattr(fr, k) else None
                    for k in ("budget_initial", "budget_full", "executed", "weight", "rate", "score")]
            out.append(f"  F {fr.name.text} {vals}")
        for i in r.indicators:
            out.append(f"  I {i.level1}|{i.level2}|{i.level3.text}|{i.target and i.target.text}|"
                       f"{i.actual and i.actual.text}|{i.weight and i.weight.text}|{i.score and i.score.text}|"
                       f"{(i.reason.text[:12] if i.reason else '')}")
    return "\n".join(out)


# --------------------------------------------------------------------------- rendering


@pytest.fixture(scope="module")
def carrier_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("carriers")


_RENDERED: dict[tuple[str, str], Path | Missing] = {}


def rendered(example: str, carrier: str, out_dir: Path) -> Path:
    key = (example, carrier)
    if key not in _RENDERED:
        try:
            _RENDERED[key] = render(carrier, ROOT / "examples" / example, out_dir / Path(example).stem)
        except FileNotFoundError as exc:
            _RENDERED[key] = Missing(str(exc))
    got = _RENDERED[key]
    if isinstance(got, Missing):
        pytest.skip(f"{carrier}: {got.reason}")
    return got


_BASE: dict[str, tuple] = {}


def baseline(example: str):
    if example not in _BASE:
        _BASE[example] = review(ROOT / "examples" / example)
    return _BASE[example]


# --------------------------------------------------------------------------- checks


def check_evidence(carrier: str, parsed, flags, base_flags) -> None:
    """Quotes are the text at their offsets; locations point into the carrier."""
    text = parsed.source.text
    base_kinds = {(f.rule, norm(f.expected), norm(f.stated)): [e.location.kind if e.location else None for e in f.evidence]
                  for f in base_flags}
    for f in flags:
        for i, ev in enumerate(f.evidence):
            assert text[ev.start:ev.end] == ev.quote, (carrier, f.rule, ev.quote)
            loc = ev.location
            if carrier in TEXT:
                continue  # plain text has offsets only
            assert loc is not None, f"{carrier}: {f.rule} evidence {ev.quote!r} has no location"
            label = loc.label()
            if carrier in ("xlsx", "xls"):
                assert loc.kind == "sheet_cell" and re.fullmatch(r"Sheet1![A-Z]+\d+", label), (f.rule, label)
            elif carrier in ("pdf", "pdf_fpdf", "scan"):
                assert loc.page is not None and label.startswith("第"), (f.rule, label)
            elif carrier == "html":
                assert loc.kind in ("table_cell", "paragraph"), (f.rule, label)
                kinds = base_kinds.get((f.rule, norm(f.expected), norm(f.stated)))
                if kinds and i < len(kinds) and kinds[i] == "table_cell":
                    assert loc.kind == "table_cell", f"html: {f.rule} evidence {ev.quote!r} is at {label}, not a table cell"
            elif carrier == "docx":
                assert loc.kind in ("table_cell", "paragraph"), (f.rule, label)


def rows_signature(parsed) -> list[tuple]:
    """The funds rows and indicator rows as read, normalised."""
    out: list[tuple] = []
    for r in parsed.reports:
        for f in (r.funds.rows if r.funds else []):
            out.append(("F", *(norm(getattr(f, k).text) if getattr(f, k) else None
                               for k in ("name", "budget_initial", "budget_full", "executed", "weight", "rate", "score"))))
        for i in r.indicators:
            out.append(("I", norm(i.level1), norm(i.level2),
                        *(norm(getattr(i, k).text) if getattr(i, k) else None
                          for k in ("level3", "target", "actual", "weight", "score"))))
    return out


def compare(example: str, carrier: str, path: Path, rules=None) -> None:
    base_parsed, base_flags = baseline(example)
    parsed, flags = review(path)
    want_rows, got_rows = rows_signature(base_parsed), rows_signature(parsed)
    if got_rows != want_rows:
        diff = [f"  docx: {a}\n  {carrier}: {b}" for a, b in zip(want_rows, got_rows) if a != b]
        if len(want_rows) != len(got_rows):
            diff.append(f"  rows: docx {len(want_rows)}, {carrier} {len(got_rows)}")
        print(dump(base_parsed) + "\n" + dump(parsed))
        pytest.fail(f"{carrier} of {example}: funds/indicator rows differ from the .docx\n" + "\n".join(diff))
    want, got = finding_set(base_flags, rules), finding_set(flags, rules)
    if got != want:
        msg = [f"{carrier} of {example}: findings differ from the .docx",
               f"  missing: {sorted(want - got, key=str)}",
               f"  extra:   {sorted(got - want, key=str)}",
               dump(base_parsed), dump(parsed)]
        print("\n".join(msg))
        pytest.fail("\n".join(msg[:3]))
    check_evidence(carrier, parsed, [f for f in flags if rules is None or f.rule in rules], base_flags)


def _params(carriers):
    out = []
    for ex in EXAMPLES:
        for c in carriers:
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN[(ex, c)])] if (ex, c) in KNOWN else []
            out.append(pytest.param(ex, c, marks=marks, id=f"{ex[:2]}-{c}"))
    return out


def test_examples_present():
    assert len(EXAMPLES) >= 2, EXAMPLES


@pytest.mark.parametrize("example", EXAMPLES, ids=[e[:2] for e in EXAMPLES])
def test_docx_baseline(example):
    """The .docx itself: located evidence; every example but the clean one has findings."""
    parsed, flags = baseline(example)
    check_evidence("docx", parsed, flags, flags)
    assert parsed.reports and parsed.reports[0].funds and parsed.reports[0].indicators
    if not example.startswith("01_"):
        assert flags


@pytest.mark.parametrize("example,carrier", _params(FAST))
def test_same_findings(example, carrier, carrier_dir):
    if carrier == "pdf" and not (soffice() or cjk_font()):
        pytest.skip("pdf: no soffice and no CJK font under /usr/share/fonts")
    compare(example, carrier, rendered(example, carrier, carrier_dir))


@pytest.mark.slow
@pytest.mark.parametrize("example,carrier", _params(["scan"]))
def test_same_table_findings_scanned(example, carrier, carrier_dir):
    """An OCR'd scan: the findings of the funds-table and indicator-row rules."""
    from reviewer.ingest.ocr import ocr_available

    if not (soffice() or cjk_font()):
        pytest.skip("scan: no soffice and no CJK font under /usr/share/fonts")
    if not ocr_available():
        pytest.skip("scan: rapidocr_onnxruntime is not installed")
    compare(example, carrier, rendered(example, carrier, carrier_dir), rules=TABLE_RULES)


# --------------------------------------------------------------------------- the generated 09 (.xlsx) and 10 (scan)


def _planted(name: str) -> list[dict]:
    import json

    return [e for e in json.loads((ROOT / "examples" / "expected.json").read_text("utf-8")) if e["file"] == name]


@pytest.mark.parametrize("name", [pytest.param("09_qinghe_jiaotong_gonglu_2023.xlsx", id="09-xlsx"),
                                  pytest.param("10_yunling_linye_fanghuo_2023_scan.pdf", id="10-scan",
                                               marks=pytest.mark.slow)])
def test_generated_examples_find_their_planted_defects(name):
    """Every planted defect of the Excel and the scanned example is found, at its quote,
    located in the carrier; the rules raise nothing that is not planted."""
    path = ROOT / "examples" / name
    if not path.exists():
        pytest.skip(f"{name} not generated")
    if name.endswith(".pdf"):
        from reviewer.ingest.ocr import ocr_available

        if not ocr_available():
            pytest.skip("scan: rapidocr_onnxruntime is not installed")
    parsed, flags = review(path)
    planted = _planted(name)
    assert planted
    for e in planted:
        codes = {c.upper() for c in [e["rule"], *e.get("alt_rules", [])]}
        hits = [f for f in flags if f.rule.upper() in codes and any(e["quote"] in ev.quote or ev.quote in e["quote"]
                                                                     for ev in f.evidence)]
        assert hits, f"{name}: planted {e['rule']} at {e['quote']!r} not found; flags: {[f.rule for f in flags]}"
    allowed = {c.upper() for e in planted for c in [e["rule"], *e.get("alt_rules", [])]}
    assert {f.rule.upper() for f in flags} <= allowed, [f.rule for f in flags]
    check_evidence("xlsx" if name.endswith(".xlsx") else "scan", parsed, flags, flags)
