"""SQL of the sources stage over its own tables: documents, document_keys, provenance, rejects, ingest_files and
ingest_runs (migration 0001), the bulk parse of JSON lines (`frontierwatch.sources.arxiv_bulk`, on a cursor of its
own: `parse_cursor`) and the PatentsView side tables' scratch database (`PatentsViewLookups`).

Every statement the ingest runs is here, so the runner and the resolution stay free of SQL. A batch is written
by `write_batch` in ONE transaction: the new and changed documents, their keys, provenance, rejects, the file's
resume point and the run's counts.
"""
from __future__ import annotations

import contextlib
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from frontierwatch.sources.record import Reject
from frontierwatch.sources.resolve import Resolution
from frontierwatch.sources.rows import (DOC_COLUMNS, DOC_SCHEMA, arrow_to_rows, citation_rows, rows_to_arrow,
                                       version_rows)
from frontierwatch.store import Store

log = logging.getLogger(__name__)

PARSED = "fw_ingest_parsed"  # the bulk parser's output for one batch (`parsed_batch`)
NEW = f"SELECT * FROM {PARSED} WHERE fast AND line NOT IN (SELECT line FROM fw_ingest_aside)"  # plainly new documents
_COLS = ", ".join(DOC_COLUMNS)


def _do(con, sql: str, params: list | None = None) -> None:
    """Run a statement to completion (DuckDB refuses to register a table while a result is pending)."""
    con.execute(sql, params).fetchall()


@contextlib.contextmanager
def _registered(con, **tables: pa.Table) -> Iterator[None]:
    """`tables` visible to the connection's SQL by name for the duration of the block."""
    con.complete()  # an unread result (someone's fetchone) would block registering
    for name, table in tables.items():
        con.register(name, table)
    try:
        yield
    finally:
        con.complete()
        for name in tables:
            con.unregister(name)


CHECKPOINT_EVERY = "256MB"  # of write-ahead log, during an ingest run


@contextlib.contextmanager
def batch_writing(store: Store) -> Iterator[None]:
    """A run of batch transactions: DuckDB checkpoints whenever 16 MiB of log have gathered, rewriting the growing
    tables and their keys' indexes each time (a third of the ingest time on the shared corpus). Checkpoint every
    `CHECKPOINT_EVERY` instead — a few times a run, while the bulk path's parser works on the next batch — and once
    at the end. Each batch still commits to the log, so a killed run keeps every whole batch."""
    con = store.con
    before = con.execute("SELECT current_setting('checkpoint_threshold')").fetchall()[0][0]
    _do(con, f"SET checkpoint_threshold = '{CHECKPOINT_EVERY}'")
    try:
        yield
    finally:
        _do(con, f"SET checkpoint_threshold = '{before}'")
        _do(con, "CHECKPOINT")


# -- runs and files ------------------------------------------------------------------------------------------
def start_run(store: Store, paths: list[str], source: str, skipped: list[str]) -> int:
    con = store.con
    run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM ingest_runs").fetchall()[0][0]
    _do(con, "INSERT INTO ingest_runs (run_id, started, status, paths, source, skipped_files) VALUES (?, ?, 'running', ?, ?, ?)",
                [run_id, datetime.now(), paths, source, skipped])
    return run_id


def finish_run(store: Store, run_id: int, status: str, accepted: int, merged: int, rejected: int) -> None:
    _do(store.con, "UPDATE ingest_runs SET finished = ?, status = ?, accepted = ?, merged = ?, rejected = ? WHERE run_id = ?",
                      [datetime.now(), status, accepted, merged, rejected, run_id])


def file_state(store: Store, file: str) -> tuple[str, int, bool] | None:
    """(fingerprint, records_done, complete) of a file met before, else None."""
    rows = store.con.execute("SELECT fingerprint, records_done, complete FROM ingest_files WHERE file = ?",
                             [file]).fetchall()
    return rows[0] if rows else None


def known_lines(store: Store, file: str) -> set[int]:
    """Lines of `file` already stored as provenance or rejects."""
    return {r[0] for r in store.con.execute(
        "SELECT line FROM provenance WHERE file = ? UNION SELECT line FROM rejects WHERE file = ?", [file, file]).fetchall()}


