#!/usr/bin/env python3
"""Does ``jixiao check FILE --no-llm`` print the same with this checkout as with another
(a worktree of the code before a speed change)?  For every report given (default: the
seeds, eval/holdout…8/reports and the real-world excerpts, tests/data/realworld), one CLI process per
file and checkout, cold (``JIXIAO_SERVE=off``); with ``--warm`` also through a warm
server of this checkout (``jixiao serve`` on a private socket).  Compares stdout, stderr
and the exit status byte for byte and prints each difference; exits 1 if there is any.

Usage: python bench/compare_check_outputs.py --ref /tmp/ref [--new DIR] [--warm] [--format json] [FILE...]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
HOLDOUTS = [f"eval/holdout{n}" for n in ("", 2, 3, 4, 5, 6, 7, 8)]  # 9 and 10 are written by others


def default_files() -> list[Path]:
    files = sorted((REPO / "tests/data/seeds").glob("*.txt"))
    for d in HOLDOUTS:
        files += sorted((REPO / d / "reports").glob("*.txt"))
    files += sorted((REPO / "tests/data/realworld/reports").glob("*.txt"))  # a copy of ../shared/realworld
    return files


def run(code: Path, argv: list[str], env: dict[str, str]) -> tuple[int, bytes, bytes]:
    p = subprocess.run([sys.executable, "-m", "reviewer", *argv], cwd=code, env={**env, "PYTHONPATH": str(code)},
                       capture_output=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", type=Path, required=True, help="the other checkout (the reference)")
    ap.add_argument("--new", type=Path, default=REPO, help="the checkout compared with it (default this one)")
    ap.add_argument("--warm", action="store_true", help="also through a warm server of this checkout")
    ap.add_argument("--format", default="text", choices=("text", "json"))
    ap.add_argument("files", nargs="*", type=Path)
    a = ap.parse_args()
    files = [f.resolve() for f in a.files] or default_files()
    new = a.new.resolve()
    bad = 0
    with tempfile.TemporaryDirectory() as td:
        sock_dir = Path(td) / "sock"
        sock_dir.mkdir(mode=0o700)
        sock = sock_dir / "s.sock"
        env = {**os.environ, "JIXIAO_EMBED_CACHE": str(Path(td) / "emb.sqlite3"), "JIXIAO_SERVE_SOCKET": str(sock)}
        cold_env = {**env, "JIXIAO_SERVE": "off"}
        server = None
        if a.warm:
            from reviewer.warm.server import request, wait_until_up

            warm_env = dict(env)
            warm_env.pop("JIXIAO_SERVE", None)
            server = subprocess.Popen([sys.executable, "-m", "reviewer", "serve", "--socket", str(sock)], cwd=new,
                                      env={**warm_env, "PYTHONPATH": str(new)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if wait_until_up(sock, timeout=180) is None:
                print("the warm server did not start", file=sys.stderr)
                return 2
        try:
            for f in files:
                argv = ["check", str(f), "--no-llm", "--format", a.format]
                ref = run(a.ref.resolve(), argv, cold_env)
                got = {"cold": run(new, argv, cold_env)}
                if server is not None:
                    got["warm"] = run(new, argv, warm_env)
                for how, out in got.items():
                    if out != ref:
                        bad += 1
                        print(f"DIFFERS ({how}): {f}\n  ref exit {ref[0]}, {how} exit {out[0]}; stdout same: "
                              f"{ref[1] == out[1]}; stderr same: {ref[2] == out[2]}", flush=True)
                        if ref[2] != out[2]:
                            print("  ref stderr: " + ref[2].decode("utf-8", "replace")[-600:])
                            print(f"  {how} stderr: " + out[2].decode("utf-8", "replace")[-600:])
            print(f"{len(files)} files, {bad} differences ({'cold and warm' if server else 'cold'}, "
                  f"--format {a.format}, reference {a.ref})")
        finally:
            if server is not None:
                request(sock, {"stop": True})
                server.wait(timeout=60)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
