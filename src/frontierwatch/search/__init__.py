"""The search stage: a BM25 full-text index of document titles and abstracts (tables of migration 0006), built
from ``documents`` when they change (`ensure_index`), held in memory (`search.postings`) and queried by
`search_documents` — concepts in Chinese or English bridged through the glossary, AND and phrases, filters,
facets and highlights. The core (`Observatory.search`) is its only caller in the product."""
from frontierwatch.search.engine import FILTERS, search_documents
from frontierwatch.search.index import build_index, ensure_index, index_is_current, tokenize, tokenizer_name
from frontierwatch.search.parse import parse_query

__all__ = ["FILTERS", "build_index", "ensure_index", "index_is_current", "parse_query", "search_documents", "tokenize",
           "tokenizer_name"]
