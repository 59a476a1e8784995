"""What the web app allows one upload and how long it keeps it.

* ``JIXIAO_UI_MAX_FILE_SIZE`` (default 20mb) bounds each file (Gradio refuses a larger one)
  and the whole of one upload: four 15 MB files are refused together, not reviewed.
* ``JIXIAO_UI_UPLOAD_TTL`` (seconds, default 8 hours): a session's uploads and the files
  made from them are deleted when its tab is closed or after this time, whichever comes
  first (the state's ``delete_callback``).
* ``JIXIAO_UI_CONCURRENCY`` (default 4): uploads reviewed at the same time.  Each file is
  read and reviewed in a worker process under the budget (``[tool.jixiao.budget]``), so
  the app's own process only waits: a slow upload holds one of these slots, never the
  others' pages.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD = "20mb"
DEFAULT_TTL_S = 8 * 3600
DEFAULT_CONCURRENCY = 4
_UNITS = {"": 1, "b": 1, "kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30}


def max_upload() -> str:
    return os.environ.get("JIXIAO_UI_MAX_FILE_SIZE") or DEFAULT_MAX_UPLOAD


def size_bytes(value: str) -> int:
    """``"20mb"`` → 20971520 (the units Gradio's ``max_file_size`` takes)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?b?)\s*", value.lower())
    if not m:
        raise ValueError(f"JIXIAO_UI_MAX_FILE_SIZE={value!r}：无法识别的大小 / not a size (e.g. 20mb)")
    unit = m.group(2) if m.group(2) in ("", "b") or m.group(2).endswith("b") else m.group(2) + "b"
    return int(float(m.group(1)) * _UNITS[unit])


def _env_number(name: str, default: float) -> float:
    try:
        v = float(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return v if v > 0 else default


def upload_ttl() -> float:
    return _env_number("JIXIAO_UI_UPLOAD_TTL", DEFAULT_TTL_S)


def upload_concurrency() -> int:
    return int(_env_number("JIXIAO_UI_CONCURRENCY", DEFAULT_CONCURRENCY))


def over_request_limit(paths: list[str]) -> str:
    """The message refusing an upload whose files together exceed the limit, else ""."""
    total = 0
    for p in paths:
        try:
            total += Path(p).stat().st_size
        except OSError:
            pass
    limit = max_upload()
    if total <= size_bytes(limit):
        return ""
    for p in paths:  # refused: not kept either
        _remove_upload(p)
        _forget_owner(p)
    return (f"⚠ 本次上传的文件合计 {total / (1 << 20):.1f} MB，超过每次上传的上限 {limit}，未审阅。"
            f"请分几次上传，或只上传需要审阅的报告。")


def _forget_owner(path: str) -> None:
    from ui.file_access import forget_upload

    forget_upload(path)


def _upload_roots() -> list[Path]:
    """Where Gradio keeps uploads (GRADIO_TEMP_DIR, else <tmp>/gradio)."""
    roots = [Path(tempfile.gettempdir()) / "gradio"]
    if os.environ.get("GRADIO_TEMP_DIR"):
        roots.insert(0, Path(os.environ["GRADIO_TEMP_DIR"]))
    return [r.resolve() for r in roots]


def _remove_upload(path: str) -> None:
    """Delete an uploaded file and its per-upload folder; only inside Gradio's upload folder."""
    p = Path(path).resolve()
    for root in _upload_roots():
        if root in p.parents:
            folder = p.parent if p.parent != root else None
            try:
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)
                else:
                    p.unlink(missing_ok=True)
            except OSError as e:
                log.warning("could not delete upload %s: %s", p, e)
            return


def let_go(paths: list[str]) -> None:
    """A session no longer holds these uploads: delete those no other session holds."""
    from ui.file_access import drop_uploads, forget_upload

    for p in drop_uploads(paths):
        _remove_upload(p)
        forget_upload(p)


def forget_uploads(state: dict | None) -> None:
    """The session's state is deleted (tab closed, or the time is up): delete its uploads,
    the files made for it (``state["outputs"]``: folders of ``ui.file_access.work_dir``)
    and what was kept of them in memory (the reviewed reports, the background LLM job)."""
    from ui.file_access import user_dir

    if not isinstance(state, dict):
        return
    let_go(state.get("uploads") or [])
    users = user_dir(None).parent.resolve()
    for d in state.get("outputs") or []:
        folder = Path(d).resolve()
        if users in folder.parents:  # only folders the app made for a user
            shutil.rmtree(folder, ignore_errors=True)
    state.clear()
