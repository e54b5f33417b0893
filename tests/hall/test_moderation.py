"""Moderation: who decides, the approval hook that links topics, and edits."""
from __future__ import annotations

import pytest

from frontierwatch.errors import NotFoundError, PermissionDenied
from frontierwatch.hall import AchievementIn, Hall

GOOD = dict(title="Quantum key distribution over 100 km fibre", description="Decoy-state QKD field trial.",
            direction="information", field="quantum", trl=6, organisation="Lab", contact="a@b.org")


def _users(hall):
    return (hall.create_user("sub", "long-enough-password", "submitter"),
            hall.create_user("mod", "long-enough-password", "moderator"))


def test_only_moderators_decide(hall):
    sub, mod = _users(hall)
    item_id = hall.submit_achievement(sub, AchievementIn(**GOOD))
    with pytest.raises(PermissionDenied):
        hall.decide(sub, item_id, True)
    assert hall.decide(mod, item_id, True, "ok")["status"] == "approved"
    assert [i["item_id"] for i in hall.public_items()] == [item_id]
    assert [a["action"] for a in hall.audit(mod, item_id)] == ["submit", "approve"]


def test_approval_runs_the_topic_linking_hook(store):
    seen = []

    def linker(item):  # the hook contract: item dict in, ranked topic links out
        seen.append(item["title"])
        return [{"topic_id": "t42", "score": 0.8, "label": "quantum key distribution", "reason": "shared: qkd"}]

    hall = Hall(store, linker=linker)
    sub, mod = _users(hall)
    item_id = hall.submit_achievement(sub, AchievementIn(**GOOD))
    item = hall.decide(mod, item_id, True)
    assert seen == [GOOD["title"]]
    assert item["topics"] == [{"topic_id": "t42", "rank": 1, "score": 0.8, "label": "quantum key distribution",
                               "reason": "shared: qkd"}]


def test_a_failing_hook_does_not_block_approval(store):
    def broken(item):
        raise RuntimeError("topic map missing")

    hall = Hall(store, linker=broken)
    sub, mod = _users(hall)
    item_id = hall.submit_achievement(sub, AchievementIn(**GOOD))
    item = hall.decide(mod, item_id, True)
    assert item["status"] == "approved" and item["topics"] == []


def test_rejected_items_stay_private(hall):
    sub, mod = _users(hall)
    item_id = hall.submit_achievement(sub, AchievementIn(**GOOD))
    hall.decide(mod, item_id, False, "not a frontier technology")
    assert hall.public_items() == []
    assert hall.item(item_id, sub)["moderation_note"] == "not a frontier technology"


def test_edit_rules(hall):
    sub, mod = _users(hall)
    other = hall.create_user("other", "long-enough-password", "submitter")
    item_id = hall.submit_achievement(sub, AchievementIn(**GOOD))
    changed = AchievementIn(**(GOOD | {"trl": 7}))
    with pytest.raises(NotFoundError):  # someone else's unpublished item: as if it did not exist
        hall.edit(other, item_id, changed)
    assert hall.edit(sub, item_id, changed)["trl"] == 7
    hall.decide(mod, item_id, True)
    with pytest.raises(PermissionDenied):
        hall.edit(sub, item_id, changed)  # approved: only moderators may change it now
    assert hall.edit(mod, item_id, AchievementIn(**(GOOD | {"trl": 8})))["trl"] == 8
