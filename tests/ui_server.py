"""The web app launched for a test on a free local port, closed afterwards."""

from __future__ import annotations

import socket
from contextlib import contextmanager
from typing import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_app() -> Iterator[str]:
    """Build the app with the current environment, serve it on 127.0.0.1 and yield its URL."""
    from ui.app import build_app, launch_kwargs

    demo = build_app()
    kw = launch_kwargs("127.0.0.1", free_port())
    kw.update(prevent_thread_lock=True, quiet=True)
    demo.launch(**kw)
    try:
        yield demo.local_url
    finally:
        demo.close()
