"""Old binary Word files (.doc, WPS .wps; OLE2) via LibreOffice.

There is no maintained pure-Python reader for the binary Word format, so when
LibreOffice's ``soffice`` is on PATH the file is converted to .docx in a private
temporary folder (``soffice --headless --convert-to docx``, with its own user profile so
parallel runs do not fight over one, and a timeout) and read by the .docx reader; the
document keeps the original path.  Without ``soffice`` (or when the conversion fails) the
caller gets ``unsupported_format`` with the hint to save the file as .docx.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from reviewer.models import ReadError, SourceDocument
from reviewer.ingest.limits import InputLimits

CONVERT_TIMEOUT_S = 120


def soffice_path() -> str | None:
    """The LibreOffice executable, or None.  ``JIXIAO_SOFFICE`` overrides the lookup
    (set it to an empty string to disable conversion)."""
    override = os.environ.get("JIXIAO_SOFFICE")
    if override is not None:
        return shutil.which(override) if override else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def _failed(path: Path, why_zh: str, why_en: str) -> ReadError:
    from reviewer.ingest.detect import _OTHER_EXTENSIONS, unsupported

    what_zh, what_en = _OTHER_EXTENSIONS.get(path.suffix.lower(),
                                             ("旧版 Word 二进制格式（.doc）", "old binary Word format (.doc)"))
    return unsupported(path, f"{what_zh}（自动转换为 .docx 失败：{why_zh}）",
                       f"{what_en} (automatic conversion to .docx failed: {why_en})")


def convert_to_docx(path: Path, out_dir: Path, *, timeout: float = CONVERT_TIMEOUT_S) -> Path:
    """Convert ``path`` with LibreOffice into ``out_dir``; returns the .docx written.

    Raises ``unsupported_format`` (with the save-as hint) when soffice is missing, times
    out or writes nothing."""
    exe = soffice_path()
    if exe is None:
        raise _failed(path, "未安装 LibreOffice", "LibreOffice is not installed")
    profile = out_dir / "profile"
    # soffice picks the output name from the input's stem; copy under a plain name so
    # odd characters or a misleading extension cannot confuse it.
    src = out_dir / ("input" + (path.suffix.lower() if path.suffix.lower() in (".doc", ".wps", ".dot", ".wpt") else ".doc"))
    shutil.copyfile(path, src)
    cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
           "--convert-to", "docx", "--outdir", str(out_dir), str(src)]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout,
                              env={**os.environ, "HOME": str(out_dir)})
    except subprocess.TimeoutExpired as exc:
        raise _failed(path, f"LibreOffice 超过 {timeout:.0f} 秒未完成", f"LibreOffice took more than {timeout:.0f} s") from exc
    except OSError as exc:
        raise _failed(path, f"无法运行 LibreOffice（{exc}）", f"cannot run LibreOffice ({exc})") from exc
    out = out_dir / "input.docx"
    if not out.is_file() or out.stat().st_size == 0:
        detail = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise _failed(path, f"LibreOffice 未生成文件（{detail[0][:200]}）", f"LibreOffice wrote no file ({detail[0][:200]})")
    return out


def read_legacy_word(path: Path, *, limits: InputLimits) -> SourceDocument:
    """Read a .doc/.wps file by converting it to .docx with LibreOffice."""
    from reviewer.ingest.docx import read_docx_document

    with tempfile.TemporaryDirectory(prefix="jixiao-soffice-") as tmp:
        docx_path = convert_to_docx(path, Path(tmp))
        try:
            doc = read_docx_document(docx_path, limits=limits)
        except ReadError as exc:
            raise ReadError(str(path), exc.code, exc.zh.replace(str(docx_path), str(path)),
                            exc.en.replace(str(docx_path), str(path))) from exc
    doc.path = str(path)
    doc.warnings.append("已用 LibreOffice 将旧版 Word 文件转换为 .docx 后读取 / "
                        "read after converting the old Word file to .docx with LibreOffice")
    return doc
