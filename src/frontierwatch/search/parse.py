"""What a search query means: concepts that must all be present, each found in Chinese or in English.

A query is cut into *concepts* (AND): a quoted phrase, a glossary term (longest match, either language), a
Chinese word run or a Latin word. A concept is satisfied by any of its *alternatives* (OR): its own words, and
its translations through the zh↔en technology glossary (the matchmaking bridge, ``match/glossary``) — so 量子计算
also finds English papers on "quantum computing", and "lithium-ion battery" finds 锂电池. An alternative holds
the index terms a document must all contain (`frontierwatch.text.search_terms`) and, when its words must be
adjacent (a quoted phrase, a glossary translation, a Chinese run), a pattern checked on the document's text.

Why adjacency for Chinese runs: the index holds words cut at word boundaries, so 人机 is not a term of 无人机; the
pattern keeps 量子计算 from matching a text that only has 量子 and 计算 far apart.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from frontierwatch.text import (CJK_RUN, SEARCH_STOP_WORDS, SEARCH_WORD, chinese_words, has_cjk, search_terms, singular,
                               to_simplified)

__all__ = ["Alternative", "Concept", "SearchQuery", "parse_query", "phrase_pattern"]

MAX_CONCEPTS = 12
_FUNCTION_CHARS = frozenset("的 了 和 与 及 或 在 是 对 中 等 用 于 为 将 把 被 从 以 之 其 而 并 也 就 都 由 向 按".split())
_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」')


@dataclass(frozen=True)
class Alternative:
    """One way to satisfy a concept: every index term in `terms`, and `pattern` (if any) in the text."""

    text: str
    language: str                 # zh | en
    terms: tuple[str, ...]
    pattern: str | None = None    # regex over the normalised text (`normalise`), None = terms suffice
    bridged: bool = False         # a glossary translation, not the user's own words


@dataclass(frozen=True)
class Concept:
    text: str
    alternatives: tuple[Alternative, ...]


@dataclass
class SearchQuery:
    """A parsed query: `concepts` (all must match), the query's language and every term to highlight."""

    text: str
    language: str
    concepts: list[Concept] = field(default_factory=list)

    def terms(self) -> list[str]:
        return list(dict.fromkeys(t for c in self.concepts for a in c.alternatives for t in a.terms))

    def highlight_words(self) -> list[str]:
        """Surface words to mark in titles and snippets (Chinese runs, Latin words and phrases)."""
        words = []
        for c in self.concepts:
            for a in c.alternatives:
                words.append(a.text)
                if a.pattern is None:  # words that need not be adjacent are marked one by one
                    words.extend(a.terms)
        return list(dict.fromkeys(w for w in words if w))

    def as_dict(self) -> dict:
        return {"text": self.text, "language": self.language, "concepts": [
            {"text": c.text, "alternatives": [{"text": a.text, "language": a.language, "bridged": a.bridged}
                                              for a in c.alternatives]} for c in self.concepts]}


def normalise(text: str) -> str:
    """Lower-case, Traditional → Simplified, every run of non-word characters one space (what patterns match)."""
    low = (text or "").lower()
    if has_cjk(low):
        low = to_simplified(low)
    return " " + re.sub(r"[^\w+]+", " ", low) + " "


def _word_pattern(word: str) -> str:
    """A Latin word and its plural (battery|batteries, cell|cells)."""
    if word.endswith("y") and len(word) > 3:
        return re.escape(word[:-1]) + r"(?:y|ies)"
    return re.escape(word) + r"(?:s|es)?"


def phrase_pattern(text: str) -> str:
    """A regex that finds `text` as adjacent words in a `normalise`d text: Latin words (plural-tolerant, hyphens =
    spaces) on word boundaries, Chinese runs as they are."""
    parts = []
    for piece in re.findall(rf"{CJK_RUN.pattern}|[a-z0-9+]+", to_simplified(text.lower())):
        parts.append(re.escape(piece) if has_cjk(piece) else r"\b" + _word_pattern(singular(piece)) + r"\b")
    return r"\s?".join(parts) if all(has_cjk(p) for p in parts) else r"\s".join(parts)


def _latin_terms(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(search_terms(text.replace("-", " "))))


@lru_cache(maxsize=1)
def _bridge() -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, ...], list[str]]]:
    """The glossary (``{zh: (en, ...)}``) and its reverse (English words → Chinese terms), Simplified, lower case."""
    from frontierwatch.match.need import general_terms, load_glossary

    general = general_terms()
    zh_en = {zh: ens for zh, ens in load_glossary().items() if zh not in general}
    en_zh: dict[tuple[str, ...], list[str]] = {}
    for zh, ens in zh_en.items():
        for en in ens:
            key = tuple(singular(w) for w in re.findall(r"[a-z0-9+]+", en))
            if key:
                en_zh.setdefault(key, []).append(zh)
    return zh_en, en_zh


def _zh_alternative(text: str, bridged: bool = False) -> Alternative:
    words = tuple(dict.fromkeys(chinese_words(text))) or (text,)
    return Alternative(text, "zh", words, phrase_pattern(text), bridged)


