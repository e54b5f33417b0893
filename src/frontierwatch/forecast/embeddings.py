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
    """(len(doc_ids), dim) float32 rows for `doc_ids` as stored (unit length), in that order. NotFoundError (with
    the command to run) when any document has no vector. Not renormalised: a topic fit is keyed by these exact
    bytes, shared with `build`."""
    from frontierwatch.embed import load_embeddings

    _, matrix = load_embeddings(store, model=model, doc_ids=[str(d) for d in doc_ids])
    return np.asarray(matrix, dtype=np.float32)
