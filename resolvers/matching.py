"""The learning-path operation: validate the employee's needs, rank bundles on the snapshot, explain them.

Privacy: a match query describes a person's competences. Nothing of it is stored or logged; the log line
per match carries only counts and timings.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

import numpy as np

from matcher.bundles import WORK_LIMIT, BundleResult, rank_bundles
from matcher.candidates import Candidates, MatchSpec, NeedSpec, build_problem
from matcher.catalog import Catalog, day_date
from resolvers.context import HubContext
from resolvers.queries import UserInputError

__all__ = ["MatchOutcome", "MatchSpec", "NeedSpec", "UserInputError", "match", "similar", "validate"]

log = logging.getLogger("kommunalcampus.match")
MAX_NEEDS = 30
PROBE_WORK_LIMIT = WORK_LIMIT / 10  # each constraint probe of the explanation re-ranks with this
T = TypeVar("T")


@dataclass(frozen=True)
class NeedOutcome:
    competence: str
    current: int
    target: int
    reached: int
    closed_fraction: float
    covered_by: list[str]


@dataclass(frozen=True)
class BundleOutcome:
    rank: int
    score: float
    total_price: float
    total_hours: float
    items: list[tuple[str, str]]          # (offer id, run id)
    coverage: list[NeedOutcome]
    explanation: str


@dataclass(frozen=True)
class MatchOutcome:
    bundles: list[BundleOutcome]
    exact: bool
    candidates_considered: int
    bundles_evaluated: float
    took_ms: float


def validate(spec: MatchSpec, known: set[str]) -> None:
    """Explain the caller's mistake in one sentence, before any work is done."""
    if not spec.needs:
        raise UserInputError("`needs` must name at least one competence")
    if len(spec.needs) > MAX_NEEDS:
        raise UserInputError(f"at most {MAX_NEEDS} needs per query, got {len(spec.needs)}")
    seen: set[str] = set()
    for need in spec.needs:
        if need.competence not in known:
            raise UserInputError(f"unknown competence {need.competence!r}; ids look like 'digcomp:4.2' or "
                                 "'kc:egov-law'")
        if need.competence in seen:
            raise UserInputError(f"competence {need.competence!r} is named twice in `needs`")
        seen.add(need.competence)
        for name, level in (("currentLevel", need.current), ("targetLevel", need.target)):
            if not 0 <= level <= 8:
                raise UserInputError(f"{need.competence}: `{name}` must be between 0 and 8, got {level}")
        if need.target <= need.current:
            raise UserInputError(f"{need.competence}: `targetLevel` ({need.target}) must be above `currentLevel` "
                                 f"({need.current})")
        if not need.weight > 0 or need.weight != need.weight or need.weight > 1e6:
            raise UserInputError(f"{need.competence}: `weight` must be a positive number")
    if not 1 <= spec.max_modules <= 5:
        raise UserInputError(f"`maxModules` must be between 1 and 5, got {spec.max_modules}")
    if not 1 <= spec.top <= 50:
        raise UserInputError(f"`top` must be between 1 and 50, got {spec.top}")
    for name, value in (("budgetEur", spec.budget), ("maxHours", spec.max_hours),
                        ("maxDistanceKm", spec.max_distance_km)):
        if value is not None and not value >= 0:
            raise UserInputError(f"`{name}` must not be negative, got {value}")
    if spec.max_distance_km is not None and spec.near is None:
        raise UserInputError("`maxDistanceKm` needs `near` (the point to measure from)")
    if spec.near is not None and not (-90 <= spec.near[0] <= 90 and -180 <= spec.near[1] <= 180):
        raise UserInputError("`near` must have -90 ≤ lat ≤ 90 and -180 ≤ lon ≤ 180")
    if spec.start_after and spec.end_before and spec.end_before < spec.start_after:
        raise UserInputError("`endBefore` is before `startAfter`")


