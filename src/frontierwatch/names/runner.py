"""The names stage's runner: name every topic of a map and store it in ``topic_names``.

Reads the map's topics (keyphrases, sizes, counts per year), their most central documents and centroids; writes one
``topic_names`` row per topic. Deterministic for a given store and settings; with the optional labeller, answers are
cached in ``labeller_cache`` so a rebuild gives the same names. Runs after the topics stage (the core orders it).
"""
from __future__ import annotations

import logging
import time
from datetime import date

from frontierwatch.names.chinese import glossary_version
from frontierwatch.names.english import common_pairs, common_to_topics, document_runs
from frontierwatch.names.naming import name_topic
from frontierwatch.names.queries import (LabellerCache, central_documents, centroids, language_counts,
                                         read_topic_names, write_topic_names)
from frontierwatch.names.summary import chinese_summary_from_documents, chinese_template, english_summary
from frontierwatch.store import Store
from frontierwatch.workers import map_chunks

log = logging.getLogger(__name__)

N_DOCS = 100          # central documents read per topic to name it
N_GENERIC_DOCS = 60   # of which this many count towards the map's generic phrases
BATCH = 200           # topics read from the store at a time (bounded memory on large maps)
ROUND = 600           # topics named per round: spread over worker processes (`frontierwatch.workers`)
MIN_PARALLEL = 300    # fewer topics than this are named in the command's own process


def _text(doc: dict) -> str:
    return f"{doc.get('title') or ''}. {doc.get('abstract') or ''}"


# A topic's central documents are cut into runs of words once (`document_runs`, the stage's costliest step) while
# the map's generic phrases are counted; the runs wait, packed into one string per document, for the topic to be
# named. Words never hold a space or these two separators.
_RUN, _PART = "\x1f", "\x1e"


def _pack(parts: tuple[list, list]) -> str:
    return _PART.join(_RUN.join(" ".join(run) for run in runs) for runs in parts)


def _unpack(packed: str) -> tuple[list, list]:
    title, abstract = packed.split(_PART)
    return ([run.split(" ") for run in title.split(_RUN)] if title else [],
            [run.split(" ") for run in abstract.split(_RUN)] if abstract else [])


def describe_topic(topic: dict, docs: list[dict], *, centroid, embedder, as_of_year: int,
                   languages: dict[str, int] | None = None, generic: frozenset = frozenset(),
                   parts: list[tuple[list, list]] | None = None) -> dict:
    """Names and summaries of one topic (pure but for the embedder): a ``topic_names`` row without map id.

    `topic`: ``{"id", "label", "size", "keyphrases": [{"phrase", "weight"}], "counts_by_year"}``; `docs`: its central
    documents, nearest first (``doc_id``, ``title``, ``abstract``, ``language``); `parts`: their texts'
    `document_runs`, when already cut."""
    keyphrases = [k["phrase"] if isinstance(k, dict) else k for k in topic.get("keyphrases") or []]
    named = name_topic(keyphrases, [_text(d) for d in docs], languages=languages, label=topic.get("label"),
                       generic=generic, parts=parts)
    en = (english_summary(docs, centroid, embedder, keyphrases, name_parts=named.get("parts"))
          if embedder is not None and centroid is not None else {"text": "", "doc_ids": []})
    zh = chinese_summary_from_documents(docs, keyphrases)
    zh_source = "documents"
    if not zh["text"]:
        zh = {"text": chinese_template(named["zh"], int(topic.get("size") or 0), topic.get("counts_by_year") or {},
                                       as_of_year, named.get("terms") or []), "doc_ids": []}
        zh_source = "template"
    summary_en = en["text"] or f"{named['en']}: {int(topic.get('size') or 0):,} documents as of {as_of_year}."
    return {"topic_id": topic["id"], "name_en": named["en"], "name_zh": named["zh"], "zh_source": named["zh_source"],
            "summary_en": summary_en, "summary_zh": zh["text"], "summary_zh_source": zh_source,
            "summary_docs": en["doc_ids"] + [d for d in zh["doc_ids"] if d not in en["doc_ids"]], "labeller": "offline",
            "evidence": {"keyphrases": keyphrases[:10], "parts": named.get("parts"),
                         "zh_pieces": named.get("zh_pieces"), "candidates": named.get("candidates"),
                         "terms": named.get("terms", []), "missing": named.get("missing", []),
                         "glossary": glossary_version()}}


def _labeller(store: Store, settings):
    if settings.labeller != "openai":
        return None
    from frontierwatch.names.labeller import OpenAILabeller
    return OpenAILabeller(settings.labeller_base_url, settings.labeller_model, settings.labeller_api_key,
                          LabellerCache(store))


