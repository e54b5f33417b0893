"""Lineage forward in time: every map chains to the nearest earlier map by date, whatever order maps were built in.

A build of a date between two existing maps (or before all of them) takes its lineage from the nearest earlier map
and becomes the earlier map of the next later one, whose lineage is then recomputed against it
(`topics.identity.lineage_between`). Topic ids are not touched: they stay what they were when each map was built.
`lineage_links` composes the rows of a chain of maps into "which topics of map A became which topics of map B",
what the catalog's "what changed" follows.
"""
from __future__ import annotations

import logging
from datetime import date

import numpy as np

from frontierwatch.store import Store
from frontierwatch.topics import tables
from frontierwatch.topics.identity import LineageRow, PreviousMap, lineage_between

log = logging.getLogger(__name__)


def chain_map(store: Store, map_id: int, as_of: date, ids: list[str], doc_ids: list[str], labels: np.ndarray,
              centroids: np.ndarray, rows: list[LineageRow] | None, rows_against: int | None) -> int | None:
    """Chain map `map_id` (as of `as_of`) to the nearest earlier map and return that map's id (None: it is the
    first). `rows` are lineage rows already computed against map `rows_against` (the map its ids came from); they are
    kept when that is the earlier map, recomputed otherwise. Call inside the caller's transaction, after the map's
    topics are written."""
    earlier = tables.earlier_map(store, as_of)
    if earlier is not None and (rows is None or earlier != rows_against):
        this = PreviousMap(map_id, list(ids), np.asarray(centroids, np.float32),
                           np.array(doc_ids, dtype=object), np.asarray(labels, np.int64))
        rows = lineage_between(this, tables.load_previous_map(store, earlier))
    tables.write_lineage(store, map_id, earlier, rows or [])
    return earlier


def chain_successor(store: Store, map_id: int, as_of: date) -> int | None:
    """Recompute the lineage of the nearest later map against map `map_id` (as of `as_of`); returns the later map's id
    (None: there is none). Call inside the caller's transaction."""
    later = tables.later_map(store, as_of)
    if later is None:
        return None
    rows = lineage_between(tables.load_previous_map(store, later), tables.load_previous_map(store, map_id))
    tables.write_lineage(store, later, map_id, rows)
    log.info("map %d now chains to map %d (as of %s): %d lineage rows", later, map_id, as_of, len(rows))
    return later


def lineage_links(store: Store, from_map: int, to_map: int) -> dict[str, set[str]] | None:
    """``{topic of to_map: {topics of from_map it descends from}}`` along the chain of maps from `from_map` forward to
    `to_map` (continues, split and merge links composed map by map; a born topic maps to the empty set). None when
    `to_map` does not chain back to `from_map` (e.g. `from_map` was deleted or is later)."""
    if from_map == to_map:
        return {t: {t} for t in tables.map_topic_ids(store, to_map)}
    chain = tables.map_chain(store, to_map)
    if from_map not in chain:
        return None
    links: dict[str, set[str]] | None = None
    for later, earlier in zip(chain, chain[1:]):
        step: dict[str, set[str]] = {}
        for topic, prev in tables.lineage_pairs(store, later):
            step.setdefault(topic, set())
            if prev is not None:
                step[topic].add(prev)
        links = step if links is None else {t: set().union(*(step.get(p, set()) for p in ps)) if ps else set()
                                            for t, ps in links.items()}
        if earlier == from_map:
            return links
    return None
