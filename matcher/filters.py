"""Offer filters as boolean masks over the catalog, one mask per filter dimension.

Keeping the dimensions apart is what makes disjunctive facets cheap: a facet's counts use every mask but
its own. The same run-level rules serve the search (an offer passes when one of its runs does) and the
matcher (each passing run is a candidate).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from matcher.catalog import FORMATS, KINDS, Catalog, day_number

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class OfferFilter:
    providers: tuple[str, ...] | None = None
    formats: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    competences: tuple[str, ...] | None = None
    min_level: int = 1
    max_price_eur: float | None = None
    free_only: bool = False
    max_hours: float | None = None
    start_after: date | None = None
    end_before: date | None = None
    near: tuple[float, float] | None = None
    max_distance_km: float | None = None
    self_paced: bool | None = None
    kinds: tuple[str, ...] | None = None


@dataclass
class Masks:
    """Per-dimension masks (None = not filtered) and the run mask of the date window."""

    by_dimension: dict[str, np.ndarray] = field(default_factory=dict)
    run_ok: np.ndarray | None = None
    distance_km: np.ndarray | None = None

    def combined(self, n: int, without: str | None = None) -> np.ndarray:
        out = np.ones(n, dtype=bool)
        for name, mask in self.by_dimension.items():
            if name != without:
                out &= mask
        return out


def great_circle_km(lat: np.ndarray, lon: np.ndarray, point: tuple[float, float]) -> np.ndarray:
    lat2 = np.radians(lat)
    return _haversine_km(point, lat2, np.radians(lon), np.cos(lat2))


def _haversine_km(point: tuple[float, float], lat2: np.ndarray, lon2: np.ndarray, cos_lat2: np.ndarray,
                  ) -> np.ndarray:
    """Great-circle distance from `point` (degrees) to points given in radians, with their cosines precomputed."""
    lat1, lon1 = np.radians(point[0]), np.radians(point[1])
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * cos_lat2 * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _codes(values: tuple[str, ...], vocabulary: tuple[str, ...]) -> np.ndarray:
    index = {v: i for i, v in enumerate(vocabulary)}
    return np.asarray([index[v] for v in values if v in index], dtype=np.int64)


def _member(column: np.ndarray, codes: np.ndarray, size: int) -> np.ndarray:
    """`np.isin(column, codes)` for a code column with values in [-1, size): one lookup per row, no sort.

    The table has one slot more than the vocabulary, so a -1 code (NO_KIND) lands in that never-set slot."""
    allowed = np.zeros(size + 1, dtype=bool)
    allowed[codes] = True
    return allowed[column]


def run_window(catalog: Catalog, start_after: date | None, end_before: date | None) -> np.ndarray | None:
    """Runs inside the date window; undated runs (self-paced, any time) always pass."""
    if start_after is None and end_before is None:
        return None
    ok = np.ones(len(catalog.run_offer), dtype=bool)
    if start_after is not None:
        ok &= ~catalog.run_dated | (catalog.run_start >= day_number(start_after))
    if end_before is not None:
        ok &= ~catalog.run_dated | (catalog.run_end <= day_number(end_before))
    return ok


def distances(catalog: Catalog, near: tuple[float, float] | None) -> np.ndarray | None:
    """Distance of every offer from `near` (NaN without a location), computed only for the located offers."""
    if near is None:
        return None
    derived = catalog.derived
    out = np.full(catalog.size, np.nan)
    out[derived.located] = _haversine_km(near, derived.lat_rad, derived.lon_rad, derived.cos_lat)
    return out


def distance_ok(catalog: Catalog, dist: np.ndarray, max_km: float) -> np.ndarray:
    """ONLINE offers always pass; on-site and hybrid ones need a known location within reach."""
    online = catalog.format == FORMATS.index("ONLINE")
    with np.errstate(invalid="ignore"):
        return online | (dist <= max_km)


def masks_for(catalog: Catalog, f: OfferFilter) -> Masks:
    n = catalog.size
    masks = Masks()
    dims = masks.by_dimension
    if f.providers is not None:
        dims["providers"] = _member(catalog.provider, _codes(f.providers, catalog.providers.values),
                                    len(catalog.providers.values))
    if f.formats is not None:
        dims["formats"] = _member(catalog.format, _codes(f.formats, FORMATS), len(FORMATS))
    if f.kinds is not None:
        dims["kinds"] = _member(catalog.kind, _codes(f.kinds, KINDS), len(KINDS))
    if f.languages is not None:
        bits = np.uint64(0)
        for code in _codes(f.languages, catalog.languages.values):
            bits |= np.uint64(1) << np.uint64(code)
        dims["languages"] = (catalog.lang_mask & bits) != 0
    if f.competences is not None:
        cols = _codes(f.competences, catalog.competences.values)
        dims["competences"] = (catalog.teach[:, cols] >= max(1, f.min_level)).any(axis=1) if len(cols) else \
            np.zeros(n, dtype=bool)
    price = np.ones(n, dtype=bool)
    if f.max_price_eur is not None:
        price &= catalog.price <= f.max_price_eur
    if f.free_only:
        price &= catalog.price == 0
    if f.max_price_eur is not None or f.free_only:
        dims["price"] = price
    if f.max_hours is not None:
        dims["hours"] = catalog.hours <= f.max_hours
    if f.self_paced is not None:
        dims["selfPaced"] = catalog.self_paced == f.self_paced
    masks.run_ok = run_window(catalog, f.start_after, f.end_before)
    if masks.run_ok is not None:
        dims["dates"] = np.bincount(catalog.run_offer[masks.run_ok], minlength=n)[:n] > 0
    masks.distance_km = distances(catalog, f.near)
    if masks.distance_km is not None and f.max_distance_km is not None:
        dims["distance"] = distance_ok(catalog, masks.distance_km, f.max_distance_km)
    return masks
