"""Fuzz corpus: hostile and broken files for every carrier the readers accept (issues 14, 15).

Two kinds of file, all generated (nothing downloaded, no real report text):

* **hostile** — one file per known attack or accident: zip bombs in each part of a .docx
  (document, styles, numbering, media, [Content_Types]) and of an .xlsx (sheet, shared
  strings, styles, media) and an .ods, a member whose size header lies, 20,000 members, deep
  XML, entity expansion (billion laughs), 200,000 paragraphs, a 10,000-row table, a 10 MB
  paragraph, ``w:sym`` with surrogate / out-of-range / huge code points, 9.5 M characters of
  text, a 10 MB line, 20,000 spaces mid-report, 200,000 one-line headings, concatenated
  mutated reports, a 1,000-page PDF, deep/huge-span HTML, an image whose header claims
  10¹⁰ pixels, random bytes under each extension;
* **mutants** — the example reports (``examples/``) in each carrier (.docx, .xlsx, .xls,
  .ods, .html, .txt, .pdf), mutated at random: bytes flipped, cut, repeated; inside a zip,
  one XML member's text cut, repeated or given odd values (code points, spans, numbers).

``scale`` shrinks the big ones (1.0 = the sizes of the issue; the test uses 0.05 with
lowered limits).  ``python tests/fuzz/corpus.py OUT [--mutants N] [--scale S]`` writes a
corpus; ``bench/bench_fuzz.py`` runs one through ``jixiao batch --no-llm``.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
BASE_DOCX = EXAMPLES / "01_qinghe_shuili_yinshui_2023.docx"
BASE_XLSX = EXAMPLES / "09_qinghe_jiaotong_gonglu_2023.xlsx"
BASE_TXT = EXAMPLES / "06_yunling_weijian_shebei_2023.txt"
MULTI_TXT = EXAMPLES / "05_yunling_jiguan_3reports_2023.txt"

MB = 1 << 20


# --------------------------------------------------------------------------- zip helpers


def _filler(fh, n_bytes: int, unit: bytes = b" ") -> None:
    block = unit * (MB // len(unit))
    left = n_bytes
    while left > 0:
        fh.write(block[:left])
        left -= len(block)


def rebuild_zip(src: Path, dst: Path, replace: dict[str, Callable | bytes] | None = None,
                extra: dict[str, Callable | bytes] | None = None) -> Path:
    """Copy ``src`` to ``dst``; members in ``replace`` get new content (bytes, or a
    callable writing to a stream), members in ``extra`` are added."""
    replace, extra = replace or {}, extra or {}
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            if info.filename not in replace:
                zo.writestr(info.filename, zi.read(info))
        for name, content in {**replace, **extra}.items():
            if isinstance(content, bytes):
                zo.writestr(name, content)
            else:
                with zo.open(name, "w", force_zip64=True) as fh:
                    content(fh)
    return dst


def xml_bomb(root: str, n_bytes: int) -> Callable:
    """A well-formed XML part whose comment inflates to ``n_bytes``."""
    def write(fh) -> None:
        fh.write(f'<?xml version="1.0" encoding="UTF-8"?><{root} xmlns:w="{W_NS}"><!--'.encode())
        _filler(fh, n_bytes)
        fh.write(f"--></{root}>".encode())
    return write


def raw_bomb(n_bytes: int) -> Callable:
    return lambda fh: _filler(fh, n_bytes, b"\0")


def lie_about_size(path: Path, member: str, declared: int = 1000) -> Path:
    """Patch ``member``'s size fields (local and central headers) to ``declared``."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    i = data.find(name)
    while i >= 0:
        if data[i - 30:i - 26] == b"PK\x03\x04":
            struct.pack_into("<I", data, i - 30 + 22, declared)
        if data[i - 46:i - 42] == b"PK\x01\x02":
            struct.pack_into("<I", data, i - 46 + 24, declared)
        i = data.find(name, i + 1)
    path.write_bytes(bytes(data))
    return path


def _doc_xml(body: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}">'
            f"<w:body>{body}</w:body></w:document>").encode()


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def docx_with_body(dst: Path, body_writer: Callable) -> Path:
    return rebuild_zip(BASE_DOCX, dst, {"word/document.xml": body_writer})