def _solve(catalog: Catalog, spec: MatchSpec, work_limit: float) -> tuple[Candidates, BundleResult]:
    candidates = build_problem(catalog, spec)
    return candidates, rank_bundles(candidates.problem, work_limit=work_limit)


def _binding_constraints(catalog: Catalog, spec: MatchSpec, best: float) -> list[str]:
    """Constraints without which a better score would be reachable: those are worth telling the employee."""
    relaxed = {
        "budget": replace(spec, budget=None) if spec.budget is not None else None,
        "hours": replace(spec, max_hours=None) if spec.max_hours is not None else None,
        "dates": replace(spec, start_after=None, end_before=None) if spec.start_after or spec.end_before else None,
        "distance": replace(spec, near=None, max_distance_km=None) if spec.max_distance_km is not None else None,
    }
    binding = []
    for name, variant in relaxed.items():
        if variant is None:
            continue
        _, result = _solve(catalog, replace(variant, top=1), PROBE_WORK_LIMIT)
        if result.bundles and result.bundles[0].score > best + 1e-9:
            binding.append(name)
    return binding


def _rank_and_probe(catalog: Catalog, spec: MatchSpec) -> tuple[Candidates, BundleResult, list[str]]:
    candidates, result = _solve(catalog, spec, WORK_LIMIT)
    best = result.bundles[0].score if result.bundles else 0.0
    return candidates, result, _binding_constraints(catalog, spec, best) if best < 1.0 else []


async def _off_loop(slots: asyncio.Semaphore | None, work: Callable[[], T]) -> T:
    """Run a ranking (up to seconds of CPU) in a worker thread, so that the event loop goes on serving every
    other request meanwhile. With `slots`, a match holds one until its thread ends, even when the client gives
    up waiting (a thread cannot be stopped): at most that many rankings compete for the cores and memory."""
    if slots is None:
        return await asyncio.to_thread(work)
    await slots.acquire()
    try:
        future = asyncio.get_running_loop().run_in_executor(None, work)
    except BaseException:
        slots.release()
        raise
    future.add_done_callback(lambda _: slots.release())
    return await asyncio.shield(future)


async def match(ctx: HubContext, spec: MatchSpec) -> MatchOutcome:
    started = time.perf_counter()
    catalog = ctx.snapshot.catalog
    validate(spec, set(ctx.snapshot.competence_ids))
    candidates, result, binding = await _off_loop(ctx.match_slots, lambda: _rank_and_probe(catalog, spec))
    offer_ids = sorted({catalog.ids[int(candidates.offers[m])] for b in result.bundles for m in b.members})
    docs = await ctx.loaders.offer.load_many(offer_ids)  # batched; the schema's BundleItem.offer hits this cache
    titles = {oid: str(doc["title"]) for oid, doc in zip(offer_ids, docs, strict=True) if doc}
    competence_docs = await ctx.loaders.competence.load_many([n.competence for n in spec.needs])
    labels = {d["_id"]: str((d.get("label") or {}).get("de") or d["_id"]) for d in competence_docs if d}
    bundles = [_outcome(catalog, candidates, spec, rank, b, titles, labels, binding)
               for rank, b in enumerate(result.bundles, start=1)]
    took = round((time.perf_counter() - started) * 1000, 2)
    log.info("match: %d needs, %d candidates, %d bundles, exact=%s, %.1f ms", len(spec.needs),
             result.candidates_considered, len(bundles), result.exact, took)
    return MatchOutcome(bundles, result.exact, result.candidates_considered, float(result.bundles_evaluated), took)


