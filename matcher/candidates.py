"""From a match query to the engine's input: one candidate per run that passes every filter.

DESIGN.md's candidate rules, vectorised over all runs of the snapshot: format, language, provider,
date window (start ≥ startAfter and end ≤ endBefore; undated runs of self-paced offers are available any
time and pass), distance (ONLINE always passes; PRESENCE/HYBRID need a known location within reach).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from matcher.bundles import BundleProblem
from matcher.catalog import Catalog
from matcher.filters import OfferFilter, masks_for


@dataclass(frozen=True)
class NeedSpec:
    competence: str
    current: int
    target: int
    weight: float


@dataclass(frozen=True)
class MatchSpec:
    needs: tuple[NeedSpec, ...]
    max_modules: int = 5
    budget: float | None = None
    max_hours: float | None = None
    formats: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None
    providers: tuple[str, ...] | None = None
    start_after: date | None = None
    end_before: date | None = None
    near: tuple[float, float] | None = None
    max_distance_km: float | None = None
    top: int = 10

    def offer_filter(self) -> OfferFilter:
        return OfferFilter(providers=self.providers, formats=self.formats, languages=self.languages,
                           start_after=self.start_after, end_before=self.end_before, near=self.near,
                           max_distance_km=self.max_distance_km)


@dataclass(frozen=True)
class Candidates:
    problem: BundleProblem
    runs: np.ndarray          # int64 [n] run row in the catalog of each candidate
    offers: np.ndarray        # int64 [n] offer row in the catalog of each candidate
    prerequisite_columns: np.ndarray  # catalog competence columns behind the problem's prerequisite columns


def candidate_runs(catalog: Catalog, spec: MatchSpec) -> np.ndarray:
    masks = masks_for(catalog, spec.offer_filter())
    masks.by_dimension.pop("dates", None)  # the window applies per run below, not per offer
    offer_ok = masks.combined(catalog.size)
    run_ok = offer_ok[catalog.run_offer]
    if masks.run_ok is not None:
        run_ok &= masks.run_ok
    return np.flatnonzero(run_ok)


def build_problem(catalog: Catalog, spec: MatchSpec) -> Candidates:
    runs = candidate_runs(catalog, spec)
    offers = catalog.run_offer[runs].astype(np.int64)
    columns = catalog.competences.codes
    need_cols = np.asarray([columns[n.competence] for n in spec.needs], dtype=np.int64)
    taught = catalog.teach[offers]
    teach = taught[:, need_cols]
    requires = catalog.require[offers]
    pre_cols = np.flatnonzero(requires.any(axis=0)) if len(runs) else np.zeros(0, dtype=np.int64)
    current_by_col = {columns[n.competence]: n.current for n in spec.needs}
    problem = BundleProblem(
        offer=offers, offer_rank=catalog.id_rank[offers], run_rank=catalog.run_rank[runs],
        price=catalog.price[offers], hours=catalog.hours[offers],
        start=catalog.run_start[runs], end=np.maximum(catalog.run_end[runs], catalog.run_start[runs]),
        dated=catalog.run_dated[runs], self_paced=catalog.self_paced[offers],
        teach=np.ascontiguousarray(teach, dtype=np.uint8),
        pre_req=np.ascontiguousarray(requires[:, pre_cols], dtype=np.uint8),
        pre_teach=np.ascontiguousarray(taught[:, pre_cols], dtype=np.uint8),
        pre_cur=np.asarray([current_by_col.get(int(c), 0) for c in pre_cols], dtype=np.uint8),
        cur=np.asarray([n.current for n in spec.needs], dtype=np.int64),
        tgt=np.asarray([n.target for n in spec.needs], dtype=np.int64),
        weight=np.asarray([n.weight for n in spec.needs], dtype=np.float64),
        max_modules=spec.max_modules, budget=spec.budget, max_hours=spec.max_hours, top=spec.top,
    )
    return Candidates(problem=problem, runs=runs, offers=offers, prerequisite_columns=pre_cols)
