"""The search stage: a BM25 full-text index of document titles and abstracts (tables of migration 0006), built
from ``documents`` when they change (`ensure_index`) and queried by `search_documents`. The core
(`Observatory.search`) is its only caller in the product."""
from frontierwatch.search.index import (build_index, ensure_index, index_is_current, search_documents, tokenize,
                                        tokenizer_name)

__all__ = ["build_index", "ensure_index", "index_is_current", "search_documents", "tokenize", "tokenizer_name"]
