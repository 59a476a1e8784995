"""One check for every zip-based carrier (.docx, .xlsx/.xlsm, .ods) before any library opens it.

python-docx and openpyxl inflate and parse members as they please (python-docx loads every
part, styles.xml and media included), so a bomb in any member, not only the document body,
must be refused first.  :func:`guard_zip` therefore

* counts the members (``max_zip_members``);
* adds up the sizes the zip *declares* (``max_unzipped_mb``, ``max_member_mb``, ``max_xml_mb``);
* then inflates every member as a stream, never more than the remaining budget, so a member
  whose header lies about its size is caught by what it really inflates to (and a CRC or
  deflate error is a damaged file, not an internal error);
* refuses an XML member that declares a DTD (``<!DOCTYPE`` / ``<!ENTITY``): Office and
  LibreOffice never write one, and it is how entity-expansion bombs start.

Streaming costs one extra inflation of the package (tens of milliseconds for a real report)
and holds one chunk in memory at a time.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from reviewer.ingest.errors import read_error, too_large
from reviewer.ingest.limits import InputLimits, check_count
from reviewer.models import ReadError

CHUNK = 1 << 20
MB = 1 << 20
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_OVERLAP = max(len(m) for m in _DTD_MARKS) - 1

Corrupt = Callable[[Path, BaseException | str], ReadError]


def is_xml_member(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels", ".vml"))


def guard_zip(path: Path, limits: InputLimits, corrupt: Corrupt) -> dict[str, int]:
    """Member name -> inflated size, after checking every limit; raises ``too_large``,
    ``unsafe_xml`` or what ``corrupt(path, exc)`` builds for a damaged package."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            check_count(path, "压缩包成员数", "zip members", len(infos), limits.max_zip_members, "max_zip_members")
            _check_declared(path, infos, limits)
            return _inflate_all(path, zf, infos, limits)
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError, KeyError) as exc:  # RuntimeError: an encrypted member
        raise corrupt(path, exc) from exc


def _bomb(path: Path, what_zh: str, what_en: str, size: int, limit: int, key: str, *, at_least: bool = False) -> ReadError:
    zh, en = ("至少", "at least ") if at_least else ("", "")
    return too_large(path, f"{what_zh}解压后有{zh} {size:,} 字节，超过上限 {limit:,} 字节（疑似压缩炸弹；"
                           f"可在配置 [tool.jixiao.limits] {key} 中调整）",
                     f"{what_en} unpacks to {en}{size:,} bytes, over the limit of {limit:,} bytes "
                     f"(possibly a zip bomb; set {key} in [tool.jixiao.limits])")


def _check_declared(path: Path, infos: list[zipfile.ZipInfo], limits: InputLimits) -> None:
    total = 0
    xml = 0
    for info in infos:
        if info.file_size > limits.max_member_bytes:
            raise _bomb(path, f"成员 {info.filename} ", f"member {info.filename}", info.file_size,
                        limits.max_member_bytes, "max_member_mb")
        total += info.file_size
        if is_xml_member(info.filename):
            xml += info.file_size
    if total > limits.max_unzipped_bytes:
        raise _bomb(path, "全部成员", "all members together", total, limits.max_unzipped_bytes, "max_unzipped_mb")
    if xml > limits.max_xml_bytes:
        raise _bomb(path, "XML 成员", "the XML members", xml, limits.max_xml_bytes, "max_xml_mb")


def _inflate_all(path: Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: InputLimits) -> dict[str, int]:
    sizes: dict[str, int] = {}
    total = 0
    xml = 0
    for info in infos:
        is_xml = is_xml_member(info.filename)
        # what this member may still inflate to: (room, already used, limit, key, zh, en)
        budgets = [(limits.max_member_bytes, 0, limits.max_member_bytes, "max_member_mb", f"成员 {info.filename} ",
                    f"member {info.filename}"),
                   (limits.max_unzipped_bytes - total, total, limits.max_unzipped_bytes, "max_unzipped_mb", "全部成员",
                    "all members together")]
        if is_xml:
            budgets.append((limits.max_xml_bytes - xml, xml, limits.max_xml_bytes, "max_xml_mb", "XML 成员",
                            "the XML members"))
        cap = min(b[0] for b in budgets)
        n = 0
        tail = b""
        run = 0  # bytes since the last "<": one XML token (text, comment, attribute) so far
        with zf.open(info) as fh:
            while chunk := fh.read(min(CHUNK, cap - n + 1)):
                n += len(chunk)
                if n > cap:
                    room, used, limit, key, zh, en = min(budgets, key=lambda b: b[0])
                    raise _bomb(path, f"{zh}（按实际解压计）", f"{en} (as really inflated)", used + n, limit, key,
                                at_least=True)
                if is_xml:
                    run = _check_token(path, info.filename, chunk, run, limits)
                    window = tail + chunk
                    if any(m in window for m in _DTD_MARKS):
                        raise read_error(path, "unsafe_xml",
                                         f"压缩包成员 {info.filename} 含有 DTD/实体声明（Office 不会写入，可能是实体膨胀攻击），拒绝读取",
                                         f"member {info.filename} declares a DTD or entities (Office never writes one; "
                                         "possibly an entity-expansion attack); refused")
                    tail = chunk[-_OVERLAP:]
        sizes[info.filename] = n
        total += n
        if is_xml:
            xml += n
    return sizes


def max_token_bytes(limits: InputLimits) -> int:
    """The longest run of an XML member without a ``<``: no text node or comment of a real
    document comes near it (a paragraph is bounded by ``max_line_chars``)."""
    return 4 * limits.max_line_chars + MB


def _check_token(path: Path, member: str, chunk: bytes, run: int, limits: InputLimits) -> int:
    """Track the run of bytes without ``<`` across chunks; refuse one over
    :func:`max_token_bytes`.  The expat that openpyxl parses with (2.5) rescans a token
    at every chunk it is fed, so one 30 MB comment in a worksheet took minutes."""
    parts = chunk.split(b"<")
    longest = max(run + len(parts[0]), max(map(len, parts[1:]), default=0))
    if longest > max_token_bytes(limits):
        raise too_large(path, f"成员 {member} 中有一段 {longest:,} 字节以上不含标记的 XML 文本或注释"
                              f"（上限 {max_token_bytes(limits):,} 字节，随 max_line_chars 调整）",
                        f"member {member} holds a run of {longest:,}+ bytes of XML text or comment without markup "
                        f"(limit {max_token_bytes(limits):,} bytes, follows max_line_chars)")
    return run + len(chunk) if len(parts) == 1 else len(parts[-1])
