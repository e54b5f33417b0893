"""Scripts and languages: the one definition of Chinese characters, language detection and script folding.

Traditional and Simplified Chinese are one language to the product: every place that indexes or compares text
(search, matchmaking, the glossary, taxonomy term matching, keyphrases) folds Traditional characters to Simplified
with `to_simplified`, while documents keep their original text. The folding is OpenCC's ``t2s`` conversion
(characters plus its phrase table, so 乾燥 → 干燥 but 乾隆 stays), from the ``opencc`` package on PyPI — the
reference implementation (C++), whose wheels ship the dictionaries, so it runs offline; about 6 million
characters a second on one core. Regional vocabulary (軟體 for 软件) is a different word, not a different script,
and is left alone.

Why one module: the stages disagreed on what a Chinese character is (three ranges: ``一-鿿``, ``㐀-鿿`` and the
full set below), so a title in a rarer character could be Chinese to ingest and nothing to the topic labels.

`CJK_CHARS` is the Han ideographs of Unicode: the URO (4E00–9FFF), extension A (3400–4DBF), the compatibility
ideographs (F900–FAFF) and the supplementary ideographic planes (extensions B–F and the compatibility
supplement, 20000–2FA1F). Kana, Hangul and CJK punctuation are not in it.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["CJK_CHARS", "CJK_CHAR", "CJK_RUN", "has_cjk", "cjk_runs", "detect_language", "to_simplified",
           "chinese_script"]

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
CJK_CHAR = re.compile(f"[{CJK_CHARS}]")
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")

# How many Latin letters weigh as much as one ideograph when deciding a text's language: an English word of
# about four letters carries roughly what one Chinese character does.
LATIN_LETTERS_PER_IDEOGRAPH = 4
ZH_SHARE = 0.3


def has_cjk(text: str | None) -> bool:
    """Whether `text` holds at least one Han ideograph."""
    return bool(text and CJK_CHAR.search(text))


def cjk_runs(text: str) -> list[str]:
    """The maximal runs of Han ideographs in `text`, in order (``"5G基站与太赫兹"`` → ``["基站与太赫兹"]``)."""
    return CJK_RUN.findall(text)


def detect_language(text: str | None) -> str:
    """``'zh'`` when at least 30 % of the text's letters are Han ideographs (four Latin letters weigh as one
    ideograph), else ``'en'`` — the two languages the product reads.

    Used for needs, search queries and records whose source does not say their language.

    >>> detect_language("固态电池 solid-state battery 量产"), detect_language("5G base station with 太赫兹 links")
    ('zh', 'en')
    """
    if not text:
        return "en"
    cjk = len(CJK_CHAR.findall(text))
    if not cjk:
        return "en"
    letters = cjk + sum(c.isalpha() and c.isascii() for c in text) / LATIN_LETTERS_PER_IDEOGRAPH
    return "zh" if cjk / letters >= ZH_SHARE else "en"


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` with Traditional Chinese folded to Simplified (OpenCC ``t2s``); text without Chinese is returned
    as it is, without calling the converter.

    >>> to_simplified("量子計算與人形機器人"), to_simplified("graph 网络")
    ('量子计算与人形机器人', 'graph 网络')
    """
    if not text or not CJK_CHAR.search(text):
        return text
    return _t2s().convert(text)


def chinese_script(text: str | None) -> str | None:
    """``'hant'`` when `text` holds a character that only Traditional writing uses, ``'hans'`` when it holds
    Chinese otherwise, None without Chinese. Characters both scripts share (量子) count as Simplified."""
    if not has_cjk(text):
        return None
    return "hans" if to_simplified(text) == text else "hant"
