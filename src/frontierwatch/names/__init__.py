"""Names stage (topics → names): a readable technology name in Chinese and English for every topic, and what it is.

Pure steps: `english_name` (noun phrase from keyphrases completed by the documents), `translate` (en→zh through the
committed technical glossary), `name_topic` (both names, consistent), `english_summary` / `chinese_template`
(extractive / factual descriptions). Runner: `build_topic_names` writes ``topic_names``; `read_topic_names` is its
one reader; `names_stale` says when stored names predate the glossary. Optional: `OpenAILabeller` (any OpenAI-compatible endpoint, answers cached in ``labeller_cache``).
"""
from frontierwatch.names.chinese import translate
from frontierwatch.names.english import english_name
from frontierwatch.names.labeller import OpenAILabeller
from frontierwatch.names.naming import name_topic
from frontierwatch.names.queries import read_topic_names
from frontierwatch.names.runner import build_topic_names, describe_topic, names_stale
from frontierwatch.names.summary import chinese_template, english_summary

__all__ = ["OpenAILabeller", "build_topic_names", "chinese_template", "describe_topic", "english_name",
           "english_summary", "name_topic", "names_stale", "read_topic_names", "translate"]
