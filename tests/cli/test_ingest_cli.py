"""The ingest commands through Typer's CliRunner: summary line, --strict, status --json, rejects, one-line errors."""
import gzip
import json

from typer.testing import CliRunner

from frontierwatch.cli import app

runner = CliRunner()


def test_ingest_status_rejects_and_strict(tmp_path, arxiv_sample):
    lines = gzip.open(arxiv_sample).read().splitlines()[:30]
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(b"\n".join(lines[:10] + [b'{"id": "x", "title": "unterminated'] + lines[10:]) + b"\n")
    store = str(tmp_path / "s")
    res = runner.invoke(app, ["ingest", str(mixed), "--store", store])
    assert res.exit_code == 0, res.output
    assert "accepted 30 / merged 0 / rejected 1" in res.output
    st = json.loads(runner.invoke(app, ["status", "--json", "--store", store]).output)
    assert st["documents"] == 30 and st["rejects"] == 1 and st["by_source"] == {"arxiv": 30}
    rej = runner.invoke(app, ["rejects", "--store", store])
    assert f"{mixed}:11: invalid JSON" in rej.output
    strict = runner.invoke(app, ["ingest", str(mixed), "--strict", "--store", str(tmp_path / "strict")])
    assert strict.exit_code == 1


def test_errors_are_one_line_and_bilingual(tmp_path, monkeypatch):
    res = runner.invoke(app, ["ingest", str(tmp_path / "missing.jsonl"), "--store", str(tmp_path / "s")])
    assert res.exit_code == 1 and "no such file or directory" in res.output
    monkeypatch.setenv("FRONTIERWATCH_LANG", "zh")
    res = runner.invoke(app, ["ingest", str(tmp_path / "missing.jsonl"), "--store", str(tmp_path / "s")])
    assert res.exit_code == 1 and "文件或目录不存在" in res.output
    res = runner.invoke(app, ["status", "--store", str(tmp_path / "nothing")])
    assert res.exit_code == 1 and "frontierwatch ingest" in res.output


def test_bad_as_of_is_one_clear_line(tmp_path, arxiv_sample):
    store = str(tmp_path / "s")
    assert runner.invoke(app, ["ingest", str(arxiv_sample), "--store", store]).exit_code == 0
    for args in (["topics", "--as-of", "2019-13-45"], ["catalog", "--edition", "2019H2", "--as-of", "31/12/2019",
                                                       "--out", str(tmp_path / "e.json"), "--format", "json"]):
        res = runner.invoke(app, [*args, "--store", store])
        assert res.exit_code == 1 and "is not a date" in res.output and "YYYY-MM-DD" in res.output


def test_ingest_prints_and_records_where_its_time_went(tmp_path, arxiv_sample):
    store, profile = str(tmp_path / "s"), tmp_path / "ingest-timings.json"
    res = runner.invoke(app, ["ingest", str(arxiv_sample), "--json", "--profile", str(profile), "--store", store])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)  # the timings table goes to stderr, so stdout stays JSON
    timings = out["timings"]
    assert timings == json.loads(profile.read_text())
    (ingest,) = timings["stages"]
    assert ingest["stage"] == "ingest" and ingest["rows"] == out["accepted"] + out["merged"] + out["rejected"] > 0
    assert [s["step"] for s in ingest["steps"]] == [arxiv_sample.name, "checkpoint"]
    assert timings["status"] == "done" and ingest["peak_rss_mib"] > 0 and timings["seconds"] >= ingest["seconds"]
    assert "ingest: time by stage" in res.stderr and "total" in res.stderr
    shown = runner.invoke(app, ["status", "--store", store]).output
    assert "last run: ingest" in shown and f"{ingest['rows']:,} records" in shown
    assert json.loads(runner.invoke(app, ["status", "--json", "--store", store]).stdout)["last_run"]["stages"][0]["rows"] \
        == ingest["rows"]
