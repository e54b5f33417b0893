"""Map topics to the six directions and their fields, with a confidence and the reason.

Two pieces of evidence per (topic, field):

* **seed terms** — the field's zh/en terms found in the topic's keyphrases (and label). A term counts when all
  its words occur, in order, inside a keyphrase (English, light plural folding) or as a substring (Chinese).
  Each keyphrase weighs by rank (``1 / (1 + rank / 4)``), each term by specificity (multi-word 1.0, single word
  0.5); ``term_score = 1 − exp(−Σ best match per keyphrase)``.
* **context** — the topic's *context text* (label, keyphrases and, when given, the titles of its most central
  documents, ``topic["titles"]``) decides two things: a field's ``ambiguous`` terms ("plasma", "hydrogen",
  "mining") count only when one of its ``context`` terms is in that text, and a field one of whose ``exclude``
  terms is in it ("plasma display", "muonic", "data mining") gets no evidence at all — neither terms nor
  similarity. So a plasma-display radiation detector is not nuclear fusion and frequent-itemset mining is not
  deep-earth mining, while a tokamak plasma topic still is fusion.
* **similarity** — cosine between the embedding of the topic's text (label + keyphrases) and of the field's
  profile (English name, description and terms), rescaled to 0..1 by ``(cos − sim_floor) / sim_span``.

``score = term_weight · term_score + (1 − term_weight) · similarity``. A topic is mapped to every field whose
score is at least ``threshold`` and at least ``relative`` × the best field's score (at most ``max_fields``);
its directions are those fields' directions. A topic whose best score is below ``threshold`` is
"outside the six" (direction ``outside``), with confidence ``1 − best score``. Landmark products are matched by
terms only. The parameters are a `MappingParams` that editions record, so a mapping is reproducible.
"""
from __future__ import annotations

import logging
import math
import re
from dataclasses import asdict, dataclass
from dataclasses import field as dataclass_field
from functools import lru_cache

import numpy as np

from frontierwatch.catalog.taxonomy import OUTSIDE, Field, Taxonomy, load_taxonomy
from frontierwatch.text import has_cjk, term_tokens, to_simplified

log = logging.getLogger(__name__)



@dataclass(frozen=True)
class MappingParams:
    """Tunables of the mapping (recorded in each edition's parameters)."""

    term_weight: float = 0.65
    threshold: float = 0.30
    relative: float = 0.70
    max_fields: int = 3
    sim_floor: float = 0.20
    sim_span: float = 0.45
    keyphrases_used: int = 10
    require_terms: bool = True
    sim_only_min: float = 0.75

    def as_dict(self) -> dict:
        return asdict(self)


def _phrases(topic: dict, n: int) -> list[str]:
    """The topic's keyphrases as plain strings, best first. Keyphrases come as the topics stage gives them,
    ``{"phrase", "weight"}`` dicts (`list_topics`, `topic_detail`), or as plain strings."""
    out = []
    for k in topic.get("keyphrases") or []:
        phrase = k["phrase"] if isinstance(k, dict) else k
        if not isinstance(phrase, str):
            raise TypeError(f"keyphrase {k!r} of topic {topic.get('id')!r}: expected a {{'phrase', 'weight'}} dict "
                            f"or a string")
        if phrase.strip():
            out.append(phrase.strip().lower())
    label_parts = [p.strip().lower() for p in re.split(r"\s*[·;,|]\s*", topic.get("label") or "") if p.strip()]
    for p in label_parts:  # labels are usually the first keyphrases; keep any that are not
        if p not in out:
            out.insert(0, p)
    return out[:n]


def topic_text(topic: dict, n: int = 10) -> str:
    """The text that represents a topic for similarity: its label and keyphrases."""
    return "; ".join(_phrases(topic, n))


def field_profile(field: Field) -> str:
    """The text that represents a field for similarity (English: the default embedder is English)."""
    return f"{field.name['en']}. {field.description['en']} " + ", ".join(field.terms["en"])


