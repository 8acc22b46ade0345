"""The vectorised kernel of the bundle search: every (child, last unit) bundle of a node with one slot left,
scored and checked in blocks of arrays instead of one search node per child.

Why the scores go through need profiles: many units teach the same levels of the same needs (50–290 distinct
rows of contributions against 1,000–4,000 gaining units at 10k offers), and a bundle's score only depends on the
member's contributions. So a block scores each child against each distinct profile once ([children, profiles,
needs]), compares those scores with the threshold and gathers the verdicts per pair ([children, units]); price,
hours, offers and conflicts are still checked per pair. The scores are the same floats the pairwise
computation gives (same rows, same summation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from matcher.bundle_problem import EPS, PRICE_DECIMALS, SCORE_DECIMALS

BLOCK_ELEMENTS = 1 << 21  # floats per block: children × (units + profiles × needs)


class Bar(NamedTuple):
    """The threshold (the k-th best bundle's key) that bundles of one size must beat to enter the top k. A tuple:
    the search builds one for each array it compares, thousands per query."""

    score: float
    price: float
    hours: float
    ties: bool     # may a bundle that ties the score pass on price and hours? (not in a best-score search)
    smaller: bool  # does a bundle of the compared size pass when score, price and hours all tie?


def beats(bar: Bar, score: np.ndarray, price: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """Which bundles (or subtrees, with upper bounds on score and lower bounds on price and hours) beat the bar."""
    out = score > bar.score
    if bar.ties:
        tie = (score == bar.score).nonzero()[0]  # only a tie on score needs the rounded price and hours
        if len(tie):
            out[tie] = tie_wins(bar, price[tie], hours[tie])
    return out


def tie_wins(bar: Bar, price: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """Of bundles that tie the bar's score, which rank before it: price, then hours, compared as rounded, then
    size. The bounds lose 1e-7 first, so that a floor that float sums put a hair above a tie still ties."""
    p = (price - 1e-7).round(PRICE_DECIMALS)
    h = (hours - 1e-7).round(PRICE_DECIMALS)
    return (p < bar.price) | ((p == bar.price) & ((h < bar.hours) | ((h == bar.hours) & bar.smaller)))


@dataclass(frozen=True)
class Pool:
    """The units that may come last, ascending, with what the kernel reads of them."""

    units: np.ndarray       # int64 [p] unit numbers, ascending
    price: np.ndarray       # float64 [p]
    hours: np.ndarray       # float64 [p]
    offer: np.ndarray       # int64 [p]
    s_conf: np.ndarray      # bool [p] a single run that conflicts (see Prepared.s_conf)
    s_start: np.ndarray     # int64 [p]
    s_end: np.ndarray       # int64 [p]
    profile: np.ndarray     # int64 [p] row of `profiles`
    profiles: np.ndarray    # float64 [q, m] distinct contribution rows, at least those of the pool's units


@dataclass(frozen=True)
class Children:
    """The children of one node that take part in a block: each is the node plus its last-but-one member."""

    unit: np.ndarray        # int64 [c] the child's newest member: only later units may follow it
    cut: np.ndarray         # int64 [c] units from here on gain too little to lift the child into the top k
    cov: np.ndarray         # float64 [c, m]
    price: np.ndarray       # float64 [c]
    hours: np.ndarray       # float64 [c]
    offer: np.ndarray       # int64 [c]
    s_conf: np.ndarray      # bool [c]
    s_start: np.ndarray     # int64 [c]
    s_end: np.ndarray       # int64 [c]


def _own_profiles(pool: Pool) -> tuple[np.ndarray, np.ndarray]:
    """The pool's profiles only, renumbered: the search passes the table of all units, and a pool of a hundred
    units often uses a fifth of it (a marking pass, no sort)."""
    used = np.zeros(len(pool.profiles), dtype=bool)
    used[pool.profile] = True
    if used.all():
        return pool.profile, pool.profiles
    renumber = np.cumsum(used) - 1
    return renumber[pool.profile], pool.profiles[used]


def last_pairs(kids: Children, pool: Pool, money: float | None, max_hours: float | None, bar: Bar | None,
               wanted: np.ndarray, block_elements: int = BLOCK_ELEMENTS,
               nodes: tuple[np.ndarray, np.ndarray] | None = None,
               ) -> tuple[np.ndarray, dict[int, np.ndarray], int]:
    """Which children have a pool unit that completes them to a bundle which beats the bar (None: every feasible
    one may enter the top k), and how many bundles were evaluated (feasible pairs: one run per offer, no certain
    conflict, within budget and hours).

    Returns (hit [c], the passing units of each hit child where `wanted`, evaluated). Most children have no
    passing unit, and the search only re-evaluates the units of some: the lists are built for those alone.
    `nodes`, (node of each child [c], which pool units each node may take [nodes, p]), lets one block hold the
    children of several nodes whose pools differ; the search calls it per node (bench_kernel measures why).
    Blocks are small in the search (a few children, a few hundred units), so the fixed cost per call counts:
    scores are compared with the bar per (child, profile) and only the verdicts gathered per pair, and price and
    hours are summed per pair only where a budget, a limit or a tie on score asks for them."""
    c, p = len(kids.unit), len(pool.units)
    hit = np.zeros(c, dtype=bool)
    lasts: dict[int, np.ndarray] = {}
    if c == 0 or p == 0:
        return hit, lasts, 0
    # the block of child i spans the pool units after its newest member and before its cut (the pool ascends)
    first = np.searchsorted(pool.units, kids.unit, side="right")
    stop = np.searchsorted(pool.units, kids.cut, side="left")
    any_conf = bool(pool.s_conf.any())
    evaluated = 0
    profile = profiles = None
    chunk = max(1, block_elements // (p + pool.profiles.size))
    for begin in range(0, c, chunk):
        sl = slice(begin, min(begin + chunk, c))
        lo, hi = int(first[sl].min()), int(stop[sl].max())
        if hi <= lo:
            continue
        cols = np.arange(lo, hi)
        ok = (cols >= first[sl, None]) & (cols < stop[sl, None])
        ok &= pool.offer[lo:hi] != kids.offer[sl, None]
        if nodes is not None:
            ok &= nodes[1][nodes[0][sl], lo:hi]
        if any_conf and kids.s_conf[sl].any():
            ok &= ~(pool.s_conf[lo:hi] & kids.s_conf[sl, None] & (pool.s_start[lo:hi] <= kids.s_end[sl, None])
                    & (pool.s_end[lo:hi] >= kids.s_start[sl, None]))
        if money is not None:
            ok &= kids.price[sl, None] + pool.price[lo:hi] <= money + EPS
        if max_hours is not None:
            ok &= kids.hours[sl, None] + pool.hours[lo:hi] <= max_hours + EPS
        evaluated += int(np.count_nonzero(ok))
        if bar is not None:
            if profile is None:
                profile, profiles = _own_profiles(pool)
            score = np.round(np.maximum(kids.cov[sl, None, :], profiles).sum(axis=2), SCORE_DECIMALS)
            at = profile[lo:hi]
            above = (score > bar.score)[:, at]
            if bar.ties:
                i, j = ((score == bar.score)[:, at] & ok).nonzero()
                if len(i):
                    above[i, j] = tie_wins(bar, kids.price[begin + i] + pool.price[lo + j],
                                           kids.hours[begin + i] + pool.hours[lo + j])
            ok &= above
        hit[sl] = ok.any(axis=1)
        for i in np.flatnonzero(hit[sl] & wanted[sl]).tolist():
            lasts[begin + i] = pool.units[lo:hi][ok[i]]
    return hit, lasts, evaluated
