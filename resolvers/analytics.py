"""Analyst questions answered on the snapshot: supply by provider, format and competence × level."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.filters import OfferFilter, masks_for
from matcher.stats import CellStats, Distribution, GroupStats, by_format, by_provider, level_matrix
from resolvers.context import HubContext
from resolvers.queries import UserInputError

__all__ = ["CatalogStatsResult", "CellStats", "Distribution", "GroupStats", "catalog_stats", "coverage_gaps"]


@dataclass(frozen=True)
class CatalogStatsResult:
    offer_count: int
    run_count: int
    by_provider: list[GroupStats]
    by_format: list[GroupStats]
    by_competence_level: list[CellStats]


def catalog_stats(ctx: HubContext, offer_filter: OfferFilter) -> CatalogStatsResult:
    catalog = ctx.snapshot.catalog
    mask = masks_for(catalog, offer_filter).combined(catalog.size)
    cells = [cell for cell in level_matrix(catalog, mask) if cell.count > 0]
    return CatalogStatsResult(
        offer_count=int(mask.sum()), run_count=int(mask[catalog.run_offer].sum()),
        by_provider=by_provider(catalog, mask), by_format=by_format(catalog, mask), by_competence_level=cells,
    )


def coverage_gaps(ctx: HubContext, framework: str | None, max_offers: int) -> list[CellStats]:
    if max_offers < 0:
        raise UserInputError("`maxOffers` must not be negative")
    catalog = ctx.snapshot.catalog
    frameworks = {c.split(":")[0] for c in catalog.competences.values}
    if framework and framework.lower() not in frameworks:
        raise UserInputError(f"unknown framework {framework!r}; known: {', '.join(sorted(frameworks))}")
    mask = np.ones(catalog.size, dtype=bool)
    cells = level_matrix(catalog, mask, framework.lower() if framework else None)
    return [cell for cell in cells if cell.count <= max_offers]
