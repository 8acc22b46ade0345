"""The vectorised kernel of the bundle search: every (child, last unit) bundle of a node with one slot left,
scored and checked in blocks of arrays instead of one search node per child.

Why the scores go through need profiles: many units teach the same levels of the same needs (50–290 distinct
rows of contributions against 1,000–4,000 gaining units at 10k offers), and a bundle's score only depends on the
member's contributions. So a block scores each child against each distinct profile once ([children, profiles,
needs]) and gathers the pair scores from that ([children, units]); price, hours, offers and conflicts are still
checked per pair. The values are the same floats the pairwise computation gives (same rows, same summation).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matcher.bundle_problem import EPS, SCORE_DECIMALS

BLOCK_ELEMENTS = 1 << 21  # floats per block: children × (units + profiles × needs)

Passes = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


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


def last_pairs(kids: Children, pool: Pool, money: float | None, max_hours: float | None,
               passes: Passes | None, wanted: np.ndarray, block_elements: int = BLOCK_ELEMENTS,
               ) -> tuple[np.ndarray, dict[int, np.ndarray], int]:
    """Which children have a pool unit that completes them to a bundle which may enter the top k (`passes`
    decides on score, price and hours; None: every feasible one may), and how many bundles were evaluated
    (feasible pairs: one run per offer, no certain conflict, within budget and hours).

    Returns (hit [c], the passing units of each hit child where `wanted`, evaluated). Most children have no
    passing unit, and the search only re-evaluates the units of some: the lists are built for those alone."""
    c, p = len(kids.unit), len(pool.units)
    hit = np.zeros(c, dtype=bool)
    lasts: dict[int, np.ndarray] = {}
    if c == 0 or p == 0:
        return hit, lasts, 0
    profile, profiles = _own_profiles(pool)
    q, m = profiles.shape
    # the block of child i spans the pool units after its newest member and before its cut (the pool ascends)
    first = np.searchsorted(pool.units, kids.unit, side="right")
    stop = np.searchsorted(pool.units, kids.cut, side="left")
    any_conf = bool(pool.s_conf.any())
    evaluated = 0
    chunk = max(1, block_elements // (p + q * m))
    for begin in range(0, c, chunk):
        end = min(begin + chunk, c)
        lo, hi = int(first[begin:end].min()), int(stop[begin:end].max())
        if hi <= lo:
            continue
        cols = np.arange(lo, hi)
        sl = slice(begin, end)
        ok = (cols[None, :] >= first[sl, None]) & (cols[None, :] < stop[sl, None])
        ok &= pool.offer[lo:hi][None, :] != kids.offer[sl, None]
        if any_conf and kids.s_conf[sl].any():
            ok &= ~(pool.s_conf[lo:hi][None, :] & kids.s_conf[sl, None]
                    & (pool.s_start[lo:hi][None, :] <= kids.s_end[sl, None])
                    & (pool.s_end[lo:hi][None, :] >= kids.s_start[sl, None]))
        price = kids.price[sl, None] + pool.price[None, lo:hi]
        hours = kids.hours[sl, None] + pool.hours[None, lo:hi]
        if money is not None:
            ok &= price <= money + EPS
        if max_hours is not None:
            ok &= hours <= max_hours + EPS
        evaluated += int(np.count_nonzero(ok))
        if passes is not None:
            per_profile = np.round(np.maximum(kids.cov[sl, None, :], profiles[None, :, :]).sum(axis=2),
                                   SCORE_DECIMALS)
            score = per_profile[:, profile[lo:hi]]
            ok &= passes(score.ravel(), price.ravel(), hours.ravel()).reshape(ok.shape)
        hit[sl] = ok.any(axis=1)
        for i in np.flatnonzero(hit[sl] & wanted[sl]).tolist():
            lasts[begin + i] = pool.units[lo:hi][ok[i]]
    return hit, lasts, evaluated
