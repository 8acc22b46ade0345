"""Helpers for the provider adapter tests: a real ingest through a named adapter, and what it left behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sources.base import SourceConfig
from sources.demo import DEMO_DIR
from sources.fetch import Fetcher, FetchPolicy
from sources.pipeline import RunReport, ingest
from sources.store import Store

DEMO = DEMO_DIR


async def run_adapter(store: Store, cls: type[Any], location: str | Path, provider: str | None = None,
                      max_bytes: int | None = None) -> RunReport:
    """Ingest `location` through adapter class `cls` (its default provider unless `provider` is given)."""
    policy = FetchPolicy(retries=0, backoff_s=0.01, **({"max_bytes": max_bytes} if max_bytes else {}))
    provider = provider or cls.default_provider
    async with Fetcher(policy) as fetcher:
        adapter = cls(SourceConfig(provider=provider, provider_name=getattr(cls, "default_provider_name", None)),
                      fetcher)
        return await ingest(store, adapter, str(location))


async def offers(store: Store, provider: str) -> dict[str, dict[str, Any]]:
    """The provider's stored offers by externalId."""
    return {doc["externalId"]: doc async for doc in store.offers.find({"provider": provider})}


async def quarantined(store: Store, provider: str) -> dict[str, list[str]]:
    """The provider's quarantined records: externalId (or None) to reasons, several records' reasons merged."""
    out: dict[str, list[str]] = {}
    async for doc in store.quarantine.find({"provider": provider}):
        out.setdefault(doc["externalId"], []).extend(doc["reasons"])
    return out


def content(doc: dict[str, Any]) -> dict[str, Any]:
    """An offer document without the bookkeeping that differs between runs (times, run ids, history)."""
    return {k: v for k, v in doc.items() if k not in {"firstSeen", "lastSeen", "source", "history"}}
