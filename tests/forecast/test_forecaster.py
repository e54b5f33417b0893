"""The forecaster's parts on small cases: calibration, implied spread, within-map ranks, the reliability curve."""
from __future__ import annotations

import numpy as np
import pytest

from frontierwatch.forecast.metrics import brier, reliability
from frontierwatch.forecast.model import Platt, batch_ranks, implied_spread


def test_platt_is_strictly_increasing_and_never_reverses_the_order():
    rng = np.random.default_rng(0)
    score = rng.random(2000)
    y = rng.random(2000) < score ** 3                     # higher score, more positives
    cal = Platt().fit(score, y)
    p = cal.predict(np.linspace(0.01, 1.0, 200))
    assert cal.a_ > 0 and np.all(np.diff(p) > 0)          # continuous and strictly increasing: no plateaus
    assert abs(cal.predict(score).mean() - y.mean()) < 0.02
    flat = Platt().fit(score, rng.random(2000) < 0.1)     # no relation: the base rate for everyone, not a reversal
    assert flat.a_ >= 0


def test_implied_spread_recovers_the_spread_of_the_outcome():
    from scipy.stats import norm

    rng = np.random.default_rng(1)
    need = rng.uniform(0.2, 1.0, 5000)
    mu = rng.normal(0.3, 0.5, 5000)
    sigma = 0.4
    outcome = rng.normal(mu, sigma)
    p = 1 - norm.cdf((need - mu) / sigma)                 # the true probability of clearing the bar
    assert implied_spread(p, need, outcome) == pytest.approx(sigma, rel=0.05)
    assert np.isnan(implied_spread(p[:10], need[:10], outcome[:10]))


def test_batch_ranks_rank_within_each_map_and_keep_missing_values():
    X = np.array([[1.0, np.nan], [3.0, 2.0], [2.0, 5.0], [10.0, 1.0], [20.0, np.nan]])
    r = batch_ranks(X, np.array([0, 0, 0, 1, 1]))
    assert r[:3, 0].tolist() == pytest.approx([1 / 3, 1.0, 2 / 3]) and r[3:, 0].tolist() == [0.5, 1.0]
    assert np.isnan(r[0, 1]) and np.isnan(r[4, 1]) and r[1, 1] == 0.5 and r[3, 1] == 1.0


def test_brier_and_reliability_curve():
    y = np.array([0, 0, 1, 1, 0, 1, 0, 0, 0, 1], dtype=bool)
    p = np.array([0.1, 0.2, 0.8, 0.9, 0.3, 0.7, 0.1, 0.2, 0.4, 0.6])
    assert brier(y, p) == pytest.approx(np.mean((p - y) ** 2))
    curve = reliability(y, p, bins=5)
    assert [b["n"] for b in curve] == [2] * 5 and curve[-1]["observed"] == 1.0 and curve[0]["observed"] == 0.0
    assert curve[0]["predicted"] <= curve[-1]["predicted"]
