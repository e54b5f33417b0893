"""A topic's series and evidence documents download as CSV (UTF-8 with BOM, columns in the page language)
and as one XLSX workbook; the values are those of the REAL core answer the page shows."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from frontierwatch.web.downloads import tables_csv, tables_xlsx, topic_tables
from frontierwatch.web.views import topic_series

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "web" / "core-answers.json"


def test_tables_carry_the_page_numbers_in_the_page_language():
    detail = json.loads(SAMPLE.read_text(encoding="utf-8"))["topic_computed"]
    series = topic_series(detail)
    zh = topic_tables(detail, series, "zh")
    assert zh["series"][0][:3] == ["年份", "文献数", "占全部文献比例"] and "两年占比增长" in zh["series"][0]
    assert [r[0] for r in zh["series"][1:]] == [r["year"] for r in series]
    assert [r[1] for r in zh["series"][1:]] == [r["count"] for r in series]
    first = detail["documents"][0]
    assert zh["documents"][1][:3] == [first["doc_id"], first["title"], first["year"]]
    assert zh["documents"][1][3] == "https://arxiv.org/abs/" + first["doc_id"].split(":", 1)[1]
    data = tables_csv(zh["series"])
    assert data.startswith("\ufeff".encode()) and list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[0][0] == "年份"
    book = load_workbook(io.BytesIO(tables_xlsx(topic_tables(detail, series, "en"), "en")))
    assert book.sheetnames == ["per year", "evidence documents"]
    assert book["per year"]["A1"].value == "year" and book["evidence documents"].max_row == len(detail["documents"]) + 1


def test_download_routes(client):
    # the sample store has no topic map: a reader gets a page that says so, not a stack trace
    r = client.get("/topics/T00001/series.csv")
    assert r.status_code == 404 and "尚未发布" in r.text
    assert client.get("/topics/T00001/other.csv").status_code == 404
