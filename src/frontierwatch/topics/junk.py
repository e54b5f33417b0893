"""Topics that are not technologies: clusters held together by venue boilerplate or by another language's
function words ("proceedings · th international workshop", "des · la · und").

A clustering of real records always finds a few: conference front matter, and non-English abstracts whose
only shared words are articles and prepositions. They are kept in the map (their documents have to go
somewhere) but flagged, so lists, the map and catalogs can leave them out instead of presenting them as
frontier technologies.

Rule: a topic is junk when at least half of its first `LOOK_AT` keyphrases consist only of such words —
venue and publishing boilerplate (`VENUE_WORDS`) or French/German/Spanish/Italian/Portuguese/Dutch function
words (`FOREIGN_FUNCTION_WORDS`) — or ordinals and numbers.
"""
from __future__ import annotations

import re

__all__ = ["VENUE_WORDS", "FOREIGN_FUNCTION_WORDS", "LOOK_AT", "is_junk_topic"]

LOOK_AT = 4
VENUE_WORDS = frozenset("""
proceedings proceeding conference conferences workshop workshops symposium symposia congress annual international
national meeting meetings held volume volumes issue editor editors edited eds preface foreword committee program
programme session sessions papers paper accepted submitted copyright rights reserved elsevier springer ieee acm
lecture notes lncs journal journals organizers organising organizing chairs chair keynote invited abstracts
th st nd rd
""".split())
FOREIGN_FUNCTION_WORDS = frozenset("""
der die das den dem des ein eine einer eines und oder mit von zu zur zum im ist sind auf bei aus für fur nicht
auch als wie wird werden wurde durch über uber
le la les un une du au aux et ou en dans sur pour par avec est sont ce cette ces qui que pas plus
el los las unos unas del al y o con por para como es son se su sus lo
il gli di da nel nella della delle dei degli che sono
o os as um uma do da dos das no na nos nas e em com por para que não nao
het een van en op te voor met zijn niet
""".split())
_NUMBER = re.compile(r"^\d+(st|nd|rd|th)?$")


def _word_is_junk(word: str) -> bool:
    return word in VENUE_WORDS or word in FOREIGN_FUNCTION_WORDS or bool(_NUMBER.match(word))


def is_junk_topic(keyphrases) -> bool:
    """True when the topic's leading keyphrases are boilerplate or foreign function words (rule above).

    `keyphrases`: the topic's keyphrases, best first, as strings, ``[phrase, weight]`` pairs or
    ``{"phrase": ...}`` dicts; a label string ("des · la · und") is split on its separators.
    """
    if isinstance(keyphrases, str):
        keyphrases = [p for p in re.split(r"\s*[·,;|]\s*", keyphrases) if p]
    phrases = []
    for k in keyphrases or []:
        phrase = k.get("phrase", k.get("term", "")) if isinstance(k, dict) else k[0] if isinstance(k, (list, tuple)) else k
        if phrase:
            phrases.append(str(phrase).lower())
    head = phrases[:LOOK_AT]
    if not head:
        return False
    junk = sum(1 for p in head if all(_word_is_junk(w) for w in re.findall(r"[^\W_]+", p)))
    return junk * 2 >= len(head)
