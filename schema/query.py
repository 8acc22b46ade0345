"""The root Query type: thin fields that call `resolvers/` and wrap the documents they return."""

from __future__ import annotations

import strawberry

from resolvers import queries
from schema.types import (
    Competence,
    HubInfo,
    Offer,
    OfferConnection,
    OfferEdge,
    PageInfo,
    Provider,
)


@strawberry.type
class Query:
    @strawberry.field(description="All providers that have delivered a feed.")
    async def providers(self, info: HubInfo) -> list[Provider]:
        return [Provider.from_doc(doc) for doc in await queries.providers(info.context)]

    @strawberry.field(description="Competences, optionally of one framework (`digcomp`, `kc`).")
    async def competences(self, info: HubInfo, framework: str | None = None) -> list[Competence]:
        return [Competence.from_doc(doc) for doc in await queries.competences(info.context, framework)]

    @strawberry.field(description="One offer by id (`<provider>:<externalId>`), also when retired.")
    async def offer(self, info: HubInfo, id: strawberry.ID) -> Offer | None:
        doc = await queries.offer(info.context, str(id))
        return Offer.from_doc(doc) if doc else None

    @strawberry.field(description="Active offers, a page at a time (`first` at most 100).")
    async def offers(self, info: HubInfo, first: int | None = 20, after: str | None = None) -> OfferConnection:
        page = await queries.offers_page(info.context, first, after)
        return OfferConnection(
            total_count=page.total_count,
            page_info=PageInfo(has_next_page=page.has_next_page, has_previous_page=page.has_previous_page,
                               start_cursor=page.start_cursor, end_cursor=page.end_cursor),
            edges=[OfferEdge(cursor=queries.encode_cursor(doc["_id"]), node=Offer.from_doc(doc))
                   for doc in page.offers],
        )
