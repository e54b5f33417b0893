"""The topic stage runner: build an as-of topic map, and assign new documents to it.

Reads ``documents`` (doc_id, title, abstract, published) and ``embeddings`` (via the embed API); writes the
migration-0003 tables ``topic_maps``, ``topic_fields``, ``topics``, ``doc_topics``, ``topic_lineage`` and
``candidate_topics``. A build fits only documents published on or before ``as_of`` (undated documents are
never fitted), sorted by doc_id with a fixed seed, so the same documents and settings give the same map;
every other document with a vector is assigned to its nearest topic. A zero vector (a text in which the
model knows no token, e.g. Chinese under the English static model) matches nothing and is left out. Rebuilding an as-of replaces that
map in one transaction, keeping topic ids where the topics continue. Lineage runs forward in time whatever the
order of builds: the map chains to the nearest earlier map, and the next later map is re-chained to it
(`topics.lineage`).
"""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from frontierwatch.embed.embedders import DEFAULT_MODEL
from frontierwatch.errors import InputError, NotFoundError, StoreError
from frontierwatch.store import Store
from frontierwatch.store.periods import default_as_of
from frontierwatch.topics import tables
from frontierwatch.topics.fits import FitCache, canonical_order, fit_topics
from frontierwatch.topics.assign import assign_to_centroids, candidate_distance, cluster_candidates
from frontierwatch.topics.identity import assign_topic_ids
from frontierwatch.topics.labels import class_tfidf, document_phrase_matrix, label_from_keyphrases, top_keyphrases
from frontierwatch.topics.lineage import chain_map, chain_successor
from frontierwatch.topics.layout import field_positions, topic_layout
from frontierwatch.topics.model import default_n_fields, group_fields

log = logging.getLogger(__name__)

N_REPRESENTATIVES = 5
METHOD = "kmeans"


@dataclass(frozen=True)
class TopicMapInfo:
    """What a build did: the map, its size, and how long it took (seconds)."""

    map_id: int
    as_of: date
    n_topics: int
    n_fields: int
    n_docs_fit: int
    n_docs_assigned: int
    n_candidates: int
    n_candidate_topics: int
    prev_map_id: int | None
    seconds: float


@dataclass(frozen=True)
class AssignInfo:
    """What an incremental assignment did."""

    map_id: int
    as_of: date
    n_assigned: int
    n_candidates: int
    n_candidate_topics: int
    seconds: float


def _check_writable(store: Store) -> None:
    if store.read_only:
        raise StoreError(f"store {store.path} is open read-only; open it writable to build topics",
                         f"数据库 {store.path} 以只读方式打开；构建主题需要可写方式")


def _representatives(doc_ids: list[str], labels: np.ndarray, dist: np.ndarray, n_topics: int) -> list[list[str]]:
    order = np.lexsort((np.arange(len(labels)), dist, labels))
    reps: list[list[str]] = [[] for _ in range(n_topics)]
    for i in order:
        if len(reps[labels[i]]) < N_REPRESENTATIVES:
            reps[labels[i]].append(doc_ids[i])
    return reps


