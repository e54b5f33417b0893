"""What each reader sees of a hall item: the public fields for everyone; screening, history, decision and the
submitter's name for the submitter, moderators and governance reviewers; the contact only for the submitter,
moderators and accepted requesters (`frontierwatch.hall.contacts.may_see_contact`).

Anonymous readers get no e-mail address, phone number, user id or moderation note — a test walks every public
endpoint and page for them.
"""
from __future__ import annotations

from frontierwatch.hall.accounts import User
from frontierwatch.hall.contacts import may_see_contact, my_request
from frontierwatch.hall.moderation import revisions
from frontierwatch.hall.screening import screening_view
from frontierwatch.hall.submissions import public_view


def is_reviewer(viewer: User | None) -> bool:
    """Moderators, governance reviewers and admins: they read unpublished items and their screening."""
    return viewer is not None and (viewer.can("moderator") or viewer.can("governance"))


def item_view(tables, item: dict, viewer: User | None) -> dict:
    out = public_view(item)
    owner = viewer is not None and viewer.user_id == item["submitter_id"]
    out["viewer_is_submitter"] = owner
    if owner or is_reviewer(viewer):
        out["screening"] = screening_view(tables, item["item_id"])
        out["history"] = revisions(tables, item["item_id"])
        out["moderated"], out["moderation_note"] = item["moderated"], item["moderation_note"]
    if is_reviewer(viewer):
        row = tables.sql("SELECT username FROM web_users WHERE user_id = ?", [item["submitter_id"]]).one()
        out["submitter"] = row[0] if row else None
    if may_see_contact(tables, item, viewer):
        out["contact"] = item["contact"]
    if viewer is not None and not owner and item["status"] == "approved":
        out["contact_request"] = my_request(tables, item["item_id"], viewer)
    return out
