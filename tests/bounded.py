"""Run a function in a forked child process with a deadline.

A regex that backtracks holds the GIL inside C code, so neither a signal handler nor
pytest-timeout can stop it in-process; a child process can be killed.  Deadlines here are
generous (tens of seconds for work that takes well under one): they catch a hang, not a
slowdown.
"""

from __future__ import annotations

import multiprocessing as mp
import traceback
from collections.abc import Callable
from typing import Any


def _child(conn, fn: Callable[..., Any], args: tuple) -> None:
    try:
        conn.send(("ok", fn(*args)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))


def run_bounded(fn: Callable[..., Any], *args: Any, timeout: float = 60.0) -> Any:
    """``fn(*args)`` in a child process; its (picklable) result, or AssertionError when it
    raises or does not finish within ``timeout`` seconds."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args))
    proc.start()
    child.close()
    if not parent.poll(timeout):
        proc.kill()
        proc.join()
        raise AssertionError(f"{getattr(fn, '__name__', fn)} did not finish within {timeout:.0f} s")
    status, value = parent.recv()
    proc.join()
    if status != "ok":
        raise AssertionError(value)
    return value
