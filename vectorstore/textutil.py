"""Chinese text helpers: sentence splitting with offsets, normalisation, shingles, MinHash.

Everything is deterministic and pure numpy/stdlib (Python's salted ``hash()`` is never used).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from reviewer.structure.spans import trim_span
from reviewer.lazy_re import lazy

# a sentence ends after one of these; the separator stays with the sentence
SENT_END = "。！？；!?;"
_SENT_RE = lazy(r"[^。！？；!?;\n]*(?:[。！？；!?;]+|\n|$)")
_WS = lazy(r"\s+")
# characters ignored when comparing texts for near-duplicates
_NOISE = lazy(r"[\s，,。．.！!？?；;：:、（）()《》<>“”\"'‘’【】\[\]—\-_*·…]+")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of ``text[start:end]`` as absolute spans, split on 。！？； and newlines,
    the separator kept at the end, leading/trailing whitespace trimmed."""
    end = len(text) if end is None else end
    out: list[Span] = []
    for m in _SENT_RE.finditer(text, start, end):
        s, e = trim_span(text, m.start(), m.end())
        if e > s:
            out.append(Span(s, e))
    return out


def paragraph_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Non-empty lines of ``text[start:end]`` as trimmed absolute spans."""
    end = len(text) if end is None else end
    out: list[Span] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        le = end if nl < 0 else nl
        s, e = trim_span(text, pos, le)
        if e > s:
            out.append(Span(s, e))
        pos = le + 1
    return out


def squash(s: str) -> str:
    """Whitespace-free text."""
    return _WS.sub("", s)


def norm(s: str) -> str:
    """Text for comparison: no whitespace, no punctuation, full-width digits folded, lower case."""
    s = s.translate(_FW)
    return _NOISE.sub("", s).lower()


_FW = str.maketrans("０１２３４５６７８９％", "0123456789%")


def content_hash(s: str) -> str:
    return hashlib.sha1(norm(s).encode("utf-8")).hexdigest()[:16]


def file_hash(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --------------------------------------------------------------------------- hashing

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


def _splitmix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised (uint64 in, uint64 out)."""
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def ngram_ids(s: str, n: int) -> np.ndarray:
    """Deterministic uint64 ids of the character n-grams of ``s`` (may repeat)."""
    if len(s) < n:
        if not s:
            return np.zeros(0, dtype=np.uint64)
        n = len(s)
    cps = np.frombuffer(s.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(len(cps) - n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            h = _splitmix(h ^ cps[k: len(cps) - n + 1 + k])
    return h


def shingles(s: str, n: int = 4) -> set[int]:
    """Set of character n-gram ids of the normalised text."""
    return set(ngram_ids(norm(s), n).tolist())


def containment(a: set[int], b: set[int]) -> float:
    """|a ∩ b| / |a| (how much of ``a`` is found in ``b``)."""
    if not a:
        return 0.0
    return len(a & b) / len(a)


def jaccard(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


class MinHasher:
    """MinHash signatures over shingle ids, with LSH banding for candidate pairs."""

    def __init__(self, num_perm: int = 64, bands: int = 16, seed: int = 7):
        assert num_perm % bands == 0
        self.num_perm, self.bands, self.rows = num_perm, bands, num_perm // bands
        rng = np.random.default_rng(seed)
        self.salts = rng.integers(1, 2**63 - 1, size=num_perm, dtype=np.int64).astype(np.uint64)

    def signature(self, ids: set[int] | np.ndarray) -> np.ndarray:
        arr = np.fromiter(ids, dtype=np.uint64) if isinstance(ids, set) else np.asarray(ids, dtype=np.uint64)
        if arr.size == 0:
            return np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        return _splitmix(arr[None, :] ^ self.salts[:, None]).min(axis=1)

    def band_keys(self, sig: np.ndarray) -> list[bytes]:
        return [bytes([b]) + sig[b * self.rows:(b + 1) * self.rows].tobytes() for b in range(self.bands)]


# --------------------------------------------------------------------------- misc

_CJK = lazy(r"[\u4e00-\u9fff]")


def cjk_count(s: str) -> int:
    return len(_CJK.findall(s))


def bigrams(s: str) -> set[str]:
    s = norm(s)
    return {s[i:i + 2] for i in range(len(s) - 1)}
