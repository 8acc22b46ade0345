"""Query resolvers: plain documents in, plain documents out; the Strawberry types in `schema/` wrap them."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from resolvers.context import HubContext

MAX_PAGE = 100
DEFAULT_PAGE = 20


class UserInputError(ValueError):
    """The caller's mistake; the message is shown to the client as is."""


@dataclass(frozen=True)
class OfferPage:
    offers: list[dict[str, Any]]
    total_count: int
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def encode_cursor(value: str) -> str:
    return base64.urlsafe_b64encode(f"offer:{value}".encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise UserInputError("`after` is not a cursor returned by this API") from None
    if not text.startswith("offer:"):
        raise UserInputError("`after` is not a cursor returned by this API")
    return text.removeprefix("offer:")


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    if first < 0 or first > MAX_PAGE:
        raise UserInputError(f"`first` must be between 0 and {MAX_PAGE}, got {first}")
    return first


async def offers_page(ctx: HubContext, first: int | None, after: str | None) -> OfferPage:
    """Active offers in id order; documents are primed into the offer loader for nested resolvers."""
    size = page_size(first)
    match: dict[str, Any] = {"status": "ACTIVE"}
    query = dict(match)
    if after:
        query["_id"] = {"$gt": decode_cursor(after)}
    docs = await ctx.store.offers.find(query, {"history": 0}).sort("_id", 1).limit(size + 1).to_list(None)
    total = await ctx.store.offers.count_documents(match)
    has_next = len(docs) > size
    docs = docs[:size]
    for doc in docs:
        ctx.loaders.offer.prime(doc["_id"], doc)
    return OfferPage(
        offers=docs, total_count=total, has_next_page=has_next, has_previous_page=after is not None,
        start_cursor=encode_cursor(docs[0]["_id"]) if docs else None,
        end_cursor=encode_cursor(docs[-1]["_id"]) if docs else None,
    )


async def offer(ctx: HubContext, offer_id: str) -> dict[str, Any] | None:
    return await ctx.loaders.offer.load(offer_id)


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


def _competence_order(doc: dict[str, Any]) -> tuple[Any, ...]:
    """DigComp codes sort numerically (1.10 after 1.9), slugs alphabetically."""
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in str(doc["code"]).split("."))
    return (doc["framework"], parts)
