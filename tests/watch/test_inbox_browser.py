"""Watch → update → alert in the inbox, in a real browser (Debian chromium, Playwright) against a real uvicorn
server on a real built store: a user adds a saved search on the inbox page, the monthly update brings the 2017
papers, the alert appears with its evidence, and is marked read — in Chinese and in English."""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from frontierwatch.core import Observatory
from frontierwatch.settings import load_settings
from frontierwatch.web import create_app

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed (make system-deps)")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


@pytest.fixture
def served(built_store):
    import uvicorn

    obs = Observatory(built_store, load_settings(store=built_store))
    app = create_app(obs, obs.settings, secret_key="test-secret-key")
    app.state.web.hall.create_user("scout1", "correct horse battery", "viewer")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app.state.web.gateway
    server.should_exit = True
    thread.join(10)
    obs.close()


def _shot(page, name: str) -> None:
    folder = os.environ.get("FRONTIERWATCH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_watch_update_alert_in_the_inbox(served, split_sample):
    base, gateway = served
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        page.goto(f"{base}/login?lang=zh")
        page.fill("#login-form input[name=username]", "scout1")
        page.fill("#login-form input[name=password]", "correct horse battery")
        with page.expect_navigation():
            page.click("#login-form button[type=submit]")
        page.click("#nav-inbox")
        assert page.locator("#no-alerts").is_visible()
        page.select_option("#add-watch select[name=kind]", "query")
        page.fill("#add-watch input[name=target]", "neural networks")
        with page.expect_navigation():
            page.click("#add-watch button[type=submit]")
        assert "neural networks" in page.inner_text("#watches")

        with gateway.lock:  # the monthly update, run by the operator while the site is up
            report = gateway.obs.update([split_sample[1]], forecast=False)
        gateway.clear_cache()
        assert report["alerts"]["raised"] == 1

        page.goto(f"{base}/inbox?lang=zh")
        row = page.locator("tr.alert.unread")
        assert row.count() == 1 and "篇新文献匹配检索式“neural networks”" in row.inner_text()
        row.locator("summary").click()
        assert row.locator("details li").count() >= 1
        _shot(page, "inbox-zh")
        page.goto(f"{base}/inbox?lang=en")
        assert "match the saved search \"neural networks\"" in page.inner_text("tr.alert")
        _shot(page, "inbox-en")
        with page.expect_navigation():
            page.click("tr.alert button.mark")
        assert page.locator("tr.alert.read").count() == 1 and page.locator("tr.alert.unread").count() == 0
        browser.close()
