"""The ingest runner on real samples: identity, idempotence, bad input, resume after kill -9."""
from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time

import orjson
import pytest

from frontierwatch.errors import InputError
from frontierwatch.settings import Settings
from frontierwatch.sources import ingest
from frontierwatch.store import Store


def _ids(path):
    return {orjson.loads(l)["id"] for l in gzip.open(path).read().splitlines() if l.strip()}


def _snapshot(store: Store) -> dict:
    """Everything a run leaves, minus the run bookkeeping that legitimately differs."""
    q = store.con.execute
    return {
        "documents": q("SELECT * FROM documents ORDER BY doc_id").fetchall(),
        "keys": q("SELECT * FROM document_keys ORDER BY key").fetchall(),
        "provenance": q("SELECT doc_id, source, file, line FROM provenance ORDER BY file, line").fetchall(),
        "rejects": q("SELECT file, line, reason, raw FROM rejects ORDER BY file, line").fetchall(),
    }


def test_one_document_per_distinct_arxiv_id(store, arxiv_sample):
    summary = ingest(store, [arxiv_sample])
    n = len(_ids(arxiv_sample))
    assert store.con.execute("SELECT count(*) FROM documents").fetchone()[0] == n
    assert summary.accepted == n and summary.rejected == 0


def test_papers_sharing_a_journal_doi_stay_distinct(store, arxiv_sample):
    ingest(store, [arxiv_sample])
    shared = store.con.execute(
        "SELECT doi, count(*) FROM documents WHERE doi IS NOT NULL GROUP BY doi HAVING count(*) > 1").fetchall()
    assert shared, "the sample holds real arXiv papers that share one DOI"


def test_reingest_changes_nothing(store, arxiv_sample):
    ingest(store, [arxiv_sample])
    before = _snapshot(store)
    again = ingest(store, [arxiv_sample])
    assert again.accepted == again.merged == again.rejected == 0 and again.unchanged_files == [str(arxiv_sample)]
    forced = ingest(store, [arxiv_sample], force=True)
    assert forced.accepted == forced.merged == 0 and forced.unchanged == sum(1 for _ in gzip.open(arxiv_sample))
    assert _snapshot(store) == before


def test_same_work_in_two_files_is_one_document_with_two_provenance_rows(store, arxiv_sample, tmp_path):
    lines = gzip.open(arxiv_sample).read().splitlines()
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_bytes(b"\n".join(lines[:30]) + b"\n")
    b.write_bytes(b"\n".join(lines[20:40]) + b"\n")
    s1 = ingest(store, [a])
    s2 = ingest(store, [b])
    assert (s1.accepted, s2.accepted, s2.merged) == (30, 10, 10)
    assert store.con.execute("SELECT count(*) FROM documents").fetchone()[0] == 40
    assert store.con.execute("SELECT count(*) FROM provenance").fetchone()[0] == 50


def test_title_and_year_match_without_conflicting_ids(store, arxiv_sample, tmp_path):
    obj = orjson.loads(gzip.open(arxiv_sample).read().splitlines()[0])
    f = tmp_path / "one.jsonl"
    f.write_bytes(orjson.dumps(obj) + b"\n")
    ingest(store, [f])
    year = store.con.execute("SELECT year FROM documents").fetchone()[0]
    export = tmp_path / "export.tsv"  # the same work from an analyst's export that carries no identifier
    export.write_text(f"Title\tYear\tAbstract\n{obj['title'].upper()}\t{year}\tfrom a spreadsheet\n", encoding="utf-8")
    summary = ingest(store, [export], source="table")
    assert summary.merged == 1 and summary.accepted == 0
    assert store.con.execute("SELECT count(*), max(len(sources)) FROM documents").fetchone() == (1, 2)
    other = dict(obj, id="9999.99999")  # same title and year but another arXiv id: a different paper
    g = tmp_path / "other.jsonl"
    g.write_bytes(orjson.dumps(other) + b"\n")
    ingest(store, [g])
    assert store.con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2


