"""Names of a real topic map: how many topics get a Chinese name, how long naming takes, and the names of the
shared editions' entries for reading.

Runs the names stage (`frontierwatch.names.build_topic_names`, offline) on the map of each ``--as-of`` date of a
store built from the shared corpus (``frontierwatch ingest ../shared/data/arxiv``, ``embed``, ``build --as-of``), and
writes ``bench/results/names.json``: per map the number of topics, the share with a Chinese name, seconds in all and
per topic, the words the glossary lacked most often, and — for the topics that are entries of the shared editions
(``docs/catalog/shared/catalog-<edition>.en.json`` of the same date) — the share with a Chinese name and every
entry's label, English and Chinese name, so a reader can judge them (``bench/results/names_review.json`` holds such a
judgement).

Usage: ``python bench/names_eval.py --store STORE --as-of 2018-12-31 [--as-of 2017-12-31]``.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from datetime import date
from pathlib import Path

from common import ROOT, write_result

EDITIONS = ROOT / "docs" / "catalog" / "shared"


def edition_labels(as_of: date) -> list[str]:
    """Labels of the entries of the shared edition of `as_of`'s year. Entries are found in the store's map by label
    (same corpus, seed and model give the same topics), since topic ids depend on the maps built before."""
    path = EDITIONS / f"catalog-{as_of.year}H2.en.json"
    if not path.is_file():
        return []
    return [e["label"] for e in json.loads(path.read_text(encoding="utf-8"))["entries"]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--as-of", action="append", required=True)
    args = ap.parse_args()
    from frontierwatch.names import build_topic_names, read_topic_names
    from frontierwatch.store import Store

    maps = []
    with Store(args.store) as store:
        for value in args.as_of:
            day = date.fromisoformat(value)
            started = time.perf_counter()
            result = build_topic_names(store, day)
            seconds = time.perf_counter() - started
            names = read_topic_names(store, result["map_id"])
            labels = dict(store.tables.sql("SELECT topic_id, label FROM topics WHERE map_id = ?",
                                            [result["map_id"]]).rows())
            missing = Counter(w for n in names.values() for w in n["evidence"].get("missing") or [])
            by_label = {label: tid for tid, label in labels.items()}
            wanted = edition_labels(day)
            entries = [by_label[label] for label in wanted if by_label.get(label) in names]
            maps.append({
                "as_of": value, "topics": len(names), "with_chinese_name": result["with_chinese_name"],
                "share_with_chinese_name": round(result["with_chinese_name"] / max(len(names), 1), 4),
                "seconds": round(seconds, 1), "seconds_per_topic": round(seconds / max(len(names), 1), 3),
                "generic_phrases": result["generic_phrases"],
                "glossary_missing_words": missing.most_common(40),
                "summary_sources_zh": dict(Counter(n["summary_zh_source"] for n in names.values())),
                "edition_entries": {
                    "edition": f"{day.year}H2", "n": len(entries), "of": len(wanted),
                    "with_chinese_name": sum(bool(names[t]["name"]["zh"]) for t in entries),
                    "names": [{"topic_id": t, "label": labels.get(t), "en": names[t]["name"]["en"],
                               "zh": names[t]["name"]["zh"]} for t in entries]},
                "median_words_en": statistics.median(len(n["name"]["en"].split()) for n in names.values()),
            })
            print(f"{value}: {len(names)} topics, Chinese names {result['with_chinese_name']} "
                  f"({maps[-1]['share_with_chinese_name']:.1%}), {seconds:.0f}s; edition entries "
                  f"{maps[-1]['edition_entries']['with_chinese_name']}/{len(entries)}")
    write_result("names", {"store": "shared arXiv corpus (../shared/data/arxiv), built with frontierwatch build",
                           "maps": maps})


if __name__ == "__main__":
    main()
