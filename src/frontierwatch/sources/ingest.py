"""The sources stage runner: read files, validate, de-duplicate and write `documents` in resumable batches.

Each batch (records, rejects, identity keys, provenance and the file's resume point) is written in ONE transaction,
so a run killed at any moment leaves the store as it was after the last whole batch, and a rerun continues from
there and ends with exactly the store an uninterrupted run makes. Files already ingested whole with the same
fingerprint are skipped, so re-ingesting changes nothing.

Two paths read a file, with one result. The *record* path parses each record in Python (in a worker process for
large files, `frontierwatch.sources.pipeline`) and resolves its identity. The *bulk* path, for JSON-lines formats
that have an SQL parser (arXiv), lets DuckDB parse a whole batch (`frontierwatch.sources.bulk`); the records it
cannot vouch for, and those whose keys meet a stored document or another record of the batch, go through the
record path's parser and resolution in file order, and the plainly new documents are written straight from the
parsed table. `Settings.ingest_bulk` turns the bulk path off; `tests/sources/test_ingest_bulk.py` holds the two
to the same store. While the last batch of a bulk file is written, the next file's bulk pipeline already runs.

OpenAlex ``merged_ids/works`` tables among the paths are kept and applied after the records
(`frontierwatch.sources.merges`); a newer copy of an OpenAlex work replaces an older one
(`frontierwatch.sources.rows.combine_rows`).

Tables written (migrations 0001, 0013, 0044): documents, document_citations, document_versions, document_keys,
provenance, rejects, ingest_files, ingest_runs, openalex_merges.
"""
from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from frontierwatch.settings import Settings, load_settings
from frontierwatch.sources import queries
from frontierwatch.sources.bulk import Ahead, aside_items, bulk_batches
from frontierwatch.sources.detect import Format, plan_files
from frontierwatch.sources.merges import read_work_merges, work_merge_files
from frontierwatch.sources.pipeline import prepared_batches
from frontierwatch.sources.prepare import Prepared
from frontierwatch.sources.resolve import IdentityIndex, resolve_batch
from frontierwatch.store import Store
from frontierwatch.timings import stage_step

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
    run_id = queries.start_run(store, [str(p) for p in paths], source, [str(p) for p, _ in skipped])
    summary = IngestSummary(run_id, skipped=[(str(p), why) for p, why in skipped])
    started = time.perf_counter()
    index = IdentityIndex(lambda keys, docs: queries.read_keys(store, keys, docs))
    status = "failed"
    try:
        with queries.batch_writing(store):
            queries.record_merges(store, read_work_merges(work_merge_files(skipped)))
            _ingest_files(store, index, plan, run_id, summary, settings, force, progress)
            if queries.read_merges(store):  # a step of its own only where merge tables were ever given
                stage_step("merged works")
                summary.merged += queries.apply_openalex_merges(store)
            stage_step("checkpoint")
        status = "done"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        summary.seconds = round(time.perf_counter() - started, 3)
        queries.finish_run(store, run_id, status, summary.accepted, summary.merged, summary.rejected)
        log.info("ingest run %s %s: %s accepted, %s merged, %s unchanged, %s rejected in %.1fs", run_id, status,
                 summary.accepted, summary.merged, summary.unchanged, summary.rejected, summary.seconds)
    return summary


@dataclass
class _FileJob:
    """A planned file opened for reading: its fingerprint, where it resumes, the lines stored from it before, and on
    the bulk path its batch pipeline, already started (`bulk.bulk_batches`)."""

    path: Path
    fmt: Format
    fingerprint: str
    unchanged: bool
    start: int = 0
    known: set[int] = field(default_factory=set)
    batches: Ahead | None = None