def test_bad_input_keeps_every_good_record(store, arxiv_sample, tmp_path):
    good = gzip.open(arxiv_sample).read().splitlines()[:40]
    huge = orjson.loads(good[5])
    huge["abstract"] = "x" * (10 * 1024 * 1024)
    no_title = dict(orjson.loads(good[6]), title="  ")
    no_id = dict(orjson.loads(good[7]))
    del no_id["id"]
    lines = list(good)
    lines[5], lines[6], lines[7] = orjson.dumps(huge), orjson.dumps(no_title), orjson.dumps(no_id)
    lines[8] = b'{"id": "x", "title": "unterminated'
    lines[9] = lines[9].replace(b'"title": "', b'"title": "\xff')
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\n".join(lines) + b"\n")
    summary = ingest(store, [bad], settings=Settings(ingest_batch=7))
    reasons = dict(store.con.execute("SELECT line, reason FROM rejects").fetchall())
    assert set(reasons) == {6, 7, 8, 9, 10}
    assert "10,485,7" in reasons[6] and "limit" in reasons[6]
    assert "missing title" in reasons[7] and "missing arXiv id" in reasons[8]
    assert "invalid JSON" in reasons[9] and "UTF-8" in reasons[10]
    assert summary.rejected == 5 and summary.accepted == 35
    assert store.con.execute("SELECT count(*) FROM documents").fetchone()[0] == 35
    raw_len = store.con.execute("SELECT max(length(raw)) FROM rejects").fetchone()[0]
    assert raw_len <= 4096
    ingest(store, [bad], force=True)  # rerun: no duplicate rejects
    assert store.con.execute("SELECT count(*) FROM rejects").fetchone()[0] == 5


def test_truncated_gzip_keeps_records_before_the_break(store, arxiv_sample, tmp_path):
    data = arxiv_sample.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    summary = ingest(store, [cut])
    n = store.con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert 500 < n < 1500 and summary.rejected == 1
    line, reason = store.con.execute("SELECT line, reason FROM rejects").fetchone()
    assert "truncated" in reason and line == n + 1


def test_directory_walk_skips_non_data_and_unknown_file_is_an_error(store, arxiv_sample, tmp_path):
    d = tmp_path / "drop"
    d.mkdir()
    (d / "README.md").write_text("# notes\n")
    (d / "LICENSE").write_text("CC0\n")
    (d / "papers.jsonl.gz").write_bytes(arxiv_sample.read_bytes())
    summary = ingest(store, [d])
    assert {p.rsplit("/", 1)[-1] for p, _ in summary.skipped} == {"README.md", "LICENSE"}
    assert summary.accepted == len(_ids(arxiv_sample))
    with pytest.raises(InputError, match="unrecognised format"):
        ingest(store, [d / "README.md"])
    with pytest.raises(InputError, match="unknown source"):
        ingest(store, [d], source="nonsense")


def _run_cli(args, env):
    return subprocess.Popen([sys.executable, "-m", "frontierwatch.cli", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_kill_9_then_rerun_equals_an_uninterrupted_run(tmp_path, arxiv_sample):
    """Kill the ingest at several moments; each rerun must end with exactly the uninterrupted store."""
    bad = tmp_path / "input.jsonl"
    lines = gzip.open(arxiv_sample).read().splitlines()
    lines[100] = b"{broken"
    bad.write_bytes(b"\n".join(lines) + b"\n")
    env = dict(os.environ, FRONTIERWATCH_INGEST_BATCH="40")
    ref = tmp_path / "ref"
    assert _run_cli(["ingest", str(bad), "--store", str(ref)], env).wait() == 0
    with Store(ref) as s:
        expected = _snapshot(s)
    killed_mid_run = 0
    for i, delay in enumerate((0.4, 0.8, 1.2, 1.8)):
        target = tmp_path / f"k{i}"
        proc = _run_cli(["ingest", str(bad), "--store", str(target)], env)
        time.sleep(delay)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed_mid_run += 1
        assert _run_cli(["ingest", str(bad), "--store", str(target)], env).wait() == 0
        with Store(target) as s:
            assert _snapshot(s) == expected
    assert killed_mid_run >= 1, "no run was killed mid-way; the sample is too small for this machine"
