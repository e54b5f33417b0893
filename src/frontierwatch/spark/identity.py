"""Spark job: the ``parsed`` dataset → ``documents``, ``document_keys``, ``provenance`` and ``rejects`` (Parquet),
by the identity rules of the embedded ingest.

The embedded ingest resolves records one by one in file order (`frontierwatch.sources.resolve`). That order only
matters for records that share a key — strong or title — with another record: a record whose every key is its
own becomes a document by itself, with ``doc_id = new_doc_id(keys, tkey)`` whatever else is read. So the job
splits the records the way the bulk ingest path does:

* keys are exploded and counted across all files; the records holding a key held by any other record are
  *shared* (at world scale: the duplicates across sources and versions, a small part);
* the other records become documents inside the executors (the ``doc_id`` rule, their keys and provenance),
  written once as the ``own`` dataset and read from there for the three outputs;
* the shared ones are collected in ``(file_seq, line)`` order and resolved on the driver by the embedded
  engine's own `resolve_batch`, file by file with one `IdentityIndex` — the same merges, the same doc_ids;
* records holding an OpenAlex id named by a kept ``merged_ids/works`` table are shared too, and the merge tables
  are folded into the driver's documents afterwards by `sources.merges.fold_merges`, as the embedded ingest does.

Citations by year (OpenAlex ``counts_by_year``) and the version stamp of an OpenAlex work (``updated_date``)
travel beside each row, as in the embedded ingest, into ``document_citations`` and ``document_versions``; two
copies of one work share its key, so they are resolved on the driver, where the newer copy replaces the older. Rejects are the parsed rejects, kept once per (file, line) as the ``rejects`` table's key
requires.
"""
from __future__ import annotations

import logging
import pickle

import pyarrow as pa

from frontierwatch.sources.merges import fold_merges, merge_keys
from frontierwatch.sources.prepare import Prepared, new_doc_id
from frontierwatch.sources.record import Reject
from frontierwatch.sources.resolve import IdentityIndex, resolve_batch
from frontierwatch.sources.rows import DOC_SCHEMA, citation_rows, rows_to_arrow, version_rows
from frontierwatch.spark.session import DataDir

log = logging.getLogger(__name__)

__all__ = ["DOCUMENTS_DDL", "resolve_documents"]

DOCUMENTS_DDL = (
    "doc_id string, kind string, title string, abstract string, language string, published date, year int, "
    "categories array<string>, primary_category string, doi string, arxiv_id string, openalex_id string, "
    "patent_number string, other_ids map<string,string>, venue string, authors array<string>, "
    "institutions array<struct<name:string,type:string,country:string,ror:string,province:string,city:string,"
    "address:string>>, countries array<string>, cited_by_count int, reference_ids array<string>, "
    "sources array<string>")
_KEYS = pa.schema([("key", pa.string()), ("doc_id", pa.string()), ("file_seq", pa.int32()), ("line", pa.int64()),
                   ("pos", pa.int32())])
_CITES = pa.map_(pa.int32(), pa.int32())
_AFTER_FILES = 2**31 - 1  # the file_seq of keys the merge tables add (after every file's)
_PROV = pa.schema([("doc_id", pa.string()), ("source", pa.string()), ("file", pa.string()), ("line", pa.int64())])


def _own_documents(batches):
    """Executor side: records whose keys are all their own → `documents` rows (DOC_SCHEMA) with, beside them, the
    record's keys in order (``all_keys``: strong, then title) and its provenance (file_seq, source, file, line)."""
    for batch in batches:
        rows, all_keys = [], []
        for keys, tkey, row in zip(batch.column("keys").to_pylist(), batch.column("tkey").to_pylist(),
                                   batch.column("row").to_pylist()):
            rows.append(dict(pickle.loads(row), doc_id=new_doc_id(keys or [], tkey)))
            all_keys.append([*(keys or []), *([tkey] if tkey else [])])
        if not rows:
            continue
        docs = rows_to_arrow(rows)
        extra = [pa.array(all_keys, pa.list_(pa.string())), _citations(rows),
                 pa.array([r.get("updated") for r in rows], pa.string()), batch.column("file_seq"),
                 batch.column("source"), batch.column("file"), batch.column("line")]
        yield from pa.Table.from_arrays([*docs.columns, *extra],
                                        names=[*docs.column_names, "all_keys", "cited_by_year", "updated", "file_seq",
                                               "source", "file", "line"]).to_batches()


def _citations(rows: list[dict]) -> pa.Array:
    """The rows' citations by year (``document_citations.cited_by_year``, None where the source has none)."""
    return pa.array([sorted(r["cited_by_year"].items()) if r.get("cited_by_year") else None for r in rows], _CITES)


def _resolve_shared(rows: list[dict], merges: list[tuple[str, str]] = ()) -> tuple[list[dict], list[tuple], list[tuple]]:
    """Driver side: shared records in (file_seq, line) order → (documents rows, key rows, provenance rows),
    through the embedded engine's `resolve_batch`, file by file; then the OpenAlex `merges` folded in
    (`sources.merges.fold_merges`, as the embedded ingest does after its records)."""
    index = IdentityIndex(lambda keys, docs: [])  # everything earlier is in the index already
    docs: dict[str, dict] = {}
    key_rows, prov_rows = [], []
    by_file: dict[int, list[dict]] = {}
    for r in rows:
        by_file.setdefault(r["file_seq"], []).append(r)
    for seq in sorted(by_file):
        items = [Prepared(r["line"], pickle.loads(r["row"]), list(r["keys"] or []), r["tkey"]) for r in by_file[seq]]
        file, source = by_file[seq][0]["file"], by_file[seq][0]["source"]
        res = resolve_batch(index, items, set(), lambda ids: {i: docs[i] for i in ids if i in docs})
        for _, row in res.documents:
            docs[row["doc_id"]] = row
        key_rows += [(key, doc_id, seq, line, pos) for line, pos, key, doc_id in res.keys]
        prov_rows += [(doc_id, source, file, line) for line, doc_id in res.provenance]
    fold = fold_merges(list(merges), {k: index.doc_of[k] for k in merge_keys(list(merges)) if k in index.doc_of}, docs)
    if fold:
        for gone in fold.gone:
            del docs[gone]
        docs.update(fold.rows)
        key_rows = [(k, fold.gone.get(d, d), *rest) for k, d, *rest in key_rows]
        key_rows += [(key, doc_id, _AFTER_FILES, 0, pos) for pos, (key, doc_id) in enumerate(fold.keys)]
        prov_rows = [(fold.gone.get(d, d), *rest) for d, *rest in prov_rows]
    return list(docs.values()), key_rows, prov_rows


