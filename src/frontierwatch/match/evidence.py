"""Documents, institutions/teams and approved achievements for a need, each with its *why*.

* Documents: those assigned to the need's best topics (``doc_topics`` of the map, published on or before its
  date), ranked by ``0.75 · cosine(static vector of the bridged need, document vector) + 0.25 · term coverage``,
  where coverage is the share of the need's terms (English, or Chinese as substrings) found in title + abstract —
  so Chinese documents, whose static vectors are empty, can still be found by shared Chinese terms.
* Institutions: ``documents.institutions`` of the top documents; when they carry none (arXiv has no
  affiliations) the teams are author teams — a paper's authors are one team, named by its first author, and
  papers with the same first author join it — and the result says so.
* Achievements: approved ``hall_items`` of kind ``achievement``, ranked by multilingual similarity to the need,
  term coverage and links (``hall_topic_links``) to the need's best topics.
"""
from __future__ import annotations

import hashlib
import logging
from collections import defaultdict

import numpy as np

from frontierwatch.errors import NotFoundError
from frontierwatch.match.need import Need
from frontierwatch.match.topic_index import MULTILINGUAL, TopicIndex
from frontierwatch.store import Store
from frontierwatch.text import content_tokens, to_simplified

log = logging.getLogger(__name__)

DOC_TOPICS = 5            # documents are drawn from this many best topics
INSTITUTION_DOCS = 50     # institutions / teams are drawn from this many best documents
MAX_ACHIEVEMENTS = 2000
_ACHIEVEMENT_VECTORS: dict[tuple[int, str], np.ndarray] = {}


GENERAL_WEIGHT = 0.3     # weight of a general need word (实时, 量产…) in term coverage


def need_terms(need: Need) -> list[tuple[str, str | None, list[str]]]:
    """The need's terms as ``(en, zh, en tokens)``: bridged pairs, then (English needs) their own content words."""
    out, seen = [], set()
    for pair in need.terms:
        for en in pair.en[:1] if pair.source == "taxonomy" else pair.en:
            key = " ".join(content_tokens(en))
            if key and key not in seen:
                seen.add(key)
                out.append((en, pair.zh if pair.source != "verbatim" else None, key.split()))
    if need.language == "en":
        for word in dict.fromkeys(content_tokens(need.english)):
            if word not in seen:
                seen.add(word)
                out.append((word, None, [word]))
    return out


