"""OpenAlex versions and merges on Spark equal the embedded engine's, on real records: two copies of one work
(the newer replaces the older) and four works that are two, whose merge table arrives in a later run."""
from __future__ import annotations


def _rows(path, table, columns=None, order=("doc_id",)):
    from frontierwatch.store import Store
    with Store(path, read_only=True) as store:
        return store.tables.read(table, columns, order_by=list(order)).to_pylist()


VERSIONS = ["openalex/versions/W2741809807-2023-10-22.json", "openalex/api/W2741809807.json"]
TABLES = {"documents": ("doc_id",), "document_keys": ("key",), "document_citations": ("doc_id",),
          "document_versions": ("doc_id",), "openalex_merges": ("merged_id",)}


def test_versions_and_later_merges_equal_the_embedded_engine(spark, spark_settings, samples, tmp_path):
    from frontierwatch.core import Observatory
    from frontierwatch.settings import load_settings

    runs = [[samples / p for p in VERSIONS] + [samples / "openalex" / "merged" / "works"],
            [samples / "openalex" / "merged"]]
    stores = {"embedded": tmp_path / "embedded", "spark": tmp_path / "spark"}
    for name, path in stores.items():
        settings = spark_settings(path) if name == "spark" else load_settings(store=path)
        with Observatory(path, settings) as obs:
            first = obs.ingest(runs[0])
            assert first.accepted == 5
            obs.ingest(runs[1])
    docs = _rows(stores["embedded"], "documents")
    assert len(docs) == 3  # one work in two versions, four works that are two
    for table, order in TABLES.items():
        assert _rows(stores["spark"], table, order=order) == _rows(stores["embedded"], table, order=order), table
    prov = ["doc_id", "source", "file", "line"]
    assert (_rows(stores["spark"], "provenance", prov, ("file", "line"))
            == _rows(stores["embedded"], "provenance", prov, ("file", "line")))
