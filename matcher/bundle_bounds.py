"""Bounds of the bundle search that need no search state: stand-ins for later units, the sum of the r largest
gains, the cover tables of forced needs, the capacity curve and the fractional-knapsack floor."""

from __future__ import annotations

import numpy as np

from matcher.bundle_prepare import Prepared, reached_by
from matcher.bundle_problem import EPS


def with_later(gains: np.ndarray, later_gain: float, r: int) -> np.ndarray:
    """Add r stand-ins for rows that may only join later, each worth the most any of them can gain alone."""
    return np.concatenate((gains, np.full(r, later_gain))) if later_gain > 0 else gains


def sum_largest(values: np.ndarray, r: int) -> np.ndarray:
    """Sum of the r largest entries along the last axis (of all of them where there are at most r)."""
    size = values.shape[-1]
    return np.partition(values, size - r, axis=-1)[..., -r:].sum(axis=-1) if size > r else values.sum(axis=-1)


def sum_largest_of(values: np.ndarray, r: np.ndarray | int, most: int) -> np.ndarray:
    """sum_largest with r per row, each `most` or one fewer (a subtree that owes a slot to the tail, see
    Search._owes_tail); an int r is `most` for every row."""
    top = sum_largest(values, most)
    if isinstance(r, int):
        return top
    return np.where(r < most, sum_largest(values, most - 1) if most > 1 else 0.0, top)


def affordable(pr: Prepared, money: float | None, max_hours: float | None) -> np.ndarray:
    """Which gaining units fit into the budget and the hours cap on their own (a mask over the first n_gain):
    no bundle that can still enter the top k holds another, so the floors leave them out."""
    ok = np.ones(pr.n_gain, dtype=bool)
    if money is not None:
        ok &= pr.price[: pr.n_gain] <= money + EPS
    if max_hours is not None:
        ok &= pr.hours[: pr.n_gain] <= max_hours + EPS
    return ok


MIN_PLUS_BLOCK = 1 << 16  # entries of one block of moves in _min_plus_tables (and of its digits)


def _min_plus_tables(start: np.ndarray, moves: list[tuple[np.ndarray, np.ndarray]], k: int) -> list[np.ndarray]:
    """Tables 0..k of a min-plus recursion over states: table r holds, per state, the least cost of at most r moves
    to a state where `start` is finite (its cost there added). A move is a (cost [c, 1], next state [c, states])
    block; all of a block's moves are taken at once, as one gather and one reduction instead of a numpy call
    per move."""
    tables = [start]
    for _ in range(k):
        prev = tables[-1]
        cur = prev.copy()
        for cost, after in moves:
            if len(after):
                reach = prev.take(after)  # take: quicker than fancy indexing
                reach += cost
                np.minimum(cur, reach.min(axis=0), out=cur)
        if np.array_equal(cur, prev):  # one more move helps nowhere: nor will any after it
            return tables + [prev] * (k + 1 - len(tables))
        tables.append(cur)
    return tables


