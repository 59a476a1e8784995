"""Plain-text reader: encoding detection, binary detection, universal newlines.

For a UTF-8 file without BOM the result equals ``Path(path).read_text(encoding="utf-8")``
exactly (Python's universal newlines: ``\\r\\n`` and ``\\r`` become ``\\n``), so offsets
into :attr:`SourceDocument.text` are offsets into the file as every other tool reads it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from reviewer.ingest.errors import empty, read_error, too_large
from reviewer.models import ReadError, SourceDocument

# C0 control bytes that never occur in real text (tab, LF, VT, FF, CR and ESC are allowed;
# 0x1A is the old DOS end-of-file mark that some editors still append).
_CONTROL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 26, 27))
_MAX_CONTROL_RATIO = 0.01

# (BOM, codec name, reported encoding); UTF-32 before UTF-16: FF FE 00 00 starts both.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


def normalize_newlines(text: str) -> str:
    """Universal newlines, exactly as ``open(..., newline=None)`` reads: CRLF/CR -> LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` if ``data`` looks like UTF-16 text written without a BOM.

    Mostly-ASCII UTF-16 has a NUL in every other byte; Chinese UTF-16 has few NULs, so this
    only rescues the ASCII-heavy case and otherwise leaves the file to the binary check.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.3 * half and even == 0:
        codec = "utf-16-le"
    elif even > 0.3 * half and odd == 0:
        codec = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if any(ch in text for ch in "\x00\x01\x02\x03\x04\x05\x06\x07\x08"):
        return None
    return codec


def _looks_binary(data: bytes) -> bool:
    """NUL bytes anywhere, or more than 1 % C0 control bytes."""
    if b"\x00" in data:
        return True
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls > _MAX_CONTROL_RATIO * len(data)


def decode_bytes(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """``(text, encoding, warnings)`` for the raw bytes of a text file; raises ReadError.

    Order: BOM (UTF-8/16/32) -> BOM-less UTF-16 -> binary check -> strict UTF-8 ->
    GB18030 (a superset of GBK and GB2312).  The BOM is not part of the text.
    """
    warnings: list[str] = []
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            if name == "utf-8-sig":
                warnings.append("已去掉文件开头的 UTF-8 BOM，偏移量不含 BOM / UTF-8 BOM removed; "
                                "offsets do not count it")
            try:
                return data[len(bom):].decode(codec), name, warnings
            except UnicodeDecodeError as exc:
                raise _undecodable(path, f"{name}（有 BOM）", f"{name} (with BOM)", exc) from exc
    codec16 = _bomless_utf16(data)
    if codec16:
        warnings.append(f"文件是无 BOM 的 UTF-16 编码（{codec16}） / UTF-16 without BOM ({codec16})")
        return data.decode(codec16), codec16, warnings
    if _looks_binary(data):
        raise read_error(
            path,
            "binary",
            "文件不是文本文件（含有二进制数据），请确认文件类型是否正确",
            "the file is not a text file (it contains binary data); check the file type",
        )
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise _undecodable(path, "UTF-8 或 GBK/GB18030", "UTF-8 or GBK/GB18030", exc) from exc
    warnings.append("文件按 GB18030（GBK）编码读取 / decoded as GB18030 (GBK)")
    return text, "gb18030", warnings


def _undecodable(path: Path, tried_zh: str, tried_en: str, exc: UnicodeDecodeError) -> ReadError:
    return read_error(
        path,
        "undecodable",
        f"无法识别文件的文字编码（已尝试 {tried_zh}，第 {exc.start} 字节出错），请另存为 UTF-8",
        f"cannot decode the text (tried {tried_en}; error at byte {exc.start}); save it as UTF-8",
    )


def read_text_document(path: Path, *, max_chars: int) -> SourceDocument:
    """Read a .txt file into a :class:`SourceDocument` (no spans, no tables)."""
    size = path.stat().st_size
    # No encoding we accept needs more than 4 bytes per character: decide before reading.
    if size > 4 * max_chars + 4:
        raise too_large(
            path,
            f"{size:,} 字节，超过 {max_chars:,} 字符的上限",
            f"{size:,} bytes, more than the limit of {max_chars:,} characters",
        )
    data = path.read_bytes()
    text, encoding, warnings = decode_bytes(data, path)
    text = normalize_newlines(text)
    if len(text) > max_chars:
        raise too_large(
            path,
            f"{len(text):,} 字符，超过 {max_chars:,} 字符的上限",
            f"{len(text):,} characters, more than the limit of {max_chars:,}",
        )
    if not text.strip():
        raise empty(path)
    return SourceDocument(path=str(path), format="txt", text=text, encoding=encoding, warnings=warnings)
