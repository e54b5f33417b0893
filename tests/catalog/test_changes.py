"""What changed between editions follows the topic lineage (real store of the catalog tests: maps as of 2016-12-31
and 2017-12-31 of 24 topics each, with their real lineage): a split is a split, not "new" + "dropped"."""
from __future__ import annotations

import copy

from frontierwatch.catalog import diff_editions, load_edition
from frontierwatch.catalog.changes import CHANGE_KINDS
from frontierwatch.topics.lineage import lineage_links


def _maps(store) -> tuple[int, int]:
    got = dict(store.con.execute("SELECT strftime(as_of, '%Y'), map_id FROM topic_maps").fetchall())
    return got["2016"], got["2017"]


def _entry(store, map_id: int, topic_id: str, rank: int) -> dict:
    label = store.con.execute("SELECT label FROM topics WHERE map_id = ? AND topic_id = ?", [map_id, topic_id]).fetchone()[0]
    return {"topic_id": topic_id, "label": label, "name": {"zh": label, "en": label}, "overall_rank": rank,
            "field": {"key": "f", "name": {"zh": "领域", "en": "field"}}}


def test_stored_edition_changes_follow_the_lineage(edition_store):
    first, second = load_edition(edition_store, "2016H2"), load_edition(edition_store, "2017H2")
    m16, m17 = _maps(edition_store)
    links = lineage_links(edition_store, m16, m17)
    changes = second.changes
    assert changes["followed_lineage"] and changes == diff_editions(first, second, links)
    before, after = {e["topic_id"] for e in first.entries}, {e["topic_id"] for e in second.entries}
    listed_now = {c["topic_id"] for k in ("continued", "split", "merged", "new") for c in changes[k]}
    assert listed_now == after
    assert {c["topic_id"] for c in changes["new"]} == {t for t in after - before if not links[t] & before}
    followed = {o["topic_id"] for k in ("continued", "split", "merged") for c in changes[k] for o in c["from"]}
    assert {c["topic_id"] for c in changes["dropped"]} == before - after - followed
    for c in changes["risen"]:
        assert c["rank"] < c["previous_rank"]


def test_a_real_split_is_reported_as_a_split(edition_store):
    m16, m17 = _maps(edition_store)
    links = lineage_links(edition_store, m16, m17)
    children: dict[str, set[str]] = {}
    for child, parents in links.items():
        for p in parents:
            children.setdefault(p, set()).add(child)
    parent = min((p for p, c in children.items() if len(c) > 1), key=lambda p: (-len(children[p]), p))
    kids = sorted(children[parent])
    first, second = load_edition(edition_store, "2016H2"), load_edition(edition_store, "2017H2")
    prev, cur = copy.deepcopy(first), copy.deepcopy(second)
    prev.entries = [_entry(edition_store, m16, parent, 1)]
    cur.entries = [_entry(edition_store, m17, k, i + 1) for i, k in enumerate(kids)]
    got = diff_editions(prev, cur, links)
    by_kind = {k: [c["topic_id"] for c in got[k]] for k in CHANGE_KINDS}
    # each child that still is the parent's id continues; the others are split off it; nothing is new or dropped
    assert by_kind["dropped"] == [] and by_kind["new"] == []
    split = [k for k in kids if k != parent and len(links[k]) == 1]
    assert by_kind["split"] == split and split
    assert all(c["from"][0]["topic_id"] == parent for c in got["split"])
    # by ids alone the same editions read as new + dropped
    naive = diff_editions(prev, cur)
    assert {c["topic_id"] for c in naive["new"]} == set(kids) - {parent} and not naive["followed_lineage"]


def test_topic_page_and_edition_page_show_the_lineage_in_the_readers_language(edition_store_dir, store_copy):
    """The topic page says how a topic came from the earlier map and what it became, by name, with links to the other
    map's topic; the online edition lists what changed by kind. Real HTTP through the web app, zh and en."""
    import re

    from fastapi.testclient import TestClient

    from frontierwatch.core import Observatory
    from frontierwatch.settings import load_settings
    from frontierwatch.web import create_app

    path = store_copy(edition_store_dir)
    with Observatory(path, load_settings(store=path)) as obs:
        split = obs.store.con.execute("SELECT topic_id, prev_topic_id FROM topic_lineage WHERE event = 'split' "
                                      "ORDER BY topic_id LIMIT 1").fetchone()
        assert split, "the real 2016 → 2017 lineage holds a split"
        child, parent = split
        names = {lang: obs.store.con.execute(
            f"SELECT n.name_{lang} FROM topic_names n JOIN topic_maps m USING (map_id) "
            "WHERE m.as_of = DATE '2016-12-31' AND n.topic_id = ?", [parent]).fetchone()[0] for lang in ("zh", "en")}
        with TestClient(create_app(obs, obs.settings, secret_key="k"), headers={"accept": "text/html"}) as client:
            zh = client.get(f"/topics/{child}?as_of=2017-12-31&lang=zh").text
            en = client.get(f"/topics/{child}?as_of=2017-12-31&lang=en").text
            assert "主题谱系" in zh and "分化而来" in zh and names["zh"] in zh and "成员重合" in zh
            assert "Lineage" in en and "split off" in en and names["en"] in en and "shared documents" in en
            assert f"/topics/{parent}?as_of=2016-12-31" in zh and f"/topics/{parent}?as_of=2016-12-31" in en
            back = client.get(f"/topics/{parent}?as_of=2016-12-31&lang=zh").text
            assert "分化出" in back and f"/topics/{child}?as_of=2017-12-31" in back
            page = client.get("/editions/2017H2/zh?lang=zh").text
            assert "按主题谱系判定" in page
            assert not re.search(r"\b(continued|split off|merged from)\b", page)
