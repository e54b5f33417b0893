"""Lineage runs forward in time whatever order maps are built in, and the default as-of date ignores stragglers
(real sample: 1,504 arXiv papers of 2014–2017; the straggler is a real OpenAlex work dated 2023-02-01)."""
from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from frontierwatch.embed import embed_documents
from frontierwatch.sources import ingest
from frontierwatch.store.periods import complete_period, default_as_of, update_as_of
from frontierwatch.topics import build_topics
from frontierwatch.topics.lineage import lineage_links
from frontierwatch.topics.tables import map_chain

N_TOPICS = 12

DATES = (date(2015, 12, 31), date(2016, 12, 31), date(2017, 12, 31))
OPENALEX = Path(__file__).resolve().parents[1] / "samples" / "openalex" / "works-2022-schema-sample.json.gz"


def _maps(store) -> dict:
    """``{as_of: (map_id, prev_map_id)}``."""
    return {d: (m, p) for m, d, p in store.con.execute("SELECT map_id, as_of, prev_map_id FROM topic_maps").fetchall()}


def _events(store, map_id: int) -> Counter:
    """The lineage of a map without its ids: (event, jaccard, shared documents) counted."""
    return Counter(store.con.execute("SELECT event, jaccard, shared_docs FROM topic_lineage WHERE map_id = ?",
                                     [map_id]).fetchall())


def _build(store, order, n_topics=(N_TOPICS, N_TOPICS + 2, N_TOPICS + 4)):
    sizes = dict(zip(DATES, n_topics))
    for d in order:
        build_topics(store, as_of=d, n_topics=sizes[d])
    return _maps(store)


def test_maps_built_out_of_date_order_chain_forward(topic_store, store_copy, _embedded_store_dir):
    maps = _build(topic_store, (DATES[2], DATES[0], DATES[1]))     # 2017 first, then 2015, then 2016 in between
    (m15, p15), (m16, p16), (m17, p17) = (maps[d] for d in DATES)
    assert p15 is None and p16 == m15 and p17 == m16
    assert map_chain(topic_store, m17) == [m17, m16, m15]
    as_of = {m: d for d, (m, _) in maps.items()}
    rows = topic_store.con.execute("SELECT DISTINCT map_id, prev_map_id FROM topic_lineage").fetchall()
    assert rows and all(as_of[prev] < as_of[m] for m, prev in rows)          # every row runs forward in time
    assert topic_store.con.execute("SELECT count(*) FROM topic_lineage WHERE map_id = ?", [m15]).fetchone()[0] == 0
    # each row's ids belong to its two maps
    for m, prev in rows:
        ids = {t for (t,) in topic_store.con.execute("SELECT topic_id FROM topics WHERE map_id = ?", [m]).fetchall()}
        old = {t for (t,) in topic_store.con.execute("SELECT topic_id FROM topics WHERE map_id = ?", [prev]).fetchall()}
        got = topic_store.con.execute("SELECT topic_id, prev_topic_id FROM topic_lineage WHERE map_id = ?", [m]).fetchall()
        assert {t for t, _ in got if t} == ids and {p for _, p in got if p} <= old

    # the same lineage (ids aside) as maps built in date order
    in_order = store_copy(_embedded_store_dir, open=True)
    ordered = _build(in_order, DATES)
    for d in DATES[1:]:
        assert _events(topic_store, maps[d][0]) == _events(in_order, ordered[d][0])


def test_lineage_links_compose_along_the_chain(topic_store):
    maps = _build(topic_store, (DATES[2], DATES[0], DATES[1]))
    m15, m16, m17 = (maps[d][0] for d in DATES)
    links = lineage_links(topic_store, m15, m17)
    ids17 = {t for (t,) in topic_store.con.execute("SELECT topic_id FROM topics WHERE map_id = ?", [m17]).fetchall()}
    ids15 = {t for (t,) in topic_store.con.execute("SELECT topic_id FROM topics WHERE map_id = ?", [m15]).fetchall()}
    assert set(links) == ids17 and set().union(*links.values()) <= ids15
    one = lineage_links(topic_store, m16, m17)
    two = lineage_links(topic_store, m15, m16)
    assert links == {t: set().union(*(two[p] for p in ps)) if ps else set() for t, ps in one.items()}
    assert lineage_links(topic_store, m17, m15) is None            # lineage never runs backwards


def test_default_as_of_ignores_a_straggler(topic_store):
    assert default_as_of(topic_store) == date(2017, 12, 31)
    newest_before = topic_store.con.execute("SELECT max(published) FROM documents").fetchone()[0]
    ingest(topic_store, [OPENALEX])
    embed_documents(topic_store)
    newest = topic_store.con.execute("SELECT max(published) FROM documents").fetchone()[0]
    assert newest == date(2023, 2, 1)                               # Handbook of Random Forests, W4200035428
    assert default_as_of(topic_store) == date(2017, 12, 31)
    assert update_as_of(topic_store) == max(newest_before, topic_store.con.execute(
        "SELECT max(published) FROM documents WHERE published <= DATE '2017-12-31'").fetchone()[0])
    info = build_topics(topic_store, n_topics=N_TOPICS)
    assert info.as_of == date(2017, 12, 31)


def test_complete_period_rule():
    demo_years = [(2017, 3087), (2018, 3889), (2019, 4681), (2020, 469), (2021, 1742), (2022, 78), (2023, 1)]
    assert complete_period(demo_years, 3) == 2019
    assert complete_period([(2016, 10)], 3) == 2016                  # the first period stands alone
    assert complete_period([(2010, 500), (2011, 520), (2016, 3)], 3) == 2011   # a straggler after empty years
    assert complete_period([(2018, 100), (2019, 40)], 3) == 2018     # a harvest still filling its last year
    thin_tail = [(2014, 376), (2015, 376), (2016, 376), (2017, 379), (2018, 1), (2019, 1), (2020, 2), (2021, 2),
                 (2022, 31), (2023, 1)]                                # the arXiv sample + the OpenAlex sample
    assert complete_period(thin_tail, 3) == 2017
    # two samples of different size: the later one's steady years are complete after the earlier one's peak
    assert complete_period([(2010, 1200), (2012, 306)], 3) == 2010
    assert complete_period([(2010, 1200), (2012, 306), (2014, 376), (2015, 376), (2016, 376), (2017, 376)], 3) == 2017
    assert complete_period([], 3) is None
