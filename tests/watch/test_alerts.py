"""Alert rules after a real `update` (papers up to 2016 built, the 2017 papers arriving): a saved search raises
one alert with its evidence, a rerun raises nothing; edition and forecast rules on the same store."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from frontierwatch.cli.app import app
from frontierwatch.core import Observatory
from frontierwatch.text import search_terms

runner = CliRunner()


def fw(*args: str):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_update_raises_a_saved_search_alert_once_with_its_evidence(built_store, split_sample):
    fw("watch", "add", "--query", "neural networks", "--name", "nn")
    fw("watch", "add", "--query", "量子计算")                       # no Chinese papers in the sample: no alert
    assert json.loads(fw("alerts", "--json")) == {"alerts": []}
    out = fw("update", str(split_sample[1]))
    assert "1 new alerts" in out, out
    alerts = json.loads(fw("alerts", "--json"))["alerts"]
    assert len(alerts) == 1
    a = alerts[0]
    assert {"id", "watch", "kind", "created", "evidence"} <= set(a) and a["kind"] == "new_documents"
    assert a["watch_name"] == "nn" and not a["read"]
    ev = a["evidence"]
    assert ev["window"] == {"after": "2016-12-31", "until": a["as_of"]} and a["as_of"].startswith("2017")
    # the evidence is every 2017 paper whose title + abstract hold both words (plurals folded), and only those
    with Observatory(built_store) as obs:
        rows = obs.store.con.execute("SELECT doc_id, title || ' ' || coalesce(abstract, '') FROM documents "
                                     "WHERE published > DATE '2016-12-31'").fetchall()
    expected = {d for d, text in rows if {"neural", "network"} <= set(search_terms(text))}
    assert ev["n_documents"] == len(expected) > 0
    assert {d["doc_id"] for d in ev["documents"]} <= expected and len(ev["documents"]) == min(20, len(expected))
    assert all(d["published"] > "2016-12-31" for d in ev["documents"])
    # rerunning the same update (and a restart: a new process opens the store) raises nothing new
    out = fw("update", str(split_sample[1]))
    assert "0 new alerts" in out
    assert [x["id"] for x in json.loads(fw("alerts", "--json"))["alerts"]] == [a["id"]]
    fw("alerts", "--mark-read")
    assert json.loads(fw("alerts", "--json", "--unread")) == {"alerts": []}


def test_edition_lists_and_drops_watched_topics(built_store, split_sample):
    with Observatory(built_store) as obs:
        obs.catalog("2016H2", fmt="json", out=built_store / "e.json", min_size=5)
        listed = json.loads((built_store / "e.json").read_text())["entries"]
        topics = obs.topics()["topics"]
    assert listed
    inside = listed[0]["topic_id"]
    outside = next(t["id"] for t in topics if t["id"] not in {e["topic_id"] for e in listed})
    fw("watch", "add", "--topic", inside)
    fw("watch", "add", "--topic", outside)
    with Observatory(built_store) as obs:
        raised = obs.evaluate_alerts(edition="2016H2")
        alerts = obs.alerts("profile:default")
        editions = [a for a in alerts if a["kind"].startswith("edition")]
        assert [(a["kind"], a["evidence"]["entries"][0]["topic_id"]) for a in editions] == [("edition_listed", inside)]
        # the alert names the technology as the edition does, in each language, not by its keyword label
        assert listed[0]["name"]["zh"] in editions[0]["title"]["zh"]
        assert listed[0]["name"]["en"] in editions[0]["title"]["en"]
        # the catalog computed the map's forecast: a watched topic the forecaster calls raises forecast_crossed
        called = {t["id"] for t in obs.topics()["topics"] if (t["forecast"] or {}).get("call")}
        crossed = {a["evidence"]["topic_id"] for a in alerts if a["kind"] == "forecast_crossed"}
        assert crossed == called & {inside, outside}
        assert raised["raised"] == len(editions) + len(crossed)
        assert obs.evaluate_alerts(edition="2016H2")["raised"] == 0
