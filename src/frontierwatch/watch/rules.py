"""The alert rules: run after every ``build``/``update`` (on the latest topic map) and every catalog edition,
each alert with the evidence it rests on.

Rules, by what is watched:

* **query** — ``new_documents``: documents published in the latest map's window — after the previous map's
  as-of date, up to the latest map's (without an earlier map: the last `FIRST_WINDOW_DAYS` days) — that
  contain every search term of the saved query (`frontierwatch.text.search_terms`: Chinese by jieba,
  Traditional folded to Simplified, English plurals folded). Subject: the window.
* **topic** — ``forecast_crossed``: the forecaster calls the topic (its calibrated call rule: probability of
  extreme growth at or above the published threshold) in the latest map, and did not in the previous map (or
  there was none). ``topic_split`` / ``topic_merged``: the lineage says the watched topic split or merged into
  other topics. ``edition_listed`` / ``edition_dropped``: an edition lists the topic (or what it became on the new
  map — continued under another id, split or merged, by the edition's lineage-based changes), or the previous
  edition listed it and this one lists neither it nor any of its successors.
* **direction** — ``topic_born``: the latest map has a topic born (no ancestor) that is mapped to the
  direction; ``edition_listed``: an edition lists entries in the direction that the previous one did not (entries that
  descend from a listed one are not new).

Every alert is keyed by (watch, kind, subject), so a rule that finds the same thing again raises nothing
(`frontierwatch.watch.alerts.raise_alert`): reruns, restarts and repeated evaluations are idempotent.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from frontierwatch.errors import InputError, NotFoundError
from frontierwatch.topics.queries import parse_as_of
from frontierwatch.watch import queries
from frontierwatch.watch.alerts import Alert, raise_alert
from frontierwatch.watch.watchlists import Watch, list_watches

log = logging.getLogger(__name__)

FIRST_WINDOW_DAYS = 31
MAX_EVIDENCE_DOCS = 20


def evaluate_alerts(obs, *, edition: str | None = None) -> list[Alert]:
    """Run the map rules (and, with `edition`, the edition rules) for every current watch of every owner;
    return the alerts raised now (none that were raised before)."""
    users = obs.store.users_tables
    watches = list_watches(users)
    if not watches:
        return []
    raised: list[Alert] = []
    try:
        latest = obs.topics()
    except NotFoundError:  # no topic map yet: nothing to compare
        latest = None
    if latest is not None:
        latest["as_of"] = parse_as_of(latest["as_of"])
        maps = queries.maps_by_date(obs.store)
        prev = _previous(maps, latest["map_id"])
        previous = obs.topics(prev["as_of"]) if prev else None
        if previous is not None:
            previous["as_of"] = parse_as_of(previous["as_of"])
        raised += _query_documents(obs, users, [w for w in watches if w.kind == "query"], latest, prev)
        raised += _forecasts(users, [w for w in watches if w.kind == "topic"], latest, previous)
        raised += _lineage(obs, users, watches, latest)
    if edition is not None:
        raised += _edition(obs, users, watches, edition)
    raised += hall_alerts(users, watches)
    log.info("alerts: %d watches, %d new alerts", len(watches), len(raised))
    return raised


def hall_alerts(users, watches: list[Watch] | None = None) -> list[Alert]:
    """``hall_item``: release-hall items approved after a saved search was added whose title and text hold every
    search term of it (run on every hall approval and with the other rules). Subject: the item."""
    from frontierwatch.hall.submissions import list_items
    from frontierwatch.text import search_terms
    watches = [w for w in (watches if watches is not None else list_watches(users)) if w.kind == "query"]
    if not watches:
        return []
    items = list_items(users, status="approved", limit=10_000)
    out = []
    for w in watches:
        terms = set(search_terms(w.target))
        for item in items:
            approved = item.get("moderated") or item["updated"]
            if not terms or approved < w.created.isoformat(timespec="seconds"):
                continue
            if not _matches(terms, f"{item['title']} {item['body']}"):
                continue
            kind_zh, kind_en = {"achievement": ("技术成果", "achievement"), "scenario": ("应用场景需求", "scenario need")}[item["kind"]]
            title = {"zh": f"成果发布大厅新发布的{kind_zh}《{item['title']}》匹配检索式“{w.target}”",
                     "en": f"The release hall published the {kind_en} \"{item['title']}\", matching \"{w.target}\""}
            evidence = {"query": w.target, "item_id": item["item_id"], "kind": item["kind"], "title": item["title"],
                        "direction": item.get("direction"), "approved": approved, "link": f"/hall/items/{item['item_id']}"}
            out.append(raise_alert(users, w.watch_id, "hall_item", f"hall:{item['item_id']}", title, evidence))
    return [a for a in out if a]


def _previous(maps: list[dict], map_id: int) -> dict | None:
    ids = [m["map_id"] for m in maps]
    i = ids.index(map_id) if map_id in ids else -1
    return maps[i - 1] if i > 0 else None


def _matches(query_terms: set[str], text: str) -> bool:
    from frontierwatch.text import search_terms
    return query_terms <= set(search_terms(text))


def _query_documents(obs, users, watches: list[Watch], latest: dict, prev: dict | None) -> list[Alert]:
    from frontierwatch.text import search_terms
    if not watches:
        return []
    until = latest["as_of"]
    after = prev["as_of"] if prev else until - timedelta(days=FIRST_WINDOW_DAYS)
    window = queries.documents_between(obs.store, after, until)
    texts = [f"{d['title']} {d['abstract'] or ''}" for d in window]
    out = []
    for w in watches:
        terms = set(search_terms(w.target))
        if not terms:
            continue
        hits = [d for d, text in zip(window, texts) if _matches(terms, text)]
        if not hits:
            continue
        n = len(hits)
        evidence = {"query": w.target, "window": {"after": str(after), "until": str(until)}, "n_documents": n,
                    "documents": [{"doc_id": d["doc_id"], "title": d["title"], "published": str(d["published"]),
                                   "kind": d["kind"]} for d in hits[:MAX_EVIDENCE_DOCS]]}
        title = {"zh": f"{n} 篇新文献匹配检索式“{w.target}”（{after} 之后至 {until}）",
                 "en": f"{n} new document{'s' if n != 1 else ''} match the saved search \"{w.target}\" "
                       f"(after {after}, up to {until})"}
        out.append(raise_alert(users, w.watch_id, "new_documents", f"{after}..{until}", title, evidence, until))
    return [a for a in out if a]


def _forecasts(users, watches: list[Watch], latest: dict, previous: dict | None) -> list[Alert]:
    now = {t["id"]: t for t in latest["topics"]}
    before = {t["id"]: t for t in previous["topics"]} if previous else {}
    out = []
    for w in watches:
        t = now.get(w.target)
        fc = (t or {}).get("forecast")
        if not fc or not fc.get("call"):
            continue
        old = (before.get(w.target) or {}).get("forecast")
        if old and old.get("call"):
            continue  # already above the threshold in the previous map: no crossing
        evidence = {"topic_id": t["id"], "label": t["label"], "as_of": str(latest["as_of"]),
                    "probability": fc.get("probability"), "call": True,
                    "expected_share_ratio": fc.get("expected_share_ratio"), "size": t.get("size"),
                    "previous": ({"as_of": str(previous["as_of"]), "probability": old.get("probability"),
                                  "call": bool(old.get("call"))} if old else None)}
        p = fc.get("probability")
        pct = f"{p:.0%}" if p is not None else "–"
        title = {"zh": f"主题 {t['id']}（{_name(t, 'zh')}）的预测越过阈值：极端增长概率 {pct}（截至 {latest['as_of']}）",
                 "en": f"Topic {t['id']} ({_name(t, 'en')}) crossed the forecast threshold: probability of extreme "
                       f"growth {pct} (as of {latest['as_of']})"}
        out.append(raise_alert(users, w.watch_id, "forecast_crossed", f"{t['id']}@{latest['as_of']}", title,
                               evidence, latest["as_of"]))
    return [a for a in out if a]


def _lineage(obs, users, watches: list[Watch], latest: dict) -> list[Alert]:
    events = queries.lineage_events(obs.store, latest["map_id"])
    if not events:
        return []
    topics = {t["id"]: t for t in latest["topics"]}
    as_of = latest["as_of"]
    out = []
    for w in watches:
        if w.kind == "direction":
            found = [(e, "topic_born") for e in events if e["event"] == "born"
                     and w.target in ((topics.get(e["topic_id"]) or {}).get("directions") or [])]
        elif w.kind == "topic":
            found = [(e, f"topic_{e['event']}d" if e["event"] == "merge" else "topic_split") for e in events
                     if e["prev_topic_id"] == w.target and e["event"] in ("split", "merge")]
        else:
            continue
        for e, kind in found:
            t = topics.get(e["topic_id"]) or {"label": "", "size": None}
            verb = {"topic_born": ("新出现", "was born"), "topic_split": ("由其分裂而来", "split from it"),
                    "topic_merged": ("由其合并而来", "merged from it")}[kind]
            about = {lang: _direction_name(w.target, lang) if w.kind == "direction" else w.target
                     for lang in ("zh", "en")}
            title = {"zh": f"主题 {e['topic_id']}（{_name(t, 'zh')}）{verb[0]}（关注：{about['zh']}，截至 {as_of}）",
                     "en": f"Topic {e['topic_id']} ({_name(t, 'en')}) {verb[1]} (watching {about['en']}, as of {as_of})"}
            evidence = {"event": e["event"], "topic_id": e["topic_id"], "label": t["label"], "size": t.get("size"),
                        "prev_topic_id": e["prev_topic_id"], "jaccard": e["jaccard"], "shared_docs": e["shared_docs"],
                        "as_of": str(as_of), "directions": t.get("directions")}
            out.append(raise_alert(users, w.watch_id, kind, f"{e['topic_id']}@{as_of}", title, evidence, as_of))
    return [a for a in out if a]


def _edition(obs, users, watches: list[Watch], edition: str) -> list[Alert]:
    from frontierwatch.catalog import load_edition
    from frontierwatch.catalog.edition import previous_edition
    model = load_edition(obs.store, edition)
    if model is None:
        return []
    prev = previous_edition(obs.store, model.as_of, edition)
    now = {e["topic_id"]: e for e in model.entries}
    before = {e["topic_id"]: e for e in prev.entries} if prev else {}
    successors = _successors(model.changes or {}, now)
    out = []

    def entry_evidence(e: dict, kind: str | None = None) -> dict:
        return {"topic_id": e["topic_id"], "label": e["label"], "direction": e["direction"], "field": e["field"],
                "overall_rank": e["overall_rank"], "score": e["score"]} | ({"lineage": kind} if kind else {})

    for w in watches:
        base = {"edition": model.edition, "as_of": str(model.as_of),
                "previous_edition": prev.edition if prev else None}
        if w.kind == "topic" and w.target in now:
            e = now[w.target]
            title = {"zh": f"目录 {model.edition} 收录了关注的主题 {e['topic_id']}（{_name(e, 'zh')}），总排名第 {e['overall_rank']}",
                     "en": f"Edition {model.edition} lists the watched topic {e['topic_id']} ({_name(e, 'en')}), "
                           f"overall rank {e['overall_rank']}"}
            out.append(raise_alert(users, w.watch_id, "edition_listed", model.edition, title,
                                   base | {"entries": [entry_evidence(e)]}, model.as_of))
        elif w.kind == "topic" and successors.get(w.target):
            # the watched topic lives on under other ids on the new map (split, merged or re-numbered): listed
            found = successors[w.target]
            names = {lang: "、".join(f"{e['topic_id']}（{_name(e, lang)}）" for e, _ in found) if lang == "zh" else
                     ", ".join(f"{e['topic_id']} ({_name(e, lang)})" for e, _ in found) for lang in ("zh", "en")}
            how = {"continued": ("延续", "continues it"), "split": ("由其分裂而来", "split from it"),
                   "merged": ("由其合并而来", "merged from it")}
            kinds = sorted({k for _, k in found})
            title = {"zh": f"目录 {model.edition} 收录了关注主题 {w.target} 的后继主题 {names['zh']}"
                           f"（{'、'.join(how[k][0] for k in kinds)}）",
                     "en": f"Edition {model.edition} lists what the watched topic {w.target} became: {names['en']} "
                           f"({'; '.join(how[k][1] for k in kinds)})"}
            out.append(raise_alert(users, w.watch_id, "edition_listed", model.edition, title,
                                   base | {"watched": w.target, "entries": [entry_evidence(e, k) for e, k in found]},
                                   model.as_of))
        elif w.kind == "topic" and w.target in before:
            e = before[w.target]
            title = {"zh": f"目录 {model.edition} 不再收录关注的主题 {e['topic_id']}（{_name(e, 'zh')}；上一期 {prev.edition} 收录）",
                     "en": f"Edition {model.edition} no longer lists the watched topic {e['topic_id']} ({_name(e, 'en')}; "
                           f"listed in {prev.edition})"}
            out.append(raise_alert(users, w.watch_id, "edition_dropped", model.edition, title,
                                   base | {"entries": [entry_evidence(e)]}, model.as_of))
        elif w.kind == "direction":
            followed = {e["topic_id"] for found in successors.values() for e, _ in found}
            new = [e for t, e in now.items() if (e["direction"] or {}).get("id") == w.target
                   and t not in before and t not in followed]
            if not new:
                continue
            title = {"zh": f"目录 {model.edition} 在方向“{_direction_name(w.target, 'zh')}”新收录 {len(new)} 项",
                     "en": f"Edition {model.edition} newly lists {len(new)} entr{'ies' if len(new) != 1 else 'y'} "
                           f"in direction {_direction_name(w.target, 'en')}"}
            out.append(raise_alert(users, w.watch_id, "edition_listed", model.edition, title,
                                   base | {"entries": [entry_evidence(e) for e in new]}, model.as_of))
    return [a for a in out if a]


def _successors(changes: dict, now: dict[str, dict]) -> dict[str, list[tuple[dict, str]]]:
    """``{topic id of the previous edition: [(entry of this edition descending from it, how)]}`` from the edition's
    lineage-based changes (`catalog.changes.diff_editions`): continued under another id, split or merged. A watched
    topic that split is then listed through its parts, not reported as dropped."""
    out: dict[str, list[tuple[dict, str]]] = {}
    for kind in ("continued", "split", "merged"):
        for item in changes.get(kind) or []:
            for origin in item.get("from") or []:
                if item["topic_id"] in now and origin["topic_id"] != item["topic_id"]:
                    out.setdefault(origin["topic_id"], []).append((now[item["topic_id"]], kind))
    return out


def _name(item: dict, lang: str) -> str:
    """A topic's or edition entry's name in `lang` (the names stage's), its keyword label only where it has none."""
    name = item.get("name") or {}
    return name.get(lang) or name.get("en") or item.get("label") or ""


def _direction_name(direction_id: str, lang: str) -> str:
    """A direction's name in `lang` (taxonomy), the id itself for an id the taxonomy does not hold."""
    from frontierwatch.catalog.taxonomy import load_taxonomy
    try:
        return load_taxonomy().direction(direction_id).name[lang]
    except (InputError, KeyError):
        return direction_id