# -- identity ------------------------------------------------------------------------------------------------
def read_keys(store: Store, keys: list[str], doc_ids: list[str]) -> list[tuple[str, str]]:
    """Stored (key, doc_id) rows whose key is in `keys` or whose document is in `doc_ids`."""
    con = store.con
    with _registered(con, fw_keys_wanted=pa.table({"key": pa.array(keys, pa.string())}),
                     fw_docs_wanted=pa.table({"doc_id": pa.array(doc_ids, pa.string())})):
        return con.execute("SELECT key, doc_id FROM document_keys WHERE key IN (SELECT key FROM fw_keys_wanted) "
                           "OR doc_id IN (SELECT doc_id FROM fw_docs_wanted)").fetchall()


def fetch_documents(store: Store, doc_ids: list[str]) -> dict[str, dict]:
    """The stored rows of `doc_ids`, as dicts keyed by doc_id."""
    con = store.con
    with _registered(con, fw_docs_wanted=pa.table({"doc_id": pa.array(doc_ids, pa.string())})):
        table = con.sql("SELECT d.* FROM documents d JOIN fw_docs_wanted USING (doc_id)").to_arrow_table()
        cites = con.sql("SELECT c.doc_id, c.cited_by_year FROM document_citations c "
                        "JOIN fw_docs_wanted USING (doc_id)").fetchall()
        versions = con.sql("SELECT v.doc_id, v.updated FROM document_versions v "
                           "JOIN fw_docs_wanted USING (doc_id)").fetchall()
    rows = {r["doc_id"]: dict(r, updated=None) for r in arrow_to_rows(table)}
    for doc_id, by_year in cites:   # citations by year live beside the document (migration 0013)
        rows[doc_id]["cited_by_year"] = dict(by_year)
    for doc_id, updated in versions:  # so does the version of its OpenAlex work (migration 0044)
        rows[doc_id]["updated"] = updated
    return rows


# -- the bulk path -------------------------------------------------------------------------------------------
def parse_cursor(store: Store):
    """A cursor of its own on the store for the bulk parser's thread (the caller closes it), so parsing the next
    batch runs beside the writing of the previous one."""
    return store.con.cursor()


def parse_bulk(cursor, lines: pa.Table, select_sql) -> pa.Table:
    """`lines` (line, text) parsed by `select_sql(source)` on `cursor` (a cursor of the store's connection, so the
    parse can run in another thread beside the writer): the parser's output table."""
    with _registered(cursor, fw_ingest_lines=lines):
        return cursor.sql(select_sql("fw_ingest_lines")).to_arrow_table()


@contextlib.contextmanager
def parsed_batch(store: Store, parsed: pa.Table) -> Iterator[None]:
    """`parsed` (the bulk parser's output) visible as `PARSED` while its batch is set aside and written."""
    with _registered(store.con, **{PARSED: parsed}):
        yield


def set_aside(store: Store, other_keys: list[str], known: set[int]) -> list[dict]:
    """Take out of the bulk rows those that are not plainly new — a key (strong or title) stored already, held by
    another record of the batch or in `other_keys` (the batch's record-by-record part), or a line in `known` — and
    return them as `documents` rows with ``line``, ``keys`` and ``tkey``, for identity resolution in file order.
    The rest (`NEW`) are new documents that touch nothing else."""
    con = store.con
    with _registered(con, fw_other_keys=pa.table({"key": pa.array(other_keys, pa.string())}),
                     fw_known_lines=pa.table({"line": pa.array(sorted(known), pa.int64())})):
        _do(con, f"""
            CREATE OR REPLACE TEMP TABLE fw_ingest_aside AS
            WITH mine AS (SELECT line, unnest(CASE WHEN tkey IS NULL THEN keys ELSE list_append(keys, tkey) END) AS key
                          FROM {PARSED} WHERE fast),
                 every AS (SELECT key FROM mine UNION ALL SELECT key FROM fw_other_keys),
                 shared AS (SELECT key FROM every GROUP BY key HAVING count(*) > 1)
            SELECT DISTINCT line FROM mine WHERE key IN (SELECT key FROM shared)
                                            OR key IN (SELECT key FROM document_keys)
            UNION SELECT line FROM {PARSED} WHERE fast AND line IN (SELECT line FROM fw_known_lines)""")
        rows = con.sql(f"SELECT line, keys, tkey, {_COLS} FROM {PARSED} WHERE line IN (SELECT line FROM fw_ingest_aside) "
                       "ORDER BY line").to_arrow_table()
    return arrow_to_rows(rows)


