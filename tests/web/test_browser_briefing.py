"""The topic page as a briefing, in a real browser (Debian chromium via Playwright) against a real uvicorn server
over a store built with the real stages from 1,504 real arXiv papers (tests/samples/topics): the stage and
growth in words, named scores, downloads, the map's colourings, document → topic links, in zh and en."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest


playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (make system-deps)")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture
def observatory(built_observatory):  # overrides tests/web/conftest.py's unbuilt store for this module
    return built_observatory


def test_topic_briefing_in_both_languages(live_server, observatory, tmp_path):
    listed = [t for t in observatory.topics(sort="forecast")["topics"] if not t["junk"]]
    tid = listed[0]["id"]
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        page.goto(f"{live_server}/topics/{tid}?lang=zh")
        briefing = page.inner_text(".briefing")
        assert "生命周期阶段" in briefing and "年度文献数" in briefing
        body = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
        assert "评估与预测" in body and "突破性" in body and ("基于" in body or "数据不足" in body)
        assert "growth1" not in body and "escore_owned" not in body  # named, not raw keys
        page.click("details summary")  # all signals, by name and meaning
        assert "两年占比增长" in page.inner_text("details")
        with page.expect_download() as got:
            page.click(f"a[href^='/topics/{tid}/series.csv']")
        saved = tmp_path / "series.csv"
        got.value.save_as(saved)
        assert saved.read_text(encoding="utf-8-sig").startswith("年份,文献数,")

        page.click("a.lang")  # the language switch keeps the page
        assert "Assessment and forecast" in page.inner_text("body") and "Lifecycle stage" in page.inner_text(".briefing")

        page.click("ol.docs li a")  # an evidence document links back to its topic
        assert page.query_selector(f"a[href^='/topics/{tid}?as_of=']") is not None

        for colour in ("direction", "stage"):
            page.goto(f"{live_server}/map?colour={colour}&lang=zh")
            page.wait_for_selector("#chart-map canvas")
        assert page.inner_text("b.chip") == "按生命周期阶段着色"
        assert not errors, errors
        browser.close()
