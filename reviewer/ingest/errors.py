"""Builders for the :class:`~reviewer.models.ReadError` codes the readers raise.

Each helper returns (does not raise) a bilingual error that names the file, so callers
write ``raise not_found(path)``.  Codes: not_found, empty, unsupported_format,
corrupt_docx, corrupt_pdf, scanned_pdf, binary, undecodable, too_large, encrypted_pdf.
"""

from __future__ import annotations

from reviewer.models import ReadError


def read_error(path: object, code: str, zh: str, en: str) -> ReadError:
    """A :class:`ReadError` for ``path`` (any path-like) with a bilingual message."""
    return ReadError(str(path), code, zh, en)


def empty(path: object) -> ReadError:
    return read_error(path, "empty", "文件为空（没有可审阅的文字）", "the file is empty (no text to review)")


def too_large(path: object, what_zh: str, what_en: str) -> ReadError:
    return read_error(
        path, "too_large", f"文件过大：{what_zh}", f"the file is too large: {what_en}"
    )
