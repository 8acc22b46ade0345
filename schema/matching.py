"""The learning-path types: `match(query: MatchQuery!): MatchResult!` (names are part of the contract)."""

from __future__ import annotations

from datetime import date

import strawberry

from resolvers import matching
from schema.enums import Format
from schema.inputs import GeoPointInput
from schema.types import Competence, HubInfo, Offer, Run


@strawberry.input(description="One gap: from the current to the target level of a competence (0–8).")
class NeedInput:
    competence: strawberry.ID
    current_level: int = 0
    target_level: int
    weight: float = 1.0


@strawberry.input(description="An employee's needs and constraints. Not stored, not logged.")
class MatchQuery:
    needs: list[NeedInput]
    max_modules: int = 5
    budget_eur: float | None = None
    max_hours: float | None = None
    formats: list[Format] | None = None
    languages: list[str] | None = None
    providers: list[strawberry.ID] | None = None
    start_after: date | None = None
    end_before: date | None = None
    near: GeoPointInput | None = None
    max_distance_km: float | None = None
    top: int = 10

    def to_spec(self) -> matching.MatchSpec:
        return matching.MatchSpec(
            needs=tuple(matching.NeedSpec(str(n.competence), n.current_level, n.target_level, n.weight)
                        for n in self.needs),
            max_modules=self.max_modules, budget=self.budget_eur, max_hours=self.max_hours,
            formats=tuple(f.value for f in self.formats) if self.formats is not None else None,
            languages=tuple(x.lower() for x in self.languages) if self.languages is not None else None,
            providers=tuple(str(p) for p in self.providers) if self.providers is not None else None,
            start_after=self.start_after, end_before=self.end_before,
            near=(self.near.lat, self.near.lon) if self.near else None, max_distance_km=self.max_distance_km,
            top=self.top,
        )


async def _offer(info: HubInfo, offer_id: str) -> Offer:
    doc = await info.context.loaders.offer.load(offer_id)
    if doc is None:  # retired and removed between snapshot and request: nothing sensible to show
        raise matching.UserInputError(f"offer {offer_id} is no longer available; please search again")
    return Offer.from_doc(doc)


@strawberry.type(description="One member of a bundle: the offer and the run (date) to book.")
class BundleItem:
    offer_id: strawberry.Private[str]
    run_id: strawberry.Private[str]

    @strawberry.field
    async def offer(self, info: HubInfo) -> Offer:
        return await _offer(info, self.offer_id)

    @strawberry.field
    async def run(self, info: HubInfo) -> Run:
        offer = await _offer(info, self.offer_id)
        return next(r for r in offer.runs if str(r.id) == self.run_id)


@strawberry.type(description="How far the bundle closes one need.")
class NeedCoverage:
    competence_id: strawberry.Private[str]
    current_level: int
    target_level: int
    reached_level: int
    closed_fraction: float
    covered_by_ids: strawberry.Private[list[str]]

    @strawberry.field
    async def competence(self, info: HubInfo) -> Competence:
        doc = await info.context.loaders.competence.load(self.competence_id)
        assert doc is not None  # validated against the taxonomy before matching
        return Competence.from_doc(doc)

    @strawberry.field(description="The bundle's offers that raise this competence above the current level.")
    async def covered_by(self, info: HubInfo) -> list[Offer]:
        return [await _offer(info, oid) for oid in self.covered_by_ids]


@strawberry.type(description="A combination of offers, ranked by score, then price, hours, size.")
class Bundle:
    rank: int
    score: float
    total_price_eur: float
    total_hours: float
    items: list[BundleItem]
    coverage: list[NeedCoverage]
    explanation: str


@strawberry.type
class MatchResult:
    bundles: list[Bundle]
    exact: bool
    candidates_considered: int
    bundles_evaluated: float
    took_ms: float


async def run_match(info: HubInfo, query: MatchQuery) -> MatchResult:
    outcome = await matching.match(info.context, query.to_spec())
    return MatchResult(
        bundles=[Bundle(
            rank=b.rank, score=b.score, total_price_eur=b.total_price, total_hours=b.total_hours,
            items=[BundleItem(offer_id=o, run_id=r) for o, r in b.items],
            coverage=[NeedCoverage(competence_id=c.competence, current_level=c.current, target_level=c.target,
                                   reached_level=c.reached, closed_fraction=c.closed_fraction,
                                   covered_by_ids=c.covered_by) for c in b.coverage],
            explanation=b.explanation) for b in outcome.bundles],
        exact=outcome.exact, candidates_considered=outcome.candidates_considered,
        bundles_evaluated=outcome.bundles_evaluated, took_ms=outcome.took_ms,
    )
