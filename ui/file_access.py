"""Who may fetch which file from the web app: a user's uploads and downloads are theirs only.

Gradio serves any file of its cache folder to whoever names its path
(``/gradio_api/file=<path>``; with a login configured, any logged-in user).  With several
logins (``JIXIAO_UI_AUTH``) that would let one department read another's upload or its
annotated .docx by path.  So:

* every file the app makes for a user (annotated .docx, drafts, batch and comparison
  outputs) is written under that user's own folder of the cache,
  ``<cache>/jixiao-users/<key of the login>/…`` (:func:`work_dir`); Gradio serves a file of
  its cache in place, so the path a browser fetches is in that folder;
* every upload is recorded with the login that sent it (:class:`FileAccessMiddleware`
  reads the answer of ``/gradio_api/upload``);
* the middleware answers a file route itself: 401 without a login, 403 for a file of the
  cache that is neither in the user's folder nor one of the user's uploads (another
  user's file, or one nobody owns); a path outside the cache is left to Gradio's own checks.
* the handlers take only the user's own uploads as input (:func:`own_paths`), so naming
  another user's upload path in an API call does not review it either.

Without a login configured there is one user and nothing is refused here.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

WORK_TTL = 24 * 3600  # seconds a generated file is kept on disk
USERS_DIR = "jixiao-users"
ANONYMOUS = "_"  # the folder of the one user of an app without logins

# the file routes of Gradio 5/6 (``/gradio_api/file=…`` and the older ``/gradio_api/file/…``)
FILE_ROUTE = re.compile(r"/gradio_api/file(?:=|/)(?P<path>.*)$", re.DOTALL)
UPLOAD_ROUTE = re.compile(r"/gradio_api/upload/?$")

_SECRET = secrets.token_hex(16)  # folder names cannot be derived from a login name
_lock = threading.Lock()
_owners: dict[str, set[str]] = {}  # resolved upload path -> logins that uploaded it
_held: dict[str, int] = {}  # resolved upload path -> sessions whose state holds it


def cache_root() -> Path:
    """Gradio's upload and cache folder (``GRADIO_TEMP_DIR``, else ``<tmp>/gradio``)."""
    from gradio.utils import get_upload_folder

    return Path(get_upload_folder()).resolve()


def _key(user: str | None) -> str:
    if user is None:
        return ANONYMOUS
    return hashlib.sha256(f"{_SECRET}\0{user}".encode()).hexdigest()[:24]


def user_dir(user: str | None) -> Path:
    """The folder of the cache holding everything made for ``user``."""
    return cache_root() / USERS_DIR / _key(user)


def work_dir(user: str | None) -> Path:
    """A fresh folder for files generated for ``user``; the user's folders older than a
    day are removed."""
    base = user_dir(user)
    base.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in base.iterdir():
        try:
            if old.is_dir() and now - old.stat().st_mtime > WORK_TTL:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass
    return Path(tempfile.mkdtemp(dir=base))


def _resolved(path: str | Path) -> Path | None:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def _within(p: Path, folder: Path) -> bool:
    return p == folder or folder in p.parents


def remember_upload(user: str, paths: Iterable[str]) -> None:
    """``user`` uploaded these files (paths as Gradio answered the upload)."""
    with _lock:
        for path in paths:
            p = _resolved(path)
            if p is not None:
                _owners.setdefault(str(p), set()).add(user)


def forget_upload(path: str | Path) -> None:
    """The upload is deleted: nobody owns its path any more."""
    p = _resolved(path)
    if p is not None:
        with _lock:
            _owners.pop(str(p), None)


def hold_uploads(paths: Iterable[str]) -> None:
    """A session's state holds these uploads (the same bytes under the same name uploaded
    twice, by one login in two tabs or by two logins, are one path)."""
    with _lock:
        for path in paths:
            p = _resolved(path)
            if p is not None:
                _held[str(p)] = _held.get(str(p), 0) + 1


