"""The MongoDB store: collection names, indexes and the catalog version, in one place.

Every other module reaches MongoDB through a `Store`, so the collection layout is defined once and the
indexes exist before the first query. `ensure_ready` is idempotent and runs at every start.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel, ReplaceOne, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from sources.taxonomy import Taxonomy

CATALOG_META_ID = "catalog"

INDEXES: dict[str, list[IndexModel]] = {
    "offers": [
        IndexModel([("provider", ASCENDING), ("status", ASCENDING)], name="provider_status"),
        IndexModel([("status", ASCENDING)], name="status"),
    ],
    "ingest_runs": [
        IndexModel([("provider", ASCENDING), ("startedAt", DESCENDING)], name="provider_started"),
        IndexModel([("startedAt", DESCENDING)], name="started"),
    ],
    "quarantine": [
        IndexModel([("provider", ASCENDING), ("runId", ASCENDING)], name="provider_run"),
    ],
    "competences": [IndexModel([("framework", ASCENDING), ("code", ASCENDING)], name="framework_code")],
    "providers": [],
    "meta": [],
    "locks": [],
}
# Indexes that earlier versions created and no query uses any more: they only cost every write, so a start drops
# them from an existing database. Offers by competence are served from the in-memory snapshot.
RETIRED_INDEXES: dict[str, tuple[str, ...]] = {"offers": ("competence",)}


def utcnow() -> datetime:
    """Millisecond precision, because that is what BSON keeps: values read back compare equal."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class Store:
    def __init__(self, db: AsyncDatabase) -> None:
        self.db = db

    @property
    def offers(self) -> AsyncCollection:
        return self.db["offers"]

    @property
    def providers(self) -> AsyncCollection:
        return self.db["providers"]

    @property
    def competences(self) -> AsyncCollection:
        return self.db["competences"]

    @property
    def ingest_runs(self) -> AsyncCollection:
        return self.db["ingest_runs"]

    @property
    def quarantine(self) -> AsyncCollection:
        return self.db["quarantine"]

    @property
    def meta(self) -> AsyncCollection:
        return self.db["meta"]

    @property
    def locks(self) -> AsyncCollection:
        return self.db["locks"]

    async def ensure_ready(self, taxonomy: Taxonomy) -> None:
        """Create indexes (and drop retired ones), load the competence taxonomy and the catalog version document if
        missing."""
        for name, indexes in INDEXES.items():
            if indexes:
                await self.db[name].create_indexes(indexes)
        for name, retired in RETIRED_INDEXES.items():
            existing = await self.db[name].index_information()
            for index in retired:
                if index in existing:
                    await self.db[name].drop_index(index)
        await self.load_taxonomy(taxonomy)
        await self.meta.update_one(
            {"_id": CATALOG_META_ID}, {"$setOnInsert": {"version": 0, "updatedAt": utcnow()}}, upsert=True
        )

    async def load_taxonomy(self, taxonomy: Taxonomy) -> None:
        ops = [ReplaceOne({"_id": c.id}, c.to_document(), upsert=True) for c in taxonomy.competences.values()]
        if ops:
            await self.competences.bulk_write(ops, ordered=False)

    async def catalog_version(self) -> int:
        doc = await self.meta.find_one({"_id": CATALOG_META_ID}, {"version": 1})
        return int(doc["version"]) if doc else 0

    async def bump_catalog_version(self) -> int:
        doc = await self.meta.find_one_and_update(
            {"_id": CATALOG_META_ID},
            {"$inc": {"version": 1}, "$set": {"updatedAt": utcnow()}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return int(doc["version"])

    async def ping(self) -> None:
        await self.db.command("ping")

    async def upsert_provider(self, provider: str, fields: dict[str, Any]) -> None:
        await self.providers.update_one(
            {"_id": provider},
            {"$set": fields, "$setOnInsert": {"firstIngestAt": utcnow()}},
            upsert=True,
        )
