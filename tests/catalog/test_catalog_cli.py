"""`catalog` and `directions` commands through Typer's CliRunner on the real sample store."""
from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from frontierwatch.cli.catalog import catalog_command, directions_command

app = typer.Typer()
app.command("catalog")(catalog_command)
app.command("directions")(directions_command)


def test_catalog_writes_the_requested_format(edition_store, tmp_path):
    path = edition_store.path
    edition_store.close()
    out = tmp_path / "c.json"
    res = CliRunner().invoke(app, ["catalog", "--edition", "2017H2", "--lang", "en", "--format", "json",
                                   "--per-field", "2", "--min-size", "5", "--out", str(out), "--store", str(path)])
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["edition"] == "2017H2" and doc["lang"] == "en" and doc["entries"]
    bad = CliRunner().invoke(app, ["catalog", "--edition", "2017H2", "--format", "doc", "--out", str(tmp_path / "x"),
                                   "--per-field", "2", "--min-size", "5", "--store", str(path)])
    assert bad.exit_code == 1 and "html, pdf, xlsx, json, md" in bad.output


def test_directions_lists_every_topic(edition_store):
    path = edition_store.path
    edition_store.close()
    res = CliRunner().invoke(app, ["directions", "--as-of", "2017-12-31", "--json", "--store", str(path)])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.output)
    assert doc["as_of"] == "2017-12-31" and doc["topics"]
    assert all(t["directions"] and t["reason"]["zh"] for t in doc["topics"])
