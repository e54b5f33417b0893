"""Atom feeds of editions, directions and the release hall, validated against the RFC 4287 RELAX NG grammar
(tests/samples/atom) on a real built store with a real edition and a real approved hall item."""
from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree

from frontierwatch.core import Observatory
from frontierwatch.hall import AchievementIn
from frontierwatch.settings import load_settings
from frontierwatch.web import create_app

SCHEMA = Path(__file__).resolve().parents[1] / "samples" / "atom" / "atom.rnc"
A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def atom_schema():
    import rnc2rng
    rng = rnc2rng.dumps(rnc2rng.load(str(SCHEMA))).replace('xmlns:local=""', "")  # lxml refuses an empty prefix
    return etree.RelaxNG(etree.fromstring(rng.encode()))


def valid(schema, body: bytes) -> etree._Element:
    doc = etree.fromstring(body)
    assert schema.validate(doc), schema.error_log
    # the grammar's two Schematron rules
    entries = doc.findall(f"{A}entry")
    assert doc.find(f"{A}author") is not None or all(e.find(f"{A}author") is not None for e in entries)
    for e in entries:
        assert e.find(f"{A}content") is not None or e.find(f"{A}link[@rel='alternate']") is not None
    ids = [e.findtext(f"{A}id") for e in entries]
    assert len(ids) == len(set(ids))
    return doc


def test_feeds_validate_in_both_languages(built_store, atom_schema):
    with Observatory(built_store) as obs:
        obs.catalog("2016H2", fmt="json", out=built_store / "e.json", min_size=5)
    obs = Observatory(built_store, load_settings(store=built_store))
    app = create_app(obs, obs.settings, secret_key="test-secret-key")
    hall = app.state.web.hall
    author, moderator = hall.create_user("author1", "correct horse battery", "submitter"), \
        hall.create_user("mod1", "correct horse battery", "moderator")
    item = hall.submit_achievement(author, AchievementIn(
        title="光纤激光器高功率合束", description="基于光纤激光器的高功率相干合束技术，输出功率超过十千瓦。",
        direction="manufacturing", trl=6, organisation="某研究所", contact="lab@example.org"))
    hall.decide(moderator, item, True, "")
    try:
        with TestClient(app) as client:
            for lang in ("zh", "en"):
                r = client.get(f"/feeds/editions.atom?lang={lang}")
                assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
                doc = valid(atom_schema, r.content)
                assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
                titles = [e.findtext(f"{A}title") for e in doc.findall(f"{A}entry")]
                assert titles == (["前沿技术推广目录 2016H2"] if lang == "zh" else ["Frontier technology catalog 2016H2"])

                topics = obs.topics()["topics"]
                direction = next(d for t in topics for d in (t["directions"] or []) if d != "outside")
                r = client.get(f"/feeds/directions/{direction}.atom?lang={lang}")
                assert r.status_code == 200, r.text[:500]
                doc = valid(atom_schema, r.content)
                listed = {e.findtext(f"{A}title").split()[0] for e in doc.findall(f"{A}entry")}
                assert listed == {t["id"] for t in topics if direction in (t["directions"] or [])}

                r = client.get(f"/feeds/hall.atom?lang={lang}")
                doc = valid(atom_schema, r.content)
                [entry] = doc.findall(f"{A}entry")
                assert "光纤激光器高功率合束" in entry.findtext(f"{A}title")
                assert entry.find(f"{A}link").get("href").endswith(f"/hall/items/{item}?lang={lang}")
            assert client.get("/feeds/directions/astrology.atom").status_code == 404
    finally:
        obs.close()