@lru_cache(maxsize=1 << 14)
def _sub_phrases(toks: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
    """Every contiguous run of one or more of `toks`: a non-empty needle occurs, in order, in a token tuple exactly
    when it is one of the tuple's sub-phrases — one hash look-up instead of a scan of the tuple."""
    n = len(toks)
    return frozenset(toks[i:j] for i in range(n) for j in range(i + 1, n + 1))


def _best_term(phrase: str, toks: tuple[str, ...], en_index: dict, zh_terms, skip=frozenset()
               ) -> tuple[int, str | None]:
    """The most specific term inside a keyphrase: ``(size, term)``; size = words (en) or 2/1 (zh ≥3 / <3 chars).
    `en_index`: ``{term tokens: (position, term)}``; of the English terms inside, the longest wins and, among as
    long ones, the first in the field's order (what scanning the terms in order with a strict ``>`` gives); terms
    whose tokens are in `skip` do not count."""
    best, best_pos, best_term = 0, 0, None
    for sub in _sub_phrases(toks):
        hit = en_index.get(sub)
        if hit is not None and sub not in skip:
            n = len(sub)
            if n > best or (n == best and hit[0] < best_pos):
                best, best_pos, best_term = n, hit[0], hit[1]
    if has_cjk(phrase):
        phrase = to_simplified(phrase)  # zh terms are folded in `CompiledTerms.of`
        for term in zh_terms:
            size = 2 if len(term) >= 3 else 1
            if size > best and term in phrase:
                best, best_term = size, term
    return best, best_term


@dataclass(frozen=True)
class CompiledTerms:
    """A field's (or product's) seed terms, tokenised once, with its ambiguous, context and exclude terms."""

    en: tuple
    zh: tuple
    ex_en: tuple = ()
    ex_zh: tuple = ()
    ambiguous_en: frozenset = frozenset()
    ambiguous_zh: frozenset = frozenset()
    ctx_en: tuple = ()
    ctx_zh: tuple = ()
    en_index: dict = dataclass_field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self):
        index: dict = {}
        for position, (term, toks) in enumerate(self.en):
            if toks:
                index.setdefault(toks, (position, term))
        object.__setattr__(self, "en_index", index)

    @classmethod
    def of(cls, terms: dict, exclude: dict | None = None, ambiguous: dict | None = None,
           context: dict | None = None) -> "CompiledTerms":
        exclude, ambiguous, context = exclude or {}, ambiguous or {}, context or {}
        en, seen = [], set()
        for t in terms.get("en", ()):  # 'pathogen' and 'pathogens' fold to one term: keep the first
            toks = term_tokens(t)
            if toks not in seen:
                seen.add(toks)
                en.append((t, toks))
        return cls(tuple(en), tuple(map(to_simplified, terms.get("zh", ()))),
                   tuple((t, term_tokens(t)) for t in exclude.get("en", ())),
                   tuple(map(to_simplified, exclude.get("zh", ()))),
                   frozenset(term_tokens(t) for t in ambiguous.get("en", ())),
                   frozenset(map(to_simplified, ambiguous.get("zh", ()))),
                   tuple((t, term_tokens(t)) for t in context.get("en", ())),
                   tuple(map(to_simplified, context.get("zh", ()))))

    @classmethod
    def of_field(cls, field: Field) -> "CompiledTerms":
        return cls.of(field.terms, field.exclude, field.ambiguous, field.context)

    def excluded(self, context: "TopicContext") -> str | None:
        """The first exclude term found in the topic's context text, or None."""
        return context.first(self.ex_en, self.ex_zh)

    def has_context(self, context: "TopicContext") -> bool:
        return bool(self.ambiguous_en or self.ambiguous_zh) and context.first(self.ctx_en, self.ctx_zh) is not None

    def best(self, phrase: str, toks: tuple[str, ...], context_ok: bool = True) -> tuple[int, str | None]:
        """The most specific term of this field inside a keyphrase; ambiguous terms only when `context_ok`."""
        if context_ok or not (self.ambiguous_en or self.ambiguous_zh):
            return _best_term(phrase, toks, self.en_index, self.zh)
        return _best_term(phrase, toks, self.en_index, [t for t in self.zh if t not in self.ambiguous_zh],
                          self.ambiguous_en)


@dataclass(frozen=True)
class TopicContext:
    """What a topic is about beyond its keyphrases: label, keyphrases and central document titles, tokenised."""

    tokens: tuple[tuple[str, ...], ...]
    text: str
    subs: frozenset = dataclass_field(default=frozenset(), compare=False, repr=False)   # `_sub_phrases` of all `tokens`

    @classmethod
    def of(cls, phrases: list[str], titles: list[str] | None = None) -> "TopicContext":
        parts = list(phrases) + [t for t in (titles or []) if isinstance(t, str)]
        tokens = tuple(term_tokens(p) for p in parts)
        return cls(tokens, " | ".join(to_simplified(p.lower()) for p in parts),
                   frozenset().union(*map(_sub_phrases, tokens)))

    def first(self, en: tuple, zh: tuple) -> str | None:
        subs = self.subs if self.subs or not self.tokens else frozenset().union(*map(_sub_phrases, self.tokens))
        for term, ttoks in en:
            if ttoks and ttoks in subs:
                return term
        for term in zh:
            if term in self.text:
                return term
        return None


