"""Exact top-k ranking of offer bundles (DESIGN.md, "Matching: the exact definition"), pure numpy, no I/O.

The input is one row per candidate run (`BundleProblem`); `matcher.candidates` builds it from the snapshot. The
search works on units (the runs of one offer) and chooses the runs when it records a bundle. The parts:
`bundle_problem` (input, output, comparisons), `bundle_prepare` (reductions and units), `bundle_bounds`,
`bundle_search` (the branch and bound and the beam), and here the passes that `rank_bundles` runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from matcher.bundle_prepare import Prepared
from matcher.bundle_problem import BundleProblem, BundleResult, RankedBundle
from matcher.bundle_search import FALLBACK_WIDTH, NODE_WORK, WARM_WIDTH, Search, WorkLimit
from matcher.bundle_seed import cover_candidates, profile_candidates

__all__ = ["WORK_LIMIT", "BundleProblem", "BundleResult", "RankedBundle", "rank_bundles"]

# The default work budget of one query, as the API spends it: some 4–6 s on one core here at any catalogue size
# (the work count follows the time, see bundle_search.NODE_WORK); past it the answer comes from the beam search
# and says exact=False.
WORK_LIMIT = 8e7
# The relaxation's warm start: a narrower beam than the real search's pays on its few hundred rows (on 20 10k/8/5
# queries width 4 took 0.6–0.75 of width 8's time on most, the bound being exact either way; width 2 was slower
# on some)
RELAX_WIDTH = 4
# The seeds (bundle_seed): how many cheapest sets of masks the seed at score 1 combines, and how many of the cheapest
# choices of units a seed hands over (each may make several bundles, one per choice of runs), per bundle of the top k
SEED_SETS = 2
SEED_LOOK = 2


def _fallback_width(work_left: float, n: int, k: int) -> int:
    """As wide a beam as the work left pays for (a level costs at most width × (rows + NODE_WORK)), within
    [FALLBACK_WIDTH, 4 × FALLBACK_WIDTH]."""
    affordable = int(max(work_left, 0.0) / (k * (n + NODE_WORK)))
    return min(max(affordable, FALLBACK_WIDTH), 4 * FALLBACK_WIDTH)


def _relaxation(prep: Prepared, p: BundleProblem) -> tuple[np.ndarray, BundleProblem]:
    """The problem without dates, prerequisites and offers: one row per need profile and (price, hours) trade-off.

    Every real bundle has a counterpart here with the same score, no higher price or hours and no more members
    (one row per distinct profile of its scoring members, at most as dear and as long; members that add no
    score drop out), so the relaxation's best score bounds the real one from above; with a few hundred profiles
    instead of thousands of units it is far quicker to solve. Returned with the unit behind each row."""
    g = prep.n_gain
    profile = prep.profiles[0][:g]  # units of one profile have the same levels on every need
    price = prep.price[:g] if p.budget is not None else np.zeros(g)
    hours = prep.hours[:g] if p.max_hours is not None else np.zeros(g)
    units = np.sort(_pareto(profile, price, hours))
    level = prep.level[prep.rows[np.asarray(prep.seg, dtype=np.int64)[units]]]  # each unit's first row
    r = len(units)
    return units, BundleProblem(
        offer=np.arange(r, dtype=np.int64), offer_rank=np.arange(r, dtype=np.int64),
        run_rank=np.arange(r, dtype=np.int64), price=prep.price[units], hours=prep.hours[units],
        start=np.zeros(r, dtype=np.int64), end=np.zeros(r, dtype=np.int64), dated=np.zeros(r, dtype=bool),
        self_paced=np.zeros(r, dtype=bool), teach=np.ascontiguousarray(level, dtype=np.uint8),
        pre_req=np.zeros((r, 0), dtype=np.uint8), pre_teach=np.zeros((r, 0), dtype=np.uint8),
        pre_cur=np.zeros(0, dtype=np.uint8), cur=p.cur, tgt=p.tgt, weight=p.weight, max_modules=p.max_modules,
        budget=p.budget, max_hours=p.max_hours, top=1)


def _pareto(group: np.ndarray, price: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """The items on each group's (price, hours) Pareto front, the first of equal ones: in the order of group,
    price and hours, an item is on its group's front when it is shorter than every item before it in the group.
    The running minimum restarts per group because every group's hour ranks lie below those of the groups before."""
    order = np.lexsort((hours, price, group))
    g = group[order]
    _, rank = np.unique(hours[order], return_inverse=True)
    starts = np.concatenate(([True], g[1:] != g[:-1])) if len(g) else np.zeros(0, dtype=bool)
    shifted = rank.ravel() - (np.cumsum(starts) - 1) * (int(rank.max(initial=0)) + 2)
    shortest = np.minimum.accumulate(shifted)
    before = np.concatenate(([0], shortest[:-1]))
    return order[starts | (shifted < before)]


