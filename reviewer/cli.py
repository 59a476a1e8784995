"""The ``jixiao`` command line. Each subcommand lives in ``reviewer/commands/<name>.py``
and exposes ``register(subparsers)``; this module only discovers and dispatches."""

from __future__ import annotations

import os
import sys

WARM_COMMANDS = ["check"]  # commands a running `jixiao serve` (reviewer.warm) runs for the caller


def _quiet_environment() -> None:
    """Nothing this tool runs may phone home."""
    for k, v in {"ANONYMIZED_TELEMETRY": "False", "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1",
                 "TOKENIZERS_PARALLELISM": "false"}.items():
        os.environ.setdefault(k, v)


_NAMES: list[str] = []
_PARSERS: dict[str | None, object] = {}  # built once per process: a served check's fork inherits the warm one's


def _command_names() -> list[str]:
    import pkgutil

    import reviewer.commands as commands_pkg

    if not _NAMES:
        _NAMES.extend(sorted(m.name for m in pkgutil.iter_modules(commands_pkg.__path__) if not m.name.startswith("_")))
    return list(_NAMES)


def _named_command(argv: list[str], names: list[str]) -> str | None:
    """The subcommand ``argv`` names (after the global ``--config X``), if it is one."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--config":
            i += 2
            continue
        if a.startswith("--config="):
            i += 1
            continue
        return a if a in names else None
    return None


def build_parser(argv: list[str] | None = None) -> "argparse.ArgumentParser":  # noqa: F821
    """The parser; given ``argv`` that names a subcommand, only that command's module is
    imported (each imports what it needs: openpyxl, gradio, chromadb … load only for the
    commands that use them), else every command is registered (help, usage errors).
    (argparse and the commands are imported here, not at the top: a check served warm
    needs neither in the calling process.)"""
    import argparse
    import importlib

    import reviewer.commands as commands_pkg

    p = argparse.ArgumentParser(prog="jixiao", description="绩效自评报告审阅工具")
    p.add_argument("--config", help="配置文件 jixiao.toml")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    names = _command_names()
    one = _named_command(argv, names) if argv is not None else None
    for name in [one] if one else names:
        mod = importlib.import_module(f"{commands_pkg.__name__}.{name}")
        mod.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    _quiet_environment()
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")
    given = sys.argv[1:] if argv is None else argv
    if _named_command(given, WARM_COMMANDS) is not None:  # a running `jixiao serve` does it warm
        # one report's few vectors gain nothing from BLAS threads, whose start-up cost a
        # cold check 0.1 s of CPU (numpy's OpenBLAS spins up a thread per core on import)
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        from reviewer.warm.client import run_via_server

        served = run_via_server(given)
        if served is not None:
            return served
        cold = argv is None  # a command line of its own (not a call from Python): it may start a server
    else:
        cold = False
    one = _named_command(given, _command_names())
    if one not in _PARSERS:  # parsing leaves a parser as it was: one per command serves every run
        _PARSERS[one] = build_parser(given)
    parser = _PARSERS[one]
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        status = int(args.func(args) or 0)
    except BrokenPipeError:  # e.g. `jixiao check … | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if cold:  # the next check is served warm (JIXIAO_SERVE=off or manual: not started)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except OSError:
                pass
        from reviewer.warm.client import start_server

        start_server()
    return status


if __name__ == "__main__":
    sys.exit(main())
