"""A real browser (Debian chromium driven by Playwright) against a real uvicorn server on 127.0.0.1.

It loads every page, switches language, searches in Chinese and English, registers, submits an achievement
and a need, approves both as moderator and sees them public. With ``FRONTIERWATCH_SCREENSHOTS=DIR`` it also
saves screenshots of the main pages there (``docs/screenshots`` in the repository).
"""
from __future__ import annotations

import os
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
def server(live_server, hall):
    hall.create_user("moderator1", "moderator-password", "moderator")
    return live_server


@pytest.fixture
def browser_page():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors
        yield page
        browser.close()


def _shot(page, name: str) -> None:
    folder = os.environ.get("FRONTIERWATCH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#login-form input[name=username]", username)
    page.fill("#login-form input[name=password]", password)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")


def _sign_out(page) -> None:
    with page.expect_navigation():
        page.click("header form.inline button")


def test_pages_language_search_submit_approve(server, browser_page):
    page, base = browser_page, server
    for path in ("/", "/map", "/search", "/editions", "/methodology", "/hall", "/match", "/login",
                 "/directions/energy", "/topics/0", "/documents/arxiv:1001.3246"):
        response = page.goto(base + path)
        assert response.status == 200, path
        assert "未来产业瞭望站" in page.title(), path
    assert page.evaluate("typeof echarts") == "object"  # the vendored ECharts loaded offline
    page.goto(base + "/")
    _shot(page, "home-zh")

    with page.expect_navigation():
        page.click("#lang-switch")
    assert "Six directions of future industries" in page.content()
    page.goto(base + "/hall")
    assert "Release hall" in page.content()  # remembered by the cookie
    page.goto(base + "/?lang=en")
    _shot(page, "home-en")

    page.goto(base + "/search?lang=en")
    page.fill("#search-form input[name=q]", "neural networks")
    page.press("#search-form input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    assert "Salience-Affected Neural Networks" in page.inner_text("ol.results")
    _shot(page, "search-en")
    page.goto(base + "/search?lang=zh")
    page.fill("#search-form input[name=q]", "神经网络 neural")
    page.press("#search-form input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    assert "检索概念" in page.content() and "篇文献同时含有全部检索词" in page.inner_text("#search-total")

    page.goto(base + "/register")
    page.fill("#login-form input[name=username]", "teamlab")
    page.fill("#login-form input[name=password]", "teamlab-password")
    page.click("#login-form button[type=submit]")
    page.wait_for_url("**/hall")
    page.goto(base + "/hall/submit/achievement")
    page.fill("input[name=title]", "柔性钙钛矿太阳电池 flexible perovskite solar cell")
    page.fill("textarea[name=description]", "在柔性衬底上实现 24% 转换效率的钙钛矿电池，可卷对卷制备。")
    page.select_option("select[name=direction]", "energy")
    page.fill("input[name=field]", "光伏")
    page.select_option("select[name=trl]", "5")
    page.fill("input[name=organisation]", "示例实验室")
    page.fill("input[name=contact]", "pv@example.org")
    page.fill("textarea[name=links]", "https://example.org/pv")
    _shot(page, "hall-submit")
    with page.expect_navigation():
        page.click("#submit-form button[type=submit]")
    assert "待审核" in page.content()
    page.goto(base + "/hall/submit/scenario")
    page.fill("input[name=title]", "无人机巡检输电线路")
    page.fill("input[name=sector]", "电力")
    page.fill("textarea[name=problem]", "需要在山区对高压输电线路进行自动化巡检，识别绝缘子缺陷。")
    page.select_option("select[name=budget_band]", "1m_5m")
    page.fill("input[name=contact]", "grid@example.org")
    with page.expect_navigation():
        page.click("#submit-form button[type=submit]")
    assert "待审核" in page.content()
    _sign_out(page)

    _sign_in(page, base, "moderator1", "moderator-password")
    page.goto(base + "/hall/moderate")
    assert "无人机巡检输电线路" in page.content()
    _shot(page, "moderation")
    while page.locator("button[value=approve]").count():
        with page.expect_navigation():
            page.locator("button[value=approve]").first.click()
    assert "没有待审核的条目" in page.content()
    _sign_out(page)

    page.goto(base + "/hall?kind=achievement")
    assert "柔性钙钛矿太阳电池" in page.content()
    _shot(page, "hall")
    page.goto(base + "/hall?kind=scenario")
    with page.expect_navigation():
        page.click("text=无人机巡检输电线路")
    assert "供需对接" in page.content() and "电力" in page.content()
    _shot(page, "hall-need")
    page.goto(base + "/search?q=钙钛矿")
    assert "柔性钙钛矿太阳电池" in page.content()
    _shot(page, "search-zh")
    for path, name in (("/map", "map"), ("/topics/0", "topic"), ("/methodology", "methodology"),
                       ("/editions", "editions"), ("/match?q=无人机巡检", "match")):
        page.goto(base + path)
        _shot(page, name)
    assert page.errors == []