def _contains(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return bool(n) and any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def term_matches(terms: list[tuple[str, str | None, list[str]]], text: str, *, lowered: str | None = None,
                 tokens=None) -> list[dict]:
    """The `terms` (from `need_terms`) present in `text` — English as whole words, Chinese as substrings —
    as ``[{"en", "zh"}]``. A cheap substring test comes first, so most texts are never tokenised. `lowered`
    (the text lower-cased and Simplified) and `tokens` (a callable giving its `content_tokens`) may come from a
    cache (`frontierwatch.match.documents`)."""
    if lowered is None:
        lowered = to_simplified((text or "").lower())  # a Traditional document holds the (Simplified) need terms too
    out, toks = [], None
    for en, zh, want in terms:
        if zh and zh in lowered:
            out.append({"en": en, "zh": zh})
        elif want and all(w in lowered for w in want):
            toks = (tokens() if tokens is not None else content_tokens(lowered)) if toks is None else toks
            if _contains(toks, want):
                out.append({"en": en, "zh": zh})
    return out


def _coverage(terms: list[tuple[str, str | None, list[str]]], matched: list[dict]) -> float:
    """Weighted share of the need's term groups (one per Chinese term) found; general need words weigh less."""
    return _coverage_of(terms)(matched)


def _coverage_of(terms: list[tuple[str, str | None, list[str]]]):
    """`_coverage` for these terms as a function of the matched terms (the weights worked out once per need)."""
    from frontierwatch.match.need import general_terms

    general = general_terms()
    weight = {zh or en: GENERAL_WEIGHT if zh in general else 1.0 for en, zh, _ in terms}
    total = sum(weight.values())
    return lambda matched: sum(weight[g] for g in {m["zh"] or m["en"] for m in matched}) / total if total else 0.0


def rank_documents(store: Store, index: TopicIndex, need: Need, top_topics: list[str], top: int) -> list[dict]:
    """Best documents of the need's `top_topics`: ``[{"doc_id", "title", "year", "kind", "language", "score",
    "why": {"topic_id", "similarity", "matched_terms", "term_coverage"}}]``, plus private keys for institutions."""
    from frontierwatch.embed import get_embedder, load_embeddings
    from frontierwatch.match.documents import map_documents

    if not top_topics:
        return []
    held = map_documents(store, index.map_id, index.as_of, index.embed_model, index.created, top_topics[:DOC_TOPICS])
    picked = held.select(top_topics[:DOC_TOPICS])
    rows = [held.rows[i] for i in picked]
    if not rows:
        return []
    embedder = get_embedder(index.embed_model)
    if held.vectors is not None:
        vectors = held.vectors[picked]
    else:
        try:
            _, vectors = load_embeddings(store, index.embed_model, [r[0] for r in rows])
        except NotFoundError:
            from frontierwatch.embed import document_text

            vectors = embedder.encode([document_text(r[2], r[3]) for r in rows])
    query = embedder.encode([need.english])[0] if need.english.strip() else np.zeros(vectors.shape[1], np.float32)
    sims = vectors @ query
    terms = need_terms(need)
    cover = _coverage_of(terms)
    scored = []
    for k, (r, sim, matched) in enumerate(zip(rows, sims, held.term_matches(terms, picked.tolist()))):
        coverage = cover(matched) if matched else 0.0
        scored.append((0.75 * float(sim) + 0.25 * coverage, r[0], k, coverage, matched))
    scored.sort(key=lambda x: (-x[0], x[1]))
    docs = []
    for score, _, k, coverage, matched in scored[:max(top, INSTITUTION_DOCS)]:  # only the documents returned
        r, sim = rows[k], sims[k]
        docs.append({"doc_id": r[0], "title": r[2], "year": r[4], "kind": r[5], "language": r[6],
                     "score": round(score, 4),
                     "why": {"topic_id": r[1], "similarity": round(float(sim), 4), "matched_terms": matched,
                             "term_coverage": round(coverage, 4)},
                     "_authors": list(r[7] or []), "_institutions": list(r[8] or []), "_score": score})
    return docs


def _team_name(authors: list[str]) -> str:
    """An author team as readers cite it: its first author (co-authors of one paper are one team, and papers led
    by the same first author join it; ``members`` counts the team's distinct authors)."""
    return next(a for a in authors if a)


def rank_institutions(docs: list[dict], top: int) -> tuple[list[dict], str]:
    """Institutions (or, without affiliations, author teams) of the best documents, and which one it is.

    Each: ``{"name", "kind": "institution"|"team", "country", "type", "documents", "score", "why": {"doc_ids",
    "titles", "topics", "matched_terms"}}``; score is the sum of its documents' scores.
    """
    pool = docs[:INSTITUTION_DOCS]
    with_affiliation = [d for d in pool if d["_institutions"]]
    kind = "institution" if with_affiliation else "team"
    groups: dict[str, dict] = {}
    for d in (with_affiliation or pool):
        members = ([(i["name"], i.get("country"), i.get("type")) for i in d["_institutions"] if i.get("name")]
                   if kind == "institution" else [(_team_name(d["_authors"]), None, None)]
                   if any(d["_authors"]) else [])
        for name, country, kind_of in dict.fromkeys(members):
            g = groups.setdefault(name, {"name": name, "kind": kind, "country": country, "type": kind_of,
                                         "documents": 0, "_score": 0.0, "doc_ids": [], "titles": [], "topics": [],
                                         "terms": {}, "members": set()})
            if kind == "team":
                g["members"].update(a for a in d["_authors"] if a)
            g["documents"] += 1
            g["_score"] += max(d["_score"], 0.0)
            g["doc_ids"].append(d["doc_id"])
            g["titles"].append(d["title"])
            g["topics"].append(d["why"]["topic_id"])
            for m in d["why"]["matched_terms"]:
                g["terms"].setdefault(m["en"], m)
    ranked = sorted(groups.values(), key=lambda g: (-g["_score"], g["name"]))[:top]
    return [{"name": g["name"], "kind": g["kind"], "country": g["country"], "type": g["type"],
             "members": len(g["members"]) or None,
             "documents": g["documents"], "score": round(g["_score"], 4),
             "why": {"doc_ids": g["doc_ids"][:5], "titles": g["titles"][:3],
                     "topics": list(dict.fromkeys(g["topics"])), "matched_terms": list(g["terms"].values())[:6]}}
            for g in ranked], kind


def _achievement_vectors(items: list[dict]) -> np.ndarray | None:
    """Multilingual vectors of achievement texts, cached per (item, text) in the process; None without the model."""
    from frontierwatch.embed import get_embedder
    from frontierwatch.errors import InputError

    try:
        embedder = get_embedder(MULTILINGUAL)
    except InputError:
        return None
    texts = [f"{i['title']}. {(i['body'] or '')[:400]}" for i in items]
    keys = [(i["item_id"], hashlib.md5(t.encode("utf-8")).hexdigest()) for i, t in zip(items, texts)]
    missing = [k for k, key in enumerate(keys) if key not in _ACHIEVEMENT_VECTORS]
    if missing:
        for k, vec in zip(missing, embedder.encode([texts[k] for k in missing])):
            _ACHIEVEMENT_VECTORS[keys[k]] = vec
    return np.stack([_ACHIEVEMENT_VECTORS[k] for k in keys])


def rank_achievements(store: Store, need: Need, need_vector, top_topics: list[str],
                      top: int) -> list[dict] | None:
    """Approved achievements for the need, or None when the store has no release hall table. `need_vector` is the
    need's multilingual vector, a function giving it (called only when there are achievements to rank), or None.

    ``score = 0.6 · multilingual cosine + 0.25 · term coverage + 0.15 · topic link`` (link: 1/rank of the best
    of the need's topics the achievement is linked to). Each: ``{"item_id", "title", "organisation", "trl",
    "direction", "field", "score", "why": {"similarity", "matched_terms", "linked_topics", "trl", "direction"}}``.
    """
    from frontierwatch.hall.submissions import approved_achievements, topic_links

    if not store.users_table_exists("hall_items"):  # the hall lives in the user database
        return None
    items = approved_achievements(store.users_tables, MAX_ACHIEVEMENTS)
    if not items:
        return []
    links: dict[int, list[str]] = defaultdict(list)
    for item_id, topic_id in topic_links(store.users_tables):
        links[item_id].append(topic_id)
    if callable(need_vector):
        need_vector = need_vector()
    vectors = _achievement_vectors(items) if need_vector is not None else None
    sims = vectors @ need_vector if vectors is not None else np.zeros(len(items))
    topic_rank = {t: r for r, t in enumerate(top_topics, 1)}
    terms = need_terms(need)
    out = []
    for item, sim in zip(items, sims):
        matched = term_matches(terms, f"{item['title']} {item['body'] or ''}")
        linked = [t for t in links.get(item["item_id"], []) if t in topic_rank]
        link = max((1 / topic_rank[t] for t in linked), default=0.0)
        score = 0.6 * float(sim) + 0.25 * _coverage(terms, matched) + 0.15 * link
        out.append({"item_id": item["item_id"], "title": item["title"], "organisation": item["organisation"],
                    "trl": item["trl"], "direction": item["direction"], "field": item["field"],
                    "score": round(score, 4),
                    "why": {"similarity": round(float(sim), 4) if vectors is not None else None,
                            "matched_terms": matched, "linked_topics": linked, "trl": item["trl"],
                            "direction": item["direction"]}})
    out.sort(key=lambda a: (-a["score"], a["item_id"]))
    return out[:top]
