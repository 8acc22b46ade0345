"""The bundle matcher's input and output (DESIGN.md, "Matching: the exact definition"), and how scores, prices and
sums are compared: rounded, with a small slack, so that float arithmetic never decides a rank or feasibility."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

SCORE_DECIMALS = 9
PRICE_DECIMALS = 6
PRICE_SLACK = 5e-7  # a price this much above another still rounds to it: they tie
EPS = 1e-9  # slack on budget and hours sums, so that float addition order never decides feasibility


def round_one(x: float, decimals: int) -> float:
    """`np.round(x, decimals)` of one float, bit for bit (numpy scales, rounds half to even and scales back), at a
    fraction of its cost: the search compares single bounds with the threshold on every node, and a rounded
    bound must equal what the array path would give, or the same bundle could rank differently."""
    scale = 10.0 ** decimals
    y = x * scale
    if not math.isfinite(y):
        return y / scale
    r = round(y)  # an int has no sign: a result of zero keeps the sign numpy's rint would give it
    return r / scale if r else math.copysign(0.0, y)


@dataclass(frozen=True)
class BundleProblem:
    """One row per candidate run. Levels are 0–8; 0 in `teach`/`pre_req`/`pre_teach` means "none".

    The runs of one offer agree on everything but their dates (as `matcher.candidates` builds them): the twin
    reduction (`Prepared._dominated`) relies on it; runs that differ anyway become separate units."""

    offer: np.ndarray        # int64 [n] offer id code: at most one run per offer in a bundle
    offer_rank: np.ndarray   # int64 [n] rank of the offer id in sorted order (the last tie-break)
    run_rank: np.ndarray     # int64 [n] rank of the run among all runs (breaks ties between runs of one offer)
    price: np.ndarray        # float64 [n] EUR
    hours: np.ndarray        # float64 [n]
    start: np.ndarray        # int64 [n] day number; meaningful where `dated`
    end: np.ndarray          # int64 [n] day number ≥ start; meaningful where `dated`
    dated: np.ndarray        # bool [n]
    self_paced: np.ndarray   # bool [n]
    teach: np.ndarray        # uint8 [n, m] level taught for need j
    pre_req: np.ndarray      # uint8 [n, P] level required of prerequisite competence p
    pre_teach: np.ndarray    # uint8 [n, P] level taught of prerequisite competence p
    pre_cur: np.ndarray      # uint8 [P] the employee's current level of p (0 when no need names it)
    cur: np.ndarray          # int64 [m]
    tgt: np.ndarray          # int64 [m]
    weight: np.ndarray       # float64 [m] > 0
    max_modules: int = 5
    budget: float | None = None
    max_hours: float | None = None
    top: int = 10

    @property
    def size(self) -> int:
        return len(self.offer)


@dataclass(frozen=True)
class RankedBundle:
    members: tuple[int, ...]  # candidate rows, ordered by (offer_rank, run_rank)
    score: float              # rounded to 9 decimals
    price: float
    hours: float


@dataclass(frozen=True)
class BundleResult:
    bundles: list[RankedBundle]
    exact: bool
    candidates_considered: int
    bundles_evaluated: int
