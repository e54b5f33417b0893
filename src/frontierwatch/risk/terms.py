"""Term matching for the risk taxonomy: whole English words in order, Chinese substrings, read once per text.

English text is lower-cased and cut into words (``[a-z0-9]`` runs, hyphenated words kept whole *and* split, so
the term ``gain of function`` finds "gain-of-function" and ``privacy`` finds "privacy-preserving"), with light
plural folding ("weapons" → "weapon"). A text is indexed once as the set of its word n-grams that begin with a
word some term begins with (`TermIndex`), so each term is one set lookup whatever the number of terms. Chinese
terms are substrings of the text (Chinese has no spaces to cut on), compared in Simplified script: terms and text
are folded with `frontierwatch.text.to_simplified`, so a Traditional text meets the same terms. Words are cut by
the text module's term tokeniser (`frontierwatch.text.term_tokens`), as the direction mapping cuts them.
"""
from __future__ import annotations

from dataclasses import dataclass

from frontierwatch.text import has_cjk, term_tokens, to_simplified

words = term_tokens  # lower-cased, plural-folded words of a text (hyphenated words whole)


@dataclass(frozen=True)
class TermSet:
    """Terms of one language pair, compiled: English as word tuples, Chinese as strings."""

    en: tuple[tuple[str, tuple[str, ...]], ...] = ()
    zh: tuple[str, ...] = ()

    @classmethod
    def of(cls, terms: dict | None) -> "TermSet":
        terms = terms or {}
        en = tuple((t, words(t)) for t in terms.get("en", ()) if words(t))
        return cls(en, tuple(map(to_simplified, terms.get("zh", ()))))

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
        self.cjk = has_cjk(text)
        self.text = to_simplified(text) if self.cjk else text
        lowered = text.lower()
        grams: set[tuple[str, ...]] = set()
        for toks in (words(lowered), words(lowered.replace("-", " "))):
            for i, w in enumerate(toks):
                if w in starts:
                    grams.update(toks[i:i + n] for n in range(1, min(longest, len(toks) - i) + 1))
        self.grams = grams
