"""The release hall (成果发布大厅): accounts, roles, sessions, submissions and moderation — domain logic, no HTTP.

`Hall` binds these functions to the user database of one open store (``store.users``, see
`frontierwatch.store.users`). DuckDB connections are not safe to share between threads,
so every call holds the hall's lock (the web app passes the same lock it uses for the observatory); the
statements are tiny, so the lock is never the bottleneck. ``on_change`` is called (still under the lock) after
every write that changes what the public sees — approvals, rejections, edits, topic relinks — so that a reader's
cache (the web app's) can forget its answers.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from frontierwatch.hall import accounts, moderation, submissions
from frontierwatch.hall.accounts import ROLES, NotSignedIn, User, require_role
from frontierwatch.hall.moderation import TopicLinker
from frontierwatch.hall.submissions import BUDGET_BANDS, AchievementIn, ScenarioIn

__all__ = ["Hall", "User", "ROLES", "BUDGET_BANDS", "AchievementIn", "ScenarioIn", "TopicLinker", "NotSignedIn",
           "require_role"]


class Hall:
    """The release hall over one store.

    Parameters
    ----------
    store : an open, writable `frontierwatch.store.Store` (migration 0006 applied).
    linker : the topic-linking hook run on approval (see `frontierwatch.hall.moderation`); None = no links.
    lock : lock shared with other users of the store's connections in this process.
    on_change : called after each write that changes public content (e.g. a cache's ``clear_cache``).
    """

    def __init__(self, store, linker: TopicLinker | None = None, lock: threading.RLock | None = None,
                 on_change: Callable[[], None] | None = None):
        self.store = store
        self.linker = linker
        self.lock = lock or threading.RLock()
        self.on_change = on_change

    def _run(self, fn, *args, **kwargs):
        with self.lock:
            return fn(self.store.users_tables, *args, **kwargs)

    def _run_public_write(self, fn, *args, **kwargs):
        """A write that changes public content: run it, then tell `on_change` (even when it failed halfway)."""
        with self.lock:
            try:
                return fn(self.store.users_tables, *args, **kwargs)
            finally:
                if self.on_change is not None:
                    self.on_change()

    # accounts and sessions
    def create_user(self, username: str, password: str, role: str = "submitter") -> User:
        return self._run(accounts.create_user, username, password, role)

    def authenticate(self, username: str, password: str) -> User | None:
        return self._run(accounts.authenticate, username, password)

    def open_session(self, user: User) -> User:
        return self._run(accounts.open_session, user)

    def user_for_session(self, session_id: str) -> User | None:
        return self._run(accounts.user_for_session, session_id)

    def close_session(self, session_id: str) -> None:
        self._run(accounts.close_session, session_id)

    def issue_api_token(self, user: User) -> str:
        return self._run(accounts.issue_api_token, user.user_id)

    def user_for_token(self, token: str) -> User | None:
        return self._run(accounts.user_for_token, token)

    def set_role(self, admin: User, user_id: int, role: str) -> None:
        require_role(admin, "admin")
        self._run(accounts.set_role, user_id, role)

    def list_users(self, admin: User) -> list[dict]:
        require_role(admin, "admin")
        return self._run(accounts.list_users)

    def count_users(self, role: str | None = None) -> int:
        return self._run(accounts.count_users, role)

    # submissions
    def submit_achievement(self, user: User, data: AchievementIn) -> int:
        require_role(user, "submitter")
        return self._run(submissions.submit_achievement, data, user.user_id)

    def submit_scenario(self, user: User, data: ScenarioIn) -> int:
        require_role(user, "submitter")
        return self._run(submissions.submit_scenario, data, user.user_id)

    def item(self, item_id: int, viewer: User | None = None) -> dict:
        """An item; unapproved ones only for their submitter and moderators (others get NotFound)."""
        item = self._run(submissions.get_item, item_id)
        if item["status"] != "approved" and not (
                viewer and (viewer.can("moderator") or viewer.user_id == item["submitter_id"])):
            from frontierwatch.errors import NotFoundError

            raise NotFoundError(f"no public hall item {item_id}", f"没有公开的条目 {item_id}")
        return item

    def public_items(self, kind: str | None = None, limit: int = 50, offset: int = 0) -> list[dict]:
        return self._run(submissions.list_items, kind=kind, status="approved", limit=limit, offset=offset)

    def my_items(self, user: User, limit: int = 100) -> list[dict]:
        return self._run(submissions.list_items, status=None, submitter_id=user.user_id, limit=limit)

    def search(self, query: str, limit: int = 20) -> list[dict]:
        return self._run(submissions.search_items, query, limit)

    def counts(self) -> dict[str, int]:
        return self._run(submissions.count_items, "approved")

    # moderation
    def queue(self, moderator: User, limit: int = 100) -> list[dict]:
        require_role(moderator, "moderator")
        return self._run(moderation.moderation_queue, limit)

    def decide(self, moderator: User, item_id: int, approve: bool, note: str = "") -> dict:
        return self._run_public_write(moderation.decide, item_id, moderator, approve, note, self.linker)

    def relink(self, moderator: User, item_id: int) -> int:
        require_role(moderator, "moderator")
        item = self._run(submissions.get_item, item_id)
        return self._run_public_write(moderation.link_topics, item, self.linker) if self.linker else 0

    def edit(self, user: User, item_id: int, data: AchievementIn | ScenarioIn) -> dict:
        return self._run_public_write(moderation.edit_item, item_id, user, data)

    def audit(self, moderator: User, item_id: int) -> list[dict]:
        require_role(moderator, "moderator")
        return self._run(moderation.audit_log, item_id)
