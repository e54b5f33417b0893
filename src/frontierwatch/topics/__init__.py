"""The topics stage: a two-level topic map (broad field → topic) with keyphrase labels, built as of a date,
with stable topic ids and lineage across rebuilds, incremental assignment of new documents, candidate new
topics, and 2-D layout coordinates.

Runner: `build_topics` and `assign_new_documents` (tables of migration 0003). Read API: `list_topics`,
`topic_detail`, `list_fields`, `candidate_topics`. Pure steps: `KMeansTopics` (the `TopicModel` contract),
the c-TF-IDF keyphrase functions, `assign_topic_ids` and `topic_layout`.
"""
from frontierwatch.topics.build import AssignInfo, TopicMapInfo, assign_new_documents, build_topics
from frontierwatch.topics.identity import LineageRow, PreviousMap, assign_topic_ids
from frontierwatch.topics.labels import class_tfidf, document_phrase_matrix, top_keyphrases
from frontierwatch.topics.phrases import candidate_phrases
from frontierwatch.topics.layout import topic_layout
from frontierwatch.topics.model import KMeansTopics, TopicModel, default_n_fields, default_n_topics, group_fields
from frontierwatch.topics.quality import npmi_coherence, topic_ami
from frontierwatch.topics.queries import candidate_topics, list_fields, list_topics, map_dates, topic_detail, document_topic

__all__ = [
    "AssignInfo",
    "KMeansTopics",
    "LineageRow",
    "PreviousMap",
    "TopicMapInfo",
    "TopicModel",
    "assign_new_documents",
    "assign_topic_ids",
    "build_topics",
    "candidate_phrases",
    "candidate_topics",
    "class_tfidf",
    "default_n_fields",
    "default_n_topics",
    "document_phrase_matrix",
    "group_fields",
    "list_fields",
    "list_topics",
    "map_dates",
    "document_topic",
    "npmi_coherence",
    "topic_ami",
    "top_keyphrases",
    "topic_detail",
    "topic_layout",
]
