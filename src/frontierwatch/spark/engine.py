"""The Spark engine's runners: each runs its Spark job over the Parquet data directory, then writes what the
rest of the product reads into the store through the table seam (`store.tables`), so names, forecast, catalog,
web and match read Spark's results unchanged.

`ingest` (sources → ``parsed`` → ``documents``…), `embed` (vectors in the executors), `assign_map` (every document
by broadcast centroids), `count_signals_of_map` (topic × year counts and the count-derived signals as Spark
aggregations). `frontierwatch.pipeline` calls them when ``Settings.engine`` is ``spark``.
"""
from __future__ import annotations

import logging
import time
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from frontierwatch.settings import Settings
from frontierwatch.spark.session import DataDir, spark_session
from frontierwatch.store import Store

log = logging.getLogger(__name__)

__all__ = ["assign_map", "count_signals_of_map", "embed", "ingest"]


def _session(settings: Settings):
    return spark_session(settings.spark_master)


def data_dir(store: Store, settings: Settings) -> DataDir:
    return DataDir.of(settings.spark_data, store.path)


def ingest(store: Store, paths: list[Path], source: str, settings: Settings, *, force: bool = False):
    """Parse the files with Spark (new or changed ones only, unless `force`), resolve identities over every file
    the data directory holds, and put ``documents``, ``document_keys``, ``provenance`` and ``rejects`` into the
    store (replacing what an earlier Spark ingest wrote). Returns an `IngestSummary` like the embedded ingest."""
    from frontierwatch.sources.detect import plan_files
    from frontierwatch.sources.ingest import IngestSummary, fingerprint
    from frontierwatch.sources.merges import read_work_merges, work_merge_files
    from frontierwatch.sources.queries import finish_run, read_merges, record_merges, start_run
    from frontierwatch.spark.identity import resolve_documents
    from frontierwatch.spark.parse import exists, parse_files, read_manifest

    started = time.perf_counter()
    plan, skipped = plan_files([Path(p) for p in paths], source)
    run_id = start_run(store, [str(p) for p in paths], source, [str(p) for p, _ in skipped])
    summary = IngestSummary(run_id, skipped=[(str(p), why) for p, why in skipped])
    spark, data = _session(settings), data_dir(store, settings)
    status = "failed"
    try:
        stamped = [(p, fmt.name, "force" if force else fingerprint(p)) for p, fmt in plan]
        parsed, unchanged = parse_files(spark, data, stamped, settings.max_field_bytes)
        summary.files, summary.unchanged_files = parsed, unchanged
        before = store.tables.sql("SELECT count(*) FROM documents").scalar()
        merges = record_merges(store, read_work_merges(work_merge_files(skipped)))
        if parsed or merges or not exists(spark, data.path("documents")):
            counts = resolve_documents(spark, data, read_merges(store))
        else:  # no file changed: the Parquet outputs stand; the store is reloaded only if it drifted from them
            counts = {"documents": spark.read.parquet(data.path("documents")).count()}
        if parsed or merges or counts["documents"] != before:
            _load_documents(store, spark, data, run_id, read_manifest(spark, data))
        summary.accepted = counts["documents"] - before
        summary.rejected = spark.read.parquet(data.path("rejects")).where(
            _in("file", parsed)).count() if parsed else 0
        records = spark.read.parquet(data.path("parsed")).where("NOT reject").where(
            _in("file", parsed)).count() if parsed else 0
        summary.merged = max(records - summary.accepted, 0)
        status = "done"
    finally:
        summary.seconds = round(time.perf_counter() - started, 3)
        finish_run(store, run_id, status, summary.accepted, summary.merged, summary.rejected)
    return summary


def _in(column: str, values: list[str]):
    from pyspark.sql import functions as F
    return F.col(column).isin(values)


