"""Issue 15 regressions in reading, structure and rules: each input below hung or crashed
before its fix.  Inputs are generated from the synthetic example reports; each run is in a
child process with a deadline far above what the fixed code needs (tests/bounded.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bounded import run_bounded
from fuzz.corpus import BASE_TXT, _doc_xml, _para, docx_with_body

from reviewer.ingest import read_document
from reviewer.models import Location, LocatedSpan, SourceDocument
from reviewer.parse import parse_file
from reviewer.pipeline import review_parsed
from reviewer.profile import Profile

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _review_codes(path: str) -> list[str]:
    parsed = parse_file(path)
    review = review_parsed(parsed, Profile())
    return sorted({f.rule for r in review.reports for f in r.flags})


def _insert_mid(text: str, piece: str) -> str:
    k = len(text) // 2
    return text[:k] + piece + text[k:]


def test_blank_runs_mid_report_do_not_hang_the_rules(tmp_path: Path) -> None:
    """20,000 spaces took 130 CPU-s in the percent-claim regex, 15 s in D57's cell regex."""
    text = BASE_TXT.read_text("utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text(text, "utf-8")
    expected = set(run_bounded(_review_codes, str(plain), timeout=60))
    assert expected
    for blank in (" ", "\u3000", "\t", "\n", " \n"):
        path = tmp_path / f"blanks_{ord(blank[0])}_{len(blank)}.txt"
        path.write_text(_insert_mid(text, blank * (20_000 // len(blank))), "utf-8")
        codes = set(run_bounded(_review_codes, str(path), timeout=60))
        # the blanks land mid-sentence: at most a rule or two about that sentence changes
        assert len(expected - codes) <= 2, (blank, expected - codes)


def test_check_regexes_are_linear_on_long_runs() -> None:
    """Every module-level regex of the rules and the structure layer, on runs of 30,000 of
    the characters reports repeat (blanks, newlines, digits, CJK, pipes): quadratic
    backtracking on one of them takes minutes, linear scanning well under a second each."""
    run_bounded(_scan_all_regexes, 30_000, timeout=120)


def _scan_all_regexes(n: int) -> int:
    import importlib
    import pkgutil

    import reviewer.checks
    import reviewer.structure

    runs = [" ", "\n", "\t", "\u3000", "1", "1.", "项", "项 ", "| ", "5%", "\n ", "，", "执行率 "]
    count = 0
    for pkg in (reviewer.checks, reviewer.structure):
        for info in pkgutil.iter_modules(pkg.__path__):
            mod = importlib.import_module(f"{pkg.__name__}.{info.name}")
            for name, pat in vars(mod).items():
                if isinstance(pat, re.Pattern) and name != "AMOUNT_END":  # AMOUNT_END only sees 20-char slices
                    for r in runs:
                        for _ in pat.finditer((r * n)[:n]):
                            pass
                    count += 1
    return count


def test_locate_does_not_rebuild_span_starts() -> None:
    """locate() on a document with 100,000 spans, 100,000 times (a 10,000-row table):
    rebuilding the starts per call is 10^10 steps."""
    def work() -> int:
        spans = [LocatedSpan(start=2 * i, end=2 * i + 1, location=Location(kind="paragraph", paragraph=i))
                 for i in range(100_000)]
        doc = SourceDocument(path="x.docx", format="docx", text="a\n" * 100_000, spans=spans)
        return sum(doc.locate(2 * i).paragraph == i for i in range(100_000))
    assert run_bounded(work, timeout=60) == 100_000


def test_find_sections_on_many_headings() -> None:
    """100,000 one-line headings: the section ends were found by rescanning the headings
    after each one (quadratic)."""
    from reviewer.structure.sections import find_sections

    def work() -> tuple[int, str, str]:
        text = "".join(f"（{i}）存在问题\n存在问题：无{i}\n" for i in range(50_000))
        secs = find_sections(text, 0, len(text), [])
        return len(secs), secs[0].body.text, secs[-1].body.text
    n, first, last = run_bounded(work, timeout=60)
    assert n == 100_000 and first == "存在问题：无0" and last == "无49999"


def test_sentence_at_on_a_10mb_line() -> None:
    from reviewer.checks._common import sentence_at

    def work() -> tuple[int, int]:
        text = "项目执行率达到百分之九十五" * 800_000 + "。后一句。"
        total = 0
        for pos in range(0, 10_000_000, 10):  # a lookup for every number of the line
            s, e = sentence_at(text, pos)
            total += e - s
        return sentence_at(text, 5_000_000), total // 1_000_000
    (s, e), _ = run_bounded(work, timeout=90)
    assert (s, e) == (0, 800_000 * 13 + 1)


@pytest.mark.parametrize("code", ["D800", "DFFF", "110000", "FFFFFFFFFFFFFFFFFFFF", "-41", "0"])
def test_sym_with_impossible_code_points(tmp_path: Path, code: str) -> None:
    """``<w:sym w:char="D800"/>`` raised ValueError (internal_error) in chr()."""
    path = docx_with_body(tmp_path / "sym.docx", _doc_xml(
        _para("三、存在问题") + f'<w:p><w:r><w:t>前</w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="{code}"/></w:r>'
        "<w:r><w:t>后</w:t></w:r></w:p>"))
    doc = read_document(path)
    assert "前后" in doc.text
    doc.text.encode("utf-8")  # no lone surrogate slipped into the text


def test_sym_keeps_real_symbols(tmp_path: Path) -> None:
    path = docx_with_body(tmp_path / "sym.docx", _doc_xml(
        '<w:p><w:r><w:sym w:font="Symbol" w:char="2265"/></w:r><w:r><w:t>90%</w:t></w:r></w:p>'))
    assert read_document(path).text.startswith("≥90%")


def test_thousands_of_empty_sections_are_reviewed() -> None:
    """3,000 numbered 存在问题 headings with nothing under them: 3,000 D23 flags were
    de-duplicated pairwise (9 million comparisons, 250 s)."""
    import tempfile

    def work() -> int:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "headings.txt"
            path.write_text("".join(f"（{i}）存在问题\n" for i in range(3000)), "utf-8")
            review = review_parsed(parse_file(path), Profile())
            return sum(f.rule == "D23" for r in review.reports for f in r.flags)
    assert run_bounded(work, timeout=90) >= 1000
