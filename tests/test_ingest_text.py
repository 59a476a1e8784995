"""The .txt reader: encodings, newlines, binary / empty / oversized input, seeds."""

from __future__ import annotations

import glob
import random
import time
from pathlib import Path

import pytest

from reviewer.ingest import read_document
from reviewer.models import ReadError

SAMPLE = "山丹县人民政府办公室\n关于项目支出的绩效自评报告\n一级指标\t二级指标\t分值\n产出指标\t数量指标\t20\n"
from shared_paths import SEEDS as _SEEDS_DIR  # noqa: E402
SEEDS = sorted(glob.glob(str(_SEEDS_DIR / "*.txt")))


def _assert_error(path: Path, code: str, **kw) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_document(path, **kw)
    err = info.value
    assert err.code == code, str(err)
    assert str(path) in str(err) and err.zh in str(err) and err.en in str(err)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.zh) and err.en.isascii()
    return err


@pytest.mark.skipif(not SEEDS, reason="no seed reports in tests/data/seeds")
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: Path(p).name)
def test_seed_text_equals_read_text(seed: str) -> None:
    doc = read_document(seed)
    assert doc.format == "txt" and doc.encoding == "utf-8"
    assert doc.text == Path(seed).read_text(encoding="utf-8")
    assert doc.spans == [] and doc.tables == [] and doc.locate(0) is None


def test_utf8_equals_read_text(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    doc = read_document(path)
    assert doc.text == path.read_text(encoding="utf-8") == SAMPLE
    assert doc.encoding == "utf-8" and doc.path == str(path)


def test_utf8_bom_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_text(SAMPLE, encoding="utf-8-sig")
    doc = read_document(path)
    assert doc.text == SAMPLE and doc.encoding == "utf-8-sig"


@pytest.mark.parametrize("encoding", ["gbk", "gb2312", "gb18030"])
def test_gbk(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(SAMPLE.encode(encoding))
    doc = read_document(path)
    assert doc.text == SAMPLE and doc.encoding == "gb18030"
    assert doc.warnings


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "u16.txt"
    data = SAMPLE.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    doc = read_document(path)
    assert doc.text == SAMPLE and not doc.text.startswith("\ufeff")


def test_utf16_without_bom_ascii(tmp_path: Path) -> None:
    path = tmp_path / "u16le.txt"
    path.write_bytes("Project report 2023\nscore 95\n".encode("utf-16-le"))
    assert read_document(path).text == "Project report 2023\nscore 95\n"


@pytest.mark.parametrize("raw", [
    "一、概况\r\n二、目标\r\n",
    "一、概况\r二、目标\r",
    "mixed\r\nold mac\runix\n\r\n\r",
])
def test_universal_newlines(tmp_path: Path, raw: str) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(raw.encode("utf-8"))
    doc = read_document(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert "\r" not in doc.text
    quote = doc.text.split("\n")[1]
    start = doc.text.index(quote)
    assert path.read_text(encoding="utf-8")[start:start + len(quote)] == quote


def test_gbk_crlf(tmp_path: Path) -> None:
    path = tmp_path / "gbk_crlf.txt"
    path.write_bytes(SAMPLE.replace("\n", "\r\n").encode("gbk"))
    assert read_document(path).text == SAMPLE


def test_binary_junk(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(random.Random(0).randbytes(4096))
    _assert_error(path, "binary")
    ctrl = tmp_path / "ctrl.txt"
    ctrl.write_bytes(("abc" + "\x01\x02\x03\x04" * 5 + "def").encode())
    _assert_error(ctrl, "binary")


def test_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes("正文".encode("utf-8") + b" \x80\xff abc")
    _assert_error(path, "undecodable")


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t  ", "\ufeff".encode("utf-8"), "\u3000\n".encode()])
def test_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    _assert_error(path, "empty")


def test_not_found(tmp_path: Path) -> None:
    err = _assert_error(tmp_path / "缺失.txt", "not_found")
    assert "不存在" in err.zh and "not found" in err.en
    _assert_error(tmp_path, "not_found")


def test_too_large_decided_from_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.write(("绩效自评报告\n" * 1000).encode())
        fh.truncate(50 * 1024 * 1024)  # 50 MB (sparse tail: cheap to create)
    t0 = time.perf_counter()
    _assert_error(path, "too_large")
    assert time.perf_counter() - t0 < 0.5


def test_too_large_by_chars(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("一" * 100, encoding="utf-8")
    _assert_error(path, "too_large", max_chars=50)
    assert len(read_document(path, max_chars=100).text) == 100


def test_unknown_extension_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "report"
    path.write_text(SAMPLE, encoding="utf-8")
    assert read_document(str(path)).text == SAMPLE


def test_image_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    err = _assert_error(path, "unsupported_format")
    assert "OCR" in err.zh


def test_text_mentioning_pdf_header_stays_text(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("附件格式说明：%PDF-1.7 文件请另行提交\n" + SAMPLE, encoding="utf-8")
    doc = read_document(path)
    assert doc.format == "txt" and doc.text == path.read_text(encoding="utf-8")
