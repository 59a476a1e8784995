"""Warm mode for ``jixiao check`` (off unless started): ``jixiao serve`` keeps one process
with the reviewer's code, its compiled rule patterns and the sentence model loaded, and
listens on a local Unix socket; while it runs, ``jixiao check`` hands its whole command
line to it instead of starting the reviewer cold (as mypy's dmypy does).

- :mod:`reviewer.warm.address` — where the socket is (one per checkout of the code) and
  the fingerprint of the code on disk;
- :mod:`reviewer.warm.client` — the part ``jixiao check`` runs: standard library only;
- :mod:`reviewer.warm.server` — the server: each request is served in a fork of the warm
  process with the caller's working directory, environment, stdin/stdout/stderr (passed
  over the socket) and command line, so it behaves as a fresh ``jixiao check`` and
  nothing one request learns is seen by the next.

Only the same user's processes are served (the socket is in a 0700 folder and the peer's
uid is checked).  A server whose code changed on disk since it started answers no
request: the caller runs cold and the server stops.  ``JIXIAO_SERVE=off`` in the
environment makes ``check`` ignore a running server.
"""
