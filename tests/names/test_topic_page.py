"""The topic page as its reader sees it: the name and the one-paragraph description in the page's language."""
from __future__ import annotations

import html
import json
import re
from datetime import date

from fastapi.testclient import TestClient

from frontierwatch.core import Observatory
from frontierwatch.names import build_topic_names, read_topic_names
from frontierwatch.settings import load_settings


def test_topic_page_leads_with_the_name_and_description(names_store):
    from frontierwatch.web.app import create_app

    result = build_topic_names(names_store, date(2017, 12, 31))
    names = read_topic_names(names_store, result["map_id"])
    tid, row = next((t, r) for t, r in sorted(names.items()) if r["name"]["zh"])
    path = names_store.path
    names_store.close()
    with Observatory(path, load_settings(store=path)) as obs:
        app = create_app(obs, obs.settings, secret_key="test-secret-key")
        with TestClient(app, headers={"accept": "text/html"}) as client:
            zh = html.unescape(client.get(f"/topics/{tid}?lang=zh").text)
            en = html.unescape(client.get(f"/topics/{tid}?lang=en").text)
            listed = html.unescape(client.get("/map?lang=zh").text)
    assert re.search(rf"<h1>{re.escape(row['name']['zh'])}</h1>", zh) and row["summary"]["zh"] in zh
    assert re.search(rf"<h1>{re.escape(row['name']['en'])}</h1>", en) and row["summary"]["en"] in en
    assert json.dumps(row["name"]["zh"])[1:-1] in listed     # the map's points (JSON) carry the names too
