"""English technology names from a topic's keyphrases and documents: a short noun phrase, not a keyword list.

A topic's c-TF-IDF keyphrases are distinctive but often not names: adjectives ("robotic", "autonomous", "big"),
fragments ("analytics", "mining") and near-duplicates ("grasp", "robotic grasping"). `english_name` turns them into
what a person would write, using only the topic's own documents:

1. **Phrase statistics** (`PhraseStats`): the documents' titles and abstracts are cut into runs of content words
   (between stop words and punctuation). For each run of 1–4 words we count the documents holding it and its
   surface forms; for each word, how often it *ends* a run — nouns end runs ("… for mobile **robots**"),
   adjectives almost never do ("**robotic** grasping").
2. **Completion**: each keyphrase grows, one word at a time, left or right, while the longer phrase is held by at
   least half as many documents ("big" → "big data" → "big data analytics", "mining" → "data mining"); one that
   still does not end in a noun is dropped.
3. **Choice**: candidates rank by keyphrase rank and document support; the name is the best candidate, joined by
   "and" to the next one that adds a new word and is held by at least `second_support` of the first one's
   documents. Two phrases that share their first word are factored ("Robotic grasping and manipulation").
4. **Casing** follows the documents (the most frequent surface form: "MRI", "Kalman", "IoT"); the first letter is
   upper case.

Everything is deterministic and offline; the choice and its numbers are returned as evidence.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import groupby

from frontierwatch.text import ACADEMIC_STOP_WORDS, stop_words

_RUN_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”'’/|\n\r\t]|\s[-–—]\s|\$[^$]*\$")
_TOKEN = re.compile(r"[^\W\d_](?:[\w\-]*[^\W_])?")   # words of any Latin script ("Göttingen", "Schrödinger")
MAX_WORDS = 4
NAME_STOP = frozenset("""approach approaches method methods model models problem problems framework frameworks
study studies analysis system systems technique techniques application applications paper using based new novel
towards toward via case results result performance efficient effective hz khz mhz ghz thz nm mm cm km kg ev kev
mev gev tev""".split())
# adjective endings: a word with one of them heads a name only when it ends runs most of the time ("signal",
# "material", "logic" do; "statistical", "robotic", "optimal", "autonomous" do not)
_ADJECTIVE_END = ("al", "ic", "ous", "ive", "able", "ible", "ary", "ful", "less", "ian", "ar", "ent", "ant", "ed")


@lru_cache(maxsize=1 << 17)
def fold(word: str) -> str:
    """Plural folding used for counting ("robots" → "robot"; "ss", "us", "is" endings and short words kept)."""
    w = word.lower()
    if len(w) > 3 and w.endswith("ies") and not w.endswith("eies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ics")):
        return w[:-1]
    return w


def stem(word: str) -> str:
    """A coarse stem to spot redundant words ("grasp"/"grasping", "robot"/"robotic"/"robotics")."""
    w = fold(word)
    for suffix in ("ations", "ation", "ings", "ing", "ics", "ical", "ic", "ed", "al", "ers", "er", "ly"):
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            w = w[: -len(suffix)]
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]     # controll(er) → control
    return w


# Words the keyphrase stage drops but names need: "big data", "data mining", "computer vision", "control systems",
# "performance analysis" (they still never head a name alone: NAME_STOP).
_NAME_WORDS = frozenset("""data system systems computer model models analysis performance framework frameworks
method methods technique techniques problem problems approach approaches application applications""".split())


@lru_cache(maxsize=1)
def name_stop_words() -> frozenset[str]:
    """The stop words that break runs when names are made: the keyphrase stage's, less `_NAME_WORDS`."""
    return (stop_words() | ACADEMIC_STOP_WORDS) - _NAME_WORDS


class _ContentWords(dict):
    """token → whether it is a content word (not a name stop word, longer than one letter, not a number; "" is a
    run break), each token decided once: `runs` reads it for every token of every document."""

    def __missing__(self, tok: str) -> bool:
        if len(self) > 1 << 19:   # bounded memory on large corpora
            self.clear()
        low = tok.lower()
        self[tok] = ok = bool(tok) and low not in name_stop_words() and len(low) > 1 and not low.isdigit()
        return ok


_CONTENT = _ContentWords()


# One left-to-right scan meets the words (group 1) and the run breaks ("" in `findall`) exactly where cutting at
# `_RUN_BREAK` and then finding `_TOKEN` in each piece does: no word character can start a break, and no character
# that starts a break ever belongs to a word.
_WORD_OR_BREAK = re.compile(f"({_TOKEN.pattern})|{_RUN_BREAK.pattern}")


