"""Words: the word patterns, the stop words (English and Chinese), Chinese word segmentation and the tokenisers
built on them — the only place the product cuts text into words.

Every tokeniser folds Traditional Chinese to Simplified (`script.to_simplified`) before it cuts, so 量子計算
and 量子计算 give the same tokens. Each tokeniser serves one reader, and they differ on purpose (written here so the differences stay deliberate):

==================  ======================================================  ====================================
tokeniser           what it yields                                           who reads it and why
==================  ======================================================  ====================================
`search_terms`      Latin words (``c++``, ``5g`` kept, hyphenated words as   full-text search (BM25): index and
                    their parts), plurals folded, few stop words; Chinese    query cut alike; 研究 stays findable,
                    words and the parts of their best cut                    人机 is not found inside 无人机
`content_tokens`    Latin words and their hyphen parts, plurals folded,      the matcher's BM25 over topic
                    all stop words out; a Chinese run kept whole             keyphrases
`term_tokens`       every Latin word in order, plurals folded, stop words    taxonomy / risk term matching, where
                    kept                                                     "internet of things" must match whole
`candidate_phrases` runs of 1–3 content words between stop words and         topic keyphrases (`topics.phrases`)
                    punctuation (`PHRASE_WORD`, `PHRASE_SEPARATOR`);
                    Chinese words by jieba's precise mode, no stop words
==================  ======================================================  ====================================
"""
from __future__ import annotations

import logging
import math
import re
from functools import lru_cache

from frontierwatch.text.script import CJK_CHAR, CJK_CHARS, CJK_RUN, to_simplified

__all__ = ["LATIN_WORD", "SEARCH_WORD", "PHRASE_WORD", "PHRASE_SEPARATOR", "PHRASE_TOKEN", "ACADEMIC_STOP_WORDS",
           "CHINESE_STOP_WORDS", "SEARCH_STOP_WORDS", "stop_words", "chinese_words", "chinese_search_words",
           "fold_plural", "singular", "search_terms", "content_tokens", "term_tokens"]

# A Latin word, hyphenated compounds whole ("solid-state", "5g").
LATIN_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A search word: also "c++" and "li-ion"; a lone letter only as a word of its own.
SEARCH_WORD = re.compile(r"[a-z0-9][a-z0-9\-+]*[a-z0-9+]|[a-z]")
# A keyphrase word: starts with a letter (numbers never make a keyphrase), or a whole run of Chinese.
PHRASE_WORD = re.compile(rf"[a-z][a-z0-9\-]*[a-z0-9]|[a-z]|[{CJK_CHARS}]+")
# Where a keyphrase ends: punctuation (ASCII and Chinese), a spaced dash, a LaTeX formula.
PHRASE_SEPARATOR = re.compile(r"[.,;:!?()\[\]{}\"“”'’/|\n\r\t]|\s-\s|\$[^$]*\$|，|。|；|：|、|（|）")
# Words first, then the separators (same characters, Chinese punctuation folded into the class). No word
# character is a separator character, so one left-to-right scan meets words and separators exactly where
# splitting on PHRASE_SEPARATOR and then finding PHRASE_WORDs does: `topics.phrases` relies on it.
PHRASE_TOKEN = re.compile(rf"{PHRASE_WORD.pattern}|[.,;:!?()\[\]{{}}\"“”'’/|\n\r\t，。；：、（）]|\s-\s|\$[^$]*\$")

ACADEMIC_STOP_WORDS = frozenset("""
paper papers propose proposed proposes present presents presented show shows shown study studies
studied result results approach approaches method methods based using use used new novel work works
problem problems also however can may well one two three first second different various several
many much via within without among thus therefore furthermore moreover respectively order provide
provides provided obtain obtained obtaining consider considered considering given give gives allow
allows allowing demonstrate demonstrated demonstrates investigate investigated existing recent
recently important significant significantly number large small high low good better best able
including include includes particular particularly general generally make makes made effect effects
introduce introduced finally analysis analyze framework technique techniques performance model models
data system systems paper's et al e g i ie eg
""".split())

# Chinese words of two or more characters (jieba's output) that carry no topic: function words, and the
# boilerplate of Chinese abstracts (本文 / 提出 / 研究 / 方法 …) — the counterpart of ACADEMIC_STOP_WORDS.
_CHINESE_FUNCTION_WORDS = frozenset("""
我们 本文 通过 进行 以及 及其 一种 对于 关于 其中 基于 采用 利用 根据 由于 因此 并且 而且 同时 或者 以上 以下 之间
之后 之前 这些 这个 这种 那些 它们 我国 一个 一些 其他 其它 如何 什么 可以 能够 已经 目前 主要 具有 相关 不同
""".split())
CHINESE_STOP_WORDS = _CHINESE_FUNCTION_WORDS | frozenset("""
研究 分析 方法 应用 问题 影响 探讨 结果 表明 提出 论文 文章 试验 实验 初探 浅谈 浅析 综述 进展 现状 对策 思考
作用 意义 特点 因素 效果 发展 建议 策略 措施 途径 作为 目的 结论 结果表明 研究表明 技术
""".split())

