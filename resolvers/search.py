"""The portal search: filters and ranking on the snapshot, the page's documents through the offer loader."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date
from typing import Any

from matcher.catalog import Catalog
from matcher.filters import OfferFilter
from matcher.search import Facets, SearchError, SearchResult, Sort, facets, search
from resolvers.context import HubContext
from resolvers.queries import UserInputError, page_size

__all__ = ["OfferFilter", "SearchPage", "Sort", "make_filter", "search_offers"]


@dataclass
class SearchPage:
    docs: list[dict[str, Any]]
    total_count: int
    offset: int
    has_next_page: bool
    relevance: list[float]
    distance_km: list[float | None]
    catalog: Catalog
    result: SearchResult
    _facets: Facets | None = None

    def cursor(self, position: int) -> str:
        return encode_offset(self.offset + position + 1)

    def facets(self) -> Facets:
        if self._facets is None:
            self._facets = facets(self.catalog, self.result)
        return self._facets


def encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"search:{offset}".encode()).decode()


def decode_offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        kind, _, number = text.partition(":")
        if kind != "search":
            raise ValueError
        offset = int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise UserInputError("`after` is not a cursor returned by this API") from None
    if offset < 0 or offset > 10_000_000:
        raise UserInputError("`after` is not a cursor returned by this API")
    return offset


def make_filter(ctx: HubContext, *, providers: list[str] | None = None, formats: list[str] | None = None,
                languages: list[str] | None = None, competences: list[str] | None = None, min_level: int = 1,
                max_price_eur: float | None = None, free_only: bool = False, max_hours: float | None = None,
                start_after: date | None = None, end_before: date | None = None,
                near: tuple[float, float] | None = None, max_distance_km: float | None = None,
                self_paced: bool | None = None, kinds: list[str] | None = None) -> OfferFilter:
    """Check the caller's filter and say exactly what is wrong with it."""
    if not 1 <= min_level <= 8:
        raise UserInputError(f"`minLevel` must be between 1 and 8, got {min_level}")
    for name, value in (("maxPriceEur", max_price_eur), ("maxHours", max_hours), ("maxDistanceKm", max_distance_km)):
        if value is not None and value < 0:
            raise UserInputError(f"`{name}` must not be negative, got {value}")
    if max_distance_km is not None and near is None:
        raise UserInputError("`maxDistanceKm` needs `near` (the point to measure from)")
    if near is not None and not (-90 <= near[0] <= 90 and -180 <= near[1] <= 180):
        raise UserInputError("`near` must have -90 ≤ lat ≤ 90 and -180 ≤ lon ≤ 180")
    if start_after and end_before and end_before < start_after:
        raise UserInputError("`endBefore` is before `startAfter`")
    known = set(ctx.snapshot.competence_ids)
    unknown = [c for c in competences or [] if c not in known]
    if unknown:
        raise UserInputError(f"unknown competence {unknown[0]!r}; ids look like 'digcomp:4.2' or 'kc:egov-law'")
    return OfferFilter(
        providers=tuple(providers) if providers is not None else None,
        formats=tuple(formats) if formats is not None else None,
        languages=tuple(x.lower() for x in languages) if languages is not None else None,
        competences=tuple(competences) if competences is not None else None, min_level=min_level,
        max_price_eur=max_price_eur, free_only=free_only, max_hours=max_hours, start_after=start_after,
        end_before=end_before, near=near, max_distance_km=max_distance_km, self_paced=self_paced,
        kinds=tuple(kinds) if kinds is not None else None,
    )


async def search_offers(ctx: HubContext, text: str | None, offer_filter: OfferFilter, sort: Sort,
                        first: int | None, after: str | None) -> SearchPage:
    size = page_size(first)
    offset = decode_offset(after)
    if text is not None and len(text) > 500:
        raise UserInputError("`search` is limited to 500 characters")
    catalog = ctx.snapshot.catalog
    try:
        result = search(catalog, text, offer_filter, sort, offset, size)
    except SearchError as exc:
        raise UserInputError(str(exc)) from None
    ids = [catalog.ids[i] for i in result.indices]
    docs = await ctx.loaders.offer.load_many(ids)
    present = [(doc, i) for i, doc in enumerate(docs) if doc is not None]  # retired since the snapshot: skip
    return SearchPage(
        docs=[doc for doc, _ in present], total_count=result.total, offset=offset,
        has_next_page=offset + size < result.total,
        relevance=[float(result.relevance[i]) for _, i in present],
        distance_km=[None if result.distance_km is None or result.distance_km[i] != result.distance_km[i]
                     else float(result.distance_km[i]) for _, i in present],
        catalog=catalog, result=result,
    )
