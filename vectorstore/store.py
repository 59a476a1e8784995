"""The Chroma-backed store of report chunks (through langchain-chroma).

Where it lives:
- embedded (default): a persistent folder, ``--store DIR`` / ``JIXIAO_DATA_DIR`` /
  ``[tool.jixiao.vectorstore] path`` or ``<user data dir>/jixiao/index``
  (``~/.local/share/jixiao/index`` on Linux);
- a Chroma server when ``CHROMA_HOST`` (and optionally ``CHROMA_PORT``) are set, or when
  the location is written ``chroma://HOST:PORT``: that is how a team shares one corpus.

Telemetry is off. The chunk collection records the embedding spec that built it; opening
it with another embedding is refused (vectors of two models must never be mixed).
A second small collection holds one record per indexed file (its hash, reports, chunk
count), so ``jixiao index`` skips unchanged files, replaces changed ones and can prune
deleted ones.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
from chromadb.config import Settings  # noqa: E402

from reviewer.models import ParsedFile  # noqa: E402
from vectorstore.chunking import chunk_metadata, chunk_report  # noqa: E402
from vectorstore.embedding_adapters import JixiaoEmbeddingFunction, JixiaoEmbeddings  # noqa: E402
from vectorstore.embeddings import normalize_spec  # noqa: E402
from vectorstore.textutil import file_hash  # noqa: E402

CHUNKS = "jixiao_chunks"
FILES = "jixiao_files"
SCHEMA = 1
HNSW = {"space": "cosine", "ef_construction": 100, "ef_search": 100, "max_neighbors": 16}
ADD_BATCH = 1000


class StoreError(Exception):
    """Bilingual store error."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


@dataclass
class Hit:
    text: str
    score: float  # cosine similarity
    meta: dict
    id: str = ""
    also: list = field(default_factory=list)  # identical passages elsewhere

    def source_label(self) -> str:
        m = self.meta
        loc = f" {m['location']}" if m.get("location") else ""
        return f"{m.get('file_name', '')} #{m.get('report', 0) + 1}《{m.get('title', '')}》{loc} [{m.get('start')}:{m.get('end')}]"


def embed_text(report, chunk) -> str:
    """What is embedded for a chunk: the chunk with its report title and section heading
    in front (a passage alone often lacks the words a question uses: 项目名, 存在问题 …)."""
    from vectorstore.textutil import squash

    from vectorstore.embeddings import CTX_SEP

    title = squash(report.title or "")[:40]
    head = squash(chunk.heading)[:30]
    return f"{title}｜{head}{CTX_SEP}{chunk.text}" if head else f"{title}{CTX_SEP}{chunk.text}"


def default_store_path() -> Path:
    env = os.environ.get("JIXIAO_DATA_DIR")
    if env:
        return Path(env).expanduser() / "index"
    from platformdirs import user_data_dir

    return Path(user_data_dir("jixiao", appauthor=False)) / "index"


def _settings() -> Settings:
    return Settings(anonymized_telemetry=False)


def make_client(location: str | os.PathLike | None = None):
    """A Chroma client for ``location`` (a folder or ``chroma://host:port``); without a
    location, a server when ``CHROMA_HOST`` is set, else the default folder."""
    loc = str(location) if location is not None else None
    if loc and loc.startswith(("chroma://", "http://", "https://")):
        rest = loc.split("://", 1)[1].rstrip("/")
        host, _, port = rest.partition(":")
        return chromadb.HttpClient(host=host, port=int(port or 8000), settings=_settings()), f"chroma://{host}:{port or 8000}"
    if loc is None and os.environ.get("CHROMA_HOST"):
        host, port = os.environ["CHROMA_HOST"], int(os.environ.get("CHROMA_PORT", "8000"))
        return chromadb.HttpClient(host=host, port=port, settings=_settings()), f"chroma://{host}:{port}"
    path = Path(loc).expanduser() if loc else default_store_path()
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=_settings()), str(path)