def _open_file(store: Store, path: Path, fmt: Format, settings: Settings, force: bool) -> _FileJob:
    file, fp = str(path), fingerprint(path)
    state = queries.file_state(store, file)
    if state and state[0] == fp and state[2] and not force:
        return _FileJob(path, fmt, fp, True)
    start = state[1] if state and state[0] == fp and not state[2] and not force else 0
    job = _FileJob(path, fmt, fp, False, start, queries.known_lines(store, file) if state else set())
    if fmt.bulk and settings.ingest_bulk:
        job.batches = bulk_batches(store, fmt, path, start, settings.ingest_batch, settings.max_field_bytes)
    return job


def _ingest_files(store: Store, index: IdentityIndex, plan: list[tuple[Path, Format]], run_id: int,
                  summary: IngestSummary, settings: Settings, force: bool, progress: Progress | None) -> None:
    """Ingest the planned files in order. While the last batch of a bulk file is written, the next file's pipeline
    (when it is a bulk file not met before in this run) is already started, so both cores keep working across
    file boundaries; it reads only that file's own state, which the current file does not change."""
    ahead: _FileJob | None = None
    seen: set[str] = set()
    try:
        for i, (path, fmt) in enumerate(plan):
            stage_step(path.name)  # each file is a step of the run's ingest stage (frontierwatch.timings)
            job, ahead = (ahead if ahead is not None and ahead.path == path else None), None
            job = job or _open_file(store, path, fmt, settings, force)
            seen.add(str(path))
            later = plan[i + 1] if i + 1 < len(plan) else None
            if later and (str(later[0]) in seen or not (later[1].bulk and settings.ingest_bulk)):
                later = None

            def start_next(later=later) -> None:
                nonlocal ahead
                if later:
                    ahead = _open_file(store, *later, settings, force)

            _ingest_file(store, index, job, run_id, summary, settings, progress, start_next)
    finally:
        if ahead is not None and ahead.batches is not None:
            ahead.batches.close()


def _ingest_file(store: Store, index: IdentityIndex, job: _FileJob, run_id: int, summary: IngestSummary,
                 settings: Settings, progress: Progress | None, start_next: Callable[[], None]) -> None:
    file, fp, fmt, known = str(job.path), job.fingerprint, job.fmt, job.known
    if job.unchanged:
        summary.unchanged_files.append(file)
        return
    summary.files.append(file)
    if job.batches is not None:
        try:
            for batch in job.batches:
                if batch.complete:
                    start_next()
                other = [k for it in batch.items if isinstance(it, Prepared) for k in (*it.keys, *([it.tkey] if it.tkey else []))]
                with queries.parsed_batch(store, batch.parsed):
                    aside = aside_items(queries.set_aside(store, other, known))
                    items = sorted([*batch.items, *aside], key=lambda it: it.line)
                    _write(store, index, items, True, file, fmt.name, fp, batch.done, batch.complete, run_id, summary, known)
                if progress:
                    progress(file, batch.done)
        finally:
            job.batches.close()
        return
    size, max_bytes = settings.ingest_batch, settings.max_field_bytes
    for items, done, complete in prepared_batches(fmt, path=job.path, start=job.start, size=size, max_bytes=max_bytes):
        _write(store, index, items, False, file, fmt.name, fp, done, complete, run_id, summary, known)
        if progress:
            progress(file, done)


def _write(store: Store, index: IdentityIndex, items: list, bulk: bool, file: str, source: str, fp: str, done: int,
           complete: bool, run_id: int, summary: IngestSummary, known: set[int]) -> None:
    """Resolve identities for one batch and write everything it implies in one transaction."""
    res = resolve_batch(index, items, known, lambda ids: queries.fetch_documents(store, ids))
    fresh = queries.count_fast(store) if bulk else 0
    summary.accepted += res.accepted + fresh
    summary.merged += res.merged
    summary.unchanged += res.unchanged
    summary.rejected += len(res.rejects)
    queries.write_batch(store, queries.BatchWrite(file, source, fp, done, complete, run_id, res, bulk,
                                                  (summary.accepted, summary.merged, summary.rejected)))
