"""The match stage's one entry point: `match_need` — a need in, ranked topics, documents, institutions/teams and
approved achievements out, each with its *why*. Also `topic_linker`, the release hall's topic-linking hook.

Deterministic: same store and need, same answer (every ranking breaks ties by id). Reads the topic map tables,
``embeddings``, ``documents``, ``hall_items``/``hall_topic_links`` and, when present, signals/catalog tables;
writes only the ``match_topic_vectors`` cache (on a writable store).
"""
from __future__ import annotations

import logging
import time
from datetime import date

import numpy as np

from frontierwatch.errors import InputError
from frontierwatch.match.evidence import rank_achievements, rank_documents, rank_institutions
from frontierwatch.match.facts import need_directions, shared_terms, topic_direction, topic_readiness
from frontierwatch.match.need import parse_need
from frontierwatch.match.rank import DEFAULT_METHOD, FUSIONS, METHODS, need_vector, rank_topics, scorer_values
from frontierwatch.match.topic_index import MULTILINGUAL, topic_index
from frontierwatch.names import read_topic_names
from frontierwatch.store import Store

log = logging.getLogger(__name__)

MAX_TOP = 100
# "No good match" (calibrated on the 52 evaluation needs of match/eval and 16 nonsense inputs, bench/match_eval.py):
# every real need shares a content term with some topic's keyphrases (best BM25 3.5–17.6 on the demo map) and no
# nonsense input shares any (BM25 0) once junk topics ("des · la · und") are left out; the best multilingual
# cosine of nonsense stayed ≤ 0.28. A need passes when a usable topic shares a term with it (BM25 > 0; BM25's scale
# depends on the map's size, so the bar is presence, not a value) or is close in meaning (cosine ≥ MIN_MEANING).
MIN_MEANING = 0.45


def _multilingual_available() -> bool:
    from frontierwatch.embed import get_embedder

    try:
        get_embedder(MULTILINGUAL)
        return True
    except InputError:
        return False


def _method_for(method: str | None) -> tuple[str, str | None]:
    """The method to run and, when the multilingual model is missing, the note saying what replaced it."""
    method = method or DEFAULT_METHOD
    if method not in METHODS:
        raise InputError(f"unknown match method {method!r}; expected one of {', '.join(METHODS)}",
                         f"未知匹配方法 {method!r}；应为 {', '.join(METHODS)} 之一")
    needs_ml = "multilingual" in FUSIONS.get(method, (method,))
    if needs_ml and not _multilingual_available():
        return "bridge", (f"the multilingual model is not installed (pip install 'frontierwatch[multilingual]'); "
                          f"used 'bridge' instead of {method!r}")
    return method, None


def match_need(store: Store, text: str, top: int = 10, lang: str | None = None, *, method: str | None = None,
               as_of: date | None = None) -> dict:
    """Match an application-scenario need (Chinese or English) to technologies, documents, teams and achievements.

    Parameters
    ----------
    store : an open store with a topic map (``frontierwatch build``).
    text : the need, at most 2,000 characters.  top : results per list (1..100).
    lang : 'zh' or 'en' to force the need's language; None detects it.
    method : topic ranking method (`frontierwatch.match.rank.METHODS`); default the best measured one.
    as_of : the topic map to use (None → latest).

    Returns
    -------
    dict with ``query`` (text, bridged English, bilingual terms, directions), ``language``, ``topics``,
    ``documents``, ``institutions``, ``achievements`` (None when the store has no release hall) and ``method``
    (what ran and notes). Every result carries a ``why`` dict.

    >>> match_need(store, "无人机巡检", top=3)["topics"][0]["why"]["matched_terms"]  # doctest: +SKIP
    [{'en': 'uav', 'zh': '无人机', ...}]
    """
    if not isinstance(top, int) or not 1 <= top <= MAX_TOP:
        raise InputError(f"top={top!r} should be an integer from 1 to {MAX_TOP}", f"top={top!r} 应为 1 到 {MAX_TOP} 的整数")
    started = time.perf_counter()
    need = parse_need(text, lang)
    index = topic_index(store, as_of)
    method, fallback = _method_for(method)
    usable, good, score, raw = _ranked(store, index, need, method)
    best = usable[:top] if good else []
    best_ids = [index.ids[i] for i in best]
    readiness = topic_readiness(store, index.map_id, index.as_of.year, best_ids)
    directions = topic_direction(store, index.map_id, best_ids)
    names = read_topic_names(store, index.map_id, best_ids) if best_ids else {}
    topics = []
    for rank, i in enumerate(best, 1):
        tid = index.ids[i]
        topics.append({
            "rank": rank, "id": tid, "label": index.labels[i], "name": (names.get(tid) or {}).get("name"),
            "size": int(index.sizes[i]),
            "keyphrases": index.keyphrases[i][:10], "score": round(float(score[i]), 6),
            "strength": _strength(raw, i),
            "why": {"matched_terms": shared_terms(need, index.keyphrases[i][:10] + [index.labels[i]]),
                    "similarity": {name: round(float(values[i]), 4) for name, values in raw.items()},
                    "readiness": readiness[tid], "direction": directions[tid]}})
    docs = rank_documents(store, index, need, best_ids, top)
    institutions, team_kind = rank_institutions(docs, top)
    vector = (lambda: need_vector(need.text)) if good and _multilingual_available() else None
    achievements = rank_achievements(store, need, vector, best_ids, top)
    if not good and achievements:
        achievements = []
    notes = [fallback] if fallback else []
    if not good:
        notes.append("no good match: no topic shares a technical term with the need or is close in meaning / "
                     "没有合适的匹配：没有主题与需求有共同的技术术语或含义相近")
    if team_kind == "team" and docs:
        notes.append("the matching documents carry no affiliations (arXiv metadata has none), so teams are their "
                     "authors / 匹配文献没有机构信息（arXiv 元数据不含机构），团队以作者列出")
    if achievements is None:
        notes.append("the store has no release hall yet, so no achievements / 数据库尚无成果发布大厅，无成果可匹配")
    elapsed = time.perf_counter() - started
    log.info("match %r (%s, %s): %d topics, %d documents in %.2f s", need.text[:40], need.language, method,
             len(topics), len(docs), elapsed)
    return {
        "query": {"text": need.text, "english": need.english, "terms": [p.as_dict() for p in need.terms],
                  "zh_words": list(need.zh_words), "directions": need_directions(need)},
        "language": need.language,
        "good_match": good,
        "topics": topics,
        "documents": [{k: v for k, v in d.items() if not k.startswith("_")} for d in docs[:top]],
        "institutions": institutions,
        "achievements": achievements,
        "method": {"name": method, "map_id": index.map_id, "as_of": index.as_of.isoformat(),
                   "embed_model": index.embed_model, "institutions_are": team_kind, "notes": notes,
                   "seconds": round(elapsed, 3)},
    }


