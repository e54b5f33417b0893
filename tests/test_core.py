"""The core `Observatory` on a small real store (1,504 arXiv papers of 2014–2017, tests/samples/topics), ingested
and built once with the real stages: every read answers with real data or the explicit not-computed marker."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from frontierwatch.core import Observatory
from frontierwatch.errors import NotFoundError
from frontierwatch.settings import load_settings

SAMPLE = Path(__file__).resolve().parent / "samples" / "topics" / "arxiv-topics.jsonl.gz"


def _open(path: Path) -> Observatory:
    return Observatory(path, load_settings(store=path))


@pytest.fixture(scope="module")
def built_dir(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("core") / "store"
    with _open(path) as obs:
        obs.ingest([SAMPLE])
        obs.build()
        (path.parent / "last_build.json").write_text(json.dumps(obs.last_build, default=str))
    return path


@pytest.fixture
def obs(built_dir, store_copy):
    path = store_copy(built_dir)
    with _open(path) as o:
        yield o


def _is_marker(value) -> bool:
    return isinstance(value, dict) and value.get("computed") is False and value["note"]["en"] and value["note"]["zh"]


def test_build_runs_every_step(built_dir):
    report = json.loads((built_dir.parent / "last_build.json").read_text())
    assert report["signals"]["rows"] > 0 and report["signals"]["topics"] > 0
    # four years of 1,504 papers hold too few past outcomes to train on: the forecast says so, with the reason
    assert _is_marker(report["forecast"]) and "too little history" in report["forecast"]["note"]["en"]
    assert report["directions"]["topics"] == report["signals"]["topics"]
    assert report["names"]["topics"] == report["signals"]["topics"]
    assert set(report["seconds"]) == {"embed", "topics", "names", "signals", "forecast", "directions"}


def test_topics_carry_stage_axes_forecast_and_directions(obs):
    listed = obs.topics()
    assert set(listed["not_computed"]) == {"forecast"} and listed["topics"]   # too little history (see above)
    for t in listed["topics"]:
        assert t["stage"] in ("emerging", "growing", "mature", "declining", None)
        assert t["forecast"] is None
        assert t["directions"] and all(isinstance(d, str) for d in t["directions"])
        assert t["name"]["en"] and " · " not in t["name"]["en"]
    assert any(t["axes"]["breakthrough"] is not None for t in listed["topics"])
    assert len(obs.topics(top=3)["topics"]) == 3


def test_topics_sorted_by_forecast_or_axis_with_their_evidence(obs):
    from frontierwatch.errors import InputError

    everything = obs.topics()["topics"]
    by_forecast = obs.topics(top=5, sort="forecast", evidence=True)
    assert by_forecast["sort"] == "forecast" and len(by_forecast["topics"]) == 5
    # no topic has a published rank here (tests/forecast/test_published.py sorts real ones): unranked come by size
    assert [t["id"] for t in by_forecast["topics"]] == [t["id"] for t in everything[:5]]
    for t in by_forecast["topics"]:
        ev = t["evidence"]
        parts = ev["axes"]["breakthrough"]["components"]
        assert sum(parts.values()) == pytest.approx(ev["axes"]["breakthrough"]["score"])
        assert ev["signals"]["year"] == ev["axes"]["year"] and ev["signals"]["count"] >= 0
        assert ev["signals"]["patent_share"] is None and "patent_share" in ev["signals"]["missing"]  # arXiv only
        assert 1 <= len(ev["documents"]) <= 3 and all(d["title"] for d in ev["documents"])
    scores = [t["axes"]["industrialisation"] for t in obs.topics(sort="industrialisation")["topics"]]
    known = [s for s in scores if s is not None]
    assert known == sorted(known, reverse=True) and scores[:len(known)] == known   # unknown values last
    with pytest.raises(InputError, match="sort"):
        obs.topics(sort="hype")


def test_topic_merges_detail_evidence_landscape_risk_and_directions(obs):
    tid = obs.topics()["topics"][0]["id"]
    t = obs.topic(tid)
    assert t["id"] == tid and t["documents"] and t["counts_by_year"]
    assert t["name"]["en"] and t["summary"]["en"] and t["summary"]["zh"] and t["naming"]["labeller"] == "offline"
    assert t["signals"]["year"] == t["axes"]["year"] and "map_id" not in t["signals"]
    assert [r["year"] for r in t["signals_by_year"]] == sorted(r["year"] for r in t["signals_by_year"])
    parts = t["axes"]["breakthrough"]["components"]
    assert sum(parts.values()) == pytest.approx(t["axes"]["breakthrough"]["score"])
    assert t["stage"] == t["axes"]["stage"]
    assert _is_marker(t["forecast"])                              # too little history: said, not invented
    assert _is_marker(t["forecast_skill"])                        # no backtest recorded in this store
    assert t["landscape"]["status"] == "no_affiliation_data"      # arXiv has no affiliations: said, not zeros
    assert t["landscape"]["countries"] == [] and t["landscape"]["note"]["zh"]
    assert isinstance(t["risk_flags"], list)
    assert t["directions"][0]["id"] and t["directions"][0]["name"]["zh"]
    assert t["mapping"]["reason"]["en"] and 0 <= t["mapping"]["confidence"] <= 1
    json.dumps(t, default=str, allow_nan=False)                    # NaN never reaches the pages
    with pytest.raises(NotFoundError):
        obs.topic("T99999")


def test_unbuilt_sections_are_marked_not_invented(obs):
    for table in ("topic_signals", "topic_axes", "topic_forecasts", "topic_directions"):
        obs.store.con.execute(f"DELETE FROM {table}")
    listed = obs.topics()
    assert set(listed["not_computed"]) == {"signals", "forecast", "directions"}
    assert all(t["forecast"] is None and t["stage"] is None and t["directions"] is None for t in listed["topics"])
    t = obs.topic(listed["topics"][0]["id"])
    for key in ("signals", "signals_by_year", "axes", "forecast", "directions", "mapping"):
        assert _is_marker(t[key]), key
    assert t["stage"] is None and t["documents"]
    assert all(d["n_topics"] is None for d in obs.directions())


def test_topic_map_and_directions(obs):
    points = obs.topic_map()
    assert len(points) == len(obs.topics()["topics"])
    assert all(isinstance(p["x"], float) and isinstance(p["y"], float) and p["field_label"] for p in points)
    directions = obs.directions()
    assert [d["id"] for d in directions] == ["manufacturing", "information", "materials", "energy", "space", "health"]
    mapped = sum(1 for t in obs.topics()["topics"] if t["directions"] != ["outside"])
    assert sum(d["n_topics"] for d in directions) >= mapped > 0
    assert directions[1]["fields"][0]["key"].startswith("information/")


def test_catalog_editions_and_cached_files(obs, tmp_path):
    assert obs.editions() == []
    out = obs.catalog("2017H2", lang="en", fmt="json", out=tmp_path / "e.json", per_field=2, min_size=5)
    doc = json.loads(out["path"].read_text())
    assert not out["reused"] and doc["lang"] == "en" and out["n_entries"] == len(doc["entries"])
    # four years of papers hold too little history to train the forecast (see above): the edition falls back to
    # the axes rule and says so in words; a field the rule fills with nothing says so too (never padded)
    selection = doc["parameters"]["selection"]
    assert selection["rule"] == "axes_fallback" and selection["n_published_forecasts"] == 0
    stated = doc["methodology"]["selection"]
    assert doc["methodology"]["selection_rule"] == "axes_fallback" and stated["en"] and stated["zh"]
    assert isinstance(doc["outside_risers"], list)
    assert all(f["entries"] or f["note"]["en"] for d in doc["directions"] for f in d["fields"])
    again = obs.catalog("2017H2", lang="zh", fmt="md", per_field=2, min_size=5)
    assert again["reused"] and again["path"].parent.parent == obs.store.cache_dir / "editions"
    (edition,) = obs.editions()
    assert edition["edition"] == "2017H2" and edition["as_of"] == "2017-12-31" and edition["langs"] == ["zh", "en"]
    assert {"html", "json", "md"} <= set(edition["formats"]) and len(edition["headline"]) == edition["n_entries"]
    if edition["headline"]:
        assert edition["headline"][0]["id"] and edition["headline"][0]["overall_rank"] == 1
    html = obs.edition_file("2017H2", "zh", "html")
    assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert obs.edition_file("2017H2", "zh", "html") == html      # cached render reused
    with pytest.raises(NotFoundError, match="frontierwatch catalog"):
        obs.edition_file("2015H2", "zh", "html")


def test_backtest_summary_is_marked_then_real(obs):
    from frontierwatch.forecast import record_backtest, run_backtest
    from frontierwatch.web.gateway import NOT_BUILT, ObservatoryGateway

    assert _is_marker(obs.backtest_summary())
    assert ObservatoryGateway(obs).backtest() is NOT_BUILT         # the page shows "not built", not a blank table
    record_backtest(obs.store, run_backtest(obs.store, cutoffs=[2016], horizon=1, seeds=[0], n_boot=20))
    got = obs.backtest_summary()
    assert got["horizon"] == 1 and "recency" in got["summary"] and got["results"]
    assert got["results"][0]["trained"] is False                  # the forecaster could not train: not scored
    json.dumps(got, allow_nan=False)
    (row,) = got["by_horizon"]                                    # skill by horizon, with its sample sizes
    assert row["horizon"] == 1 and row["cutoffs"] and row["best_baseline"]
    assert row["n_eligible"] == sum(r["n_eligible"] for r in got["results"])
    from fastapi.testclient import TestClient

    from frontierwatch.web import create_app
    with TestClient(create_app(obs, obs.settings, secret_key="test-secret-key"), headers={"accept": "text/html"}) as c:
        page = c.get("/methodology?lang=zh")                      # baselines carry no F1: shown as a dash
        assert page.status_code == 200 and "不同预测期的表现" in page.text
        assert "extreme-growth-8pct" not in page.text and "极速增长" in page.text
    assert obs.topic(obs.topics()["topics"][0]["id"], horizon=1)["forecast_skill"]["horizon"] == 1


def test_web_pages_render_the_real_sections(obs):
    from fastapi.testclient import TestClient

    from frontierwatch.web import create_app

    tid = obs.topics()["topics"][0]["id"]
    with TestClient(create_app(obs, obs.settings, secret_key="test-secret-key"), headers={"accept": "text/html"}) as c:
        page = c.get(f"/topics/{tid}?lang=en")
        assert page.status_code == 200 and "1-year share growth" in page.text and "Breakthrough" in page.text
        assert "growth1" not in page.text  # signals by name on pages; raw keys only in the API
        assert c.get("/map").status_code == 200 and c.get("/directions/information").status_code == 200
        assert c.get("/map?colour=stage").status_code == 200
        api = c.get(f"/api/v1/topics/{tid}").json()
        assert api["built"] and _is_marker(api["forecast"]) and api["mapping"]["reason"]
        assert "growth1" in api["signals"]
        # the topic's numbers download as the page shows them; its documents link back to it
        series = c.get(f"/topics/{tid}/series.csv?lang=en")
        assert series.status_code == 200 and series.text.lstrip("\ufeff").startswith("year,documents,")
        assert c.get(f"/topics/{tid}/topic.xlsx").content[:2] == b"PK"
        doc_id = api["documents"][0]["doc_id"]
        assert f"/topics/{tid}?as_of=" in c.get(f"/documents/{doc_id}").text
