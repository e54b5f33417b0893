"""A need (应用场景需求) as the matcher sees it: validated text, its language, and a bilingual term bridge.

Why a bridge: the default embedding model is English only (Chinese becomes ``[UNK]``) and topic keyphrases are
English for an arXiv corpus, so a Chinese need is turned into English terms before the static model and BM25
see it. The bridge has two sources, both committed data: the zh→en technology glossary
(``glossary/zh_en_technology.v1.tsv``, a few hundred terms) matched longest-first in the Chinese text, and the
taxonomy's zh seed terms (which name a future-industry field, hence its English name). An English need is
bridged the other way (glossary English terms found as whole words → their Chinese), so the *why* of a match can
show shared terms in both languages and Chinese documents can be matched by term.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from frontierwatch.catalog import load_taxonomy
from frontierwatch.errors import InputError
from frontierwatch.text import LATIN_WORD, chinese_words, detect_language, has_cjk, to_simplified

log = logging.getLogger(__name__)

MAX_NEED_CHARS = 2000
GLOSSARY_FILE = "zh_en_technology.v1.tsv"


@dataclass(frozen=True)
class TermPair:
    """One bridged term: the Chinese and English sides and where it came from (glossary | taxonomy)."""

    zh: str
    en: tuple[str, ...]
    source: str
    general: bool = False   # a general need word (预测, 实时, 量产…): weighs less than a technology term

    def as_dict(self) -> dict:
        return {"zh": self.zh, "en": list(self.en), "source": self.source, "general": self.general}


@dataclass(frozen=True)
class Need:
    """A validated need. ``english`` is the text given to English-only scorers; ``terms`` the bridged pairs."""

    text: str
    language: str
    english: str
    terms: tuple[TermPair, ...]
    zh_words: tuple[str, ...] = field(default=())
    directions: tuple[str, ...] = field(default=())

    def english_terms(self) -> list[str]:
        """Every English term of the bridge, in order, without repeats."""
        return list(dict.fromkeys(t for p in self.terms for t in p.en))

    def zh_terms(self) -> list[str]:
        return list(dict.fromkeys(p.zh for p in self.terms))


@lru_cache(maxsize=4)
def general_terms(name: str = GLOSSARY_FILE) -> frozenset[str]:
    """Chinese terms of the glossary's last section, '# --- general need words'."""
    text = resources.files("frontierwatch.match").joinpath("glossary", name).read_text(encoding="utf-8")
    _, _, tail = text.partition("# --- general need words")
    return frozenset(to_simplified(line.split("\t")[0].strip().lower()) for line in tail.splitlines()[1:]
                     if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=4)
def load_glossary(name: str = GLOSSARY_FILE) -> dict[str, tuple[str, ...]]:
    """The committed zh→en glossary as ``{zh: (en, ...)}``; raises InputError on a malformed or repeated line."""
    text = resources.files("frontierwatch.match").joinpath("glossary", name).read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise InputError(f"glossary {name} line {number}: expected 'zh<TAB>en|en…', got {line!r}",
                             f"术语表 {name} 第 {number} 行格式应为 '中文<TAB>英文|英文…'，实际为 {line!r}")
        zh = to_simplified(parts[0].strip().lower())  # a Traditional entry means the same term
        if zh in out:
            raise InputError(f"glossary {name} line {number}: {zh!r} is listed twice",
                             f"术语表 {name} 第 {number} 行：{zh!r} 重复")
        out[zh] = tuple(e.strip().lower() for e in parts[1].split("|") if e.strip())
    return out


@lru_cache(maxsize=1)
def _reverse_glossary() -> list[tuple[tuple[str, ...], str, str]]:
    """English phrase (as words) → (english, zh), longest phrases first, for bridging an English need."""
    rows = {}
    for zh, ens in load_glossary().items():
        for en in ens:
            words = tuple(LATIN_WORD.findall(en))
            if words and (words not in rows or len(zh) > len(rows[words][1])):
                rows[words] = (en, zh)
    return sorted(((w, en, zh) for w, (en, zh) in rows.items()), key=lambda r: (-len(r[0]), r[1]))


@lru_cache(maxsize=1)
def _taxonomy_zh_terms() -> dict[str, tuple[str, str]]:
    """Taxonomy zh seed term → (English field name, direction id); the first field naming a term wins."""
    out: dict[str, tuple[str, str]] = {}
    for f in load_taxonomy().fields:
        for term in f.terms["zh"]:
            out.setdefault(to_simplified(term), (f.name["en"].lower(), f.direction))
    return out


@lru_cache(maxsize=1)
def names_zh_en() -> dict[str, tuple[str, ...]]:
    """The names stage's en→zh glossary read the other way (``{zh: (en, ...)}``, Chinese terms of two or more
    characters): some 2,000 technical words and phrases taken from topic keyphrases ("stability" 稳定性, "modulation"
    调制, "memristor" 忆阻器) that the matchmaking glossary lacks. A Chinese term with several English keys keeps all
    of them, longest first."""
    from frontierwatch.names.chinese import load_terms

    out: dict[str, list[str]] = {}
    for words, zh in load_terms().items():
        zh = to_simplified(zh.lower())
        if len(zh) >= 2:
            out.setdefault(zh, []).append(" ".join(words))
    return {zh: tuple(sorted(dict.fromkeys(ens), key=lambda e: (-len(e), e))) for zh, ens in out.items()}