def _relaxed_best(prep: Prepared, p: BundleProblem, work_limit: float,
                  ) -> tuple[float | None, int, float, list[list[int]]]:
    """The relaxation's best score (None if it needs more work than allowed), its evaluations, its work, and the
    need profiles of its best bundle and of a cheaper one at that score where the beam below finds one."""
    if prep.n_gain == 0:
        return 0.0, 0, 0.0, []
    units, relaxed = _relaxation(prep, p)
    rprep = Prepared(relaxed)
    if rprep.n == 0:
        return 0.0, 0, 0.0, []
    search = Search(rprep, relaxed, work_limit, best_only=True)
    search.beam(RELAX_WIDTH)
    search.counting = True
    try:
        search.dfs(search.root)
    except WorkLimit:
        return None, search.evaluated, search.work, []
    if not search.top:
        return 0.0, search.evaluated, search.work, []
    key, rows = search.top[0]
    evaluated, work = search.evaluated, search.work
    found = [rows]
    if (p.budget is not None or p.max_hours is not None) and (key[1] > 0 or key[2] > 0):
        # The best bundle the best-score pass found is any one at that score. With a budget or an hours cap the
        # seeds it gives can be far dearer than the real bundles at the bound (10k/4/5 query 19: 525 EUR where
        # ten free ones exist), and the tier then starts from that price: a narrow beam at the bound, with that
        # bundle as the threshold, looks for a cheaper one (a full search costs more than it saves).
        cheap = Search(rprep, relaxed, work_limit, cap=-key[0])  # a beam: no work limit applies
        cheap.admit(key, rows)
        cheap.beam(RELAX_WIDTH)
        evaluated, work = evaluated + cheap.evaluated, work + cheap.work
        found.append(cheap.top[0][1])
    profiles = (tuple(sorted(int(prep.profiles[0][units[rprep.rows[r]]]) for r in chosen)) for chosen in found)
    return -key[0], evaluated, work, [list(x) for x in dict.fromkeys(profiles)]  # the same profiles once


def _seed_at_one(search: Search, prep: Prepared, problem: BundleProblem) -> None:
    """The bundles at score 1 for the warm start: the cheapest covers of every need (bundle_seed). Where
    prerequisites keep those short of k bundles, the covers of units without open prerequisites, and then a beam
    at 1, which finds the covers whose units need partners; the plain covers' bundles make it quicker."""
    def covers(plain: bool) -> Iterator[tuple[int, ...]]:
        return cover_candidates(prep, problem.max_modules, SEED_SETS * search.k, problem.budget, problem.max_hours,
                                limit=SEED_LOOK * search.k, plain=plain)

    search.seed(covers(plain=False))
    if len(search.top) < search.k:  # the seed holds only bundles at score 1
        search.seed(covers(plain=True))
        search.beam_at(1.0, WARM_WIDTH)


