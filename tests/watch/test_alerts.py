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


def test_a_watched_topic_that_split_is_followed_not_dropped(built_store):
    """The next edition lists the watched topic only through the two topics it split into (lineage links as
    `topics.lineage` gives them, the changes computed by the catalog's own `diff_editions`): the alert says it is
    listed through its successors, and no "dropped" alert is raised; a direction watch does not count them as new."""
    from frontierwatch.catalog import diff_editions, load_edition, save_edition
    from frontierwatch.catalog.edition import Edition

    with Observatory(built_store) as obs:
        obs.catalog("2016H2", fmt="json", out=built_store / "e.json", min_size=5)
        first = load_edition(obs.store, "2016H2")
        watched = first.entries[0]
        parts = [watched | {"topic_id": f"T9000{i}", "overall_rank": watched["overall_rank"] + i} for i in (1, 2)]
        second = Edition.from_json(first.to_json() | {"edition": "2017H1", "as_of": "2017-06-30",
                                                      "entries": parts + first.entries[1:]})
        links = {p["topic_id"]: {watched["topic_id"]} for p in parts} | {e["topic_id"]: {e["topic_id"]}
                                                                          for e in first.entries[1:]}
        second.changes = diff_editions(first, second, links)
        assert [c["topic_id"] for c in second.changes["split"]] == ["T90001", "T90002"]
        save_edition(obs.store, second)
    fw("watch", "add", "--topic", watched["topic_id"])
    fw("watch", "add", "--direction", watched["direction"]["id"])
    with Observatory(built_store) as obs:
        obs.evaluate_alerts(edition="2017H1")
        alerts = [a for a in obs.alerts("profile:default") if a["kind"].startswith("edition")]
    topic_alerts = [a for a in alerts if a["evidence"].get("watched") == watched["topic_id"]]
    assert [a["kind"] for a in topic_alerts] == ["edition_listed"]
    ev = topic_alerts[0]["evidence"]
    assert [(e["topic_id"], e["lineage"]) for e in ev["entries"]] == [("T90001", "split"), ("T90002", "split")]
    assert "分裂" in topic_alerts[0]["title"]["zh"] and "split from it" in topic_alerts[0]["title"]["en"]
    assert not any(a["kind"] == "edition_dropped" for a in alerts)
    assert not any(a["evidence"].get("edition") == "2017H1" and a["evidence"].get("watched") is None
                   and any(e["topic_id"].startswith("T9000") for e in a["evidence"]["entries"]) for a in alerts)
