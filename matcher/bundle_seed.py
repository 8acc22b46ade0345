"""Candidate bundles for the search's warm start, cheapest first: at a score of 1 from the needs each unit closes,
below 1 from the need profiles of the relaxation's best bundle.

At score 1 every need is closed, and a need is closed only by a member that reaches its target on its own: what
a unit contributes there is the set of needs it closes (its mask). A bundle scores 1 when its masks cover every
need, and it is minimal on score when each member closes a need that no other member closes. So the cheapest
bundles at score 1 are, first, sets of masks that cover the needs, each with a need of its own, and then the
cheapest units for each mask. Both are small searches in Python: a few hundred masks at most, a few units each.
Below 1, the relaxation's best bundle reaches its bound with one unit of each of its need profiles: real units of
those profiles score the same, each one needed.

What comes out ignores dates, prerequisites and the choice of runs, so it is only a list of candidates: the search
checks each one exactly before it counts (Search.seed). It replaces the beam at that score where it finds k
bundles, at a fraction of the beam's cost, and it finds the cheapest ones the beam often misses.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator

import numpy as np

from matcher.bundle_prepare import Prepared
from matcher.bundle_problem import EPS

UNITS_PER_MASK = 12  # the cheapest units kept per mask: enough for k bundles when a few of them clash
ENABLERS_PER_MASK = 4  # beyond those, the cheapest units per mask that can meet another unit's prerequisite
COMBO_NODES = 20_000  # nodes of the mask search before it keeps what it has: a warm start must stay cheap
MAX_POPS = 200  # candidates the heap hands out at most, those failing the checks on units included
MAX_SEED_NEEDS = 30  # masks are Python ints; with more needs than this the search gets no seed


def _group_lists(prep: Prepared, key: np.ndarray, per_group: int) -> tuple[list[int], list[list[int]]]:
    """The distinct keys ≥ 0 of the gaining units (`key` per unit: a mask, or a profile), cheapest unit first, and
    for each its `per_group` cheapest units (by price, hours and offer rank) and the ENABLERS_PER_MASK cheapest
    enablers after those: a member's prerequisite may need one."""
    units = np.flatnonzero(key >= 0)
    # a unit with a prerequisite that only the tail can meet needs a member that adds no score: never here
    units = units[~np.isin(units, prep.tail_reqs.holders())]
    if len(units) == 0:
        return [], []
    units = units[np.lexsort((prep.orank[units], prep.hours[units], prep.price[units]))]
    grouped = units[np.argsort(key[units], kind="stable")]  # per key, still cheapest first
    keys = key[grouped]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    ends = [*starts[1:].tolist(), len(grouped)]
    enabler = prep.enabler[grouped]
    lists = []
    for s, e in zip(starts.tolist(), ends, strict=True):
        more = s + per_group + np.flatnonzero(enabler[s + per_group:e])[:ENABLERS_PER_MASK]
        lists.append([*grouped[s:min(e, s + per_group)].tolist(), *grouped[more].tolist()])
    order = sorted(range(len(lists)), key=lambda i: (prep.price[lists[i][0]], prep.hours[lists[i][0]]))
    return [int(keys[starts[i]]) for i in order], [lists[i] for i in order]


def _mask_sets(masks: list[int], cost: list[tuple[float, float]], m: int, most: int, want: int,
               budget: float | None, max_hours: float | None) -> list[tuple[int, ...]]:
    """Up to `want` sets of at most `most` masks that cover all m needs, each with a need no other one covers,
    cheapest first (each mask at its cheapest unit). Branches on the lowest need still open, over the masks that
    cover it in order of cost, and stops a branch once it costs more than the `want`-th set found."""
    everything = (1 << m) - 1
    by_need = [[i for i, mask in enumerate(masks) if mask >> b & 1] for b in range(m)]
    found: list[tuple[float, float, tuple[int, ...]]] = []  # a max-heap of the best `want` by (price, hours)
    seen: set[tuple[int, ...]] = set()
    nodes = 0

    def worst() -> tuple[float, float] | None:
        return (-found[0][0], -found[0][1]) if len(found) >= want else None

    def walk(covered: int, chosen: list[int], price: float, hours: float) -> None:
        nonlocal nodes
        nodes += 1
        if covered == everything:
            key = tuple(sorted(chosen))
            if key in seen or not _each_needed([masks[i] for i in chosen]):
                return
            seen.add(key)
            heapq.heappush(found, (-price, -hours, key))
            if len(found) > want:
                heapq.heappop(found)
            return
        if len(chosen) == most or nodes > COMBO_NODES:
            return
        need = (~covered & everything & -(~covered & everything)).bit_length() - 1  # the lowest open need
        for i in by_need[need]:
            p, h = price + cost[i][0], hours + cost[i][1]
            limit = worst()
            if limit is not None and (p, h) >= limit:
                break  # the masks come in order of cost: every later one costs more
            if budget is not None and p > budget + EPS:
                break
            if max_hours is not None and h > max_hours + EPS:
                continue
            chosen.append(i)
            walk(covered | masks[i], chosen, p, h)
            chosen.pop()

    walk(0, [], 0.0, 0.0)
    return [key for _, _, key in sorted(found, key=lambda e: (-e[0], -e[1]))]


