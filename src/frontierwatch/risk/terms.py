"""Term matching for the risk taxonomy: whole English words in order, Chinese substrings, read once per text.

English text is lower-cased and cut into words (``[a-z0-9]`` runs, hyphenated words kept whole *and* split, so
the term ``gain of function`` finds "gain-of-function" and ``privacy`` finds "privacy-preserving"), with light
plural folding ("weapons" → "weapon"). A text is indexed once as the set of its word n-grams that begin with a
word some term begins with (`TermIndex`), so each term is one set lookup whatever the number of terms. Chinese
terms are substrings of the text (Chinese has no spaces to cut on).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WORDS = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CJK = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """Light plural folding so 'weapons' matches 'weapon' (words ending in 'ss' and short words are kept)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words(text: str) -> tuple[str, ...]:
    """Lower-cased, plural-folded words of `text` (hyphenated words whole)."""
    return tuple(map(fold, _WORDS.findall(text.lower())))


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@dataclass(frozen=True)
class TermSet:
    """Terms of one language pair, compiled: English as word tuples, Chinese as strings."""

    en: tuple[tuple[str, tuple[str, ...]], ...] = ()
    zh: tuple[str, ...] = ()

    @classmethod
    def of(cls, terms: dict | None) -> "TermSet":
        terms = terms or {}
        en = tuple((t, words(t)) for t in terms.get("en", ()) if words(t))
        return cls(en, tuple(terms.get("zh", ())))

    def __bool__(self) -> bool:
        return bool(self.en or self.zh)

    def starts(self) -> set[str]:
        return {toks[0] for _, toks in self.en}

    def longest(self) -> int:
        return max((len(toks) for _, toks in self.en), default=1)

    def found(self, index: "TermIndex") -> list[str]:
        """The terms present in the indexed text, in the set's order."""
        hits = [term for term, toks in self.en if toks in index.grams]
        if index.cjk:
            hits += [t for t in self.zh if t in index.text]
        return hits

    def any(self, index: "TermIndex") -> bool:
        return any(toks in index.grams for _, toks in self.en) or (
            index.cjk and any(t in index.text for t in self.zh))


class TermIndex:
    """One text, ready for term lookups: its word n-grams (only those starting with `starts`) and its raw text."""

    __slots__ = ("grams", "text", "cjk")

    def __init__(self, text: str, starts: frozenset[str], longest: int):
        self.text = text
        self.cjk = has_cjk(text)
        lowered = text.lower()
        grams: set[tuple[str, ...]] = set()
        for toks in (words(lowered), words(lowered.replace("-", " "))):
            for i, w in enumerate(toks):
                if w in starts:
                    grams.update(toks[i:i + n] for n in range(1, min(longest, len(toks) - i) + 1))
        self.grams = grams
