"""The root Query type: thin fields that call `resolvers/` and wrap what they return."""

from __future__ import annotations

import strawberry

from resolvers import analytics, queries
from schema.analytics import CatalogStats, CompetenceLevelCell
from schema.enums import OfferSort
from schema.inputs import OfferFilterInput, filter_or_default
from schema.matching import MatchQuery, MatchResult, run_match
from schema.operators import IngestRun, QuarantineEntry
from schema.search import OfferConnection, offer_connection
from schema.types import Competence, CompetenceArea, HubInfo, Node, Offer, Provider


@strawberry.type(description="A framework area with its competences: the tree a portal shows as navigation.")
class CompetenceTreeArea:
    area: CompetenceArea
    competences: list[Competence]


@strawberry.type
class Query:
    @strawberry.field(description="Search active offers: text, filters, sort, facets; `first` at most 100.")
    async def offers(self, info: HubInfo, search: str | None = None, filter: OfferFilterInput | None = None,
                     sort: OfferSort = OfferSort.RELEVANCE, first: int | None = 20,
                     after: str | None = None) -> OfferConnection:
        return await offer_connection(info, search, filter, sort, first, after)

    @strawberry.field(description="One offer by id (`<provider>:<externalId>`), also when retired.")
    async def offer(self, info: HubInfo, id: strawberry.ID) -> Offer | None:
        doc = await queries.offer(info.context, str(id))
        return Offer.from_doc(doc) if doc else None

    @strawberry.field(description="Any object by its id (Relay): an offer, a provider or a competence.")
    async def node(self, info: HubInfo, id: strawberry.ID) -> Node | None:
        found = await queries.node(info.context, str(id))
        if found is None:
            return None
        kind, doc = found
        if kind == "Offer":
            return Offer.from_doc(doc)
        if kind == "Provider":
            return Provider.from_doc(doc)
        return Competence.from_doc(doc)

    @strawberry.field(description="All providers that have delivered a feed.")
    async def providers(self, info: HubInfo) -> list[Provider]:
        return [Provider.from_doc(doc) for doc in await queries.providers(info.context)]

    @strawberry.field(description="One provider by id, e.g. `dhbw`.")
    async def provider(self, info: HubInfo, id: strawberry.ID) -> Provider | None:
        doc = await queries.provider(info.context, str(id))
        return Provider.from_doc(doc) if doc else None

    @strawberry.field(description="Competences, optionally of one framework (`digcomp`, `kc`), in code order.")
    async def competences(self, info: HubInfo, framework: str | None = None) -> list[Competence]:
        return [Competence.from_doc(doc) for doc in await queries.competences(info.context, framework)]

    @strawberry.field(description="The competences of one framework as a tree: area → competences.")
    async def competence_tree(self, info: HubInfo, framework: str) -> list[CompetenceTreeArea]:
        tree: dict[str, CompetenceTreeArea] = {}
        for doc in await queries.competences(info.context, framework):
            competence = Competence.from_doc(doc)
            node = tree.setdefault(competence.area.code, CompetenceTreeArea(area=competence.area, competences=[]))
            node.competences.append(competence)
        return list(tree.values())

    @strawberry.field(description="Operators: the latest ingest runs, newest first (`last` at most 100).")
    async def ingest_runs(self, info: HubInfo, last: int | None = 20,
                          provider: strawberry.ID | None = None) -> list[IngestRun]:
        docs = await queries.ingest_runs(info.context, last, str(provider) if provider else None)
        return [IngestRun.from_doc(doc) for doc in docs]

    @strawberry.field(description="Operators: quarantined records, newest first (`first` at most 100).")
    async def quarantine(self, info: HubInfo, provider: strawberry.ID | None = None,
                         first: int | None = 20) -> list[QuarantineEntry]:
        docs = await queries.quarantine(info.context, str(provider) if provider else None, first)
        return [QuarantineEntry.from_doc(doc) for doc in docs]

    @strawberry.field(description="Analysts: counts and price/hours distributions of the (filtered) catalog.")
    def catalog_stats(self, info: HubInfo, filter: OfferFilterInput | None = None) -> CatalogStats:
        return CatalogStats.of(analytics.catalog_stats(info.context, filter_or_default(filter, info)))

    @strawberry.field(description="Analysts: competence × level cells with at most `maxOffers` offers teaching "
                                  "exactly that level — where supply is missing.")
    def coverage_gaps(self, info: HubInfo, framework: str | None = None,
                      max_offers: int = 0) -> list[CompetenceLevelCell]:
        return [CompetenceLevelCell.of(c) for c in analytics.coverage_gaps(info.context, framework, max_offers)]

    @strawberry.field(description="Learning paths: the best bundles of offers that close an employee's competence "
                                  "gaps within budget, hours, dates and distance. Inputs are neither stored nor "
                                  "logged.")
    async def match(self, info: HubInfo, query: MatchQuery) -> MatchResult:
        return await run_match(info, query)
