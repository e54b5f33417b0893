"""Chinese technology names: English name parts translated through a committed en→zh technical glossary.

Why a glossary and not a model: no offline English→Chinese translator ships on PyPI, and a name must be *right*
(an analyst quotes it). The glossary (``glossary/en_zh_terms.v1.tsv``, written for frontierwatch, Apache-2.0 like
the code) holds technical phrases ("unmanned aerial vehicle" → 无人机) and words ("grasping" → 抓取,
"robotic" → 机器人); the zh→en matchmaking glossary (`frontierwatch.match.load_glossary`) adds its first, most
usual English sense of each Chinese term. A phrase is cut into the longest glossary entries (dynamic programming
over its words, fewest pieces wins) and the Chinese pieces are joined without spaces, as Chinese technical terms
are formed ("spiking neural networks" → 脉冲 + 神经网络). A phrase with any word the glossary lacks gets no Chinese:
the name is then marked as untranslated instead of being guessed.

Chinese-language topics (most documents Chinese) go the other way: `chinese_topic_name` names them from their own
Chinese keyphrases and `english_from_chinese` bridges to English through the same two glossaries.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from functools import lru_cache
from importlib import resources

from frontierwatch.errors import InputError
from frontierwatch.names.english import fold
from frontierwatch.text import CJK_CHAR

log = logging.getLogger(__name__)

GLOSSARY_FILE = "en_zh_terms.v1.tsv"
CJK = CJK_CHAR  # the text module's one Chinese character range
_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
MAX_PHRASE = 5


def _key(text: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in _WORD.findall(text.lower()))


@lru_cache(maxsize=2)
def load_terms(name: str = GLOSSARY_FILE) -> dict[tuple[str, ...], str]:
    """The en→zh glossary as ``{folded English words: Chinese}``; InputError names a malformed or repeated line."""
    text = resources.files("frontierwatch.names").joinpath("glossary", name).read_text(encoding="utf-8")
    out: dict[tuple[str, ...], str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        key = _key(parts[0]) if len(parts) == 2 else ()
        if not key or not parts[1].strip() or not (CJK.search(parts[1]) or parts[1].strip().lower() == parts[0].lower()):
            raise InputError(f"glossary {name} line {number}: expected 'english<TAB>中文', got {line!r}",
                             f"术语表 {name} 第 {number} 行格式应为 'english<TAB>中文'，实际为 {line!r}")
        if key in out:
            raise InputError(f"glossary {name} line {number}: {parts[0]!r} is listed twice",
                             f"术语表 {name} 第 {number} 行：{parts[0]!r} 重复")
        out[key] = parts[1].strip()
    return out


@lru_cache(maxsize=1)
def glossary() -> dict[tuple[str, ...], str]:
    """en→zh: this package's glossary, completed by the first English sense of each matchmaking glossary term."""
    from frontierwatch.match import load_glossary

    merged: dict[tuple[str, ...], str] = {}
    for zh, ens in load_glossary().items():
        if ens:
            merged.setdefault(_key(ens[0]), zh)
    merged.update(load_terms())
    return merged


@lru_cache(maxsize=1)
def glossary_version() -> str:
    """A fingerprint of the merged en→zh glossary the Chinese names come from. Names stored with another one were
    made before a term was added or corrected, so the core names the map again (`names.names_stale`)."""
    entries = sorted((" ".join(k), v) for k, v in glossary().items())
    return hashlib.sha1(json.dumps(entries, ensure_ascii=False).encode("utf-8")).hexdigest()[:12]


def translate(phrase: str) -> dict:
    """Chinese for an English phrase: ``{"zh": str | None, "pieces": [[english, 中文], ...], "missing": [...]}``.

    >>> translate("spiking neural networks")["zh"]
    '脉冲神经网络'
    """
    words = _key(phrase)
    table = glossary()
    n = len(words)
    best: list[tuple[int, list] | None] = [None] * (n + 1)   # fewest pieces covering words[:i]
    best[0] = (0, [])
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(min(n, i + MAX_PHRASE), i, -1):
            zh = table.get(words[i:j])
            if zh is None and j == i + 1 and "-" in words[i]:
                parts = [table.get((fold(p),)) for p in words[i].split("-")]
                zh = "".join(parts) if all(parts) else None
            if zh is not None:
                cand = (best[i][0] + 1, best[i][1] + [[" ".join(words[i:j]), zh]])
                if best[j] is None or cand[0] < best[j][0]:
                    best[j] = cand
    if n and best[n] is not None:
        return {"zh": "".join(z for _, z in best[n][1]), "pieces": best[n][1], "missing": []}
    covered: set[int] = set()
    for i in range(n):
        for j in range(i + 1, min(n, i + MAX_PHRASE) + 1):
            if words[i:j] in table:
                covered.update(range(i, j))
    return {"zh": None, "pieces": [], "missing": [w for i, w in enumerate(words) if i not in covered]}


def join_parts(parts: list[list[list[str]]]) -> str:
    """``甲与乙`` from the translated pieces of one or two name parts, factoring a shared first piece when the
    English parts share their first word (机器人抓取 + 机器人操作 → 机器人抓取与操作; 神经网络 + 神经元 stay whole)."""
    zh = ["".join(z for _, z in pieces) for pieces in parts]
    if len(parts) == 1:
        return zh[0]
    a, b = parts
    if len(a) > 1 and len(b) > 1 and a[0] == b[0]:
        return f"{zh[0]}与{''.join(z for _, z in b[1:])}"
    return f"{zh[0]}与{zh[1]}"


def english_from_chinese(term: str) -> str | None:
    """English for a Chinese term through both glossaries (matchmaking glossary first), or None."""
    from frontierwatch.match import load_glossary

    ens = load_glossary().get(term.lower())
    if ens:
        return ens[0]
    for key, zh in load_terms().items():
        if zh == term:
            return " ".join(key)
    return None
