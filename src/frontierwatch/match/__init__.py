"""The match stage (供需对接): an application-scenario need, in Chinese or English, matched to technologies (topics),
documents, institutions/teams and approved release-hall achievements, each with its *why* (shared terms in both
languages, similarity, the topic's readiness and direction).

Entry point: `match_need`. Pieces: `parse_need` (validation + zh↔en term bridge from the committed glossaries —
matchmaking and names — and the taxonomy), `rank_topics` (multilingual, static, keyphrase BM25 and document-vote
scorers, reciprocal rank fusion), `evaluate` (precision@k on the shipped evaluation needs), `evaluate_judged`
(the hand-judged needs of ``bench/match``), `topic_linker` (the release hall's topic-linking hook). Table:
migration 0007 ``match_topic_vectors``.
"""
from frontierwatch.match.evaluate import evaluate, load_eval_needs
from frontierwatch.match.judged import evaluate_judged
from frontierwatch.match.matcher import match_need, topic_linker
from frontierwatch.match.need import MAX_NEED_CHARS, Need, TermPair, detect_language, load_glossary, parse_need
from frontierwatch.match.rank import DEFAULT_METHOD, METHODS, rank_topics

__all__ = [
    "DEFAULT_METHOD",
    "MAX_NEED_CHARS",
    "METHODS",
    "Need",
    "TermPair",
    "detect_language",
    "evaluate",
    "evaluate_judged",
    "load_eval_needs",
    "load_glossary",
    "match_need",
    "parse_need",
    "rank_topics",
    "topic_linker",
]