def resolve_documents(spark, data: DataDir, merges: list[tuple[str, str]] = ()) -> dict:
    """Write ``documents``, ``document_citations``, ``document_versions``, ``document_keys``, ``provenance`` and
    ``rejects`` under `data` from ``parsed``;
    return ``{"records", "documents", "shared", "rejects"}`` counts."""
    from pyspark.sql import functions as F

    parsed = spark.read.parquet(data.path("parsed"))
    records = parsed.where(~F.col("reject"))
    exploded = records.select("file_seq", "line", F.explode(F.concat(
        F.coalesce("keys", F.array().cast("array<string>")),
        F.when(F.col("tkey").isNotNull(), F.array("tkey")).otherwise(F.array().cast("array<string>")))).alias("key"))
    merge_held = F.col("key").isin(merge_keys(list(merges))) if merges else F.lit(False)
    shared_keys = exploded.groupBy("key").agg(F.count("*").alias("n"), F.max(merge_held).alias("merged")).where(
        "n > 1 OR merged").select("key")  # records of merged OpenAlex works are resolved on the driver too
    shared_lines = exploded.join(shared_keys, "key").select("file_seq", "line").distinct().cache()
    own = records.join(shared_lines, ["file_seq", "line"], "left_anti")
    shared = records.join(shared_lines, ["file_seq", "line"], "left_semi").orderBy("file_seq", "line")
    shared_rows = shared.select("file_seq", "file", "source", "line", "keys", "tkey", "row").toArrow().to_pylist()
    docs, key_rows, prov_rows = _resolve_shared(shared_rows, merges)

    own_rows = own.select("keys", "tkey", "row", "file_seq", "source", "file", "line").mapInArrow(
        _own_documents, DOCUMENTS_DDL + ", all_keys array<string>, cited_by_year map<int,int>, updated string, "
                                        "file_seq int, source string, file string, line long")
    own_rows.write.mode("overwrite").parquet(data.path("own"))  # computed once, read three times
    own_rows = spark.read.parquet(data.path("own"))
    shared_docs = spark.createDataFrame(rows_to_arrow(docs) if docs else DOC_SCHEMA.empty_table(), DOCUMENTS_DDL)
    own_rows.select(*DOC_SCHEMA.names).unionByName(shared_docs).write.mode("overwrite").parquet(data.path("documents"))

    shared_cites = spark.createDataFrame(citation_rows(docs), "doc_id string, cited_by_year map<int,int>")
    (own_rows.where(F.col("cited_by_year").isNotNull()).select("doc_id", "cited_by_year").unionByName(shared_cites)
     .write.mode("overwrite").parquet(data.path("document_citations")))
    shared_versions = spark.createDataFrame(version_rows(docs), "doc_id string, updated string")
    (own_rows.where(F.col("updated").isNotNull()).select("doc_id", "updated").unionByName(shared_versions)
     .write.mode("overwrite").parquet(data.path("document_versions")))

    own_keys = own_rows.select(F.posexplode("all_keys").alias("pos", "key"), "doc_id", "file_seq", "line").select(
        "key", "doc_id", "file_seq", "line", F.col("pos").cast("int").alias("pos"))
    shared_keys_df = spark.createDataFrame(pa.Table.from_pylist(
        [dict(zip(_KEYS.names, r)) for r in key_rows], schema=_KEYS), _ddl(_KEYS))
    own_keys.unionByName(shared_keys_df).write.mode("overwrite").parquet(data.path("document_keys"))

    shared_prov = spark.createDataFrame(pa.Table.from_pylist([dict(zip(_PROV.names, r)) for r in prov_rows],
                                                             schema=_PROV), _ddl(_PROV))
    own_rows.select(*_PROV.names).unionByName(shared_prov).write.mode("overwrite").parquet(data.path("provenance"))

    rejects = (parsed.where(F.col("reject")).dropDuplicates(["file", "line"])
               .select("file", "line", "reason", F.substring("raw", 1, 4096).alias("raw"),
                       F.length(F.encode(F.coalesce("raw", F.lit("")), "UTF-8")).cast("long").alias("raw_bytes")))
    rejects.write.mode("overwrite").parquet(data.path("rejects"))
    n_own = spark.read.parquet(data.path("own")).count()
    counts = {"records": n_own + len(shared_rows), "documents": n_own + len(docs), "shared": len(shared_rows),
              "rejects": spark.read.parquet(data.path("rejects")).count()}
    log.info("spark identity: %s", counts)
    return counts


def _ddl(schema: pa.Schema) -> str:
    kinds = {pa.string(): "string", pa.int32(): "int", pa.int64(): "long"}
    return ", ".join(f"{f.name} {kinds[f.type]}" for f in schema)
