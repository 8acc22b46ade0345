"""Query resolvers: plain documents and matcher results out; the Strawberry types in `schema/` wrap them."""

from __future__ import annotations

from typing import Any

from matcher.stats import level_counts
from resolvers.context import HubContext

MAX_PAGE = 100
DEFAULT_PAGE = 20


class UserInputError(ValueError):
    """The caller's mistake; the message is shown to the client as is."""


def page_size(first: int | None, default: int = DEFAULT_PAGE) -> int:
    if first is None:
        return default
    if first < 0 or first > MAX_PAGE:
        raise UserInputError(f"`first` must be between 0 and {MAX_PAGE}, got {first}")
    return first


async def offer(ctx: HubContext, offer_id: str) -> dict[str, Any] | None:
    return await ctx.loaders.offer.load(offer_id)


async def provider(ctx: HubContext, provider_id: str) -> dict[str, Any] | None:
    return await ctx.loaders.provider.load(provider_id)


async def node(ctx: HubContext, node_id: str) -> tuple[str, dict[str, Any]] | None:
    """Relay node lookup. Ids are unique across types by construction: providers have no colon, offers are
    `provider:externalId`, competences `framework:code`, and framework names are reserved provider ids."""
    if ":" not in node_id:
        doc = await ctx.loaders.provider.load(node_id)
        return ("Provider", doc) if doc else None
    offer_doc, competence_doc = await ctx.loaders.offer.load(node_id), await ctx.loaders.competence.load(node_id)
    if offer_doc:
        return "Offer", offer_doc
    if competence_doc:
        return "Competence", competence_doc
    return None


async def providers(ctx: HubContext) -> list[dict[str, Any]]:
    docs = await ctx.store.providers.find({}).sort("_id", 1).to_list(None)
    for doc in docs:
        ctx.loaders.provider.prime(doc["_id"], doc)
    return docs


async def competences(ctx: HubContext, framework: str | None) -> list[dict[str, Any]]:
    query = {"framework": framework.lower()} if framework else {}
    docs = await ctx.store.competences.find(query).to_list(None)
    docs.sort(key=_competence_order)
    for doc in docs:
        ctx.loaders.competence.prime(doc["_id"], doc)
    return docs


def competence_level_counts(ctx: HubContext, competence_id: str) -> list[int]:
    catalog = ctx.snapshot.catalog
    try:
        j = catalog.competences.values.index(competence_id)
    except ValueError:
        return [0] * 9
    return [int(x) for x in level_counts(catalog)[j]]


def _competence_order(doc: dict[str, Any]) -> tuple[Any, ...]:
    """DigComp codes sort numerically (1.10 after 1.9), slugs alphabetically."""
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in str(doc["code"]).split("."))
    return (doc["framework"], parts)


async def ingest_runs(ctx: HubContext, last: int | None, provider_id: str | None) -> list[dict[str, Any]]:
    query = {"provider": provider_id} if provider_id else {}
    return await ctx.store.ingest_runs.find(query).sort("startedAt", -1).limit(page_size(last)).to_list(None)


async def quarantine(ctx: HubContext, provider_id: str | None, first: int | None) -> list[dict[str, Any]]:
    query = {"provider": provider_id} if provider_id else {}
    cursor = ctx.store.quarantine.find(query).sort([("quarantinedAt", -1), ("_id", 1)]).limit(page_size(first))
    return await cursor.to_list(None)
