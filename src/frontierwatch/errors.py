"""One error family. Every message says the value, what was expected and how to fix it, in both languages.

The CLI prints ``message`` on one line and exits non-zero; the web app answers with ``status`` and the same text.
"""
from __future__ import annotations


class FrontierwatchError(Exception):
    """Base of every error the product raises on purpose."""

    status = 400
    title_en = "Error"
    title_zh = "错误"

    def __init__(self, en: str, zh: str | None = None):
        super().__init__(en)
        self.en = en
        self.zh = zh or en

    def message(self, lang: str = "en") -> str:
        return self.zh if lang == "zh" else self.en


class InputError(FrontierwatchError):
    """Bad input from the user: an unknown format, a missing file, a malformed option."""

    title_en, title_zh = "Bad input", "输入有误"


class NotFoundError(FrontierwatchError):
    """Something asked for does not exist in the store (a topic id, an edition, an as-of map)."""

    status = 404
    title_en, title_zh = "Not found", "未找到"


class StoreError(FrontierwatchError):
    """The store is missing, from a newer version, or inconsistent."""

    status = 500
    title_en, title_zh = "Store problem", "数据库问题"


class StoreBusyError(StoreError):
    """Another process (usually a running `frontierwatch serve`) holds the store's database lock."""

    status = 503
    title_en, title_zh = "Store in use", "数据库正被占用"

    def __init__(self, en: str, zh: str | None = None, server_url: str | None = None):
        super().__init__(en, zh)
        self.server_url = server_url


class PermissionDenied(FrontierwatchError):
    """The caller may not do this (web roles)."""

    status = 403
    title_en, title_zh = "Forbidden", "无权限"


class ConflictError(FrontierwatchError):
    """The request clashes with the current state (HTTP 409): e.g. approving a flagged hall item that no
    governance reviewer has assessed yet, or a duplicate submission. ``details`` travel with the answer."""

    status = 409
    title_en, title_zh = "Conflict", "状态冲突"

    def __init__(self, en: str, zh: str | None = None, details: dict | None = None):
        super().__init__(en, zh)
        self.details = details or {}
