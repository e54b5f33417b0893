"""Stage timings of the long commands on the real sample store: what `catalog`, `build` and `update` print,
put in `--json` and record in the store (`frontierwatch.timings`, `store.runs`)."""
from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from frontierwatch.cli.app import app
from frontierwatch.store import Store
from frontierwatch.store.runs import last_run

runner = CliRunner()
# the forecast's walk-forward maps are handed to a worker after embedding (forecast.prefit)
BUILD_STAGES = ["embed", "walk-forward", "topics", "names", "signals", "forecast", "directions"]
# the map is stored, so the catalog builds nothing but the forecast, which the sample's four years of papers cannot
# train (too little history, said in the edition): it is tried again, from the cached fits, and nothing else is
STORED_MAP = ["forecast", "catalog", "render"]


def _stages(run: dict) -> list[str]:
    return [s["stage"] for s in run["stages"]]


def test_build_and_catalog_runs_are_recorded_stage_by_stage(edition_store_dir):
    with Store(edition_store_dir, read_only=True) as store:
        build, catalog = last_run(store, "build"), last_run(store, "catalog")
    assert build["status"] == "done" and build["args"]["as_of"] == "2017-12-31" and build["args"]["topics"] == 24
    assert _stages(build) == BUILD_STAGES
    by = {s["stage"]: s for s in build["stages"]}
    assert by["topics"]["rows"] == 24 and by["embed"]["note"] == "vectors" and by["names"]["rows"] == 24
    assert [s["step"] for s in by["topics"]["steps"]][:2] == ["load", "cluster"]
    assert any(s["step"].startswith("forecast: training map") for s in by["forecast"]["steps"])
    assert sum(s["seconds"] for s in build["stages"]) <= build["seconds"]
    assert all(s["peak_rss_mib"] > 0 for s in build["stages"])
    assert catalog["args"]["edition"] == "2017H2" and _stages(catalog) == STORED_MAP
    assert catalog["stages"][0]["rows"] is None and catalog["stages"][1]["rows"] > 0  # no forecast rows; entries


def test_catalog_build_and_update_print_and_carry_their_timings(edition_store_dir, store_copy, tmp_path):
    store = str(store_copy(edition_store_dir))
    res = runner.invoke(app, ["catalog", "--edition", "2017H2", "--per-field", "2", "--min-size", "5", "--format",
                              "json", "--out", str(tmp_path / "e.json"), "--rebuild", "--json", "--store", store])
    assert res.exit_code == 0, res.output
    done = json.loads(res.stdout)
    assert done["n_entries"] > 0 and _stages(done["timings"]) == STORED_MAP
    assert "catalog: time by stage" in res.stderr and "catalog edition" in res.stderr
    res = runner.invoke(app, ["catalog", "--edition", "2015H2", "--per-field", "2", "--min-size", "5", "--format",
                              "json", "--out", str(tmp_path / "e15.json"), "--json", "--store", store])
    assert res.exit_code == 0, res.output  # no map of 2015: the catalog builds it first, by the same stages
    assert _stages(json.loads(res.stdout)["timings"]) == [*BUILD_STAGES, "catalog", "render"]

    profile = tmp_path / "build.json"
    res = runner.invoke(app, ["build", "--as-of", "2016-12-31", "--json", "--profile", str(profile), "--store", store])
    assert res.exit_code == 0, res.output
    built = json.loads(res.stdout)
    assert _stages(built["timings"]) == BUILD_STAGES and built["timings"] == json.loads(profile.read_text())
    assert built["map"]["n_topics"] == {s["stage"]: s for s in built["timings"]["stages"]}["topics"]["rows"]

    # without the 2017 map, the 2017 documents are newer than the latest map (the 2023 straggler of the OpenAlex
    # sample is not: the update stops at the last complete month, store.periods)
    from frontierwatch.store import Store
    from frontierwatch.topics.tables import delete_map, map_id_as_of
    with Store(store) as s, s.tables.transaction():
        delete_map(s, map_id_as_of(s, date(2017, 12, 31)))
    res = runner.invoke(app, ["update", "--json", "--store", store], env={"FRONTIERWATCH_LANG": "zh"})
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["topics"]["as_of"].startswith("2017-12")
    # documents newer than the 2016 map: the update carries its topics to the newest date, then what follows
    assert _stages(json.loads(res.stdout)["timings"]) == ["embed", "topics", "names", "signals", "forecast",
                                                          "directions", "alerts"]
    assert "update 各步骤用时" in res.stderr and "主题图" in res.stderr and "提醒规则" in res.stderr
    shown = runner.invoke(app, ["status", "--store", store]).output
    assert "last run: update" in shown
