"""The sources stage runner: read files, validate, de-duplicate and write `documents` in resumable batches.

Each batch (records, rejects, identity keys, provenance and the file's resume point) is written in ONE transaction,
so a run killed at any moment leaves the store as it was after the last whole batch, and a rerun continues from
there and ends with exactly the store an uninterrupted run makes. Files already ingested whole with the same
fingerprint are skipped, so re-ingesting changes nothing.

Tables written (migration 0001): documents, document_keys, provenance, rejects, ingest_files, ingest_runs.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa

from frontierwatch.settings import Settings, load_settings
from frontierwatch.sources.detect import Format, plan_files
from frontierwatch.sources.record import Reject
from frontierwatch.sources.pipeline import prepared_batches
from frontierwatch.sources.prepare import Prepared, new_doc_id
from frontierwatch.sources.rows import arrow_to_rows, merge_rows, rows_to_arrow
from frontierwatch.store import Store
from frontierwatch.store.identity import scheme_of

log = logging.getLogger(__name__)
Progress = Callable[[str, int], None]  # (file, records done in this file)


@dataclass
class IngestSummary:
    """What one `ingest` run did. `accepted` new documents, `merged` records folded into existing documents,
    `unchanged` records already stored from the same file and line, `rejected` new rejects."""

    run_id: int
    accepted: int = 0
    merged: int = 0
    unchanged: int = 0
    rejected: int = 0
    files: list[str] = field(default_factory=list)
    unchanged_files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("run_id", "accepted", "merged", "unchanged", "rejected", "files",
                                              "unchanged_files", "skipped", "seconds")}


class IdentityIndex:
    """In-memory view of `document_keys` for one run: key → doc_id, and each document's strong id schemes.

    Loaded once per run (about 100 bytes per key); see `frontierwatch.store.identity` for the matching rules.
    """

    def __init__(self, store: Store):
        self.doc_of: dict[str, str] = {}
        self.schemes: dict[str, set[str]] = {}
        for key, doc_id in store.con.execute("SELECT key, doc_id FROM document_keys").fetchall():
            self._remember(key, doc_id)

    def _remember(self, key: str, doc_id: str) -> None:
        self.doc_of[key] = doc_id
        if not key.startswith("title:"):
            self.schemes.setdefault(doc_id, set()).add(scheme_of(key))

    def resolve(self, keys: list[str], tkey: str | None) -> str | None:
        """The document these keys identify, or None. A candidate is refused when the record has an id of a scheme
        the candidate already holds with another value (two arXiv papers sharing a journal DOI stay two)."""
        for key in (*keys, *([tkey] if tkey else [])):
            doc_id = self.doc_of.get(key)
            if doc_id is not None and not any(
                scheme_of(k) in self.schemes.get(doc_id, ()) and self.doc_of.get(k) != doc_id for k in keys
            ):
                return doc_id
        return None

    def add(self, doc_id: str, keys: list[str]) -> list[str]:
        """Register keys for `doc_id`; return those that are new."""
        fresh = [k for k in keys if k not in self.doc_of]
        for key in fresh:
            self._remember(key, doc_id)
        return fresh


def fingerprint(path: Path) -> str:
    st = path.stat()
    with open(path, "rb") as fh:
        head = hashlib.sha1(fh.read(65536)).hexdigest()[:16]
    return f"{st.st_size}:{st.st_mtime_ns}:{head}"


def ingest(store: Store, paths: list[Path], source: str = "auto", *, force: bool = False,
           settings: Settings | None = None, progress: Progress | None = None) -> IngestSummary:
    """Ingest files and directories into `store`; return the run summary.

    Raises `InputError` for a missing path, an unknown `source` or a named file of unknown format.
    """
    settings = settings or load_settings()
    plan, skipped = plan_files([Path(p) for p in paths], source)
    con = store.con
    run_id = con.execute("SELECT coalesce(max(run_id), 0) + 1 FROM ingest_runs").fetchone()[0]
    con.execute("INSERT INTO ingest_runs (run_id, started, status, paths, source, skipped_files) VALUES (?, ?, 'running', ?, ?, ?)",
                [run_id, datetime.now(), [str(p) for p in paths], source, [str(p) for p, _ in skipped]])
    summary = IngestSummary(run_id, skipped=[(str(p), why) for p, why in skipped])
    started = time.perf_counter()
    index = IdentityIndex(store)
    status = "failed"
    try:
        for path, fmt in plan:
            _ingest_file(store, index, path, fmt, run_id, summary, settings, force, progress)
        status = "done"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        summary.seconds = round(time.perf_counter() - started, 3)
        con.execute("UPDATE ingest_runs SET finished = ?, status = ?, accepted = ?, merged = ?, rejected = ? WHERE run_id = ?",
                    [datetime.now(), status, summary.accepted, summary.merged, summary.rejected, run_id])
        log.info("ingest run %s %s: %s accepted, %s merged, %s unchanged, %s rejected in %.1fs", run_id, status,
                 summary.accepted, summary.merged, summary.unchanged, summary.rejected, summary.seconds)
    return summary


def _ingest_file(store: Store, index: IdentityIndex, path: Path, fmt: Format, run_id: int, summary: IngestSummary,
                 settings: Settings, force: bool, progress: Progress | None) -> None:
    file = str(path)
    fp = fingerprint(path)
    state = store.con.execute("SELECT fingerprint, records_done, complete FROM ingest_files WHERE file = ?", [file]).fetchone()
    if state and state[0] == fp and state[2] and not force:
        summary.unchanged_files.append(file)
        return
    start = state[1] if state and state[0] == fp and not state[2] and not force else 0
    known_lines: set[int] = set()
    if state:
        known_lines = {r[0] for r in store.con.execute("SELECT line FROM provenance WHERE file = ? UNION SELECT line FROM rejects WHERE file = ?",
                                                        [file, file]).fetchall()}
    summary.files.append(file)
    for items, done, complete in prepared_batches(fmt, path, start, settings.ingest_batch, settings.max_field_bytes):
        _write_batch(store, index, items, file, fmt.name, fp, done, complete, run_id, summary, known_lines)
        if progress:
            progress(file, done)


def _write_batch(store: Store, index: IdentityIndex, items: list[Prepared | Reject], file: str, source: str, fp: str,
                 done: int, complete: bool, run_id: int, summary: IngestSummary, known_lines: set[int]) -> None:
    """Resolve identities for one batch and write everything it implies in one transaction."""
    rejects: list[Reject] = []
    resolved: list[tuple[Prepared, str, bool]] = []  # prepared record, doc_id, doc existed before this batch
    created: set[str] = set()
    new_keys: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, Reject):
            rejects.append(item)
            continue
        doc_id = index.resolve(item.keys, item.tkey)
        existed = doc_id is not None and doc_id not in created
        if doc_id is None:
            doc_id = new_doc_id(item.keys, item.tkey)
            created.add(doc_id)
        new_keys += [(k, doc_id) for k in index.add(doc_id, item.keys + ([item.tkey] if item.tkey else []))]
        resolved.append((item, doc_id, existed))

    con = store.con
    existing_ids = sorted({d for _, d, e in resolved if e})
    rows: dict[str, dict] = {}
    if existing_ids:
        ids_tbl = pa.table({"doc_id": existing_ids})  # noqa: F841 — read by DuckDB below
        rows = {r["doc_id"]: r for r in arrow_to_rows(
            con.sql("SELECT d.* FROM documents d JOIN ids_tbl USING (doc_id)").to_arrow_table())}
    before = {d: dict(r) for d, r in rows.items()}
    provenance = []
    first_of_new: set[str] = set()
    for rec, doc_id, existed in resolved:
        row = dict(rec.row, doc_id=doc_id)
        rows[doc_id] = merge_rows(rows[doc_id], row) if doc_id in rows else row
        if rec.line in known_lines:
            summary.unchanged += 1
            continue
        known_lines.add(rec.line)
        provenance.append((doc_id, source, file, rec.line, run_id))
        if doc_id in created and doc_id not in first_of_new:
            first_of_new.add(doc_id)
            summary.accepted += 1
        else:
            summary.merged += 1
    changed = [r for d, r in rows.items() if d not in before or before[d] != r]
    fresh_rejects = [r for r in rejects if r.line not in known_lines]
    known_lines.update(r.line for r in fresh_rejects)
    summary.rejected += len(fresh_rejects)

    con.execute("BEGIN TRANSACTION")
    try:
        if changed:
            replaced = [d for d in before if d in {r["doc_id"] for r in changed}]
            if replaced:
                gone_tbl = pa.table({"doc_id": replaced})  # noqa: F841
                con.execute("DELETE FROM documents WHERE doc_id IN (SELECT doc_id FROM gone_tbl)")
            docs_tbl = rows_to_arrow(changed)  # noqa: F841
            con.execute("INSERT INTO documents SELECT * FROM docs_tbl")
        if new_keys:
            keys_tbl = pa.table({"key": [k for k, _ in new_keys], "doc_id": [d for _, d in new_keys]})  # noqa: F841
            con.execute("INSERT INTO document_keys SELECT * FROM keys_tbl")
        if provenance:
            prov_tbl = pa.table(list(zip(*provenance)), names=["doc_id", "source", "file", "line", "run_id"])  # noqa: F841
            con.execute("INSERT INTO provenance SELECT * FROM prov_tbl")
        if fresh_rejects:
            rej_tbl = pa.table({  # noqa: F841
                "file": [r.file for r in fresh_rejects], "line": [r.line for r in fresh_rejects],
                "reason": [r.reason for r in fresh_rejects], "raw": [r.raw[:4096] for r in fresh_rejects],
                "raw_bytes": [len(r.raw.encode("utf-8", "replace")) for r in fresh_rejects],
                "run_id": [run_id] * len(fresh_rejects)})
            con.execute("INSERT INTO rejects SELECT * FROM rej_tbl")
        con.execute("INSERT OR REPLACE INTO ingest_files VALUES (?, ?, ?, ?, ?, ?)", [file, fp, source, done, complete, run_id])
        con.execute("UPDATE ingest_runs SET accepted = ?, merged = ?, rejected = ? WHERE run_id = ?",
                    [summary.accepted, summary.merged, summary.rejected, run_id])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
