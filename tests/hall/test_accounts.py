"""Accounts: argon2 hashes, roles, sessions, API tokens."""
from __future__ import annotations

import pytest

from frontierwatch.errors import InputError, PermissionDenied
from frontierwatch.hall import NotSignedIn, require_role


def test_password_is_stored_only_as_an_argon2id_hash(hall, store):
    hall.create_user("alice", "s3cret-password", "submitter")
    stored, = store.users.execute("SELECT password_hash FROM web_users WHERE username = 'alice'").fetchone()
    assert stored.startswith("$argon2id$") and "s3cret-password" not in stored


def test_authenticate_accepts_the_right_password_only(hall):
    hall.create_user("alice", "s3cret-password")
    assert hall.authenticate("alice", "s3cret-password").username == "alice"
    assert hall.authenticate("alice", "wrong-password") is None
    assert hall.authenticate("nobody", "s3cret-password") is None


@pytest.mark.parametrize("username", ["ab", "a" * 41, "bad name", "x'; DROP TABLE web_users;--", ""])
def test_bad_usernames_are_refused(hall, username):
    with pytest.raises(InputError):
        hall.create_user(username, "long-enough-password")


def test_short_password_and_duplicate_names_are_refused(hall):
    with pytest.raises(InputError, match="password"):
        hall.create_user("bob", "short")
    hall.create_user("bob", "long-enough-password")
    with pytest.raises(InputError, match="taken"):
        hall.create_user("BOB", "long-enough-password")


def test_roles_are_ordered():
    from frontierwatch.hall import User

    mod = User(1, "m", "moderator")
    assert mod.can("submitter") and mod.can("moderator") and not mod.can("admin")
    assert require_role(mod, "viewer") is mod
    with pytest.raises(PermissionDenied):
        require_role(User(2, "v", "viewer"), "submitter")
    with pytest.raises(NotSignedIn) as err:
        require_role(None, "viewer")
    assert err.value.status == 401


def test_sessions_open_and_close(hall):
    user = hall.open_session(hall.create_user("carol", "long-enough-password"))
    assert user.session_id and user.csrf_token
    assert hall.user_for_session(user.session_id).username == "carol"
    hall.close_session(user.session_id)
    assert hall.user_for_session(user.session_id) is None
    assert hall.user_for_session("forged") is None


def test_api_tokens_are_stored_as_digests_and_replaced(hall, store):
    user = hall.create_user("dave", "long-enough-password")
    first = hall.issue_api_token(user)
    assert hall.user_for_token(first).username == "dave"
    stored, = store.users.execute("SELECT api_token_hash FROM web_users WHERE username = 'dave'").fetchone()
    assert first not in stored
    second = hall.issue_api_token(user)
    assert hall.user_for_token(first) is None and hall.user_for_token(second).user_id == user.user_id


def test_only_admins_manage_users(hall):
    admin = hall.create_user("root", "long-enough-password", "admin")
    mod = hall.create_user("mod", "long-enough-password", "moderator")
    with pytest.raises(PermissionDenied):
        hall.list_users(mod)
    hall.set_role(admin, mod.user_id, "viewer")
    assert {u["username"]: u["role"] for u in hall.list_users(admin)}["mod"] == "viewer"
