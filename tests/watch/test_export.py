"""Exports of a real built store as Parquet, CSV and XLSX, each with its data dictionary (zh/en)."""
from __future__ import annotations

import csv

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from frontierwatch.cli.app import app
from frontierwatch.core import Observatory
from frontierwatch.export import DICTIONARY

runner = CliRunner()


def fw(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("what", ["topics", "signals", "documents", "assignments"])
def test_every_format_has_the_rows_and_the_dictionary(built_store, tmp_path, what):
    with Observatory(built_store) as obs:
        listed = obs.topics()
        con = obs.store.con
        expected = {"topics": len(listed["topics"]),
                    "signals": con.execute("SELECT count(*) FROM topic_signals WHERE map_id = ?", [listed["map_id"]]).fetchone()[0],
                    "documents": con.execute("SELECT count(*) FROM documents WHERE published <= ? OR published IS NULL",
                                             [listed["as_of"]]).fetchone()[0],
                    "assignments": con.execute("SELECT count(*) FROM doc_topics WHERE map_id = ?", [listed["map_id"]]).fetchone()[0]}[what]
    names = [c[0] for c in DICTIONARY[what]]
    assert expected > 0
    for fmt in ("parquet", "csv", "xlsx"):
        out = tmp_path / f"{what}.{fmt}"
        assert f"{expected:,} rows" in fw("export", what, "--format", fmt, "--out", str(out), "--as-of", "2016-12-31")
        if fmt == "parquet":
            table = pq.read_table(out)
            assert table.column_names == names and table.num_rows == expected
            assert b"frontierwatch.dictionary" in table.schema.metadata
        elif fmt == "csv":
            table = pacsv.read_csv(out)
            assert table.column_names == names and table.num_rows == expected
        else:
            from openpyxl import load_workbook
            book = load_workbook(out, read_only=True)
            rows = list(book["data"].iter_rows(values_only=True))
            assert list(rows[0]) == names and len(rows) == expected + 1
            meanings = list(book["dictionary"].iter_rows(values_only=True))
            assert [r[0] for r in meanings[1:]] == names
        with (tmp_path / f"{what}.dictionary.csv").open(encoding="utf-8-sig") as fh:
            dictionary = list(csv.DictReader(fh))
        assert [d["column"] for d in dictionary] == names
        assert all(d["type"] and d["meaning_zh"] and d["meaning_en"] for d in dictionary)


def test_topics_export_is_one_row_per_topic_with_the_core_figures(built_store, tmp_path):
    fw("export", "topics", "--format", "parquet", "--out", str(tmp_path / "t.parquet"))
    rows = pq.read_table(tmp_path / "t.parquet").to_pylist()
    with Observatory(built_store) as obs:
        topics = obs.topics()["topics"]
    assert [(r["id"], r["label"], r["size"], r["stage"]) for r in rows] == \
        [(t["id"], t["label"], t["size"], t["stage"]) for t in topics]
    assert [r["breakthrough"] for r in rows] == [(t["axes"] or {}).get("breakthrough") for t in topics]


def test_bad_export_requests_say_what_to_do(built_store, tmp_path):
    r = runner.invoke(app, ["export", "topics", "--format", "json", "--out", str(tmp_path / "x.json")])
    assert r.exit_code == 1 and "parquet, csv, xlsx" in r.output
    r = runner.invoke(app, ["export", "people", "--out", str(tmp_path / "x.parquet")])
    assert r.exit_code == 1 and "topics" in r.output
    assert not (tmp_path / "x.json").exists()


def test_bulk_downloads_in_the_api(built_store):
    import io

    from fastapi.testclient import TestClient

    from frontierwatch.settings import load_settings
    from frontierwatch.web import create_app
    obs = Observatory(built_store, load_settings(store=built_store))
    try:
        with TestClient(create_app(obs, obs.settings, secret_key="test-secret-key")) as client:
            r = client.get("/api/v1/exports/topics?format=parquet")
            assert r.status_code == 200 and "frontierwatch-topics-2016-12-31.parquet" in r.headers["content-disposition"]
            table = pq.read_table(io.BytesIO(r.content))
            assert table.num_rows == len(obs.topics()["topics"]) and table.column_names == [c[0] for c in DICTIONARY["topics"]]
            r = client.get("/api/v1/exports/signals?format=csv&as_of=2016-12-31")
            assert r.status_code == 200 and r.text.lstrip("\ufeff").startswith('"map_id","topic_id","year"')
            d = client.get("/api/v1/exports/documents/dictionary").json()
            assert [c["column"] for c in d["columns"]] == [c[0] for c in DICTIONARY["documents"]]
            assert all(c["meaning"]["zh"] and c["meaning"]["en"] for c in d["columns"])
            assert client.get("/api/v1/exports/people").status_code == 422
            assert client.get("/api/v1/exports/topics?as_of=1990-01-01").status_code == 404
    finally:
        obs.close()
