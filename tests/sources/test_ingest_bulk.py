"""The bulk (DuckDB) path of arXiv ingest against the record path: the same store, line for line, on real lines and
on every kind of odd line the SQL must either reproduce exactly or hand back to the record path."""
from __future__ import annotations

import gzip

import orjson
import pytest

from frontierwatch.settings import Settings
from frontierwatch.sources import ingest
from frontierwatch.store import Store


def _state(store: Store) -> dict:
    """Everything a run leaves, in table order too (the order rows were written), minus run bookkeeping."""
    q = store.con.execute
    return {
        "documents": q("SELECT * FROM documents ORDER BY doc_id").fetchall(),
        "written": [r[0] for r in q("SELECT doc_id FROM documents").fetchall()],
        "keys": q("SELECT * FROM document_keys ORDER BY key").fetchall(),
        "keys_written": q("SELECT key FROM document_keys").fetchall(),
        "provenance": q("SELECT doc_id, source, file, line FROM provenance ORDER BY file, line").fetchall(),
        "rejects": q("SELECT file, line, reason, raw, raw_bytes FROM rejects ORDER BY file, line").fetchall(),
        "files": q("SELECT file, fingerprint, source, records_done, complete FROM ingest_files ORDER BY file").fetchall(),
    }


def _both(tmp_path, runs, **settings) -> tuple[dict, dict, list, list]:
    """Run the same ingests (lists of paths) into two fresh stores, bulk and record by record."""
    out = []
    for bulk in (True, False):
        with Store(tmp_path / f"store-{bulk}") as store:
            summaries = [ingest(store, paths, settings=Settings(ingest_bulk=bulk, **settings)).as_dict() for paths in runs]
            for s in summaries:
                s.pop("seconds"), s.pop("run_id")
            out.append((_state(store), summaries))
    (a, sa), (b, sb) = out
    return a, b, sa, sb


def _lines(arxiv_sample) -> list[bytes]:
    return gzip.open(arxiv_sample).read().splitlines()


