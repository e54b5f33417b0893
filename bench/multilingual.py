"""One document space for Chinese and English: static-bilingual side by side with static-minilm (and USE).

Measures, in one run, for each model:
- cross-lingual retrieval top-1 (zh→en, en→zh) on the held-out glossary and taxonomy pairs
  (`frontierwatch.embed.held_out_pairs`; none of them was used to build or tune the bilingual model);
- English topic quality: AMI of our topic model (`KMeansTopics`, seed 0, default topic count) with arXiv
  primary categories on the full shared arXiv corpus, and how many of its vectors differ between the models;
- CSL Chinese documents (dev + test of ``data/csl``, 2,000 title + abstract): AMI of k-means with the 67
  disciplines and the 13 categories (k = number of classes), and the share of documents with a zero vector;
- a mixed map: arXiv (every 15th paper) + CSL in one k-means; the share of Chinese documents placed in a
  topic that also holds English ones;
- throughput (documents/s, median of 3 interleaved runs) on 20,000 arXiv abstracts and on the CSL documents.

    python bench/multilingual.py [--quick] [--with-teacher]

``--quick`` uses every 10th arXiv paper instead of all (for development; the committed figures use all).
``--with-teacher`` adds USE multilingual v3 (the bilingual model's teacher; ≈ 6 abstracts/s) to the CSL and
retrieval measures as a reference. Writes bench/results/multilingual.json (multilingual-quick.json with --quick).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import SHARED, peak_rss_mib, write_result  # noqa: E402

MODELS = ("static-minilm", "static-bilingual")


def load_arxiv(step: int) -> tuple[list[str], list[str]]:
    """(texts as embedded, primary categories) of every ``step``-th arXiv paper, sorted by id."""
    from frontierwatch.embed import document_text

    rows = []
    for path in sorted((SHARED / "data" / "arxiv").glob("arxiv-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                rows.append((r["id"], document_text(r["title"], r["abstract"]), r["categories"].split()[0]))
    rows.sort()
    rows = rows[::step]
    return [r[1] for r in rows], [r[2] for r in rows]


def load_csl() -> tuple[list[str], list[str], list[str]]:
    """(texts, disciplines, categories) of the CSL dev + test records (title from cls_ctg, abstract from cls_dcp)."""
    from frontierwatch.embed import document_text

    texts, disciplines, categories = [], [], []
    for split in ("dev", "test"):
        def rows(task: str) -> list[list[str]]:
            with open(SHARED / "data" / "csl" / task / f"{split}.tsv", encoding="utf-8", newline="") as fh:
                return list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
        for ctg, dcp in zip(rows("cls_ctg"), rows("cls_dcp"), strict=True):
            texts.append(document_text(ctg[1], dcp[1]))
            disciplines.append(dcp[2])
            categories.append(ctg[2])
    return texts, disciplines, categories


def throughput(embedders: dict, texts: list[str], runs: int = 3) -> dict:
    """Documents per second of each embedder on ``texts``: median of ``runs`` interleaved runs.

    Wall-clock rates depend on what else runs on the 2 shared cores; ``docs_per_cpu_s`` (documents per second of
    this process's CPU time, all threads) does much less, and 2 × it bounds what two free cores would give.
    """
    rates: dict[str, list[float]] = {name: [] for name in embedders}
    cpu: dict[str, list[float]] = {name: [] for name in embedders}
    for _ in range(runs):
        for name, embedder in embedders.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            embedder.encode(texts)
            rates[name].append(len(texts) / (time.perf_counter() - started))
            cpu[name].append(len(texts) / max(time.process_time() - started_cpu, 1e-9))
    return {name: {"docs_per_s": round(statistics.median(r)), "runs": [round(x) for x in r],
                   "docs_per_cpu_s": round(statistics.median(cpu[name]))} for name, r in rates.items()}


def kmeans_ami(x: np.ndarray, labels: list[str], n_topics: int | None = None) -> float:
    from frontierwatch.topics import KMeansTopics
    from frontierwatch.topics.quality import topic_ami

    return round(topic_ami(labels, KMeansTopics(n_topics=n_topics, seed=0).fit(x).labels_), 4)


def mixed_map(x_en: np.ndarray, x_zh: np.ndarray) -> dict:
    """Chinese and English documents in one k-means (default topic count): how the Chinese ones are placed."""
    from frontierwatch.topics import KMeansTopics

    x = np.vstack([x_en, x_zh])
    is_zh = np.r_[np.zeros(len(x_en), bool), np.ones(len(x_zh), bool)]
    labels = KMeansTopics(seed=0).fit(x).labels_
    n_topics = int(labels.max() + 1)
    zh_per = np.bincount(labels[is_zh], minlength=n_topics)
    en_per = np.bincount(labels[~is_zh], minlength=n_topics)
    zh_in_mixed = zh_per[(en_per > 0)].sum()
    zh_in_en_dominated = zh_per[(en_per > zh_per)].sum()
    return {"n_en": int(len(x_en)), "n_zh": int(len(x_zh)), "n_topics": n_topics,
            "topics_with_both": int(((zh_per > 0) & (en_per > 0)).sum()),
            "zh_share_in_topics_with_english": round(float(zh_in_mixed / len(x_zh)), 4),
            "zh_share_in_english_dominated_topics": round(float(zh_in_en_dominated / len(x_zh)), 4)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--with-teacher", action="store_true")
    args = ap.parse_args()
    from frontierwatch.embed import get_embedder, held_out_pairs, retrieval_top1

    load_at_start = [round(x, 2) for x in os.getloadavg()]
    embedders = {name: get_embedder(name) for name in MODELS}
    result: dict = {"models": {name: {"dim": e.dim, "fingerprint": getattr(e, "fingerprint", None)}
                               for name, e in embedders.items()}}

    pairs = held_out_pairs()
    retrieval = {name: retrieval_top1(e.encode, pairs) for name, e in embedders.items()}
    if args.with_teacher:
        retrieval["multilingual (USE, reference)"] = retrieval_top1(get_embedder("multilingual").encode, pairs)
    result["cross_lingual_retrieval"] = {"pairs": "match/glossary (first English equivalent) + catalog/taxonomy "
                                         "names, descriptions, landmark products; held out from building",
                                         **retrieval}
    print("retrieval:", {k: (v["zh_to_en"], v["en_to_zh"]) for k, v in retrieval.items()}, flush=True)

    csl_texts, disciplines, categories = load_csl()
    csl = {}
    csl_vectors = {}
    for name, embedder in embedders.items():
        x = embedder.encode(csl_texts)
        csl_vectors[name] = x
        csl[name] = {"zero_vectors": int((np.linalg.norm(x, axis=1) == 0).sum()),
                     "ami_disciplines_k67": kmeans_ami(x, disciplines, len(set(disciplines))),
                     "ami_categories_k13": kmeans_ami(x, categories, len(set(categories)))}
    if args.with_teacher:
        x = get_embedder("multilingual").encode(csl_texts)
        csl["multilingual (USE, reference)"] = {
            "zero_vectors": 0, "ami_disciplines_k67": kmeans_ami(x, disciplines, len(set(disciplines))),
            "ami_categories_k13": kmeans_ami(x, categories, len(set(categories)))}
    result["csl"] = {"n_docs": len(csl_texts), "n_disciplines": len(set(disciplines)),
                     "n_categories": len(set(categories)), **csl}
    print("csl:", csl, flush=True)

    step = 10 if args.quick else 1
    texts, cats = load_arxiv(step)
    print(f"arXiv: {len(texts)} papers", flush=True)
    english = {}
    vectors = {}
    for name, embedder in embedders.items():
        started = time.perf_counter()
        vectors[name] = np.vstack([embedder.encode(texts[i : i + 4096]) for i in range(0, len(texts), 4096)])
        seconds = time.perf_counter() - started
        english[name] = {"embed_seconds": round(seconds, 1), "docs_per_s": round(len(texts) / seconds),
                         "ami_arxiv_primary": kmeans_ami(vectors[name], cats)}
        print(name, english[name], flush=True)
    diff = np.abs(vectors["static-minilm"] - vectors["static-bilingual"]).max(axis=1)
    han = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
    english["vectors_differing"] = {"count": int((diff > 1e-5).sum()), "max_abs_difference": float(diff.max()),
                                    "documents_with_han_characters": sum(1 for t in texts if han.search(t)),
                                    "why": "only documents containing Han characters are tokenised differently; "
                                           "the others differ by float summation order only"}
    result["english_topics"] = {"corpus": f"shared data/arxiv, every {step}th paper" if step > 1 else
                                "shared data/arxiv, all years", "n_papers": len(texts), **english}

    pick = np.arange(0, len(texts), max(1, 15 // step))
    result["mixed_map"] = {name: mixed_map(vectors[name][pick], csl_vectors[name]) for name in MODELS}
    print("mixed:", result["mixed_map"], flush=True)

    sample = texts[: 20_000]
    result["throughput"] = {"arxiv_20k": throughput(embedders, sample),
                            "csl_2k": throughput(embedders, csl_texts)}
    print("throughput:", result["throughput"], flush=True)
    result["peak_rss_mib"] = peak_rss_mib()
    result["load_average_at_start"] = load_at_start
    result["notes"] = ("AMI: KMeansTopics(seed=0) — default topic count on arXiv (as bench/topics.py), k = number of "
                       "classes on CSL. Throughput: medians of 3 interleaved runs in one process, 2 shared cores; "
                       "see machine.load_average_1_5_15 and load_average_at_start.")
    write_result("multilingual-quick" if args.quick else "multilingual", result)


if __name__ == "__main__":
    main()