def build_topics(store: Store, as_of: date | None = None, seed: int = 0, n_topics: int | None = None,
                 progress: Callable[[str], None] | None = None, *, embed_model: str = DEFAULT_MODEL,
                 n_fields: int | None = None, min_candidate_size: int = 10) -> TopicMapInfo:
    """Fit the topic map of `as_of` (default: the end of the last complete year, `store.periods.default_as_of`, so
    a straggler dated years after the rest does not set the date) and assign all other documents.

    Parameters
    ----------
    as_of : only documents with ``published <= as_of`` are fitted; later and undated ones are assigned.
    seed : random seed of the topic model.  n_topics : None → one topic per ~200 fitted documents.
    progress : called with a short step name as the build advances (the CLI shows it).
    Every document dated on or before `as_of` needs a vector of `embed_model` (the embed stage runs first;
    `Observatory.build` sees to it); NotFoundError names the fix otherwise.

    Returns
    -------
    TopicMapInfo (``prev_map_id``: the nearest earlier map, which the lineage runs from).  Tables written:
    topic_maps, topic_fields, topics, doc_topics, topic_lineage (also the next later map's, re-chained to this one),
    candidate_topics (rows of any earlier map of the same as_of are replaced).
    """
    from frontierwatch.embed import load_embeddings

    _check_writable(store)
    started = time.perf_counter()
    step = progress or (lambda name: None)
    as_of = as_of or default_as_of(store)
    if as_of is None:
        raise InputError("no document has a publication date, so there is nothing to fit; ingest dated documents first",
                         "没有带发表日期的文献，无法建模；请先导入带日期的文献")
    step("load")
    fit_ids = tables.dated_doc_ids(store, as_of)
    all_ids, all_vectors = load_embeddings(store, model=embed_model)
    position = {d: i for i, d in enumerate(all_ids)}
    unembedded = [d for d in fit_ids if d not in position]
    if unembedded:
        raise NotFoundError(
            f"{len(unembedded)} documents dated on or before {as_of} have no {embed_model!r} vector "
            f"(e.g. {unembedded[:3]}); run 'frontierwatch embed' or 'frontierwatch build', which embeds first",
            f"{as_of} 及以前的 {len(unembedded)} 篇文献没有 {embed_model!r} 向量（例如 {unembedded[:3]}）；"
            f"请运行 'frontierwatch embed' 或先计算向量的 'frontierwatch build'")
    fit_pos = np.array([position[d] for d in fit_ids if d in position], dtype=np.int64)
    fit_pos = fit_pos[np.linalg.norm(all_vectors[fit_pos], axis=1) > 0] if len(fit_pos) else fit_pos
    fit_ids = [all_ids[i] for i in fit_pos]
    x = all_vectors[fit_pos]
    if len(fit_ids) < 2:
        raise InputError(f"only {len(fit_ids)} documents with vectors are dated on or before {as_of}; "
                         "need at least 2 — pick a later --as-of",
                         f"截至 {as_of} 只有 {len(fit_ids)} 篇有向量的文献，至少需要 2 篇；请选更晚的 --as-of")
    log.info("topics as of %s: fitting %d documents", as_of, len(fit_ids))

    step("cluster")
    t0 = time.perf_counter()
    # The fit is shared with the forecast's snapshot of this date (topic_fits): the map users see is the map the
    # backtest scores, and a fit made by an earlier build or backtest of the same documents is reused.
    fit = fit_topics(fit_ids, x, as_of, seed, n_topics, embed_model, FitCache(store))
    labels, centroids = fit.labels.astype(np.int64), fit.centroids
    k = len(centroids)
    fit_dist = 1.0 - np.einsum("ij,ij->i", x, centroids[labels])
    sizes = np.bincount(labels, minlength=k)
    log.info("clustered %d documents into %d topics in %.1f s", len(x), k, time.perf_counter() - t0)

    step("fields")
    field_raw = group_fields(centroids, sizes, n_fields if n_fields is not None else default_n_fields(k), seed)
    used = np.unique(field_raw)
    field_raw = np.searchsorted(used, field_raw)
    field_remap = canonical_order(np.repeat(field_raw, sizes), len(used))
    field_of_topic = field_remap[field_raw]
    n_f = len(used)

    step("labels")
    t0 = time.perf_counter()
    texts = tables.document_texts(store, fit_ids)
    matrix, phrases = document_phrase_matrix(texts)
    topic_kp = top_keyphrases(class_tfidf(matrix, labels, k), phrases)
    field_kp = top_keyphrases(class_tfidf(matrix, field_of_topic[labels], n_f), phrases)
    del matrix, texts
    log.info("labelled %d topics and %d fields in %.1f s", k, n_f, time.perf_counter() - t0)

    step("identity")
    ref = tables.reference_map(store, as_of)
    prev = tables.load_previous_map(store, ref) if ref is not None else None
    topic_ids, lineage = assign_topic_ids(np.array(fit_ids, dtype=object), labels, centroids, prev,
                                          tables.next_topic_number(store))

    step("layout")
    coords = topic_layout(centroids)
    field_xy = field_positions(coords, field_of_topic, sizes, n_f)

    step("assign")
    threshold = candidate_distance(fit_dist)
    fitted_mask = np.zeros(len(all_ids), dtype=bool)
    fitted_mask[fit_pos] = True
    rest = np.nonzero(~fitted_mask & (np.linalg.norm(all_vectors, axis=1) > 0))[0]
    assigned = assign_to_centroids(all_vectors[rest], centroids, threshold)

    step("write")
    field_ids = [f"F{i + 1:02d}" for i in range(n_f)]
    tid = np.array(topic_ids, dtype=object)
    params = {"method": METHOD, "n_topics": n_topics, "n_fields": n_fields, "seed": seed,
              "candidate_percentile": 95.0, "embed_model": embed_model}
    with store.tables.transaction():
        map_id = tables.next_map_id(store)
        old = tables.map_id_as_of(store, as_of)
        if old is not None:
            tables.delete_map(store, old)
        tables.write_map_row(store, {"map_id": map_id, "as_of": as_of, "model": METHOD, "embed_model": embed_model,
                                     "seed": seed, "params": json.dumps(params), "n_topics": k, "n_fields": n_f,
                                     "n_docs_fit": len(fit_ids), "candidate_distance": threshold,
                                     "prev_map_id": None})
        field_sizes = np.bincount(field_of_topic, weights=sizes, minlength=n_f).astype(np.int64)
        store.tables.append("topic_fields", pa.table({
            "map_id": pa.array([map_id] * n_f, pa.int32()), "field_id": field_ids,
            "label": [label_from_keyphrases(kp) for kp in field_kp], "keyphrases": tables.keyphrase_array(field_kp),
            "size": field_sizes, "n_topics": np.bincount(field_of_topic, minlength=n_f).astype(np.int32),
            "x": field_xy[:, 0], "y": field_xy[:, 1]}))
        reps = _representatives(fit_ids, labels, fit_dist, k)
        store.tables.append("topics", pa.table({
            "map_id": pa.array([map_id] * k, pa.int32()), "topic_id": topic_ids,
            "field_id": [field_ids[f] for f in field_of_topic],
            "label": [label_from_keyphrases(kp) for kp in topic_kp], "keyphrases": tables.keyphrase_array(topic_kp),
            "size": sizes.astype(np.int64), "centroid": tables.vector_array(centroids),
            "x": coords[:, 0], "y": coords[:, 1], "representative_ids": reps}))
        n_rest = len(rest)
        store.tables.append("doc_topics", pa.table({
            "map_id": pa.array(np.full(len(fit_ids) + n_rest, map_id, dtype=np.int32)),
            "doc_id": fit_ids + [all_ids[i] for i in rest],
            "topic_id": np.concatenate([tid[labels], tid[assigned.topic_index]]).tolist(),
            "distance": np.concatenate([fit_dist, assigned.distance]).astype(np.float32),
            "fitted": np.concatenate([np.ones(len(fit_ids), bool), np.zeros(n_rest, bool)]),
            "candidate_new": np.concatenate([np.zeros(len(fit_ids), bool), assigned.candidate_new])}))
        earlier = chain_map(store, map_id, as_of, topic_ids, fit_ids, labels, centroids, lineage, ref)
        chain_successor(store, map_id, as_of)
        n_cand_topics = _refresh_candidate_topics(store, map_id, seed, min_candidate_size)
    info = TopicMapInfo(map_id, as_of, k, n_f, len(fit_ids), n_rest, int(assigned.candidate_new.sum()),
                        n_cand_topics, earlier, round(time.perf_counter() - started, 2))
    log.info("topic map %d as of %s: %d topics, %d fields, %d fitted, %d assigned (%d candidates) in %.1f s",
             map_id, as_of, k, n_f, len(fit_ids), n_rest, info.n_candidates, info.seconds)
    return info


