"""Kleinberg's two-state burst automaton for batched arrivals, as CiteSpace uses it.

Kleinberg (2003), "Bursty and hierarchical structure in streams", section 4 ("enumerating" bursts): in batch
t, r_t of the d_t documents are relevant (here: belong to a topic). The base state emits relevant documents
with probability p0 = R/D (the series' overall rate), the burst state with p1 = s·p0. Emitting batch t from
state i costs −ln[C(d_t, r_t) p_i^r_t (1 − p_i)^(d_t − r_t)]; moving up a state costs γ·ln(n), moving down is
free. The Viterbi path gives the state of each batch; a burst's weight is the cost it saves, Σ_t over the burst
(cost₀ − cost₁). CiteSpace's defaults are s = 2 and γ = 1.

Everything is vectorised over topics: ``relevant`` is (n_topics, n_batches) and ``totals`` (n_batches,).
The automaton only ever sees the batches it is given, so callers get as-of values by truncating the series.
"""
from __future__ import annotations

import numpy as np

from frontierwatch.errors import InputError

__all__ = ["burst_states", "burst_as_of"]


def _costs(relevant: np.ndarray, totals: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray]:
    """Emission costs of the base and burst state, (n_topics, n_batches) each, without the binomial term.

    The binomial coefficient is the same in both states, so it changes neither the path nor the weights.
    """
    r = relevant.astype(np.float64)
    d = np.broadcast_to(totals.astype(np.float64), r.shape)
    grand = d.sum(axis=1, keepdims=True)
    p0 = np.where(grand > 0, r.sum(axis=1, keepdims=True) / np.where(grand > 0, grand, 1.0), 0.0)
    p0 = np.clip(p0, 1e-12, 1 - 1e-9)
    p1 = np.clip(s * p0, 1e-12, 0.9999)
    c0 = -(r * np.log(p0) + (d - r) * np.log1p(-p0))
    c1 = -(r * np.log(p1) + (d - r) * np.log1p(-p1))
    return c0, c1


def burst_states(relevant: np.ndarray, totals: np.ndarray, *, s: float = 2.0, gamma: float = 1.0
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Viterbi states and per-batch burst weights of each series.

    Parameters
    ----------
    relevant : (n_topics, n_batches) counts of topic documents per batch.
    totals : (n_batches,) counts of all documents per batch (≥ relevant).
    s : burst-state rate multiplier (> 1).  gamma : cost factor of moving up a state.

    Returns
    -------
    states : (n_topics, n_batches) int8, 1 where the topic is bursting.
    weights : (n_topics, n_batches) float64, the weight of the burst each batch belongs to (0 outside bursts).

    Examples
    --------
    >>> r = np.array([[1, 1, 1, 9, 9, 1]]); d = np.array([100] * 6)
    >>> burst_states(r, d)[0].tolist()
    [[0, 0, 0, 1, 1, 0]]
    """
    r = np.atleast_2d(np.asarray(relevant))
    d = np.asarray(totals)
    if r.shape[1] != d.shape[0]:
        raise InputError(f"relevant has {r.shape[1]} batches but totals has {d.shape[0]}; pass one total per batch",
                         f"relevant 有 {r.shape[1]} 个批次而 totals 有 {d.shape[0]} 个；每个批次需要一个总数")
    if s <= 1:
        raise InputError(f"s={s} should be > 1", f"s={s} 必须大于 1")
    n_topics, n = r.shape
    states = np.zeros((n_topics, n), dtype=np.int8)
    weights = np.zeros((n_topics, n), dtype=np.float64)
    if n == 0 or n_topics == 0:
        return states, weights
    c0, c1 = _costs(r, d, s)
    up = gamma * np.log(max(n, 2))
    # Viterbi: best cost of ending batch t in state 0 / 1; back-pointers say the previous state.
    best0, best1 = c0[:, 0].copy(), up + c1[:, 0]
    back = np.zeros((n_topics, n, 2), dtype=np.int8)
    for t in range(1, n):
        from1_to0 = best1 <= best0              # moving down is free
        new0 = np.where(from1_to0, best1, best0) + c0[:, t]
        stay1, climb = best1, best0 + up
        from1_to1 = stay1 <= climb
        new1 = np.where(from1_to1, stay1, climb) + c1[:, t]
        back[:, t, 0] = from1_to0
        back[:, t, 1] = from1_to1
        best0, best1 = new0, new1
    state = (best1 < best0).astype(np.int8)
    rows = np.arange(n_topics)
    for t in range(n - 1, -1, -1):
        states[:, t] = state
        state = back[rows, t, state]
    saving = c0 - c1
    # Weight of a burst = saved cost summed over its maximal run of burst batches, spread back over the run.
    for i in np.flatnonzero(states.any(axis=1)):
        row = states[i]
        t = 0
        while t < n:
            if row[t]:
                end = t
                while end + 1 < n and row[end + 1]:
                    end += 1
                weights[i, t:end + 1] = saving[i, t:end + 1].sum()
                t = end + 1
            else:
                t += 1
    return states, weights


def burst_as_of(relevant: np.ndarray, totals: np.ndarray, *, s: float = 2.0, gamma: float = 1.0
                ) -> tuple[np.ndarray, np.ndarray]:
    """For each batch t, the state and burst weight at t computed from batches ≤ t only (no look-ahead).

    Runs the automaton on every prefix of the series, so a burst's later evolution never leaks into an
    earlier batch. Returns two (n_topics, n_batches) arrays: state at the prefix's last batch, and the weight of
    the burst running at that batch (0 when not bursting).
    """
    r = np.atleast_2d(np.asarray(relevant))
    d = np.asarray(totals)
    n_topics, n = r.shape
    state = np.zeros((n_topics, n), dtype=np.int8)
    weight = np.zeros((n_topics, n), dtype=np.float64)
    for t in range(n):
        st, wt = burst_states(r[:, :t + 1], d[:t + 1], s=s, gamma=gamma)
        state[:, t] = st[:, t]
        weight[:, t] = wt[:, t]
    return state, weight
