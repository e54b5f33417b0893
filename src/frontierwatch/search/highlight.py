"""Highlights: where the query's words stand in a title or abstract, and a snippet cut around the first of them.

Spans are ``[start, end)`` character offsets into the text as stored (Traditional text is matched through its
Simplified folding, character for character), so a page or an API client can mark them without re-cutting words.
"""
from __future__ import annotations

import re
from functools import lru_cache

from frontierwatch.text import has_cjk, singular, to_simplified

__all__ = ["marks", "snippet"]

SNIPPET_CHARS = 280


@lru_cache(maxsize=1024)
def _pattern(words: tuple[str, ...]) -> re.Pattern | None:
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        if has_cjk(word):
            parts.append(re.escape(to_simplified(word)))
            continue
        tokens = [singular(t) for t in re.findall(r"[a-z0-9+]+", word.lower())]
        if tokens:
            body = r"[\s\-]+".join(re.escape(t[:-1]) + "(?:y|ies)" if t.endswith("y") and len(t) > 3
                                   else re.escape(t) + "(?:s|es)?" for t in tokens)
            parts.append(rf"(?<![a-z0-9]){body}(?![a-z0-9])")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def _searchable(text: str) -> str:
    folded = to_simplified(text) if has_cjk(text) else text
    return folded if len(folded) == len(text) else text


def marks(text: str | None, words: list[str]) -> list[list[int]]:
    """Spans of `words` (Latin words plural-tolerant, hyphen = space; Chinese as written) in `text`."""
    pattern = _pattern(tuple(words))
    if not text or pattern is None:
        return []
    return [[m.start(), m.end()] for m in pattern.finditer(_searchable(text))]


def snippet(text: str | None, words: list[str], size: int = SNIPPET_CHARS) -> str:
    """About `size` characters of `text` around the first matched word (the start when none matches)."""
    text = " ".join((text or "").split())
    if len(text) <= size:
        return text
    pattern = _pattern(tuple(words))
    found = pattern.search(_searchable(text)) if pattern else None
    start = 0
    if found and found.start() > size // 3:
        start = found.start() - size // 4
        space = text.rfind(" ", 0, start)
        start = space + 1 if space > start - 20 else start
    end = min(len(text), start + size)
    if end < len(text):
        space = text.rfind(" ", start + size - 30, end)
        end = space if space > 0 else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
