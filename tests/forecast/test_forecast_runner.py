"""The store runners: signals, axes and forecasts of the store's own topic map, and the evidence per topic."""
from __future__ import annotations

import json
from datetime import date

import pytest

from frontierwatch.evidence import topic_evidence
from frontierwatch.forecast import build_forecasts, latest_backtest, read_forecasts, record_backtest, run_backtest
from frontierwatch.signals import build_signals
from frontierwatch.store import Store


def test_signals_forecasts_and_evidence_of_a_built_map(demo_store_copy):
    from frontierwatch.topics import build_topics

    with Store(demo_store_copy) as store:
        build_topics(store, as_of=date(2015, 12, 31), seed=0)
        info = build_signals(store)
        assert info["rows"] == info["topics"] * 6                     # years 2010–2015
        fc = build_forecasts(store, horizon=1)
        assert fc["train_cutoffs"] == [2012, 2013, 2014] and fc["n_eligible"] > 10
        result = run_backtest(store, cutoffs=[2014], horizon=1, seeds=[2], n_boot=20)
        assert record_backtest(store, result) == 1
        topic = store.con.execute("SELECT topic_id FROM topic_forecasts ORDER BY probability DESC LIMIT 1").fetchone()[0]
        ev = topic_evidence(store, topic, horizon=1)
        assert ev["signals"]["year"] == 2015 and set(ev["series"]) == set(range(2010, 2016))
        parts = dict(ev["axes"]["breakthrough_parts"])
        assert sum(parts.values()) == pytest.approx(ev["axes"]["breakthrough"])
        assert ev["axes"]["stage"] in ("emerging", "growing", "mature", "declining")
        assert 0 <= ev["forecast"]["probability"] <= 1 and ev["forecast"]["threshold"] is not None
        stored = latest_backtest(store, 1)
        assert ev["skill"]["horizon"] == 1 and ev["skill"] == {k: v for k, v in stored.items() if k != "result_json"}
        assert json.loads(stored["result_json"])["cutoffs"] == [2014]
        assert ev["forecast"] == read_forecasts(store, fc["map_id"], 1)[topic]
        assert ev["forecast"]["rank"] == 1 and ev["forecast"]["call"]
        assert "impact" in ev["signals"]["missing"]                  # arXiv has no citations: missing, not 0
