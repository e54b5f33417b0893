"""The backtest on a small real store: the JSON shape of issue 4, metrics in range, CLI and report."""
from __future__ import annotations

import json
import math

import pytest

from frontierwatch.errors import InputError
from frontierwatch.forecast import METHODS, run_backtest
from frontierwatch.forecast.metrics import average_precision, extreme_growth, precision_at
from frontierwatch.store import Store


def _check_method(m: dict, forecaster: bool) -> None:
    keys = {"ap", "ap_ci", "p_at_20", "p_at_50", "spearman"} | ({"f1"} if forecaster else set())
    assert keys <= set(m)
    if not math.isnan(m["ap"]):
        assert 0 <= m["ap"] <= 1 and len(m["ap_ci"]) == 2 and m["ap_ci"][0] <= m["ap_ci"][1]
    assert 0 <= m["p_at_20"] <= 1 and 0 <= m["p_at_50"] <= 1


@pytest.fixture(scope="module")
def result(demo_store_dir):
    with Store(demo_store_dir) as store:
        return run_backtest(store, cutoffs=[2013, 2014], horizon=1, seeds=[2, 3], n_boot=50)


def test_json_shape_of_issue_4(result):
    assert result["horizon"] == 1 and result["label"] == "extreme-growth-8pct"
    assert [(r["cutoff"], r["seed"]) for r in result["results"]] == [(2013, 2), (2013, 3), (2014, 2), (2014, 3)]
    assert [r["trained"] for r in result["results"]] == [False, False, True, True]   # 2013: too few past growers
    for r in result["results"]:
        assert r["n_eligible"] > 0 and 0 <= r["n_positive"] <= r["n_eligible"]
        assert r["positive_rate"] == pytest.approx(r["n_positive"] / r["n_eligible"])
        assert set(r["methods"]) == set(METHODS) - ({"frontierwatch"} if not r["trained"] else set())
        for name, m in r["methods"].items():
            _check_method(m, name == "frontierwatch")
    assert set(result["summary"]) == set(METHODS)
    for s in result["summary"].values():
        assert {"mean_ap", "mean_p_at_50", "mean_spearman"} <= set(s)
    json.dumps(result, allow_nan=True)               # JSON-ready


def test_walk_forward_trains_only_on_known_outcomes(result):
    by_cutoff = {r["cutoff"]: r for r in result["results"]}
    assert by_cutoff[2013]["train_cutoffs"] == [2012]            # 2012 + 1 ≤ 2013
    assert by_cutoff[2014]["train_cutoffs"] == [2012, 2013]


def test_cutoff_without_enough_future_is_refused(demo_store_dir):
    with Store(demo_store_dir) as store, pytest.raises(InputError, match="cutoffs"):
        run_backtest(store, cutoffs=[2015], horizon=3, seeds=[0])


def test_label_and_metrics_on_small_cases():
    import numpy as np

    # peak at the cutoff (2015), share grows 30% over 3 years: 1.3^(1/3) = 1.091 > 1.08
    assert extreme_growth(np.array([0.013]), np.array([0.010]), np.array([2015]), 2018).tolist() == [True]
    # an old peak in 2010 that the topic only regains: not extreme growth
    assert extreme_growth(np.array([0.010]), np.array([0.010]), np.array([2010]), 2018).tolist() == [False]
    y = np.array([1, 0, 1, 0, 0], dtype=bool)
    assert average_precision(y, np.array([5, 4, 3, 2, 1])) == pytest.approx((1 + 2 / 3) / 2)
    assert precision_at(y, np.array([5, 4, 3, 2, 1]), 2) == 0.5


def test_cli_writes_json_and_bilingual_report(demo_store_copy, tmp_path):
    from typer.testing import CliRunner
    import typer

    from frontierwatch.cli.signals import backtest_command

    app = typer.Typer()
    app.command("backtest")(backtest_command)
    app.command("noop")(lambda: None)
    out, report = tmp_path / "bt.json", tmp_path / "bt.html"
    res = CliRunner().invoke(app, ["backtest", "--cutoffs", "2013", "--horizon", "2", "--json", str(out),
                                   "--report", str(report), "--store", str(demo_store_copy)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["horizon"] == 2 and data["results"][0]["cutoff"] == 2013
    html = report.read_text(encoding="utf-8")
    assert "<svg" in html and "Average precision" in html and "平均精度" in html


def test_call_is_the_top_fraction_of_eligible_topics_chosen_for_f1():
    import numpy as np

    from frontierwatch.forecast.metrics import best_call_fraction, top_fraction

    score = np.array([0.9, 0.8, 0.7, np.nan, 0.1])
    assert top_fraction(score, 0.4).tolist() == [True, True, False, False, False]
    assert top_fraction(score, 0.4, eligible=np.array([False, True, True, True, True])).tolist() == \
        [False, True, True, False, False]
    y = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0] * 2, dtype=bool)
    s = np.tile(np.arange(10, 0, -1), 2).astype(float)
    groups = np.repeat([2011, 2012], 10)
    q = best_call_fraction(y, s, groups)
    assert top_fraction(s[:10], q).tolist() == y[:10].tolist()        # the two positives of each group, only