def _ranked(store: Store, index, need, method: str) -> tuple[list[int], bool, np.ndarray, dict]:
    """Topics as the product ranks them — junk topics and topics without evidence left out — and whether the need
    clears the "no good match" bar: ``(usable indices best first, good, score, raw scorer values)``."""
    order, score, raw = rank_topics(store, index, need, method)
    usable = [int(i) for i in order if score[i] > 0 and not index.junk[i]]
    return usable, _good_match(store, index, need, raw, usable), score, raw


def product_ranking(store: Store, index, need, method: str) -> tuple[list[int], bool]:
    """The topic order `match_need` shows for a parsed need and whether it is shown at all (the evaluators' view)."""
    usable, good, _, _ = _ranked(store, index, need, method)
    return usable, good


def _good_match(store: Store, index, need, raw: dict, usable: list[int]) -> bool:
    """Whether the need clears the calibrated bar: some usable (non-junk) topic shares a term with it (BM25 > 0),
    or one is close in meaning (multilingual cosine ≥ `MIN_MEANING`; computed here only when no term is shared and
    the method did not compute it, so a need with shared terms costs no multilingual encoding)."""
    if not usable:
        return False
    if "bm25" in raw and max(float(raw["bm25"][i]) for i in usable) > 0:
        return True
    meaning = raw.get("multilingual")
    if meaning is None and _multilingual_available():
        meaning = scorer_values(store, index, need, ("multilingual",))["multilingual"]
    return meaning is not None and max(float(meaning[i]) for i in usable) >= MIN_MEANING


def _strength(raw: dict, i: int) -> float:
    """A 0–1 match strength shown to readers: the mean of the cosine similarities computed (static, multilingual)
    and the BM25 of shared terms scaled to 1 at 10 — differentiated where rank fusion scores are not. (Document
    votes are sums of BM25 over a varying number of documents, not on a 0–1 scale, so they stay out.)"""
    parts = [float(raw[name][i]) for name in ("static", "multilingual") if name in raw]
    if "bm25" in raw:
        parts.append(min(float(raw["bm25"][i]) / 10.0, 1.0))
    return round(max(0.0, sum(parts) / len(parts)), 2) if parts else 0.0


def _need_text(item: dict) -> str:
    parts = [item.get("title"), item.get("description") or item.get("problem") or item.get("body"),
             item.get("field"), item.get("sector")]
    return " ".join(str(p) for p in parts if p)[:2000]


def topic_linker(store: Store, top: int = 5):
    """A release-hall `TopicLinker`: ``linker(item) -> [{"topic_id", "score", "label", "reason"}]`` best first,
    matching the item's title + description/problem like a need (reason = shared terms and similarity)."""
    def link(item: dict) -> list[dict]:
        result = match_need(store, _need_text(item), top=top)
        out = []
        for t in result["topics"]:
            terms = ", ".join(f"{m['en']}{'/' + m['zh'] if m['zh'] else ''}" for m in t["why"]["matched_terms"])
            out.append({"topic_id": t["id"], "score": t["score"], "label": t["label"],
                        "reason": f"shared terms 共同术语: {terms or '—'}; match strength 匹配度: {t['strength']:.2f}"})
        return out

    return link