def _each_needed(masks: list[int]) -> bool:
    """Does each mask cover a need that none of the others does?"""
    for i, mask in enumerate(masks):
        rest = 0
        for j, other in enumerate(masks):
            if j != i:
                rest |= other
        if not mask & ~rest:
            return False
    return True


def cover_candidates(prep: Prepared, most: int, want: int, budget: float | None, max_hours: float | None,
                     per_mask: int = UNITS_PER_MASK, pops: int = MAX_POPS, plain: bool = False,
                     ) -> Iterator[tuple[int, ...]]:
    """Sets of at most `most` units that close every need, each unit closing one no other does, from distinct
    offers, within budget and hours and with each open prerequisite taught by another of them (dates aside),
    cheapest first (by price, then hours): the k smallest sums over the unit lists of the `want` cheapest mask
    sets, until `pops` sets have come out of the heap. Without those limits (and COMBO_NODES), every such set
    whose units avoid prerequisites only the tail meets; `plain`: of the units without open prerequisites."""
    m = len(prep.full)
    if prep.n_gain == 0 or m > MAX_SEED_NEEDS:
        return iter(())
    masks = prep.closing_masks(np.arange(m))
    usable = masks > 0
    if plain:
        usable &= ~prep.has_req[: prep.n_gain]
    keys, lists = _group_lists(prep, np.where(usable, masks, -1), per_mask)
    cost = [(float(prep.price[units[0]]), float(prep.hours[units[0]])) for units in lists]
    sets = _mask_sets(keys, cost, m, most, want, budget, max_hours)
    return _cheapest(prep, lists, sets, budget, max_hours, pops)


def profile_candidates(prep: Prepared, profiles: list[int], budget: float | None, max_hours: float | None,
                       per_profile: int = UNITS_PER_MASK, pops: int = MAX_POPS) -> Iterator[tuple[int, ...]]:
    """Sets of one unit of each of these need profiles (those of the relaxation's best bundle: then each unit
    is needed for its score), from distinct offers, within budget and hours and with each open prerequisite
    taught by another of them (dates aside), cheapest first, until `pops` sets have come out of the heap."""
    wanted = np.zeros(len(prep.profiles[1]), dtype=bool)
    wanted[profiles] = True
    profile = prep.profiles[0][: prep.n_gain]
    keys, lists = _group_lists(prep, np.where(wanted[profile], profile, -1), per_profile)
    if len(keys) < len(set(profiles)):  # a profile with no unit the seed may use
        return iter(())
    return _cheapest(prep, lists, [tuple(range(len(keys)))], budget, max_hours, pops)


def _cheapest(prep: Prepared, lists: list[list[int]], sets: list[tuple[int, ...]], budget: float | None,
              max_hours: float | None, pops: int) -> Iterator[tuple[int, ...]]:
    """One unit from each list of a set (lists sorted by price, then hours), over all the sets, cheapest first:
    the k smallest sums in one heap. Only sets from distinct offers, within budget and hours and with their
    prerequisites possible come out; `pops` bounds the sets taken from the heap, those included."""
    price, hours = prep.price.tolist(), prep.hours.tolist()
    heap: list[tuple[float, float, int, tuple[int, ...]]] = []
    for s, chosen in enumerate(sets):
        heap.append((sum(price[lists[i][0]] for i in chosen), sum(hours[lists[i][0]] for i in chosen), s,
                     (0,) * len(chosen)))
    heapq.heapify(heap)
    offer, popped = prep.offer.tolist(), 0
    while heap:
        p, h, s, at = heapq.heappop(heap)
        chosen = sets[s]
        units = tuple(lists[i][j] for i, j in zip(chosen, at, strict=True))
        if (budget is None or p <= budget + EPS) and (max_hours is None or h <= max_hours + EPS) and \
                len({offer[u] for u in units}) == len(units) and not prep.unmet_among(units, prep.open_reqs):
            yield units
        popped += 1
        if popped == pops:
            return
        # successors: advance one position at or after the last one advanced, so each vector comes once
        last = max((i for i, j in enumerate(at) if j), default=0)
        for i in range(last, len(at)):
            row = lists[chosen[i]]
            if at[i] + 1 < len(row):
                old, new = row[at[i]], row[at[i] + 1]
                nxt = (*at[:i], at[i] + 1, *at[i + 1:])
                heapq.heappush(heap, (p - price[old] + price[new], h - hours[old] + hours[new], s, nxt))
