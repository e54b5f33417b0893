"""Risk flags (鉴别-评估): topics touching dual use, biosafety, privacy, AI safety or other ethics red lines.

Term-based on purpose: a flag is *evidence for a human to assess* — the matched terms and the documents that
hold them — never a verdict. Terms live in the editable, versioned ``taxonomy/risk_terms.v1.yaml``.

A category is flagged for a topic when one of its terms is in the topic's keyphrases/label, or when at least
``min_docs`` of the topic's documents *and* at least ``min_share`` of them hold a term in title or abstract.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources

import yaml

from frontierwatch.catalog.mapping import CompiledTerms, _phrases
from frontierwatch.catalog.taxonomy import _bilingual, _terms
from frontierwatch.errors import InputError
from frontierwatch.text import has_cjk, term_tokens, to_simplified

log = logging.getLogger(__name__)

RISK_FILE = "risk_terms.v1.yaml"


@dataclass(frozen=True)
class RiskParams:
    """Flag thresholds (recorded in each edition's parameters)."""

    min_docs: int = 3
    min_share: float = 0.02
    evidence_docs: int = 5

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class RiskCategory:
    id: str
    name: dict[str, str]
    description: dict[str, str]
    terms: CompiledTerms


@dataclass(frozen=True)
class RiskTerms:
    version: int
    date: str
    file: str
    categories: tuple[RiskCategory, ...]

    def identity(self) -> dict:
        return {"file": self.file, "version": self.version, "date": self.date}


@lru_cache(maxsize=2)
def load_risk_terms() -> RiskTerms:
    """The packaged risk term list, validated (zh + en names, descriptions and terms for every category)."""
    data = yaml.safe_load(resources.files("frontierwatch.catalog").joinpath("taxonomy").joinpath(RISK_FILE)
                          .read_text(encoding="utf-8"))
    cats = []
    for c in data.get("categories") or []:
        if not c.get("id"):
            raise InputError(f"{RISK_FILE}: a category has no id", f"{RISK_FILE}：有类别缺少编号")
        cats.append(RiskCategory(c["id"], _bilingual(c.get("name"), c["id"], "name"),
                                 _bilingual(c.get("description"), c["id"], "description"),
                                 CompiledTerms.of(_terms(c.get("terms"), c["id"]))))
    return RiskTerms(int(data["version"]), str(data["date"]), RISK_FILE, tuple(cats))


MAX_TERM_WORDS = 4


def _grams(text: str, starts: frozenset[str] | None = None) -> set[tuple[str, ...]]:
    """Word n-grams (n ≤ 4) of a text, hyphenated words kept whole and split, so each term is one lookup.

    With `starts` (the first words of the terms looked for), only n-grams beginning with one of them are
    made: the same lookups succeed, at a fraction of the cost on long documents.
    """
    out = set()
    for toks in (term_tokens(text), term_tokens(text.replace("-", " "))):  # 'privacy-preserving' also holds 'privacy'
        at = range(len(toks)) if starts is None else [i for i, w in enumerate(toks) if w in starts]
        out |= {toks[i:i + n] for i in at for n in range(1, min(MAX_TERM_WORDS, len(toks) - i) + 1)}
    return out


def _text_hits(text: str, terms: CompiledTerms, grams: set | None = None) -> list[str]:
    """Every term of `terms` found in `text` (whole words for English, substrings for Chinese)."""
    grams = _grams(text) if grams is None else grams
    hits = [term for term, ttoks in terms.en if ttoks in grams]
    if terms.zh and has_cjk(text):
        folded = to_simplified(text)  # zh terms are folded in `CompiledTerms.of`
        hits += [t for t in terms.zh if t in folded]
    return hits


def risk_flags(topic: dict, documents: list[dict], *, params: RiskParams | None = None,
               risk_terms: RiskTerms | None = None) -> list[dict]:
    """Risk flags of one topic.

    Parameters
    ----------
    topic : dict with ``label`` and ``keyphrases``.
    documents : the topic's documents, dicts with ``doc_id``, ``title``, ``abstract`` (and optional ``year``).

    Returns
    -------
    ``[{"category", "name": {"zh", "en"}, "keyphrase_terms": [...], "terms": {term: documents},
    "n_documents", "share", "documents": [{"doc_id", "title", "year", "terms"}]}]`` — only flagged categories,
    in the file's order.
    """
    params = params or RiskParams()
    risk_terms = risk_terms or load_risk_terms()
    phrases = _phrases(topic, 20)
    flags = []
    texts = [f"{doc.get('title') or ''}. {doc.get('abstract') or ''}" for doc in documents]
    starts = frozenset(ttoks[0] for cat in risk_terms.categories for _, ttoks in cat.terms.en if ttoks)
    grams = [_grams(t, starts) for t in texts]
    for cat in risk_terms.categories:
        kp_terms = sorted({t for p in phrases for t in _text_hits(p, cat.terms)})
        term_docs: dict[str, int] = {}
        evidence = []
        for doc, text, g in zip(documents, texts, grams):
            hits = _text_hits(text, cat.terms, g)
            if hits:
                for t in hits:
                    term_docs[t] = term_docs.get(t, 0) + 1
                evidence.append({"doc_id": doc["doc_id"], "title": doc.get("title"), "year": doc.get("year"),
                                 "terms": hits})
        share = len(evidence) / len(documents) if documents else 0.0
        if kp_terms or (len(evidence) >= params.min_docs and share >= params.min_share):
            evidence.sort(key=lambda e: (-len(e["terms"]), e["doc_id"]))
            flags.append({"category": cat.id, "name": dict(cat.name), "keyphrase_terms": kp_terms,
                          "terms": dict(sorted(term_docs.items(), key=lambda kv: (-kv[1], kv[0]))),
                          "n_documents": len(evidence), "share": round(share, 4),
                          "documents": evidence[: params.evidence_docs]})
    return flags