class Covers:
    """Least price and least hours to close each subset of the forced needs with up to r units (r ≤ K), over
    every unit within the current budget (see Search._money) and the hours cap: a set cover by dynamic
    programming over subsets, exact for its relaxation (price and hours covered separately, no offers or dates),
    so both are lower bounds for the real bundles."""

    def __init__(self, pr: Prepared, must: np.ndarray, money: float | None, max_hours: float | None,
                 k: int) -> None:
        mm = len(must)
        self.bits = (1 << np.arange(mm)).astype(np.int64)
        self.everything = int(self.bits.sum())
        masks = pr.closing_masks(must)
        ok = affordable(pr, money, max_hours) & (masks > 0)
        self.price = self._tables(masks[ok], pr.price[: pr.n_gain][ok], mm, k)
        self.hours = self._tables(masks[ok], pr.hours[: pr.n_gain][ok], mm, k)

    @staticmethod
    def _tables(masks: np.ndarray, cost: np.ndarray, mm: int, k: int) -> list[np.ndarray]:
        size = 1 << mm
        best = np.full(size, np.inf)
        np.minimum.at(best, masks, cost)
        subsets = np.arange(size)
        # a mask that some wider mask closes as cheaply adds nothing to the cover
        within = best.copy()  # least cost of a unit closing at least the subset
        for b in range(mm):
            lacking = subsets[(subsets & (1 << b)) == 0]
            within[lacking] = np.minimum(within[lacking], within[lacking | (1 << b)])
        wider = np.full(size, np.inf)
        for b in range(mm):
            lacking = subsets[(subsets & (1 << b)) == 0]
            wider[lacking] = np.minimum(wider[lacking], within[lacking | (1 << b)])
        useful = np.flatnonzero(np.isfinite(best) & (best < wider))
        # the rest of each subset once a useful mask closes its part, in blocks of MIN_PLUS_BLOCK entries
        block = max(1, MIN_PLUS_BLOCK // size)
        rests = [(best[useful[i:i + block], None], subsets[None, :] & ~useful[i:i + block, None])
                 for i in range(0, len(useful), block)]
        return _min_plus_tables(np.where(subsets == 0, 0.0, np.inf), rests, k)


def capacity_curve(gain: np.ndarray, cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The fractional-knapsack bound on the score that items costing at most x (hours or EUR) can add, as a concave
    curve for np.interp. Each item counts with its gain over an empty bundle, which no node's marginal gain
    exceeds, so one curve per search bounds every node; a tight hours cap or budget is what makes it bite. The
    search's items are need profiles at the least cost of their units (see Prepared.least_per_profile)."""
    useful = gain > 0
    gain, cost = gain[useful], np.maximum(cost[useful], 0.0)
    free = float(gain[cost <= 0].sum())
    paid = cost > 0
    gain, cost = gain[paid], cost[paid]
    order = np.argsort(-(gain / cost), kind="stable") if len(gain) else np.zeros(0, dtype=np.int64)
    x = np.concatenate(([0.0], np.cumsum(cost[order])))
    y = np.concatenate(([free], free + np.cumsum(gain[order])))
    return x, y


def knapsack_floor(gain: np.ndarray, cost: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """Least cost of rows (fractions allowed) whose gains add up to each gap: the LP bound, cheapest per gain first."""
    if len(gain) == 0:
        return np.where(gap > 0, np.inf, 0.0)
    ratio = cost / gain
    order = np.argsort(ratio, kind="stable")
    cg = np.cumsum(gain[order])
    cp = np.cumsum(cost[order])
    t = np.searchsorted(cg, gap)
    t_clip = np.minimum(t, len(cg) - 1)
    before_g = np.where(t > 0, cg[np.maximum(t - 1, 0)], 0.0)
    before_p = np.where(t > 0, cp[np.maximum(t - 1, 0)], 0.0)
    floor = before_p + (gap - before_g) * ratio[order][t_clip]
    floor = np.where(t >= len(cg), np.inf, floor)
    return np.where(gap > 0, np.maximum(floor - 1e-7, 0.0), 0.0)


MAX_LEVEL_STATES = 1 << 13  # coverage states (levels reached per need) a LevelFloors table may span
MAX_LEVEL_TABLE = 1 << 20  # profiles × coverage states it may hold while it is built
MAX_COARSENING = 8  # how many times more states than MAX_LEVEL_STATES every other level may fold away


class LevelFloors:
    """Least price and least hours with which up to r more units lift a coverage (the level reached per need) to a
    score of at least `goal`, for every coverage: dynamic programming over the coverage states, exact for its
    relaxation (no dates, offers or prerequisites; price and hours each on their own), so both are lower bounds
    for the real bundles. Where free offers abound the fractional-knapsack floors are almost always zero: they add
    up gains that teach the same need, which this table does not.

    A need's state is its level, except that the levels too far below its target to reach the goal are one
    state: a need may fall short of its target by at most (1 − goal) / step steps, so near a goal of 1 most needs
    have two states (closed or not) and the table spans many needs. Where the states are still too many, the
    need with the most keeps every other level (from its target down) and a level between two kept ones counts
    as the higher: every unit and every coverage then reaches at least its real score, so the floors stay lower
    bounds, only looser ones. Only built when the states are few enough that way (see `build`)."""

    def __init__(self, step: np.ndarray, up: np.ndarray, value: np.ndarray, radix: np.ndarray,
                 profiles: np.ndarray, least_price: np.ndarray, least_hours: np.ndarray, goal: float,
                 k: int) -> None:
        self.step, self.up, self.radix = step, up, radix
        self.place = self.places(radix)
        self.needs = np.arange(len(radix))
        states = np.arange(int(np.prod(radix)))
        digits = (states[:, None] // self.place[None, :]) % radix[None, :]
        # a state counts with the highest level it stands for
        reached = (value[self.needs, digits] * step).sum(axis=1) >= goal - 1e-9
        useful_price, useful_hours = self._useful(profiles, least_price), self._useful(profiles, least_hours)
        chosen = np.flatnonzero(useful_price | useful_hours)
        lifted = self._lifted(profiles[chosen], radix)
        start = np.where(reached, 0.0, np.inf)
        self.price = self._tables(start, lifted, least_price[chosen], useful_price[chosen], k)
        self.hours = self._tables(start, lifted, least_hours[chosen], useful_hours[chosen], k)

    @staticmethod
    def build(pr: Prepared, goal: float, money: float | None, max_hours: float | None, k: int,
              max_states: int = MAX_LEVEL_STATES, coarsening: int = MAX_COARSENING) -> LevelFloors | None:
        """The table over the gaining units within the budget and hours left, or None when it would be large:
        more than max_states states, or more than `coarsening` times that before levels are folded."""
        levels = np.rint(pr.full / pr.step).astype(np.int64) + 1  # levels cur..tgt per need
        # the most steps a need may lack with the goal still in reach (rounded up: more states only cost time)
        short = np.floor((1.0 - goal + 1e-6) / pr.step).astype(np.int64)
        skip = levels - np.minimum(levels, np.maximum(short, 0) + 2)  # levels merged into the lowest state
        kept = [np.arange(s, n) for s, n in zip(skip.tolist(), levels.tolist(), strict=True)]  # levels per state
        if float(np.prod([len(x) for x in kept], dtype=np.float64)) > coarsening * max_states:
            return None  # so coarse a table would cost more than it prunes (12 needs far below a score of 1)
        while float(np.prod([len(x) for x in kept], dtype=np.float64)) > max_states:
            n = max(range(len(kept)), key=lambda i: len(kept[i]))
            if len(kept[n]) <= 2:
                return None
            kept[n] = kept[n][::-1][::2][::-1]  # every other level, the target kept
        radix = np.array([len(x) for x in kept], dtype=np.int64)
        states = int(np.prod(radix))
        up = np.zeros((len(kept), int(levels.max(initial=1))), dtype=np.int64)  # level → state, rounding up
        value = np.zeros((len(kept), int(radix.max(initial=1))), dtype=np.int64)  # state → its highest level
        for n, x in enumerate(kept):
            up[n] = len(x) - 1  # past the target (rounding noise only): closed
            up[n, : levels[n]] = np.searchsorted(x, np.arange(levels[n]))
            value[n, : len(x)] = x
        least = pr.least_per_profile(np.flatnonzero(affordable(pr, money, max_hours)))
        present = np.flatnonzero(np.isfinite(least[0]))
        real = np.clip(np.rint(pr.profiles[1][present] / pr.step), 0, levels - 1).astype(np.int64)
        place = LevelFloors.places(radix)
        code = up[np.arange(len(kept)), real] @ place  # the state a profile lifts an empty coverage to
        least_price = np.full(states, np.inf)
        least_hours = np.full(states, np.inf)
        np.minimum.at(least_price, code, least[0, present])
        np.minimum.at(least_hours, code, least[1, present])
        present = np.flatnonzero(np.isfinite(least_price))
        if len(present) * states > MAX_LEVEL_TABLE:
            return None
        profiles = (present[:, None] // place[None, :]) % radix[None, :]
        return LevelFloors(pr.step, up, value, radix, profiles, least_price[present], least_hours[present], goal, k)

    @staticmethod
    def places(radix: np.ndarray) -> np.ndarray:
        """The place value of each need's digit in a state's index (the last need varies fastest)."""
        place = np.ones(len(radix), dtype=np.int64)
        for n in range(len(radix) - 2, -1, -1):
            place[n] = place[n + 1] * radix[n + 1]
        return place

    @staticmethod
    def _useful(profiles: np.ndarray, cost: np.ndarray) -> np.ndarray:
        """Profiles that no other profile lifting every need as high matches at the same or a lower cost: only
        these can be the cheaper choice in a table, which then loops over far fewer of them."""
        covers = reached_by(profiles, profiles)  # [p, q]: q lifts as high as p
        np.fill_diagonal(covers, False)  # the profiles are distinct, so q covering p lifts some need higher
        beaten = (covers & (cost[None, :] <= cost[:, None])).any(axis=1)
        return ~beaten & profiles.any(axis=1) & np.isfinite(cost)

    @staticmethod
    def _lifted(profiles: np.ndarray, radix: np.ndarray) -> np.ndarray:
        """The state after one more unit of each profile, from every state: [profiles, states]. A state's index is
        its digits in mixed radix, and one more unit lifts each digit on its own, so the index is built need by
        need (Horner's scheme over the broadcast digits): some 1.5 additions per entry instead of a max and a
        product per need. build() keeps profiles × states within MAX_LEVEL_TABLE."""
        out = np.zeros((len(profiles), 1), dtype=np.int64)
        for n, r in enumerate(radix.tolist()):
            digit = np.maximum(np.arange(r)[None, :], profiles[:, n, None])  # [profiles, r]
            out = (out[:, :, None] * r + digit[:, None, :]).reshape(len(profiles), out.shape[1] * r)
        return out

    @staticmethod
    def _tables(start: np.ndarray, lifted: np.ndarray, cost: np.ndarray, useful: np.ndarray,
                k: int) -> list[np.ndarray]:
        rows = np.flatnonzero(useful)
        block = max(1, MIN_PLUS_BLOCK // max(lifted.shape[1], 1))
        moves = [(cost[rows[i:i + block], None], lifted[rows[i:i + block]]) for i in range(0, len(rows), block)]
        return _min_plus_tables(start, moves, k)

    def floors(self, cov: np.ndarray, r: int) -> tuple[np.ndarray, np.ndarray]:
        """Least price and hours that up to r more units must add to each coverage (rows of `cov`)."""
        levels = np.clip(np.rint(cov / self.step), 0, self.up.shape[1] - 1).astype(np.int64)
        index = self.up[self.needs, levels] @ self.place
        return self.price[r][index], self.hours[r][index]
