"""The one core API. The CLI, the web app and the catalog are thin clients of `Observatory`.

It owns the settings and the store, and delegates each job to its pipeline stage, so no command or route holds
SQL or stage logic of its own.
"""
from __future__ import annotations

import logging
from datetime import date
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

    # -- embed → topics ------------------------------------------------------------------------
    def embed(self, progress=None) -> int:
        """Compute missing vectors of the configured model; see `frontierwatch.embed.embed_documents`."""
        from frontierwatch.embed import embed_documents
        return embed_documents(self.store, model=self.settings.embed_model, progress=progress)

    def build(self, as_of: date | None = None, *, n_topics: int | None = None, progress=None, embed_progress=None):
        """Embed what is missing, then fit the topic map as of `as_of` (default: latest date in the store)."""
        from frontierwatch.topics import build_topics
        self.embed(progress=embed_progress)
        return build_topics(self.store, as_of, seed=self.settings.topic_seed, n_topics=n_topics, progress=progress,
                            embed_model=self.settings.embed_model, embed=False)

    def update(self, paths: list[Path], source: str = "auto", *, progress=None, embed_progress=None):
        """Ingest new files and assign their documents to the latest topic map without refitting."""
        from frontierwatch.topics import assign_new_documents
        summary = self.ingest(paths, source, progress=progress) if paths else None
        self.embed(progress=embed_progress)
        return summary, assign_new_documents(self.store, embed=False)

    def topics(self, as_of: date | str | None = None, top: int | None = None) -> dict:
        from frontierwatch.topics import list_topics
        return list_topics(self.store, as_of, top)

    def topic(self, topic_id: str, as_of: date | str | None = None) -> dict:
        from frontierwatch.topics import topic_detail
        return topic_detail(self.store, topic_id, as_of)

    def candidate_topics(self, as_of: date | str | None = None) -> dict:
        from frontierwatch.topics import candidate_topics
        return candidate_topics(self.store, as_of)

    # -- match ---------------------------------------------------------------------------------
    def match(self, text: str, top: int = 10, lang: str | None = None, as_of: date | str | None = None) -> dict:
        """Technologies, documents, teams and achievements for a need, each with why; see `frontierwatch.match`."""
        from frontierwatch.match import match_need
        return match_need(self.store, text, top=top, lang=lang, as_of=as_of)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Observatory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