def _refresh_candidate_topics(store: Store, map_id: int, seed: int, min_size: int) -> int:
    """Recluster the map's candidate documents into ``candidate_topics`` rows; return how many."""
    from frontierwatch.embed import load_embeddings

    store.tables.delete("candidate_topics", {"map_id": map_id})
    embed_model, median = tables.embed_model_and_median_distance(store, map_id)
    doc_ids = tables.candidate_doc_ids(store, map_id)
    if len(doc_ids) < max(min_size, 2):
        return 0
    _, vectors = load_embeddings(store, model=embed_model, doc_ids=doc_ids)
    topic_ids, centroids = tables.map_centroids(store, map_id)
    found = cluster_candidates(doc_ids, vectors, tables.document_texts(store, doc_ids), centroids,
                               max_cohesion=float(median), min_size=min_size, seed=seed)
    if not found:
        return 0
    dates = tables.published_dates(store, doc_ids)
    spans = [sorted(d for d in (dates.get(i) for i in c.doc_ids) if d is not None) for c in found]
    store.tables.append("candidate_topics", pa.table({
        "map_id": pa.array([map_id] * len(found), pa.int32()),
        "candidate_id": [f"C{i + 1:03d}" for i in range(len(found))],
        "label": [c.label for c in found], "keyphrases": tables.keyphrase_array([c.keyphrases for c in found]),
        "size": pa.array([len(c.doc_ids) for c in found], pa.int64()),
        "nearest_topic_id": [topic_ids[c.nearest_topic] for c in found],
        "distance": [c.distance for c in found],
        "first_published": pa.array([s[0] if s else None for s in spans], pa.date32()),
        "last_published": pa.array([s[-1] if s else None for s in spans], pa.date32()),
        "doc_ids": [c.doc_ids for c in found]}))
    return len(found)


