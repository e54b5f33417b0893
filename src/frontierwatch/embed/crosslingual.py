"""Cross-lingual retrieval: does a Chinese text find its English counterpart in an embedding space?

The test pairs are the project's own bilingual data — the matchmaking glossary (``match/glossary``: a
Chinese term and its usual English equivalent) and the taxonomy of future industries (``catalog/taxonomy``:
direction and field names, field descriptions, landmark products in zh and en). They are held out from
building the bilingual model: ``scripts/build_bilingual_model.py`` removes every one of their words from its
development set.

`retrieval_top1(encode, pairs)` embeds both sides and counts how often the nearest English text of a Chinese
one is its pair (zh→en) and the other way round (en→zh), each among all texts of the other language.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TextPair:
    """One Chinese text and its English counterpart, with where it comes from (glossary, field, ...)."""

    zh: str
    en: str
    kind: str


def held_out_pairs() -> list[TextPair]:
    """Glossary terms (first English equivalent), and taxonomy names and descriptions, deduplicated.

    Glossary lines whose English equivalent is shared by another line (two Chinese synonyms) keep only the
    first, so every English text has exactly one Chinese pair and top-1 is well defined.
    """
    from frontierwatch.catalog.taxonomy import load_taxonomy
    from frontierwatch.match.need import load_glossary

    pairs: list[TextPair] = []
    for zh, ens in load_glossary().items():
        pairs.append(TextPair(zh, ens[0], "glossary term"))
    taxonomy = load_taxonomy()
    for direction in taxonomy.directions:
        pairs.append(TextPair(direction.name["zh"], direction.name["en"], "direction name"))
        pairs.append(TextPair(direction.description["zh"], direction.description["en"], "direction description"))
        for field in direction.fields:
            pairs.append(TextPair(field.name["zh"], field.name["en"], "field name"))
            pairs.append(TextPair(field.description["zh"], field.description["en"], "field description"))
    for product in taxonomy.products:
        pairs.append(TextPair(product.name["zh"], product.name["en"], "landmark product"))
    seen_zh, seen_en, out = set(), set(), []
    for pair in pairs:
        key_zh, key_en = pair.zh.strip().lower(), pair.en.strip().lower()
        if key_zh in seen_zh or key_en in seen_en:
            continue
        seen_zh.add(key_zh)
        seen_en.add(key_en)
        out.append(pair)
    return out


def retrieval_top1(encode: Callable[[list[str]], np.ndarray], pairs: list[TextPair]) -> dict:
    """Top-1 accuracy of zh→en and en→zh retrieval over ``pairs``, overall and by kind.

    ``encode`` maps texts to unit rows (any embedder's ``encode``). A Chinese text whose vector is zero
    (a model that knows none of its tokens) never counts as found.

    >>> retrieval_top1(get_embedder().encode, held_out_pairs())["zh_to_en"]   # doctest: +SKIP
    0.86
    """
    zh = encode([p.zh for p in pairs])
    en = encode([p.en for p in pairs])
    sims = zh @ en.T
    known = (np.linalg.norm(zh, axis=1) > 0)[:, None] & (np.linalg.norm(en, axis=1) > 0)[None, :]
    sims = np.where(known, sims, -np.inf)
    truth = np.arange(len(pairs))
    zh_hit = (sims.argmax(axis=1) == truth) & np.isfinite(sims.max(axis=1))
    en_hit = (sims.argmax(axis=0) == truth) & np.isfinite(sims.max(axis=0))
    kinds = sorted({p.kind for p in pairs})
    by_kind = {}
    for kind in kinds:
        mask = np.array([p.kind == kind for p in pairs])
        by_kind[kind] = {"n": int(mask.sum()), "zh_to_en": round(float(zh_hit[mask].mean()), 4),
                         "en_to_zh": round(float(en_hit[mask].mean()), 4)}
    return {"n_pairs": len(pairs), "zh_to_en": round(float(zh_hit.mean()), 4),
            "en_to_zh": round(float(en_hit.mean()), 4),
            "mean": round(float((zh_hit.mean() + en_hit.mean()) / 2), 4), "by_kind": by_kind}
