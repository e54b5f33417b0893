"""Hall trust on a real store: screening and the approval gate, duplicates and quotas, resubmission with history,
contact requests, notifications e-mailed through a real SMTP server, lock-out with back-off, password reset."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from frontierwatch.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from frontierwatch.hall import AchievementIn, Hall, ScenarioIn
from frontierwatch.hall import access
from frontierwatch.hall.screening import DAILY_LIMIT, SubmissionQuota
from frontierwatch.mail import Mailer
from frontierwatch.risk import AssessmentIn, Governance

PASSWORD = "long-enough-password"
GERMLINE = dict(title="Embryo gene-editing platform", direction="health", trl=3, organisation="Bio Lab",
                description="We edit human embryos with CRISPR base editors to correct disease mutations before "
                            "implantation.", contact="bio@example.org")
SOLAR = dict(title="Perovskite tandem solar cell", direction="energy", trl=5, organisation="PV Lab",
             description="Two-terminal perovskite/silicon tandem, certified 29.1% on 1 cm2.", contact="+86 10 5555 0101")


@pytest.fixture
def world(store):
    hall = Hall(store)
    gov = Governance(store, lock=hall.lock)
    users = {r: hall.create_user(f"{r}1", PASSWORD, r, f"{r}1@example.org")
             for r in ("submitter", "moderator", "governance", "viewer")}
    return hall, gov, users


def _assess(gov, reviewer, item_id, status="assessed"):
    return gov.assess(reviewer, AssessmentIn(target_kind="hall_item", target_id=str(item_id), severity=5,
                                             likelihood=2, status=status, category="human_germline_editing",
                                             rationale="Clinical germline editing is a red line; research use only."))


def test_a_flagged_item_waits_for_an_assessment(world):
    hall, gov, u = world
    item_id = hall.submit_achievement(u["submitter"], AchievementIn(**GERMLINE))
    seen = hall.item(item_id, u["submitter"])
    assert seen["screening"]["needs_assessment"] and seen["screening"]["flags"][0]["red_line"]
    assert "human_germline_editing" in {f["category"] for f in hall.item(item_id, u["moderator"])["screening"]["flags"]}
    with pytest.raises(ConflictError) as blocked:
        hall.decide(u["moderator"], item_id, True)
    assert blocked.value.status == 409 and blocked.value.details["flags"][0]["category"] == "human_germline_editing"
    _assess(gov, u["governance"], item_id, status="escalated")
    with pytest.raises(ConflictError):  # escalated: still not to be published
        hall.decide(u["moderator"], item_id, True)
    _assess(gov, u["governance"], item_id)
    assert hall.decide(u["moderator"], item_id, True)["status"] == "approved"
    assert [f["kind"] for f in hall.awaiting_assessment(u["governance"])] == []


def test_an_unflagged_item_is_approved_directly_and_the_public_sees_no_contact(world):
    hall, gov, u = world
    item_id = hall.submit_achievement(u["submitter"], AchievementIn(**SOLAR))
    assert hall.item(item_id, u["moderator"])["screening"] == {
        "flags": [], "flagged": False, "needs_assessment": False, "assessment_status": None, "revision": 1,
        "screened": hall.item(item_id, u["moderator"])["screening"]["screened"],
        "taxonomy": hall.item(item_id, u["moderator"])["screening"]["taxonomy"]}
    hall.decide(u["moderator"], item_id, True, "fine")
    public = hall.item(item_id, None)
    for hidden in ("contact", "submitter_id", "moderator_id", "moderation_note", "screening", "history", "submitter"):
        assert hidden not in public, hidden
    assert all("contact" not in i and "submitter_id" not in i for i in hall.public_items())
    assert "contact" not in hall.item(item_id, u["viewer"]) and hall.item(item_id, u["submitter"])["contact"]


def test_contact_requests_need_the_submitters_consent(world):
    hall, gov, u = world
    item_id = hall.submit_achievement(u["submitter"], AchievementIn(**SOLAR))
    with pytest.raises(NotFoundError):  # not public yet
        hall.request_contact(u["viewer"], item_id, "We build PV plants and want a pilot.")
    hall.decide(u["moderator"], item_id, True)
    with pytest.raises(InputError):
        hall.request_contact(u["viewer"], item_id, "hi")
    made = hall.request_contact(u["viewer"], item_id, "We build PV plants and want a pilot.")
    assert made["status"] == "pending" and "contact" not in hall.item(item_id, u["viewer"])
    with pytest.raises(ConflictError):
        hall.request_contact(u["viewer"], item_id, "Asking a second time, louder.")
    requests = hall.contact_requests(u["submitter"])
    assert requests[0]["requester"] == "viewer1" and hall.contact_requests(u["viewer"]) == []
    with pytest.raises(NotFoundError):  # only the item's submitter decides (IDOR)
        hall.decide_contact(u["viewer"], requests[0]["request_id"], True)
    hall.decide_contact(u["submitter"], requests[0]["request_id"], True)
    assert hall.item(item_id, u["viewer"])["contact"] == SOLAR["contact"]
    assert hall.item(item_id, u["viewer"])["contact_request"]["status"] == "accepted"
    with pytest.raises(ConflictError):
        hall.decide_contact(u["submitter"], requests[0]["request_id"], False)
    assert [n["kind"] for n in hall.notifications(u["viewer"])] == ["contact_accepted"]
    assert [n["kind"] for n in hall.notifications(u["submitter"])] == ["contact_request", "approved"]


def test_resubmission_after_rejection_keeps_the_history_and_screens_again(world):
    hall, gov, u = world
    item_id = hall.submit_achievement(u["submitter"], AchievementIn(**SOLAR))
    hall.decide(u["moderator"], item_id, False, "give the certification body")
    with pytest.raises(NotFoundError):
        hall.edit(u["viewer"], item_id, AchievementIn(**SOLAR))
    revised = hall.edit(u["submitter"], item_id, AchievementIn(**(SOLAR | {
        "description": "Two-terminal perovskite/silicon tandem, 29.1% certified by NREL on 1 cm2."})))
    assert revised["status"] == "pending" and revised["revision"] == 2 and revised["moderation_note"] is None
    assert revised["history"][0]["status"] == "rejected"
    assert revised["history"][0]["moderation_note"] == "give the certification body"
    assert revised["history"][0]["content"]["body"] == SOLAR["description"]
    assert revised["screening"]["revision"] == 2
    flagged = hall.edit(u["submitter"], item_id, AchievementIn(**GERMLINE))
    assert flagged["screening"]["needs_assessment"] and flagged["revision"] == 3
    rows = [r["action"] for r in hall.audit(u["moderator"], item_id)]
    assert rows == ["submit", "reject", "resubmit", "edit"]


def test_an_assessment_of_an_old_revision_does_not_clear_a_new_one(world):
    hall, gov, u = world
    item_id = hall.submit_achievement(u["submitter"], AchievementIn(**GERMLINE))
    _assess(gov, u["governance"], item_id)
    hall.edit(u["submitter"], item_id, AchievementIn(**(GERMLINE | {"title": "Embryo editing platform v2"})))
    with pytest.raises(ConflictError):
        hall.decide(u["moderator"], item_id, True)


def test_duplicates_and_the_daily_quota(world, store):
    hall, gov, u = world
    first = hall.submit_achievement(u["submitter"], AchievementIn(**SOLAR))
    with pytest.raises(ConflictError, match=str(first)):
        hall.submit_achievement(u["submitter"], AchievementIn(**(SOLAR | {"title": "Perovskite tandem solar cell!"})))
    other = hall.create_user("other1", PASSWORD, "submitter")
    with pytest.raises(ConflictError) as dup:
        hall.submit_achievement(other, AchievementIn(**SOLAR))
    assert str(first) not in dup.value.en  # someone else's pending item is not named
    scenario = ScenarioIn(title="PV plant inspection", sector="energy", problem="Drones inspect PV panels for defects.",
                          contact="ops@example.org")
    hall.submit_scenario(u["submitter"], scenario)  # same submitter, other kind: fine
    store.users.execute("UPDATE hall_items SET created = ? WHERE item_id = ?", [datetime.now() - timedelta(days=2), first])
    for i in range(DAILY_LIMIT - 1):
        hall.submit_scenario(u["submitter"], scenario.model_copy(update={"title": f"Need number {i}",
                                                                         "problem": f"Distinct problem text {i * 7919}."}))
    with pytest.raises(SubmissionQuota):
        hall.submit_scenario(u["submitter"], scenario.model_copy(update={"title": "One too many",
                                                                         "problem": "Yet another problem."}))


def test_decisions_are_e_mailed_through_the_smtp_settings(store, smtp_server, smtp_settings):
    hall = Hall(store, mailer=Mailer(smtp_settings))
    sub = hall.create_user("sub1", PASSWORD, "submitter", "sub1@example.org")
    mod = hall.create_user("mod1", PASSWORD, "moderator")
    item_id = hall.submit_achievement(sub, AchievementIn(**SOLAR))
    hall.decide(mod, item_id, False, "证书编号缺失")
    msg = smtp_server["messages"][-1]
    assert msg["To"] == "sub1@example.org" and "证书编号缺失" in msg.get_content()
    assert "未通过审核" in msg.get_content() and "not approved" in msg.get_content()
    nobody = hall.create_user("noemail", PASSWORD, "submitter")
    second = hall.submit_achievement(nobody, AchievementIn(**(SOLAR | {"title": "Another cell", "description": "Other text here."})))
    hall.decide(mod, second, True)
    assert len(smtp_server["messages"]) == 1
    assert store.users.execute("SELECT mailed FROM hall_notifications ORDER BY notification_id").fetchall() == [
        ("sent",), ("no-address",)]


def test_lock_out_with_back_off_even_for_the_right_password(world, store):
    hall, gov, u = world
    for _ in range(access.FREE_FAILURES - 1):
        assert hall.authenticate("submitter1", "wrong password") is None
    assert hall.authenticate("submitter1", PASSWORD) is not None  # success clears the count
    for _ in range(access.FREE_FAILURES):
        assert hall.authenticate("submitter1", "wrong password") is None
    with pytest.raises(access.LockedOut) as locked:
        hall.authenticate("submitter1", PASSWORD)
    assert locked.value.status == 429 and 0 < locked.value.seconds <= access.BASE_LOCK_SECONDS + 1
    store.users.execute("UPDATE login_failures SET locked_until = ? WHERE username = 'submitter1'",
                      [datetime.now() - timedelta(seconds=1)])
    assert hall.authenticate("submitter1", "wrong again") is None
    with pytest.raises(access.LockedOut) as longer:
        hall.authenticate("submitter1", PASSWORD)
    assert longer.value.seconds > access.BASE_LOCK_SECONDS  # doubled
    for _ in range(access.FREE_FAILURES):  # unknown names lock the same way: no account enumeration
        hall.authenticate("nobody-here", "x" * 10)
    with pytest.raises(access.LockedOut):
        hall.authenticate("nobody-here", "x" * 10)
    assert any(r["action"] == "lockout" for r in gov.audit(u["governance"]))


def test_password_reset_by_e_mailed_token(store, smtp_server, smtp_settings):
    hall = Hall(store, mailer=Mailer(smtp_settings))
    user = hall.create_user("alice", PASSWORD, "submitter", "alice@example.org")
    session = hall.open_session(user)
    hall.start_password_reset("nobody", "https://fw.example.org")
    hall.start_password_reset("alice@EXAMPLE.org", "https://fw.example.org")
    assert len(smtp_server["messages"]) == 1
    body = smtp_server["messages"][0].get_content()
    token = body.split("/password/reset?token=")[1].split()[0]
    assert "https://fw.example.org/password/reset?token=" in body and hall.password_reset_valid(token)
    assert token not in str(store.users.execute("SELECT * FROM password_resets").fetchall())  # only its digest
    with pytest.raises(InputError):
        hall.finish_password_reset(token, "short")
    hall.finish_password_reset(token, "a brand new password")
    assert hall.user_for_session(session.session_id) is None  # every old session ended
    assert hall.authenticate("alice", "a brand new password") and hall.authenticate("alice", PASSWORD) is None
    with pytest.raises(InputError, match="used or expired"):
        hall.finish_password_reset(token, "another new password")
    hall.start_password_reset("alice", "https://fw.example.org")
    late = smtp_server["messages"][-1].get_content().split("token=")[1].split()[0]
    store.users.execute("UPDATE password_resets SET expires = ?", [datetime.now() - timedelta(minutes=1)])
    assert not hall.password_reset_valid(late)


def test_roles_keep_duties_apart(world):
    hall, gov, u = world
    assert u["governance"].can("governance") and not u["governance"].can("moderator")
    assert u["moderator"].can("moderator") and not u["moderator"].can("governance")
    admin = hall.create_user("admin1", PASSWORD, "admin")
    assert admin.can("moderator") and admin.can("governance")
    item_id = hall.submit_achievement(u["submitter"], AchievementIn(**SOLAR))
    with pytest.raises(PermissionDenied):
        hall.decide(u["governance"], item_id, True)
    assert hall.item(item_id, u["governance"])["screening"]["flagged"] is False  # may read to assess