# Search drops only words that no query means: English function words and Chinese function words.
SEARCH_STOP_WORDS = frozenset("""a an and are as at be by for from has have in into is it its of on or that the this
to was were with we our which these those their than then there been can not also such using via use used based
""".split()) | _CHINESE_FUNCTION_WORDS


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """English stop words (scikit-learn's list), academic boilerplate words and Chinese stop words."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | ACADEMIC_STOP_WORDS | CHINESE_STOP_WORDS


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def chinese_words(text: str, min_length: int = 2) -> list[str]:
    """Chinese words of two or more characters in `text` (Traditional folded to Simplified), in order, by
    jieba's precise mode.

    >>> chinese_words("固態電池 solid-state 研究进展")
    ['固态', '电池', '研究进展']
    """
    jieba = _jieba()
    return [w for run in CJK_RUN.findall(to_simplified(text)) for w in jieba.lcut(run) if len(w) >= min_length]


def _best_tiling(word: str) -> list[str]:
    """The most probable cut of `word` into shorter dictionary words (jieba's unigram frequencies), the whole word
    itself excluded: 无人机 → 无人 · 机 (not 无 · 人机), 量子计算机 → 量子 · 计算机."""
    jieba = _jieba()
    freq, total = jieba.dt.FREQ, math.log(jieba.dt.total or 1)
    n = len(word)
    best: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)  # best[i] = (log p of word[i:], end of first piece)
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, n + 1):
            if (i, j) == (0, n):
                continue
            piece = word[i:j]
            f = freq.get(piece) or (1 if j == i + 1 else 0)
            if f:
                options.append((math.log(f) - total + best[j][0], j))
        best[i] = max(options)
    out, i = [], 0
    while i < n:
        j = best[i][1]
        out.append(word[i:j])
        i = j
    return out


@lru_cache(maxsize=1 << 16)
def _word_parts(word: str) -> tuple[str, ...]:
    """`word` and, for words of three or more characters, the parts of its best cut (recursively), parts of two or
    more characters only."""
    if len(word) < 3:
        return (word,)
    parts = [word]
    for piece in _best_tiling(word):
        if len(piece) >= 2:
            parts.extend(_word_parts(piece))
    return tuple(parts)


def chinese_search_words(text: str) -> list[str]:
    """Chinese search terms of `text` (Traditional folded to Simplified): jieba's precise words and the parts of
    each word's best cut into shorter words (`_best_tiling`), words of two or more characters — a one-character run
    is kept, so a one-character query still finds it.

    Why not jieba's search mode: it adds every dictionary word *inside* a long word, so 无人机 gave 人机 and a
    search for 人机 (human–machine) found drones. Parts of one consistent cut keep a word findable by its parts
    (量子计算机 by 计算机) without words that straddle them.

    >>> chinese_search_words("无人机与人机交互")
    ['无人机', '无人', '人机交互', '人机', '交互']
    """
    jieba = _jieba()
    out: list[str] = []
    for run in CJK_RUN.findall(to_simplified(text)):
        for w in jieba.lcut(run):
            if len(w) > 1 or len(run) == 1:
                out.extend(_word_parts(w))
    return out


@lru_cache(maxsize=1 << 16)  # vocabularies are small; risk flags fold every word of a topic's documents
def fold_plural(word: str) -> str:
    """Light plural folding for term matching: 'robots' → 'robot' ('ss' endings and short words kept).
    Both sides of a comparison fold alike, so 'status' → 'statu' does no harm."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def singular(word: str, ies: bool = True) -> str:
    """A closer singular for words shown or searched: 'networks' → 'network', 'batteries' → 'battery' (with
    `ies`), while 'glass', 'virus', 'analysis' stay."""
    if ies and len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def search_terms(text: str | None) -> list[str]:
    """Full-text search terms of `text` (see the module table); index and query use this alike."""
    if not text:
        return []
    low = text.lower()
    words = [part for w in SEARCH_WORD.findall(low) for part in (w.split("-") if "-" in w else (w,))]
    terms = [singular(w) for w in words if len(w) > 1 and w not in SEARCH_STOP_WORDS]
    if CJK_CHAR.search(low):
        terms.extend(w for w in chinese_search_words(low) if w not in SEARCH_STOP_WORDS)
    return terms


_CONTENT_WORD = re.compile(rf"{LATIN_WORD.pattern}|[{CJK_CHARS}]+")


def content_tokens(text: str) -> list[str]:
    """Lower-cased, plural-folded content words (see the module table): hyphenated compounds also give their
    parts ("solid-state" → solid-state, solid, state); a Chinese run stays whole."""
    stops = stop_words()
    out = []
    for w in _CONTENT_WORD.findall(to_simplified(text.lower())):
        parts = [w] + (w.split("-") if "-" in w else [])
        out.extend(fold_plural(p) for p in parts if p not in stops and len(p) > 1 and not p.isdigit())
    return out


def term_tokens(text: str) -> tuple[str, ...]:
    """Every Latin word of `text`, lower-cased and plural-folded, stop words kept (see the module table)."""
    return tuple(map(fold_plural, LATIN_WORD.findall(text.lower())))
