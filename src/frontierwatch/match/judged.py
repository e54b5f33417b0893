"""Score topic rankings against hand judgements (``bench/match/needs.v1.json`` + ``judgements.v1.json``).

Judgements grade every topic of one map for every need (2 = the topic is what the need asks for, 1 = a key method or
the application domain, 0 = anything else). A ranking is scored as the product shows it: junk topics and topics
without evidence are left out, and a need refused as "no good match" shows no topic at all. Reported per method,
per language and per half (``tune`` = needs with an odd number, ``test`` = even, ``all``):

* ``p_at_k`` — relevant (grade ≥ 1) among the top k, over k; a need with R < k relevant topics in the map can reach
  only R/k, so ``ceiling_p_at_k`` (the mean of min(k, R)/k) is reported beside it;
* ``p_at_k_normalised`` — relevant among the top k over min(k, R), over needs with R ≥ 1;
* ``hit_at_1`` — the first topic is relevant, over needs with R ≥ 1;
* ``strict_*`` — the same with grade 2 only; ``refused`` — needs answered "no good match".
"""
from __future__ import annotations

import hashlib
import re
import time

import numpy as np

from frontierwatch.errors import InputError
from frontierwatch.match.need import parse_need
from frontierwatch.match.topic_index import TopicIndex, topic_index
from frontierwatch.store import Store

__all__ = ["evaluate_judged", "map_fingerprint", "need_half", "score_ranking"]

HALVES = ("tune", "test", "all")


def map_fingerprint(index: TopicIndex) -> str:
    """First 16 hex digits of SHA-256 over the map's sorted 'topic_id<TAB>label' lines (judgements name it)."""
    text = "\n".join(f"{t}\t{label}" for t, label in sorted(zip(index.ids, index.labels)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def need_half(need_id: str) -> str:
    """'tune' for a need id ending in an odd number, 'test' for an even one (fixed before any system ran)."""
    digits = re.search(r"(\d+)$", need_id)
    if not digits:
        raise InputError(f"need id {need_id!r} should end in a number (e.g. jzh07)",
                         f"需求编号 {need_id!r} 应以数字结尾（如 jzh07）")
    return "tune" if int(digits.group(1)) % 2 else "test"


def score_ranking(top_ids: list[str], grades: dict[str, int], k: int = 5) -> dict:
    """Metrics of one need's top-k topic ids against its grades ``{topic_id: grade}`` (missing ids are grade 0).
    Normalised precision and hit@1 are None when the map holds no relevant topic."""
    top = top_ids[:k]
    out = {}
    for prefix, bar in (("", 1), ("strict_", 2)):
        relevant = sum(1 for g in grades.values() if g >= bar)
        hits = sum(1 for t in top if grades.get(t, 0) >= bar)
        out[f"{prefix}p_at_k"] = hits / k
        out[f"{prefix}ceiling_p_at_k"] = min(k, relevant) / k
        out[f"{prefix}p_at_k_normalised"] = hits / min(k, relevant) if relevant else None
        out[f"{prefix}hit_at_1"] = float(bool(top) and grades.get(top[0], 0) >= bar) if relevant else None
    return out


def _summary(rows: list[dict]) -> dict:
    out = {"n_needs": len(rows), "refused": sum(r["refused"] for r in rows)}
    for key in rows[0]["scores"] if rows else ():
        values = [r["scores"][key] for r in rows if r["scores"][key] is not None]
        out[key] = round(float(np.mean(values)), 4) if values else None
    return out


def evaluate_judged(store: Store, needs: list[dict], judgements: dict, methods: tuple[str, ...], k: int = 5,
                    *, rank=None, use_names: bool = True) -> dict:
    """Score each method's product ranking on the judged needs over the store's latest map.

    `needs`: dicts with ``id``, ``lang``, ``text``; `judgements`: the parsed judgements file (``map`` with
    ``labels_sha256_16``, ``judgements`` ``{need_id: {topic_id: {"grade"}}}``). `rank(store, index, need, method)
    -> (topic indices best first, good_match)` defaults to the matcher's own; `use_names` False leaves the names
    glossary out of the bridge (the matcher before it, for comparison). Raises InputError when the judgements
    belong to another map. Returns ``{"map", "k", "methods": {method: {half: {lang|"both": summary}}},
    "per_need": [{"id", "lang", "half", "relevant_in_map", method: {"top", "refused"}}]}``.
    """
    if rank is None:
        from frontierwatch.match.matcher import product_ranking as rank
    index = topic_index(store)
    fingerprint = map_fingerprint(index)
    expected = judgements["map"]["labels_sha256_16"]
    if fingerprint != expected:
        raise InputError(f"the judgements were made on map {expected}, the store's latest map is {fingerprint} "
                         f"({len(index.ids)} topics, as of {index.as_of}); score them on the demo store built by "
                         "'make demo'",
                         f"评判基于主题图 {expected}，而数据库最新主题图为 {fingerprint}（{len(index.ids)} 个主题，截至 "
                         f"{index.as_of}）；请在 'make demo' 构建的演示数据库上评测")
    per_need, rows = [], {m: [] for m in methods}
    timing = dict.fromkeys(methods, 0.0)
    for item in needs:
        grades = {t: int(v["grade"]) for t, v in judgements["judgements"][item["id"]].items()}
        need = parse_need(item["text"], item["lang"], use_names=use_names)
        row = {"id": item["id"], "lang": item["lang"], "half": need_half(item["id"]),
               "relevant_in_map": sum(g >= 1 for g in grades.values())}
        for method in methods:
            started = time.perf_counter()
            order, good = rank(store, index, need, method)
            timing[method] += time.perf_counter() - started
            top = [index.ids[i] for i in order[:k]] if good else []
            row[method] = {"top": top, "refused": not good}
            rows[method].append({"lang": item["lang"], "half": row["half"], "refused": not good,
                                 "scores": score_ranking(top, grades, k)})
        per_need.append(row)
    report = {}
    for method, method_rows in rows.items():
        report[method] = {half: {lang: _summary([r for r in method_rows if half in ("all", r["half"])
                                                 and lang in ("both", r["lang"])]) for lang in ("zh", "en", "both")}
                          for half in HALVES}
        report[method]["seconds_per_need"] = round(timing[method] / max(1, len(needs)), 4)
    return {"map": {"map_id": index.map_id, "as_of": index.as_of.isoformat(), "n_topics": len(index.ids),
                    "fingerprint": fingerprint}, "k": k, "methods": report, "per_need": per_need}
