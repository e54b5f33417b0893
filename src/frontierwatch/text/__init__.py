"""The text module: how the product reads words in Chinese and English, defined once.

`script` — what a Chinese character is (one range), script and language detection, Traditional → Simplified
folding; `words` — word patterns,
stop words (en + zh), jieba segmentation and the tokenisers of search, matching, term matching and keyphrases.
Every stage that cuts text into words or asks "is this Chinese?" calls these, so index and query, need and
topic, taxonomy term and keyphrase always agree.
"""
from frontierwatch.text.script import (CJK_CHAR, CJK_CHARS, CJK_RUN, chinese_script, cjk_runs, detect_language,
                                      has_cjk, to_simplified)
from frontierwatch.text.words import (
    ACADEMIC_STOP_WORDS,
    CHINESE_STOP_WORDS,
    LATIN_WORD,
    PHRASE_SEPARATOR,
    PHRASE_TOKEN,
    PHRASE_WORD,
    SEARCH_STOP_WORDS,
    SEARCH_WORD,
    chinese_search_words,
    chinese_words,
    content_tokens,
    fold_plural,
    search_terms,
    singular,
    stop_words,
    term_tokens,
)

__all__ = [
    "ACADEMIC_STOP_WORDS",
    "CHINESE_STOP_WORDS",
    "CJK_CHAR",
    "CJK_CHARS",
    "CJK_RUN",
    "LATIN_WORD",
    "PHRASE_SEPARATOR",
    "PHRASE_TOKEN",
    "PHRASE_WORD",
    "SEARCH_STOP_WORDS",
    "SEARCH_WORD",
    "chinese_script",
    "chinese_search_words",
    "chinese_words",
    "cjk_runs",
    "content_tokens",
    "detect_language",
    "fold_plural",
    "has_cjk",
    "search_terms",
    "singular",
    "stop_words",
    "term_tokens",
    "to_simplified",
]
