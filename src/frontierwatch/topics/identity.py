"""Stable topic ids across rebuilds, and the lineage between two topic maps.

A new map's clusters are matched one-to-one to the reference map's topics, best pair first, by Jaccard
overlap of their members restricted to documents both maps fitted (so documents added since do not dilute
the match), then — for what is left — by centroid cosine. A matched cluster inherits the old id; the rest get
fresh ids ``T00001``… numbered after the largest id the store has ever issued, so an id never means two
different topics. Lineage rows say what happened: continues, split, merge, born, died. Lineage always runs forward
in time: a map's rows are against the nearest earlier map (`lineage_between` recomputes them when a map is built
later in between), whatever map its ids were matched against.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)

MIN_JACCARD = 0.3   # one-to-one continuation by shared members
MIN_COSINE = 0.92   # one-to-one continuation by centroid alone (no shared documents)
MIN_FLOW = 0.2      # a split/merge link needs this share of both sides' shared members


@dataclass(frozen=True)
class PreviousMap:
    """What identity matching needs from the reference map.

    topic_ids : (n_old,) ids.  centroids : (n_old, dim) unit rows.
    member_docs : fitted doc ids.  member_topics : index into topic_ids for each of member_docs.
    """

    map_id: int
    topic_ids: list[str]
    centroids: np.ndarray
    member_docs: np.ndarray
    member_topics: np.ndarray


@dataclass(frozen=True)
class LineageRow:
    """One ``topic_lineage`` row (topic_id None for 'died', prev_topic_id None for 'born')."""

    topic_id: str | None
    prev_topic_id: str | None
    event: str
    jaccard: float | None
    cosine: float | None
    shared_docs: int


def format_topic_id(number: int) -> str:
    """``format_topic_id(7) == 'T00007'``."""
    return f"T{number:05d}"


def _contingency(doc_ids: np.ndarray, labels: np.ndarray, n_new: int, prev: PreviousMap):
    """Shared-member counts between new clusters and old topics, plus each side's shared totals."""
    common, new_pos, old_pos = np.intersect1d(doc_ids, prev.member_docs, assume_unique=True,
                                              return_indices=True)
    n_old = len(prev.topic_ids)
    counts = np.zeros((n_new, n_old), dtype=np.int64)
    np.add.at(counts, (labels[new_pos], prev.member_topics[old_pos]), 1)
    return counts, counts.sum(axis=1), counts.sum(axis=0), len(common)


@dataclass(frozen=True)
class _Overlap:
    """How two maps' topics overlap: shared-member counts, Jaccard, centroid cosine, the one-to-one matching
    (best pair first) and the split/merge links."""

    counts: np.ndarray
    jaccard: np.ndarray
    cosine: np.ndarray
    match_old: np.ndarray
    match_new: np.ndarray
    links: np.ndarray
    n_common: int


def _overlap(doc_ids: np.ndarray, labels: np.ndarray, centroids: np.ndarray, prev: PreviousMap) -> _Overlap:
    n_new = len(centroids)
    counts, new_tot, old_tot, n_common = _contingency(doc_ids, labels, n_new, prev)
    union = new_tot[:, None] + old_tot[None, :] - counts
    jaccard = np.where(union > 0, counts / np.maximum(union, 1), 0.0)
    cosine = centroids @ prev.centroids.T if len(prev.centroids) and n_new else np.zeros((n_new, len(prev.topic_ids)))

    match_old = np.full(n_new, -1)
    match_new = np.full(len(prev.topic_ids), -1)
    for score, threshold in ((jaccard, MIN_JACCARD), (cosine, MIN_COSINE)):
        rows, cols = np.nonzero(score >= threshold)
        order = np.lexsort((cols, rows, -score[rows, cols]))
        for r, c in zip(rows[order], cols[order]):
            if match_old[r] < 0 and match_new[c] < 0:
                match_old[r], match_new[c] = c, r
    flow_new = counts / np.maximum(new_tot[:, None], 1)
    flow_old = counts / np.maximum(old_tot[None, :], 1)
    links = (flow_new >= MIN_FLOW) & (flow_old >= MIN_FLOW)
    return _Overlap(counts, jaccard, cosine, match_old, match_new, links, n_common)