def runs(text: str) -> list[list[str]]:
    """Runs of content words (original case) between stop words and punctuation."""
    return [list(group) for ok, group in groupby(_WORD_OR_BREAK.findall(text or ""), _CONTENT.__getitem__) if ok]


def document_runs(text: str) -> tuple[list[list[str]], list[list[str]]]:
    """The runs of a ``"title. abstract"`` text's title and abstract, cut at its first ". " (`PhraseStats.of`)."""
    title, _, abstract = (text or "").partition(". ")
    return runs(title), runs(abstract)


def whole_runs(text: str, parts: tuple[list, list]) -> list[list[str]]:
    """``runs(text)`` from `parts`, the text's `document_runs`: their title and abstract runs one after the other —
    unless a formula opened in the title (an odd number of "$") closes in the abstract, the one way a run break
    can span the ". " cut; such a text is cut again."""
    title, _, abstract = (text or "").partition(". ")
    if title.count("$") % 2 and "$" in abstract:
        return runs(text)
    return parts[0] + parts[1]


@dataclass
class PhraseStats:
    """Document frequencies of 1–4-word runs of a topic's documents, their surface forms and word end rates."""

    n_docs: int = 0
    df: Counter = field(default_factory=Counter)              # folded phrase → documents holding it
    word_end: Counter = field(default_factory=Counter)        # folded word → times it ends a run
    word_all: Counter = field(default_factory=Counter)        # folded word → occurrences
    runs: list = field(default_factory=list)                  # (original words, folded words, weight) of every run
    _ext: dict | None = None
    _surfaces: dict = field(default_factory=dict)             # key → its surface form (`surface` is pure)
    _ranked: dict = field(default_factory=dict)               # (keyphrases, generic) → `candidates` (pure)

    @classmethod
    def of(cls, texts: list[str], parts: list[tuple[list, list]] | None = None) -> "PhraseStats":
        """Statistics of `texts` (``"title. abstract"``), one pass per document, word counts gathered at the end;
        `parts`: the texts' `document_runs` when they are already cut."""
        stats = cls(n_docs=len(texts))
        df_update, out_runs, ends, words = stats.df.update, stats.runs, [], []
        for i, text in enumerate(texts):
            seen: set[tuple[str, ...]] = set()
            title, abstract = document_runs(text) if parts is None else parts[i]
            for runs_, weight in ((title, 0.2), (abstract, 1.0)):  # titles are Title Case: their casing counts little
                for run in runs_:
                    folded = tuple(map(fold, run))
                    out_runs.append((run, folded, weight))
                    words += folded
                    ends.append(folded[-1])
                    n = len(folded)
                    seen.update(zip(folded))     # the 1–4-word sub-phrases (`MAX_WORDS`), zipped in C
                    if n > 1:
                        seen.update(zip(folded, folded[1:]))
                        if n > 2:
                            seen.update(zip(folded, folded[1:], folded[2:]))
                            if n > 3:
                                seen.update(zip(folded, folded[1:], folded[2:], folded[3:]))
            df_update(seen)
        stats.word_all.update(words)
        stats.word_end.update(ends)
        return stats

    def noun_like(self, word: str, floor: float = 0.2, adjective_floor: float = 0.6) -> bool:
        """Whether a word ends runs often enough to head a noun phrase (gerunds like 'learning' do); a word with an
        adjective ending must end runs most of the time, and a long '-ed' word (a participle) never heads."""
        total = self.word_all.get(word, 0)
        if total == 0 or (word.endswith("ed") and len(word) > 5):
            return False
        rate = self.word_end[word] / total
        return rate >= (adjective_floor if word.endswith(_ADJECTIVE_END) else floor)

    def extensions(self) -> dict:
        """Per phrase, its most frequent one-word extension to the left or right held by at least two documents
        (`complete` never grows a phrase by one held by one): ``{key: (longer key, df)}``."""
        if self._ext is None:
            ext: dict = {}
            for cand, n in [(c, n) for c, n in self.df.items() if n > 1 and len(c) > 1]:
                for base in (cand[1:], cand[:-1]):
                    if base not in ext or n > ext[base][1] or (n == ext[base][1] and cand < ext[base][0]):
                        ext[base] = (cand, n)
            self._ext = ext
        return self._ext

    def surface(self, key: tuple[str, ...]) -> str:
        """The most frequent written form of a phrase in the documents, word by word: lower case unless the
        documents keep capitals mid-sentence (acronyms and names: "MRI", "Kalman", "IoT"); Title Case that comes
        from titles is lowered."""
        if key not in self._surfaces:
            self._surfaces[key] = self._surface(key)
        return self._surfaces[key]

    def _surface(self, key: tuple[str, ...]) -> str:
        n, first = len(key), key[0]
        variants: list[Counter] = [Counter() for _ in key]
        whole: Counter = Counter()
        for run, folded, weight in self.runs:
            if first not in folded:
                continue
            for i in range(len(folded) - n + 1):
                if folded[i] == first and folded[i:i + n] == key:
                    for j in range(n):
                        variants[j][run[i + j]] += weight
                    whole[" ".join(w.lower() for w in run[i:i + n])] += weight
        if not whole:
            return " ".join(key)
        lowered = max(whole.items(), key=lambda kv: (kv[1], kv[0]))[0].split()
        singular, plural = " ".join(lowered), None
        for form, count in whole.items():   # names of count nouns read better in the plural ("mobile robots")
            if form != singular and fold(form.split()[-1]) == fold(lowered[-1]) and form.endswith("s") \
                    and form.split()[:-1] == lowered[:-1] and count >= 0.3 * whole[singular]:
                plural = form
        if plural:
            lowered = plural.split()
        words = []
        for j, counter in enumerate(variants):
            best = max(counter.items(), key=lambda kv: (kv[1], kv[0] == kv[0].lower()))[0]
            low = sum(c for v, c in counter.items() if v == v.lower())
            title = sum(c for v, c in counter.items() if v[:1].isupper() and v[1:] == v[1:].lower())
            if best == best.lower() or (best[:1].isupper() and best[1:] == best[1:].lower() and low >= title / 3):
                words.append(lowered[j])
            else:
                words.append(best if best.lower() == lowered[j] else lowered[j].upper() if best.isupper() else best)
        return " ".join(words)


