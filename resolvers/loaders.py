"""DataLoaders, one instance per request (see `context.py`): each batches all lookups of one type made while
a query resolves into a single MongoDB call, so no resolver issues a call per list item."""

from __future__ import annotations

from functools import cache
from typing import Any

from aiodataloader import DataLoader
from pymongo.asynchronous.collection import AsyncCollection

from sources.taxonomy import load_taxonomy

Document = dict[str, Any]


class _ByIdLoader(DataLoader[str, Document | None]):
    """Documents by `_id`, `None` for a missing one; order follows the requested keys."""

    def __init__(self, collection: AsyncCollection, projection: dict[str, int] | None = None) -> None:
        super().__init__()
        self.collection = collection
        self.projection = projection

    async def batch_load_fn(self, keys: list[str]) -> list[Document | None]:
        found = {doc["_id"]: doc async for doc in self.collection.find({"_id": {"$in": list(set(keys))}},
                                                                        self.projection)}
        return [found.get(key) for key in keys]


class OfferLoader(_ByIdLoader):
    pass


class ProviderLoader(_ByIdLoader):
    pass


@cache
def _taxonomy_documents() -> dict[str, Document]:
    return {c.id: c.to_document() for c in load_taxonomy().competences.values()}


class CompetenceLoader(DataLoader[str, Document | None]):
    """Competences from the taxonomy in memory, exactly the documents the store writes at start.

    Not from MongoDB, for privacy: a `match` query names the employee's competences, and a database command
    carrying them would show up in driver logs and server profilers."""

    async def batch_load_fn(self, keys: list[str]) -> list[Document | None]:
        docs = _taxonomy_documents()
        return [docs.get(key) for key in keys]


class ProviderOfferCountLoader(DataLoader[str, int]):
    """Active offers per provider, counted for all requested providers in one aggregation."""

    def __init__(self, offers: AsyncCollection) -> None:
        super().__init__()
        self.offers = offers

    async def batch_load_fn(self, keys: list[str]) -> list[int]:
        pipeline = [
            {"$match": {"provider": {"$in": list(set(keys))}, "status": "ACTIVE"}},
            {"$group": {"_id": "$provider", "n": {"$sum": 1}}},
        ]
        counts = {row["_id"]: int(row["n"]) async for row in await self.offers.aggregate(pipeline)}
        return [counts.get(key, 0) for key in keys]
