"""Copy detection at province scale: the LSH index answers with bounded work, a sentence
that many reports share is compared once, and no quadratic comparison runs on long text."""

from __future__ import annotations

import difflib
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scale_corpus import generate, mutate  # noqa: E402
from reviewer.models import Report  # noqa: E402
from vectorstore import boilerplate  # noqa: E402
from vectorstore.boilerplate import BatchIndex, char_overlap, trigram_cover  # noqa: E402
from vectorstore.lsh_index import BandIndex, band_hashes  # noqa: E402
from vectorstore.textutil import MinHasher, norm, shingles  # noqa: E402
from vectorstore.units import Unit  # noqa: E402

PROBLEM = ("一是绩效目标设置不够科学，部分指标未能量化，难以衡量项目实施的实际效果；"
           "二是项目资金支付进度偏慢，部分资金在年底集中支付，影响了资金的使用效益。")


def _keys(texts: list[str], mh: MinHasher) -> np.ndarray:
    return band_hashes(np.stack([mh.signature(shingles(t, 3)) for t in texts]), mh.bands)


def test_band_index_finds_near_duplicates_nearest_first_and_respects_caps():
    mh = MinHasher(60, 30)
    base = "进一步加强预算绩效管理，提高财政资金使用效益，确保项目绩效目标如期实现"
    texts = [base, base.replace("如期", "按期"), "农村公路养护里程达到一百二十公里以上", base + "并加强监督"]
    idx = BandIndex(30)
    keys = _keys(texts, mh)
    for i, k in enumerate(keys):
        idx.add(i, k)
    before = idx.query_many(keys[:1], limit=10, bucket_cap=10)[0].tolist()
    idx.freeze()
    after = idx.query_many(keys[:1], limit=10, bucket_cap=10)[0].tolist()
    assert before == after  # pending (linear) and frozen (sorted) parts answer alike
    assert after[0] == 0 and 2 not in after and {1, 3} <= set(after)
    assert idx.query_many(keys[:1], limit=2, bucket_cap=10)[0].tolist() == after[:2]
    # many identical sentences: one bucket read only as far as the cap
    for i in range(4, 504):
        idx.add(i, keys[0])
    got = idx.query_many(keys[:1], limit=1000, bucket_cap=16)[0]
    assert len(got) <= 16 * 2 and 0 in got.tolist()


def _report_units(texts: list[str], role: str = "target") -> list[Unit]:
    out, pos = [], 0
    for t in texts:
        u = Unit(pos, pos + len(t), t, "problems", role)
        u.n, u.sh = norm(t), shingles(t, 3)
        out.append(u)
        pos += len(t) + 1
    return out


def _add(index: BatchIndex, k: int, texts: list[str]) -> None:
    rep = Report(file=f"r{k}.txt", index=0, start=0, end=1, title=f"第{k}号{k * 7919 % 1000}工程项目支出绩效自评报告")
    index.add_units(f"r{k}.txt#0", f"r{k}.txt", rep, _report_units(texts))


def test_shared_sentence_is_compared_once_and_work_per_report_stays_bounded():
    rng = random.Random(5)
    index = BatchIndex()
    n = 150
    for k in range(n):
        own = f"本单位第{k}号项目完成道路硬化{k * 3 + 11}公里，惠及群众{k * 17 + 200}人。"
        _add(index, k, [own, mutate(PROBLEM, rng, 0.01) if k % 2 else PROBLEM])
    first = index.copies(index.entries["r0.txt#0"])
    assert first[1] and all(m.how == "copy" for m in first[1])  # the shared problems are still found
    assert len(first[1]) <= boilerplate.MAX_CANDIDATES
    for k in range(1, n):
        index.copies(index.entries[f"r{k}.txt#0"])
    # each distinct sentence is verified against at most MAX_TEXTS others, once
    assert index.stats["compared"] <= len(index._texts) * boilerplate.MAX_TEXTS
    assert index.stats["pairs"] <= n * 2 * boilerplate.MAX_CANDIDATES


def test_long_texts_are_not_compared_with_difflib(monkeypatch):
    rng = random.Random(9)
    long_a = norm("".join(r[1] for r in generate(8, seed=3)))
    long_b = mutate(long_a, rng, 0.01)
    assert len(long_a) > boilerplate.MAX_COMPARE * 10

    def refuse(*a, **k):
        raise AssertionError("difflib on unbounded text")

    monkeypatch.setattr(difflib, "SequenceMatcher", refuse)
    assert char_overlap(long_a, long_b) > 0.9
    assert char_overlap(long_a, norm("完全不同的一段文字，讲的是另外一件事情。" * 40)) < 0.2


def test_trigram_cover_bounds_difflib_blocks():
    rng = random.Random(1)
    alphabet = "预算绩效管理项目资金使用效率提高加强"
    for _ in range(3000):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(3, 50)))
        b = mutate(a, rng, 0.2) if rng.random() < 0.5 else "".join(rng.choice(alphabet) for _ in range(40))
        blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
        assert sum(m.size for m in blocks if m.size >= 3) <= trigram_cover(a, b)


def test_generated_corpus_is_deterministic_and_county_reports_share_text():
    a, b = generate(40, seed=2), generate(40, seed=2)
    assert a == b and len(a) == 40
    texts = [t for _, t in a]
    assert len(set(texts)) > 30  # names and figures vary
    assert sum("填报说明" in t for t in texts) == 40  # the shared template
    assert sum("绩效管理理念还需进一步强化" in t or "加强预算绩效管理培训" in t for t in texts) > 10


def test_default_minhash_salts_are_the_seeded_generators():
    """The salts written out in vectorstore.textutil (no numpy.random import at check start)
    are those np.random.default_rng(7) gives, so signatures are what they always were."""
    from vectorstore.textutil import DEFAULT_SALTS, DEFAULT_SEED, MinHasher

    rng = np.random.default_rng(DEFAULT_SEED)
    want = rng.integers(1, 2**63 - 1, size=len(DEFAULT_SALTS), dtype=np.int64).astype(np.uint64)
    assert np.array_equal(BatchIndex().mh.salts, want) and BatchIndex().mh.salts.dtype == np.uint64
    other = MinHasher(64, 16)  # any other size still draws its own
    assert np.array_equal(other.salts, np.random.default_rng(7).integers(1, 2**63 - 1, size=64, dtype=np.int64)
                          .astype(np.uint64))
