"""Signals that come from a topic's document counts alone: share, growth, acceleration, bursts, recency, birth.

Every function takes a (n_topics, n_years) count matrix (years ``first … last`` in columns) and returns arrays
of the same shape whose column for year y depends only on columns ≤ y — the no-look-ahead rule holds by
construction, and `burst_as_of` re-runs Kleinberg's automaton on each prefix.
"""
from __future__ import annotations

import numpy as np

from frontierwatch.signals.kleinberg import burst_as_of, burst_states

__all__ = ["share_signals", "burst_signals", "monthly_burst_signals", "age_signals"]

SMOOTH = 0.5  # documents added to every count before taking log shares (keeps empty years finite)


def _lagged(x: np.ndarray, k: int) -> np.ndarray:
    out = np.full_like(x, np.nan, dtype=np.float64)
    if k < x.shape[1]:
        out[:, k:] = x[:, :-k] if k else x
    return out


def share_signals(counts: np.ndarray, totals: np.ndarray) -> dict[str, np.ndarray]:
    """Share, log-share growth over 1/2/3 years, acceleration, trend slope and distance from the peak.

    ``growthK`` = ln((c_y+½)/N_y) − ln((c_{y−K}+½)/N_{y−K}) (NaN before the series starts); ``count_growth2``
    = ln((c_y+½)/(c_{y−2}+½)), the same over plain document counts, with ``count_prev2`` = c_{y−2} and
    ``share_prev2`` = c_{y−2}/N_{y−2} beside it (the lifecycle stage reads counts and share together and
    states these numbers); ``acceleration``
    = growth1(y) − growth1(y−1); ``trend_slope`` = least-squares slope of the log share over y−3…y;
    ``peak_share`` / ``peak_year`` = the highest share up to y and its year; ``share_to_peak`` = share / peak.
    """
    c = counts.astype(np.float64)
    n = np.maximum(totals.astype(np.float64), 1.0)
    share = c / n
    log_share = np.log((c + SMOOTH) / n)
    out = {"count": c, "cum_count": np.cumsum(c, axis=1), "share": share, "log_share": log_share}
    for k in (1, 2, 3):
        out[f"growth{k}"] = log_share - _lagged(log_share, k)
    out["count_prev2"] = _lagged(c, 2)
    out["share_prev2"] = _lagged(share, 2)
    out["count_growth2"] = np.log(c + SMOOTH) - np.log(out["count_prev2"] + SMOOTH)
    out["acceleration"] = out["growth1"] - _lagged(out["growth1"], 1)
    # Slope of the log share over the last four years (a line through y−3…y; NaN with < 4 years of history).
    xs = np.arange(4, dtype=np.float64) - 1.5
    window = np.stack([_lagged(log_share, 3 - i) for i in range(4)], axis=2)  # (topics, years, 4)
    out["trend_slope"] = (window * xs).sum(axis=2) / (xs ** 2).sum()
    peak = np.maximum.accumulate(share, axis=1)
    # Peak year: the last year at which the running maximum was reached (ties → the latest, as CSET does).
    years_idx = np.arange(c.shape[1])
    at_peak = share >= peak - 1e-15
    out["peak_share"] = peak
    out["peak_index"] = np.maximum.accumulate(np.where(at_peak, years_idx, 0), axis=1).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_to_peak"] = np.where(peak > 0, share / peak, np.nan)
    return out


def burst_signals(counts: np.ndarray, totals: np.ndarray, *, s: float = 2.0, gamma: float = 1.0
                  ) -> dict[str, np.ndarray]:
    """Yearly Kleinberg burst state and weight as of each year (see `frontierwatch.signals.kleinberg`)."""
    state, weight = burst_as_of(counts, totals, s=s, gamma=gamma)
    return {"burst_state": state.astype(np.float64), "burst_weight": weight}


def monthly_burst_signals(monthly: np.ndarray, monthly_totals: np.ndarray, n_years: int, *, s: float = 2.0,
                          gamma: float = 1.0) -> dict[str, np.ndarray]:
    """Kleinberg on the monthly series, read at the end of each year (automaton run on months ≤ December y).

    Parameters
    ----------
    monthly : (n_topics, 12 × n_years) counts of month-dated documents.  monthly_totals : (12 × n_years,).

    Returns ``burst_month_state`` (state in December y), ``burst_months`` (bursting months in year y) and
    ``burst_month_weight`` (largest burst weight over year y's months), each (n_topics, n_years); NaN for
    years with no month-dated document.
    """
    n_topics = monthly.shape[0]
    state = np.full((n_topics, n_years), np.nan)
    months = np.full((n_topics, n_years), np.nan)
    weight = np.full((n_topics, n_years), np.nan)
    for y in range(n_years):
        end = 12 * (y + 1)
        if monthly_totals[12 * y:end].sum() == 0:
            continue
        st, wt = burst_states(monthly[:, :end], monthly_totals[:end], s=s, gamma=gamma)
        state[:, y] = st[:, end - 1]
        months[:, y] = st[:, 12 * y:end].sum(axis=1)
        weight[:, y] = wt[:, 12 * y:end].max(axis=1)
    return {"burst_month_state": state, "burst_months": months, "burst_month_weight": weight}


def age_signals(counts: np.ndarray, first_year: int) -> dict[str, np.ndarray]:
    """Recency and birth from the cumulative age profile of each topic's documents.

    ``mean_age`` / ``median_age`` = mean / median of (y − document year) over the topic's documents ≤ y;
    ``birth_year`` = the year by which 10% of those documents had appeared; ``age`` = y − birth_year.
    NaN while a topic has no documents.
    """
    c = counts.astype(np.float64)
    n_topics, n_years = c.shape
    years = first_year + np.arange(n_years, dtype=np.float64)
    cum = np.cumsum(c, axis=1)
    cum_year = np.cumsum(c * years, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_year = np.where(cum > 0, cum_year / cum, np.nan)
    mean_age = years - mean_year
    median_age = np.full_like(c, np.nan)
    birth = np.full_like(c, np.nan)
    for j in range(n_years):
        total = cum[:, j]
        ok = total > 0
        if not ok.any():
            continue
        run = cum[:, :j + 1]
        # first year index whose running count reaches the fraction of the total to date
        half = (run >= 0.5 * total[:, None]).argmax(axis=1)
        tenth = (run >= 0.1 * total[:, None]).argmax(axis=1)
        median_age[ok, j] = years[j] - years[half[ok]]
        birth[ok, j] = years[tenth[ok]]
    return {"mean_age": mean_age, "median_age": median_age, "birth_year": birth, "age": years - birth}