def _longest_matches(text: str, terms: dict) -> list[str]:
    """Non-overlapping terms found in `text`, scanning left to right and taking the longest at each position."""
    longest = max((len(t) for t in terms), default=0)
    found, i = [], 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            piece = text[i:i + size]
            if piece in terms:
                found.append(piece)
                i += size
                break
        else:
            i += 1
    return found


def _bridge_chinese(text: str, use_taxonomy: bool, use_names: bool = True) -> tuple[list[TermPair], list[str]]:
    glossary = load_glossary()
    general = general_terms()
    # one longest-first cut over both glossaries; the matchmaking glossary's senses win where both hold a term
    combined = {**(names_zh_en() if use_names else {}), **glossary}
    pairs = [TermPair(zh, glossary[zh], "glossary", zh in general) if zh in glossary
             else TermPair(zh, combined[zh], "names-glossary") for zh in dict.fromkeys(_longest_matches(text, combined))]
    directions: list[str] = []
    covered = "".join(p.zh for p in pairs)
    for zh, (en, direction) in _taxonomy_zh_terms().items():
        if zh in text:
            directions.append(direction)
            if use_taxonomy and zh not in covered:
                pairs.append(TermPair(zh, (en,), "taxonomy"))
    latin = [w for w in LATIN_WORD.findall(text) if not w.isdigit()]
    known = {zh for zh in glossary}
    pairs.extend(TermPair(w, (w,), "verbatim") for w in dict.fromkeys(latin) if w not in known)
    return pairs, directions


def _bridge_english(text: str) -> tuple[list[TermPair], list[str]]:
    words = LATIN_WORD.findall(text)
    taken = [False] * len(words)
    pairs: list[TermPair] = []
    for phrase, en, zh in _reverse_glossary():
        n = len(phrase)
        for i in range(len(words) - n + 1):
            if not any(taken[i:i + n]) and tuple(w.rstrip("s") if len(w) > 3 else w for w in words[i:i + n]) == \
                    tuple(w.rstrip("s") if len(w) > 3 else w for w in phrase):
                taken[i:i + n] = [True] * n
                pairs.append(TermPair(zh, (en,), "glossary", zh in general_terms()))
    directions = [_taxonomy_zh_terms()[p.zh][1] for p in pairs if p.zh in _taxonomy_zh_terms()]
    return pairs, directions


def parse_need(text: str, lang: str | None = None, *, use_taxonomy: bool = True, use_names: bool = True,
               max_chars: int = MAX_NEED_CHARS) -> Need:
    """Validate a need and bridge it. `lang` forces 'zh' or 'en'; None detects it from the text.

    Raises InputError (English and Chinese) for an empty need, one longer than `max_chars`, or a bad `lang`.

    >>> parse_need("无人机巡检").english
    'uav, drone, unmanned aerial vehicle, inspection, monitoring'
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("the need is empty; describe the application scenario, e.g. 'drone inspection of power lines'",
                         "需求为空；请描述应用场景，例如“无人机电力巡检”")
    clean = " ".join(text.split())
    if len(clean) > max_chars:
        raise InputError(f"the need has {len(clean)} characters; the limit is {max_chars} — shorten it to the problem "
                         "and constraints",
                         f"需求有 {len(clean)} 个字符，上限为 {max_chars}；请精简为问题与约束")
    if lang not in (None, "zh", "en"):
        raise InputError(f"lang={lang!r} is not supported; expected 'zh', 'en' or none (detect)",
                         f"不支持 lang={lang!r}；应为 'zh'、'en' 或不填（自动识别）")
    language = lang or detect_language(clean)
    lowered = to_simplified(clean.lower())  # Traditional and Simplified bridge alike; `text` keeps the original
    if language == "zh":
        pairs, directions = _bridge_chinese(lowered, use_taxonomy, use_names)
        # general words add only their first sense, after the technology terms, so they do not dilute the query
        specific = [t for p in pairs if not p.general for t in p.en]
        english = ", ".join(dict.fromkeys(specific + [p.en[0] for p in pairs if p.general]))
    else:
        pairs, directions = _bridge_english(lowered)
        extra_pairs, extra_dirs = _bridge_chinese(lowered, use_taxonomy, use_names) if has_cjk(lowered) else ([], [])
        pairs += [p for p in extra_pairs if p.source != "verbatim"]
        directions += extra_dirs
        english = clean
    need = Need(text=clean, language=language, english=english, terms=tuple(pairs),
                zh_words=tuple(dict.fromkeys(chinese_words(lowered))), directions=tuple(dict.fromkeys(directions)))
    log.debug("need %r (%s): %d bridged terms", clean[:60], language, len(pairs))
    return need