def rank_bundles(problem: BundleProblem, work_limit: float = WORK_LIMIT) -> BundleResult:
    """The top bundles of DESIGN.md's definition; `exact` is False only when the work limit cut the search.

    First the cheapest covers of every need (bundle_seed), or a beam over the bundles scoring 1 alone, show
    whether the best score is 1, as it is for most queries; else a relaxation (no dates, prerequisites or offers)
    bounds the best score. Real units of the relaxation's best bundle, or a beam over the bundles at that bound
    alone, else a search aimed at it, show whether the bound is the best score; only when it is not does a
    best-score pass, pruning every subtree that cannot score strictly more, find the best score itself from a
    beam's warm start. The top-k pass then ranks with that score (or the bound) as a cap on every bound, first
    over the bundles at the cap alone (the tier), which turns most bounds into ties that the price, hours and
    cover floors settle. When it runs out of work the answer comes from a beam search, which keeps the best
    bundles found so far.
    """
    prep = Prepared(problem)
    evaluated, work = 0, 0.0
    exact = True
    cap = None
    bound: float | None = 1.0  # no score exceeds 1
    search = Search(prep, problem, work_limit, cap=bound)
    warmed = False  # has the top-k pass's own warm start (a beam over every score) run?
    if prep.n:
        best = Search(prep, problem, work_limit / 4, best_only=True, cap=bound)
        # first the bundles at the bound alone (seeds, else a beam), then a search aimed at it: most queries reach
        # it, and then the bundles found warm up the tier (k of them give it price floors at once). The bound is 1,
        # which most queries reach, else the relaxation's best score. At 1 the cheapest covers (bundle_seed)
        # mostly make k bundles; where prerequisites keep them out, the covers of units without open ones and a
        # beam follow, unless the cover table shows that no bundle scores 1.
        if search.may_close_all():
            _seed_at_one(search, prep, problem)
        if not search.top or -search.top[0][0][0] < 1.0:
            bound, used, spent, profiles = _relaxed_best(prep, problem, work_limit / 8)
            evaluated, work = evaluated + used, work + spent
            search.cap = best.cap = 1.0 if bound is None else bound  # out of work, the trivial cap still holds
            if bound is not None and bound < 1.0:
                # the relaxation's best bundle, made of real units of the same need profiles, reaches the bound
                for chosen in profiles:
                    search.seed(profile_candidates(prep, chosen, problem.budget, problem.max_hours,
                                                   limit=SEED_LOOK * search.k))
                if sum(-key[0] >= bound for key, _ in search.top) < search.k:
                    search.beam_at(bound, WARM_WIDTH)
        if bound is not None and search.top and -search.top[0][0][0] >= bound:
            cap = bound  # a bundle reaches the bound, so the bound is the best score
        else:
            try:
                best.counting = True
                if bound is None or not best.aim(bound):
                    # the bound is out of reach: the best-score pass needs a warm start, and so does the top k
                    best.counting = False
                    search.beam(WARM_WIDTH)
                    warmed = True
                    if search.top:
                        best.admit(*search.top[0])
                    best.counting = True
                    best.dfs(best.root)
                cap = -best.top[0][0][0] if best.top else None
            except WorkLimit:
                cap = bound  # not the best score, but no bundle scores more: still a valid cap on every bound
                exact = bound is not None  # without any cap the top-k pass would run out too
        evaluated, work = evaluated + best.evaluated, work + best.work
        if best.top:  # a bundle of the answer set with the best score found
            search.admit(*best.top[0])
        search.cap, search.work_limit = cap, max(work_limit - work, 0)
        if cap != bound:  # the best score is now known: a beam that aims at it warms the top k up better
            search.beam(WARM_WIDTH)
            warmed = True
        if exact:
            try:
                search.counting = True
                if cap is None or not search.tier(cap):
                    if not warmed:  # the full pass starts from real bundles below the cap too
                        search.counting = False
                        search.beam(WARM_WIDTH)
                        search.counting = True
                    search.dfs(search.root)
            except WorkLimit:
                search.counting = False
                exact = False
        if not exact:
            search.beam(_fallback_width(work_limit - work - search.work, prep.n, problem.max_modules))
        evaluated += search.evaluated
    bundles = []
    for key, members in search.top:
        rows = sorted((int(prep.rows[r]) for r in members),
                      key=lambda r: (int(problem.offer_rank[r]), int(problem.run_rank[r])))
        bundles.append(RankedBundle(members=tuple(rows), score=-key[0],
                                    price=float(sum(float(problem.price[r]) for r in rows)),
                                    hours=float(sum(float(problem.hours[r]) for r in rows))))
    return BundleResult(bundles, exact, prep.n, evaluated)
