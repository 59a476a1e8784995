"""What ``jixiao check`` runs first: hand the command line to a running warm server
(:mod:`reviewer.warm.server`) and return its exit status, or None (no server, switched
off, or the server asks the caller to run cold).  Standard library only, so that a
check served warm starts no heavier than the interpreter."""

from __future__ import annotations

import os
import sys

from reviewer.warm.address import server_present, socket_path, starts_itself, switched_off

CONNECT_TIMEOUT_S = 2.0
SERVING = False  # set in the server's request process: it runs the command itself


def run_via_server(argv: list[str]) -> int | None:
    """Run ``jixiao <argv>`` in the warm server with this process's working directory,
    environment and standard streams; its exit status, or None to run it here."""
    if SERVING or switched_off():
        return None
    path = socket_path()
    if not os.path.exists(path):
        return None
    import socket  # only when a server may be there: a cold check imports no more than it must

    from reviewer.warm.wire import recv_reply, send_request

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(CONNECT_TIMEOUT_S)
        sock.connect(str(path))
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        send_request(sock, {"argv": list(argv), "cwd": os.getcwd(), "env": dict(os.environ)}, [0, 1, 2])
    except (OSError, ValueError):  # no server behind the socket: run here
        sock.close()
        return None
    try:
        sock.settimeout(None)  # the review takes what it takes; the server's budget bounds it
        reply = recv_reply(sock)
    except KeyboardInterrupt:  # closing the socket stops the served check
        sock.close()
        return 130
    except (OSError, ValueError):  # it may have printed part of its output: not run twice
        sock.close()
        print("jixiao: 常驻审阅进程（jixiao serve）中途退出，本次检查未完成；请重试", file=sys.stderr)
        return 2
    sock.close()
    if "exit" in reply:
        return int(reply["exit"])
    return None


def start_server() -> None:
    """After a cold check: start ``jixiao serve --auto`` in the background (detached, its
    log beside the socket) when none runs or is starting for this checkout, so the next
    check is served warm.  It stops after 15 minutes without a check, or when the code
    changes on disk.  Not with ``JIXIAO_SERVE=off``/``manual`` or on CI (``CI`` set)."""
    if SERVING or not starts_itself():
        return
    path = socket_path()
    if server_present(path):
        return
    import subprocess

    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with open(path.with_suffix(".log"), "ab") as log:
            subprocess.Popen([sys.executable, "-m", "reviewer", "serve", "--auto", "--socket", str(path)],
                             stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
                             close_fds=True)
    except OSError:  # no server then: every check runs cold, as with JIXIAO_SERVE=off
        pass