def _load_documents(store: Store, spark, data: DataDir, run_id: int, manifest: pa.Table) -> None:
    """Replace the store's documents, citations by year, versions, keys, provenance, rejects and file states by the
    Parquet outputs, in one transaction (a reader sees the old store or the new one)."""
    from frontierwatch.sources.rows import DOC_COLUMNS

    docs = spark.read.parquet(data.path("documents")).select(*DOC_COLUMNS).orderBy("doc_id").toArrow()
    cites = spark.read.parquet(data.path("document_citations")).orderBy("doc_id").toArrow()
    versions = spark.read.parquet(data.path("document_versions")).orderBy("doc_id").toArrow()
    keys = spark.read.parquet(data.path("document_keys")).select("key", "doc_id").toArrow()
    prov = spark.read.parquet(data.path("provenance")).toArrow()
    rejects = spark.read.parquet(data.path("rejects")).toArrow()
    parsed = spark.read.parquet(data.path("parsed")).groupBy("file").count().toArrow()
    done = dict(zip(parsed.column("file").to_pylist(), parsed.column("count").to_pylist()))
    files = manifest.to_pylist()
    t = store.tables
    with t.transaction():
        for name in ("documents", "document_citations", "document_versions", "document_keys", "provenance",
                     "rejects", "ingest_files"):
            t.delete(name, None)
        t.append("documents", docs)
        t.append("document_citations", cites.cast(pa.schema([("doc_id", pa.string()),
                                                              ("cited_by_year", pa.map_(pa.int32(), pa.int32()))])))
        t.append("document_versions", versions)
        t.append("document_keys", keys)
        t.append("provenance", prov.append_column("run_id", pa.array([run_id] * prov.num_rows, pa.int32())))
        t.append("rejects", rejects.append_column("run_id", pa.array([run_id] * rejects.num_rows, pa.int32())))
        t.append("ingest_files", pa.table({
            "file": [f["file"] for f in files], "fingerprint": [f["fingerprint"] for f in files],
            "source": [f["source"] for f in files], "records_done": pa.array([done.get(f["file"], 0) for f in files], pa.int64()),
            "complete": [True] * len(files), "run_id": pa.array([run_id] * len(files), pa.int32())}))
    log.info("spark ingest: %d documents, %d rejects loaded into the store", docs.num_rows, rejects.num_rows)


def _export_documents(store: Store, spark, data: DataDir) -> None:
    """Make ``documents`` in the data directory match the store (a store ingested by the embedded engine)."""
    from frontierwatch.spark.parse import exists
    have = spark.read.parquet(data.path("documents")).count() if exists(spark, data.path("documents")) else -1
    if have == store.tables.sql("SELECT count(*) FROM documents").scalar():
        return
    table = store.tables.read("documents", ["doc_id", "title", "abstract", "published", "year"])
    spark.createDataFrame(table).write.mode("overwrite").parquet(data.path("documents"))


def embed(store: Store, settings: Settings, model: str | None = None) -> int:
    """Vectors of `model` (default: the configured one) computed by the Spark embed job for every document of
    the data directory, kept there as ``embeddings/<model>``; the store receives those it lacks (new documents
    or changed texts). Returns how many the store received."""
    from frontierwatch.embed import get_embedder
    from frontierwatch.embed.queries import pending_doc_ids, write_vectors
    from frontierwatch.embed.runner import _register_model
    from frontierwatch.spark.embed import embed_documents_spark
    from frontierwatch.spark.parse import exists

    name = model or settings.embed_model
    _register_model(store, get_embedder(name))
    pending = pending_doc_ids(store, name)
    spark, data = _session(settings), data_dir(store, settings)
    _export_documents(store, spark, data)
    if not pending and exists(spark, data.path("embeddings", name)):
        return 0
    embed_documents_spark(spark, data.path("documents"), data.path("embeddings", name), name)
    wanted = spark.createDataFrame(pa.table({"doc_id": pa.array(pending, pa.string())}))
    got = spark.read.parquet(data.path("embeddings", name)).join(wanted, "doc_id").toArrow()
    for start in range(0, got.num_rows, 20_000):
        part = got.slice(start, 20_000)
        vectors = np.asarray(part.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False),
                             dtype=np.float32).reshape(part.num_rows, -1)
        write_vectors(store, name, part.column("doc_id").to_pylist(), vectors, part.column("text_md5").to_pylist())
    log.info("spark embed %s: %d vectors into the store", name, got.num_rows)
    return got.num_rows


def assign_map(store: Store, settings: Settings, map_id: int, model: str | None = None) -> pa.Table:
    """Every document of the data directory assigned by Spark to the nearest centroid of map `map_id` (the
    centroids broadcast to the executors); kept as ``doc_topics/map=<id>`` and returned as (doc_id, topic_id,
    distance, norm_ok)."""
    from pyspark.sql import functions as F

    from frontierwatch.spark.aggregate import assign_documents
    from frontierwatch.topics.tables import map_centroids

    spark, data = _session(settings), data_dir(store, settings)
    topic_ids, centroids = map_centroids(store, map_id)
    vectors = spark.read.parquet(data.path("embeddings", model or settings.embed_model))
    assigned = assign_documents(spark, vectors, centroids)
    names = spark.createDataFrame(pa.table({"topic_index": pa.array(range(len(topic_ids)), pa.int32()),
                                            "topic_id": pa.array(topic_ids, pa.string())}))
    nonzero = vectors.select("doc_id", (F.aggregate("vector", F.lit(0.0), lambda acc, x: acc + x * x) > 0)
                             .alias("norm_ok"))
    out = assigned.join(names, "topic_index").join(nonzero, "doc_id").select("doc_id", "topic_id", "distance", "norm_ok")
    out.write.mode("overwrite").parquet(data.path("doc_topics", f"map={map_id}"))
    return spark.read.parquet(data.path("doc_topics", f"map={map_id}")).orderBy("doc_id").toArrow()


