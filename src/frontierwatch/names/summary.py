"""What a topic is about, in 2–3 sentences taken from its most central documents (extractive, offline).

English: sentences of the abstracts of the documents nearest the topic's centroid are scored by cosine similarity
to the centroid (same embedding model as the topic map) plus a small bonus for opening sentences and for naming the
topic's keyphrases; sentences that speak of one paper ("we", "this paper"), carry formulas or are very short or long
are passed over while better ones exist. Sentences are chosen greedily, one per document, each unlike those chosen
(cosine < 0.8), up to three and about 80 words.

Chinese: when the topic holds Chinese documents, their abstracts are read the same way (sentences cut at 。！？；,
scored by the topic's Chinese keyphrases and position). Otherwise — an English-language topic — the Chinese summary is
*templated* from facts, never machine-translated: the Chinese name, the number of documents as of the map's date and in
its last year, and the Chinese glossary terms of its keyphrases. It never holds an English sentence.
"""
from __future__ import annotations

import re

import numpy as np

from frontierwatch.names.chinese import CJK, translate

_SENTENCE_EN = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])")
_SENTENCE_ZH = re.compile(r"(?<=[。！？；])")
_PAPER_TALK = re.compile(r"\b(we|our|us|this (paper|work|article|letter|study|thesis|note|contribution)|"
                         r"in this (paper|work|article|letter|study)|here,? we|the authors?)\b", re.I)
_NOISE = re.compile(r"\$|\\[a-z]+|https?://|\[\d")
MAX_WORDS = 80


def _sentences_en(abstract: str) -> list[str]:
    text = re.sub(r"\s+", " ", abstract or "").strip()
    return [s.strip() for s in _SENTENCE_EN.split(text) if s.strip()]


def english_summary(docs: list[dict], centroid, embedder, keyphrases: list[str], n_docs: int = 12,
                    name_parts: list[str] | None = None) -> dict:
    """``{"text", "doc_ids"}`` from the `n_docs` most central documents (``doc_id``, ``title``, ``abstract``,
    nearest first); ``text`` is "" when none has an abstract."""
    pool: list[tuple[str, int, int]] = []   # sentence, document index, position
    for d_i, doc in enumerate(docs[:n_docs]):
        for pos, sentence in enumerate(_sentences_en(doc.get("abstract") or "")):
            if not CJK.search(sentence):
                pool.append((sentence, d_i, pos))
    if not pool:
        return {"text": "", "doc_ids": []}
    vectors = np.asarray(embedder.encode([s for s, _, _ in pool]), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    c = np.asarray(centroid, dtype=np.float32)
    sims = vectors @ (c / max(float(np.linalg.norm(c)), 1e-9))
    phrases = [k.lower() for k in keyphrases[:10]]
    parts = [p.lower() for p in name_parts or []]
    scores = []
    for (sentence, _, pos), sim in zip(pool, sims):
        words = len(sentence.split())
        low = sentence.lower()
        good = 8 <= words <= 45 and not _PAPER_TALK.search(sentence) and not _NOISE.search(sentence)
        score = (float(sim) + (0.06 if pos == 0 else 0.0) + 0.04 * sum(p in low for p in phrases)
                 + 0.12 * sum(p in low for p in parts))
        scores.append(score + (1.0 if good else 0.0))
    chosen: list[int] = []
    used_docs: set[int] = set()
    total = 0
    for i in np.argsort(-np.asarray(scores), kind="stable"):
        sentence, d_i, _ = pool[i]
        words = len(sentence.split())
        if d_i in used_docs or (chosen and total + words > MAX_WORDS) or words > 60:
            continue
        if any(float(vectors[i] @ vectors[j]) >= 0.8 for j in chosen):
            continue
        chosen.append(int(i))
        used_docs.add(d_i)
        total += words
        if len(chosen) == 3:
            break
    return {"text": " ".join(pool[i][0] for i in chosen),
            "doc_ids": [docs[pool[i][1]]["doc_id"] for i in chosen]}


def chinese_summary_from_documents(docs: list[dict], keyphrases: list[str], n_docs: int = 12) -> dict:
    """``{"text", "doc_ids"}`` from the Chinese abstracts among the central documents ("" when there are none)."""
    zh_terms = [k for k in keyphrases[:10] if CJK.search(k)]
    pool = []
    for doc in docs[:n_docs]:
        abstract = doc.get("abstract") or ""
        if not CJK.search(abstract):
            continue
        for pos, sentence in enumerate(s.strip() for s in _SENTENCE_ZH.split(abstract) if s.strip()):
            if 15 <= len(sentence) <= 120 and CJK.search(sentence):
                score = sum(t in sentence for t in zh_terms) + (0.5 if pos == 0 else 0.0) - 0.01 * len(sentence) / 10
                pool.append((score, sentence, doc["doc_id"]))
    pool.sort(key=lambda r: -r[0])
    chosen, ids = [], []
    for _, sentence, doc_id in pool:
        if doc_id in ids:
            continue
        chosen.append(sentence)
        ids.append(doc_id)
        if len(chosen) == 2:
            break
    text = "".join(s if s.endswith(("。", "！", "？", "；")) else s + "。" for s in chosen)
    return {"text": text, "doc_ids": ids}


def chinese_template(name_zh: str | None, size: int, counts_by_year: dict, as_of_year: int,
                     terms: list[dict]) -> str:
    """A Chinese description built from facts only (see module doc): `terms` are the topic's other noun phrases
    with their glossary Chinese (``[{"en", "zh"}]``)."""
    shown = [t["zh"] for t in terms if CJK.search(t["zh"]) and (not name_zh or t["zh"] not in name_zh)][:4]
    subject = f"“{name_zh}”主题" if name_zh else "本主题"
    last = int(counts_by_year.get(str(as_of_year), 0) or 0)
    parts = [f"{subject}汇集截至{as_of_year}年的相关文献{size:,}篇，其中{as_of_year}年{last:,}篇。"]
    if shown:
        parts.append(f"研究内容涉及{'、'.join(shown)}等方面。")
    return "".join(parts)
