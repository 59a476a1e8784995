"""Letting go of a session's memory when its tab closes (issue 15: the app grew about 1 MB
per upload and never gave it back).

Gradio keeps a closed session's state for another hour (in case the tab is reopened), and
the session's record itself (a copy of the page's configuration with the last report HTML,
flag table and chat shown to it) until 10,000 later sessions push it out.  A reopened tab
starts a new session anyway, so the app lets go at once: when the tab closes
(``Blocks.unload``) the session's state goes through its delete callback (uploads and
generated files deleted, the reviewed reports dropped) and its record is removed.  The
number of session records kept is bounded (:data:`MAX_SESSIONS`, for tabs left open).
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

MAX_SESSIONS = 2000  # sessions whose records Gradio keeps (its default is 10,000)


def _holder(blocks: Any):
    return getattr(blocks, "state_holder", None)


def release_session(blocks: Any, session_hash: str | None) -> bool:
    """Delete the session's state now (through the delete callbacks) and drop its record.
    True when there was such a session."""
    holder = _holder(blocks)
    if holder is None or not session_hash or session_hash not in holder:
        return False
    try:
        holder.delete_state(session_hash)  # calls ui.uploads.forget_uploads on our state
    except Exception:  # the record is dropped whatever the callback did
        log.exception("deleting the state of session %s", session_hash)
    with holder.lock:
        holder.session_data.pop(session_hash, None)
        holder.time_last_used.pop(session_hash, None)
    return True


def session_count(blocks: Any) -> int:
    holder = _holder(blocks)
    return len(holder.session_data) if holder is not None else 0
