"""The governance walk-through in a real browser (Debian chromium via Playwright, real uvicorn), in Chinese and
English: a submission touching a red line is flagged on arrival → the moderator's approval is refused with the
flags → a governance reviewer records an assessment → the moderator approves → a visitor asks for the contact →
the submitter accepts → the visitor sees it. Each user has a browser context of their own.

With ``FRONTIERWATCH_SCREENSHOTS=DIR`` the steps are saved as ``DIR/walkthrough-<lang>-<n>-<step>.png``;
``python scripts/governance_walkthrough.py`` runs this test that way and writes the walk-through's pictures to
``docs/screenshots/governance/`` (shown in ``docs/governance-walkthrough.md``).
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
PASSWORD = "walkthrough-password"
ITEM = {
    "zh": {"title": "人类胚胎碱基编辑平台", "field": "基因编辑", "organisation": "某生物医学实验室",
           "contact": "lab.contact@example.org",
           "description": "利用碱基编辑器在胚胎移植前编辑人类胚胎，纠正单基因致病突变；计划开展临床转化。",
           "rationale": "可遗传的人类胚胎编辑用于生殖属于伦理红线；仅批准作为不移植的体外研究发布，须附伦理审查批件。",
           "mitigation": "仅作为不移植的体外研究公开；对接前须出示伦理审查批件。", "message": "我们是某创投机构，希望了解体外研究的合作方式。"},
    "en": {"title": "Base-editing platform for human embryos", "field": "gene editing", "organisation": "A biomedical lab",
           "contact": "lab.contact@example.org",
           "description": "We edit human embryos with base editors before implantation to correct single-gene disease "
                          "mutations; clinical translation is planned.",
           "rationale": "Heritable editing of human embryos for reproduction is a red line; publish only as in-vitro "
                        "research without implantation, with the ethics approval attached.",
           "mitigation": "Public as in-vitro research without implantation only; ethics approval shown before any collaboration.",
           "message": "We are a venture fund and would like to discuss in-vitro research collaboration."},
}


def _shot(page, lang: str, n: int, name: str, selector: str | None = None) -> None:
    """Save the page (or only the element `selector`, for long pages) when FRONTIERWATCH_SCREENSHOTS names a folder."""
    folder = os.environ.get("FRONTIERWATCH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = str(Path(folder) / f"walkthrough-{lang}-{n}-{name}.png")
        if selector:
            page.locator(selector).screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=True)


def _as(browser, base: str, lang: str, username: str | None):
    """A page of a fresh browser context in `lang`, signed in as `username` (None: anonymous)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN" if lang == "zh" else "en-US")
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    page.goto(f"{base}/login?lang={lang}")
    if username:
        page.fill("#login-form input[name=username]", username)
        page.fill("#login-form input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.click("#login-form button[type=submit]")
    return page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_flag_assessment_approval_and_a_contact_request(live_server, hall, lang):
    base, text = live_server, ITEM[lang]
    for name, role in (("teamlab", "submitter"), ("moderator1", "moderator"), ("reviewer1", "governance"),
                       ("investor1", "viewer")):
        hall.create_user(name, PASSWORD, role, f"{name}@example.org")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            _walk(browser, base, lang, text, hall)
        finally:
            browser.close()


def _walk(browser, base: str, lang: str, text: dict, hall) -> None:
    zh = lang == "zh"
    # 1. The submitter publishes; screening flags the item on arrival.
    sub = _as(browser, base, lang, "teamlab")
    sub.goto(f"{base}/hall/submit/achievement")
    for field in ("title", "field", "organisation", "contact"):
        sub.fill(f"#submit-form [name={field}]", text[field])
    sub.fill("#submit-form [name=description]", text["description"])
    sub.select_option("#submit-form [name=direction]", "health")
    sub.select_option("#submit-form [name=trl]", "3")
    with sub.expect_navigation():
        sub.click("#submit-form button[type=submit]")
    item_url = sub.url.split("?")[0]
    item_id = item_url.rsplit("/", 1)[1]
    screening = sub.inner_text("#screening")
    assert ("人类生殖系基因编辑" in screening and "触及红线" in screening) if zh else \
        ("Human germline editing" in screening and "red line" in screening)
    _shot(sub, lang, 1, "flagged-on-arrival")

    # 2. The moderator tries to approve: refused, with the flags.
    mod = _as(browser, base, lang, "moderator1")
    mod.goto(f"{base}/hall/moderate")
    assert mod.locator(f"#item-{item_id} .screening").count() == 1
    with mod.expect_navigation():
        mod.click(f"#item-{item_id} button[value=approve]")
    blocked = mod.inner_text("#blocked")
    assert ("治理评审员" in blocked) if zh else ("governance reviewer" in blocked)
    _shot(mod, lang, 2, "approval-refused")

    # 3. The governance reviewer finds it waiting and records an assessment on the item page.
    gov = _as(browser, base, lang, "reviewer1")
    gov.goto(f"{base}/governance")
    assert gov.locator(f"#await-{item_id}").count() == 1
    gov.goto(item_url)
    form = gov.locator("#screening form.assess-form")
    form.locator("[name=category]").select_option("human_germline_editing")
    form.locator("[name=severity]").select_option("5")
    form.locator("[name=likelihood]").select_option("2")
    form.locator("[name=status]").select_option("mitigated")
    form.locator("[name=rationale]").fill(text["rationale"])
    form.locator("[name=mitigation]").fill(text["mitigation"])
    form.locator("[name=evidence]").fill("https://www.who.int/publications/i/item/9789240030381")
    with gov.expect_navigation():
        form.locator("button[type=submit]").click()
    history = gov.inner_text("#screening")
    assert text["rationale"][:20] in history and (("已缓解" in history and "高" in history) if zh else "mitigated" in history)
    _shot(gov, lang, 3, "assessed")

    # 4. Now the moderator approves; the item is public, without its contact.
    mod.goto(f"{base}/hall/moderate")
    with mod.expect_navigation():
        mod.click(f"#item-{item_id} button[value=approve]")
    anon = _as(browser, base, lang, None)
    anon.goto(item_url)
    assert text["contact"] not in anon.content() and anon.locator("#contact-form").count() == 0
    _shot(anon, lang, 4, "published-without-contact")
    gov.goto(f"{base}/governance")
    assert text["rationale"][:20] in gov.inner_text("#decisions")
    _shot(gov, lang, 5, "governance-decisions", "#decisions")

    # 5. A visitor asks for the contact; the submitter accepts; the visitor sees it.
    inv = _as(browser, base, lang, "investor1")
    inv.goto(item_url)
    inv.fill("#contact-form textarea[name=message]", text["message"])
    with inv.expect_navigation():
        inv.click("#contact-form button[type=submit]")
    assert ("请求已发送" in inv.content()) if zh else ("Request sent" in inv.content())
    _shot(inv, lang, 6, "contact-requested")
    sub.goto(f"{base}/account")
    assert text["message"][:10] in sub.inner_text("#contact-requests")
    _shot(sub, lang, 7, "contact-request-received")
    with sub.expect_navigation():
        sub.click("#contact-requests button[value=accept]")
    inv.goto(item_url)
    assert inv.inner_text("#contact") == text["contact"]
    _shot(inv, lang, 8, "contact-shown")
    gov.goto(f"{base}/governance")  # every step above is in the audit log: submit, refusal, assessment, approval
    assert gov.locator("#audit tbody tr").count() >= 4
    _shot(gov, lang, 9, "audit-log", "#audit")
    for page in (sub, mod, gov, anon, inv):
        assert page.errors == []
