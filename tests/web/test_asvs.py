"""OWASP ASVS 4.0.3 level-1 requirements that apply to the web app, each checked here (or where named).

Authentication (V2)
- 2.1.1 passwords of at least 12 characters; 2.1.2 up to 128 and more allowed (256) — `test_password_length`.
- 2.2.1 anti-automation: per (IP, name) rate limit and lock-out with back-off after 5 failures, even for the right
  password — `test_login_lock_out_with_back_off`; unknown names behave the same (no account enumeration).
- 2.4.1 passwords stored as argon2id hashes — tests/hall/test_accounts.py.
- 2.5.1 / 2.5.2 / 2.5.6 recovery: a random single-use token e-mailed through SMTP, valid one hour, stored only as
  a digest; no hints or questions; the same answer whether or not the account exists; using it ends every
  session — `test_password_reset_over_http` (and tests/hall/test_trust.py).
Sessions (V3)
- 3.2.1 a new session token at every sign-in; a session id planted before sign-in is never promoted and the
  browser's previous session is revoked (session fixation) — `test_session_fixation`.
- 3.3.1 logout ends the session server side — tests/web/test_security.py::test_logout_ends_the_session.
- 3.4.1 Secure, 3.4.2 HttpOnly, 3.4.3 SameSite=Lax, 3.4.5 Path=/ on the session cookie — `test_cookie_flags`.
Access control (V4)
- 4.1.1 / 4.1.3 enforced on the server, least privilege (moderator and governance duties apart) — `test_roles`.
- 4.2.1 every object id is authorised (hall items, edits, contact requests, assessments, notifications): another
  user's object answers as if it did not exist (IDOR) — `test_object_ids_are_authorised`.
- 4.2.2 CSRF on every state-changing route: the test walks *all* POST/PUT routes of the app and sends each, as
  a signed-in user, without and with a wrong token — `test_every_state_changing_route_checks_csrf`.
Validation and encoding (V5)
- 5.1.3 / 5.1.4 input validated by typed models with bounds (422 with a message in both languages).
- 5.2.1 / 5.3.3 untrusted text (titles, rationale, notes, contact messages, register entries) is HTML-escaped in
  every page — `test_output_encoding`; 5.3.4 SQL is parameterised — tests/web/test_security.py.
Errors, data, API (V7, V8, V13)
- 7.1.1 no passwords or reset tokens in logs (the mailer logs the recipient's domain only) — `test_no_secrets_logged`.
- 8.3.1 personal data (contacts, e-mails, user ids) never reaches anonymous readers —
  tests/web/test_public_privacy.py walks every public endpoint and page.
- 13.2.3 cookie-authenticated REST writes need the CSRF header; bearer-token calls need none.
Configuration (V14)
- 14.4.1 content types with charset; 14.4.3 a CSP without inline scripts; 14.4.4 nosniff; 14.4.5 HSTS when served
  over TLS; 14.4.6 Referrer-Policy; 14.4.7 frame-ancestors 'none' / X-Frame-Options — `test_security_headers`.
- schemathesis over the whole OpenAPI schema stays at 0 failures — tests/web/test_openapi_fuzz.py.

Not met, and why: 4.3.1 (multi-factor authentication for administrative interfaces) — the product has no second
factor yet; 2.1.7 (checking passwords against breached-password lists) needs a list the offline product does not
ship. 9.1.1 (TLS) belongs to the deployment (a reverse proxy); `secure_cookies=True` and HSTS assume it.
"""
from __future__ import annotations

import logging
import re

from fastapi.testclient import TestClient

