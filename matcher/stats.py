"""Analyst figures on the snapshot: distributions by group and the competence × level supply matrix."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.catalog import FORMATS, Catalog


@dataclass(frozen=True)
class Distribution:
    count: int
    minimum: float | None
    p25: float | None
    median: float | None
    p75: float | None
    maximum: float | None
    mean: float | None

    @classmethod
    def of(cls, values: np.ndarray) -> Distribution:
        if len(values) == 0:
            return cls(0, None, None, None, None, None, None)
        q = np.quantile(values, [0.0, 0.25, 0.5, 0.75, 1.0])
        return cls(len(values), *(round(float(x), 2) for x in q), round(float(values.mean()), 2))  # type: ignore[arg-type]


@dataclass(frozen=True)
class GroupStats:
    value: str
    count: int
    free_count: int
    price: Distribution
    hours: Distribution


@dataclass(frozen=True)
class CellStats:
    competence: str
    level: int
    count: int           # offers teaching the competence at exactly this level
    reaching: int        # offers teaching it at this level or above
    median_price: float | None


def _groups(catalog: Catalog, mask: np.ndarray, codes: np.ndarray, values: tuple[str, ...]) -> list[GroupStats]:
    out = []
    for code, value in enumerate(values):
        rows = mask & (codes == code)
        price, hours = catalog.price[rows], catalog.hours[rows]
        out.append(GroupStats(value, int(rows.sum()), int((price == 0).sum()), Distribution.of(price),
                              Distribution.of(hours)))
    return out


def by_provider(catalog: Catalog, mask: np.ndarray) -> list[GroupStats]:
    return _groups(catalog, mask, catalog.provider, catalog.providers.values)


def by_format(catalog: Catalog, mask: np.ndarray) -> list[GroupStats]:
    return _groups(catalog, mask, catalog.format, FORMATS)


def level_matrix(catalog: Catalog, mask: np.ndarray, framework: str | None = None) -> list[CellStats]:
    """Every competence × level 1–8 cell (of one framework, if given), including the empty ones."""
    teach = catalog.teach[mask]
    price = catalog.price[mask]
    cells = []
    for j, competence in enumerate(catalog.competences.values):
        if framework and not competence.startswith(f"{framework}:"):
            continue
        column = teach[:, j]
        exact = np.bincount(column, minlength=9)
        reaching = np.cumsum(exact[::-1])[::-1]
        for level in range(1, 9):
            hit = column == level
            cells.append(CellStats(competence, level, int(exact[level]), int(reaching[level]),
                                   round(float(np.median(price[hit])), 2) if hit.any() else None))
    return cells


def level_counts(catalog: Catalog) -> np.ndarray:
    """Offers per competence and exact level ([C, 9], column 0 unused); computed once per snapshot."""
    cached = catalog.__dict__.get("_level_counts")
    if cached is None:
        c = len(catalog.competences.values)
        cached = np.zeros((c, 9), dtype=np.int64)
        for j in range(c):
            cached[j] = np.bincount(catalog.teach[:, j], minlength=9)[:9]
        object.__setattr__(catalog, "_level_counts", cached)
    return cached
