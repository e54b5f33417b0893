"""The embed stage's tables (migration 0002: ``embedding_models``, ``embeddings``): their one writer and reader,
and the read of the document texts to embed.

Vectors live as ``FLOAT[]`` and travel through Arrow to numpy (`read_vectors`); a document's ``text_md5`` is the
md5 of its title, abstract and the rule that makes them text, so a changed text is embedded again.
"""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from frontierwatch.embed.embedders import TEXT_RULE
from frontierwatch.store import Store

__all__ = ["pending_doc_ids", "read_model", "read_vectors", "replace_model", "stored_dim", "texts_to_embed",
           "write_model", "write_vectors"]

# Fingerprint of what was embedded: the title, the abstract and the rule that turns them into text.
_TEXT_MD5 = f"md5(coalesce(d.title, '') || chr(10) || coalesce(d.abstract, '') || chr(10) || '{TEXT_RULE}')"


def stored_dim(store: Store, model: str) -> int | None:
    """The vector width recorded for `model`, or None when it has no vectors yet."""
    row = read_model(store, model)
    return None if row is None else row[0]


def read_model(store: Store, model: str) -> tuple[int, str | None] | None:
    """``(dim, fingerprint)`` recorded for `model` (fingerprint None when registered before migration 0016), or
    None when it has no vectors yet."""
    got = store.tables.read("embedding_models", ["dim", "fingerprint"], where={"model": model}).to_pylist()
    return (int(got[0]["dim"]), got[0]["fingerprint"]) if got else None


def _model_row(model: str, dim: int, fingerprint: str | None) -> pa.Table:
    return pa.table({"model": [model], "dim": pa.array([dim], pa.int32()),
                     "fingerprint": pa.array([fingerprint], pa.string())})


def write_model(store: Store, model: str, dim: int, fingerprint: str | None = None) -> None:
    """Register `model` (or record its fingerprint), keeping its vectors."""
    store.tables.upsert("embedding_models", _model_row(model, dim, fingerprint), key=("model",))


def replace_model(store: Store, model: str, dim: int, fingerprint: str | None) -> int:
    """Drop every stored vector of `model` and register its new width and fingerprint, in one transaction;
    returns how many vectors were dropped."""
    with store.tables.transaction():
        stale = store.tables.sql("SELECT count(*) FROM embeddings WHERE model = ?", [model]).scalar()
        store.tables.delete("embeddings", {"model": model})
        store.tables.upsert("embedding_models", _model_row(model, dim, fingerprint), key=("model",))
    return int(stale)


def pending_doc_ids(store: Store, model: str) -> list[str]:
    """doc_ids (sorted) with no vector for `model` or whose title/abstract changed since it was computed."""
    return store.tables.sql(
        f"""SELECT d.doc_id FROM documents d
            LEFT JOIN embeddings e ON e.model = ? AND e.doc_id = d.doc_id
            WHERE e.doc_id IS NULL OR e.text_md5 <> {_TEXT_MD5}
            ORDER BY d.doc_id""", [model]).arrow().column("doc_id").to_pylist()


def texts_to_embed(store: Store, doc_ids: list[str]) -> tuple[list[str], list[str], list[str | None], list[str]]:
    """``(doc_ids, titles, abstracts, text_md5s)`` of a batch, in the order asked (a document deleted meanwhile
    is skipped). Read as Arrow columns through a join on the asked ids: a filter ``IN (list)`` scanned the
    whole table for every batch."""
    wanted = pa.table({"pos": pa.array(np.arange(len(doc_ids), dtype=np.int64)),
                       "doc_id": pa.array(doc_ids, pa.string())})
    got = store.tables.sql(
        f"""SELECT d.doc_id, d.title, d.abstract, {_TEXT_MD5} AS text_md5 FROM wanted w
            JOIN documents d ON d.doc_id = w.doc_id ORDER BY w.pos""", tables={"wanted": wanted}).arrow()
    return tuple(got.column(c).to_pylist() for c in ("doc_id", "title", "abstract", "text_md5"))


def write_vectors(store: Store, model: str, doc_ids: list[str], vectors: np.ndarray, md5s: list[str]) -> None:
    """Store (or replace) the vectors of `doc_ids`; the write commits on its own, so an interrupted run keeps it."""
    n, dim = vectors.shape
    flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float32).ravel())
    offsets = pa.array(np.arange(0, (n + 1) * dim, dim, dtype=np.int32))
    batch = pa.table({"model": pa.array([model] * n, pa.string()), "doc_id": pa.array(doc_ids, pa.string()),
                      "vector": pa.ListArray.from_arrays(offsets, flat), "text_md5": pa.array(md5s, pa.string())})
    store.tables.upsert("embeddings", batch, key=("model", "doc_id"))


def read_vectors(store: Store, model: str, doc_ids: list[str] | None = None) -> pa.Table:
    """Vectors of `model`: every one (``doc_id``, ``vector``, any order), or those of `doc_ids` in that order
    (``pos``, ``doc_id``, ``vector``; ids without a vector are missing from the answer)."""
    if doc_ids is None:
        return store.tables.read("embeddings", ["doc_id", "vector"], where={"model": model})
    wanted = pa.table({"pos": pa.array(np.arange(len(doc_ids), dtype=np.int64)),
                       "doc_id": pa.array(doc_ids, pa.string())})
    return store.tables.sql(
        """SELECT w.pos, w.doc_id, e.vector FROM wanted w
           JOIN embeddings e ON e.model = $model AND e.doc_id = w.doc_id ORDER BY w.pos""",
        {"model": model}, tables={"wanted": wanted}).arrow()
