"""Retrieval quality: Chinese questions over the seed reports with known relevant
passages (vectorstore/evalset.py); hit@5 with the default embedding must be ≥ 0.9."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from shared_paths import SEEDS  # noqa: E402


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed reports not available")
def test_hit_at_5_default_embedding(tmp_path):
    from vectorstore.embeddings import DEFAULT_SPEC
    from vectorstore.evalset import QUERIES, hit_at_k, relevant
    from vectorstore.store import VectorStore

    st = VectorStore(tmp_path / "store")  # default embedding
    assert st.spec.startswith(DEFAULT_SPEC.split(":")[0])
    st.index_paths(sorted(SEEDS.glob("*.txt")))
    docs = st.col.get(include=["documents"])["documents"]
    for _, phrase in QUERIES:  # every relevant passage is in the store
        assert any(relevant(d, phrase) for d in docs), phrase
    h5, missed = hit_at_k(lambda q, k: [h.text for h in st.search(q, k=k)], k=5)
    h1, _ = hit_at_k(lambda q, k: [h.text for h in st.search(q, k=k)], k=1)
    print(f"\nretrieval ({st.spec}, {len(QUERIES)} questions): hit@1 {h1:.3f}  hit@5 {h5:.3f}; missed: {missed}")
    assert h5 >= 0.9
