"""The per-request context: the store and a fresh set of DataLoaders, so caches never leak between users."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field

from resolvers.loaders import CompetenceLoader, OfferLoader, ProviderLoader, ProviderOfferCountLoader
from resolvers.snapshot import SnapshotHolder
from sources.store import Store


@dataclass
class Loaders:
    offer: OfferLoader
    provider: ProviderLoader
    competence: CompetenceLoader
    provider_offer_count: ProviderOfferCountLoader

    @classmethod
    def for_store(cls, store: Store) -> Loaders:
        return cls(
            offer=OfferLoader(store.offers, {"history": 0}),
            provider=ProviderLoader(store.providers),
            competence=CompetenceLoader(),
            provider_offer_count=ProviderOfferCountLoader(store.offers),
        )


@dataclass
class HubContext:
    store: Store
    snapshot: SnapshotHolder
    loaders: Loaders
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    match_slots: asyncio.Semaphore | None = None  # the app's bound on matches computing at once (None: no bound)

    @classmethod
    def create(cls, store: Store, snapshot: SnapshotHolder, request_id: str | None = None,
               match_slots: asyncio.Semaphore | None = None) -> HubContext:
        ctx = cls(store=store, snapshot=snapshot, loaders=Loaders.for_store(store), match_slots=match_slots)
        if request_id:
            ctx.request_id = request_id
        return ctx
