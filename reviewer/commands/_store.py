"""Opening the vector store for the index/search commands, with the same error message."""

from __future__ import annotations

import sys


def open_store(args):
    """The VectorStore named by ``--store``/``--embedding``, or None after printing why not."""
    from vectorstore.embeddings import EmbeddingError
    from vectorstore.store import StoreError, VectorStore

    try:
        return VectorStore(args.store, embedding=args.embedding)
    except (StoreError, EmbeddingError) as e:
        print(f"错误：{e}", file=sys.stderr)
        return None
