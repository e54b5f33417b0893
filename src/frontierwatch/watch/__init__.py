"""Watching (瞭望): watchlists, the alert rules run after each update, build, edition and hall approval, and
the deliveries (inbox, e-mail, webhooks, Atom feeds).

Watchlists and alerts are user data (``users.duckdb``); the rules read the pipeline tables through their
owning stages and the core.
"""
from frontierwatch.watch.targets import check_target
from frontierwatch.watch.watchlists import (KINDS, Watch, add_watch, get_watch, list_watches, profile_owner,
                                            remove_watch, user_owner)

__all__ = ["KINDS", "Watch", "add_watch", "check_target", "get_watch", "list_watches", "profile_owner",
           "remove_watch", "user_owner"]