def _tokens(phrase: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in _TOKEN.findall(phrase))


def _contains(hay: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def complete(key: tuple[str, ...], stats: PhraseStats, keep: float = 0.5) -> tuple[str, ...] | None:
    """Grow a phrase to a noun phrase the documents use (see module doc); None when it cannot end in a noun."""
    current = key
    ext = stats.extensions()
    while len(current) < MAX_WORDS:
        base = stats.df.get(current, 0)
        best, best_df = ext.get(current, (None, 0))
        needs_noun = not stats.noun_like(current[-1]) or current[-1] in NAME_STOP
        if best is None or best_df < max(2, (0.25 if needs_noun else keep) * base):
            break
        if best[-1] in NAME_STOP or best[0] in NAME_STOP:
            break
        current = best
    if not stats.noun_like(current[-1]) or current[-1] in NAME_STOP or current[0] in NAME_STOP:
        return None
    return current


@dataclass(frozen=True)
class Candidate:
    key: tuple[str, ...]       # folded words
    text: str                  # folded words joined; the surface form once chosen
    keyphrase: str             # the keyphrase it grew from
    rank: int                  # rank of that keyphrase
    df: int                    # documents holding it
    score: float


def generic_phrases(texts_by_topic: list[list[str]], share: float = 0.1, topics_share: float = 0.15
                    ) -> frozenset[tuple[str, ...]]:
    """Words and word pairs too common to name one topic of a map: held by at least `share` of the documents of at
    least `topics_share` of its topics ("time", "state", "theory", "accuracy" in a map of many fields)."""
    return common_to_topics([common_pairs(texts, share) for texts in texts_by_topic], topics_share)


def common_to_topics(pairs_by_topic: list[list], topics_share: float = 0.15) -> frozenset[tuple[str, ...]]:
    """`generic_phrases` from each topic's `common_pairs`: those of at least `topics_share` of the topics."""
    counts: Counter = Counter()
    for pairs in pairs_by_topic:
        counts.update(pairs)
    floor = max(3, topics_share * len(pairs_by_topic))
    return frozenset(k for k, n in counts.items() if n >= floor)


def common_pairs(texts: list[str], share: float = 0.1, parts: list[tuple[list, list]] | None = None) -> list:
    """One topic's words and word pairs held by at least `share` of its `texts` (`generic_phrases` counts the
    topics that hold each); `parts`: the texts' `document_runs` when they are already cut."""
    df: Counter = Counter()
    for i, text in enumerate(texts):
        keys = set()
        for run in (runs(text) if parts is None else whole_runs(text, parts[i])):
            folded = tuple(map(fold, run))
            keys.update(zip(folded))
            keys.update(zip(folded, folded[1:]))
        df.update(keys)
    return [k for k, n in df.items() if texts and n >= share * len(texts)]


def candidates(keyphrases: list[str], stats: PhraseStats, n: int = 10,
               generic: frozenset = frozenset()) -> list[Candidate]:
    """Completed, noun-headed candidates from the first `n` keyphrases, best first, without duplicates or
    `generic` phrases."""
    out: dict[tuple[str, ...], Candidate] = {}
    top_df = max((stats.df.get(_tokens(k), 0) for k in keyphrases[:n]), default=0) or 1
    for rank, phrase in enumerate(keyphrases[:n]):
        key = _tokens(phrase)
        if not key or stats.df.get(key, 0) == 0:
            continue
        done = complete(key, stats)
        if done is None or done in generic:
            continue
        df = stats.df.get(done, 0)
        score = (1.0 / (1.0 + rank / 3.0)) * (0.5 + 0.5 * min(1.0, df / top_df)) * (1.0 + 0.3 * (len(done) - 1))
        if done not in out or out[done].score < score:
            out[done] = Candidate(done, " ".join(done), phrase, rank, df, round(score, 4))
    return sorted(out.values(), key=lambda c: (-c.score, c.rank, c.key))


def _redundant(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """True when `b` adds no new word to `a` (by coarse stem)."""
    sa = {stem(w) for w in a}
    return all(stem(w) in sa for w in b)


def compose(first: Candidate, second: Candidate | None, factor: bool = False) -> str:
    """``First and second``, sentence-cased; with `factor`, a shared first word is said once ("Robotic grasping and
    manipulation") — only when the caller knows it is a free modifier, not part of a fixed term ("deep learning")."""
    if second is None:
        text = first.text
    else:
        a, b = first.text.split(), second.text.split()
        if factor and len(a) > 1 and len(b) > 1 and a[0].lower() == b[0].lower():
            text = f"{first.text} and {' '.join(b[1:])}"
        else:
            text = f"{first.text} and {second.text}"
    head = text.split()[0]
    return text if any(ch.isupper() for ch in head[1:]) else text[:1].upper() + text[1:]   # "mmWave", "iPhone"


def english_name(keyphrases: list[str], texts: list[str] | PhraseStats, *, second_support: float = 0.35,
                 allowed=None, generic: frozenset = frozenset(), distinct=None, factor=None) -> dict:
    """The English name of a topic and its evidence.

    Parameters
    ----------
    keyphrases : the topic's keyphrases, best first.
    texts : title + abstract of its most central documents (a hundred or two suffice), or their `PhraseStats`.
    allowed : optional predicate on a `Candidate`; candidates it rejects are skipped (the Chinese side uses it to
        keep both names about the same phrases).
    generic : phrases too common in the topic's map to name it (`generic_phrases`).
    distinct : optional predicate ``(first, other) -> bool``: may `other` stand beside `first` (the Chinese side
        refuses a second part that translates to the same thing, "CNNs" beside "convolutional neural networks").
    factor : optional predicate ``(first, second) -> bool``: may a shared first word be said once.

    Returns ``{"name", "parts": [candidate text, ...], "candidates": [{"text", "keyphrase", "df", "score"}]}``;
    ``name`` is None when no keyphrase completes to a noun phrase.
    """
    stats = texts if isinstance(texts, PhraseStats) else PhraseStats.of(texts)
    memo = (tuple(keyphrases), generic)   # the same ranking serves every name asked of these statistics
    if memo not in stats._ranked:
        stats._ranked[memo] = candidates(keyphrases, stats, generic=generic)
    ranked = stats._ranked[memo]
    usable = [c for c in ranked if allowed is None or allowed(c)]
    evidence = [{"text": c.text, "keyphrase": c.keyphrase, "df": c.df, "score": c.score} for c in ranked[:6]]
    if not usable:
        return {"name": None, "parts": [], "candidates": evidence, "ranked": ranked, "n_docs": stats.n_docs}
    first = usable[0]
    second = next((c for c in usable[1:] if not _redundant(first.key, c.key) and not _redundant(c.key, first.key)
                   and not _contains(first.key, c.key) and c.df >= second_support * first.df
                   and (distinct is None or distinct(first, c))), None)
    together = bool(second and factor and factor(first, second))
    parts = [replace(c, text=stats.surface(c.key)) for c in ([first] + ([second] if second else []))]
    first, second = parts[0], parts[1] if second else None
    return {"name": compose(first, second, together), "factored": together, "parts": [c.text for c in parts],
            "keys": [c.key for c in parts],
            "candidates": evidence, "ranked": ranked, "n_docs": stats.n_docs}