def build_topic_names(store: Store, as_of: date | None = None, *, settings=None, embedder=None, progress=None) -> dict:
    """Name every topic of the map of `as_of` (default: latest) into ``topic_names``.

    Returns ``{"map_id", "topics", "with_chinese_name", "labeller", "labeller_requests", "seconds"}``.
    """
    from frontierwatch.settings import load_settings
    from frontierwatch.topics import list_topics
    from frontierwatch.topics.tables import map_row

    settings = settings or load_settings()
    started = time.perf_counter()
    info = map_row(store, as_of)
    map_id, day = info["map_id"], info["as_of"]
    topics = list_topics(store, day)["topics"]
    embed_model = info.get("embed_model") or settings.embed_model
    embedder_given = embedder is not None
    labeller = _labeller(store, settings)
    vectors = centroids(store, map_id)
    languages = language_counts(store, map_id, day)
    ids = [t["id"] for t in topics]
    pairs, cut = [], {}
    for i in range(0, len(ids), BATCH):
        docs = central_documents(store, map_id, day, ids[i:i + BATCH], N_DOCS)
        for t in ids[i:i + BATCH]:
            texts = [_text(d) for d in docs[t]]
            parts = [document_runs(x) for x in texts]
            pairs.append(common_pairs(texts[:N_GENERIC_DOCS], parts=parts[:N_GENERIC_DOCS]))
            cut[t] = ([d["doc_id"] for d in docs[t]], [_pack(p) for p in parts])
    generic = common_to_topics(pairs)
    rows = []
    for i in range(0, len(topics), ROUND):
        work = []
        for j in range(i, min(i + ROUND, len(topics)), BATCH):
            batch = topics[j:min(j + BATCH, i + ROUND)]
            docs = central_documents(store, map_id, day, [t["id"] for t in batch], N_DOCS)
            for t in batch:
                doc_ids, packed = cut.pop(t["id"])
                same = doc_ids == [d["doc_id"] for d in docs[t["id"]]]
                work.append((t, docs[t["id"]], vectors.get(t["id"]), languages.get(t["id"]), packed if same else None))
        if embedder_given:
            named = [describe_topics(work, embedder, day.year, generic)]
        else:  # by the model's name, so worker processes load the same model (`frontierwatch.workers`)
            named = map_chunks(describe_topics, work, embed_model, day.year, generic, min_items=MIN_PARALLEL)
        for (t, docs_t, *_), row in zip(work, (r for part in named for r in part)):
            if labeller is not None:
                _apply_labeller(labeller, row, [d["title"] for d in docs_t])
            rows.append(row)
        if progress:
            progress("names", len(rows), len(topics))
    write_topic_names(store, map_id, rows)
    result = {"map_id": map_id, "topics": len(rows), "with_chinese_name": sum(r["name_zh"] is not None for r in rows),
              "labeller": labeller.name if labeller else "offline",
              "labeller_requests": labeller.asked if labeller else 0,
              "generic_phrases": len(generic), "seconds": round(time.perf_counter() - started, 2)}
    log.info("names of map %s: %s", map_id, result)
    return result


def describe_topics(work: list[tuple], embedder, as_of_year: int, generic: frozenset) -> list[dict]:
    """`describe_topic` of each ``(topic, docs, centroid, languages, packed parts or None)``, in order. `embedder`
    is an embedder or the name of one (a worker process loads it by name)."""
    if isinstance(embedder, str):
        from frontierwatch.embed import get_embedder
        embedder = get_embedder(embedder)
    return [describe_topic(t, docs, centroid=centroid, embedder=embedder, as_of_year=as_of_year, languages=langs,
                           generic=generic, parts=None if packed is None else [_unpack(p) for p in packed])
            for t, docs, centroid, langs, packed in work]


def _apply_labeller(labeller, row: dict, titles: list[str]) -> None:
    """Replace the offline names by the labeller's when its answer is usable (the offline ones stay as evidence)."""
    from frontierwatch.names.labeller import prompt_for

    offline = {"en": row["name_en"], "zh": row["name_zh"]}
    answer = labeller.label(prompt_for(row["evidence"]["keyphrases"], titles, offline))
    row["evidence"]["offline_name"] = offline
    if answer is None:
        row["evidence"]["labeller_refused"] = True
        return
    row.update(name_en=answer["en"], name_zh=answer["zh"], zh_source="labeller", labeller=labeller.name)
    if row["summary_zh_source"] == "template" and offline["zh"]:
        row["summary_zh"] = row["summary_zh"].replace(f"“{offline['zh']}”", f"“{answer['zh']}”")


def names_stale(store: Store, map_id: int) -> bool:
    """True when the map's stored names were made with another glossary than this version's (or before glossaries
    were fingerprinted), so a term added since would not show: the core then names the map again."""
    current = glossary_version()
    return any(row["evidence"].get("glossary") != current for row in read_topic_names(store, map_id).values())