def match_terms(phrases: list[str], terms: CompiledTerms | dict, ceiling: list[int] | None = None,
                context_ok: bool = True) -> tuple[float, list[dict]]:
    """Term evidence of one field for a topic's ranked keyphrases: ``(term_score, matches)``.

    ``ceiling[rank]``: the most specific match any field has in that keyphrase; a match less specific than it
    earns nothing (so "quantum simulation" counts for quantum computing, not for "simulation").
    ``matches``: ``[{"term", "keyphrase", "rank"}]``, the best term per keyphrase.
    """
    compiled = terms if isinstance(terms, CompiledTerms) else CompiledTerms.of(terms)
    return _term_evidence(phrases, [compiled.best(p, term_tokens(p), context_ok) for p in phrases], ceiling)


def _term_evidence(phrases: list[str], found: list[tuple[int, str | None]], ceiling: list[int] | None
                   ) -> tuple[float, list[dict]]:
    """`match_terms` from each keyphrase's best term, ``found[rank] = (size, term)`` (found once per topic and
    field, read both for the ceilings and for the evidence)."""
    total, matches = 0.0, []
    for rank, phrase in enumerate(phrases):
        size, term = found[rank]
        if term is None or (ceiling is not None and size < ceiling[rank]):
            continue
        total += (1.0 if size > 1 else 0.5) / (1.0 + rank / 4.0)
        matches.append({"term": term, "keyphrase": phrase, "rank": rank})
    return 1.0 - math.exp(-total), matches


def _found(phrases: list[str], compiled: list[CompiledTerms], usable: list[bool | None]) -> list[list | None]:
    """Per field, each keyphrase's best term ``(size, term)`` (None for an excluded field, `usable` None)."""
    toks = [term_tokens(p) for p in phrases]
    return [None if ok is None else [c.best(p, t, ok) for p, t in zip(phrases, toks)]
            for c, ok in zip(compiled, usable)]


def _ceilings(found: list[list | None], n: int) -> list[int]:
    """Per keyphrase, the most specific term any usable field has in it."""
    rows = [row for row in found if row is not None]
    return [max((row[rank][0] for row in rows), default=0) for rank in range(n)]


class FieldIndex:
    """The taxonomy's field profiles, embedded once per embedder (None: term evidence only)."""

    def __init__(self, taxonomy: Taxonomy | None = None, embedder=None):
        self.taxonomy = taxonomy or load_taxonomy()
        self.fields = self.taxonomy.fields
        self.embedder = embedder
        self.compiled = [CompiledTerms.of_field(f) for f in self.fields]
        self.products = [(p, CompiledTerms.of(p.terms)) for p in self.taxonomy.products]
        self.vectors = None
        if embedder is not None:
            self.vectors = _unit(np.asarray(embedder.encode([field_profile(f) for f in self.fields]), dtype=np.float32))

    def similarities(self, texts: list[str]) -> np.ndarray | None:
        if self.vectors is None or not texts:
            return None
        topics = _unit(np.asarray(self.embedder.encode(texts), dtype=np.float32))
        return topics @ self.vectors.T


def _unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(n == 0, 1.0, n)


def default_embedder(name: str | None = None):
    """The product's embedder for similarity, or None (with a log line) when the embed stage is unavailable."""
    try:
        from frontierwatch.embed import get_embedder
    except ImportError:
        log.warning("frontierwatch.embed.get_embedder is not available: mapping uses seed terms only")
        return None
    from frontierwatch.settings import load_settings

    return get_embedder(name or load_settings().embed_model)


