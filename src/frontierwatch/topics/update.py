"""Updating a topic map to a later date without refitting it: the monthly `frontierwatch update`.

`map_from_centroids` writes a new map as of a later date that keeps the source map's topics — ids, centroids,
labels, keyphrases, fields, layout — and reassigns every document with a vector to its nearest centroid. It is
exactly what a build as of that date would give if its clustering returned the source map's centroids: a
topic's members are the documents nearest to its centroid (the k-means fit's own labels are nearest-centroid
labels, `KMeansTopics.fit`), ``fitted`` marks the documents dated on or before the new as-of date (the ones
the map counts: topic sizes, signals, forecasts), ``candidate_new`` the documents the centroids were not fit on
that lie beyond the source map's candidate distance. So counts, signals, axes, forecasts and directions of the
new map take in the new documents while the map itself stays the one that was fitted.

Lineage is kept: the new map's ``prev_map_id`` is the source map, every topic ``continues`` from itself (with
its member overlap; when another map lies between the source and the new date, the lineage runs from that one,
`topics.lineage`), and ``params`` records ``centroids_from`` (the source map) and ``fit_as_of`` (the date the
centroids were fitted as of), so an update of an update still knows where its centroids came from. Updating
again to the same date rebuilds that map from the same source, so reruns give the same rows.
"""
from __future__ import annotations

import json
import logging
import time
from datetime import date

import numpy as np
import pyarrow as pa

from frontierwatch.errors import InputError
from frontierwatch.store import Store
from frontierwatch.store.periods import update_as_of
from frontierwatch.topics import tables
from frontierwatch.topics.build import TopicMapInfo, _check_writable, _refresh_candidate_topics
from frontierwatch.topics.lineage import chain_map, chain_successor
from frontierwatch.topics.model import nearest_centroid

log = logging.getLogger(__name__)


def update_source(store: Store) -> dict:
    """The map an update starts from: the latest map, or — when the latest is itself an update — the map its
    centroids came from when no document is newer than it (so a rerun rebuilds the same rows)."""
    latest = tables.map_row(store)
    params = json.loads(latest["params"]) if isinstance(latest["params"], str) else (latest["params"] or {})
    newest = update_as_of(store)
    if params.get("centroids_from") is not None and newest is not None and newest <= latest["as_of"]:
        source = tables.map_as_of(store, params["centroids_from"])
        if source is not None:
            return tables.map_row(store, source)
    return latest


def map_from_centroids(store: Store, source_as_of: date, as_of: date, *, min_candidate_size: int = 10) -> TopicMapInfo:
    """Write the map as of `as_of` with the topics of the map as of `source_as_of` (see the module docstring).

    Tables written: topic_maps, topic_fields, topics, doc_topics, topic_lineage, candidate_topics (rows of an
    earlier map of the same `as_of` are replaced). Reads: the source map's rows, ``embeddings``, ``documents``.
    """
    from frontierwatch.embed import load_embeddings

    _check_writable(store)
    started = time.perf_counter()
    src = tables.map_row(store, source_as_of)
    if as_of < src["as_of"]:
        raise InputError(f"an update goes forward: as_of={as_of} is before the map's {src['as_of']}",
                         f"更新只能向后：as_of={as_of} 早于主题图日期 {src['as_of']}")
    params = json.loads(src["params"]) if isinstance(src["params"], str) else dict(src["params"] or {})
    fit_as_of = date.fromisoformat(params.get("fit_as_of") or str(src["as_of"]))
    topic_ids, centroids = tables.map_centroids(store, src["map_id"])
    all_ids, vectors = load_embeddings(store, model=src["embed_model"])
    keep = np.nonzero(np.linalg.norm(vectors, axis=1) > 0)[0]
    doc_ids = [all_ids[i] for i in keep]
    idx, dist = nearest_centroid(vectors[keep], centroids)
    counted = set(tables.dated_doc_ids(store, as_of))
    fit_set = set(tables.dated_doc_ids(store, fit_as_of))
    fitted = np.fromiter((d in counted for d in doc_ids), bool, len(doc_ids))
    new = np.fromiter((d not in fit_set for d in doc_ids), bool, len(doc_ids))
    candidate = new & (dist > src["candidate_distance"])
    k = len(topic_ids)
    sizes = np.bincount(idx[fitted], minlength=k)
    tid = np.array(topic_ids, dtype=object)
    with store.tables.transaction():
        map_id = tables.next_map_id(store)
        old = tables.map_id_as_of(store, as_of)
        if old is not None:
            tables.delete_map(store, old)
        params |= {"centroids_from": src["map_id"], "fit_as_of": str(fit_as_of)}
        tables.copy_map(store, map_id, src["map_id"], as_of, json.dumps(params),
                        pa.table({"topic_id": topic_ids, "size": sizes.astype(np.int64)}))
        store.tables.append("doc_topics", pa.table({
            "map_id": pa.array(np.full(len(doc_ids), map_id, dtype=np.int32)), "doc_id": doc_ids,
            "topic_id": tid[idx].tolist(), "distance": dist.astype(np.float32), "fitted": fitted,
            "candidate_new": candidate}))
        earlier = tables.earlier_map(store, as_of)
        if earlier == src["map_id"]:
            tables.write_continuing_lineage(store, map_id, src["map_id"])
        else:  # a map was built between the source and this date: the lineage runs from that one
            members = np.nonzero(fitted)[0]
            chain_map(store, map_id, as_of, topic_ids, [doc_ids[i] for i in members], idx[members], centroids,
                      None, None)
        chain_successor(store, map_id, as_of)
        n_cand_topics = _refresh_candidate_topics(store, map_id, src["seed"], min_candidate_size)
    info = TopicMapInfo(map_id, as_of, k, src["n_fields"], int(fitted.sum()), int((~fitted).sum()),
                        int(candidate.sum()), n_cand_topics, src["map_id"], round(time.perf_counter() - started, 2))
    log.info("map %d as of %s from the centroids of map %d (%s): %d documents counted, %d candidates in %.1f s",
             map_id, as_of, src["map_id"], src["as_of"], info.n_docs_fit, info.n_candidates, info.seconds)
    return info

