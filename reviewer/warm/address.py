"""Where the warm server listens, and what code it runs (standard library only, and
little of it: the client imports this before anything else)."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

ENV_SOCKET = "JIXIAO_SERVE_SOCKET"  # a socket path of one's own choosing
ENV_SWITCH = "JIXIAO_SERVE"  # "off": check never uses a server
CODE_ROOTS = ("reviewer", "vectorstore")  # the packages whose source the server runs


def code_root() -> Path:
    """The folder holding this checkout's packages (reviewer/, vectorstore/)."""
    return Path(__file__).resolve().parents[2]


def socket_path() -> Path:
    """``$JIXIAO_SERVE_SOCKET``, else ``jixiao-<uid>/check-<checkout>.sock`` in
    ``$XDG_RUNTIME_DIR`` (or ``$TMPDIR``, ``/tmp``): one server per user and checkout."""
    given = os.environ.get(ENV_SOCKET, "").strip()
    if given:
        return Path(given)
    base = os.environ.get("XDG_RUNTIME_DIR") or os.environ.get("TMPDIR") or "/tmp"
    tag = f"{zlib.crc32(str(code_root()).encode('utf-8')):08x}"
    return Path(base) / f"jixiao-{os.getuid()}" / f"check-{tag}.sock"


def switched_off() -> bool:
    return os.environ.get(ENV_SWITCH, "").strip().lower() in ("off", "0", "no", "false")


def starts_itself() -> bool:
    """Whether a cold ``check`` starts a server for the next one: unless ``JIXIAO_SERVE`` is
    ``off`` or ``manual`` (use one started by hand, start none), and not on a CI runner
    (``CI`` set), where a process left behind helps no one."""
    mode = os.environ.get(ENV_SWITCH, "").strip().lower()
    return mode in ("", "auto", "on", "1", "yes", "true") and not os.environ.get("CI", "").strip()


def lock_path(sock: Path) -> Path:
    """The file a server holds locked (flock) from its start to its end: one per socket."""
    return sock.with_name(sock.name + ".lock")


def server_present(sock: Path) -> bool:
    """Whether a server holds the lock of ``sock`` (running, or warming up before it listens)."""
    import fcntl

    try:
        fd = os.open(lock_path(sock), os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def code_fingerprint() -> str:
    """A digest of every .py file's path, size and modification time under the packages:
    it changes when the code on disk does."""
    import hashlib

    h = hashlib.sha1()
    root = code_root()
    todo = [root / name for name in CODE_ROOTS]
    while todo:
        d = todo.pop()
        try:
            entries = sorted(os.scandir(d), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                if e.name != "__pycache__":
                    todo.append(Path(e.path))
            elif e.name.endswith(".py"):
                st = e.stat()
                h.update(f"{e.path}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()
