"""Adapters that let Chroma and LangChain use jixiao's embedding backends
(:mod:`vectorstore.embeddings`).

Kept apart from the backends because importing chromadb and langchain takes about a
second: the vector store (``jixiao index``/``search``, a corpus) needs them, the
paraphrase check of ``jixiao check`` does not.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings as ChromaEmbeddings
from chromadb.utils.embedding_functions import register_embedding_function
from langchain_core.embeddings import Embeddings as LCEmbeddings

from vectorstore.embeddings import _Backend, get_backend, normalize_spec


class JixiaoEmbeddings(LCEmbeddings):
    """LangChain ``Embeddings`` over a backend (what langchain-chroma uses)."""

    def __init__(self, spec: str | None = None):
        self.spec = normalize_spec(spec)

    @property
    def backend(self) -> _Backend:
        return get_backend(self.spec)

    def embed_array(self, texts: list[str]) -> np.ndarray:
        return self.backend.docs(list(texts))

    def embed_query_array(self, text: str) -> np.ndarray:
        return self.backend.query(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_query_array(text).tolist()


@register_embedding_function
class JixiaoEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function registered under the name ``jixiao``, so a collection
    reopened in a new process (or through a server) rebuilds the same embedding from
    its stored config instead of falling back to Chroma's downloading default."""

    def __init__(self, spec: str | None = None):
        self.spec = normalize_spec(spec)

    def __call__(self, input: Documents) -> ChromaEmbeddings:
        return list(get_backend(self.spec).docs(list(input)))

    def embed_query(self, input: Documents) -> ChromaEmbeddings:
        b = get_backend(self.spec)
        return [b.query(t) for t in input]

    @staticmethod
    def name() -> str:
        return "jixiao"

    def default_space(self):
        return "cosine"

    def supported_spaces(self):
        return ["cosine", "ip", "l2"]

    def get_config(self) -> dict[str, Any]:
        return {"spec": self.spec}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "JixiaoEmbeddingFunction":
        return JixiaoEmbeddingFunction(config.get("spec"))
