"""`update` brings the latest map up to the new documents' date without refitting, and equals a build at that
date with the same centroids (real sample: papers up to 2016 built, the 2017 papers arriving as the update)."""
from __future__ import annotations

import json

from frontierwatch.core import Observatory
from frontierwatch.topics.queries import parse_as_of

AS_OF = parse_as_of("2016-12-31")


def _rows(obs, sql: str, map_id: int) -> list[tuple]:
    return obs.store.con.execute(sql, [map_id]).fetchall()


def _map_tables(obs, map_id: int) -> dict:
    return {
        "topics": _rows(obs, "SELECT topic_id, field_id, label, size FROM topics WHERE map_id = ? ORDER BY topic_id", map_id),
        "doc_topics": _rows(obs, "SELECT doc_id, topic_id, round(distance, 5), fitted, candidate_new FROM doc_topics "
                                 "WHERE map_id = ? ORDER BY doc_id", map_id),
        "signals": _rows(obs, "SELECT topic_id, year, count, share FROM topic_signals WHERE map_id = ? "
                              "ORDER BY topic_id, year", map_id),
        "axes": _rows(obs, "SELECT topic_id, year, round(breakthrough, 9), round(industrialisation, 9), stage "
                           "FROM topic_axes WHERE map_id = ? ORDER BY topic_id, year", map_id),
        "fields": _rows(obs, "SELECT field_id, size FROM topic_fields WHERE map_id = ? ORDER BY field_id", map_id),
    }


def test_update_equals_a_build_at_the_same_date_with_the_same_centroids(built_store, split_sample, tmp_path):
    with Observatory(built_store) as obs:
        fitted = obs.topics()
        obs.ingest([split_sample[1]])
        report = obs.update([], forecast=False)
        info = report["topics"]
        newest = obs.store.con.execute("SELECT max(published) FROM documents").fetchone()[0]
        assert info.as_of == newest and newest.year == 2017 and info.prev_map_id == fitted["map_id"]
        updated = obs.topics()
        assert updated["as_of"] == str(newest)
        # no refit: same topic ids, labels and centroids; the new papers are counted
        assert [(t["id"], t["label"]) for t in updated["topics"]] == sorted(
            [(t["id"], t["label"]) for t in fitted["topics"]], key=lambda x: [t["id"] for t in updated["topics"]].index(x[0]))
        n_2017 = obs.store.con.execute("SELECT count(*) FROM documents WHERE year = 2017").fetchone()[0]
        assert sum(t["size"] for t in updated["topics"]) == sum(t["size"] for t in fitted["topics"]) + n_2017
        lineage = obs.store.con.execute("SELECT DISTINCT event, prev_map_id FROM topic_lineage WHERE map_id = ?",
                                        [info.map_id]).fetchall()
        assert lineage == [("continues", fitted["map_id"])]
        params = json.loads(obs.store.con.execute("SELECT params FROM topic_maps WHERE map_id = ?",
                                                  [info.map_id]).fetchone()[0])
        assert params["centroids_from"] == fitted["map_id"] and params["fit_as_of"] == "2016-12-31"
        got = _map_tables(obs, info.map_id)
        years = {y for _, y, _, _ in got["signals"]}
        assert 2017 in years
        # a rerun with nothing new rebuilds the same rows
        again = obs.update([], forecast=False)["topics"]
        assert again.as_of == newest and _map_tables(obs, again.map_id) == got

    # the reference: everything ingested at once, a build as of 2016-12-31, then a build as of the update's date
    # whose clustering is the 2016 map's centroids
    from frontierwatch.topics.update import map_from_centroids
    with Observatory(tmp_path / "reference") as ref:
        ref.ingest(list(split_sample))
        ref.build(AS_OF, n_topics=12, forecast=False)
        ref_info = map_from_centroids(ref.store, AS_OF, newest)
        ref.compute_signals(newest)
        assert _map_tables(ref, ref_info.map_id) == got
