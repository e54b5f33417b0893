"""PatentsView connector on real tables (tests/samples/patentsview, see its README)."""
from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

from frontierwatch.sources import ingest
from frontierwatch.sources.detect import plan_files
from frontierwatch.sources.patentsview import read_patentsview, table_kind
from frontierwatch.sources.record import Record, Reject

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
NVIDIA = SAMPLES / "patentsview" / "nvidia"
MATCH = SAMPLES / "patentsview" / "uspto-match"


def test_tables_are_recognised_by_their_columns_and_a_directory_is_one_source():
    assert {p.name: table_kind(p) for p in NVIDIA.glob("*.csv")} == {
        "nvidia_patent.csv": "patent", "nvidia_patent_abstract.csv": "abstract", "nvidia_assignee.csv": "assignee",
        "nvidia_cpc.csv": "cpc", "nvidia_inventor.csv": "inventor"}
    plan, skipped = plan_files([NVIDIA])
    assert {fmt.name for _, fmt in plan} == {"patentsview"} and not skipped
    assert list(read_patentsview(NVIDIA / "nvidia_cpc.csv")) == []  # read with its patent table


def test_patents_joined_with_abstracts_assignees_cpc_and_inventors():
    recs = list(read_patentsview(NVIDIA / "nvidia_patent.csv"))
    assert len(recs) == 60 and all(isinstance(r, Record) for r in recs)
    first = recs[0]
    assert first.ids["patent"] == "US10001996" and first.title == "Selective poisoning of data during runahead"
    assert first.published == date(2018, 6, 19) and first.kind == "patent" and first.line == 1
    assert first.abstract.startswith("Embodiments related to selecting a runahead poison policy")
    assert first.categories[:2] == ["cpc:G06F9/30189", "cpc:G06F9/3842"]
    assert first.authors == ["Magnus Ekman", "James van Zoeren", "Paul Serris"]
    assert [(i.name, i.type, i.country) for i in first.institutions] == [("NVIDIA CORPORATION", "company", "US")]
    design = [r for r in recs if r.ids["patent"].startswith("USD")]
    assert len(design) == 3 and all(r.abstract is None for r in design)
    assert sum(r.ids.get("withdrawn") == "1" for r in recs) == 2


def test_zipped_tsv_tables_read_the_same(tmp_path):
    for src in NVIDIA.glob("*.csv"):
        rows = list(csv.reader(src.open(newline="", encoding="utf-8")))
        kind = {"patent": "g_patent", "abstract": "g_patent_abstract", "assignee": "g_assignee_disambiguated",
                "cpc": "g_cpc_current", "inventor": "g_inventor_disambiguated"}[table_kind(src)]
        tsv = tmp_path / f"{kind}.tsv"
        with tsv.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, delimiter="\t").writerows(rows)
        with zipfile.ZipFile(tmp_path / f"{kind}.tsv.zip", "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(tsv, tsv.name)
        tsv.unlink()
    zipped = list(read_patentsview(tmp_path / "g_patent.tsv.zip"))
    plain = list(read_patentsview(NVIDIA / "nvidia_patent.csv"))
    strip = lambda r: (r.ids, r.title, r.abstract, r.categories, r.authors, r.institutions, r.published)  # noqa: E731
    assert [strip(r) for r in zipped] == [strip(r) for r in plain]


def test_bad_rows_are_rejected_with_file_and_ordinal(tmp_path, store):
    d = tmp_path / "pv"
    d.mkdir()
    for src in NVIDIA.glob("*.csv"):
        (d / src.name).write_bytes(src.read_bytes())
    lines = (d / "nvidia_patent.csv").read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[3] = ""  # no title
    lines[3] = ",".join(cells)
    lines[5] = "10002099,utility"  # too few cells
    (d / "nvidia_patent.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = ingest(store, [d])
    assert summary.accepted == 58 and summary.rejected == 2
    rows = store.con.execute("SELECT file, line, reason FROM rejects ORDER BY line").fetchall()
    assert [(Path(f).name, line) for f, line, _ in rows] == [("nvidia_patent.csv", 3), ("nvidia_patent.csv", 5)]
    assert "patent_title" in rows[0][2] and "缺少标题" in rows[0][2] and "cells" in rows[1][2]
    assert ingest(store, [d]).accepted == 0


def test_same_grant_from_uspto_xml_and_patentsview_is_one_document(store):
    ingest(store, [SAMPLES / "uspto" / "xml2006_US07272630B2.xml"])
    summary = ingest(store, [MATCH], source="patentsview")
    assert summary.accepted == 0 and summary.merged == 1
    rows = store.con.execute("SELECT doc_id, sources, published, authors FROM documents").fetchall()
    assert len(rows) == 1 and rows[0][1] == ["patentsview", "uspto"] and rows[0][2] == date(2007, 9, 18)
