"""Keeps the columnar catalog in step with MongoDB.

The catalog version in `meta` changes with every successful ingest; a background task polls it and, when
it moved, reads the active offers and builds a new snapshot off the event loop. Requests keep using the
old snapshot until the new one is complete, then the reference is swapped in one assignment.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Sequence

from pymongo.errors import PyMongoError

from matcher.catalog import Catalog, build_catalog, empty_catalog
from sources.store import Store

log = logging.getLogger("kommunalcampus.snapshot")

PROJECTION = {
    "provider": 1, "title": 1, "description": 1, "priceEur": 1, "hours": 1, "format": 1, "kind": 1,
    "selfPaced": 1, "languages": 1, "location": 1, "competences": 1, "prerequisites": 1, "runs": 1,
}


class SnapshotHolder:
    def __init__(self, store: Store, competence_ids: Sequence[str]) -> None:
        self.store = store
        self.competence_ids = tuple(competence_ids)
        self.catalog: Catalog = empty_catalog(self.competence_ids, version=-1)
        self.loaded = False
        self.last_build_ms: float | None = None

    async def refresh(self) -> bool:
        """Rebuild when the catalog version moved; True when a new snapshot was swapped in."""
        version = await self.store.catalog_version()
        if self.loaded and version == self.catalog.version:
            return False
        started = time.perf_counter()
        docs = await self.store.offers.find({"status": "ACTIVE"}, PROJECTION).to_list(None)
        catalog = await asyncio.to_thread(build_catalog, docs, self.competence_ids, version)
        self.catalog, self.loaded = catalog, True
        self.last_build_ms = round((time.perf_counter() - started) * 1000, 1)
        log.info("snapshot version %d: %d offers, built in %.0f ms", version, catalog.size, self.last_build_ms)
        if catalog.skipped:
            log.warning("snapshot version %d left out %d unusable offer documents, e.g. %s", version,
                        len(catalog.skipped), ", ".join(catalog.skipped[:5]))
        return True

    async def poll(self, interval_s: float) -> None:
        """Run until cancelled; a failed refresh keeps the old snapshot and is retried next time."""
        while True:
            await asyncio.sleep(interval_s)
            try:
                await self.refresh()
            except PyMongoError as exc:
                log.warning("snapshot refresh failed, keeping version %d: %s", self.catalog.version,
                            type(exc).__name__)

    @contextlib.asynccontextmanager
    async def polling(self, interval_s: float):  # type: ignore[no-untyped-def]
        task = asyncio.create_task(self.poll(interval_s))
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
