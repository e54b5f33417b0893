"""Citations by year (OpenAlex ``counts_by_year``) are kept beside the document, so an as-of date can count only
the citations made by then; re-ingesting changes nothing."""
from __future__ import annotations

import gzip
import json

from frontierwatch.sources.ingest import ingest
from frontierwatch.signals.documents import citations_as_of

import numpy as np


def test_counts_by_year_are_stored_and_reingest_is_idempotent(store, samples):
    path = samples / "openalex" / "works-2022-schema-sample.json.gz"
    works = json.load(gzip.open(path))
    expected = {}
    for w in works:
        counts = {c["year"]: c["cited_by_count"] for c in w.get("counts_by_year") or []}
        if counts:
            expected[w["id"].rsplit("/", 1)[-1]] = counts
    assert expected
    ingest(store, [path])
    rows = store.con.execute("""SELECT d.openalex_id, c.cited_by_year, d.cited_by_count FROM document_citations c
                                JOIN documents d USING (doc_id)""").fetchall()
    got = {oid: dict(by_year) for oid, by_year, _ in rows}
    assert got == expected
    ingest(store, [path])
    assert store.con.execute("SELECT count(*) FROM document_citations").fetchone()[0] == len(expected)


def test_citations_as_of_a_year_count_only_itemised_years_up_to_it():
    total = np.array([10.0, 10.0, np.nan, 5.0, 7.0])
    by_year = np.array([{2018: 3, 2019: 4, 2021: 3}, None, {2020: 1}, {2015: 5}, {2019: 2, 2020: 1}], dtype=object)
    got = citations_as_of(total, by_year, 2019)
    assert got[0] == 7.0                       # 10 − the 3 of 2021
    assert np.isnan(got[1]) and np.isnan(got[2])   # no years / no total: cannot be dated
    assert got[3] == 5.0
    # 7 citations, only 3 itemised from 2019 on: those before 2019 are undated, so "as of 2017" is unknown
    assert np.isnan(citations_as_of(total[4:], by_year[4:], 2017)[0]) and citations_as_of(total[4:], by_year[4:], 2019)[0] == 6.0
