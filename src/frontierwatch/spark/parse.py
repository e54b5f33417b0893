"""Spark job: source files → the ``parsed`` Parquet dataset (one partition per file), by the very connectors and
validation the embedded ingest uses.

Each source file is one task: the executor opens it with its format's reader (`frontierwatch.sources.detect`)
and `sources.prepare.prepare` validates each record and computes its identity keys, exactly as the record path
of `frontierwatch.sources.ingest` does — so the rules (what is rejected, which keys make one work one document)
are one definition, not a port. A parsed row carries the record's ``documents`` row (pickled: dates, maps and
lists exactly as Python built them), its strong ``keys`` and title key ``tkey``; a reject carries its reason and
raw text. The dataset is partitioned by ``file_seq`` (the order the files were first given, which is the order
identity is resolved in), and a rerun re-parses only new or changed files (dynamic partition overwrite), so a
killed run resumes at file granularity.

Columns of ``parsed``: file_seq (int), file, source, line (long), reject (bool), keys (array<string>), tkey,
row (binary, a pickled dict of `sources.rows.DOC_COLUMNS` without doc_id), reason, raw.
Columns of ``files`` (the manifest): file_seq, file, source, fingerprint.
"""
from __future__ import annotations

import logging
import pickle
from pathlib import Path

import pyarrow as pa

from frontierwatch.spark.session import DataDir

log = logging.getLogger(__name__)

__all__ = ["PARSED_SCHEMA", "parse_files", "read_manifest"]

PARSED_SCHEMA = ("file_seq int, file string, source string, line long, reject boolean, keys array<string>, "
                 "tkey string, row binary, reason string, raw string")
_ARROW = pa.schema([("file_seq", pa.int32()), ("file", pa.string()), ("source", pa.string()), ("line", pa.int64()),
                    ("reject", pa.bool_()), ("keys", pa.list_(pa.string())), ("tkey", pa.string()),
                    ("row", pa.binary()), ("reason", pa.string()), ("raw", pa.string())])
_BATCH = 5000


def _parse_partition(max_bytes: int):
    """The executor side: for each (file_seq, file, source) row, read the file and yield parsed Arrow batches."""
    def run(batches):
        from frontierwatch.sources.detect import get_format
        from frontierwatch.sources.prepare import Prepared, prepare
        from frontierwatch.sources.record import Reject

        for batch in batches:
            for seq, file, source in zip(*(batch.column(i).to_pylist() for i in range(3))):
                cols = {name: [] for name in _ARROW.names}
                for item in get_format(source).read(Path(file)):
                    item = item if isinstance(item, Reject) else prepare(item, max_bytes)
                    prepared = isinstance(item, Prepared)
                    values = (seq, file, source, item.line, not prepared, item.keys if prepared else None,
                              item.tkey if prepared else None,
                              pickle.dumps(item.row, protocol=pickle.HIGHEST_PROTOCOL) if prepared else None,
                              None if prepared else item.reason, None if prepared else item.raw)
                    for name, value in zip(_ARROW.names, values):
                        cols[name].append(value)
                    if len(cols["line"]) >= _BATCH:
                        yield pa.RecordBatch.from_pydict(cols, schema=_ARROW)
                        cols = {name: [] for name in _ARROW.names}
                if cols["line"]:
                    yield pa.RecordBatch.from_pydict(cols, schema=_ARROW)
    return run


def exists(spark, path: str) -> bool:
    jvm = spark.sparkContext._jvm
    hpath = jvm.org.apache.hadoop.fs.Path(path)
    return hpath.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(hpath)


def read_manifest(spark, data: DataDir) -> pa.Table | None:
    """The ``files`` manifest (file_seq, file, source, fingerprint), or None before the first Spark ingest."""
    path = data.path("files")
    return spark.read.parquet(path).toArrow() if exists(spark, path) else None


def parse_files(spark, data: DataDir, plan: list[tuple[Path, str, str]], max_bytes: int) -> tuple[list[str], list[str]]:
    """Parse the files of `plan` (path, format name, fingerprint) that are new or changed since the manifest into
    ``parsed``; return ``(files parsed, files unchanged)``. The manifest keeps every file ever given, in order."""
    manifest = read_manifest(spark, data)
    known = {} if manifest is None else {r["file"]: r for r in manifest.to_pylist()}
    next_seq = max((r["file_seq"] for r in known.values()), default=-1) + 1
    todo, unchanged, rows = [], [], dict(known)
    for path, source, fp in plan:
        file = str(path)
        old = known.get(file)
        if old and old["fingerprint"] == fp and old["source"] == source:
            unchanged.append(file)
            continue
        seq = old["file_seq"] if old else next_seq
        next_seq += 0 if old else 1
        rows[file] = {"file_seq": seq, "file": file, "source": source, "fingerprint": fp}
        todo.append((seq, file, source))
    if todo:
        files = spark.createDataFrame(pa.table({"file_seq": pa.array([t[0] for t in todo], pa.int32()),
                                                "file": [t[1] for t in todo], "source": [t[2] for t in todo]}))
        parsed = files.repartitionByRange(len(todo), "file_seq").mapInArrow(_parse_partition(max_bytes), PARSED_SCHEMA)
        (parsed.write.mode("overwrite").option("partitionOverwriteMode", "dynamic").partitionBy("file_seq")
         .parquet(data.path("parsed")))
        table = pa.Table.from_pylist(sorted(rows.values(), key=lambda r: r["file_seq"]),
                                     schema=pa.schema([("file_seq", pa.int32()), ("file", pa.string()),
                                                       ("source", pa.string()), ("fingerprint", pa.string())]))
        spark.createDataFrame(table).coalesce(1).write.mode("overwrite").parquet(data.path("files"))
    log.info("spark parse: %d files parsed, %d unchanged", len(todo), len(unchanged))
    return [t[1] for t in todo], unchanged
