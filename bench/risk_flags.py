"""Precision and recall of topic-level risk flags on hand-labelled real topics (issue 15, step 鉴别).

Evaluation (default): reads ``bench/results/risk_labels.json`` — real topics of topic maps built from the shared
arXiv corpus and the shared PubMed file, each with the ids of its member documents (nearest its centroid first)
and the risk categories a reader assigned *before* seeing any flag output — loads those documents' titles and
abstracts from ``../shared/data``, flags every topic with `frontierwatch.risk.flag_topic` (the product's
parameters and taxonomy) and writes ``bench/results/risk_flags.json``:

* per category and overall (micro over topic × category pairs): precision, recall, TP / FP / FN;
* topic level ("is this topic flagged at all?"): precision and recall;
* each split (``dev`` — used while writing the taxonomy's rules and thresholds; ``test`` — held out) and corpus;
* every error (false positive or negative) with the matched terms, for the next edit of the taxonomy.

``--sample-from STORE --corpus arxiv|pubmed`` instead writes a labelling sheet (topics, keyphrases, titles of
central documents, member ids — never flags) to label by hand and merge into the labels file.

    python bench/risk_flags.py                      # ≈ 2 min (reads the arXiv corpus once)
    python bench/risk_flags.py --sample-from STORE --corpus arxiv --random 100 --enrich 80 --out sheet.json
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, SHARED, write_result  # noqa: E402

LABELS = ROOT / "bench" / "results" / "risk_labels.json"
ENRICH_CATEGORIES = ("cs.CR", "cs.CY", "q-bio.PE")  # source metadata, independent of the taxonomy's terms


def split_of(key: str) -> str:
    """Half the topics are 'dev', half 'test', by a hash of their key (stable, not chosen by hand)."""
    return "dev" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0 else "test"


# -- labelling sheets ------------------------------------------------------------------------------------------
def sample_sheet(store_path: Path, corpus: str, n_random: int, n_enrich: int, seed: int) -> dict:
    from frontierwatch.catalog.queries import topic_documents
    from frontierwatch.store import Store
    from frontierwatch.topics import list_topics

    with Store(store_path, read_only=True) as store:
        listed = list_topics(store)
        from datetime import date

        day = date.fromisoformat(listed["as_of"])
        topics = listed["topics"]
        rng = random.Random(seed)
        chosen = rng.sample(topics, min(n_random, len(topics))) if n_random < len(topics) else list(topics)
        ids = [t["id"] for t in topics]
        docs = topic_documents(store, listed["map_id"], day, ids)
        # members are recorded by their source key (arxiv:…, pmid:…), which the evaluation finds in ../shared/data
        source_key = dict((d, k) for k, d in store.tables.sql(
            "SELECT key, doc_id FROM document_keys WHERE key LIKE 'pmid:%' OR key LIKE 'arxiv:%'").rows())
        if n_enrich:
            cats = dict(store.tables.sql("SELECT doc_id, categories FROM documents").rows())
            taken = {t["id"] for t in chosen}
            per_cat = {c: [] for c in ENRICH_CATEGORIES}
            for t in topics:
                members = docs[t["id"]]
                for c in ENRICH_CATEGORIES:
                    share = sum(c in (cats.get(d["doc_id"]) or []) for d in members) / max(1, len(members))
                    per_cat[c].append((share, t["id"]))
            quota = {"cs.CR": n_enrich * 3 // 8, "cs.CY": n_enrich * 3 // 8}
            quota["q-bio.PE"] = n_enrich - quota["cs.CR"] - quota["cs.CY"]
            by_id = {t["id"]: t for t in topics}
            for c in ENRICH_CATEGORIES:
                for share, tid in sorted(per_cat[c], reverse=True):
                    if quota[c] == 0 or share == 0:
                        break
                    if tid not in taken:
                        taken.add(tid)
                        chosen.append(by_id[tid])
                        quota[c] -= 1
    rows = []
    for t in sorted(chosen, key=lambda t: t["id"]):
        members = docs[t["id"]]
        key = f"{corpus}:{t['id']}"
        rows.append({"key": key, "corpus": corpus, "topic_id": t["id"], "split": split_of(key), "label": t["label"],
                     "keyphrases": [k["phrase"] for k in t["keyphrases"]][:12], "size": t["size"],
                     "titles": [d["title"] for d in members[:12]],
                     "members": [source_key.get(d["doc_id"], d["doc_id"]) for d in members], "gold": None})
    return {"corpus": corpus, "as_of": listed["as_of"], "n_topics_in_map": len(topics), "topics": rows}


# -- texts of member documents from the shared corpora ----------------------------------------------------------
def arxiv_texts(wanted: set[str]) -> dict[str, dict]:
    out = {}
    for path in sorted((SHARED / "data" / "arxiv").glob("arxiv-*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                doc_id = f"arxiv:{rec['id']}"
                if doc_id in wanted:
                    out[doc_id] = {"doc_id": doc_id, "title": rec.get("title") or "", "abstract": rec.get("abstract") or ""}
    return out


def pubmed_texts(wanted: set[str]) -> dict[str, dict]:
    out = {}
    with gzip.open(SHARED / "data" / "pubmed" / "pubmed21n1298.xml.gz") as fh:
        for _, el in ET.iterparse(fh, events=("end",)):
            if el.tag != "PubmedArticle":
                continue
            cit = el.find("MedlineCitation")
            doc_id = f"pmid:{cit.findtext('PMID')}"
            if doc_id in wanted:
                art = cit.find("Article")
                title = "".join(art.find("ArticleTitle").itertext()) if art.find("ArticleTitle") is not None else ""
                abstract = " ".join("".join(a.itertext()) for a in art.findall("Abstract/AbstractText"))
                out[doc_id] = {"doc_id": doc_id, "title": title, "abstract": abstract}
            el.clear()
    return out


# -- evaluation ----------------------------------------------------------------------------------------------
def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    return {"precision": None if p is None else round(p, 3), "recall": None if r is None else round(r, 3),
            "tp": tp, "fp": fp, "fn": fn}


def evaluate(topics: list[dict], predicted: dict[str, list[dict]], categories: list[str]) -> dict:
    pairs = {c: [0, 0, 0] for c in categories}
    topic_level = [0, 0, 0]
    errors = []
    for t in topics:
        gold = set(t["gold"])
        flags = {f["category"]: f for f in predicted[t["key"]]}
        for c in categories:
            if c in flags and c in gold:
                pairs[c][0] += 1
            elif c in flags:
                pairs[c][1] += 1
                errors.append({"key": t["key"], "label": t["label"], "category": c, "error": "false_positive",
                               "n_documents": flags[c]["n_documents"], "share": flags[c]["share"],
                               "keyphrase_terms": flags[c]["keyphrase_terms"], "terms": flags[c]["terms"]})
            elif c in gold:
                pairs[c][2] += 1
                errors.append({"key": t["key"], "label": t["label"], "category": c, "error": "false_negative"})
        topic_level[0] += bool(flags) and bool(gold)
        topic_level[1] += bool(flags) and not gold
        topic_level[2] += bool(gold) and not flags
    micro = [sum(v[i] for v in pairs.values()) for i in range(3)]
    return {"n_topics": len(topics), "n_gold_pairs": micro[0] + micro[2],
            "micro": _prf(*micro), "topic_level": _prf(*topic_level),
            "by_category": {c: _prf(*v) for c, v in pairs.items()}, "errors": errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample-from", type=Path, help="write a labelling sheet from this store's latest map")
    parser.add_argument("--corpus", choices=("arxiv", "pubmed"))
    parser.add_argument("--random", type=int, default=100, help="topics drawn at random (all when larger)")
    parser.add_argument("--enrich", type=int, default=0, help=f"topics added by top share of {ENRICH_CATEGORIES}")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.sample_from:
        sheet = sample_sheet(args.sample_from, args.corpus, args.random, args.enrich, args.seed)
        args.out.write_text(json.dumps(sheet, ensure_ascii=False, indent=1) + "\n")
        print(f"wrote {len(sheet['topics'])} topics to {args.out}")
        return

    from frontierwatch.risk import FlagParams, flag_topic, load_risk_taxonomy

    started = time.perf_counter()
    labels = json.loads(LABELS.read_text())
    topics = [t for s in labels["samples"] for t in s["topics"]]
    wanted = {d for t in topics for d in t["members"]}
    texts = arxiv_texts({d for d in wanted if d.startswith("arxiv:")})
    texts |= pubmed_texts({d for d in wanted if d.startswith("pmid:")})
    missing = len(wanted - set(texts))
    loaded = time.perf_counter()
    taxonomy, params = load_risk_taxonomy(), FlagParams()
    predicted = {t["key"]: flag_topic({"label": t["label"], "keyphrases": t["keyphrases"]},
                                      [texts[d] for d in t["members"] if d in texts], params=params, taxonomy=taxonomy)
                 for t in topics}
    flagged_in = time.perf_counter() - loaded
    categories = [c.id for c in taxonomy.categories]
    report = {"all": evaluate(topics, predicted, categories)}
    for split in ("dev", "test"):
        report[split] = evaluate([t for t in topics if t["split"] == split], predicted, categories)
    for corpus in ("arxiv", "pubmed"):
        report[corpus] = evaluate([t for t in topics if t["corpus"] == corpus], predicted, categories)
    for name in ("all", "dev", "test", "arxiv", "pubmed"):
        r = report[name]
        print(f"{name:7s} topics {r['n_topics']:4d}  gold pairs {r['n_gold_pairs']:3d}  "
              f"precision {r['micro']['precision']}  recall {r['micro']['recall']}  "
              f"topic-level P {r['topic_level']['precision']} R {r['topic_level']['recall']}")
    for name in ("dev", "test", "arxiv", "pubmed"):
        report[name].pop("errors")
    write_result("risk_flags", {
        "labels": "bench/results/risk_labels.json", "taxonomy": taxonomy.identity(), "params": params.as_dict(),
        "documents_read": len(texts), "documents_missing": missing,
        "seconds": {"load_texts": round(loaded - started, 1), "flag_topics": round(flagged_in, 1)}, **report})


if __name__ == "__main__":
    main()