class VectorStore:
    """Report chunks in Chroma. ``embedding=None`` means: whatever built the store
    (or the default for a new store)."""

    def __init__(self, location: str | os.PathLike | None = None, embedding: str | None = None, client=None):
        from langchain_chroma import Chroma

        if client is None:
            self.client, self.where = make_client(location)
        else:
            self.client, self.where = client, "client"
        stored = self._stored_spec()
        spec = normalize_spec(embedding) if embedding else (stored or normalize_spec(None))
        if stored and stored != spec:
            raise StoreError(
                f"索引 {self.where} 是用向量模型 {stored} 建的，不能用 {spec} 混合写入或查询；"
                f"请用 --embedding {stored}，或换一个索引目录重建",
                f"the index at {self.where} was built with embedding {stored}; refusing to mix it with {spec}")
        self.spec = spec
        ef = JixiaoEmbeddingFunction(spec)
        self.col = self.client.get_or_create_collection(
            CHUNKS, embedding_function=ef,
            metadata={"jixiao_embedding": spec, "jixiao_schema": SCHEMA},
            configuration={"hnsw": dict(HNSW)})
        self.files_col = self.client.get_or_create_collection(
            FILES, embedding_function=ef, metadata={"jixiao_schema": SCHEMA})
        self.embeddings = JixiaoEmbeddings(spec)
        self.lc = Chroma(client=self.client, collection_name=CHUNKS, embedding_function=self.embeddings)

    # ------------------------------------------------------------------ bookkeeping
    def _stored_spec(self) -> str | None:
        try:
            col = self.client.get_collection(CHUNKS)
        except Exception:
            return None
        return (col.metadata or {}).get("jixiao_embedding")

    def count(self) -> int:
        return self.col.count()

    def files(self) -> list[dict]:
        got = self.files_col.get(include=["metadatas"])
        return [dict(m, key=i) for i, m in zip(got["ids"], got["metadatas"] or [])]

    def file_record(self, key: str) -> dict | None:
        got = self.files_col.get(ids=[key], include=["metadatas"])
        return got["metadatas"][0] if got["ids"] else None

    def remove_file(self, key: str) -> int:
        rec = self.file_record(key)
        n = int(rec.get("chunks", 0)) if rec else 0
        self.col.delete(where={"file": key})
        self.files_col.delete(ids=[key])
        return n

    # ------------------------------------------------------------------ writing
    def add_parsed(self, parsed: ParsedFile, key: str | None = None, fhash: str | None = None) -> int:
        """Chunk and add every report of ``parsed``; returns the number of chunks."""
        n = self._queue(parsed, key, fhash)
        self.flush()
        return n

    def _queue(self, parsed: ParsedFile, key: str | None = None, fhash: str | None = None) -> int:
        """Chunk ``parsed`` into the write buffer (written by :meth:`flush`)."""
        key = key or str(Path(parsed.source.path).resolve())
        fhash = fhash or file_hash(parsed.source.path)
        kid = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]  # identical files at two paths stay apart
        buf = self.__dict__.setdefault("_buf", {"texts": [], "metas": [], "ids": [], "ctx": [], "files": []})
        n = 0
        for rep in parsed.reports:
            for i, ch in enumerate(chunk_report(parsed, rep)):
                buf["texts"].append(ch.text)
                buf["ctx"].append(embed_text(rep, ch))
                buf["metas"].append(chunk_metadata(parsed, rep, ch, key, fhash))
                buf["ids"].append(f"{kid}:{fhash[:12]}:{rep.index}:{i}")
                n += 1
        buf["files"].append((key, " / ".join(r.title for r in parsed.reports)[:1000] or key,
                             {"file_hash": fhash, "reports": len(parsed.reports), "chunks": n,
                              "indexed_at": time.time(), "embedding": self.spec}))
        return n

    def flush(self, wait: bool = True) -> None:
        """Embed the buffered chunks here, then write them and the file records (a file
        counts as indexed only once its chunks are in) on a writer thread, so Chroma's
        HNSW insert overlaps with parsing and embedding the next files."""
        buf = self.__dict__.get("_buf")
        if buf and buf["files"]:
            self._buf = {"texts": [], "metas": [], "ids": [], "ctx": [], "files": []}
            vecs = self.embeddings.embed_array(buf["ctx"])
            dim = self._dim()
            self._wait_writer()
            self._writer_job = self._writer().submit(self._write, buf, vecs, dim)
        if wait:
            self._wait_writer()

    def _writer(self):
        from concurrent.futures import ThreadPoolExecutor

        if self.__dict__.get("_pool") is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="jixiao-chroma-writer")
        return self._pool

    def _wait_writer(self) -> None:
        job = self.__dict__.get("_writer_job")
        if job is not None:
            self._writer_job = None
            job.result()  # re-raises a write error

    def _write(self, buf: dict, vecs: np.ndarray, dim: int) -> None:
        for i in range(0, len(buf["texts"]), ADD_BATCH):
            sl = slice(i, i + ADD_BATCH)
            self.col.upsert(ids=buf["ids"][sl], documents=buf["texts"][sl], metadatas=buf["metas"][sl],
                            embeddings=vecs[sl])
        keys, docs, metas = zip(*buf["files"])
        self.files_col.upsert(ids=list(keys), documents=list(docs), metadatas=list(metas),
                              embeddings=np.ones((len(keys), dim), np.float32))

    def _dim(self) -> int:
        b = self.embeddings.backend
        if b.dim is None:
            b.query("维度")
        return int(b.dim)

    def add_chunks(self, texts: list[str], metas: list[dict], ids: list[str], embed_texts: list[str] | None = None) -> None:
        """Add chunks; ``embed_texts`` (default: the texts) is what gets embedded."""
        embed_texts = embed_texts or texts
        for i in range(0, len(texts), ADD_BATCH):
            t = texts[i:i + ADD_BATCH]
            vecs = self.embeddings.embed_array(embed_texts[i:i + ADD_BATCH])
            self.col.upsert(ids=ids[i:i + ADD_BATCH], documents=t, metadatas=metas[i:i + ADD_BATCH],
                            embeddings=vecs)

    def index_paths(self, paths: Iterable[str | os.PathLike], parse: Callable[[str], ParsedFile] | None = None,
                    on_file: Callable[[str, str, int], None] | None = None, force: bool = False) -> dict:
        """Add files incrementally: unchanged (same hash) skipped, changed replaced.
        ``on_file(path, status, chunks)`` reports progress; status is one of
        added / replaced / skipped / failed."""
        if parse is None:
            from reviewer.parse import parse_file as parse
        stats = {"added": 0, "replaced": 0, "skipped": 0, "failed": 0, "chunks": 0}
        for p in paths:
            key = str(Path(p).resolve())
            try:
                h = file_hash(key)
                rec = self.file_record(key)
                if rec and rec.get("file_hash") == h and not force:
                    status, n = "skipped", 0
                else:
                    parsed = parse(key)
                    if rec:
                        self.remove_file(key)
                    n = self._queue(parsed, key, h)
                    status = "replaced" if rec else "added"
                    if len(self._buf["texts"]) >= ADD_BATCH:
                        self.flush(wait=False)
            except Exception as e:  # one bad file never stops the run
                status, n = "failed", 0
                if on_file:
                    on_file(key, f"failed: {e}", 0)
                stats["failed"] += 1
                continue
            stats[status] += 1
            stats["chunks"] += n
            if on_file:
                on_file(key, status, n)
        self.flush()
        return stats

    def prune(self, keep: Callable[[str], bool] | None = None) -> list[str]:
        """Remove files that no longer exist (or that ``keep`` rejects)."""
        gone = []
        for rec in self.files():
            k = rec["key"]
            if (keep is None and not Path(k).exists()) or (keep is not None and not keep(k)):
                self.remove_file(k)
                gone.append(k)
        return gone

    # ------------------------------------------------------------------ reading
    def search(self, query: str, k: int = 5, section: str | None = None, where: dict | None = None,
               dedupe: bool = True) -> list[Hit]:
        """The ``k`` passages nearest to ``query``; identical passages (same content hash)
        are shown once, the other places listed in ``Hit.also``."""
        conds = []
        if section:
            conds.append({"section": section})
        if where:
            conds.append(where)
        flt = None if not conds else conds[0] if len(conds) == 1 else {"$and": conds}
        res = self.lc.similarity_search_by_vector_with_relevance_scores(
            self.embeddings.embed_query(query), k=k * 3 if dedupe else k, filter=flt)
        out: list[Hit] = []
        seen: dict[str, Hit] = {}
        for d, dist in res:
            h = Hit(text=d.page_content, score=1.0 - float(dist), meta=dict(d.metadata), id=d.id or "")
            ch = h.meta.get("content_hash")
            if dedupe and ch in seen:  # the same passage in another report (a revision, a copy)
                seen[ch].also.append(h)
                continue
            seen[ch] = h
            out.append(h)
        return out[:k]

    def query_vectors(self, vecs: np.ndarray, k: int = 5, where: dict | None = None) -> list[list[Hit]]:
        """Nearest chunks for each of ``vecs`` (already embedded with this store's model)."""
        if len(vecs) == 0 or self.count() == 0:
            return [[] for _ in range(len(vecs))]
        res = self.col.query(query_embeddings=np.asarray(vecs, np.float32), n_results=min(k, self.count()),
                             where=where, include=["documents", "metadatas", "distances"])
        out = []
        for ids, docs, metas, dists in zip(res["ids"], res["documents"], res["metadatas"], res["distances"]):
            out.append([Hit(text=d, score=1.0 - float(x), meta=dict(m), id=i)
                        for i, d, m, x in zip(ids, docs, metas, dists)])
        return out
