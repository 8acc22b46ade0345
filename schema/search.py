"""The search connection: Relay edges with relevance and distance, and disjunctive facets."""

from __future__ import annotations

import strawberry

from resolvers.search import SearchPage, Sort, search_offers
from schema import labels
from schema.enums import OfferSort
from schema.inputs import OfferFilterInput, filter_or_default
from schema.types import Competence, HubInfo, Offer, PageInfo


@strawberry.type(description="One facet value: how many offers match with this value chosen.")
class FacetValue:
    value: str
    count: int
    dimension: strawberry.Private[str]

    @strawberry.field(description="Display label in the given language (de or en).")
    async def label(self, info: HubInfo, lang: str = "de") -> str:
        if self.dimension == "providers":
            doc = await info.context.loaders.provider.load(self.value)
            return str(doc.get("name")) if doc else self.value
        if self.dimension == "competences":
            doc = await info.context.loaders.competence.load(self.value)
            return Competence.from_doc(doc).label(lang) if doc else self.value
        return labels.static(self.dimension, self.value, lang)


def _values(dimension: str, counts: list) -> list[FacetValue]:  # type: ignore[type-arg]
    return [FacetValue(value=c.value, count=c.count, dimension=dimension) for c in counts]


@strawberry.type(description="Counts per value. Each facet applies every filter except its own, so the "
                             "alternatives to a chosen value stay visible.")
class Facets:
    page: strawberry.Private[SearchPage]

    @strawberry.field
    def providers(self) -> list[FacetValue]:
        return _values("providers", self.page.facets().providers)

    @strawberry.field
    def formats(self) -> list[FacetValue]:
        return _values("formats", self.page.facets().formats)

    @strawberry.field
    def languages(self) -> list[FacetValue]:
        return _values("languages", self.page.facets().languages)

    @strawberry.field
    def kinds(self) -> list[FacetValue]:
        return _values("kinds", self.page.facets().kinds)

    @strawberry.field(description="The 20 competences taught by most matching offers.")
    def competences(self) -> list[FacetValue]:
        return _values("competences", self.page.facets().competences)

    @strawberry.field(description="Price bands: 0, 1-100, 101-300, 301-600, 601-1000, 1001+ (EUR).")
    def price_bands(self) -> list[FacetValue]:
        return _values("priceBands", self.page.facets().price_bands)

    @strawberry.field(description="Months (YYYY-MM) in which a run starts; `undated` for self-paced offers.")
    def start_months(self) -> list[FacetValue]:
        return _values("startMonths", self.page.facets().start_months)


@strawberry.type
class OfferEdge:
    cursor: str
    node: Offer
    relevance: float = strawberry.field(description="BM25 text relevance; 0 without `search`.")
    distance_km: float | None = strawberry.field(description="Great-circle distance from `near`, if located.")


@strawberry.type(description="A page of offers (Relay connection) with the total and facet counts.")
class OfferConnection:
    total_count: int
    page_info: PageInfo
    edges: list[OfferEdge]
    facets: Facets

    @strawberry.field(description="The offers of `edges`, without cursors.")
    def nodes(self) -> list[Offer]:
        return [edge.node for edge in self.edges]


async def offer_connection(info: HubInfo, search: str | None, filter: OfferFilterInput | None, sort: OfferSort,
                           first: int | None, after: str | None, provider: str | None = None) -> OfferConnection:
    page = await search_offers(info.context, search, filter_or_default(filter, info, provider), Sort(sort.value),
                               first, after)
    edges = [OfferEdge(cursor=page.cursor(i), node=Offer.from_doc(doc), relevance=page.relevance[i],
                       distance_km=page.distance_km[i]) for i, doc in enumerate(page.docs)]
    return OfferConnection(
        total_count=page.total_count,
        page_info=PageInfo(has_next_page=page.has_next_page, has_previous_page=page.offset > 0,
                           start_cursor=edges[0].cursor if edges else None,
                           end_cursor=edges[-1].cursor if edges else None),
        edges=edges, facets=Facets(page=page),
    )