# -- the batch transaction -----------------------------------------------------------------------------------
@dataclass
class BatchWrite:
    """Everything one batch writes. ``bulk``: whether `PARSED` holds new documents (``fast`` rows) to add."""

    file: str
    source: str
    fingerprint: str
    done: int
    complete: bool
    run_id: int
    resolution: Resolution
    bulk: bool
    counts: tuple[int, int, int]  # the run's accepted, merged, rejected after this batch


def _rejects_table(rejects: list[Reject], run_id: int) -> pa.Table:
    return pa.table({
        "file": pa.array([r.file for r in rejects], pa.string()), "line": pa.array([r.line for r in rejects], pa.int64()),
        "reason": pa.array([r.reason for r in rejects], pa.string()),
        "raw": pa.array([r.raw[:4096] for r in rejects], pa.string()),
        "raw_bytes": pa.array([len(r.raw.encode("utf-8", "replace")) for r in rejects], pa.int64()),
        "run_id": pa.array([run_id] * len(rejects), pa.int32())})


def write_batch(store: Store, w: BatchWrite) -> None:
    """Write one batch in one transaction (see the module docstring)."""
    con, res = store.con, w.resolution
    docs = rows_to_arrow([row for _, row in res.documents]).append_column(
        "_ord", pa.array([o for o, _ in res.documents], pa.float64()))
    keys = pa.table({"line": pa.array([k[0] for k in res.keys], pa.int64()),
                     "pos": pa.array([k[1] for k in res.keys], pa.int64()),
                     "key": pa.array([k[2] for k in res.keys], pa.string()),
                     "doc_id": pa.array([k[3] for k in res.keys], pa.string())})
    prov = pa.table({"line": pa.array([p[0] for p in res.provenance], pa.int64()),
                     "doc_id": pa.array([p[1] for p in res.provenance], pa.string())})
    tables = {"fw_docs": docs, "fw_keys": keys, "fw_prov": prov, "fw_gone": pa.table({"doc_id": pa.array(res.replaced, pa.string())}),
              "fw_rejects": _rejects_table(res.rejects, w.run_id),
              "fw_cites": citation_rows([row for _, row in res.documents]),
              "fw_versions": version_rows([row for _, row in res.documents])}
    fast = NEW
    docs_sql = f"SELECT {_COLS}, _ord FROM fw_docs"
    keys_sql = "SELECT line, pos, key, doc_id FROM fw_keys"
    prov_sql = "SELECT line, doc_id FROM fw_prov"
    if w.bulk:  # the new documents of the bulk rows, each with all its keys, in line order with the others
        docs_sql += f" UNION ALL SELECT {_COLS}, line::DOUBLE FROM ({fast})"
        keys_sql += (" UNION ALL SELECT line, generate_subscripts(k, 1) - 1, unnest(k), doc_id FROM (SELECT line, doc_id, "
                     f"CASE WHEN tkey IS NULL THEN keys ELSE list_append(keys, tkey) END AS k FROM ({fast}))")
        prov_sql += f" UNION ALL SELECT line, doc_id FROM ({fast})"
    with _registered(con, **tables):
        _transaction(con, w, res, docs_sql, keys_sql, prov_sql)


def _transaction(con, w: BatchWrite, res: Resolution, docs_sql: str, keys_sql: str, prov_sql: str) -> None:
    _do(con, "BEGIN TRANSACTION")
    try:
        if res.replaced:
            _do(con, "DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM fw_gone)")
        _do(con, f"INSERT INTO documents ({_COLS}) SELECT {_COLS} FROM ({docs_sql}) ORDER BY _ord")
        if res.replaced:
            _do(con, "DELETE FROM document_citations WHERE doc_id IN (SELECT doc_id FROM fw_gone)")
        _do(con, "INSERT OR REPLACE INTO document_citations SELECT doc_id, cited_by_year FROM fw_cites")
        if res.replaced:
            _do(con, "DELETE FROM document_versions WHERE doc_id IN (SELECT doc_id FROM fw_gone)")
        _do(con, "INSERT OR REPLACE INTO document_versions SELECT doc_id, updated FROM fw_versions")
        _do(con, f"INSERT INTO document_keys (key, doc_id) SELECT key, doc_id FROM ({keys_sql}) ORDER BY line, pos")
        _do(con, f"INSERT INTO provenance (doc_id, source, file, line, run_id) SELECT doc_id, ?, ?, line, ? FROM ({prov_sql}) ORDER BY line",
                    [w.source, w.file, w.run_id])
        if res.rejects:
            _do(con, "INSERT INTO rejects (file, line, reason, raw, raw_bytes, run_id) SELECT * FROM fw_rejects")
        _do(con, "INSERT OR REPLACE INTO ingest_files VALUES (?, ?, ?, ?, ?, ?)",
                    [w.file, w.fingerprint, w.source, w.done, w.complete, w.run_id])
        _do(con, "UPDATE ingest_runs SET accepted = ?, merged = ?, rejected = ? WHERE run_id = ?", [*w.counts, w.run_id])
        _do(con, "COMMIT")
    except BaseException:
        _do(con, "ROLLBACK")
        raise