def assign_new_documents(store: Store, as_of: date | None = None, *, min_candidate_size: int = 10) -> AssignInfo:
    """Assign documents the map of `as_of` (default: latest) has not seen yet, without refitting.

    Takes ``embeddings`` rows with no ``doc_topics`` row in that map; appends ``doc_topics`` rows
    (fitted = false, candidate_new when farther than the map's ``candidate_distance``) and recomputes
    the map's ``candidate_topics``. Documents without a vector yet are left for a later call (the core embeds
    first: `Observatory.update`).
    """
    from frontierwatch.embed import load_embeddings

    _check_writable(store)
    started = time.perf_counter()
    info = tables.map_row(store, as_of)
    map_id, embed_model = info["map_id"], info["embed_model"]
    doc_ids = tables.unassigned_doc_ids(store, map_id, embed_model)
    _, vectors = load_embeddings(store, model=embed_model, doc_ids=doc_ids) if doc_ids else ([], np.zeros((0, 1)))
    keep = np.nonzero(np.linalg.norm(vectors, axis=1) > 0)[0] if len(doc_ids) else np.zeros(0, dtype=np.int64)
    topic_ids, centroids = tables.map_centroids(store, map_id)
    assigned = assign_to_centroids(vectors[keep] if len(keep) else np.zeros((0, centroids.shape[1]), np.float32),
                                   centroids, info["candidate_distance"])
    tid = np.array(topic_ids, dtype=object)
    with store.tables.transaction():
        if len(keep):
            store.tables.append("doc_topics", pa.table({
                "map_id": pa.array(np.full(len(keep), map_id, dtype=np.int32)),
                "doc_id": [doc_ids[i] for i in keep], "topic_id": tid[assigned.topic_index].tolist(),
                "distance": assigned.distance.astype(np.float32), "fitted": np.zeros(len(keep), bool),
                "candidate_new": assigned.candidate_new}))
        n_cand_topics = _refresh_candidate_topics(store, map_id, info["seed"], min_candidate_size)
    out = AssignInfo(map_id, info["as_of"], len(keep), int(assigned.candidate_new.sum()), n_cand_topics,
                     round(time.perf_counter() - started, 2))
    log.info("assigned %d new documents to map %d (%d candidates, %d candidate topics) in %.1f s",
             out.n_assigned, map_id, out.n_candidates, out.n_candidate_topics, out.seconds)
    return out
