"""One topic's bilingual name (pure): English from its keyphrases and documents, Chinese by the glossary.

The two names say the same thing: a candidate phrase is used only when the glossary can put it in Chinese, unless
no candidate can be — then the English name stands alone and ``zh`` is None (``zh_source: "none"``), which pages
show as "no Chinese name yet" rather than a guess. A topic whose documents are mostly Chinese is named from its
Chinese keyphrases (``zh_source: "documents"``), its English name bridged back through the glossaries.
"""
from __future__ import annotations

from frontierwatch.names.chinese import CJK, english_from_chinese, join_parts, translate
from frontierwatch.names.english import Candidate, PhraseStats, english_name

UNTRANSLATED_LEAD = 0.5   # an untranslatable best phrase names the topic when the best translatable one scores less

def _chinese_topic_name(keyphrases: list[str]) -> dict:
    """Name of a Chinese-language topic: its two best Chinese keyphrases that do not repeat each other."""
    zh_phrases = [k for k in keyphrases if CJK.search(k)]
    chosen: list[str] = []
    for k in zh_phrases:
        if all(k not in c and c not in k for c in chosen):
            chosen.append(k)
        if len(chosen) == 2:
            break
    if not chosen:
        return {}
    english = [english_from_chinese(k) for k in chosen]
    if english[0] is None:
        return {"zh": "与".join(chosen), "zh_source": "documents", "en": None, "parts": chosen}
    en_parts = [e for e in english if e]
    en = " and ".join(en_parts)
    return {"zh": "与".join(c for c, e in zip(chosen, english) if e), "zh_source": "documents",
            "en": en[:1].upper() + en[1:], "parts": chosen}


def name_topic(keyphrases: list[str], texts: list[str], *, languages: dict[str, int] | None = None,
               label: str | None = None, generic: frozenset = frozenset(),
               parts: list[tuple[list, list]] | None = None) -> dict:
    """The names of one topic.

    Parameters
    ----------
    keyphrases : best first (strings).
    texts : title + abstract of the topic's most central documents.
    languages : document counts by language (``{"en": 480, "zh": 3}``); mostly Chinese → named from Chinese.
    label : the keyphrase label, the last resort for the English name.
    generic : phrases too common in the map to name a topic (`english.generic_phrases`).
    parts : the texts' `english.document_runs`, when they are already cut (the runner cuts each text once).

    Returns ``{"en", "zh", "zh_source": "glossary" | "documents" | "none", "parts": [...], "zh_pieces": [...],
    "candidates": [...]}``.
    """
    languages = languages or {}
    total = sum(languages.values())
    if total and languages.get("zh", 0) > total / 2:
        named = _chinese_topic_name(keyphrases)
        if named.get("en"):
            return named | {"zh_pieces": [], "candidates": []}
        latin = [i for i, t in enumerate(texts) if not CJK.search(t)]
        fallback = english_name(keyphrases, PhraseStats.of([texts[i] for i in latin],
                                                           None if parts is None else [parts[i] for i in latin]),
                                generic=generic)
        if named:
            return named | {"en": fallback["name"] or label, "zh_pieces": [], "candidates": fallback["candidates"]}

    def translatable(c: Candidate) -> bool:
        return translate(c.text)["zh"] is not None

    def distinct(first: Candidate, other: Candidate) -> bool:   # not the same thing said twice ("CNNs")
        a, b = translate(first.text)["zh"], translate(other.text)["zh"]
        return not (a and b and (a in b or b in a))

    def factor(first: Candidate, second: Candidate) -> bool:    # a free modifier, not part of a fixed term
        a, b = translate(first.text)["pieces"], translate(second.text)["pieces"]
        return len(a) > 1 and len(b) > 1 and a[0] == b[0]

    stats = PhraseStats.of(texts, parts)
    named = english_name(keyphrases, stats, allowed=translatable, generic=generic, distinct=distinct, factor=factor)
    plain = english_name(keyphrases, stats, generic=generic, distinct=distinct)
    if named["name"] and plain.get("ranked"):
        first = next(c for c in named["ranked"] if translatable(c))
        if first.score < UNTRANSLATED_LEAD * plain["ranked"][0].score:
            named = {"name": None}   # the best phrase has no Chinese and the best translatable one is far behind
    if named["name"]:
        pieces = [translate(p)["pieces"] for p in named["parts"]]
        return {"en": named["name"], "zh": join_parts(pieces), "zh_source": "glossary", "parts": named["parts"],
                "zh_pieces": pieces, "candidates": named["candidates"], "terms": _terms(named)}
    return {"en": plain["name"] or _label_name(label, keyphrases), "zh": None, "zh_source": "none",
            "parts": plain["parts"], "zh_pieces": [], "candidates": plain["candidates"],
            "missing": sorted({w for p in plain["parts"] or keyphrases[:2] for w in translate(p)["missing"]})}


def _terms(named: dict, n: int = 4) -> list[dict]:
    """Other noun phrases of the topic with their Chinese, beyond those in its name (for descriptions)."""
    used = set(named.get("keys") or [])
    out = []
    for c in named.get("ranked") or []:
        if c.key in used:
            continue
        zh = translate(c.text)["zh"]
        if zh and CJK.search(zh) and len(zh) >= 2:
            out.append({"en": c.text, "zh": zh})
        if len(out) == n:
            break
    return out


def _label_name(label: str | None, keyphrases: list[str]) -> str:
    first = (keyphrases[0] if keyphrases else (label or "").split(" · ")[0]) or "unnamed topic"
    return first[:1].upper() + first[1:]
