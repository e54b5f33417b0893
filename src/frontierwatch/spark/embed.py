"""Spark job: document vectors computed inside the executors with the static model.

`embed_partition` runs in each Python worker: the embedder (`frontierwatch.embed.get_embedder`, the committed
static model — no torch, no network) is loaded once per worker process and kept for every later batch and task
(Spark reuses its Python workers), then each Arrow batch of (doc_id, title, abstract) becomes (doc_id, vector,
text_md5) — the text is `embed.document_text` and the fingerprint of the text the one `embed.queries` compares, so
the store's "embed what is missing" sees these vectors as current.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa

__all__ = ["EMBEDDINGS_DDL", "embed_documents_spark"]

EMBEDDINGS_DDL = "doc_id string, vector array<float>, text_md5 string"
_MODELS: dict = {}  # model name → embedder, one per Python worker process


def _embedder(name: str):
    if name not in _MODELS:
        from frontierwatch.embed import get_embedder
        _MODELS[name] = get_embedder(name)
    return _MODELS[name]


def text_md5(title: str | None, abstract: str | None) -> str:
    """The fingerprint `embed.queries` stores beside a vector (md5 of title, abstract and the text rule)."""
    from frontierwatch.embed.embedders import TEXT_RULE
    return hashlib.md5(f"{title or ''}\n{abstract or ''}\n{TEXT_RULE}".encode()).hexdigest()


def embed_partition(model: str, batch_rows: int = 1024):
    """The executor side of the job for `model` (a closure Spark ships to every worker)."""
    def run(batches):
        from frontierwatch.embed.embedders import document_text

        embedder = _embedder(model)
        schema = pa.schema([("doc_id", pa.string()), ("vector", pa.list_(pa.float32())), ("text_md5", pa.string())])
        for batch in batches:
            for start in range(0, batch.num_rows, batch_rows):
                part = batch.slice(start, batch_rows)
                titles, abstracts = part.column("title").to_pylist(), part.column("abstract").to_pylist()
                vectors = np.ascontiguousarray(embedder.encode([document_text(t, a) for t, a in zip(titles, abstracts)]),
                                               dtype=np.float32)
                n, dim = vectors.shape
                lists = pa.ListArray.from_arrays(pa.array(np.arange(0, (n + 1) * dim, dim, dtype=np.int32)),
                                                 pa.array(vectors.ravel()))
                yield pa.RecordBatch.from_arrays(
                    [part.column("doc_id"), lists, pa.array([text_md5(t, a) for t, a in zip(titles, abstracts)])],
                    schema=schema)
    return run


def embed_documents_spark(spark, documents_path: str, out_path: str, model: str, partitions: int | None = None) -> int:
    """Embed every document of the Parquet dataset `documents_path` into `out_path` (overwritten); returns the
    number of vectors. `partitions` (default: twice the default parallelism) sets the tasks."""
    docs = spark.read.parquet(documents_path).select("doc_id", "title", "abstract")
    parts = partitions or max(2, 2 * spark.sparkContext.defaultParallelism)
    vectors = docs.repartition(parts).mapInArrow(embed_partition(model), EMBEDDINGS_DDL)
    vectors.write.mode("overwrite").parquet(out_path)
    return spark.read.parquet(out_path).count()
