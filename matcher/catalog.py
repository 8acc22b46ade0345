"""The columnar catalog: the active offers as numpy arrays, one row per offer plus one row per run.

Built from plain offer documents (the resolvers read them from MongoDB; this module does no I/O), immutable
once built, and swapped as a whole when the catalog version changes, so a request always sees one
consistent snapshot. Everything the portal filters, sorts, facets or matches on is here; everything it
only displays stays in MongoDB and is loaded for the page being shown.
"""

from __future__ import annotations

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
    run_offer: list[int] = []
    run_start: list[int] = []
    run_end: list[int] = []
    run_dated: list[bool] = []
    run_ids: list[str] = []
    run_rank: list[int] = []
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
    return Catalog(
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
        run_offer=np.asarray(run_offer, dtype=np.int32),
        run_start=np.asarray(run_start, dtype=np.int64),
        run_end=np.asarray(run_end, dtype=np.int64),
        run_dated=np.asarray(run_dated, dtype=bool),
        run_ids=tuple(run_ids),
        run_rank=np.asarray(run_rank, dtype=np.int64),
        run_offsets=run_offsets,
        text=text,
        analyzer=analyzer,
        skipped=tuple(str(d.get("_id")) for d in skipped),
    )


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