def map_topics(topics: list[dict], *, taxonomy: Taxonomy | None = None, embedder=None,
               params: MappingParams | None = None, index: FieldIndex | None = None) -> list[dict]:
    """Map each topic to directions and fields.

    Parameters
    ----------
    topics : dicts with ``id``, ``label`` and ``keyphrases`` (``{"phrase", "weight"}`` dicts, ``[phrase, weight]``
        pairs or strings), optionally ``titles`` (central document titles, read as context only).
    embedder : object with ``encode(texts) -> (n, dim)``; None → seed terms only (``similarity`` is None).

    Returns
    -------
    One dict per topic: ``topic_id``, ``directions`` (ids, best first; ``["outside"]`` when none fits),
    ``fields`` (``[{"field": "direction/field", "direction", "score", "term_score", "similarity",
    "matched_terms"}]``), ``confidence`` (0..1), ``products`` (landmark products matched), ``reason``
    (``{"zh", "en"}`` sentence).
    """
    params = params or MappingParams()
    index = index or FieldIndex(taxonomy, embedder)
    tax = index.taxonomy
    phrase_lists = [_phrases(t, params.keyphrases_used) for t in topics]
    sims = index.similarities(["; ".join(p) for p in phrase_lists])
    out = []
    for i, topic in enumerate(topics):
        phrases = phrase_lists[i]
        context = TopicContext.of(phrases, topic.get("titles"))
        excluded = [c.excluded(context) for c in index.compiled]
        usable = [None if ex else c.has_context(context) for c, ex in zip(index.compiled, excluded)]
        scored = []
        found = _found(phrases, index.compiled, usable)
        ceiling = _ceilings(found, len(phrases))
        for j, field in enumerate(index.fields):
            if excluded[j]:
                continue
            term_score, matches = _term_evidence(phrases, found[j], ceiling)
            sim = None if sims is None else float(np.clip((sims[i, j] - params.sim_floor) / params.sim_span, 0, 1))
            score = (params.term_weight * term_score + (1 - params.term_weight) * sim) if sim is not None else term_score
            scored.append({"field": field.key, "direction": field.direction, "score": round(score, 4),
                           "term_score": round(term_score, 4),
                           "similarity": None if sim is None else round(float(sims[i, j]), 4),
                           "matched_terms": matches})
        scored.sort(key=lambda s: (-s["score"], s["field"]))
        best = scored[0]["score"] if scored else 0.0
        chosen = [s for s in scored if s["score"] >= params.threshold and s["score"] >= params.relative * best
                  and (s["matched_terms"] or not params.require_terms
                       or (s["similarity"] is not None and s["similarity"] >= params.sim_only_min))]
        chosen = chosen[: params.max_fields]
        products = []
        for p, compiled in index.products:
            score, matches = match_terms(phrases, compiled)
            if matches:
                products.append({"product": p.id, "name": dict(p.name), "term_score": round(score, 4),
                                 "matched_terms": matches})
        if chosen:
            directions = list(dict.fromkeys(s["direction"] for s in chosen))
            confidence = chosen[0]["score"]
        else:
            directions, confidence = [OUTSIDE], round(1.0 - best, 4)
        out.append({"topic_id": topic.get("id"), "directions": directions, "fields": chosen,
                    "best": scored[:3], "confidence": round(confidence, 4), "products": products,
                    "excluded": {f.key: ex for f, ex in zip(index.fields, excluded) if ex},
                    "reason": explain(chosen, scored[:1], tax, params)})
    return out


def explain(chosen: list[dict], best: list[dict], tax: Taxonomy, params: MappingParams) -> dict[str, str]:
    """A one-sentence reason in zh and en: which terms matched and how similar the topic is to the field."""
    if not chosen:
        b = best[0] if best else None
        tail_en = f"; best field {tax.field(b['field']).name['en']} scored {b['score']:.2f}" if b else ""
        tail_zh = f"；最接近的领域“{tax.field(b['field']).name['zh']}”得分 {b['score']:.2f}" if b else ""
        return {"en": f"no field reaches the threshold {params.threshold:.2f}{tail_en}",
                "zh": f"没有领域达到阈值 {params.threshold:.2f}{tail_zh}"}
    parts_en, parts_zh = [], []
    for s in chosen:
        f = tax.field(s["field"])
        terms = ", ".join(dict.fromkeys(m["term"] for m in s["matched_terms"])) or "—"
        sim = "n/a" if s["similarity"] is None else f"{s['similarity']:.2f}"
        parts_en.append(f"{f.name['en']}: terms [{terms}], similarity {sim}")
        parts_zh.append(f"{f.name['zh']}：命中词 [{terms}]，语义相似度 {sim}")
    return {"en": "; ".join(parts_en), "zh": "；".join(parts_zh)}
