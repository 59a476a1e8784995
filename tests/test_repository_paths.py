"""A fresh clone works anywhere: no file of the repository names an absolute path of one
machine (a home folder, /root, /work, /Users), so ``grep -rn`` for one finds nothing."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# built from parts so that this file does not match itself
MACHINE_PATH = re.compile(r"(?<![\w.~-])/(?:" + "|".join(["ho" + "me", "ro" + "ot", "wo" + "rk", "Us" + "ers"]) + r")/[\w.-]")
SKIP_DIRS = {".git", ".venv", ".venv-llm", "node_modules", "__pycache__", ".pytest_cache", "out", "build", "dist"}


def repository_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        return [ROOT / p for p in out.decode("utf-8").split("\0") if p]
    except (OSError, subprocess.CalledProcessError):  # an export without .git: every file but the usual caches
        return [p for p in ROOT.rglob("*") if p.is_file() and not SKIP_DIRS & set(p.relative_to(ROOT).parts)]


def test_no_file_names_an_absolute_machine_path():
    hits = []
    files = repository_files()
    assert len(files) > 100
    for path in files:
        if not path.is_file():
            continue
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary
        for n, line in enumerate(text.splitlines(), 1):
            if MACHINE_PATH.search(line):
                hits.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}")
    assert hits == []


def test_the_pattern_finds_what_it_must():
    assert MACHINE_PATH.search("python3 " + "/wo" + "rk/shared/eval/score.py") and MACHINE_PATH.search("/ho" + "me/a/x")
    assert not MACHINE_PATH.search("eval/score.py eval/holdout") and not MACHINE_PATH.search("https://a.b/work/x")
