"""Kleinberg's burst automaton on a synthetic burst and on real arXiv category series (the demo corpus)."""
from __future__ import annotations

import collections
import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from frontierwatch.errors import InputError
from frontierwatch.signals.kleinberg import burst_as_of, burst_states

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo" / "arxiv"


def test_synthetic_burst_is_found_with_its_weight():
    relevant = np.array([[2, 2, 2, 2, 12, 14, 13, 2, 2, 2]])
    totals = np.full(10, 200)
    states, weights = burst_states(relevant, totals)
    assert states[0].tolist() == [0, 0, 0, 0, 1, 1, 1, 0, 0, 0]
    # one burst: the same positive weight on each of its batches, zero elsewhere
    assert len(set(weights[0, 4:7])) == 1 and weights[0, 4] > 0
    assert (weights[0, :4] == 0).all() and (weights[0, 7:] == 0).all()


def test_flat_series_never_bursts_and_gamma_suppresses_short_blips():
    flat = np.array([[5] * 12])
    assert burst_states(flat, np.full(12, 100))[0].sum() == 0
    blip = np.array([[3, 3, 3, 6, 3, 3, 3, 3]])
    assert burst_states(blip, np.full(8, 100), gamma=5.0)[0].sum() == 0


def test_as_of_state_uses_only_the_prefix():
    r = np.array([[1, 1, 1, 9, 9, 1, 1, 1]])
    d = np.full(8, 100)
    state, weight = burst_as_of(r, d)
    for t in range(8):
        st, wt = burst_states(r[:, :t + 1], d[:t + 1])
        assert state[0, t] == st[0, t] and weight[0, t] == wt[0, t]
    # changing the future leaves earlier as-of values untouched
    r2 = r.copy()
    r2[0, 5:] = 50
    state2, weight2 = burst_as_of(r2, d)
    assert (state2[:, :5] == state[:, :5]).all() and (weight2[:, :5] == weight[:, :5]).all()


def test_bad_input_is_explained():
    with pytest.raises(InputError, match="batches"):
        burst_states(np.ones((1, 3)), np.ones(4))


def _category_series() -> tuple[list[int], dict[str, list[int]], list[int]]:
    totals: collections.Counter = collections.Counter()
    by_cat: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for path in sorted(DEMO.glob("arxiv-*.jsonl.gz")):
        year = int(path.name[6:10])
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                totals[year] += 1
                for cat in set(doc["categories"].split()):
                    by_cat[cat][year] += 1
    years = sorted(totals)
    return years, {c: [by_cat[c][y] for y in years] for c in ("cs.LG", "quant-ph", "cs.NI")}, [totals[y] for y in years]


def test_real_series_machine_learning_bursts_late_quantum_early():
    years, series, totals = _category_series()
    assert years[0] == 2010 and years[-1] == 2019
    states, weights = burst_states(np.array([series["cs.LG"], series["quant-ph"], series["cs.NI"]]), np.array(totals))
    lg, qp, ni = states
    assert lg[-2:].tolist() == [1, 1] and lg[:6].sum() == 0         # cs.LG: the deep-learning wave of 2018–19
    assert qp[0] == 1 and qp[-3:].sum() == 0                       # quant-ph: its share was highest early on
    assert ni.sum() == 0                                           # cs.NI: steady growth, no burst
    assert weights[0, -1] > weights[1, 0] > 0
