"""Search like a holiday portal: text relevance, filters, sorts and disjunctive facets on the snapshot.

Only the page's offer indices leave this module; the resolvers load those documents from MongoDB.
Sorting selects the page with a partition on the primary key before ordering, so the cost is linear in
the matches, not n log n, and ties always fall back to the offer id for a stable order across pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from matcher.catalog import FORMATS, KINDS, NO_KIND, Catalog, day_date
from matcher.filters import Masks, OfferFilter, masks_for

PRICE_EDGES = (0.0, 100.0, 300.0, 600.0, 1000.0)
PRICE_BANDS = ("0", "1-100", "101-300", "301-600", "601-1000", "1001+")
TOP_COMPETENCES = 20


class Sort(StrEnum):
    RELEVANCE = "RELEVANCE"
    PRICE_ASC = "PRICE_ASC"
    START_ASC = "START_ASC"
    HOURS_ASC = "HOURS_ASC"
    DISTANCE = "DISTANCE"


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True)
class Facets:
    providers: list[FacetCount]
    formats: list[FacetCount]
    languages: list[FacetCount]
    kinds: list[FacetCount]
    competences: list[FacetCount]
    price_bands: list[FacetCount]
    start_months: list[FacetCount]


@dataclass(frozen=True)
class SearchResult:
    indices: np.ndarray           # offer rows of the page, in order
    total: int
    relevance: np.ndarray         # BM25 score per page row (0 without search text)
    distance_km: np.ndarray | None
    masks: Masks
    matched: np.ndarray           # bool [n]: offers matching text and all filters


class SearchError(ValueError):
    """The caller asked for something the search cannot do; the message says what."""


def search(catalog: Catalog, text: str | None, offer_filter: OfferFilter, sort: Sort, offset: int, limit: int,
           ) -> SearchResult:
    masks = masks_for(catalog, offer_filter)
    scores = np.zeros(catalog.size)
    if text and text.strip():
        scores, text_mask = catalog.text.score(catalog.analyzer.terms(text))
        masks.by_dimension["text"] = text_mask
    matched = masks.combined(catalog.size)
    candidates = np.flatnonzero(matched)
    key = _sort_key(catalog, sort, scores, masks, offer_filter)
    page = _page(candidates, key[candidates], catalog.id_rank[candidates], offset, limit)
    return SearchResult(
        indices=page, total=len(candidates), relevance=scores[page],
        distance_km=None if masks.distance_km is None else masks.distance_km[page], masks=masks, matched=matched,
    )


def _sort_key(catalog: Catalog, sort: Sort, scores: np.ndarray, masks: Masks, f: OfferFilter) -> np.ndarray:
    if sort == Sort.RELEVANCE:
        return -scores
    if sort == Sort.PRICE_ASC:
        return catalog.price
    if sort == Sort.HOURS_ASC:
        return catalog.hours
    if sort == Sort.DISTANCE:
        if masks.distance_km is None:
            raise SearchError("sort DISTANCE needs `filter.near`")
        online = catalog.format == FORMATS.index("ONLINE")
        return np.where(online | np.isnan(masks.distance_km), np.inf, masks.distance_km)
    return earliest_start(catalog, masks.run_ok)


def earliest_start(catalog: Catalog, run_ok: np.ndarray | None) -> np.ndarray:
    """First start day per offer among its runs in the window; undated-only offers sort last (inf)."""
    starts = np.where(catalog.run_dated, catalog.run_start, np.inf).astype(np.float64)
    if run_ok is not None:
        starts = np.where(run_ok, starts, np.inf)
    if catalog.size == 0:
        return starts[:0]
    return np.minimum.reduceat(starts, catalog.run_offsets[:-1])


def _page(candidates: np.ndarray, key: np.ndarray, rank: np.ndarray, offset: int, limit: int) -> np.ndarray:
    need = offset + limit
    if need == 0 or len(candidates) == 0:
        return candidates[:0]
    if len(candidates) > need:
        threshold = np.partition(key, need - 1)[need - 1]
        keep = key <= threshold  # ties at the threshold stay, so the id tie-break decides among them
        candidates, key, rank = candidates[keep], key[keep], rank[keep]
    order = np.lexsort((rank, key))
    return candidates[order[offset:need]]


def facets(catalog: Catalog, result: SearchResult) -> Facets:
    masks = result.masks
    n = catalog.size

    def within(dimension: str) -> np.ndarray:
        return masks.combined(n, without=dimension)

    prov = np.bincount(catalog.provider[within("providers")], minlength=len(catalog.providers.values))
    fmt = np.bincount(catalog.format[within("formats")], minlength=len(FORMATS))
    kind_rows = catalog.kind[within("kinds")]
    kinds = np.bincount(kind_rows[kind_rows != NO_KIND], minlength=len(KINDS))
    lang_rows = catalog.lang_mask[within("languages")]
    langs = [int(np.count_nonzero(lang_rows & (np.uint64(1) << np.uint64(i))))
             for i in range(len(catalog.languages.values))]
    comp_mask = within("competences")
    comp_counts = np.bincount(catalog.comp_id[comp_mask[catalog.comp_offer]],
                              minlength=len(catalog.competences.values))
    top = [int(i) for i in np.argsort(-comp_counts, kind="stable")[:TOP_COMPETENCES] if comp_counts[i] > 0]
    bands = np.bincount(np.searchsorted(PRICE_EDGES, catalog.price[within("price")], side="left"),
                        minlength=len(PRICE_BANDS))
    return Facets(
        providers=[FacetCount(v, int(c)) for v, c in zip(catalog.providers.values, prov, strict=True)],
        formats=[FacetCount(v, int(c)) for v, c in zip(FORMATS, fmt, strict=True)],
        languages=[FacetCount(v, c) for v, c in zip(catalog.languages.values, langs, strict=True)],
        kinds=[FacetCount(v, int(c)) for v, c in zip(KINDS, kinds, strict=True)],
        competences=[FacetCount(catalog.competences.values[i], int(comp_counts[i])) for i in top],
        price_bands=[FacetCount(v, int(c)) for v, c in zip(PRICE_BANDS, bands, strict=True)],
        start_months=_start_months(catalog, within("dates")),
    )


def _start_months(catalog: Catalog, offer_mask: np.ndarray) -> list[FacetCount]:
    """Offers per month in which one of their runs starts (an offer counts once per month); undated apart."""
    runs = offer_mask[catalog.run_offer]
    dated = runs & catalog.run_dated
    undated_offers = np.unique(catalog.run_offer[runs & ~catalog.run_dated])
    out: list[FacetCount] = []
    if dated.any():
        starts = catalog.run_start[dated]
        months = _month_index(starts)
        pairs = np.unique(catalog.run_offer[dated].astype(np.int64) * 100_000 + months)
        values, counts = np.unique(pairs % 100_000, return_counts=True)
        out = [FacetCount(_month_label(int(m)), int(c)) for m, c in zip(values, counts, strict=True)]
    if len(undated_offers):
        out.append(FacetCount("undated", len(undated_offers)))
    return out


def _month_index(days: np.ndarray) -> np.ndarray:
    """Months since 1970-01 for day numbers, vectorised through numpy datetimes."""
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)


def _month_label(month_index: int) -> str:
    day = day_date(int(np.datetime64(month_index, "M").astype("datetime64[D]").astype(np.int64)))
    return f"{day.year:04d}-{day.month:02d}"