def count_fast(store: Store) -> int:
    return store.con.execute(f"SELECT count(*) FROM ({NEW})").fetchall()[0][0]


__all__ = ["BatchWrite", "DOC_SCHEMA", "NEW", "PARSED", "batch_writing", "count_fast", "fetch_documents", "file_state", "finish_run",
           "known_lines", "parse_bulk", "parsed_batch", "read_keys", "set_aside", "start_run", "write_batch"]


# -- the PatentsView side tables, in a scratch database of their own (`sources.patentsview`) ----------------------
class PatentsViewLookups:
    """The non-patent PatentsView tables (`sources.patentsview`) in a scratch DuckDB database of their own (it spills
    to disk, so national dumps fit), queried per batch of patent ids. ``tables``: ``{kind: (path, delimiter)}``."""

    def __init__(self, tables: dict[str, tuple[Path, str]], scratch: Path):
        import duckdb

        self.con = duckdb.connect(str(scratch / "patentsview.duckdb"))
        self.con.execute(f"SET temp_directory = '{scratch}'")
        self.kinds = set()
        for kind, (path, delimiter) in tables.items():
            self._load(kind, path, delimiter, scratch)

    def _load(self, kind: str, path: Path, delimiter: str, scratch: Path) -> None:
        source = path
        if zipfile.is_zipfile(path):  # DuckDB reads plain and gzip files itself; a zip member is unpacked first
            with zipfile.ZipFile(path) as archive:
                member = next(n for n in archive.namelist() if not n.endswith("/"))
                source = Path(archive.extract(member, scratch))
        self.con.execute(
            f"CREATE TABLE {kind} AS SELECT * FROM read_csv(?, header = true, all_varchar = true, delim = ?, "
            f"quote = '\"', escape = '\"', ignore_errors = true, store_rejects = true, "
            f"rejects_table = '{kind}_rejects', rejects_scan = '{kind}_scan', max_line_size = 100000000)",
            [str(source), delimiter])
        bad = self.con.execute(f"SELECT count(*), min(line) FROM {kind}_rejects").fetchone()
        if bad[0]:
            log.warning("%s: %d malformed rows skipped (first at line %s) / %s：跳过 %d 行格式错误（首个在第 %s 行）",
                        path, bad[0], bad[1], path, bad[0], bad[1])
        self.kinds.add(kind)
        log.info("patentsview %s table %s: %d rows", kind, path, self.con.execute(f"SELECT count(*) FROM {kind}").fetchone()[0])

    def fetch(self, ids: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {i: {} for i in ids}
        queries = {
            "abstract": "SELECT patent_id, any_value(patent_abstract) FROM abstract WHERE patent_id IN (@ids) GROUP BY 1",
            "cpc": "SELECT patent_id, list(cpc_group ORDER BY try_cast(cpc_sequence AS INT)) FROM cpc "
                   "WHERE patent_id IN (@ids) GROUP BY 1",
            "inventor": "SELECT patent_id, list(trim(concat_ws(' ', disambig_inventor_name_first, "
                        "disambig_inventor_name_last)) ORDER BY try_cast(inventor_sequence AS INT)) FROM inventor "
                        "WHERE patent_id IN (@ids) GROUP BY 1",
            "assignee": "SELECT a.patent_id, list({'org': a.disambig_assignee_organization, "
                        "'first': a.disambig_assignee_individual_name_first, "
                        "'last': a.disambig_assignee_individual_name_last, 'type': a.assignee_type, "
                        "'country': @country} ORDER BY try_cast(a.assignee_sequence AS INT)) "
                        "FROM assignee a @join WHERE a.patent_id IN (@ids) GROUP BY 1",
        }
        located = "location" in self.kinds
        queries["assignee"] = queries["assignee"].replace(
            "@country", "l.disambig_country" if located else "NULL").replace(
            "@join", "LEFT JOIN (SELECT location_id, any_value(disambig_country) AS disambig_country FROM location "
                     "GROUP BY 1) l USING (location_id)" if located else "")
        marks = ", ".join("?" for _ in ids)
        for kind, sql in queries.items():
            if kind in self.kinds:
                for pid, value in self.con.execute(sql.replace("@ids", marks), ids).fetchall():
                    out[pid][kind] = value
        return out

    def close(self) -> None:
        self.con.close()


# -- OpenAlex merged works (migration 0044) ----------------------------------------------------------------------
def record_merges(store: Store, merges: list[tuple]) -> int:
    """Keep the rows (merged id, surviving id, merge date, file) of ``merged_ids/works`` tables; returns how many."""
    if merges:
        store.tables.upsert("openalex_merges", pa.table({
            "merged_id": pa.array([m[0] for m in merges], pa.string()), "kept_id": pa.array([m[1] for m in merges], pa.string()),
            "merge_date": pa.array([m[2] for m in merges], pa.date32()), "file": pa.array([m[3] for m in merges], pa.string())}),
            ["merged_id"])
    return len(merges)


def read_merges(store: Store) -> list[tuple[str, str]]:
    """Every kept (merged id, surviving id) pair, in the order OpenAlex merged them."""
    return [tuple(r) for r in store.tables.sql(
        "SELECT merged_id, kept_id FROM openalex_merges ORDER BY merge_date NULLS LAST, file, merged_id").rows()]


def apply_openalex_merges(store: Store) -> int:
    """Apply every kept merge table to the stored documents (`frontierwatch.sources.merges`) in one transaction;
    returns how many documents were folded into another."""
    from frontierwatch.sources.merges import fold_merges, merge_keys

    pairs = read_merges(store)
    if not pairs:
        return 0
    doc_of = dict(read_keys(store, merge_keys(pairs), []))
    fold = fold_merges(pairs, doc_of, fetch_documents(store, sorted(set(doc_of.values()))))
    if not fold:
        return 0
    con = store.con
    changed = list(fold.rows.values())
    gone = pa.table({"doc_id": pa.array(list(fold.gone), pa.string()), "into": pa.array(list(fold.gone.values()), pa.string())})
    tables = {"fw_docs": rows_to_arrow(changed), "fw_cites": citation_rows(changed), "fw_versions": version_rows(changed),
              "fw_gone": gone, "fw_new_keys": pa.table({"key": pa.array([k for k, _ in fold.keys], pa.string()),
                                                        "doc_id": pa.array([d for _, d in fold.keys], pa.string())}),
              "fw_drop": pa.table({"doc_id": pa.array(sorted({*fold.gone, *fold.rows}), pa.string())})}
    with _registered(con, **tables):
        _do(con, "BEGIN TRANSACTION")
        try:
            for table in ("documents", "document_citations", "document_versions"):
                _do(con, f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM fw_drop)")
            _do(con, "DELETE FROM embeddings WHERE doc_id IN (SELECT doc_id FROM fw_gone)")
            _do(con, f"INSERT INTO documents ({_COLS}) SELECT {_COLS} FROM fw_docs")
            _do(con, "INSERT INTO document_citations SELECT doc_id, cited_by_year FROM fw_cites")
            _do(con, "INSERT INTO document_versions SELECT doc_id, updated FROM fw_versions")
            for table in ("document_keys", "provenance"):
                _do(con, f"UPDATE {table} SET doc_id = g.into FROM fw_gone g WHERE {table}.doc_id = g.doc_id")
            _do(con, "INSERT INTO document_keys (key, doc_id) SELECT key, doc_id FROM fw_new_keys")
            _do(con, "COMMIT")
        except BaseException:
            _do(con, "ROLLBACK")
            raise
    log.info("openalex merges: %d documents folded, %d changed, %d keys added", len(fold.gone), len(fold.rows),
             len(fold.keys))
    return len(fold.gone)
