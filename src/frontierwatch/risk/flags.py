"""Risk flags (鉴别): which taxonomy categories a topic, or a piece of submitted text, touches — with the evidence.

A topic is flagged for a category when

* one of the category's *strong* terms is in the topic's label or first keyphrases (``keyphrases_used``), or
* at least ``min_docs`` of its documents, and at least ``min_share`` of them, hold evidence for the category in
  title + abstract: a strong term, or an ambiguous rule term with its context and without its exclusions
  (a document about "disease surveillance" is not evidence of a privacy risk).

Thresholds are a `FlagParams`; `bench/risk_flags.py` measures precision and recall of these topic-level flags
on hand-labelled topics. A flag is evidence for a human reviewer — terms and the documents that hold them —
never a verdict: the assess step (`frontierwatch.risk.assessments`) records the verdict.
"""
from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass

from frontierwatch.risk.taxonomy import RiskTaxonomy, load_risk_taxonomy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FlagParams:
    """Topic-level flag thresholds (recorded with every flag set and edition)."""

    min_docs: int = 3
    min_share: float = 0.08
    keyphrases_used: int = 10
    evidence_docs: int = 5

    def as_dict(self) -> dict:
        return asdict(self)


def _phrases(topic: dict, n: int) -> list[str]:
    """The topic's label parts and keyphrases as plain strings, best first (keyphrases as strings,
    ``[phrase, weight]`` pairs or ``{"phrase", "weight"}`` rows)."""
    out = [p.strip() for p in re.split(r"\s*[·;,|]\s*", topic.get("label") or "") if p.strip()]
    for k in topic.get("keyphrases") or []:
        phrase = k.get("phrase") if isinstance(k, dict) else k[0] if isinstance(k, (list, tuple)) else k
        if isinstance(phrase, str) and phrase.strip() and phrase.strip() not in out:
            out.append(phrase.strip())
    return out[:n]


def document_evidence(text: str, taxonomy: RiskTaxonomy) -> dict[str, list[str]]:
    """``{category id: [terms found]}`` for one text (title + abstract), only categories with evidence."""
    index = taxonomy.index(text)
    out = {}
    for cat in taxonomy.categories:
        hits = cat.found(index)
        if hits:
            out[cat.id] = hits
    return out


def flag_topic(topic: dict, documents: list[dict], *, params: FlagParams | None = None,
               taxonomy: RiskTaxonomy | None = None) -> list[dict]:
    """Risk flags of one topic.

    Parameters
    ----------
    topic : dict with ``label`` and ``keyphrases`` (strings or ``[phrase, weight]``).
    documents : the topic's documents, dicts with ``doc_id``, ``title``, ``abstract`` (optional ``year``).

    Returns
    -------
    ``[{"category", "name": {"zh", "en"}, "keyphrase_terms", "terms": {term: n documents}, "n_documents",
    "share", "documents": [{"doc_id", "title", "year", "terms"}], "taxonomy": {file, version, date}}]`` —
    flagged categories only, in the taxonomy's order.
    """
    params = params or FlagParams()
    taxonomy = taxonomy or load_risk_taxonomy()
    phrases = " ; ".join(_phrases(topic, params.keyphrases_used))
    phrase_index = taxonomy.index(phrases)
    per_doc = [document_evidence(f"{d.get('title') or ''}. {d.get('abstract') or ''}", taxonomy) for d in documents]
    flags = []
    for cat in taxonomy.categories:
        kp_terms = sorted(set(cat.terms.found(phrase_index)))
        term_docs: dict[str, int] = {}
        evidence = []
        for doc, found in zip(documents, per_doc):
            hits = found.get(cat.id)
            if hits:
                for t in hits:
                    term_docs[t] = term_docs.get(t, 0) + 1
                evidence.append({"doc_id": doc["doc_id"], "title": doc.get("title"), "year": doc.get("year"),
                                 "terms": hits})
        share = len(evidence) / len(documents) if documents else 0.0
        if kp_terms or (len(evidence) >= params.min_docs and share >= params.min_share):
            evidence.sort(key=lambda e: (-len(e["terms"]), str(e["doc_id"])))
            flags.append({"category": cat.id, "name": dict(cat.name), "keyphrase_terms": kp_terms,
                          "terms": dict(sorted(term_docs.items(), key=lambda kv: (-kv[1], kv[0]))),
                          "n_documents": len(evidence), "share": round(share, 4),
                          "documents": evidence[: params.evidence_docs], "taxonomy": taxonomy.identity()})
    return flags


def screen_text(text: str, taxonomy: RiskTaxonomy | None = None) -> list[dict]:
    """Flags of a short submitted text (a release-hall item): every category with evidence or a red-line term.

    Returns ``[{"category", "name": {"zh", "en"}, "terms": [...], "red_line_terms": [...], "red_line": bool}]``
    in the taxonomy's order; ``[]`` when nothing matched. One matching term is enough: a submission is short
    and a reviewer's look is cheap next to a missed red line.
    """
    taxonomy = taxonomy or load_risk_taxonomy()
    index = taxonomy.index(text)
    out = []
    for cat in taxonomy.categories:
        hits, red = cat.found(index), cat.red_lines.found(index)
        if hits or red:
            out.append({"category": cat.id, "name": dict(cat.name), "terms": hits, "red_line_terms": red,
                        "red_line": bool(red)})
    return out
