"""Document vectors for the forecast stage: read from the store, computed first when any is missing.

Uses the embed stage's contract (`frontierwatch.embed.load_embeddings` / `embed_documents`), so the backtest
runs on any store: on a fresh one it embeds the documents once (≈ 75–120 s for 300k abstracts on 2 cores) and
later runs read the cached vectors back in about a second.
"""
from __future__ import annotations

import logging

import numpy as np

from frontierwatch.embed.embedders import DEFAULT_MODEL
from frontierwatch.errors import NotFoundError, StoreError

log = logging.getLogger(__name__)

__all__ = ["document_embeddings"]


def document_embeddings(store, doc_ids, model: str = DEFAULT_MODEL) -> np.ndarray:
    """(len(doc_ids), dim) float32 unit rows for `doc_ids`, in that order; embeds missing documents first."""
    from frontierwatch.embed import embed_documents, load_embeddings

    ids = [str(d) for d in doc_ids]
    try:
        _, matrix = load_embeddings(store, model=model, doc_ids=ids)
    except NotFoundError:
        if store.read_only:
            raise StoreError(f"store {store.path} lacks {model!r} vectors and is open read-only; run "
                             f"'frontierwatch embed --model {model}' first",
                             f"数据库 {store.path} 缺少 {model!r} 向量且为只读；请先运行 'frontierwatch embed --model {model}'")
        log.info("embedding documents with %s before the forecast", model)
        embed_documents(store, model)
        _, matrix = load_embeddings(store, model=model, doc_ids=ids)
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
