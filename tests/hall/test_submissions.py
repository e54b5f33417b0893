"""Submissions: validation and size limits on every field, storage as inert text."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from frontierwatch.errors import NotFoundError
from frontierwatch.hall import AchievementIn, ScenarioIn

GOOD = dict(title="Solid-state battery", description="A sulfide electrolyte cell with 400 Wh/kg.",
            direction="energy", field="storage", trl=4, organisation="Lab", contact="a@b.org", links=[])


def test_a_valid_achievement_is_stored_pending(hall):
    user = hall.create_user("sub", "long-enough-password", "submitter")
    item_id = hall.submit_achievement(user, AchievementIn(**GOOD))
    item = hall.item(item_id, user)
    assert item["status"] == "pending" and item["trl"] == 4 and item["description"] == GOOD["description"]
    assert hall.public_items("achievement") == []
    with pytest.raises(NotFoundError):
        hall.item(item_id, None)  # not public before approval


@pytest.mark.parametrize("change", [
    {"trl": 0}, {"trl": 10}, {"title": "ab"}, {"title": "x" * 201}, {"description": "short"},
    {"description": "x" * 5001}, {"direction": "Energy; DROP"}, {"links": ["javascript:alert(1)"]},
    {"links": ["https://example.org/a"] * 6}, {"contact": ""}, {"unexpected": "field"},
    {"links": ['https://e.org/"onmouseover="x']},
])
def test_invalid_achievements_are_refused(change):
    with pytest.raises(ValidationError):
        AchievementIn(**(GOOD | change))


def test_scenario_fields_are_validated(hall):
    good = dict(title="Line inspection", sector="power", problem="Inspect high-voltage lines by drone.",
                budget_band="1m_5m", deadline="2099-01-01", contact="x@y.org")
    assert ScenarioIn(**good).budget_band == "1m_5m"
    for change in ({"budget_band": "lots"}, {"deadline": "not a date"}, {"problem": "x" * 5001}):
        with pytest.raises(ValidationError):
            ScenarioIn(**(good | change))
    user = hall.create_user("sub", "long-enough-password", "submitter")
    from frontierwatch.errors import InputError
    with pytest.raises(InputError, match="past"):
        hall.submit_scenario(user, ScenarioIn(**(good | {"deadline": "2001-01-01"})))


def test_control_characters_are_dropped_and_text_kept_verbatim(hall):
    payload = "<script>alert('x')</script>\x00\x07 Robert'); DROP TABLE hall_items;--"
    data = AchievementIn(**(GOOD | {"description": payload}))
    assert "\x00" not in data.description and "<script>" in data.description
    user = hall.create_user("sub", "long-enough-password", "submitter")
    item_id = hall.submit_achievement(user, data)
    assert hall.item(item_id, user)["description"] == data.description  # stored as text, inert


def test_viewers_cannot_submit(hall):
    from frontierwatch.errors import PermissionDenied

    viewer = hall.create_user("viewer", "long-enough-password", "viewer")
    with pytest.raises(PermissionDenied):
        hall.submit_achievement(viewer, AchievementIn(**GOOD))


def test_public_search_finds_chinese_in_either_script(hall):
    sub = hall.create_user("sub", "long-enough-password", "submitter")
    mod = hall.create_user("mod", "long-enough-password", "moderator")
    item_id = hall.submit_achievement(sub, AchievementIn(**(GOOD | {
        "title": "人形機器人靈巧手", "description": "面向工業裝配的人形機器人靈巧手，負載 5 kg。"})))
    hall.decide(mod, item_id, True, "ok")
    for query in ("人形机器人 灵巧手", "人形機器人", "灵巧手 5", "5 kg"):
        assert [i["item_id"] for i in hall.search(query)] == [item_id], query
    assert hall.search("人形机器人 电池") == []
    assert hall.search("人形機器人")[0]["title"] == "人形機器人靈巧手"  # stored as written
