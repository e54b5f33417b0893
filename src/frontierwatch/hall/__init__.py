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

from frontierwatch.errors import NotFoundError
from frontierwatch.hall import access, accounts, contacts, moderation, notifications, submissions
from frontierwatch.hall.accounts import ROLE_NAMES_ZH, ROLES, NotSignedIn, User, require_role
from frontierwatch.hall.moderation import TopicLinker
from frontierwatch.hall.screening import screening_view
from frontierwatch.hall.submissions import BUDGET_BANDS, AchievementIn, ScenarioIn, public_view
from frontierwatch.hall.views import is_reviewer, item_view
from frontierwatch.risk import audit as audit_log

__all__ = ["Hall", "User", "ROLES", "ROLE_NAMES_ZH", "BUDGET_BANDS", "AchievementIn", "ScenarioIn", "TopicLinker",
           "NotSignedIn", "require_role"]


class Hall:
    """The release hall over one store.

    Parameters
    ----------
    store : an open, writable `frontierwatch.store.Store` (migrations 0006, 0020, 0021 applied).
    linker : the topic-linking hook run on approval (see `frontierwatch.hall.moderation`); None = no links.
    lock : lock shared with other users of the store's connections in this process.
    on_change : called after each write that changes public content (e.g. a cache's ``clear_cache``).
    mailer : a `frontierwatch.mail.Mailer` for resets and notifications (None: notifications stay in-app).
    """

    def __init__(self, store, linker: TopicLinker | None = None, lock: threading.RLock | None = None,
                 on_change: Callable[[], None] | None = None, mailer=None):
        self.store = store
        self.linker = linker
        self.lock = lock or threading.RLock()
        self.on_change = on_change
        self.mailer = mailer

    @property
    def db(self):
        """The table seam over the user database (accounts and hall data: `Store.users_tables`)."""
        return self.store.users_tables

    def _run(self, fn, *args, **kwargs):
        with self.lock:
            return fn(self.db, *args, **kwargs)

    def _run_public_write(self, fn, *args, **kwargs):
        """A write that changes public content: run it, then tell `on_change` (even when it failed halfway)."""
        with self.lock:
            try:
                return fn(self.db, *args, **kwargs)
            finally:
                if self.on_change is not None:
                    self.on_change()

    # accounts and sessions
    def create_user(self, username: str, password: str, role: str = "submitter", email: str | None = None) -> User:
        return self._run(accounts.create_user, username, password, role, email)

    def authenticate(self, username: str, password: str) -> User | None:
        """The user when the password matches; None when not; `access.LockedOut` (429) while the name is locked
        after repeated failures (even with the right password)."""
        with self.lock:
            con = self.db
            access.check_not_locked(con, username)
            user = accounts.authenticate(con, username, password)
            if user is not None:
                access.record_success(con, username)
                return user
            locked = access.record_failure(con, username)
            if locked:
                audit_log.append(con, None, "lockout", "user", None, f"{locked} s after repeated failed sign-ins")
            return None

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
        with self.lock:
            accounts.set_role(self.db, user_id, role)
            audit_log.append(self.db, admin.user_id, "role", "user", user_id, role)

    def list_users(self, admin: User) -> list[dict]:
        require_role(admin, "admin")
        return self._run(accounts.list_users)

    def count_users(self, role: str | None = None) -> int:
        return self._run(accounts.count_users, role)

    def set_email(self, user: User, email: str | None) -> None:
        self._run(accounts.set_email, user.user_id, email)

    def email_of(self, user: User) -> str | None:
        return self._run(accounts.email_of, user.user_id)

    # password reset by e-mailed token
    def start_password_reset(self, login: str, link_base: str) -> None:
        """E-mail a reset link to the account named `login` (user name or e-mail) when it has an address.
        Answers nothing either way, so the caller cannot tell whether the account exists."""
        with self.lock:
            found = access.start_reset(self.db, login)
            if found is None:
                return
            user_id, username, email, token = found
            audit_log.append(self.db, user_id, "password_reset", "user", None, "reset link requested")
        if self.mailer is not None:
            link = f"{link_base.rstrip('/')}/password/reset?token={token}"
            self.mailer.send(email, "未来产业瞭望站 · 重置密码 / Reset your password",
                             f"{username}，您好：\n请在 {access.RESET_MINUTES} 分钟内打开以下链接设置新密码（仅可使用一次）：\n"
                             f"{link}\n如果不是您本人申请，请忽略本邮件。\n\n"
                             f"Hello {username},\nopen this link within {access.RESET_MINUTES} minutes to set a new "
                             f"password (it works once):\n{link}\nIf you did not ask for it, ignore this e-mail.\n")

    def password_reset_valid(self, token: str) -> bool:
        return self._run(access.reset_valid, token)

    def finish_password_reset(self, token: str, password: str) -> User:
        with self.lock:
            user = access.finish_reset(self.db, token, password)
            audit_log.append(self.db, user.user_id, "password_reset", "user", None, "password changed")
            return user

    # submissions
    def submit_achievement(self, user: User, data: AchievementIn) -> int:
        require_role(user, "submitter")
        return self._run(submissions.submit_achievement, data, user.user_id)

    def submit_scenario(self, user: User, data: ScenarioIn) -> int:
        require_role(user, "submitter")
        return self._run(submissions.submit_scenario, data, user.user_id)

    def _visible(self, con, item_id: int, viewer: User | None) -> dict:
        item = submissions.get_item(con, item_id)
        if item["status"] != "approved" and not (is_reviewer(viewer) or (viewer and viewer.user_id == item["submitter_id"])):
            raise NotFoundError(f"no public hall item {item_id}", f"没有公开的条目 {item_id}")
        return item

    def item(self, item_id: int, viewer: User | None = None) -> dict:
        """An item as `viewer` may see it (`frontierwatch.hall.views`); unapproved ones only for their
        submitter, moderators and governance reviewers (others get NotFound)."""
        with self.lock:
            return item_view(self.db, self._visible(self.db, item_id, viewer), viewer)

    def public_items(self, kind: str | None = None, limit: int = 50, offset: int = 0) -> list[dict]:
        items = self._run(submissions.list_items, kind=kind, status="approved", limit=limit, offset=offset)
        return [public_view(i) for i in items]

    def my_items(self, user: User, limit: int = 100) -> list[dict]:
        with self.lock:
            items = submissions.list_items(self.db, status=None, submitter_id=user.user_id, limit=limit)
            return [item_view(self.db, i, user) for i in items]

    def search(self, query: str, limit: int = 20) -> list[dict]:
        return [public_view(i) for i in self._run(submissions.search_items, query, limit)]

    def counts(self) -> dict[str, int]:
        return self._run(submissions.count_items, "approved")

    # moderation
    def queue(self, moderator: User, limit: int = 100) -> list[dict]:
        """Pending items, oldest first, each with its screening (moderators and governance reviewers)."""
        if not is_reviewer(moderator):
            require_role(moderator, "moderator")
        with self.lock:
            items = moderation.moderation_queue(self.db, limit)
            return [item_view(self.db, i, moderator) for i in items]

    def awaiting_assessment(self, reviewer: User) -> list[dict]:
        """Pending items whose screening flags wait for a governance assessment."""
        return [i for i in self.queue(reviewer, 500) if i["screening"]["needs_assessment"]]

    def screening(self, item_id: int) -> dict:
        return self._run(screening_view, item_id)

    def decide(self, moderator: User, item_id: int, approve: bool, note: str = "") -> dict:
        with self.lock:
            self._visible(self.db, item_id, moderator)
            decided = self._run_public_write(moderation.decide, item_id, moderator, approve, note, self.linker,
                                             self.mailer)
            return item_view(self.db, decided, moderator)

    def relink(self, moderator: User, item_id: int) -> int:
        require_role(moderator, "moderator")
        item = self._run(submissions.get_item, item_id)
        return self._run_public_write(moderation.link_topics, item, self.linker) if self.linker else 0

    def edit(self, user: User, item_id: int, data: AchievementIn | ScenarioIn) -> dict:
        with self.lock:
            self._visible(self.db, item_id, user)
            edited = self._run_public_write(moderation.edit_item, item_id, user, data)
            return item_view(self.db, edited, user)

    def audit(self, reviewer: User, item_id: int) -> list[dict]:
        if not is_reviewer(reviewer):
            require_role(reviewer, "moderator")
        return self._run(moderation.audit_log, item_id)

    # contact requests and notifications
    def request_contact(self, user: User, item_id: int, message: str) -> dict:
        require_role(user, "viewer")
        with self.lock:
            con = self.db
            item = self._visible(con, item_id, user)
            made = contacts.request_contact(con, item, user, message)
            audit_log.append(con, user.user_id, "contact_request", "hall_item", item_id)
            notifications.notify(con, self.mailer, item["submitter_id"], "contact_request", item_id,
                                 title=item["title"])
            return made

    def contact_requests(self, user: User) -> list[dict]:
        return self._run(contacts.requests_for_submitter, user)

    def decide_contact(self, user: User, request_id: int, accept: bool) -> dict:
        require_role(user, "viewer")
        with self.lock:
            con = self.db
            done = contacts.decide_request(con, request_id, user, accept)
            audit_log.append(con, user.user_id, f"contact_{done['status']}", "hall_item", done["item_id"])
            notifications.notify(con, self.mailer, done["requester_id"], f"contact_{done['status']}",
                                 done["item_id"], title=done["title"])
            return {k: done[k] for k in ("request_id", "item_id", "status")}

    def notifications(self, user: User, limit: int = 50) -> list[dict]:
        return self._run(notifications.notifications, user.user_id, limit)

    def mark_notifications_seen(self, user: User) -> None:
        self._run(notifications.mark_seen, user.user_id)

    def notify(self, user_id: int, kind: str, item_id: int | None, **values) -> None:
        self._run(notifications.notify, self.mailer, user_id, kind, item_id, **values)
