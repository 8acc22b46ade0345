"""The exact bundle search: a depth-first branch and bound over units whose nodes expand all their children as
arrays, with a beam search for warm starts and as the fallback past the work limit."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

import numpy as np

from matcher.bundle_bounds import (
    MAX_COARSENING,
    Covers,
    LevelFloors,
    capacity_curve,
    knapsack_floor,
    sum_largest,
    sum_largest_of,
    with_later,
)
from matcher.bundle_kernel import Bar, Children, Pool, beats, last_pairs
from matcher.bundle_prepare import Prepared
from matcher.bundle_problem import EPS, PRICE_DECIMALS, PRICE_SLACK, SCORE_DECIMALS, BundleProblem, round_one

WARM_WIDTH = 8        # beam width of the warm start: a good k-th bundle early makes the bounds bite
FALLBACK_WIDTH = 64   # beam width of the heuristic answer when the exact search hits the work limit
MAX_COVER_NEEDS = 12  # cover tables span 2^needs subsets: beyond this many needs that must close, none are built
SCREEN_BLOCK = 256  # children per block of _screen_children: bounds its [children, profiles, needs] array
TEACHER_BLOCK = 1 << 14  # children × teacher profiles per block of _teacher_floors
SCREEN_MIN = 8  # fewer children than this are left to their own test: a block's fixed cost is a few nodes'
# The work count stands for time: one unit is about what evaluating one bundle (node + one unit) costs, some
# 0.05 µs on one core here; the rest is weighed to match (a least-squares fit of CPU time over 140 queries at 1k,
# 10k and 100k offers, BENCHMARKS.md item 13; the prerequisite checks fitted the same way over 120, item 14), so
# that the work limit bounds the latency alike at every size.
NODE_WORK = 3_000  # a search node's fixed cost beyond its children (some 100 numpy calls)
TABLE_WORK = 50_000  # building a cover or level table
FLOORS_WORK = 10_000  # a node's price and hours floors (_floors), beyond the units they look at
PAIRS_WORK = 10_000  # a last-pair block (_pairs_worth_it), beyond its size
CHOICE_WORK = 170  # one choice of runs looked at (_run_choices: Python, per run)
PREREQ_WORK = 150  # one member's open prerequisite checked against a node's children (_prereq_both)
OWN_PREREQ_WORK = 300  # one member checked against the children's own prerequisites (_prereq_both)
MEETS_WORK = 8_000  # one set of prerequisites that a last member would have to meet at once (_one_meets_all)
CLASH_CHECK_AFTER = 8  # bundles of a node without a conflict-free choice of runs before _record checks the node
COARSE_AFTER_WORK = 100 * NODE_WORK  # work after which a search may build coarse level tables (some 15 ms each)


T = TypeVar("T")


class WorkLimit(Exception):
    """The exact search would exceed the configured work: answer from the beam search instead."""


@dataclass
class _Node:
    members: list[int]        # units
    cov: np.ndarray           # float64 [m] best contribution per need
    score: float
    price: float
    hours: float
    prereq_ok: bool           # every open prerequisite is met, for every choice of runs
    lam: np.ndarray | None = None  # the parent's Lagrangian multipliers: a good first guess for this node


class Open(NamedTuple):
    """A member's prerequisite that the other members do not meet (with some choice of runs)."""
    column: int
    level: int
    start: int                # the latest start of the member's runs: a teacher must end before it
    met: np.ndarray           # which units of the node's idx meet it


@dataclass
class _Children:
    idx: np.ndarray           # units that may join the node
    cov: np.ndarray           # [len, m] coverage of node + row
    score: np.ndarray
    price: np.ndarray
    hours: np.ndarray
    prereq_ok: np.ndarray     # node + unit meets every open prerequisite, for every choice of runs
    counted: np.ndarray       # node + unit may be a bundle of the answer set for some choice of runs (_record decides)
    expand: np.ndarray        # the subtree below node + row may still hold a bundle of the top k
    ub: np.ndarray            # rounded upper bound of any score in that subtree
    lam: np.ndarray | None    # the node's Lagrangian multipliers (see _subtree_may_pass), None without threshold
    slots: np.ndarray | int   # units that add score which the subtree may still take (see _owes_tail)
    critical: np.ndarray      # [len, members]: node + unit scores less without member i (where counted)
    possible: np.ndarray      # node + unit meets every open prerequisite, for some choice of runs
    left: list[Open]          # the members' prerequisites the other members leave open (see _prereq_both)