def _odd_lines(good: list[bytes]) -> list[bytes]:
    """Real records, each changed in one way the bulk SQL must reproduce or hand over."""
    objs = [orjson.loads(g) for g in good]
    o = iter(objs)
    odd: list = []

    def edit(**changes):
        obj = dict(next(o))
        for k, v in changes.items():
            if v is KeyError:
                obj.pop(k, None)
            else:
                obj[k] = v
        odd.append(orjson.dumps(obj))

    edit(id=" arXiv:1234.5678v3 ")                       # prefix, version, spaces
    edit(id="HTTPS://arxiv.org/abs/0704.0001V2")          # upper case, capital V stays
    edit(doi="https://doi.org/10.1103/PhysRevB.1.2 10.9/x")  # prefix, upper case, two tokens
    edit(doi="   ")                                       # blank DOI
    edit(doi="doi: 10.1000/XYZ")
    edit(doi="")
    edit(doi="10.1000/\u00e9t\u00e9")                     # non-ASCII DOI
    edit(title="  Quantum\u00a0dots\tand\n wells in   the\u2009wild  ")
    edit(title="Schr\u00f6dinger cats on a cavity grid, revisited")
    edit(title="Short")                                   # too short for a title key
    edit(title="")
    edit(title=None)
    edit(title=42)
    edit(abstract="  line one\n  line two\u3000and\u2028three  ")
    edit(abstract="")
    edit(abstract=7)
    edit(categories="cs.LG  cs.AI cs.LG\tstat.ML ")
    edit(categories=["cs.LG"])
    edit(categories=None)
    edit(authors_parsed=[["Doe", "Jane", ""], [], ["Solo"], [None, "X"], [" Padded ", " Name "], ["", ""]])
    edit(authors_parsed=[], authors="A. One, B. Two and C. Three")
    edit(authors_parsed=[["Doe", 3]])
    edit(versions=[])
    edit(versions=[{"version": "v1", "created": "2019-01-01"}])
    edit(versions=[{"version": "v1", "created": "Sat, 30 Feb 2019 00:00:00 GMT"}])
    edit(versions=[{"created": "Mon, 07 Jan 2019 00:00:00 GMT", "version": "v1"}])
    edit(versions=[{"version": "v1"}, {"version": "v2", "created": "Mon, 07 Jan 2019 00:00:00 GMT"}])
    edit(versions=None)
    edit(**{"journal-ref": "Phys. Rev. B 1, 2 (2019)"})
    edit(**{"journal-ref": ""})
    edit(comments=None, extra="unknown key")
    edit(submitter=KeyError)
    edit(id=KeyError)
    edit(id=123)
    base = next(o)
    odd.append(orjson.dumps(base).replace(b'"comments": null', b'"comments": NaN').replace(b'"comments":null', b'"comments":NaN'))
    odd.append(orjson.dumps(next(o))[:-1] + b',"license":1e999}')
    odd.append(orjson.dumps(next(o))[:-1] + b',}')
    dup = orjson.dumps(next(o))
    odd.append(dup[:-1] + b',"title":"A second title, which orjson keeps and DuckDB would not"}')
    ver = orjson.dumps(dict(next(o), versions=[{"version": "v1", "created": "Mon, 07 Jan 2019 00:00:00 GMT"}]))
    odd.append(ver.replace(b'"version":"v1"', b'"version":"v1","created":"Tue, 08 Jan 2019 00:00:00 GMT"'))
    odd.append(b"   ")                                    # blank: skipped, still counted as a line
    odd.append(orjson.dumps(next(o)) + b"\r")             # CRLF line
    odd.append(b"[1, 2, 3]")
    odd.append(b'{"id": "x", "title": "unterminated')
    odd.append(orjson.dumps(next(o)).replace(b'"title":"', b'"title":"\xff'))  # not UTF-8
    odd.append(orjson.dumps(dict(next(o), abstract="x" * 5000)))               # over the field limit below
    twin = next(o)                                        # the same paper twice, and a paper sharing its DOI
    odd += [orjson.dumps(twin), orjson.dumps(dict(twin, id="1999.00001", doi="10.5555/shared")),
            orjson.dumps(dict(next(o), doi="10.5555/shared"))]
    same_title = next(o)                                  # same title and year, another id: a different paper
    odd += [orjson.dumps(same_title), orjson.dumps(dict(same_title, id="1999.00002", doi=None))]
    return odd


def test_bulk_equals_record_path_on_real_lines(tmp_path, arxiv_sample):
    a, b, sa, sb = _both(tmp_path, [[arxiv_sample]], ingest_batch=300)
    assert a == b and sa == sb
    assert sa[0]["accepted"] == len(a["documents"]) > 1000


def test_bulk_equals_record_path_on_odd_lines(tmp_path, arxiv_sample):
    good = _lines(arxiv_sample)
    odd = _odd_lines(good[:200])
    mixed = [x for pair in zip(good[200:200 + len(odd)], odd) for x in pair]
    f = tmp_path / "odd.jsonl"
    f.write_bytes(b"\n".join(mixed) + b"\n\n")
    a, b, sa, sb = _both(tmp_path, [[f]], ingest_batch=17, max_field_bytes=4000)
    assert a == b and sa == sb
    reasons = " ".join(r[2] for r in a["rejects"])
    for why in ("invalid JSON", "expected a JSON object", "UTF-8", "missing title", "missing arXiv id", "limit",
                "should be a string"):
        assert why in reasons


def test_bulk_equals_record_path_when_merging_into_a_store(tmp_path, arxiv_sample):
    """A second file overlapping the first (same papers, DOIs shared) merges identically on both paths, and a
    forced re-ingest changes nothing on either."""
    good = _lines(arxiv_sample)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl.gz"
    first.write_bytes(b"\n".join(good[:600]) + b"\n")
    no_doi = [o for o in map(orjson.loads, good[500:600]) if not o["doi"]][:10]  # gain a DOI, lose nothing
    changed = [orjson.dumps(dict(o, abstract=None, doi="10.5555/later")) for o in no_doi]
    second.write_bytes(gzip.compress(b"\n".join(good[500:900] + changed) + b"\n"))
    a, b, sa, sb = _both(tmp_path, [[first], [second], [first, second]], ingest_batch=128)
    assert a == b and sa == sb
    assert sa[1]["merged"] == 100 + 10 and sa[2]["unchanged_files"] == [str(first), str(second)]


