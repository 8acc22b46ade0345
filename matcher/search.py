"""Search like a holiday portal: text relevance, filters, sorts and disjunctive facets on the snapshot.

Only the page's offer indices leave this module; the resolvers load those documents from MongoDB.
Sorting selects the page with a partition on the primary key before ordering, so the cost is linear in
the matches, not n log n, and ties always fall back to the offer id for a stable order across pages.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from matcher.catalog import FORMATS, KINDS, PRICE_EDGES, Catalog, day_date
from matcher.filters import Masks, OfferFilter, masks_for

__all__ = ["PRICE_BANDS", "PRICE_EDGES", "FacetCount", "Facets", "SearchError", "SearchResult", "Sort",
           "earliest_start", "facets", "search"]
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
    """First start day per offer among its runs in the window; undated-only offers sort last (inf).

    Without a window this is a column of the snapshot (read-only), computed once at build time."""
    derived = catalog.derived
    if run_ok is None:
        return derived.first_start
    starts = np.where(run_ok, derived.run_start_f, np.inf)
    if catalog.size == 0:
        return starts[:0]
    return np.minimum.reduceat(starts, catalog.run_offsets[:-1])


def _page(candidates: np.ndarray, key: np.ndarray, rank: np.ndarray, offset: int, limit: int) -> np.ndarray:
    need = offset + limit
    if need == 0 or len(candidates) == 0:
        return candidates[:0]
    if len(candidates) > need:
        threshold = np.partition(key, need - 1)[need - 1]
        below = np.flatnonzero(key < threshold)
        tied = np.flatnonzero(key == threshold)
        room = need - len(below)  # >= 1: the threshold is the need-th smallest key
        if len(tied) > room:
            # Among equal keys the id decides, so only the `room` smallest ranks can reach the page. Without
            # this, a sort with many equal keys (no search text, free offers by price) sorts every match.
            tied = tied[np.argpartition(rank[tied], room - 1)[:room]]
        keep = np.concatenate((below, tied))
        candidates, key, rank = candidates[keep], key[keep], rank[keep]
    order = np.lexsort((rank, key))
    return candidates[order[offset:need]]


def facets(catalog: Catalog, result: SearchResult) -> Facets:
    masks = result.masks
    n = catalog.size

    def within(dimension: str) -> np.ndarray:
        if dimension not in masks.by_dimension:
            return result.matched  # the dimension is not filtered: its facet sees exactly the matches
        return masks.combined(n, without=dimension)

    counts = _small_facets(catalog, masks, within)
    comp_mask = within("competences")
    comp_counts = np.bincount(catalog.comp_id[comp_mask[catalog.comp_offer]],
                              minlength=len(catalog.competences.values))
    top = [int(i) for i in np.argsort(-comp_counts, kind="stable")[:TOP_COMPETENCES] if comp_counts[i] > 0]
    return Facets(
        providers=[FacetCount(v, int(c)) for v, c in zip(catalog.providers.values, counts["providers"], strict=True)],
        formats=[FacetCount(v, int(c)) for v, c in zip(FORMATS, counts["formats"], strict=True)],
        languages=[FacetCount(v, int(c)) for v, c in zip(catalog.languages.values, counts["languages"], strict=True)],
        kinds=[FacetCount(v, int(c)) for v, c in zip(KINDS, counts["kinds"], strict=True)],
        competences=[FacetCount(catalog.competences.values[i], int(comp_counts[i])) for i in top],
        price_bands=[FacetCount(v, int(c)) for v, c in zip(PRICE_BANDS, counts["price"], strict=True)],
        start_months=_start_months(catalog, within("dates")),
    )


SMALL_FACETS = ("providers", "formats", "kinds", "price", "languages")


def _small_facets(catalog: Catalog, masks: Masks, within: Callable[[str], np.ndarray]) -> dict[str, np.ndarray]:
    """Counts of the low-cardinality facets. Those whose dimension is not filtered all count the same rows (the
    matches), so they come from one histogram of the snapshot's combined code, summed along the other axes;
    a filtered dimension counts its own rows, as disjunctive facets require."""
    derived = catalog.derived
    out: dict[str, np.ndarray] = {}
    shared = [d for d in SMALL_FACETS if d not in masks.by_dimension]
    if derived.cell is not None and len(shared) > 1:
        hist = np.bincount(derived.cell[within(shared[0])], minlength=math.prod(derived.cell_shape))
        hist = hist.reshape(derived.cell_shape)
        for d in shared:
            axis = SMALL_FACETS.index(d)
            out[d] = hist.sum(axis=tuple(a for a in range(hist.ndim) if a != axis))
        if "languages" in shared:  # counts per combination of language bits: each language sums its combinations
            combos = out["languages"]
            out["languages"] = np.array([combos[[m for m in range(len(combos)) if m >> i & 1]].sum()
                                         for i in range(len(catalog.languages.values))], dtype=np.int64)
    for d in SMALL_FACETS:
        if d in out:
            continue
        rows = within(d)
        if d == "providers":
            out[d] = np.bincount(catalog.provider[rows], minlength=len(catalog.providers.values))
        elif d == "formats":
            out[d] = np.bincount(catalog.format[rows], minlength=len(FORMATS))
        elif d == "kinds":
            out[d] = np.bincount(catalog.kind[rows].astype(np.int64) + 1, minlength=len(KINDS) + 1)
        elif d == "price":
            out[d] = np.bincount(derived.price_band[rows], minlength=len(PRICE_BANDS))
        else:
            lang_rows = catalog.lang_mask[rows]
            out[d] = np.array([np.count_nonzero(lang_rows & (np.uint64(1) << np.uint64(i)))
                               for i in range(len(catalog.languages.values))], dtype=np.int64)
    out["kinds"] = out["kinds"][1:]  # slot 0 holds the offers without a kind
    return out


def _start_months(catalog: Catalog, offer_mask: np.ndarray) -> list[FacetCount]:
    """Offers per month in which one of their runs starts (an offer counts once per month); undated apart.

    The snapshot lists each (offer, start month) pair once, so counting is a gather and a bincount instead of
    sorting (offer, month) pairs on every request."""
    derived = catalog.derived
    counts = np.bincount(derived.month[offer_mask[derived.month_offer]], minlength=derived.n_months)
    out = [FacetCount(_month_label(derived.month0 + int(m)), int(counts[m])) for m in np.flatnonzero(counts)]
    undated = int(np.count_nonzero(offer_mask & derived.has_undated))
    if undated:
        out.append(FacetCount("undated", undated))
    return out


def _month_label(month_index: int) -> str:
    day = day_date(int(np.datetime64(month_index, "M").astype("datetime64[D]").astype(np.int64)))
    return f"{day.year:04d}-{day.month:02d}"
