"""Editions built by the real pipeline on a small real store: the JSON shape, no invented numbers, the diff
between two editions, reproducibility, and every format rendered from the one model."""
from __future__ import annotations

import json
import shutil
import subprocess
from io import BytesIO

import pytest

from frontierwatch.catalog import FORMATS, edition_as_of, load_edition, render_edition
from frontierwatch.catalog.messages import text
from frontierwatch.errors import InputError
from frontierwatch.signals.glossary import signal_name


def test_edition_codes():
    assert str(edition_as_of("2019H2")) == "2019-12-31" and str(edition_as_of("2019H1")) == "2019-06-30"
    with pytest.raises(InputError):
        edition_as_of("H2-2019")


def test_json_edition_shape_and_missing_signals_stay_missing(edition_store):
    ed = load_edition(edition_store, "2017H2")
    doc = json.loads(render_edition(ed, "json", "zh"))
    assert {"edition", "as_of", "lang", "parameters", "entries", "changes", "methodology"} <= set(doc)
    assert doc["edition"] == "2017H2" and doc["as_of"] == "2017-12-31" and doc["lang"] == "zh"
    assert doc["parameters"]["taxonomy"]["version"] >= 1 and doc["parameters"]["topic_map"]["as_of"] == "2017-12-31"
    assert doc["entries"]
    for e in doc["entries"]:
        assert e["direction"]["id"] in {"manufacturing", "information", "materials", "energy", "space", "health"}
        assert e["direction"]["name"]["zh"] and e["field"]["name"]["en"] and e["mapping"]["reason"]["zh"]
        assert all(int(y) <= 2017 for y in e["counts_by_year"]) and sum(e["counts_by_year"].values()) >= e["size"]
        assert all(d["year"] <= 2017 for d in e["evidence"])
        if e["forecast"]["status"] != "ok":
            assert e["forecast"]["probability"] is None and e["forecast"]["expected_share_ratio"] is None
        for axis in ("breakthrough", "industrialisation"):
            a = e[axis]
            if a["score"] is not None:
                assert sum(a["components"].values()) == pytest.approx(a["score"], abs=1e-3)
            assert not set(a["missing"]) & set(a["components"])
        assert e["landscape"]["status"] in {"ok", "sparse_affiliation_data", "no_affiliation_data"}
        if e["landscape"]["status"] == "no_affiliation_data":
            assert e["landscape"]["countries"] == [] and e["landscape"]["note"]["en"]


def test_entries_are_named_and_described_in_both_languages(edition_store):
    """Issue 10 items 3 and 5: a readable name and a summary in zh and en (Chinese names for >= 95% of entries), and
    why the entry is listed now, from its own numbers."""
    import re

    cjk, latin_word = re.compile(r"[\u4e00-\u9fff]"), re.compile(r"[a-z]{3,}")
    for code in ("2016H2", "2017H2"):
        entries = json.loads(render_edition(load_edition(edition_store, code), "json", "zh"))["entries"]
        chinese = [e for e in entries if e["name_zh_source"] != "none"]
        assert len(chinese) >= 0.95 * len(entries)
        for e in entries:
            assert e["name"]["en"] and e["name"]["zh"] and e["summary"]["en"] and e["summary"]["zh"]
            assert " · " not in e["name"]["en"] and e["name"]["en"] != e["label"]
            assert cjk.search(e["summary"]["zh"]) and not latin_word.search(e["summary"]["zh"].replace(e["name"]["zh"], ""))
            if e["name_zh_source"] != "none":
                assert cjk.search(e["name"]["zh"]) and not latin_word.search(e["name"]["zh"])
            year, stage = int(code[:4]), e["stage"]
            assert f"{e['counts_by_year'].get(str(year), 0):,} documents in {year}" in e["why"]["en"]
            assert f"{year}年文献" in e["why"]["zh"] and not latin_word.search(e["why"]["zh"])
            assert e["summary_docs"]


