"""The one core API. The CLI, the web app and the catalog are thin clients of `Observatory`.

It owns the settings and the store, and delegates each job to its pipeline stage, so no command or route holds
SQL or stage logic of its own.
"""
from __future__ import annotations

import logging
from pathlib import Path

from frontierwatch.settings import Settings, load_settings
from frontierwatch.store import Store

log = logging.getLogger(__name__)


class Observatory:
    """An observatory over one store.

    Parameters
    ----------
    store : store directory; defaults to the settings' ``store``.
    settings : typed settings; defaults to `load_settings()`.
    read_only : open the store read-only (serving pages).
    """

    def __init__(self, store: str | Path | None = None, settings: Settings | None = None, *,
                 read_only: bool = False, create: bool = True):
        self.settings = settings or load_settings()
        self.store_path = Path(store) if store else self.settings.store
        self.store = Store(self.store_path, read_only=read_only, create=create)

    # -- sources → store -----------------------------------------------------------------------
    def ingest(self, paths: list[Path], source: str = "auto", *, force: bool = False, progress=None):
        """Ingest files/directories; see `frontierwatch.sources.ingest`."""
        from frontierwatch.sources.ingest import ingest
        return ingest(self.store, paths, source, force=force, settings=self.settings, progress=progress)

    def status(self) -> dict:
        from frontierwatch.store.status import store_status
        return store_status(self.store)

    def rejects(self, limit: int | None = 100, file: str | None = None) -> list[dict]:
        from frontierwatch.store.status import list_rejects
        return list_rejects(self.store, limit, file)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Observatory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
