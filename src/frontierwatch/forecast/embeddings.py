"""Document vectors for the forecast stage, read from the store through the embed stage's contract
(`frontierwatch.embed.load_embeddings`). The forecast never embeds: the core embeds first (`Observatory.build`,
`Observatory.backtest`), and a missing vector raises NotFoundError naming the command that computes it.
"""
from __future__ import annotations

import logging

import numpy as np

from frontierwatch.embed.embedders import DEFAULT_MODEL

log = logging.getLogger(__name__)

__all__ = ["document_embeddings"]


def document_embeddings(store, doc_ids, model: str = DEFAULT_MODEL) -> np.ndarray:
    """(len(doc_ids), dim) float32 unit rows for `doc_ids`, in that order. NotFoundError (with the command to
    run) when any document has no vector."""
    from frontierwatch.embed import load_embeddings

    _, matrix = load_embeddings(store, model=model, doc_ids=[str(d) for d in doc_ids])
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
