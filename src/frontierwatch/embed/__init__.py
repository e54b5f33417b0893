"""The embed stage: text → vectors behind one small `Embedder` contract, stored per (model, document).

`get_embedder(name)` gives ``static-bilingual`` (default: Chinese + English in one space, torch-free),
``static-minilm`` (committed model2vec model, English only),
``minilm-transformer`` (extra ``[transformer]``) or ``multilingual`` (Chinese + English, short texts).
`embed_documents` fills the ``embeddings`` table; `load_embeddings` reads it back as a numpy matrix.
"""
from frontierwatch.embed.bilingual import BilingualStaticEmbedder
from frontierwatch.embed.crosslingual import TextPair, held_out_pairs, retrieval_top1
from frontierwatch.embed.embedders import (
    DEFAULT_MODEL,
    Embedder,
    MultilingualEmbedder,
    StaticEmbedder,
    TransformerEmbedder,
    document_text,
    embedder_names,
    get_embedder,
    register_embedder,
)
from frontierwatch.embed.runner import embed_documents, load_embeddings

__all__ = [
    "BilingualStaticEmbedder",
    "DEFAULT_MODEL",
    "Embedder",
    "MultilingualEmbedder",
    "StaticEmbedder",
    "TextPair",
    "TransformerEmbedder",
    "document_text",
    "embed_documents",
    "embedder_names",
    "get_embedder",
    "held_out_pairs",
    "load_embeddings",
    "register_embedder",
    "retrieval_top1",
]