def _zh_rest_concepts(text: str) -> list[Concept]:
    """Concepts of a Chinese piece no glossary term covers: runs of words between function words (的, 基于 …),
    each kept if it holds a word of two or more characters."""
    out, segment = [], ""
    for word in chinese_words(text, min_length=1) + [""]:
        if word and word not in SEARCH_STOP_WORDS and word not in _FUNCTION_CHARS:
            segment += word
            continue
        if any(len(w) >= 2 for w in chinese_words(segment)):
            out.append(Concept(segment, (_zh_alternative(segment),)))
        segment = ""
    return out


def _en_alternative(text: str, bridged: bool = False, phrase: bool = True) -> Alternative:
    terms = _latin_terms(text)
    return Alternative(text, "en", terms, phrase_pattern(text) if phrase and len(terms) > 1 else None, bridged)


def _glossary_cut(run: str, terms: dict) -> list[tuple[str, bool]]:
    """`run` cut into glossary terms and the pieces between them: the cut covering the most characters with
    terms, then with the fewest pieces (超导量子比特 → 超导 · 量子比特, not 超导量子 · 比特). ``(piece, is_term)``."""
    longest = max(map(len, terms), default=0)
    n = len(run)
    best: list[tuple[int, int, list]] = [(0, 0, [])] * (n + 1)  # from i: (covered, -pieces, cut)
    for i in range(n - 1, -1, -1):
        covered, neg, cut = best[i + 1]
        options = [(covered, neg - 1, [(run[i], False)] + cut)]
        for size in range(2, min(longest, n - i) + 1):
            if run[i:i + size] in terms:
                covered, neg, cut = best[i + size]
                options.append((covered + size, neg - 1, [(run[i:i + size], True)] + cut))
        best[i] = max(options, key=lambda o: (o[0], o[1]))
    merged: list[tuple[str, bool]] = []
    for piece, is_term in best[0][2]:  # glue consecutive non-term characters back together
        if merged and not is_term and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + piece, False)
        else:
            merged.append((piece, is_term))
    return merged


def _chinese_concepts(run: str) -> list[Concept]:
    """Glossary terms of a Chinese run (`_glossary_cut`), each with its English forms, and the uncovered pieces."""
    zh_en, _ = _bridge()
    out = []
    for piece, is_term in _glossary_cut(run, zh_en):
        if is_term:
            alts = [_zh_alternative(piece)] + [_en_alternative(en, bridged=True) for en in zh_en[piece]]
            out.append(Concept(piece, tuple(alts)))
        else:
            out.extend(_zh_rest_concepts(piece))
    return out


def _latin_concepts(text: str, quoted: bool) -> list[Concept]:
    """Glossary phrases found longest-first among the words (with their Chinese terms), then each other word."""
    _, en_zh = _bridge()
    words = [w for w in SEARCH_WORD.findall(text.lower().replace("-", " ")) if _latin_terms(w)]
    keys = [singular(w) for w in words]
    if quoted:
        zh = en_zh.get(tuple(keys), [])
        alts = [_en_alternative(" ".join(words))] + [_zh_alternative(z, bridged=True) for z in zh]
        return [Concept(" ".join(words), tuple(alts))] if words else []
    out, i = [], 0
    longest = max(map(len, en_zh), default=1)
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            key = tuple(keys[i:i + size])
            if key in en_zh:
                phrase = " ".join(words[i:i + size])
                alts = [_en_alternative(phrase, phrase=False)] + [_zh_alternative(z, bridged=True) for z in en_zh[key]]
                out.append(Concept(phrase, tuple(alts)))
                i += size
                break
        else:
            out.append(Concept(words[i], (_en_alternative(words[i]),)))
            i += 1
    return out


def parse_query(text: str) -> SearchQuery:
    """Cut `text` into concepts (see the module docstring). Quoted parts ("…", “…”, 「…」) are phrases.

    >>> [c.text for c in parse_query('量子计算 "error correction"').concepts]
    ['error correction', '量子计算']
    """
    clean = " ".join((text or "").split())
    concepts: list[Concept] = []
    rest = clean
    for match in _QUOTED.finditer(clean):
        phrase = next(g for g in match.groups() if g)
        rest = rest.replace(match.group(0), " ")
        if has_cjk(phrase):
            concepts.extend(_chinese_concepts(to_simplified(phrase.lower()).replace(" ", "")))
        else:
            concepts.extend(_latin_concepts(phrase, quoted=True))
    low = to_simplified(rest.lower())
    concepts.extend(_latin_concepts(CJK_RUN.sub(" ", low), quoted=False))
    for run in CJK_RUN.findall(low):
        concepts.extend(_chinese_concepts(run))
    unique = list({c.text: c for c in concepts if any(a.terms for a in c.alternatives)}.values())[:MAX_CONCEPTS]
    language = "zh" if has_cjk(clean) else "en"
    return SearchQuery(clean, language, unique)
