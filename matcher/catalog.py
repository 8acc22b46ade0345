"""The columnar catalog: the active offers as numpy arrays, one row per offer plus one row per run.

Built from plain offer documents (the resolvers read them from MongoDB; this module does no I/O), immutable
once built, and swapped as a whole when the catalog version changes, so a request always sees one
consistent snapshot. Everything the portal filters, sorts, facets or matches on is here; everything it
only displays stays in MongoDB and is loaded for the page being shown.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from matcher.text import Analyzer, TextIndex

FORMATS = ("ONLINE", "PRESENCE", "HYBRID")
KINDS = ("BASIS", "INTENSIV", "BONUS")
NO_KIND = -1
DEFAULT_LEVEL = 2
EPOCH = date(1970, 1, 1)


def day_number(value: date | datetime | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.astimezone(UTC).date() if value.tzinfo else value.date()
    return (value - EPOCH).days


def day_date(number: int) -> date:
    return date.fromordinal(EPOCH.toordinal() + int(number))


@dataclass(frozen=True)
class Vocabulary:
    """Codes for a categorical column; `codes` maps value → int code."""

    values: tuple[str, ...]

    @property
    def codes(self) -> dict[str, int]:
        return {v: i for i, v in enumerate(self.values)}


@dataclass(frozen=True)
class Derived:
    """Columns derived once per snapshot so that a request never sorts or converts a whole column.

    `build_catalog` computes them before the snapshot is published (off the event loop); a catalog made any
    other way computes them on first use. All arrays are read-only: requests share them.
    """

    run_start_f: np.ndarray      # float64 [r] start day, inf where undated (the START_ASC key per run)
    first_start: np.ndarray      # float64 [n] earliest dated start per offer, inf when it has none
    month0: int                  # months since 1970-01 of the earliest dated start
    month_offer: np.ndarray      # int32 [m] one entry per (offer, month in which one of its runs starts) ...
    month: np.ndarray            # int64 [m] ... and that month − month0
    n_months: int
    has_undated: np.ndarray      # bool [n] the offer has an undated run
    price_band: np.ndarray       # int64 [n] index into the search's price bands
    cell: np.ndarray | None      # int32 [n] provider × format × kind × price band × language bits, one code
    cell_shape: tuple[int, ...]  # (providers, formats, kinds + 1 (no kind first), bands, 2 ** languages)
    located: np.ndarray          # int64 [k] offers with lat and lon
    lat_rad: np.ndarray          # float64 [k] of the located offers
    lon_rad: np.ndarray
    cos_lat: np.ndarray


PRICE_EDGES = (0.0, 100.0, 300.0, 600.0, 1000.0)
MAX_CELLS = 1 << 22  # the combined facet code is used while its histogram stays small (32 MiB of int64 counts)


def _derive(c: Catalog) -> Derived:
    dated = c.run_dated
    run_start_f = np.where(dated, c.run_start, np.inf).astype(np.float64)
    first_start = np.minimum.reduceat(run_start_f, c.run_offsets[:-1]) if c.size else run_start_f[:0]
    dated_idx = np.flatnonzero(dated)
    months = c.run_start[dated_idx].astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    month0 = int(months.min()) if len(months) else 0
    months -= month0
    n_months = int(months.max()) + 1 if len(months) else 1
    pairs = np.unique(c.run_offer[dated_idx].astype(np.int64) * n_months + months)  # each (offer, month) once
    has_undated = np.bincount(c.run_offer[~dated], minlength=c.size)[: c.size] > 0
    located = np.flatnonzero(~(np.isnan(c.lat) | np.isnan(c.lon)))
    lat_rad = np.radians(c.lat[located])
    price_band = np.searchsorted(PRICE_EDGES, c.price, side="left")
    shape = (len(c.providers.values), len(FORMATS), len(KINDS) + 1, len(PRICE_EDGES) + 1,
             1 << len(c.languages.values))
    cell = None
    if math.prod(shape) <= MAX_CELLS:
        cell = c.provider.astype(np.int64)
        for column, size in ((c.format, shape[1]), (c.kind.astype(np.int64) + 1, shape[2]), (price_band, shape[3]),
                             (c.lang_mask.astype(np.int64), shape[4])):
            cell = cell * size + column
        cell = cell.astype(np.int32)
    out = Derived(
        run_start_f=run_start_f, first_start=first_start, month0=month0,
        month_offer=(pairs // n_months).astype(np.int32), month=pairs % n_months, n_months=n_months,
        has_undated=has_undated, price_band=price_band, cell=cell, cell_shape=shape, located=located,
        lat_rad=lat_rad, lon_rad=np.radians(c.lon[located]), cos_lat=np.cos(lat_rad),
    )
    for value in vars(out).values():
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return out


@dataclass(frozen=True)
class Catalog:
    version: int
    ids: tuple[str, ...]
    id_rank: np.ndarray  # int64 [n] rank of the id in sorted order: deterministic tie-breaks
    price: np.ndarray  # float64 [n]
    hours: np.ndarray  # float64 [n]
    format: np.ndarray  # int8 [n] index into FORMATS
    kind: np.ndarray  # int8 [n] index into KINDS, NO_KIND if none
    self_paced: np.ndarray  # bool [n]
    provider: np.ndarray  # int32 [n] index into providers.values
    providers: Vocabulary
    lang_mask: np.ndarray  # uint64 [n] bit i set when the offer is taught in languages.values[i]
    languages: Vocabulary
    lat: np.ndarray  # float64 [n], NaN when unknown
    lon: np.ndarray
    competences: Vocabulary
    teach: np.ndarray  # uint8 [n, C] level taught per competence (0 = not taught)
    require: np.ndarray  # uint8 [n, C] prerequisite level per competence (0 = none)
    comp_offer: np.ndarray  # int32 [nnz] offer of each (offer, competence) pair, for fast facet counts
    comp_id: np.ndarray  # int32 [nnz]
    run_offer: np.ndarray  # int32 [r] runs grouped by offer, in offer order
    run_start: np.ndarray  # int64 [r] day number (0 where undated)
    run_end: np.ndarray  # int64 [r]
    run_dated: np.ndarray  # bool [r]
    run_ids: tuple[str, ...]
    run_rank: np.ndarray  # int64 [r] rank of the run id among its offer's run ids (last tie-break)
    run_offsets: np.ndarray  # int64 [n+1] runs of offer i are run_offsets[i]:run_offsets[i+1]
    text: TextIndex
    analyzer: Analyzer
    skipped: tuple[str, ...] = ()  # ids of documents that were not usable (not written by the pipeline)

    @property
    def size(self) -> int:
        return len(self.ids)

    @property
    def derived(self) -> Derived:
        cached = self.__dict__.get("_derived_cache")
        if cached is None:
            cached = _derive(self)
            object.__setattr__(self, "_derived_cache", cached)
        return cached

    def index_of(self, offer_id: str) -> int | None:
        return self._index.get(offer_id)

    @property
    def _index(self) -> dict[str, int]:
        cached = self.__dict__.get("_index_cache")
        if cached is None:
            cached = {oid: i for i, oid in enumerate(self.ids)}
            object.__setattr__(self, "_index_cache", cached)
        return cached


def build_catalog(
    docs: Iterable[Mapping[str, Any]], competence_ids: Sequence[str], version: int = 0, analyzer: Analyzer | None = None
) -> Catalog:
    """Columns from offer documents (canonical offer fields, camelCase, as stored)."""
    analyzer = analyzer or Analyzer()
    comp_codes = {cid: i for i, cid in enumerate(competence_ids)}
    rows, skipped = [], []
    for d in docs:
        (rows if _usable(d) else skipped).append(d)
    n, c = len(rows), len(competence_ids)
    ids = tuple(str(d["_id"]) for d in rows)
    provider_values = tuple(sorted({str(d["provider"]) for d in rows}))
    provider_codes = {p: i for i, p in enumerate(provider_values)}
    language_values = tuple(sorted({lang for d in rows for lang in d.get("languages") or []}))[:64]
    language_codes = {lang: i for i, lang in enumerate(language_values)}
    format_codes = {f: i for i, f in enumerate(FORMATS)}
    kind_codes = {k: i for i, k in enumerate(KINDS)}

    price = np.empty(n, dtype=np.float64)
    hours = np.empty(n, dtype=np.float64)
    fmt = np.empty(n, dtype=np.int8)
    kind = np.empty(n, dtype=np.int8)
    self_paced = np.empty(n, dtype=bool)
    provider = np.empty(n, dtype=np.int32)
    lang_mask = np.zeros(n, dtype=np.uint64)
    lat = np.full(n, np.nan)
    lon = np.full(n, np.nan)
    teach = np.zeros((n, c), dtype=np.uint8)
    require = np.zeros((n, c), dtype=np.uint8)
    # Typed arrays rather than lists: a list holds a Python int object per run (1.5M runs at 1M offers).
    run_offer = array("i")
    run_start = array("q")
    run_end = array("q")
    run_dated = array("b")
    run_ids: list[str] = []
    run_rank = array("q")
    run_offsets = np.zeros(n + 1, dtype=np.int64)

    for i, d in enumerate(rows):
        price[i] = float(d.get("priceEur") or 0.0)
        hours[i] = float(d.get("hours") or 0.0)
        fmt[i] = format_codes[d["format"]]
        kind[i] = kind_codes.get(d.get("kind") or "", NO_KIND)
        self_paced[i] = bool(d.get("selfPaced"))
        provider[i] = provider_codes[str(d["provider"])]
        mask = 0
        for lang in d.get("languages") or []:
            if lang in language_codes:
                mask |= 1 << language_codes[lang]
        lang_mask[i] = mask
        loc = d.get("location") or {}
        if loc.get("lat") is not None and loc.get("lon") is not None:
            lat[i], lon[i] = float(loc["lat"]), float(loc["lon"])
        for entry in d.get("competences") or []:
            j = comp_codes.get(entry["competence"])
            if j is not None:
                teach[i, j] = max(teach[i, j], int(entry.get("level") or DEFAULT_LEVEL))
        for entry in d.get("prerequisites") or []:
            j = comp_codes.get(entry["competence"])
            if j is not None:
                require[i, j] = max(require[i, j], int(entry.get("level") or DEFAULT_LEVEL))
        runs = d.get("runs") or []
        order = sorted(range(len(runs)), key=lambda k: str(runs[k]["id"]))
        ranks = [0] * len(runs)
        for position, k in enumerate(order):
            ranks[k] = position
        run_rank.extend(ranks)
        for run in runs:
            start = day_number(run.get("start"))
            end = day_number(run.get("end"))
            run_offer.append(i)
            run_ids.append(str(run["id"]))
            run_dated.append(start is not None)
            run_start.append(start or 0)
            run_end.append(end if end is not None else (start or 0))
        run_offsets[i + 1] = len(run_offer)

    comp_offer, comp_id = np.nonzero(teach)
    rank = np.empty(n, dtype=np.int64)
    rank[np.argsort(np.asarray(ids, dtype=object), kind="stable")] = np.arange(n)
    text = TextIndex.build(((str(d.get("title") or ""), str(d.get("description") or "")) for d in rows), analyzer)
    catalog = Catalog(
        version=version,
        ids=ids,
        id_rank=rank,
        price=price,
        hours=hours,
        format=fmt,
        kind=kind,
        self_paced=self_paced,
        provider=provider,
        providers=Vocabulary(provider_values),
        lang_mask=lang_mask,
        languages=Vocabulary(language_values),
        lat=lat,
        lon=lon,
        competences=Vocabulary(tuple(competence_ids)),
        teach=teach,
        require=require,
        comp_offer=comp_offer.astype(np.int32),
        comp_id=comp_id.astype(np.int32),
        run_offer=np.frombuffer(run_offer, dtype=np.int32).copy(),
        run_start=np.frombuffer(run_start, dtype=np.int64).copy(),
        run_end=np.frombuffer(run_end, dtype=np.int64).copy(),
        run_dated=np.frombuffer(run_dated, dtype=np.int8).astype(bool),
        run_ids=tuple(run_ids),
        run_rank=np.frombuffer(run_rank, dtype=np.int64).copy(),
        run_offsets=run_offsets,
        text=text,
        analyzer=analyzer,
        skipped=tuple(str(d.get("_id")) for d in skipped),
    )
    _ = catalog.derived  # computed here, in the builder's thread, not in the first request
    return catalog


def _usable(doc: Mapping[str, Any]) -> bool:
    """A document the pipeline wrote; anything else (edited by hand, a foreign writer) stays out of search."""
    try:
        return (
            doc.get("format") in FORMATS
            and isinstance(doc.get("provider"), str)
            and bool(doc.get("runs"))
            and float(doc.get("priceEur") or 0) >= 0
            and float(doc.get("hours") or 0) >= 0
        )
    except (TypeError, ValueError):
        return False


def empty_catalog(competence_ids: Sequence[str], version: int = 0) -> Catalog:
    return build_catalog([], competence_ids, version)
