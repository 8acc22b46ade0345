"""Analyst types: distributions, groups and the competence × level supply cells."""

from __future__ import annotations

import strawberry

from resolvers.analytics import CatalogStatsResult, CellStats, Distribution, GroupStats
from schema import labels
from schema.types import Competence, HubInfo


@strawberry.type(description="Quantiles of a value over a group of offers (null when the group is empty).")
class Stats:
    count: int
    min: float | None
    p25: float | None
    median: float | None
    p75: float | None
    max: float | None
    mean: float | None

    @classmethod
    def of(cls, d: Distribution) -> Stats:
        return cls(count=d.count, min=d.minimum, p25=d.p25, median=d.median, p75=d.p75, max=d.maximum, mean=d.mean)


@strawberry.type(name="GroupStats", description="Offers of one provider or format, with price and hours distributions.")
class GroupStatsType:
    value: str
    count: int
    free_count: int
    price_eur: Stats
    hours: Stats
    dimension: strawberry.Private[str]

    @strawberry.field
    async def label(self, info: HubInfo, lang: str = "de") -> str:
        if self.dimension == "providers":
            doc = await info.context.loaders.provider.load(self.value)
            return str(doc.get("name")) if doc else self.value
        return labels.static(self.dimension, self.value, lang)

    @classmethod
    def of(cls, g: GroupStats, dimension: str) -> GroupStatsType:
        return cls(value=g.value, count=g.count, free_count=g.free_count, price_eur=Stats.of(g.price),
                   hours=Stats.of(g.hours), dimension=dimension)


@strawberry.type(description="Supply for one competence at one level.")
class CompetenceLevelCell:
    competence_id: strawberry.Private[str]
    level: int
    offer_count: int = strawberry.field(description="Offers teaching exactly this level")
    reaching_count: int = strawberry.field(description="Offers teaching this level or above")
    median_price_eur: float | None

    @strawberry.field
    async def competence(self, info: HubInfo) -> Competence:
        doc = await info.context.loaders.competence.load(self.competence_id)
        return Competence.from_doc(doc) if doc else Competence.from_doc(
            {"_id": self.competence_id, "framework": self.competence_id.split(":")[0],
             "code": self.competence_id.split(":", 1)[-1]})

    @classmethod
    def of(cls, c: CellStats) -> CompetenceLevelCell:
        return cls(competence_id=c.competence, level=c.level, offer_count=c.count, reaching_count=c.reaching,
                   median_price_eur=c.median_price)


@strawberry.type(description="The catalog (or the part matching a filter) in figures.")
class CatalogStats:
    offer_count: int
    run_count: int
    by_provider: list[GroupStatsType]
    by_format: list[GroupStatsType]
    by_competence_level: list[CompetenceLevelCell] = strawberry.field(
        description="Non-empty competence × level cells")

    @classmethod
    def of(cls, r: CatalogStatsResult) -> CatalogStats:
        return cls(offer_count=r.offer_count, run_count=r.run_count,
                   by_provider=[GroupStatsType.of(g, "providers") for g in r.by_provider],
                   by_format=[GroupStatsType.of(g, "formats") for g in r.by_format],
                   by_competence_level=[CompetenceLevelCell.of(c) for c in r.by_competence_level])