def test_truncated_gzip_is_met_the_same_way(tmp_path, arxiv_sample):
    data = arxiv_sample.read_bytes()
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 3])
    a, b, sa, sb = _both(tmp_path, [[cut]], ingest_batch=64)
    assert a == b and sa == sb and sa[0]["rejected"] == 1


@pytest.mark.parametrize("bulk", [True, False])
def test_resume_point_is_shared_by_both_paths(tmp_path, arxiv_sample, bulk):
    """A file half done by one path (its resume point stored) is finished by the other, to the same store."""
    good = _lines(arxiv_sample)[:300]
    f = tmp_path / "part.jsonl"
    f.write_bytes(b"\n".join(good) + b"\n")
    with Store(tmp_path / "ref") as ref:
        ingest(ref, [f], settings=Settings(ingest_batch=50))
        expected = _state(ref)
    with Store(tmp_path / "resumed") as store:
        ingest(store, [f], settings=Settings(ingest_batch=50, ingest_bulk=bulk))
        # roll the store back to "killed after 2 batches": what the first 100 records wrote, resume point 100
        store.con.execute("DELETE FROM provenance WHERE line > 100")
        store.con.execute("DELETE FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM provenance)")
        store.con.execute("DELETE FROM document_keys WHERE doc_id NOT IN (SELECT doc_id FROM documents)")
        store.con.execute("UPDATE ingest_files SET records_done = 100, complete = false")
        summary = ingest(store, [f], settings=Settings(ingest_batch=50, ingest_bulk=not bulk))
        assert summary.accepted == 200
        assert _state(store) | {"written": None, "keys_written": None} == expected | {"written": None, "keys_written": None}


def test_one_run_over_many_files_with_the_next_file_started_early(tmp_path, arxiv_sample, samples):
    """While the last batch of a bulk file is written the next file's pipeline already runs; a run over several
    files — sharing papers, one named twice, another format between them — leaves the record path's store."""
    good = _lines(arxiv_sample)
    parts = [tmp_path / f"part{i}.jsonl" for i in range(3)]
    for i, part in enumerate(parts):
        part.write_bytes(b"\n".join(good[i * 250:i * 250 + 400]) + b"\n")  # 150 lines shared with the next part
    pubmed = next((samples / "pubmed").glob("*.xml*"))
    run = [parts[0], parts[1], parts[1], pubmed, parts[2], parts[0]]
    a, b, sa, sb = _both(tmp_path, [run], ingest_batch=64)
    assert a == b and sa == sb
    assert sa[0]["merged"] == 300 and sa[0]["files"] == [str(p) for p in (parts[0], parts[1], pubmed, parts[2])]
    assert sa[0]["unchanged_files"] == [str(parts[1]), str(parts[0])]


def test_a_failed_run_leaves_no_pipeline_thread_running(tmp_path, arxiv_sample):
    """An error while the next file's pipeline is already started (here: in the progress callback, after the last
    batch of the first file) stops every frame and parse thread, and the store keeps the whole batches."""
    import threading

    good = _lines(arxiv_sample)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_bytes(b"\n".join(good[:300]) + b"\n")
    second.write_bytes(b"\n".join(good[300:900]) + b"\n")

    def stop_at_the_end_of_the_first(file, done):
        if file == str(first) and done == 300:
            raise RuntimeError("stopped")

    with Store(tmp_path / "store") as store:
        with pytest.raises(RuntimeError, match="stopped"):
            ingest(store, [first, second], settings=Settings(ingest_batch=100), progress=stop_at_the_end_of_the_first)
        assert not [t.name for t in threading.enumerate() if t.name.startswith(("frame ", "parse "))]
        assert store.con.execute("SELECT count(*) FROM provenance").fetchall()[0][0] == 300
        assert ingest(store, [first, second], settings=Settings(ingest_batch=100)).accepted == 600
