"""Write the landscapes of a built topic map to JSON (the examples in ``docs/examples/``).

Usage: ``python scripts/landscape_examples.py --store STORE --as-of 2021-12-31 --top 12 --sort china|patents
--out docs/examples/NAME.json``. Topics are ranked by Chinese documents (``--sort china``: the country
landscape) by patents (``--sort patents``: the patent view) or, among paper topics, by the patents near them (``--sort near``); each entry carries the topic's label and size and
the landscape exactly as the topic page and the catalog read it (`frontierwatch.catalog.landscapes`).
"""
from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from frontierwatch.catalog import landscapes, topic_members
from frontierwatch.store import Store


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", required=True)
    ap.add_argument("--as-of", required=True, type=date.fromisoformat)
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--sort", choices=("china", "patents", "near"), default="china")
    ap.add_argument("--out", required=True, type=Path)
    args = ap.parse_args()
    with Store(args.store, read_only=True) as store:
        map_id = store.tables.sql("SELECT map_id FROM topic_maps WHERE as_of = ?", [args.as_of]).rows()[0][0]
        topics = {t: (label, size) for t, label, size in store.tables.sql(
            "SELECT topic_id, label, size FROM topics WHERE map_id = ?", [map_id]).rows()}
        lands = landscapes(store, topic_members(store, map_id, args.as_of), args.as_of, map_id=map_id)
        counts = store.tables.sql("SELECT kind, count(*) FROM documents WHERE published <= ? GROUP BY 1 ORDER BY 1",
                                   [args.as_of]).rows()

    def key(item):
        land = item[1]
        if args.sort == "patents":
            return -(land["patent_view"] or {}).get("patents", 0), item[0]
        if args.sort == "near":  # paper topics with the most patents near them
            near = (land["patent_view"] or {}).get("near") or {}
            return -(near.get("patents", 0) if land["papers"] > land["patents"] else 0), item[0]
        return -((land["china"] or {}).get("documents") or 0), -land["n_with_affiliation"], item[0]

    chosen = sorted(lands.items(), key=key)[:args.top]
    payload = {"as_of": args.as_of.isoformat(), "map_id": map_id, "documents_by_kind": dict(counts),
               "statuses": {s: sum(1 for v in lands.values() if v["status"] == s)
                            for s in ("ok", "sparse_affiliation_data", "no_affiliation_data")},
               "topics": [{"topic_id": t, "label": topics[t][0], "size": topics[t][1], "landscape": land}
                          for t, land in chosen]}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(chosen)} topics")


if __name__ == "__main__":
    main()