class Search:
    """Depth-first branch and bound over units in ascending order; every node expands all its children at once.

    A node is a set of units; its children are the node plus one later unit, evaluated as whole arrays: budget,
    hours, one run per offer, score, minimality, and conflicts and prerequisites as far as the units' dates
    decide them ("possible" for some choice of runs, "sure" for every choice). Recording a bundle chooses its
    runs and checks conflicts, prerequisites and minimality exactly. A child's subtree is skipped when an
    upper bound of its score (suffix, Lagrangian, capacity), or at the threshold score lower bounds of its price
    and hours (knapsack and cover floors, also with a teacher of each prerequisite it leaves open), cannot beat
    the k-th best bundle found so far; once that holds the best score, its price is also the budget. Children
    where some member adds nothing and enables nothing are dropped with their subtree: that member stays
    redundant in every superset, so no superset is minimal.
    """

    def __init__(self, prep: Prepared, p: BundleProblem, work_limit: float, *, best_only: bool = False,
                 cap: float | None = None) -> None:
        self.prep, self.K = prep, p.max_modules
        self.k = 1 if best_only else p.top
        self.best_only = best_only  # only a strictly higher score counts: finds the best score, not the order
        self.cap = cap              # no bundle scores more: the best score, or the relaxation's
        self.budget, self.max_hours = p.budget, p.max_hours
        self.work_limit = work_limit
        self.extend_to: float | None = None  # the limit a tier may go on to once it holds k real bundles
        self.evaluated = 0  # bundles (node + one row) whose score and feasibility were computed
        self.work = 0.0     # what the work limit counts: a time in units of one evaluation (see NODE_WORK)
        self.counting = False  # the work limit applies to the exact search only
        self.top: list[tuple[tuple, tuple[int, ...]]] = []
        self.seen: set[tuple[int, ...]] = set()
        self.root = _Node([], np.zeros(prep.C.shape[1]), 0.0, 0.0, 0.0, True)
        least, profile_gain = prep.least_per_profile(np.arange(prep.n)), prep.profiles[1].sum(axis=1)
        self.capacity = [capacity_curve(profile_gain, least[1]), capacity_curve(profile_gain, least[0])]
        self.covers: tuple[bytes, float, Covers] | None = None  # (needs, budget, tables) of _cover_floors
        self.forced: tuple[float, np.ndarray, bytes, np.ndarray] | None = None  # _cover_floors' needs per threshold
        self.levels: tuple[float, float, LevelFloors | None] | None = None  # (goal, budget, table) of _floors
        self.coarse = False  # may level tables fold levels (see LevelFloors.build)? Once the search is long
        self.flip = np.eye(prep.C.shape[1], dtype=bool)  # the single switches of _subtree_may_pass

    def _cover_floors(self, cov: np.ndarray, r: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Least price and least hours that up to r more units must add so that the bundle reaches the threshold's
        score (inf where no r units can): the level table (see LevelFloors) where it is small enough, else the
        cover of the needs the threshold forces closed; None when neither applies.

        A need left open costs the score at least its step: where 1 − step is below the threshold's score, every
        bundle that can still enter the top k closes it. Which units close which of those needs is a set cover,
        solved exactly over subsets of the needs (see Covers), ignoring dates, offers and prerequisites. The
        level table is exact for the same relaxation and sees every need, so it is never the lower floor unless
        it had to fold levels (then it is taken all the same: the cover is not computed beside it)."""
        thr = self._threshold()
        if thr is None:
            return None
        table = self._level_table(-thr[0])
        if table is not None:
            return table.floors(cov, r)
        pr = self.prep
        if self.forced is None or self.forced[0] != -thr[0]:  # the threshold's score changes far less than nodes
            must = (1.0 - pr.step < -thr[0] - 1e-8).nonzero()[0]
            self.forced = (-thr[0], must, must.tobytes(), pr.full[must] - 1e-12)
        _, must, key, full = self.forced
        if len(must) == 0 or len(must) > MAX_COVER_NEEDS:
            return None
        self.covers = self._table(self.covers, key, lambda money: Covers(pr, must, money, self.max_hours, self.K))
        tables = self.covers[2]
        closed = cov[:, must] >= full
        open_ = tables.everything & ~(closed.astype(np.int64) @ tables.bits)
        return tables.price[r][open_], tables.hours[r][open_]

    def may_close_all(self) -> bool:
        """Might some bundle score 1? Not when no K units within the budget and the hours cap close every need, each
        unit closing its needs on its own (the cover table over all needs, see Covers; kept for the tier at score 1,
        which asks for the same table). With more needs than MAX_COVER_NEEDS there is no table: then it might."""
        m = self.prep.C.shape[1]
        if m > MAX_COVER_NEEDS:
            return True
        must = np.arange(m, dtype=np.intp)
        pr = self.prep
        self.covers = self._table(self.covers, must.tobytes(),
                                  lambda money: Covers(pr, must, money, self.max_hours, self.K))
        tables = self.covers[2]
        return bool(np.isfinite(tables.price[self.K][tables.everything]))

    def _table(self, cached: tuple[Any, float, T] | None, key: Any,
               build: Callable[[float | None], T]) -> tuple[Any, float, T]:
        """A floor table (cover or level) for `key` and the budget of the moment, as (key, budget, table): built
        over the units within the budget, so one built for a larger budget is still a lower bound, only a looser
        one. It is rebuilt, at a cost of TABLE_WORK, when the key changes or the budget moves out of [budget,
        1.25 × budget + 1 EUR]: the threshold's price, which the budget follows, falls in many small steps."""
        money = self._money()
        limit = np.inf if money is None else money
        if cached is None or cached[0] != key or not limit <= cached[1] <= 1.25 * limit + 1.0:
            cached = (key, limit, build(money))
            self.work += TABLE_WORK
        return cached

    def _cover_prunes(self, pcov: np.ndarray, prof: np.ndarray, price: np.ndarray, hours: np.ndarray, size: int,
                      r: np.ndarray | int, most: int, ub: np.ndarray) -> np.ndarray | None:
        """Which subtrees the cover floors rule out: no r units (per child, `most` or one fewer) close the forced
        needs, or closing them breaks the budget or the hours cap, or costs more than the threshold allows at an
        upper bound of `ub`. The coverages are `pcov[prof]`: the floors are looked up once per distinct one."""
        floors = self._cover_floors(pcov, most)
        if floors is None:
            return None
        more_price, more_hours = floors[0][prof], floors[1][prof]
        if not isinstance(r, int) and (fewer := self._cover_floors(pcov, most - 1)) is not None:
            short = r < most
            more_price = np.where(short, fewer[0][prof], more_price)
            more_hours = np.where(short, fewer[1][prof], more_hours)
        ok = np.isfinite(more_price) & np.isfinite(more_hours)
        if self.budget is not None:
            ok &= price + more_price <= self.budget + EPS
        if self.max_hours is not None:
            ok &= hours + more_hours <= self.max_hours + EPS
        ok &= self._passes(ub, price + np.where(ok, more_price, 0.0), hours + np.where(ok, more_hours, 0.0), size)
        return ~ok

    def _money(self) -> float | None:
        """The budget a bundle must keep to, at the moment: once the threshold has the best score (the cap), a
        bundle can only enter the top k at that score and at most the threshold's price."""
        thr = self._threshold()
        if thr is None or self.cap is None or -thr[0] < self.cap:
            return self.budget
        # prices are compared rounded to 6 decimals: every price that rounds to the threshold's ties with it
        ceiling = thr[1] + PRICE_SLACK
        return ceiling if self.budget is None else min(self.budget, ceiling)

    def _room(self, hours: np.ndarray, price: np.ndarray) -> np.ndarray:
        """Most score that units fitting into the hours and budget left can add (see capacity_curve)."""
        room = np.full(len(hours), np.inf)
        for curve, used, cap in ((self.capacity[0], hours, self.max_hours), (self.capacity[1], price, self._money())):
            if cap is not None:
                room = np.minimum(room, np.interp(cap + EPS - used, curve[0], curve[1]))
        return room

    # ---- the threshold: the k-th best bundle's key -------------------------------------------------------
    def _threshold(self) -> tuple | None:
        return self.top[-1][0] if len(self.top) >= self.k else None

    def _bar(self, size: int) -> Bar | None:
        """The threshold as bundles (or subtrees) of `size` members must beat it; None while the top k has room."""
        thr = self._threshold()
        if thr is None:
            return None
        return Bar(-thr[0], thr[1], thr[2], not self.best_only, size <= thr[3])

    def _passes(self, ub: np.ndarray, price_lb: np.ndarray, hours_lb: np.ndarray, size: int) -> np.ndarray:
        """Can a bundle with at most this score and at least this price, hours and size beat the threshold?"""
        bar = self._bar(size)
        return np.ones(len(ub), dtype=bool) if bar is None else beats(bar, ub, price_lb, hours_lb)

    def _pass_one(self, ub: float, price_lb: float, hours_lb: float, size: int) -> bool:
        """`_passes` for one subtree, on Python floats: called once per node and per expanded child."""
        thr = self._threshold()
        if thr is None:
            return True
        ts = -thr[0]
        if ub != ts or self.best_only:
            return ub > ts
        p = round_one(price_lb - 1e-7, PRICE_DECIMALS)
        if p != thr[1]:
            return p < thr[1]
        h = round_one(hours_lb - 1e-7, PRICE_DECIMALS)
        return h < thr[2] or (h == thr[2] and size <= thr[3])

    # ---- prerequisites ----------------------------------------------------------------------------------
    def _prereq_both(self, fixed: list[int], idx: np.ndarray,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[Open]]:
        """Is every open prerequisite met in `fixed` + unit, for each unit of `idx`: (for some choice of runs,
        for every choice). Both at once: every search node asks both, and they share gathers and comparisons.
        Third, whether every prerequisite that fixed + unit leaves open is taught by some unit after the unit (see
        Prepared.last_teacher): without one, no bundle below the child fixed + unit meets it. Fourth, the
        prerequisites of `fixed` that it does not meet itself (for _one_meets_all)."""
        pr = self.prep
        possible = np.ones(len(idx), dtype=bool)
        if not pr.any_req:
            return possible, possible, possible, []
        sure, reachable = possible.copy(), possible.copy()
        (end_p, start_p), (end_s, start_s) = pr.when[False], pr.when[True]
        left: list[Open] = []
        for x in fixed:  # a member's prerequisite that the other members do not meet: the unit must
            for c, level in pr.open_reqs[x]:
                teachers = [y for y in fixed if y != x and pr.pre_teach[y, c] >= level]
                met_p = any(end_p[y] < start_p[x] for y in teachers)
                met_s = any(end_s[y] < start_s[x] for y in teachers)
                if met_p and met_s:
                    continue
                taught = pr.pre_teach[idx, c] >= level
                self.work += PREREQ_WORK
                if not met_p:
                    here = taught & (pr.end_possible[idx] < start_p[x])
                    possible &= here
                    reachable &= here | (idx < pr.last_teacher[c, min(level, 9)])
                    left.append(Open(c, level, start_p[x], here))
                if not met_s:
                    sure &= taught & (pr.end_sure[idx] < start_s[x])
        needs = pr.has_req[idx]
        if needs.any():  # the unit's own prerequisites, met by the employee or by a member ending before it starts
            sub = idx[needs]
            level = pr.req[sub]
            met_possible = level == 0
            met_sure = met_possible.copy()
            start_possible, start_sure = pr.start_possible[sub][:, None], pr.start_sure[sub][:, None]
            self.work += OWN_PREREQ_WORK * len(fixed)
            for y in fixed:
                taught = pr.pre_teach[y] >= level
                met_possible |= taught & (end_p[y] < start_possible)
                met_sure |= taught & (end_s[y] < start_sure)
            possible[needs] &= met_possible.all(axis=1)
            sure[needs] &= met_sure.all(axis=1)
            odd = ~pr.reachable_own[sub]  # units with a prerequisite that no later unit teaches: fixed must meet it
            if odd.any():
                rows, levels = sub[odd], level[odd]
                later = pr.last_teacher[np.arange(levels.shape[1]), np.minimum(levels, 9)] > rows[:, None]
                reachable[needs.nonzero()[0][odd]] &= (met_possible[odd] | later).all(axis=1)
        return possible, sure, reachable, left

    def _one_meets_all(self, node: _Node, lo: int, left: list[Open], idx: np.ndarray, score: np.ndarray) -> np.ndarray:
        """For children that may add one more member at most: is there a unit after the child (and before the end
        of those gaining enough, see _last_cut) that can join the node and may meet, in time, every prerequisite
        of the node's members that the child leaves open (`left`, see _prereq_both)? That member must."""
        pr = self.prep
        code = np.zeros(len(idx), dtype=np.int64)  # bit i: the child leaves left[i] open
        for i, need in enumerate(left):
            code |= (~need.met).astype(np.int64) << i
        ok = np.ones(len(idx), dtype=bool)
        codes = [c for c in np.unique(code).tolist() if c & (c - 1)]  # one left open: reachable has seen to it
        if not codes:
            return ok
        cut = self._last_cut(score)
        self.work += MEETS_WORK * len(codes)
        teach = [pr.teach_in_time(slice(lo, None), need.column, need.level, need.start) for need in left]
        for c in codes:
            meets = np.logical_and.reduce([teach[i] for i in range(len(left)) if c >> i & 1])
            units = self._joinable(node, lo, pr.n, among=lo + meets.nonzero()[0])
            these = code == c
            first = np.append(units, pr.n)[np.searchsorted(units, idx[these], side="right")]  # the first after each
            ok[these] = first < cut[these]
        return ok

    # ---- one node ----------------------------------------------------------------------------------------
    def _meets_open(self, members: list[int], idx: np.ndarray) -> np.ndarray:
        """Which units can meet an open prerequisite of one of the members in time (with some choice of runs)."""
        pr = self.prep
        out = np.zeros(len(idx), dtype=bool)
        start_l = pr.when[False][1]
        for x in members:
            for c, level in pr.open_reqs[x]:
                out |= pr.teach_in_time(idx, c, level, start_l[x])
        return out

    def _joinable(self, node: _Node, lo: int, hi: int, among: np.ndarray | None = None) -> np.ndarray:
        """Units in [lo, hi) (of `among` only, when given) that can join the node: budget, hours, one run per
        offer, no certain schedule conflict."""
        pr = self.prep
        sl: slice | np.ndarray = slice(lo, hi)
        if among is not None:
            sl = among[(among >= lo) & (among < hi)]
        mask = np.ones(hi - lo if among is None else len(sl), dtype=bool)
        money = self._money()
        if money is not None:
            mask &= pr.price[sl] <= money + EPS - node.price
        if self.max_hours is not None:
            mask &= pr.hours[sl] <= self.max_hours + EPS - node.hours
        for a in node.members:  # conflicts are left to the choice of runs unless both units have a single run
            if among is None:  # most offers are one unit: set the few bits instead of comparing every offer
                for b in pr.offer_units.get(a, (a,)):
                    if lo <= b < hi:
                        mask[b - lo] = False
            else:
                mask &= pr.offer[sl] != pr.offer[a]
            if pr.s_conf[a]:
                mask &= ~(pr.s_conf[sl] & (pr.s_start[sl] <= pr.s_end[a]) & (pr.s_end[sl] >= pr.s_start[a]))
        return lo + mask.nonzero()[0] if among is None else sl[mask]

    def _last_cut(self, score: np.ndarray) -> np.ndarray:
        """For children that may add one more member at most: the end of the units that member may be. Short of
        the threshold's score it must gain the rest on its own (units are sorted by gain, see _span)."""
        pr = self.prep
        thr = self._threshold()
        if thr is None:
            return np.full(len(score), pr.n)
        need = -thr[0] - score - 1e-9
        return np.where(need > 0, np.searchsorted(pr.neg_gain, -need, side="right"), pr.n)

    def _owes_tail(self, members: list[int]) -> bool:
        """Does every bundle below this node hold one more unit of the tail? So it does when a member has a
        prerequisite that only the tail can meet (see Prepared.tail_reqs) and no other member can meet it in time:
        then one of the slots left goes to a unit that adds no score, whichever order the units come in."""
        return self.prep.unmet_among(members, self.prep.tail_reqs)

    def _span(self, node: _Node, lo: int, ordered: bool, owed: bool) -> tuple[int, int]:
        """End of the units worth trying as the node's next member, and end of the units that may join later.

        Rows between the two ends cannot come next but can follow: every bound on a subtree counts them (as
        at most the first one's gain and the suffix maxima), only the list of children leaves them out. A node
        that owes a unit of the tail (see _owes_tail) has one slot less for the gains the cut divides."""
        pr, members = self.prep, node.members
        # The tail can only serve a member's prerequisite, directly or through a chain of tail units that ends at
        # one (enabling runs end strictly before the runs they enable, so no chain is circular).
        full = pr.n if any(pr.open_reqs[x] for x in members) else max(pr.n_gain, lo)
        hi = full
        thr = self._threshold()
        if ordered and thr is not None:
            # every later member gains at most what the next one gains on its own (units are sorted by gain)
            need = -thr[0] - node.score - 1e-9
            if need > 0:
                gainers = self.K - len(members) - owed
                if gainers <= 0:
                    return lo, full
                hi = min(hi, max(lo, bisect.bisect_right(pr.neg_gain_l, -need / gainers)))
        return hi, full

    def _children(self, node: _Node, lo: int, ordered: bool, among: np.ndarray | None = None) -> _Children | None:
        pr, members = self.prep, node.members
        owed = self._owes_tail(members)
        hi, full = self._span(node, lo, ordered, owed)
        idx = self._joinable(node, lo, hi, among)
        # what the units in [hi, full) could still add as later members: each at most the gain of the first
        later_gain = float(pr.gain[hi]) if hi < full else 0.0
        later_max = pr.suffix_max[hi] if hi < full else None
        self.evaluated += len(idx)
        self.work += len(idx) + NODE_WORK
        if self.counting and self.work > self.work_limit:
            self._over_limit()
        if len(idx) == 0:
            return None
        slots = self.K - len(members) - 1
        lam = None
        if slots >= 1:
            may, lam = self._subtree_may_pass(node, idx, slots + 1 - owed, later_gain, later_max)
            if not may:
                return None
        # units that add score which each child's subtree may still take: a child that adds score leaves the
        # tail unit the node owes to come after it
        gainers: np.ndarray | int = slots - (idx < pr.n_gain) if owed else slots
        # a child's coverage depends on its unit's need profile alone: with more children than profiles it is
        # computed per profile (`basis`) and gathered per unit (`prof`), else per child
        profile, basis = pr.profiles
        if len(idx) > len(basis):
            prof = profile[idx]
        else:
            basis, prof = pr.C.take(idx, axis=0), np.arange(len(idx))
        pcov = np.maximum(node.cov, basis)
        cov = pcov.take(prof, axis=0)  # take: several times faster than fancy indexing for rows
        pscore = pcov.sum(axis=1)
        score, rounded = pscore[prof], pscore.round(SCORE_DECIMALS)[prof]
        price = node.price + pr.price[idx]
        hours = node.hours + pr.hours[idx]
        # first the bounds, on every unit: only units that can enter the top k, or lead to a bundle that can, go on
        if slots >= 1:
            ub = score + self._largest(score - node.score, idx, later_gain, gainers, slots)
            if ordered:  # only units after the child can join it: its suffix bounds apply
                after = idx + 1
                ub = np.minimum(ub, score + pr.cum[np.minimum(after + gainers, pr.n)] - pr.cum[after])
                most_after = pr.suffix_max.take(after, axis=0)
                ub = np.minimum(ub, np.maximum(cov, most_after).sum(axis=1))
                if lam is not None:  # the node's Lagrangian multipliers, per child (see _subtree_may_pass)
                    gains = (np.maximum(basis - node.cov, 0.0) @ lam)[prof]
                    t_lam = self._largest(gains, idx, later_gain, gainers, slots)
                    room = np.maximum(most_after - cov, 0.0) @ (1.0 - lam)
                    ub = np.minimum(ub, score + room + t_lam)
            ub = np.minimum(ub, score + self._room(hours, price))
            ub = (ub + 1e-12).round(SCORE_DECIMALS)
            if self.cap is not None:
                ub = np.minimum(ub, self.cap)
            grow = self._passes(ub, price, hours, len(members) + 2)
            if grow.any():
                ruled_out = self._cover_prunes(pcov, prof, price, hours, len(members) + 2, gainers, slots, ub)
                if ruled_out is not None:
                    grow &= ~ruled_out
        else:
            ub = rounded
            grow = np.zeros(len(idx), dtype=bool)
        record = (rounded > 0) & self._passes(rounded, price, hours, len(members) + 1)
        rel = (grow | record).nonzero()[0]
        if len(rel) == 0:
            return None
        idx, prof, cov, score, rounded = idx[rel], prof[rel], cov.take(rel, axis=0), score[rel], rounded[rel]
        price, hours, ub, grow, record = price[rel], hours[rel], ub[rel], grow[rel], record[rel]
        gainers = gainers[rel] if owed else gainers
        # a member that adds nothing and enables nothing is redundant in every superset: drop the subtree
        enabling = pr.enabler[idx]
        tail = idx >= pr.n_gain
        if tail.any():
            enabling[tail] = pr.chain_enabler[idx[tail]] | self._meets_open(members, idx[tail])
        dead = ~(basis > node.cov).any(axis=1)[prof] & ~enabling
        without: dict[int, np.ndarray] = {}  # per member, the most the other members reach per need (when asked)

        def rest(a: int) -> np.ndarray:
            if a not in without:
                without[a] = np.max(pr.C[[b for b in members if b != a]], axis=0, initial=0.0)
            return without[a]

        for a in members:
            if not pr.enabler[a]:
                dead |= ~(pr.C[a] > np.maximum(rest(a), basis)).any(axis=1)[prof]
        possible, prereq_ok, reachable, left = self._prereq_both(members, idx)
        counted = record & ~dead & possible
        critical = np.ones((len(idx), len(members)), dtype=bool)
        if counted.any():  # surely not minimal for any choice of runs: a member that adds nothing and is not needed
            minimal = (rounded > round(node.score, SCORE_DECIMALS)) | (not node.prereq_ok)
            for i, a in enumerate(members):
                critical[:, i] = np.maximum(rest(a), basis).sum(axis=1).round(SCORE_DECIMALS)[prof] < rounded
                keep = critical[:, i]
                if not keep.all():
                    keep = keep | ~self._prereq_both([b for b in members if b != a], idx)[1]
                minimal &= keep
            counted &= minimal
        expand = grow & ~dead & ((ub > rounded) | ~prereq_ok)
        if ordered:  # later members come after the child: only they can meet what it leaves open
            expand &= reachable
            if slots == 1 and len(left) > 1 and expand.any():
                t = expand.nonzero()[0]
                expand[t] = self._one_meets_all(node, lo, [o._replace(met=o.met[t]) for o in left], idx[t], score[t])
        return _Children(idx, cov, score, price, hours, prereq_ok, counted, expand, ub, lam, gainers, critical,
                         possible, left)

    def _largest(self, gains: np.ndarray, idx: np.ndarray, later_gain: float, r: np.ndarray | int,
                 most: int) -> np.ndarray | float:
        """The sum of the r largest gains of units `idx` and of r stand-ins worth later_gain (r per child, at most
        `most`), where a gain that depends on the unit's contributions alone counts once per need profile: units
        of one profile add no more together than one of them."""
        profile, table = self.prep.profiles
        per = np.zeros(len(table))
        per[profile[idx]] = gains
        total = sum_largest_of(with_later(per, later_gain, most), r, most)
        return float(total) if isinstance(r, int) else total

    def _subtree_may_pass(self, node: _Node, idx: np.ndarray, r: int, later_gain: float,
                          later_max: np.ndarray | None) -> tuple[bool, np.ndarray | None]:
        """A Lagrangian bound on what up to r of these units can add to the node, against the threshold.

        The gain of a set R is Σ_n max_{i∈R} δ_in ≤ Σ_n min(D_n, Σ_{i∈R} δ_in) with δ the marginal contribution
        per need and D_n its maximum, and min(D, a) ≤ (1 − λ)·D + λ·a for any λ in [0, 1]. So every λ gives an
        upper bound, Σ_n (1 − λ_n)·D_n + the r largest δ_i·λ: λ = 1 is the sum of the r best gains, λ = 0 the
        per-need maximum; switching single needs between the two (the best switch first) finds a much tighter one
        in between. Units with the same contributions (one need profile) add no more together than one of them,
        so R can be taken as a set of profiles: the sum runs over the r best profiles, not units."""
        thr = self._threshold()
        if thr is None or len(idx) <= 1:
            return True, None
        # units of one need profile add no more together than one of them: the bound takes each profile once
        profile, table = self.prep.profiles
        present = np.zeros(len(table), dtype=bool)
        present[profile[idx]] = True
        delta = np.maximum(table[present] - node.cov, 0.0)
        top = delta.max(axis=0)
        if later_max is not None:  # units that can only come later still raise needs up to their maxima
            top = np.maximum(top, later_max - node.cov)
        # the first new member is a child, so it is in idx: the price bound needs no later units
        price = node.price + float(self.prep.price[idx].min())
        hours = node.hours + float(self.prep.hours[idx].min())
        size = len(node.members) + 1

        def bound(lam: np.ndarray) -> float:
            return float(((1.0 - lam) * top).sum() + sum_largest(with_later(delta @ lam, later_gain, r), r))

        def passes(value: float) -> bool:
            ub = round_one(node.score + value + 1e-12, SCORE_DECIMALS)
            if self.cap is not None:
                ub = min(ub, self.cap)
            return self._pass_one(ub, price, hours, size)

        lam = node.lam.copy() if node.lam is not None else np.ones(len(top))
        current = bound(lam)
        if not passes(current):  # the parent's multipliers settle most nodes at once: the cheapest test first
            return False, lam
        # (the cover floors and the capacity curve are left to the children: after this test they settled fewer
        # than 0.2% of the nodes in 30 hard queries, at a third of this method's time)
        if self.cap is not None and -thr[0] >= self.cap:
            # At the cap every bound that passes ties the threshold's score, and the children's price and hours
            # floors (level tables) decide; the descent ruled out 6 of 56 nodes in 10k/8/5 query 14's tier and
            # none in 11's and 16's, at a sixth of the tier's time.
            return True, lam
        m = len(top)
        flip = self.flip
        for _ in range(m):  # steepest descent over single switches, all m evaluated in one matrix product
            trials = np.where(flip, 1.0 - lam, lam)  # row n: lam with need n switched
            gains = delta @ trials.T  # [units, m]
            if len(gains) < r and later_gain > 0:
                gains = np.vstack((gains, np.full((r - len(gains), m), later_gain)))
            # the r largest of the gains and r stand-ins worth later_gain each
            largest = np.partition(gains, len(gains) - r, axis=0)[-r:] if len(gains) > r else gains
            best = (np.maximum(largest, later_gain) if later_gain > 0 else largest).sum(axis=0)
            values = ((1.0 - trials) * top).sum(axis=1) + best
            n = int(np.argmin(values))
            if values[n] >= current:
                break
            lam, current = trials[n], float(values[n])
            if not passes(current):
                return False, lam
        return True, lam

    def _record(self, node: _Node, ch: _Children) -> bool:
        """Merge the node's counted children into the top k, each with every valid choice of runs. False when it
        found that every choice of the node's own runs conflicts: then no bundle below the node has a choice."""
        pr = self.prep
        sel = ch.counted.nonzero()[0]
        if len(sel) == 0:
            return True
        size = len(node.members) + 1
        score = ch.score[sel].round(SCORE_DECIMALS)
        price = ch.price[sel].round(PRICE_DECIMALS)
        hours = ch.hours[sel].round(PRICE_DECIMALS)
        units = ch.idx[sel]
        # does the bundle score less without member i? The node's members as _children found, then the unit
        without_unit = np.round(np.max(pr.C[node.members], axis=0, initial=0.0).sum(), SCORE_DECIMALS) < score
        critical = np.column_stack((ch.critical[sel], without_unit))
        without_choice = 0
        for t in np.lexsort((units, hours, price, -score)):
            prefix = (-float(score[t]), float(price[t]), float(hours[t]), size)
            thr = self._threshold()
            if thr is not None and prefix > thr[:4]:
                return True  # the rest of this node ranks after the threshold too
            unit = int(units[t])
            if not self._admit_runs(prefix, dict(zip([*node.members, unit], critical[t].tolist(), strict=True))):
                without_choice += 1
                # where bundle after bundle has no choice of runs, the node's own runs may be what clash
                if without_choice == CLASH_CHECK_AFTER and self._no_free_choice(node.members):
                    return False
        return True

    def _admit_runs(self, prefix: tuple, needed: dict[int, bool]) -> bool:
        """Put a bundle of units (`needed`: does the bundle score less without the unit?) into the top k with each
        choice of runs that is a bundle of the answer set and ranks before the threshold; False when no choice
        is one."""
        pr = self.prep
        members = sorted(needed, key=lambda u: int(pr.orank[u]))
        chosen = False
        for rows in self._run_choices(members, [needed[u] for u in members]):
            chosen = True
            key = (*prefix, tuple(int(pr.r_orank[r]) for r in rows), tuple(int(pr.r_rrank[r]) for r in rows))
            thr = self._threshold()
            if thr is not None and not key < thr:
                break  # the choices come in rank order: the rest rank after the threshold too
            self.admit(key, tuple(sorted(rows)))
        return chosen

    def seed(self, candidates: Iterable[tuple[int, ...]]) -> None:
        """Put the first of `candidates` (sets of units, cheapest first: see bundle_seed, which bounds how many)
        that are bundles of the answer set into the top k, with their runs. Stops once k are in, or once they rank
        after the threshold."""
        pr = self.prep
        admitted = 0
        for units in candidates:
            if admitted >= self.k:
                return
            members = sorted(units)  # sums in the order a search path adds them, so the rounding agrees
            price = hours = 0.0
            for u in members:
                price, hours = price + float(pr.price[u]), hours + float(pr.hours[u])
            levels = pr.C[members]
            score = round_one(float(levels.max(axis=0).sum()), SCORE_DECIMALS)
            prefix = (-score, round_one(price, PRICE_DECIMALS), round_one(hours, PRICE_DECIMALS), len(members))
            thr = self._threshold()
            if thr is not None and prefix > thr[:4]:
                return
            # each member should lower the score when left out (the seeds are built so); checked all the same, so
            # that _admit_runs holds a member that does not to being needed for a prerequisite
            needed = {u: round_one(float(np.delete(levels, i, axis=0).max(axis=0, initial=0.0).sum()),
                                   SCORE_DECIMALS) < score for i, u in enumerate(members)}
            admitted += self._admit_runs(prefix, needed)

    def admit(self, key: tuple, chosen: tuple[int, ...]) -> None:
        """Put a bundle (its key and rows) into the top k, unless it is there already."""
        if chosen in self.seen:
            return
        self.seen.add(chosen)
        self.top.append((key, chosen))
        self.top.sort(key=lambda e: e[0])
        if len(self.top) > self.k:
            self.seen.discard(self.top.pop()[1])

    def _run_choices(self, members: list[int], critical: list[bool]) -> Iterator[tuple[int, ...]]:
        """The choices of one run per unit that are bundles of the answer set (no two runs conflict, every open
        prerequisite is met in time, a member that adds no score is needed for a prerequisite), lazily and in
        rank order: members come in offer order and an offer's runs in run order, so the caller can stop at the
        threshold instead of walking every combination of many-run offers.

        The runs are chosen member by member, and a run that conflicts with one chosen before cuts off every
        choice below it: where dates are tight, every choice of a bundle of several many-run offers may conflict,
        and checking each whole choice cost one query seconds. The work counted is CHOICE_WORK per choice up to
        the last one looked at, those cut off included, as if each had been checked."""
        pr = self.prep
        ranges = [range(pr.seg[u], pr.seg[u + 1]) for u in members]
        below = [math.prod(len(r) for r in ranges[i + 1:]) for i in range(len(ranges))]  # choices under one run
        chosen: list[int] = []
        runs = pr.runs

        def walk(depth: int) -> Iterator[tuple[int, ...]]:
            for r in ranges[depth]:
                start, end, _, conflicts, _ = runs[r]
                if conflicts and any(runs[c][3] and start <= runs[c][1] and end >= runs[c][0] for c in chosen):
                    self.work += below[depth] * CHOICE_WORK
                elif depth + 1 < len(ranges):
                    chosen.append(r)
                    yield from walk(depth + 1)
                    chosen.pop()
                else:
                    self.work += CHOICE_WORK
                    rows = (*chosen, r)
                    if self._valid(rows, critical):
                        yield rows

        return walk(0)

    def _no_free_choice(self, members: list[int]) -> bool:
        """Is every choice of runs of these units in conflict? Then so is every choice for a superset. Sure when
        some unit's runs all conflict with every run of another unit that is left (repeated until nothing
        changes, from one [runs, runs] matrix of conflicts); otherwise False, though a choice may still not
        exist (the run choices of each bundle decide)."""
        pr = self.prep
        sizes = [pr.seg[u + 1] - pr.seg[u] for u in members]
        if len(members) < 2 or max(sizes) == 1:  # single runs never conflict for sure: _joinable saw to that
            return False
        rows = np.concatenate([np.arange(pr.seg[u], pr.seg[u + 1]) for u in members])
        owner = np.repeat(np.arange(len(members)), sizes)
        firsts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        conf, start, end = pr.r_conf[rows], pr.r_start[rows], pr.r_end[rows]
        apart = ~(conf[:, None] & conf[None, :] & (start[:, None] <= end[None, :]) & (end[:, None] >= start[None, :]))
        alive = np.ones(len(rows), dtype=bool)
        while True:
            partner = np.logical_or.reduceat(apart & alive[None, :], firsts, axis=1)  # [runs, members]
            partner[np.arange(len(rows)), owner] = True
            now = alive & partner.all(axis=1)
            if not np.logical_or.reduceat(now, firsts).all():
                return True
            if (now == alive).all():
                return False
            alive = now

    def _valid(self, rows: tuple[int, ...], critical: list[bool]) -> bool:
        """Do these conflict-free runs meet every open prerequisite, each member adding score or needed for one?"""
        return self._runs_meet(rows, -1) and all(critical[i] or not self._runs_meet(rows, i)
                                                 for i in range(len(rows)))

    def _runs_meet(self, rows: tuple[int, ...], without: int) -> bool:
        """Are the open prerequisites of these runs met by the others (leaving out position `without`)? A run
        with an open prerequisite is always dated here: the reductions drop undated ones, which nothing can
        meet."""
        pr, runs = self.prep, self.prep.runs
        kept = [r for i, r in enumerate(rows) if i != without]
        for x in kept:
            start, _, _, _, unit = runs[x]
            for c, level in pr.open_reqs[unit]:
                if not any(y != x and runs[y][2] and pr.pre_teach[runs[y][4], c] >= level and runs[y][1] < start
                           for y in kept):
                    return False
        return True

    def _child(self, node: _Node, ch: _Children, t: int) -> _Node:
        return _Node([*node.members, int(ch.idx[t])], ch.cov[t], float(ch.score[t]), float(ch.price[t]),
                     float(ch.hours[t]), bool(ch.prereq_ok[t]), ch.lam)

    def _floors(self, node: _Node, ch: _Children, targets: np.ndarray, goal: float) -> tuple[np.ndarray, np.ndarray]:
        """Least price, and least hours, that the members after a child must add for the bundle to reach `goal`.
        Each floor holds for every such bundle on its own, so a bundle tying the threshold on score and price
        still needs the hours floor: free offers make price ties common.

        Where the needs have few levels, the exact table over the levels reached (see LevelFloors), which does
        not add up gains on the same need. Otherwise a fractional knapsack over the need profiles of every unit
        that could join the node, each at its least price or hours (marginal gains over the node only shrink in
        a superset). Beside a table the knapsack was higher on 79 of 22,666 hours floors and on no price floor
        (the 20 10k/8/5 benchmark queries), and it cost nine tenths of the floors' time."""
        table = self._level_table(goal)
        if table is not None:
            self.work += FLOORS_WORK
            return table.floors(ch.cov[targets], self.K - len(node.members) - 1)
        pr = self.prep
        start = node.members[-1] + 1 if node.members else 0
        pool = self._joinable(node, start, pr.n)
        self.work += FLOORS_WORK + len(pool)
        least = pr.least_per_profile(pool)
        present = np.isfinite(least[0]).nonzero()[0]
        g = np.maximum(pr.profiles[1][present], node.cov).sum(axis=1) - node.score
        useful = present[g > 0]
        g = g[g > 0]
        gap = goal - ch.score[targets] - 1e-9
        return knapsack_floor(g, least[0, useful], gap), knapsack_floor(g, least[1, useful], gap)

    def _teacher_floors(self, node: _Node, ch: _Children, targets: np.ndarray,
                        goal: float) -> tuple[np.ndarray, np.ndarray] | None:
        """For children that leave a prerequisite open: least price and least hours that the members after the
        child must add for the bundle to reach `goal`, one of them a teacher of that prerequisite in time. With
        t that teacher and S the other later members, price(t) + price(S) ≥ price(t) + the level table's floor
        for the child's coverage lifted by t with one member less; the least of that over every t after the
        child bounds every bundle below the child. None without a level table.

        Children that leave the same prerequisite open are taken together, and the teachers per need profile:
        each profile at the least cost of its teachers after the first of those children (a lower bound for the
        later ones too), and only where one of its teachers comes after the child."""
        table = self._level_table(goal)
        if table is None:
            return None
        pr, members = self.prep, node.members
        r = self.K - len(members) - 1  # members each child may still add, the teacher one of them
        start_p = pr.when[False][1]
        profile, profiles = pr.profiles
        units = ch.idx[targets]
        groups: dict[tuple[int, int, int], list[np.ndarray]] = {}  # open prerequisite -> positions in targets
        for o in ch.left:  # the members' prerequisites that a child does not meet
            groups.setdefault((o.column, o.level, o.start), []).append(np.flatnonzero(~o.met[targets]))
        for i in np.flatnonzero(pr.has_req[units]).tolist():  # the child's own, unless a member meets it
            u = int(units[i])
            for c, level in pr.left_open(u, members, pr.open_reqs):
                groups.setdefault((c, level, start_p[u]), []).append(np.array([i]))
        out = np.zeros((2, len(targets)))
        for (c, level, start), parts in groups.items():
            at = np.concatenate(parts)
            if len(at) == 0:
                continue
            teaching, levels, ends = pr.teachers[c]
            after = int(np.searchsorted(teaching, units[at].min(), side="right"))
            teachers = teaching[after:][(levels[after:] >= level) & (ends[after:] < start)]
            self.work += FLOORS_WORK + len(teachers) + len(at) * len(profiles)
            if len(teachers) == 0:
                out[:, at] = np.inf
                continue
            least = pr.least_per_profile(teachers)
            present = np.isfinite(least[0]).nonzero()[0]
            last = np.full(len(profiles), -1, dtype=np.int64)
            np.maximum.at(last, profile[teachers], teachers)  # a profile's last teacher: after the child or not
            step = max(1, TEACHER_BLOCK // len(present))  # children per block of [children, profiles, needs]
            for block in range(0, len(at), step):
                part = at[block:block + step]
                lifted = np.maximum(ch.cov[targets[part]][:, None, :], profiles[present][None, :, :])
                price, hours = table.floors(lifted.reshape(-1, lifted.shape[2]), r - 1)
                valid = last[present][None, :] > units[part][:, None]
                for row, cost, floor in ((0, least[0, present], price), (1, least[1, present], hours)):
                    best = np.where(valid, cost + floor.reshape(len(part), len(present)), np.inf).min(axis=1)
                    np.maximum.at(out[row], part, best)  # a child in several groups: the highest floor holds
        return out[0], out[1]

    def _level_table(self, goal: float) -> LevelFloors | None:
        """The level table for `goal` at the budget of the moment, or None where it would be large."""
        if not self.coarse and self.work >= COARSE_AFTER_WORK:  # from now on coarse tables pay off: retry
            self.coarse = True
            if self.levels is not None and self.levels[2] is None:
                self.levels = None
        old = self.levels
        if old is not None and old[0] <= goal and (1.0 - goal >= 0.75 * (1.0 - old[0]) or not self._settled(goal)):
            goal = old[0]  # a table for a lower goal bounds a higher one too: kept while the slack shrinks little
        elif not self._settled(goal):
            return None
        coarsening = MAX_COARSENING if self.coarse else 1
        # up to K − 1 more units: the floors are asked for below a node's children, which hold a member at least
        self.levels = self._table(self.levels, goal, lambda money: LevelFloors.build(
            self.prep, goal, money, self.max_hours, self.K - 1, coarsening=coarsening))
        return self.levels[2]

    def _settled(self, goal: float) -> bool:
        """Is a table for this goal worth its cost (up to some 10 ms)? In the exact passes, and at the cap; a beam
        whose threshold rises at almost every level would build one per step and use each a few times."""
        return self.counting or (self.cap is not None and goal >= self.cap)

    def _over_limit(self) -> None:
        """Stop the search, unless it is a tier whose k places all hold real bundles: nothing scores above the
        cap, so it has become the full top-k pass, and it keeps the work that pass would get rather than have
        that pass start over."""
        if self.extend_to is not None and len(self.top) >= self.k and all(members for _, members in self.top):
            self.work_limit, self.extend_to = self.extend_to, None
            if self.work <= self.work_limit:
                return
        raise WorkLimit

    # ---- the searches -------------------------------------------------------------------------------------
    def tier(self, cap: float) -> bool:
        """Top-k pass over the bundles scoring the cap alone: k stand-ins at that score and an endless price hold
        the threshold from the first node on, so the score bounds, the forced needs and their cover floors against
        budget and hours bite at once (the price floors only once k real bundles hold the threshold).
        True when k bundles reach the cap (then they are the answer). Otherwise, when fewer do or the tier used
        up its share of the work (an eighth of what is left while it holds fewer than k bundles: then it may be a
        detour; with k it goes on, see _over_limit), the bundles it found join the top k and the full pass
        follows."""
        before = self._hold_at(cap)
        limit = self.work_limit
        self.work_limit, self.extend_to = self.work + (limit - self.work) / 8, limit
        complete = False
        try:
            self.dfs(self.root)
            complete = True
        except WorkLimit:
            pass
        finally:
            self.work_limit, self.extend_to = limit, None
        if complete and all(members for _, members in self.top):
            return True
        self._release(before)
        return False

    def beam_at(self, cap: float, width: int) -> None:
        """A beam over the bundles scoring the cap alone (k stand-ins there hold the threshold, as in the tier):
        every child whose bound falls short of the cap is dropped, so the beam stays where the tier will look.
        The bundles it finds join the top k."""
        before = self._hold_at(cap)
        self.beam(width)
        self._release(before)

    def _hold_at(self, cap: float) -> list[tuple[tuple, tuple[int, ...]]]:
        """Fill the top k up to k places with stand-ins at the cap and an endless price (see tier); returns the
        top k as it was, for _release."""
        before = list(self.top)
        stand_in = (-cap, np.inf, np.inf, np.inf, (), ())
        at_cap = [e for e in before if -e[0][0] >= cap]
        self.top = sorted(at_cap + [(stand_in, ())] * max(self.k - len(at_cap), 0), key=lambda e: e[0])
        return before

    def _release(self, before: list[tuple[tuple, tuple[int, ...]]]) -> None:
        """Drop the stand-ins of _hold_at: the real bundles found since join the top k as it was before."""
        merged = {members: key for key, members in before + [e for e in self.top if e[1]]}
        self.top = sorted(((key, members) for members, key in merged.items()), key=lambda e: e[0])[: self.k]
        self.seen = {members for _, members in self.top}

    def aim(self, target: float) -> bool:
        """Best-score pass that only looks for a bundle reaching `target` (1 or the relaxation's bound): every bound
        and every forced need is set by the target from the first node on. True when one was found; otherwise
        the search space holds none and the best found before is restored."""
        before = self.top
        stand_in = (-round(target - 1e-9, SCORE_DECIMALS), np.inf, np.inf, np.inf, (), ())
        self.top = [(stand_in, ())]
        try:
            self.dfs(self.root)
        finally:  # also when the work limit cuts it: the stand-in never leaves this method
            if not self.top[0][1]:
                self.top = before
        return bool(self.top) and bool(self.top[0][1]) and -self.top[0][0][0] >= target

    def dfs(self, node: _Node, among: np.ndarray | None = None) -> None:
        """`among`: the only units that may follow, when the last-pair block already screened them."""
        start = node.members[-1] + 1 if node.members else 0
        ch = self._children(node, start, ordered=True, among=among)
        if ch is None:
            return
        todo = ch.expand.nonzero()[0]
        if not self._record(node, ch) or len(todo) == 0:
            return
        size = len(node.members) + 2
        thr = self._threshold()
        price, hours = ch.price, ch.hours  # least price and hours of each subtree's bundles (floors added below)
        if thr is not None:  # children that can at best tie the threshold score must also beat its price
            tie = todo[ch.ub[todo] == -thr[0]]
            if len(tie):
                price, hours = ch.price.copy(), ch.hours.copy()
                more_price, more_hours = self._floors(node, ch, tie, -thr[0])
                price[tie] += more_price
                hours[tie] += more_hours
                opened = tie[~ch.possible[tie]]  # a later member must also teach what these leave open
                if len(opened) and (teach := self._teacher_floors(node, ch, opened, -thr[0])) is not None:
                    price[opened] = np.maximum(price[opened], ch.price[opened] + teach[0])
                    hours[opened] = np.maximum(hours[opened], ch.hours[opened] + teach[1])
                todo = todo[self._passes(ch.ub[todo], price[todo], hours[todo], size)]
        if self.K - len(node.members) >= 3:
            todo = self._screen_children(node, ch, todo)
        lasts: dict[int, np.ndarray] = {}
        if self.K - len(node.members) == 2 and len(todo) > 1:
            todo, lasts = self._pairs_worth_it(node, ch, todo)
        if not self.best_only:  # cheap subtrees first (floors included): their bundles lower the threshold early
            todo = todo[np.lexsort((hours[todo], price[todo], -ch.ub[todo]))]
        # the floors hold for a goal of the threshold's score then, which only rises: with the threshold of the moment
        # (lowered by the subtrees before) they rule out more of the later children
        ub, price_l, hours_l = ch.ub.tolist(), price.tolist(), hours.tolist()
        for t in todo.tolist():
            if self._pass_one(ub[t], price_l[t], hours_l[t], size):
                self.dfs(self._child(node, ch, t), lasts.get(t))

    def _screen_children(self, node: _Node, ch: _Children, todo: np.ndarray) -> np.ndarray:
        """The children of `todo` that pass the first test of their own _subtree_may_pass (the multipliers they
        inherit), decided for all of them at once: most children that get that far end at that test, and one
        block costs far less than the few dozen numpy calls of a node each, once there are enough children.
        The price and hours floors are those of the cheapest and shortest unit after the child."""
        if self._threshold() is None or len(todo) < SCREEN_MIN:
            return todo
        least_price, least_hours = self.prep.least_from
        most = self.K - len(node.members) - 1  # members each child's subtree may still add
        keep = np.zeros(len(todo), dtype=bool)
        for at in range(0, len(todo), SCREEN_BLOCK):
            t = todo[at:at + SCREEN_BLOCK]
            after = ch.idx[t] + 1
            r = ch.slots if isinstance(ch.slots, int) else ch.slots[t]
            ub = np.minimum(self._screen_bounds(ch, t, r, most), ch.ub[t])
            keep[at:at + SCREEN_BLOCK] = self._passes(ub, ch.price[t] + least_price[after],
                                                      ch.hours[t] + least_hours[after], len(node.members) + 2)
        return todo[keep]

    def _screen_bounds(self, ch: _Children, t: np.ndarray, r: np.ndarray | int, most: int) -> np.ndarray:
        """Rounded upper bounds (capped) of the score of the bundles that add up to r units that add score after
        each child of `t` (r per child, `most` or one fewer): _subtree_may_pass's bound with the multipliers
        ch.lam, over every unit after the child (joinable or not) taken per need profile, rather than over the
        units that can join it. Units of one profile add no more together than one of them, so each profile
        counts once; and a superset of units only loosens the bound, so a subtree it rules out is ruled out."""
        pr = self.prep
        _, table = pr.profiles
        lam = ch.lam if ch.lam is not None else np.ones(table.shape[1])
        self.work += len(t) * len(table)
        after, cov = ch.idx[t] + 1, ch.cov[t]
        gains = np.maximum(table[None, :, :] - cov[:, None, :], 0.0) @ lam
        gains = np.where(pr.profile_last >= after[:, None], gains, 0.0)  # profiles with a unit after the child
        best = sum_largest_of(gains, r, most)
        top = np.maximum(pr.suffix_max[after] - cov, 0.0)  # the most any unit after the child adds per need
        ub = (ch.score[t] + top @ (1.0 - lam) + best + 1e-12).round(SCORE_DECIMALS)
        return ub if self.cap is None else np.minimum(ub, self.cap)

    def _pairs_worth_it(self, node: _Node, ch: _Children, todo: np.ndarray) -> tuple[np.ndarray, dict[int, np.ndarray]]:
        """Children with one slot left, checked in one block: which of them have a last unit that could make
        the top k on score, price, hours and size? Only those are expanded one by one (with every check).

        The block leaves run choices to that expansion, and prerequisites but for one check: of the last units
        that pass, those with which some open prerequisite stays unmet for every choice of runs are dropped (and
        the child with them when none is left). So it only ever keeps too many. A child with an open prerequisite
        (its own or the node's) may also end with an enabler from the tail, which adds no score: such a child
        stays when it passes on its own, one member larger. For the other kept children the block also says which
        last units passed: only those are evaluated again."""
        pr = self.prep
        rows = ch.idx[todo]
        size = len(node.members) + 2
        opened = pr.has_req[rows] | any(pr.open_reqs[x] for x in node.members)
        keep = opened & self._passes(ch.score[todo].round(SCORE_DECIMALS), ch.price[todo], ch.hours[todo], size)
        block = np.ones(len(todo), dtype=bool)
        lasts: dict[int, np.ndarray] = {}
        lo = int(rows.min()) + 1
        hi = max(pr.n_gain, lo)
        thr = self._threshold()
        cut = np.minimum(self._last_cut(ch.score[todo]), hi)  # the last unit must gain what the child lacks
        if thr is not None:
            block &= cut > rows + 1
            if not block.any():
                return todo[keep], lasts
            hi = int(cut[block].max())
        units = self._joinable(node, lo, max(hi, lo))
        if len(units) == 0:
            return todo[keep], lasts
        profile, profiles = pr.profiles
        pool = Pool(units, pr.price[units], pr.hours[units], pr.offer[units], pr.s_conf[units], pr.s_start[units],
                    pr.s_end[units], profile[units], profiles)
        part = block.nonzero()[0]
        t, j = todo[part], rows[part]
        kids = Children(j, cut[part], ch.cov[t], ch.price[t], ch.hours[t], pr.offer[j], pr.s_conf[j],
                        pr.s_start[j], pr.s_end[j])
        # a child that only a last unit can lift needs the list of those units, opened or not
        hit, units_after, evaluated = last_pairs(kids, pool, self._money(), self.max_hours, self._bar(size),
                                                 ~opened[part] | ~keep[part])
        self.evaluated += evaluated
        self.work += PAIRS_WORK + len(part) * len(units)  # the block's size, whatever the kernel skips of it
        # No bundle of a child is counted unless child + last meets every prerequisite (for some choice of runs):
        # first the members' that the child leaves open, for all the pairs at once, then one by one the child's
        # and the last unit's own (Search._prereq_both, which the child's expansion would run).
        for i, last in self._meet_left(ch, t, units_after).items():
            if len(last) and (pr.has_req[j[i]] or pr.has_req[last].any()):
                last = last[self._prereq_both([*node.members, int(j[i])], last)[0]]
            hit[i] = len(last) > 0
            lasts[int(t[i])] = last
        keep[part] |= hit
        return todo[keep], lasts

    def _meet_left(self, ch: _Children, t: np.ndarray, lasts: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
        """The last units of each child (children `t` of ch, lists keyed by position in t) that meet in time every
        prerequisite of the node's members that the other members and the child leave open (ch.left)."""
        if not ch.left or not lasts:
            return lasts
        pr = self.prep
        keys = list(lasts)
        sizes = [len(lasts[i]) for i in keys]
        units = np.concatenate([lasts[i] for i in keys])
        owner = np.repeat(t[keys], sizes)  # each last unit's child, as a position in ch
        fine = np.ones(len(units), dtype=bool)
        for o in ch.left:
            fine &= o.met[owner] | pr.teach_in_time(units, o.column, o.level, o.start)
        bounds = np.cumsum([0, *sizes]).tolist()
        return {i: units[a:b][fine[a:b]] for i, a, b in zip(keys, bounds[:-1], bounds[1:], strict=True)}

    def _use(self, price: np.ndarray, hours: np.ndarray) -> np.ndarray:
        """What a bundle spends, as shares of the caps; without a cap, of the dearest and of ten times the
        longest row, so that price weighs more than hours as in the ranking."""
        pr = self.prep
        price_scale = self.budget if self.budget else max(float(pr.price.max(initial=0.0)), 1.0)
        hours_scale = self.max_hours if self.max_hours else 10 * max(float(pr.hours.max(initial=0.0)), 1.0)
        return price / price_scale + hours / hours_scale

    def _pick(self, score: np.ndarray, price: np.ndarray, use: np.ndarray, width: int) -> np.ndarray:
        """Positions of the `width` nodes a beam keeps: half the best by score, then price, half the best by
        score per share spent (see _use): the highest-scoring first steps often spend budget, hours or simply
        money on what cheaper modules cover too, and the ranking's next key is the price."""
        order = np.lexsort((price, -score))
        if len(order) <= width:
            return order[:width]
        # the first `width` of the thrifty order hold at least width // 2 that the first half lacks
        thrifty = np.lexsort((price, -score, -score / (use + 1e-3)))[:width]
        out = list(dict.fromkeys([*order[: width - width // 2].tolist(), *thrifty.tolist()]))
        return np.asarray(out[:width], dtype=np.int64)

    def beam(self, width: int) -> None:
        frontier = [self.root]
        for _ in range(self.K):
            pool: list[tuple[tuple[int, ...], _Node]] = []
            for node in frontier:
                ch = self._children(node, 0, ordered=False)
                if ch is None:
                    continue
                if not self._record(node, ch):
                    continue
                grow = ch.expand.nonzero()[0]
                if len(grow) > width:
                    grow = grow[self._pick(ch.score[grow], ch.price[grow],
                                           self._use(ch.price[grow], ch.hours[grow]), width)]
                pool.extend((tuple(sorted([*node.members, int(ch.idx[t])])), self._child(node, ch, int(t)))
                            for t in grow)
            unique = list({members: child for members, child in reversed(pool)}.items())
            unique.sort(key=lambda e: e[0])
            if not unique:
                return
            score = np.array([c.score for _, c in unique])
            price = np.array([c.price for _, c in unique])
            use = self._use(price, np.array([c.hours for _, c in unique]))
            frontier = [unique[i][1] for i in self._pick(score, price, use, width)]
