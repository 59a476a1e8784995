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


# the salts of BatchIndex's MinHasher (60 permutations, seed 7), as np.random.default_rng(7).integers(1, 2**63 - 1,
# size=60) gives them: written out so a check does not import numpy.random (about 30 ms of a cold start);
# tests/test_copy_scale.py recomputes them
DEFAULT_SEED, DEFAULT_SALTS = 7, (
    5765488047046174021, 8275336682942969161, 7154437704795913392, 2077169698657866657, 2768545318656780450,
    8057108420966028185, 48563862895646264, 7574495229982081901, 7351667880583433390, 4315938159125732496,
    2794980811785498148, 2568023004994447682, 2350757027813760888, 4105104353944625865, 4653636302916549518,
    5105111999597036614, 9181869476909781428, 7311015780355770032, 5738590506739472347, 9121547371692866742,
    1985872226597826805, 1477695193052074641, 5649680657517962678, 405293487474273806, 329092485507570182,
    4749011146980101826, 4299991617398481407, 8459379592371317443, 5803587840527252664, 4741898325299542297,
    4582848549864415938, 2282922210531174020, 108780685390700098, 1774596554665020884, 6382869712346859965,
    1850270448426696528, 3408370873810875281, 34442303721965216, 7655839020308208947, 1424652015844443635,
    2468167942795403662, 8119630972170908532, 4701990300385964815, 7813581893345594306, 5900349429073655560,
    6841629413648629561, 843898005233604069, 4991170790000642165, 4683372245383863385, 8036687241599585672,
    3332072819831835498, 5517274198371066903, 546499941147239412, 3575272314960347916, 2979484402965680153,
    1385347981051569302, 7529390039383913772, 3499773208168753111, 9027355868209232654, 5441712883290670430,
)


class MinHasher:
    """MinHash signatures over shingle ids, with LSH banding for candidate pairs."""

    def __init__(self, num_perm: int = 64, bands: int = 16, seed: int = 7):
        assert num_perm % bands == 0
        self.num_perm, self.bands, self.rows = num_perm, bands, num_perm // bands
        if seed == DEFAULT_SEED and num_perm == len(DEFAULT_SALTS):
            self.salts = np.array(DEFAULT_SALTS, dtype=np.uint64)
        else:
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