def _outcome(catalog: Catalog, cand: Candidates, spec: MatchSpec, rank: int, bundle: Any,
             titles: dict[str, str], labels: dict[str, str], binding: list[str]) -> BundleOutcome:
    members = list(bundle.members)
    offers = [int(cand.offers[m]) for m in members]
    runs = [int(cand.runs[m]) for m in members]
    teach = cand.problem.teach
    coverage = []
    for j, need in enumerate(spec.needs):
        levels = [int(teach[m, j]) for m in members]
        reached = max([need.current, *levels])
        closed = (min(reached, need.target) - need.current) / (need.target - need.current)
        covered_by = [catalog.ids[o] for o, lv in zip(offers, levels, strict=True) if lv > need.current]
        coverage.append(NeedOutcome(need.competence, need.current, need.target, reached, round(closed, 9),
                                    covered_by))
    items = [(catalog.ids[o], catalog.run_ids[r]) for o, r in zip(offers, runs, strict=True)]
    gains = [[(need.competence, need.current, min(int(teach[m, j]), need.target))
              for j, need in enumerate(spec.needs) if teach[m, j] > need.current] for m in members]
    text = explain(catalog, items, runs, gains, coverage, spec, binding, titles, labels)
    return BundleOutcome(rank=rank, score=float(bundle.score), total_price=round(float(bundle.price), 2),
                         total_hours=round(float(bundle.hours), 2), items=items, coverage=coverage, explanation=text)


def _day(catalog: Catalog, run: int) -> str:
    if not catalog.run_dated[run]:
        return "jederzeit"
    return "ab " + day_date(int(catalog.run_start[run])).strftime("%d.%m.%Y")


def _euro(value: float) -> str:
    return f"{value:,.0f} €".replace(",", ".")


def explain(catalog: Catalog, items: list[tuple[str, str]], runs: list[int],
            gains: list[list[tuple[str, int, int]]], coverage: list[NeedOutcome], spec: MatchSpec,
            binding: list[str], titles: dict[str, str], labels: dict[str, str]) -> str:
    """In German, for the employee: which unit closes which gap, what stays open, and what limited the result."""
    sentences = []
    for (offer_id, _), run, item_gains in zip(items, runs, gains, strict=True):
        title = titles.get(offer_id, offer_id)
        if item_gains:
            text = ", ".join(f"{labels.get(c, c)} (Stufe {cur} → {lv})" for c, cur, lv in item_gains)
            sentences.append(f"„{title}“ ({_day(catalog, run)}) schließt die Lücke bei {text}.")
        else:
            sentences.append(f"„{title}“ ({_day(catalog, run)}) ist Voraussetzung für ein anderes Modul dieses "
                             "Lernpfads.")
    open_needs = [c for c in coverage if c.closed_fraction < 1]
    if open_needs:
        sentences.append("Offen bleibt: " + "; ".join(
            f"{labels.get(c.competence, c.competence)} (erreicht Stufe {c.reached} von {c.target})"
            for c in open_needs) + ".")
    reasons = {
        "budget": f"das Budget von {_euro(spec.budget or 0)}",
        "hours": f"die Obergrenze von {spec.max_hours:g} Stunden" if spec.max_hours is not None else "",
        "dates": "der Zeitraum",
        "distance": f"die Entfernung von höchstens {spec.max_distance_km:g} km" if spec.max_distance_km else "",
    }
    if binding:
        sentences.append("Begrenzt hat das Ergebnis: " + ", ".join(reasons[b] for b in binding) + ".")
    return " ".join(sentences)


def similar(ctx: HubContext, offer_id: str, first: int) -> list[str]:
    """Offers teaching the same competences: cosine similarity of their level vectors, ties by id."""
    catalog = ctx.snapshot.catalog
    i = catalog.index_of(offer_id)
    if i is None or first <= 0:
        return []
    columns = np.flatnonzero(catalog.teach[i])
    if len(columns) == 0:
        return []
    sharing = np.unique(catalog.comp_offer[np.isin(catalog.comp_id, columns)])
    sharing = sharing[sharing != i]
    if len(sharing) == 0:
        return []
    vectors = catalog.teach[sharing].astype(np.float32)
    v = catalog.teach[i].astype(np.float32)
    scores = vectors @ v / (np.linalg.norm(vectors, axis=1) * float(np.linalg.norm(v)))
    order = np.lexsort((catalog.id_rank[sharing], -np.round(scores, 9)))[:first]
    return [catalog.ids[j] for j in sharing[order]]