def drop_uploads(paths: Iterable[str]) -> list[str]:
    """A session lets these uploads go: the ones no other session holds (to delete)."""
    free = []
    with _lock:
        for path in paths:
            p = _resolved(path)
            if p is None:
                continue
            n = _held.get(str(p), 0) - 1
            if n > 0:
                _held[str(p)] = n
            else:
                _held.pop(str(p), None)
                free.append(path)
    return free


def known_uploads() -> int:
    """How many upload paths are recorded (the bench watches that it does not grow)."""
    with _lock:
        return len(_owners)


def may_read(user: str | None, path: str | Path, *, logins: bool = True) -> bool:
    """Whether ``user`` may fetch or use ``path``.  Without logins everything Gradio itself
    allows is allowed; with logins, a file of the cache only when it is in the user's
    folder or one of the user's uploads."""
    if not logins:
        return True
    if user is None:
        return False
    p = _resolved(path)
    if p is None:
        return False
    root = cache_root()
    if not _within(p, root):
        return True  # not a file of the cache: Gradio's allowed/static paths decide
    if _within(p, root / USERS_DIR):
        return _within(p, user_dir(user))
    with _lock:
        return user in _owners.get(str(p), ())


def own_paths(user: str | None, paths: list[str]) -> tuple[list[str], list[str]]:
    """``(paths the user may use, names of the refused ones)``.  ``user`` is the login of
    the request (``gr.Request.username``): None means the app has no logins."""
    if user is None:
        return list(paths), []
    mine, refused = [], []
    for p in paths:
        (mine if may_read(user, p) else refused).append(p)
    return mine, [Path(p).name for p in refused]


# --------------------------------------------------------------------------- the middleware

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


def _login(app: Any, scope: Scope) -> str | None:
    """The login of a request, from Gradio's access-token cookie."""
    raw = b"; ".join(v for k, v in scope.get("headers") or [] if k == b"cookie").decode("latin-1")
    if not raw:
        return None
    cookie = SimpleCookie()
    try:
        cookie.load(raw)
    except Exception:  # noqa: BLE001 — a malformed cookie header is no login
        return None
    cid = getattr(app, "cookie_id", None)
    for name in (f"access-token-{cid}", f"access-token-unsecure-{cid}"):
        if name in cookie:
            user = getattr(app, "tokens", {}).get(cookie[name].value)
            if user is not None:
                return user
    return None


async def _refuse(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()),
                            (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})


class FileAccessMiddleware:
    """ASGI middleware on Gradio's app (``launch(app_kwargs={"middleware": [...]})``)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        gradio_app = scope.get("app")
        logins = gradio_app is not None and (getattr(gradio_app, "auth", None) is not None
                                             or getattr(gradio_app, "auth_dependency", None) is not None)
        if not logins:
            await self.app(scope, receive, send)
            return
        route = scope.get("path", "")
        m = FILE_ROUTE.search(route)
        if m:
            user = _login(gradio_app, scope)
            if user is None:
                await _refuse(send, 401, "请先登录。")
                return
            if not may_read(user, m.group("path")):
                await _refuse(send, 403, "无权访问该文件。")
                return
            await self.app(scope, receive, send)
            return
        if UPLOAD_ROUTE.search(route) and scope.get("method") == "POST":
            user = _login(gradio_app, scope)
            if user is not None:
                await self.app(scope, receive, _recording_send(send, user))
                return
        await self.app(scope, receive, send)


def _recording_send(send: Send, user: str) -> Send:
    """Pass the upload's answer on and record its paths as ``user``'s."""
    status = 0
    chunks: list[bytes] = []

    async def wrapped(message: MutableMapping[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body" and status == 200:
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                try:
                    paths = json.loads(b"".join(chunks))
                except ValueError:
                    paths = []
                if isinstance(paths, list):
                    remember_upload(user, [p for p in paths if isinstance(p, str)])
        await send(message)

    return wrapped