def _stream_doc(parts: Iterator[str]) -> Callable:
    def write(fh) -> None:
        fh.write(f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>'.encode())
        for p in parts:
            fh.write(p.encode())
        fh.write(b"</w:body></w:document>")
    return write


BILLION_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>")


# --------------------------------------------------------------------------- text helpers


def seed_text() -> str:
    return BASE_TXT.read_text("utf-8")


def _insert_mid(text: str, piece: str) -> str:
    k = len(text) // 2
    return text[:k] + piece + text[k:]


def mutate_text(text: str, rng: random.Random) -> str:
    """One random edit of a report's text."""
    k = rng.randrange(max(1, len(text)))
    op = rng.choice(["cut", "dup", "spaces", "digits", "unicode", "newlines", "join", "pct"])
    if op == "cut":
        return text[:k] + text[k + rng.randrange(1, 400):]
    if op == "dup":
        j = min(len(text), k + rng.randrange(1, 2000))
        return text[:j] + text[k:j] * rng.randrange(2, 50) + text[j:]
    if op == "spaces":
        return text[:k] + rng.choice([" ", "\t", "\u3000", " \n"]) * rng.randrange(100, 5000) + text[k:]
    if op == "digits":
        return text[:k] + "".join(rng.choice("0123456789.,%") for _ in range(rng.randrange(5, 3000))) + text[k:]
    if op == "unicode":
        return text[:k] + "".join(chr(rng.choice([rng.randrange(0x20, 0xD7FF), rng.randrange(0xE000, 0x10FFFF)]))
                                  for _ in range(rng.randrange(1, 200))) + text[k:]
    if op == "newlines":
        return text[:k] + "\n" * rng.randrange(100, 20000) + text[k:]
    if op == "join":
        return text.replace("\n", rng.choice(["", " ", "|"]))
    return text[:k] + ("执行率" + " " * rng.randrange(0, 300) + "达到") * rng.randrange(1, 500) + text[k:]


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    op = rng.choice(["flip", "cut", "insert", "repeat"])
    if op == "flip" and b:
        for _ in range(rng.randrange(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if op == "cut":
        return bytes(b[:rng.randrange(max(1, len(b)))])
    k = rng.randrange(max(1, len(b)))
    if op == "insert":
        return bytes(b[:k]) + rng.randbytes(rng.randrange(1, 2000)) + bytes(b[k:])
    j = min(len(b), k + rng.randrange(1, 5000))
    return bytes(b[:j]) + bytes(b[k:j]) * rng.randrange(2, 20) + bytes(b[j:])


_ODD_VALUES = ["D800", "DFFF", "110000", "FFFFFFFF", "FFFFFFFFFFFFFFFFFFFF", "-1", "0", "ZZ", "", "99999999999",
               "1e308", "NaN", "65535", "2147483648"]


def mutate_xml(xml: bytes, rng: random.Random) -> bytes:
    """An edit that keeps a zip readable but the XML odd: values, repeats, cuts."""
    s = xml.decode("utf-8", "replace")
    op = rng.choice(["attr", "attr", "dup", "cut", "sym", "charref", "text"])
    if op == "attr":
        attrs = list(re.finditer(r'(\w+:\w+|\w+)="([^"]*)"', s))
        if attrs:
            m = rng.choice(attrs)
            return (s[:m.start(2)] + rng.choice(_ODD_VALUES) + s[m.end(2):]).encode()
    if op == "dup":
        tags = list(re.finditer(r"<w:(p|tr|tc|r)\b[^>]*>.*?</w:\1>", s[:200_000], re.S))
        if tags:
            m = rng.choice(tags)
            return (s[:m.end()] + m.group() * rng.randrange(2, 200) + s[m.end():]).encode()
    if op == "sym":
        k = s.find("<w:t")
        if k >= 0:
            r = s.rfind("<w:r>", 0, k)
            if r >= 0:
                return (s[:r] + f'<w:r><w:sym w:font="Symbol" w:char="{rng.choice(_ODD_VALUES)}"/></w:r>' + s[r:]).encode()
    if op == "charref":
        k = s.find("</w:t>")
        if k >= 0:
            return (s[:k] + rng.choice(["&#xD800;", "&#x110000;", "&#0;", "&#x1;", "&#99999999999;"]) + s[k:]).encode()
    if op == "text":
        k = s.find("</w:t>")
        if k >= 0:
            return (s[:k] + mutate_text("预算执行率为 95%", rng).replace("<", "").replace("&", "") + s[k:]).encode()
    k = rng.randrange(max(1, len(s)))
    return (s[:k] + s[k + rng.randrange(1, 200):]).encode()


def mutate_zip(src: Path, dst: Path, rng: random.Random) -> Path:
    with zipfile.ZipFile(src) as zi:
        names = [n for n in zi.namelist() if n.endswith(".xml")]
        main = [n for n in names if re.search(r"document\.xml|sheet\d*\.xml|content\.xml|sharedStrings", n)]
        target = rng.choice(main if main and rng.random() < 0.7 else names)
        data = zi.read(target)
    for _ in range(rng.randrange(1, 4)):
        data = mutate_xml(data, rng)
    return rebuild_zip(src, dst, {target: data})


# --------------------------------------------------------------------------- seeds per carrier


def seed_files(work: Path, with_pdf: bool = True, with_ods: bool = True) -> dict[str, Path]:
    """The example report in each carrier, generated into ``work``."""
    sys.path.insert(0, str(ROOT / "tests"))
    from carriers import cjk_font, read_blocks, render_html, render_pdf_fpdf, render_xls

    work.mkdir(parents=True, exist_ok=True)
    out = {"docx": Path(shutil.copy(BASE_DOCX, work / "seed.docx")),
           "xlsx": Path(shutil.copy(BASE_XLSX, work / "seed.xlsx")),
           "txt": Path(shutil.copy(BASE_TXT, work / "seed.txt"))}
    blocks = read_blocks(BASE_DOCX)
    out["html"] = render_html(blocks, work / "seed.html")
    try:
        out["xls"] = render_xls(blocks, work / "seed.xls")
    except ImportError:
        pass
    font = cjk_font()
    if with_pdf and font:
        out["pdf"] = render_pdf_fpdf(blocks, work / "seed.pdf", font)
    if with_ods and shutil.which("soffice"):
        try:
            subprocess.run(["soffice", "--headless", "--convert-to", "ods", "--outdir", str(work), str(out["xlsx"])],
                           capture_output=True, timeout=180, check=False)
            if (work / "seed.ods").is_file():
                out["ods"] = work / "seed.ods"
        except (OSError, subprocess.TimeoutExpired):
            pass
    return out


# --------------------------------------------------------------------------- hostile files


def hostile(out: Path, scale: float = 1.0, work: Path | None = None) -> list[Path]:
    """Write the hostile files into ``out``; ``scale`` shrinks the big ones."""
    out.mkdir(parents=True, exist_ok=True)
    n = lambda x: max(1, int(x * scale))  # noqa: E731
    files: list[Path] = []

    def add(p: Path) -> None:
        files.append(p)

    # ---- .docx: a bomb in each part, a lying header, many members
    for part, root in [("word/document.xml", "w:document"), ("word/styles.xml", "w:styles"),
                       ("word/numbering.xml", "w:numbering"), ("[Content_Types].xml", "Types")]:
        tag = part.split("/")[-1].split(".")[0].strip("[]").lower()
        add(rebuild_zip(BASE_DOCX, out / f"docx_bomb_{tag}.docx", {part: xml_bomb(root, n(600 * MB))}))
    add(rebuild_zip(BASE_DOCX, out / "docx_bomb_media.docx", extra={"word/media/image9.png": raw_bomb(n(600 * MB))}))
    lying = rebuild_zip(BASE_DOCX, out / "docx_lying_header.docx",
                        {"word/styles.xml": xml_bomb("w:styles", n(300 * MB))})
    add(lie_about_size(lying, "word/styles.xml"))
    add(rebuild_zip(BASE_DOCX, out / "docx_many_members.docx",
                    extra={f"word/media/x{i}.bin": b"x" for i in range(n(20_000))}))
    # ---- .docx: deep XML, entities, huge structures, odd symbols
    add(docx_with_body(out / "docx_deep_sdt.docx", _doc_xml(
        "<w:sdt><w:sdtContent>" * 5000 + _para("深") + "</w:sdtContent></w:sdt>" * 5000)))
    add(docx_with_body(out / "docx_deep_tables.docx", _doc_xml(
        "<w:tbl><w:tr><w:tc>" * 200 + _para("表") + "</w:tc></w:tr></w:tbl>" * 200)))
    laughs = (f'<?xml version="1.0"?>{BILLION_LAUGHS.replace("lolz", "w:document")}'
              f'<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    add(docx_with_body(out / "docx_entity_expansion.docx", laughs.encode()))
    add(docx_with_body(out / "docx_paragraphs_200k.docx", _stream_doc(_para(f"{i}、标题") for i in range(n(200_000)))))
    add(docx_with_body(out / "docx_empty_paragraphs_200k.docx", _stream_doc("<w:p/>" for _ in range(n(200_000)))))
    rows = ("<w:tr>" + "".join(f"<w:tc>{_para(str(i * 10 + j))}</w:tc>" for j in range(8)) + "</w:tr>"
            for i in range(n(10_000)))
    add(docx_with_body(out / "docx_table_10000_rows.docx", _stream_doc(iter(["<w:tbl>", *rows, "</w:tbl>"]))))
    add(docx_with_body(out / "docx_huge_paragraph.docx", _stream_doc(iter(
        ["<w:p><w:r><w:t>", "项目执行率达到95%，" * n(1_000_000), "</w:t></w:r></w:p>"]))))
    add(docx_with_body(out / "docx_gridspan_huge.docx", _doc_xml(
        '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2147483647"/></w:tcPr>' + _para("合并") + "</w:tc></w:tr></w:tbl>")))
    for label, code in [("surrogate", "D800"), ("above_max", "110000"), ("huge", "FFFFFFFFFFFFFFFF"), ("negative", "-41")]:
        add(docx_with_body(out / f"docx_sym_{label}.docx", _doc_xml(
            _para("存在问题") + f'<w:p><w:r><w:sym w:font="Wingdings" w:char="{code}"/></w:r></w:p>' + _para("完成"))))
    # ---- .xlsx: a bomb in each part, lying header, entities, a huge sheet
    for part, root in [("xl/worksheets/sheet1.xml", "worksheet"), ("xl/sharedStrings.xml", "sst"),
                       ("xl/styles.xml", "styleSheet")]:
        tag = part.split("/")[-1].split(".")[0].lower()
        add(rebuild_zip(BASE_XLSX, out / f"xlsx_bomb_{tag}.xlsx", {part: xml_bomb(root, n(600 * MB))}))
    add(rebuild_zip(BASE_XLSX, out / "xlsx_bomb_media.xlsx", extra={"xl/media/image1.png": raw_bomb(n(600 * MB))}))
    add(lie_about_size(rebuild_zip(BASE_XLSX, out / "xlsx_lying_header.xlsx",
                                   {"xl/sharedStrings.xml": xml_bomb("sst", n(300 * MB))}), "xl/sharedStrings.xml"))
    with zipfile.ZipFile(BASE_XLSX) as zi:
        sheet = zi.read("xl/worksheets/sheet1.xml").decode()
    dtd = BILLION_LAUGHS.replace("lolz", "worksheet")
    sheet = sheet.replace("?>", "?>" + dtd, 1) if sheet.startswith("<?xml") else dtd + sheet
    add(rebuild_zip(BASE_XLSX, out / "xlsx_entity_expansion.xlsx", {"xl/worksheets/sheet1.xml": re.sub(
        r"<t>", "<t>&lol9;", sheet, count=1).encode()}))
    big_rows = "".join(f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>行{i}</t></is></c></row>' for i in range(1, n(200_000)))
    add(rebuild_zip(BASE_XLSX, out / "xlsx_rows_200k.xlsx", {"xl/worksheets/sheet1.xml": (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:XFD1048576"/><sheetData>{big_rows}</sheetData>'
        '<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>').encode()}))
    # ---- .ods
    ods = _minimal_ods
    add(ods(out / "ods_bomb_content.ods", xml_bomb("office:document-content", n(600 * MB))))
    add(ods(out / "ods_entity_expansion.ods", (
        f'<?xml version="1.0"?>{BILLION_LAUGHS.replace("lolz", "office:document-content")}<office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
        '<table:table table:name="S"><table:table-row><table:table-cell><text:p>&lol9;</text:p></table:table-cell>'
        '</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>').encode()))
    # ---- .txt
    text = seed_text()
    (out / "txt_chars_9_5M.txt").write_text((text * (n(9_500_000) // len(text) + 1))[:n(9_500_000)], "utf-8")
    (out / "txt_line_10MB.txt").write_text("项目执行率达到百分之九十五且质量合格" * n(10 * MB // 57), "utf-8")
    (out / "txt_spaces_20000.txt").write_text(_insert_mid(text, " " * n(20_000)), "utf-8")
    (out / "txt_newlines_200k.txt").write_text(_insert_mid(text, "\n" * n(200_000)), "utf-8")
    (out / "txt_headings_200k.txt").write_text("".join(f"（{i}）存在问题\n" for i in range(n(200_000))), "utf-8")
    rng = random.Random(14)
    concat = []
    size = 0
    base = MULTI_TXT.read_text("utf-8")
    while size < n(int(2.9 * MB)):
        piece = mutate_text(rng.choice([text, base]), rng)
        concat.append(piece)
        size += len(piece.encode())
    (out / "txt_concatenated_reports.txt").write_text("\n".join(concat), "utf-8")
    (out / "txt_nul_bytes.txt").write_bytes(b"\0" * n(MB))
    for p in ("txt_chars_9_5M.txt", "txt_line_10MB.txt", "txt_spaces_20000.txt", "txt_newlines_200k.txt",
              "txt_headings_200k.txt", "txt_concatenated_reports.txt", "txt_nul_bytes.txt"):
        add(out / p)
    # ---- .html
    (out / "html_deep_nesting.html").write_text("<html><body>" + "<div>" * n(100_000) + "正文" + "</div>" * n(100_000)
                                                  + "</body></html>", "utf-8")
    (out / "html_huge_spans.html").write_text(
        '<html><body><p>项目支出绩效自评表</p><table><tr><td rowspan="65534" colspan="1000">预算</td><td>10</td></tr>'
        + "<tr><td>1</td></tr>" * 200 + "</table></body></html>", "utf-8")
    (out / "html_line_10MB.html").write_text("<html><body><p>" + "执行率达到95%" * n(MB) + "</p></body></html>", "utf-8")
    (out / "html_entities.html").write_text(f'<?xml version="1.0"?>{BILLION_LAUGHS.replace("lolz", "html")}'
                                            "<html><body><p>&lol9;项目</p></body></html>", "utf-8")
    for p in ("html_deep_nesting.html", "html_huge_spans.html", "html_line_10MB.html", "html_entities.html"):
        add(out / p)
    # ---- .pdf
    add(_blank_pdf(out / "pdf_pages_1000.pdf", n(1000)))
    truncated = _blank_pdf(out / "pdf_truncated.pdf", 3)
    truncated.write_bytes(truncated.read_bytes()[:400])
    add(truncated)
    # ---- an image claiming 10^10 pixels
    add(_png_header_bomb(out / "image_pixels_bomb.png"))
    # ---- random bytes under every extension
    for ext in (".docx", ".xlsx", ".xls", ".et", ".ods", ".pdf", ".html", ".mht", ".txt", ".png", ".doc"):
        p = out / f"random{ext.replace('.', '_')}{ext}"
        p.write_bytes(rng.randbytes(n(64 * 1024)))
        add(p)
    return files


def _minimal_ods(path: Path, content: Callable | bytes) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zo:
        zo.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zo.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest '
                    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
        if isinstance(content, bytes):
            zo.writestr("content.xml", content)
        else:
            with zo.open("content.xml", "w", force_zip64=True) as fh:
                content(fh)
    return path


def _blank_pdf(path: Path, pages: int) -> Path:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(595, 842)
    with path.open("wb") as fh:
        w.write(fh)
    return path


def _png_header_bomb(path: Path) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
                     + chunk(b"IEND", b""))
    return path


# --------------------------------------------------------------------------- mutants


def mutants(out: Path, seeds: dict[str, Path], count: int, seed: int = 15) -> list[Path]:
    """``count`` mutated copies of the seed files, spread over the carriers."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    kinds = sorted(seeds)
    files = []
    for i in range(count):
        kind = kinds[i % len(kinds)]
        src = seeds[kind]
        dst = out / f"mutant_{i:05d}_{kind}{src.suffix}"
        if kind in ("docx", "xlsx", "ods") and rng.random() < 0.6:
            mutate_zip(src, dst, rng)
        elif kind in ("txt", "html") and rng.random() < 0.7:
            text = src.read_text("utf-8")
            for _ in range(rng.randrange(1, 3)):
                text = mutate_text(text, rng)
            dst.write_text(text, "utf-8", errors="surrogatepass")
        else:
            dst.write_bytes(mutate_bytes(src.read_bytes(), rng))
        files.append(dst)
    return files


def build(out: Path, *, n_mutants: int, scale: float = 1.0, with_pdf: bool = True) -> list[Path]:
    """The whole corpus in ``out``: hostile files, then mutants of every seed carrier."""
    with tempfile.TemporaryDirectory(prefix="jixiao-seeds-") as tmp:
        seeds = seed_files(Path(tmp), with_pdf=with_pdf)
        files = hostile(out / "hostile", scale)
        files += mutants(out / "mutants", seeds, n_mutants)
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--mutants", type=int, default=3000)
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args(argv)
    files = build(args.out, n_mutants=args.mutants, scale=args.scale)
    print(f"{len(files)} files in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
