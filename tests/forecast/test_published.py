"""What is published is what was measured: the order `topics --sort forecast` shows as of a date is the order the
backtest scores for that date and seed; the published numbers cannot contradict each other; nothing is
computed twice."""
from __future__ import annotations

import shutil
from datetime import date

import numpy as np
import pytest

from frontierwatch.core import Observatory
from frontierwatch.forecast import run_backtest
from frontierwatch.forecast.runner import match_topics
from frontierwatch.settings import load_settings
from frontierwatch.topics.tables import map_centroids

AS_OF, HORIZON, SEED = date(2014, 12, 31), 1, 2  # seed 2: enough past growers on this small corpus


@pytest.fixture(scope="module")
def published(demo_store_dir, tmp_path_factory):
    """A store built as of AS_OF (the user's path), then backtested at AS_OF's year (the reviewer's path)."""
    path = tmp_path_factory.mktemp("published") / "store"
    shutil.copytree(demo_store_dir, path)
    with Observatory(path, settings=load_settings(topic_seed=SEED)) as obs:
        obs.build(AS_OF, horizon=HORIZON)
        build = obs.last_build
        shown = obs.topics(AS_OF, sort="forecast", horizon=HORIZON)
        result = run_backtest(obs.store, cutoffs=[AS_OF.year], horizon=HORIZON, seeds=[SEED], n_boot=20)
        ids, centroids = map_centroids(obs.store, shown["map_id"])
        rows = obs.store.con.sql("SELECT * FROM topic_forecasts WHERE map_id = $m AND horizon = $h",
                                 params={"m": shown["map_id"], "h": HORIZON}).to_arrow_table().to_pylist()
    return {"path": path, "build": build, "shown": shown, "result": result, "ids": ids, "centroids": centroids,
            "rows": rows}


def test_topics_sorted_by_forecast_are_the_order_the_backtest_scores(published):
    r = published["result"]["results"][0]
    assert r["cutoff"] == AS_OF.year and r["seed"] == SEED and r["trained"]
    from frontierwatch.forecast import ForecastCaches, load_corpus, take_snapshot
    from frontierwatch.store import Store

    with Store(published["path"], read_only=True) as store:
        fit = take_snapshot(load_corpus(store).until(AS_OF.year), AS_OF.year, SEED, caches=ForecastCaches(store)).fit
    index = dict(zip(published["ids"], match_topics(published["centroids"], fit.centroids, 0, AS_OF)))
    shown = [t for t in published["shown"]["topics"] if (t["forecast"] or {}).get("rank") is not None]
    assert len(shown) == r["n_eligible"] > 10
    assert [index[t["id"]] for t in shown] == r["ranking"]          # the same topics in the same order
    ranks = [t["forecast"]["rank"] for t in shown]
    assert ranks == list(range(1, len(shown) + 1))                   # a total order: no ties left to chance


def test_published_numbers_cannot_contradict(published):
    rows = [r for r in published["rows"] if r["eligible"]]
    assert rows and all(r["rank"] is not None for r in rows)
    rows.sort(key=lambda r: r["rank"])
    p = np.array([r["probability"] for r in rows])
    assert np.all(np.diff(p) <= 1e-12)                               # higher in the order, never less likely
    assert len(np.unique(np.round(p, 6))) > 0.8 * len(p)            # no plateaus
    k = int(round(p.sum()))
    assert [r["call"] for r in rows] == [i < k for i in range(len(rows))]
    for r in rows:
        assert 0 <= r["probability_low"] <= r["probability"] <= r["probability_high"] <= 1
        ratio, need = r["expected_share_ratio"], r["required_ratio"]
        if ratio is not None and not np.isnan(ratio):
            assert (r["probability"] >= 0.5) == (ratio >= need)     # P ≥ ½ exactly when the ratio meets the bar
        assert need >= 1.08 ** HORIZON - 1e-9                      # the label always asks for growth
    assert all(r["probability"] is None or np.isnan(r["probability"]) for r in published["rows"] if not r["eligible"])


def test_a_second_build_and_backtest_compute_nothing(published):
    with Observatory(published["path"], settings=load_settings(topic_seed=SEED)) as obs:
        result = run_backtest(obs.store, cutoffs=[AS_OF.year], horizon=HORIZON, seeds=[SEED], n_boot=20)
        assert result["cache"]["fits_computed"] == 0 and result["cache"]["features_computed"] == 0
        assert result["cache"]["forecasts_computed"] == 0
        assert result["results"][0]["ranking"] == published["result"]["results"][0]["ranking"]
        obs.build(AS_OF, horizon=HORIZON)
        assert obs.last_build["forecast"]["run_key"] == published["build"]["forecast"]["run_key"]
        fits = obs.store.con.execute("SELECT count(*), count(DISTINCT fit_key) FROM topic_fits").fetchall()[0]
    assert fits[0] == fits[1]                                        # each fit stored once
