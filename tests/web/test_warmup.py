"""Precomputed pages (`frontierwatch.web.warmup`): what the server pins for a generation is what a request computes;
a swap to a new generation replaces them (precomputed before the swap), and a warm-up that finishes after a swap
is dropped. Real built store of the committed sample, real generations."""
from __future__ import annotations

import json

import pytest

from frontierwatch.core import Observatory
from frontierwatch.store import Store
from frontierwatch.store.generations import GenerationStore, publish
from frontierwatch.store.users import open_users
from frontierwatch.web.gateway import ObservatoryGateway
from frontierwatch.web.generation_watch import GenerationWatcher, prepare_for_serving
from frontierwatch.web.warmup import Warmup, precompute


def _same(a, b) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


@pytest.fixture
def served(built_store, store_copy):
    path = store_copy(built_store)
    users = open_users(path)
    gen = publish(path, prepare_for_serving)
    obs = Observatory(GenerationStore(path, gen, users))
    gateway = ObservatoryGateway(obs)
    yield path, gen, users, obs, gateway
    obs.close()
    users.close()


def test_the_warm_up_pins_every_topic_page_as_a_request_computes_it(served):
    path, gen, users, obs, gateway = served
    warmup = Warmup(gateway, lambda g: GenerationStore(path, g, users), obs.settings)
    assert warmup.state() == {"state": "idle"}
    warmup.start(gen).join(timeout=600)
    state = warmup.state()
    assert state["state"] == "ready" and state["generation"] == gen.number
    ids = [t["id"] for t in obs.topics()["topics"]]
    assert ids and state["topic_pages"] == state["of"] == len(ids)
    for tid in ids:
        page = gateway.topic(tid)
        assert page is gateway._pinned[("topic", tid, None)]  # served from the pinned pages
        assert _same(page, obs.topic(tid))  # … which are exactly what the request would compute
    assert _same(gateway.topics(), obs.topics())
    gateway.clear_cache(keep_stage_reads=False)  # a hall write does not drop them: they are stage reads
    assert gateway.topic(ids[0]) is gateway._pinned[("topic", ids[0], None)]


def test_a_swap_serves_the_new_generations_pages_and_a_late_warm_up_is_dropped(served):
    path, gen, users, obs, gateway = served
    assert gateway.pin(precompute(obs), gen.number)
    tid = obs.topics()["topics"][0]["id"]
    old_name = gateway.topic(tid)["name"]["en"]
    with Store(path) as pipeline:  # a batch command changes the data the server copied
        pipeline.con.execute("UPDATE topic_names SET name_en = name_en || ' (renamed)'")
    watcher = GenerationWatcher(path, gateway, users)
    try:
        assert watcher.check()  # published, precomputed, swapped
        new = obs.store.generation
        assert new.number > gen.number
        page = gateway.topic(tid)
        assert page is gateway._pinned[("topic", tid, None)] and page["name"]["en"] == f"{old_name} (renamed)"
        assert not gateway.pin({("topic", tid, None): {"stale": True}}, gen.number)  # the old generation's
        assert gateway.topic(tid)["name"]["en"] == f"{old_name} (renamed)"
    finally:
        watcher.stop()
