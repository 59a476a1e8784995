"""The warm server's wire format (standard library only).

Request: an 8-byte big-endian length sent together with the caller's stdin, stdout and
stderr descriptors (SCM_RIGHTS), then that many bytes of JSON
``{"argv": [...], "cwd": "...", "env": {...}}`` (or ``{"stop": true}``, ``{"ping": true}``).
Reply: one line of JSON ending in a newline — ``{"exit": N}`` when the command ran,
``{"fallback": "why"}`` when the caller must run it itself, ``{"ok": true, ...}``.
"""

from __future__ import annotations

import json
import os
import socket
import struct

HEADER = struct.Struct(">Q")
MAX_REQUEST = 64 << 20


def send_request(sock: socket.socket, request: dict, fds: list[int]) -> None:
    body = json.dumps(request, ensure_ascii=False).encode("utf-8")
    if fds:
        socket.send_fds(sock, [HEADER.pack(len(body))], fds)
        sock.sendall(body)
    else:
        sock.sendall(HEADER.pack(len(body)) + body)


def _read_exact(sock: socket.socket, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        b = sock.recv(min(n - got, 1 << 20))
        if not b:
            raise ConnectionError("request cut short")
        chunks.append(b)
        got += len(b)
    return b"".join(chunks)


def recv_request(conn: socket.socket) -> tuple[dict, list[int]]:
    """The request and the descriptors that came with it (the caller closes them)."""
    head, fds, _, _ = socket.recv_fds(conn, HEADER.size, 3)
    try:
        if len(head) < HEADER.size:
            head += _read_exact(conn, HEADER.size - len(head))
        (n,) = HEADER.unpack(head)
        if n > MAX_REQUEST:
            raise ValueError(f"request of {n} bytes")
        return json.loads(_read_exact(conn, n).decode("utf-8")), list(fds)
    except BaseException:
        for fd in fds:
            close_quietly(fd)
        raise


def close_quietly(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


def send_reply(sock: socket.socket, reply: dict) -> None:
    sock.sendall(json.dumps(reply, ensure_ascii=False).encode("utf-8") + b"\n")


def recv_reply(sock: socket.socket) -> dict:
    """The reply line (a descendant of the server's child may keep the socket open after
    it, so the line, not the end of the stream, ends the reply)."""
    buf = b""
    while not buf.endswith(b"\n"):
        b = sock.recv(4096)
        if not b:
            break
        buf += b
    if not buf.strip():
        raise ConnectionError("no reply")
    return json.loads(buf.decode("utf-8"))