def count_signals_of_map(store: Store, settings: Settings, map_id: int, as_of: date) -> pa.Table:
    """Topic × year (and month) counts of the documents map `map_id` fitted — dated on or before `as_of`, with a
    vector — as Spark aggregations over ``documents`` and ``doc_topics/map=<id>``, turned into the count-derived
    signals (`spark.aggregate.count_signals`, every year from the first to the last fitted document's)."""
    from pyspark.sql import functions as F

    from frontierwatch.spark.aggregate import count_signals, topic_year_counts

    spark, data = _session(settings), data_dir(store, settings)
    docs = spark.read.parquet(data.path("documents")).select("doc_id", "published", "year")
    assigned = spark.read.parquet(data.path("doc_topics", f"map={map_id}")).where("norm_ok")
    fitted = (assigned.join(docs, "doc_id").where(F.col("published") <= F.lit(as_of)).where(F.col("year").isNotNull())
              .select("topic_id", "year", F.month("published").alias("month")))
    yearly, monthly = topic_year_counts(fitted)
    return count_signals(yearly, monthly)


def term_statistics(store: Store, settings: Settings, map_id: int, as_of: date):
    """The term statistics (`spark.terms.SparkTerms`) of the documents map `map_id` fitted — dated on or before
    `as_of`, with a vector — their texts hashed in the executors into ``terms/map=<id>``."""
    from pyspark.sql import functions as F

    from frontierwatch.spark.terms import SparkTerms, hash_terms

    spark, data = _session(settings), data_dir(store, settings)
    docs = spark.read.parquet(data.path("documents")).select(
        "doc_id", "published", "year", F.coalesce("primary_category", F.lit("")).alias("community"),
        F.concat(F.col("title"), F.lit(". "), F.coalesce("abstract", F.lit(""))).alias("text"))
    assigned = spark.read.parquet(data.path("doc_topics", f"map={map_id}")).where("norm_ok")
    fitted = (assigned.join(docs, "doc_id").where(F.col("published") <= F.lit(as_of)).where(F.col("year").isNotNull())
              .select("doc_id", "topic_id", F.col("year").cast("int"), "community", "text"))
    return SparkTerms(spark, hash_terms(spark, fitted, data.path("terms", f"map={map_id}")))


def map_signals(store: Store, settings: Settings, as_of: date | None) -> dict:
    """The signals stage of the map of `as_of` with Spark's document-level work: every document assigned by
    broadcast centroids (`assign_map`), the count-derived signals from Spark's topic × year aggregations
    (`count_signals_of_map`) stored in place of the driver's, the new-term ratio and EScore aggregates from
    Spark's term statistics (`term_statistics`), the other signals by the signals stage. Returns
    `build_signals`' report plus ``spark``: documents assigned, and how many got the topic the map gave them."""
    from frontierwatch.signals import build_signals
    from frontierwatch.topics.tables import map_row

    m = map_row(store, as_of)
    assigned = assign_map(store, settings, m["map_id"])
    stored = store.tables.read("doc_topics", ["doc_id", "topic_id"], where={"map_id": m["map_id"]})
    theirs = dict(zip(stored.column("doc_id").to_pylist(), stored.column("topic_id").to_pylist()))
    same = sum(theirs.get(d) == t for d, t in zip(assigned.column("doc_id").to_pylist(),
                                                  assigned.column("topic_id").to_pylist()))
    counts = count_signals_of_map(store, settings, m["map_id"], m["as_of"])
    terms = term_statistics(store, settings, m["map_id"], m["as_of"])
    report = build_signals(store, m["as_of"], count_signals=counts, terms=terms)
    report["spark"] = {"assigned": assigned.num_rows, "same_topic": same, "map_documents": len(theirs)}
    log.info("spark signals of map %s: %s", m["map_id"], report["spark"])
    return report
