"""OpenAlex versions and merges on real records: a newer copy of a work replaces an older one (in either order
of arrival), and a work named in a ``merged_ids/works`` table is folded into the surviving work, whether the table
comes with the works or in a later run; applying it again changes nothing."""
from __future__ import annotations

from frontierwatch.sources.ingest import ingest
from frontierwatch.sources.openalex import read_openalex

OLD = "openalex/versions/W2741809807-2023-10-22.json"   # updated_date 2023-10-22, 562 citations
NEW = "openalex/api/W2741809807.json"                    # updated_date 2025-06-11, 962 citations
MERGED = "openalex/merged"
WORKS = "openalex/merged/works"


def _doc(store, openalex_id: str) -> dict:
    from frontierwatch.sources.queries import fetch_documents
    doc_id = store.tables.read("document_keys", ["doc_id"], where={"key": f"openalex:{openalex_id}"}).column(
        "doc_id").to_pylist()[0]
    return fetch_documents(store, [doc_id])[doc_id]


def _record(path):
    return next(r for r in read_openalex(path))


def test_a_newer_copy_replaces_an_older_one(store, samples):
    old, new = _record(samples / OLD), _record(samples / NEW)
    assert old.updated < new.updated and set(old.references) != set(new.references)
    ingest(store, [samples / OLD])
    ingest(store, [samples / NEW])
    doc = _doc(store, "W2741809807")
    assert store.tables.sql("SELECT count(*) FROM documents").scalar() == 1
    assert doc["updated"] == new.updated
    assert doc["reference_ids"] == list(dict.fromkeys(new.references))  # replaced, not the union of both copies
    assert {i["name"] for i in doc["institutions"]} == {i.name for i in new.institutions}
    assert doc["cited_by_count"] == 962 and doc["cited_by_year"] == dict(sorted(new.cited_by_year.items()))
    assert doc["categories"] == new.categories and set(old.categories) - set(new.categories)  # OpenAlex's: replaced
    assert store.tables.sql("SELECT count(*) FROM provenance").scalar() == 2


def test_an_older_copy_changes_nothing(store, samples, tmp_path):
    from frontierwatch.store import Store

    ingest(store, [samples / NEW])
    newer_only = _doc(store, "W2741809807")
    ingest(store, [samples / OLD])
    assert _doc(store, "W2741809807") == newer_only
    with Store(tmp_path / "both") as both:  # both copies in one run, older first: the same document
        ingest(both, [samples / OLD, samples / NEW])
        assert _doc(both, "W2741809807") == newer_only


def test_merged_works_are_folded_into_the_surviving_work(store, samples):
    ingest(store, [samples / WORKS])
    assert store.tables.sql("SELECT count(*) FROM documents").scalar() == 4  # duplicates: distinct OpenAlex ids
    before = {w: _doc(store, w) for w in ("W4287389455", "W4287389456", "W3176036677", "W4206701723")}
    summary = ingest(store, [samples / MERGED])  # a later snapshot brings the merge table
    assert summary.merged == 2
    docs = store.tables.read("documents", order_by="doc_id").to_pylist()
    assert len(docs) == 2
    book, physics = _doc(store, "W4287389455"), _doc(store, "W4206701723")
    assert _doc(store, "W4287389456")["doc_id"] == book["doc_id"] == before["W4287389455"]["doc_id"]
    assert _doc(store, "W3176036677")["doc_id"] == physics["doc_id"] == "doi:10.1142/12294"
    assert book["openalex_id"] == "W4287389455" and physics["openalex_id"] == "W4206701723"
    assert physics["published"] == min(before["W3176036677"]["published"], before["W4206701723"]["published"])
    prov = store.tables.read("provenance", ["doc_id"]).column("doc_id").to_pylist()
    assert sorted(set(prov)) == sorted(d["doc_id"] for d in docs) and len(prov) == 4  # nothing lost
    keys = store.tables.read("document_keys", ["doc_id"]).column("doc_id").to_pylist()
    assert set(keys) == {book["doc_id"], physics["doc_id"]}
    again = store.tables.read("documents", order_by="doc_id").to_pylist()
    assert ingest(store, [samples / MERGED]).merged == 0
    assert store.tables.read("documents", order_by="doc_id").to_pylist() == again == docs


def test_merge_table_first_then_works_gives_the_same_store(store, samples, tmp_path):
    from frontierwatch.store import Store

    ingest(store, [samples / MERGED])  # works and table in one run
    with Store(tmp_path / "later") as later:
        ingest(later, [samples / WORKS])
        ingest(later, [samples / MERGED])
        assert (later.tables.read("documents", order_by="doc_id").to_pylist()
                == store.tables.read("documents", order_by="doc_id").to_pylist())
    kept = store.tables.read("openalex_merges", ["merged_id", "kept_id"], order_by="merged_id").to_pylist()
    assert kept == [{"merged_id": "W3176036677", "kept_id": "W4206701723"},
                    {"merged_id": "W4287389456", "kept_id": "W4287389455"}]
