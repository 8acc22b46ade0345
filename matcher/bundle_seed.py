"""Candidate bundles for the search's warm start, cheapest first: at a score of 1 from the needs each unit closes,
below 1 from the need profiles of the relaxation's best bundle.

At score 1 every need is closed, and a need is closed only by a member that reaches its target on its own: what
a unit contributes there is the set of needs it closes (its mask). A bundle scores 1 when its masks cover every
need, and it is minimal on score when each member closes a need that no other member closes. So the cheapest
bundles at score 1 are, first, sets of masks that cover the needs, each with a need of its own, and then the
cheapest units for each mask. Both are small searches in Python: a few hundred masks at most, a few units each.
Below 1, the relaxation's best bundle reaches its bound with one unit of each of its need profiles: real units of
those profiles score the same, each one needed.

What comes out meets prerequisites only for some choice of runs each and ignores conflicts between runs, so it is
only a list of candidates: the search checks each one exactly before it counts (Search.seed). It replaces the beam
at that score where it finds k bundles, at a fraction of the beam's cost, and it finds the cheapest ones the beam
often misses.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Iterator

import numpy as np

from matcher.bundle_prepare import Prepared
from matcher.bundle_problem import EPS

UNITS_PER_MASK = 12  # the cheapest units kept per mask: enough for k bundles when a few of them clash
TEACHERS_PER_REQ = 2  # beyond those, the cheapest units per mask that teach each open prerequisite of a listed unit
COMBO_NODES = 20_000  # nodes of the mask search before it keeps what it has: a warm start must stay cheap
CHOICE_NODES = 1_000  # nodes of the choice of units (_cheapest) before it keeps what it has
_NEVER = np.iinfo(np.int64).max  # the end of a teacher that does not exist
MAX_CANDIDATES = 20  # the cheapest choices of units handed out at most, unless the caller says (2k: see bundles)
MAX_SEED_NEEDS = 30  # masks are Python ints; with more needs than this the search gets no seed


def _group_lists(prep: Prepared, key: np.ndarray, per_group: int) -> tuple[list[int], list[list[int]]]:
    """The distinct keys ≥ 0 of the gaining units (`key` per unit: a mask, or a profile), cheapest unit first, and
    for each its `per_group` cheapest units (by price, hours and offer rank), then its TEACHERS_PER_REQ cheapest
    units that teach each open prerequisite of a listed unit: a member's prerequisite is met by another member,
    which closes needs of its own, and the cheapest units of its key need not teach it (10k/8/5 query 3: a chain
    of two prerequisites, its last teacher the 18th unit of its mask)."""
    units = np.flatnonzero(key >= 0)
    # a unit with a prerequisite that only the tail can meet needs a member that adds no score: never here
    units = units[~np.isin(units, prep.tail_reqs.holders())]
    if len(units) == 0:
        return [], []
    units = units[np.lexsort((prep.orank[units], prep.hours[units], prep.price[units]))]
    grouped = units[np.argsort(key[units], kind="stable")]  # per key, still cheapest first
    keys = key[grouped]
    first = np.concatenate(([True], keys[1:] != keys[:-1]))
    group = np.cumsum(first) - 1  # each grouped unit's group
    starts = np.flatnonzero(first)
    listed = np.arange(len(grouped)) - starts[group] < per_group
    taught, requires = np.take(prep.pre_teach, grouped, axis=0), prep.has_req[grouped]
    todo = {req for u in grouped[listed & requires].tolist() for req in prep.open_reqs[u]}
    done: set[tuple[int, int]] = set()
    while todo:  # the teachers' own prerequisites too: chains of them (each requirement once)
        done |= todo
        reqs = np.array(sorted(todo), dtype=np.int64)
        teach = (taught[:, reqs[:, 0]] >= reqs[:, 1]).T & ~listed  # [requirements, units]
        # a teacher's place among its group's teachers not listed yet, from 1
        place = np.cumsum(teach, axis=1)
        before = np.concatenate((np.zeros((len(todo), 1), dtype=place.dtype), place[:, :-1]), axis=1)[:, starts]
        place -= before[:, group]
        new = (teach & (place <= TEACHERS_PER_REQ)).any(axis=0)
        listed |= new
        todo = {req for u in grouped[new & requires].tolist() for req in prep.open_reqs[u]} - done
    ends = [*starts[1:].tolist(), len(grouped)]
    lists = [grouped[s:e][listed[s:e]].tolist() for s, e in zip(starts.tolist(), ends, strict=True)]
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
                     per_mask: int = UNITS_PER_MASK, limit: int = MAX_CANDIDATES, plain: bool = False,
                     nodes: int = CHOICE_NODES) -> Iterator[tuple[int, ...]]:
    """Sets of at most `most` units that close every need, each unit closing one no other does, from distinct
    offers, within budget and hours and with each open prerequisite taught in time by another of them (for some
    runs), cheapest first (by price, then hours): the `limit` cheapest choices of units from the unit lists of
    the `want` cheapest mask sets, within `nodes` nodes of the choice. Without those limits (and COMBO_NODES),
    every such set whose units avoid prerequisites only the tail meets; `plain`: of the units without open
    prerequisites."""
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
    return _cheapest(prep, lists, sets, budget, max_hours, limit, nodes)


def profile_candidates(prep: Prepared, profiles: list[int], budget: float | None, max_hours: float | None,
                       per_profile: int = UNITS_PER_MASK, limit: int = MAX_CANDIDATES,
                       nodes: int = CHOICE_NODES) -> Iterator[tuple[int, ...]]:
    """Sets of one unit of each of these need profiles (those of the relaxation's best bundle: then each unit
    is needed for its score), from distinct offers, within budget and hours and with each open prerequisite
    taught in time by another of them (for some runs): the `limit` cheapest, cheapest first (within `nodes` nodes
    of the choice)."""
    wanted = np.zeros(len(prep.profiles[1]), dtype=bool)
    wanted[profiles] = True
    profile = prep.profiles[0][: prep.n_gain]
    keys, lists = _group_lists(prep, np.where(wanted[profile], profile, -1), per_profile)
    if len(keys) < len(set(profiles)):  # a profile with no unit the seed may use
        return iter(())
    return _cheapest(prep, lists, [tuple(range(len(keys)))], budget, max_hours, limit, nodes)


def _cheapest(prep: Prepared, lists: list[list[int]], sets: list[tuple[int, ...]], budget: float | None,
              max_hours: float | None, limit: int, most_nodes: int) -> Iterator[tuple[int, ...]]:
    """One unit from each list of a set (lists sorted by price, then hours): the `limit` cheapest choices over
    all the sets whose units come from distinct offers, stay within budget and hours and meet each other's open
    prerequisites in time (for some runs), cheapest first.

    A branch and bound per set, list by list and each list's units cheapest first: a branch ends once even the
    cheapest units of the lists left cannot make it cheaper than the `limit`-th choice found, or once a
    prerequisite of a unit chosen has no teacher in time among the units chosen or left; units with a
    prerequisite no other list of the set teaches in time are dropped first; after `most_nodes` nodes over all
    the sets, it hands out what it has. The k-smallest-sums heap it replaces ordered every choice by its sum and
    spent most of its pops on choices whose units with prerequisites had none of their teachers (10k/8/5 query
    3)."""
    listed = sorted(set(itertools.chain.from_iterable(lists)))  # Python scalars of these alone: a few hundred
    at = np.asarray(listed, dtype=np.int64)
    price, hours, offer, has_req, orank = (dict(zip(listed, values[at].tolist(), strict=True))
                                           for values in (prep.price, prep.hours, prep.offer, prep.has_req, prep.orank))
    end, start = prep.when[False]
    pre_teach = prep.pre_teach
    # the best `limit` in order of (price, hours, size, offer ranks): the order of the answer set, so that among
    # the many choices that tie on price and hours (free offers) the ones kept are those that rank first
    best: list[tuple[float, float, int, tuple[int, ...], tuple[int, ...]]] = []
    nodes = 0
    earliest: dict[tuple[int, int, int], int] = {}  # (list, column, level): the earliest end of a unit teaching it

    def first_end(i: int, column: int, level: int) -> int:
        key = (i, column, level)
        if key not in earliest:
            earliest[key] = min((end[y] for y in lists[i] if pre_teach[y, column] >= level), default=_NEVER)
        return earliest[key]

    def worst() -> tuple[float, float, int] | None:
        return best[-1][:3] if len(best) >= limit else None

    reqs = prep.open_reqs
    for chosen in sets:
        rows = [[u for u in lists[i] if not has_req[u] or all(
            any(first_end(h, c, lv) < start[u] for h in chosen if h != i) for c, lv in reqs[u])] for i in chosen]
        if not all(rows):
            continue
        j = len(rows)
        least_p, least_h = [0.0] * (j + 1), [0.0] * (j + 1)  # the least the lists from each depth on add
        for d in range(j - 1, -1, -1):
            least_p[d] = least_p[d + 1] + price[rows[d][0]]
            least_h[d] = least_h[d + 1] + min(hours[u] for u in rows[d])

        def walk(d: int, picked: list[int], p: float, h: float, pending: list[tuple[int, int, int]],
                 chosen: tuple[int, ...] = chosen, rows: list[list[int]] = rows, j: int = j,
                 least_p: list[float] = least_p, least_h: list[float] = least_h) -> None:
            nonlocal nodes
            nodes += 1
            if d == j:
                key = (p, h, j, tuple(sorted(orank[x] for x in picked)), tuple(picked))
                if not pending and (len(best) < limit or key < best[-1]):
                    bisect.insort(best, key)
                    del best[limit:]
                return
            if nodes > most_nodes:
                return
            offers = {offer[x] for x in picked}
            rest_p, rest_h, later = least_p[d + 1], least_h[d + 1], chosen[d + 1:]
            bar = worst()
            for u in rows[d]:
                lower = (p + price[u] + rest_p, h + hours[u] + rest_h, j)
                if bar is not None and lower > bar:
                    break  # the units come cheapest first: every later one makes it dearer still
                if budget is not None and lower[0] > budget + EPS:
                    break
                if (max_hours is not None and lower[1] > max_hours + EPS) or offer[u] in offers:
                    continue
                left = pending
                if pending:  # what u meets of the others' prerequisites
                    left = [(x, c, lv) for x, c, lv in pending if not (pre_teach[u, c] >= lv and end[u] < start[x])]
                if has_req[u]:  # which of its own the others leave open
                    left = left + [(u, c, lv) for c, lv in prep.left_open(u, picked, reqs)]
                if left and not all(any(first_end(i, c, lv) < start[x] for i in later) for x, c, lv in left):
                    continue  # a prerequisite that no list left teaches in time
                picked.append(u)
                walk(d + 1, picked, p + price[u], h + hours[u], left)
                picked.pop()
                bar = worst()

        walk(0, [], 0.0, 0.0, [])
        if nodes > most_nodes:
            break
    for *_, units in best:
        yield units
