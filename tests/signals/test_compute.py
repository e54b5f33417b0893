"""topic_signals and the two axes: missing is not zero, contributions add up, no look-ahead."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from frontierwatch.errors import InputError
from frontierwatch.signals import SIGNAL_COLUMNS, compute_axes, compute_topic_signals, load_signal_documents

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def _present(value) -> bool:
    """Missing values are nulls in the table (NaN on the numpy side), never zeros."""
    return value is not None and not math.isnan(value)


def _rows(table: pa.Table) -> dict:
    return {(r["topic_id"], r["year"]): r for r in table.to_pylist()}


def test_one_row_per_topic_and_year_with_the_documented_columns(field_frame):
    table = compute_topic_signals(field_frame, years=[2014, 2016])
    assert table.num_rows == 3 * 2
    assert table.column_names == ["topic_id", "year", *SIGNAL_COLUMNS, "missing"]
    rows = _rows(table)
    ml = rows[(0, 2016)]
    assert ml["count"] == sum(1 for t, y in zip(field_frame["topic_id"], field_frame["year"]) if t == 0 and y == 2016)
    assert ml["growth2"] > 0 and ml["escore_owned"] > rows[(1, 2016)]["escore_owned"]
    shares = sum(rows[(t, 2016)]["share"] for t in range(3))
    assert shares == pytest.approx(1.0)


def test_arxiv_has_no_citations_patents_or_affiliations_so_they_are_missing(field_frame):
    rows = _rows(compute_topic_signals(field_frame, years=[2016]))
    for r in rows.values():
        for name in ("impact", "patent_share", "patent_growth", "company_share", "st_linkage"):
            assert not _present(r[name])
            assert name in r["missing"]
        assert "application_language" not in r["missing"] and r["application_language"] > 0


def test_citations_patents_and_affiliations_are_used_where_the_data_has_them(tmp_path):
    from frontierwatch.sources.ingest import ingest
    from frontierwatch.store import Store

    with Store(tmp_path / "s") as store:
        ingest(store, [DEMO / "openalex", DEMO / "uspto"])
        docs = load_signal_documents(store)
    frame = {k: list(v) for k, v in docs.items()}
    frame["topic_id"] = [i % 2 for i in range(len(frame["doc_id"]))]
    rows = _rows(compute_topic_signals(frame, years=[2015, 2020]))
    some = [rows[(t, 2020)] for t in range(2)]
    assert any(_present(r["impact"]) for r in some)
    assert all(_present(r["company_share"]) for r in some)
    assert any(_present(rows[(t, 2015)]["patent_share"]) for t in range(2))


def test_signals_of_a_year_ignore_later_documents_bit_for_bit(field_frame):
    cutoff = 2014
    full = compute_topic_signals(field_frame, years=[2012, cutoff])
    keep = [i for i, y in enumerate(field_frame["year"]) if y <= cutoff]
    trimmed = {k: [v[i] for i in keep] for k, v in field_frame.items()}
    assert compute_topic_signals(trimmed, years=[2012, cutoff]).equals(full)
    # altering every later document (text, categories, topic, month) changes nothing either
    altered = {k: list(v) for k, v in field_frame.items()}
    for i, y in enumerate(altered["year"]):
        if y > cutoff:
            altered["text"][i] = "quantum quantum deep learning new emergent words " * 3
            altered["categories"][i] = ["q-bio.GN", "econ.EM"]
            altered["topic_id"][i] = 2
            altered["month"][i] = 1
    assert compute_topic_signals(altered, years=[2012, cutoff]).equals(full)
    assert compute_axes(compute_topic_signals(altered, years=[cutoff])).equals(
        compute_axes(compute_topic_signals(trimmed, years=[cutoff])))


def test_missing_required_column_is_explained():
    with pytest.raises(InputError, match="topic_id"):
        compute_topic_signals({"doc_id": ["a"], "year": [2010]})


def test_a_real_frame_of_one_year_only_still_gives_counts(frame_until):
    frame = frame_until(2010)
    rows = _rows(compute_topic_signals(frame))
    r = rows[(0, 2010)]
    assert r["count"] > 0 and not _present(r["growth1"]) and "growth1" in r["missing"]