from frontierwatch.web import create_app
from tests.web.conftest import ACHIEVEMENT, PASSWORD, app_routes, csrf_of, sign_in

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_password_length(client):
    token = csrf_of(client.get("/register").text)
    r = client.post("/register", data={"username": "shorty", "password": "elevenchars", "csrf_token": token})
    assert r.status_code == 400 and "12" in r.text
    r = client.post("/register", data={"username": "longpass", "password": "x" * 200, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303


def test_login_lock_out_with_back_off(app, make_user):
    make_user("locked", "submitter")
    with TestClient(app, headers={"accept": "text/html"}, client=("10.0.0.1", 5000)) as c:
        codes = []
        for i in range(6):
            c.app.state.web.login_limiter._buckets.clear()  # isolate the lock-out from the per-minute bucket
            token = csrf_of(c.get("/login").text)
            codes.append(c.post("/login", data={"username": "locked", "password": "wrong password",
                                                "csrf_token": token}).status_code)
        assert codes == [401] * 5 + [429]
        token = csrf_of(c.get("/login").text)
        r = c.post("/login", data={"username": "locked", "password": PASSWORD, "csrf_token": token})
        assert r.status_code == 429 and "分钟后再试" in r.text  # even the right password waits


def test_session_fixation(app, make_user, hall):
    victim = make_user("victim", "submitter")
    attacker = make_user("attacker", "submitter")
    planted = hall.open_session(attacker)
    with TestClient(app, headers={"accept": "text/html"}) as c:
        c.cookies.set("fw_session", app.state.web.signer.session_cookie(planted.session_id))
        token = csrf_of(c.get("/login").text)
        r = c.post("/login", data={"username": "victim", "password": PASSWORD, "csrf_token": token},
                   follow_redirects=False)
        new_sid = app.state.web.signer.session_id(r.cookies.get("fw_session"))
        assert new_sid and new_sid != planted.session_id
        assert hall.user_for_session(planted.session_id) is None  # the planted session is revoked
        assert hall.user_for_session(new_sid).user_id == victim.user_id
    with TestClient(app, headers={"accept": "text/html"}) as c:  # an id that is no session is never adopted
        c.cookies.set("fw_session", app.state.web.signer.session_cookie("chosen-by-attacker"))
        assert c.get("/api/v1/me").json() == {"user": None}
        token = csrf_of(c.get("/login").text)
        r = c.post("/login", data={"username": "victim", "password": PASSWORD, "csrf_token": token},
                   follow_redirects=False)
        assert app.state.web.signer.session_id(r.cookies.get("fw_session")) not in (None, "chosen-by-attacker")


def test_cookie_flags(observatory, make_user):
    app = create_app(observatory, observatory.settings, secret_key="k", secure_cookies=True)
    app.state.web.hall.create_user("secure_user", PASSWORD, "submitter")
    with TestClient(app, base_url="https://testserver", headers={"accept": "text/html"}) as c:
        first = c.get("/login")
        assert "Secure" in first.headers["set-cookie"] and "HttpOnly" in first.headers["set-cookie"]
        r = c.post("/login", data={"username": "secure_user", "password": PASSWORD, "csrf_token": csrf_of(first.text)},
                   follow_redirects=False)
        cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie" and v.startswith("fw_session="))
        for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/"):
            assert flag.lower() in cookie.lower(), flag
        assert r.headers["strict-transport-security"].startswith("max-age=")


def test_security_headers(client):
    for url in ("/", "/governance", "/api/v1/governance/register", "/hall/items/99999"):
        h = client.get(url).headers
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"
        assert h["referrer-policy"] == "same-origin"
        csp = h["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp.split(
            "script-src")[1].split(";")[0]
        assert "charset=utf-8" in h["content-type"] or h["content-type"] == "application/json"


def test_every_state_changing_route_checks_csrf(app, make_user):
    make_user("root", "admin")
    reads_by_post = {"/api/v1/match"}  # a long query sent as a body: it changes nothing
    writes = [(p, m) for p, methods in app_routes(app) for m in methods & {"POST", "PUT", "PATCH", "DELETE"}
              if p not in reads_by_post]
    assert len(writes) >= 24
    with TestClient(app, headers={"accept": "text/html"}) as c:
        sign_in(c, "root")
        for path, method in writes:
            url = re.sub(r"{\w+(?::\w+)?}", "1", path.replace("{kind}", "achievement"))
            for headers, data in (({}, {}), ({"x-csrf-token": "forged"}, {"csrf_token": "forged"})):
                if path.startswith("/api/"):
                    r = c.request(method, url, json={}, headers=headers)
                else:
                    r = c.request(method, url, data=data, headers=headers)
                assert r.status_code == 403, (method, path, r.status_code)
    with TestClient(app, headers={"accept": "text/html"}) as anon:  # sign-in, registration, reset: anonymous forms
        for url in ("/login", "/register", "/password/forgot", "/password/reset"):
            assert anon.post(url, data={"username": "root", "login": "root"}).status_code == 403, url


def test_roles(signed_in):
    gov, gcsrf = signed_in("governance")
    sub, scsrf = signed_in("submitter")
    item_id = sub.post("/api/v1/achievements", json=ACHIEVEMENT, headers={"x-csrf-token": scsrf}).json()["item_id"]
    assert gov.post(f"/api/v1/moderation/{item_id}", json={"decision": "approve"},
                    headers={"x-csrf-token": gcsrf}).status_code == 403
    assert gov.get("/hall/moderate").status_code == 200  # reviewers read the queue to assess
    assert gov.get("/admin/users").status_code == 403


def test_object_ids_are_authorised(signed_in, hall):
    owner, ocsrf = signed_in("submitter", "owner")
    other, xcsrf = signed_in("submitter", "other")
    item_id = owner.post("/api/v1/achievements", json=ACHIEVEMENT, headers={"x-csrf-token": ocsrf}).json()["item_id"]
    assert other.get(f"/api/v1/hall/{item_id}").status_code == 404
    assert other.get(f"/hall/items/{item_id}").status_code == 404
    assert other.put(f"/api/v1/achievements/{item_id}", json=ACHIEVEMENT, headers={"x-csrf-token": xcsrf}).status_code == 404
    assert other.get(f"/hall/items/{item_id}/edit").status_code == 404
    assert other.get("/api/v1/assessments", params={"target_kind": "hall_item", "target_id": item_id}).json() == {
        "assessments": []}
    mod, mcsrf = signed_in("moderator")
    mod.post(f"/api/v1/moderation/{item_id}", json={"decision": "approve"}, headers={"x-csrf-token": mcsrf})
    assert "contact" not in other.get(f"/api/v1/hall/{item_id}").json()
    r = other.post(f"/api/v1/hall/{item_id}/contact-requests", json={"message": "We would like a pilot."},
                   headers={"x-csrf-token": xcsrf})
    request_id = r.json()["request_id"]
    assert other.post(f"/api/v1/contact-requests/{request_id}", json={"decision": "accept"},
                      headers={"x-csrf-token": xcsrf}).status_code == 404  # only the owner decides
    assert other.get("/api/v1/contact-requests").json() == {"requests": []}
    assert owner.post(f"/api/v1/contact-requests/{request_id}", json={"decision": "accept"},
                      headers={"x-csrf-token": ocsrf}).json()["status"] == "accepted"
    assert other.get(f"/api/v1/hall/{item_id}").json()["contact"] == ACHIEVEMENT["contact"]
    assert [n["kind"] for n in other.get("/api/v1/notifications").json()["notifications"]] == ["contact_accepted"]


def test_output_encoding(client, signed_in):
    sub, scsrf = signed_in("submitter")
    item_id = sub.post("/api/v1/achievements", json=ACHIEVEMENT | {"title": "Face recognition " + XSS},
                       headers={"x-csrf-token": scsrf}).json()["item_id"]
    gov, gcsrf = signed_in("governance")
    gov.post("/api/v1/assessments", headers={"x-csrf-token": gcsrf}, json={
        "target_kind": "hall_item", "target_id": str(item_id), "severity": 2, "likelihood": 2, "status": "accepted",
        "rationale": "Rationale " + XSS, "mitigation": XSS})
    gov.post("/api/v1/governance/register", headers={"x-csrf-token": gcsrf}, json={
        "kind": "policy", "title_en": XSS, "body_en": XSS, "title_zh": XSS, "body_zh": XSS})
    mod, mcsrf = signed_in("moderator")
    mod.post(f"/api/v1/moderation/{item_id}", json={"decision": "approve", "note": XSS}, headers={"x-csrf-token": mcsrf})
    viewer, vcsrf = signed_in("viewer")
    viewer.post(f"/api/v1/hall/{item_id}/contact-requests", json={"message": "Hello " + XSS},
                headers={"x-csrf-token": vcsrf})
    for c, url in ((client, "/governance"), (gov, "/governance"), (client, f"/hall/items/{item_id}"),
                   (sub, f"/hall/items/{item_id}"), (sub, "/account"), (gov, f"/hall/items/{item_id}")):
        html = c.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html, url
    assert "&lt;script&gt;" in sub.get("/account").text


def test_password_reset_over_http(observatory, smtp_server, smtp_settings):
    settings = smtp_settings.model_copy(update={"public_url": "https://fw.example.org"})
    app = create_app(observatory, settings, secret_key="k")
    app.state.web.hall.create_user("resetme", PASSWORD, "submitter", "resetme@example.org")
    with TestClient(app, headers={"accept": "text/html"}) as c:
        for login in ("resetme", "nobody-at-all"):
            r = c.post("/password/forgot", data={"login": login, "csrf_token": csrf_of(c.get("/password/forgot").text)})
            assert r.status_code == 200 and 'id="reset-sent"' in r.text  # the same answer either way
        assert len(smtp_server["messages"]) == 1
        link = re.search(r"https://fw\.example\.org/password/reset\?token=\S+", smtp_server["messages"][0].get_content())
        token = link.group(0).split("token=")[1]
        page = c.get(f"/password/reset?token={token}")
        assert page.status_code == 200 and 'id="reset-form"' in page.text
        r = c.post("/password/reset", data={"token": token, "password": "new password 2026", "csrf_token": csrf_of(page.text)})
        assert 'id="reset-done"' in r.text
        assert c.get(f"/password/reset?token={token}").status_code == 400  # single use
        sign_in(c, "resetme", "new password 2026")


def test_no_secrets_logged(observatory, smtp_server, smtp_settings, caplog):
    app = create_app(observatory, smtp_settings, secret_key="k")
    app.state.web.hall.create_user("quiet", PASSWORD, "submitter", "quiet@example.org")
    with caplog.at_level(logging.DEBUG), TestClient(app, headers={"accept": "text/html"}) as c:
        c.post("/password/forgot", data={"login": "quiet", "csrf_token": csrf_of(c.get("/password/forgot").text)})
        token = smtp_server["messages"][0].get_content().split("token=")[1].split()[0]
        sign_in(c, "quiet")
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("frontierwatch"))
    assert "mail sent" in logged  # the product's own log lines (the test SMTP server's are not ours)
    assert token not in logged and PASSWORD not in logged and "quiet@example.org" not in logged
    assert smtp_server["password"] not in logged