def _lineage(ids: list[str], prev: PreviousMap, o: _Overlap) -> list[LineageRow]:
    """Lineage rows from the overlap: a matched pair ``continues`` (other linked old topics ``merge`` into it); an
    unmatched new topic is ``split`` off one old topic, a ``merge`` of several, or ``born``; an old topic with no
    link ``died``."""
    lineage: list[LineageRow] = []

    def row(r, c, event):
        return LineageRow(ids[r] if r is not None else None, prev.topic_ids[c] if c is not None else None,
                          event, None if r is None or c is None else round(float(o.jaccard[r, c]), 4),
                          None if r is None or c is None else round(float(o.cosine[r, c]), 4),
                          0 if r is None or c is None else int(o.counts[r, c]))

    for r in range(len(ids)):
        parents = [c for c in np.nonzero(o.links[r])[0] if c != o.match_old[r]]
        if o.match_old[r] >= 0:
            lineage.append(row(r, o.match_old[r], "continues"))
            lineage.extend(row(r, c, "merge") for c in parents)          # other topics absorbed into r
        elif not parents:
            lineage.append(row(r, None, "born"))
        else:
            event = "merge" if len(parents) > 1 else "split"
            lineage.extend(row(r, c, event) for c in parents)
    for c in np.nonzero(o.match_new < 0)[0]:
        if not o.links[:, c].any():
            lineage.append(row(None, c, "died"))
    return lineage


def assign_topic_ids(doc_ids: np.ndarray, labels: np.ndarray, centroids: np.ndarray,
                     prev: PreviousMap | None, next_number: int) -> tuple[list[str], list[LineageRow]]:
    """Ids for the new clusters and the lineage rows against `prev`.

    Parameters
    ----------
    doc_ids : (n_fit,) fitted doc ids, sorted.  labels : (n_fit,) cluster index per doc.
    centroids : (n_new, dim) unit rows.  prev : reference map or None (first build).
    next_number : first counter value free for fresh ids.

    Fresh ids are handed out in cluster order (callers order clusters canonically), so a build is
    deterministic given the same store history.
    """
    n_new = len(centroids)
    if prev is None or not prev.topic_ids:
        ids = [format_topic_id(next_number + i) for i in range(n_new)]
        return ids, [LineageRow(t, None, "born", None, None, 0) for t in ids]
    o = _overlap(doc_ids, labels, centroids, prev)
    ids: list[str] = []
    fresh = next_number
    for r in range(n_new):
        if o.match_old[r] >= 0:
            ids.append(prev.topic_ids[o.match_old[r]])
        else:
            ids.append(format_topic_id(fresh))
            fresh += 1
    log.info("identity: %d of %d topics continue (%d shared docs), %d fresh ids",
             int((o.match_old >= 0).sum()), n_new, o.n_common, fresh - next_number)
    return ids, _lineage(ids, prev, o)


def lineage_between(later: PreviousMap, earlier: PreviousMap) -> list[LineageRow]:
    """Lineage rows of map `later` against map `earlier` when both already have their ids (a map built out of date
    order is chained in between, so its successor's lineage is recomputed). Same rules as `assign_topic_ids`; a
    ``continues`` pair may then carry two different ids (the later map took its ids from another map)."""
    if not earlier.topic_ids:
        return [LineageRow(t, None, "born", None, None, 0) for t in later.topic_ids]
    if not later.topic_ids:
        return [LineageRow(None, t, "died", None, None, 0) for t in earlier.topic_ids]
    return _lineage(later.topic_ids, earlier,
                    _overlap(later.member_docs, later.member_topics, later.centroids, earlier))
