"""Search filters and highlights, and matchmaking's "no good match", in a real browser (Debian chromium via
Playwright) against a real uvicorn server over a store built with the real stages from 1,504 real arXiv papers
(tests/samples/topics), in zh and en. With ``FRONTIERWATCH_SCREENSHOTS=DIR`` it saves the search and match pages
there (``docs/screenshots`` in the repository)."""
from __future__ import annotations

import os
import re
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


def _shot(page, name: str) -> None:
    folder = os.environ.get("FRONTIERWATCH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _total(page) -> int:
    return int(re.search(r"[\d,]+", page.inner_text("#search-total")).group(0).replace(",", ""))


def test_search_filters_and_highlights_then_match_says_no_good_match(live_server):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        page.goto(f"{live_server}/search?lang=zh")
        page.fill("#search-form input[name=q]", "神经网络")
        page.press("#search-form input[name=q]", "Enter")
        page.wait_for_url("**/search?q=*")
        everything = _total(page)
        assert everything > 5 and "篇文献同时含有全部检索词" in page.inner_text("#search-total")
        assert "neural network" in page.inner_text("#search-concepts")  # the Chinese term's English form
        marks = [m.inner_text().lower() for m in page.query_selector_all("ol.results mark")]
        assert marks and all("neural" in m or "network" in m or "神经网络" in m for m in marks)
        assert "经译名命中" in page.inner_text("ol.results")
        labels = page.inner_text("#search-filters")
        assert "起始年份" in labels and "来源" in labels and "year_from" not in labels
        years = sorted(int(y) for y in re.findall(r"\b(20\d\d)\b", page.inner_text("ol.results")))
        pivot = years[len(years) // 2]
        page.fill("#search-filters input[name=year_from]", str(pivot))
        with page.expect_navigation():
            page.click("#search-filters button[type=submit]")
        assert f"year_from={pivot}" in page.url
        later = _total(page)
        assert 0 < later <= everything
        shown = [int(y) for y in re.findall(r"\b((?:19|20)\d\d) ·", page.inner_text("ol.results"))]
        assert shown and min(shown) >= pivot
        _shot(page, "search-zh")

        page.click("a.lang")  # the same search in English keeps its filters
        assert "documents hold every search term" in page.inner_text("#search-total") and _total(page) == later
        assert "From year" in page.inner_text("#search-filters")
        _shot(page, "search-en")

        page.goto(f"{live_server}/match?lang=zh")
        page.fill("#match-form input[name=q]", "量子密钥分发用于银行网络安全")
        with page.expect_navigation():
            page.press("#match-form input[name=q]", "Enter")
        body = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
        assert "匹配度" in body and "含义" in body and "multilingual" not in body and "bm25" not in body
        assert "作者团队" in body  # arXiv documents carry no affiliations: teams are authors, and labelled so
        _shot(page, "match")
        page.goto(f"{live_server}/match?lang=zh&q=" + "我想吃火锅")
        assert "没有合适的匹配" in page.inner_text("#match-no-good")
        assert page.query_selector("ol.results") is None
        _shot(page, "match-no-good-zh")
        page.goto(f"{live_server}/match?lang=en&q=" + "tokamak plasma instability control")
        body = page.inner_text("main") if page.query_selector("main") else page.inner_text("body")
        assert "match strength" in body and "in meaning" in body and "plasma" in body.lower()
        assert not any(key in body for key in ("bm25", "multilingual", "'documents'", "static"))  # words, not keys
        _shot(page, "match-en")
        page.goto(f"{live_server}/match?lang=en&q=asdf+qwer+zxcv")
        assert page.inner_text("#match-no-good").startswith("No good match")
        assert not errors, errors
        browser.close()
