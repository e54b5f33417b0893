"""The names stage's fast word counting gives exactly what the straightforward counting gives, on real arXiv texts.

`runs` scans each text once (words and breaks in one pattern), `PhraseStats.of` zips sub-phrases in C, the runner
cuts every central document once and reuses the cut for the map's generic phrases and the topic's name. Each of these
is checked here against a plain re-statement of the rule it replaces, on the 1,504 real papers of the topic sample
(250 of which hold "$" formulas) and on texts made to hit the edges.
"""
from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from frontierwatch.names.english import (PhraseStats, common_pairs, common_to_topics, document_runs, english_name,
                                         fold, generic_phrases, name_stop_words, runs, whole_runs)
from frontierwatch.names.runner import _pack, _unpack

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "topics" / "arxiv-topics.jsonl.gz"
BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”'’/|\n\r\t]|\s[-–—]\s|\$[^$]*\$")
TOKEN = re.compile(r"[^\W\d_](?:[\w\-]*[^\W_])?")
EDGES = ["", ".", "x", "A $x. y$ z. w $q$ r", "Title with $open. abstract closes $ here and $ again",
         "Robots - and — drones. Göttingen’s Schrödinger-like  —  waves; 3D 5G a_b c-d- -e",
         "The MRI. of IoT (Kalman) [filters] {and} \"quoted\" “curly” it’s/slash|bar\ttab\nline",
         "$$ . $a$b$c$. d $ e", "Big data analytics. Big data analytics for mobile robots and robotic grasping."]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    return [f"{r.get('title') or ''}. {r.get('abstract') or ''}" for r in records] + EDGES


def plain_runs(text: str) -> list[list[str]]:
    """The rule: cut at breaks, find the words of each piece, runs of content words between the others."""
    stops, out = name_stop_words(), []
    for chunk in BREAK.split(text or ""):
        run: list[str] = []
        for tok in TOKEN.findall(chunk) + [""]:
            low = tok.lower()
            if tok and low not in stops and len(low) > 1 and not low.isdigit():
                run.append(tok)
                continue
            if run:
                out.append(run)
            run = []
    return out


def plain_stats(texts: list[str]) -> tuple:
    """The rule: per document the set of its 1–4-word sub-phrases; per word its occurrences and run ends."""
    df, ends, words, all_runs = Counter(), Counter(), Counter(), []
    for text in texts:
        title, _, abstract = text.partition(". ")
        seen = set()
        for run, weight in [(r, 0.2) for r in plain_runs(title)] + [(r, 1.0) for r in plain_runs(abstract)]:
            folded = tuple(fold(t) for t in run)
            all_runs.append((run, folded, weight))
            words.update(folded)
            ends[folded[-1]] += 1
            seen.update(folded[i:i + k] for k in range(1, 5) for i in range(len(folded) - k + 1))
        df.update(seen)
    return df, ends, words, all_runs


def test_runs_are_the_cut_then_find_rule_on_real_texts(texts):
    assert sum("$" in t for t in texts) > 200
    for text in texts:
        assert runs(text) == plain_runs(text), text


def test_phrase_stats_equal_a_straightforward_count(texts):
    for i in range(0, len(texts), 100):
        chunk = texts[i:i + 100]
        stats = PhraseStats.of(chunk)
        df, ends, words, all_runs = plain_stats(chunk)
        assert stats.n_docs == len(chunk)
        assert stats.df == df and stats.word_end == ends and stats.word_all == words
        assert stats.runs == all_runs   # same order: surface forms break ties by first seen
        again = PhraseStats.of(chunk, [document_runs(t) for t in chunk])
        assert (again.df, again.word_end, again.word_all, again.runs) == (df, ends, words, all_runs)


def test_extensions_are_the_most_frequent_held_by_two(texts):
    stats = PhraseStats.of(texts[:300])
    plain: dict = {}
    for cand, n in stats.df.items():
        for base in ((cand[1:], cand[:-1]) if len(cand) > 1 else ()):
            if base not in plain or n > plain[base][1] or (n == plain[base][1] and cand < plain[base][0]):
                plain[base] = (cand, n)
    assert stats.extensions() == {base: e for base, e in plain.items() if e[1] >= 2}
    assert any(e[1] == 1 for e in plain.values()) and stats.extensions()


def test_a_cut_document_gives_the_runs_of_the_whole_text(texts):
    crossing = [t for t in texts if t.partition(". ")[0].count("$") % 2 and "$" in t.partition(". ")[2]]
    assert crossing   # a formula opened in the title that closes in the abstract: cut again
    for text in texts:
        assert whole_runs(text, document_runs(text)) == runs(text), text


def test_packed_runs_read_back_as_cut(texts):
    for text in texts:
        parts = document_runs(text)
        assert _unpack(_pack(parts)) == parts


def test_generic_phrases_from_cut_documents_are_the_same(texts):
    topics = [texts[i:i + 60] for i in range(0, len(texts), 60)]
    cut = [common_pairs(t, parts=[document_runs(x) for x in t]) for t in topics]
    assert cut == [common_pairs(t) for t in topics]
    generic = common_to_topics(cut)
    assert generic == generic_phrases(topics) and generic


def test_names_asked_twice_of_one_statistics_are_those_of_fresh_ones(texts):
    chunk = texts[:100]
    stats = PhraseStats.of(chunk)
    keyphrases = ["spanning trees", "graph", "algorithm", "minimum", "stretch"]
    first = english_name(keyphrases, stats)
    assert english_name(keyphrases, stats) == first == english_name(keyphrases, chunk)
    assert english_name(keyphrases, stats, allowed=lambda c: c.rank > 0) == \
        english_name(keyphrases, chunk, allowed=lambda c: c.rank > 0)