def test_second_edition_diffs_against_the_first(edition_store):
    first, second = load_edition(edition_store, "2016H2"), load_edition(edition_store, "2017H2")
    assert first.changes["previous"] is None and first.changes["note"]["zh"]
    changes = second.changes
    assert changes["previous"] == {"edition": "2016H2", "as_of": "2016-12-31"}
    # the kinds follow the lineage between the two maps: tests/catalog/test_changes.py
    before, after = {e["topic_id"] for e in first.entries}, {e["topic_id"] for e in second.entries}
    assert {c["topic_id"] for c in changes["dropped"]} <= before - after
    assert {c["topic_id"] for c in changes["new"]} <= after - before
    for c in changes["risen"]:
        assert c["rank"] < c["previous_rank"]
    for c in changes["fallen"]:
        assert c["rank"] > c["previous_rank"]


def test_rebuild_gives_the_same_numbers(edition_store):
    from frontierwatch.catalog import EditionParams, build_edition

    stored = load_edition(edition_store, "2017H2")
    again = build_edition(edition_store, "2017H2", params=EditionParams(per_field=2, min_size=5))
    assert again.entries == stored.entries and again.parameters == stored.parameters


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_format_renders_from_the_one_model(edition_store, tmp_path, lang):
    from openpyxl import load_workbook

    ed = load_edition(edition_store, "2017H2")
    first = ed.entries[0]
    out = {fmt: render_edition(ed, fmt, lang) for fmt in FORMATS}
    html, md = out["html"].decode(), out["md"].decode()
    assert first["name"][lang] in html and first["name"][lang] in md and "<svg" in html
    assert first["summary"][lang] in md and first["why"][lang] in md
    assert ", ".join(first["keyphrases"]) in md                 # the keyphrases stay, as the name's evidence
    assert ("前沿技术推广目录" in html) == (lang == "zh")
    # the methodology reads as text: signals and methods by name, parameters as a table, no raw keys or JSON dump
    for page in (html, md):
        assert "escore_owned" not in page and "burst_weight" not in page and '"min_size":' not in page
        assert text("param_as_of", lang) in page and text("parameters_note", lang) in page
    assert signal_name("escore_owned", lang) in html
    wb = load_workbook(BytesIO(out["xlsx"]))
    assert wb.sheetnames == ["entries", "landscape", "risk_flags", "assessed_risks", "changes", "watch",
                             "outside_risers", "methodology"]
    rows = list(wb["entries"].iter_rows(values_only=True))
    assert len(rows) == len(ed.entries) + 1 and rows[1][3] == first["topic_id"]
    assert json.loads(out["json"])["entries"] == ed.entries
    pdf = tmp_path / "e.pdf"
    pdf.write_bytes(out["pdf"])
    if shutil.which("pdftotext"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert int(info.split("Pages:")[1].split()[0]) >= 2
        txt = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert first["topic_id"] in txt
        if lang == "zh":
            assert "前沿技术推广目录" in txt and "未来信息" in txt   # Chinese glyphs, not boxes


def test_an_edited_taxonomy_maps_the_stored_topics_again(edition_store):
    """Directions stored under an older taxonomy version are mapped again by the core before an edition reads
    them (an edit of the taxonomy bumps its version), and only then."""
    from frontierwatch import pipeline
    from frontierwatch.catalog import edition_as_of, load_taxonomy, read_directions
    from frontierwatch.settings import load_settings
    from frontierwatch.topics.tables import map_id_as_of

    day = edition_as_of("2017H2")
    map_id = map_id_as_of(edition_store, day)
    current = load_taxonomy(None).version
    assert {m["taxonomy_version"] for m in read_directions(edition_store, map_id).values()} == {current}
    assert "directions" not in pipeline.ensure_built(edition_store, load_settings(), day)["built"]
    edition_store.con.execute("UPDATE topic_directions SET taxonomy_version = ? WHERE map_id = ?",
                              [current - 1, map_id])
    assert "directions" in pipeline.ensure_built(edition_store, load_settings(), day)["built"]
    assert {m["taxonomy_version"] for m in read_directions(edition_store, map_id).values()} == {current}
