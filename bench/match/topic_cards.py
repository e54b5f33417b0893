"""Print the topic cards the match judgements were made from: for every topic of a store's latest map, its id,
English and Chinese name, size, top-10 keyphrases and the titles of its four documents nearest the centroid.

    python bench/match/topic_cards.py --store fw-demo > cards.txt

It also prints the map's fingerprint (see judgements.v1.json, ``map.fingerprint_rule``) so a reader can check the
judgements belong to the map they are looking at.
"""
from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from frontierwatch.store import Store
from frontierwatch.topics.tables import map_row


def map_fingerprint(rows: list[tuple[str, str]]) -> str:
    """First 16 hex digits of SHA-256 over sorted 'topic_id<TAB>label' lines."""
    text = "\n".join(f"{t}\t{label}" for t, label in sorted(rows))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("fw-demo"))
    args = parser.parse_args()
    with Store(args.store, read_only=True) as store:
        map_id = map_row(store)["map_id"]
        rows = store.tables.sql(
            """SELECT t.topic_id, t.label, t.keyphrases, t.size, n.name_en, n.name_zh
               FROM topics t LEFT JOIN topic_names n USING (map_id, topic_id)
               WHERE t.map_id = ? ORDER BY t.topic_id""", [map_id]).rows()
        print(f"map {map_id}, {len(rows)} topics, fingerprint {map_fingerprint([(r[0], r[1]) for r in rows])}")
        for tid, _, keyphrases, size, name_en, name_zh in rows:
            titles = store.tables.sql(
                """SELECT d.title FROM doc_topics dt JOIN documents d USING (doc_id)
                   WHERE dt.map_id = ? AND dt.topic_id = ? ORDER BY dt.distance, d.doc_id LIMIT 4""",
                [map_id, tid]).rows()
            phrases = ", ".join(k["phrase"] for k in (keyphrases or [])[:10])
            print(f"{tid} | {name_en} | {name_zh} | n={size}\n  kp: {phrases}\n  docs: "
                  + " ‖ ".join(t[0][:90] for t in titles))


if __name__ == "__main__":
    main()
