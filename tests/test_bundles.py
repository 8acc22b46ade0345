"""`rank_bundles` against an independent oracle (`tests/bruteforce.py`).

Why: the engine prunes and vectorises, so its bugs hide in rare corners (ties, prerequisites across runs, budget
edges). The oracle enumerates every bundle and applies DESIGN.md "Matching: the exact definition" literally; random
small problems (hypothesis, derandomised so CI is reproducible) must give exactly the oracle's answer, and a tiny
work limit must give either that answer or an honest `exact=False` answer whose every bundle is still valid.
A second, larger random family (up to 13 rows, 5 modules, top 10) is where the search's bounds actually cut.
The hand-written examples state their expected answers explicitly, so they fail on a wrong engine *and* on a wrong
oracle.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from matcher import bundle_search
from matcher.bundle_bounds import LevelFloors
from matcher.bundle_prepare import Prepared
from matcher.bundle_problem import PRICE_DECIMALS, SCORE_DECIMALS, round_one
from matcher.bundle_search import WARM_WIDTH, Search, WorkLimit
from matcher.bundles import BundleProblem, BundleResult, RankedBundle, _relaxed_best, rank_bundles
from tests.bruteforce import brute_force, conflict, is_feasible, is_minimal, ordered, rank_key, score_of

Row = tuple[tuple[int, ...], float, float, float]


def as_rows(bundles: Sequence[RankedBundle]) -> list[Row]:
    """The comparable part of an answer: members, score, rounded price and hours."""
    return [(tuple(int(i) for i in b.members), float(b.score), round(float(b.price), 6), round(float(b.hours), 6))
            for b in bundles]


# --- hand-written problems --------------------------------------------------------------------------------------


@dataclass
class Run:
    """One candidate row of a hand-written problem; offers are given by code, ranks follow the code order."""

    offer: int
    teach: tuple[int, ...]
    price: float = 0.0
    hours: float = 8.0
    days: tuple[int, int] | None = None  # None: undated
    self_paced: bool = False
    pre_req: tuple[int, ...] = ()
    pre_teach: tuple[int, ...] = ()


@dataclass
class Query:
    cur: tuple[int, ...]
    tgt: tuple[int, ...]
    weight: tuple[float, ...] | None = None
    pre_cur: tuple[int, ...] = field(default_factory=tuple)
    max_modules: int = 5
    budget: float | None = None
    max_hours: float | None = None
    top: int = 10


def make_problem(runs: Sequence[Run], query: Query) -> BundleProblem:
    """Offer rank = rank of the offer code; run rank = row index."""
    n, m, p = len(runs), len(query.cur), len(query.pre_cur)
    codes = sorted({r.offer for r in runs})
    pad = lambda values: tuple(values) + (0,) * (p - len(values))  # noqa: E731
    return BundleProblem(
        offer=np.asarray([r.offer for r in runs], dtype=np.int64),
        offer_rank=np.asarray([codes.index(r.offer) for r in runs], dtype=np.int64),
        run_rank=np.arange(n, dtype=np.int64),
        price=np.asarray([r.price for r in runs], dtype=np.float64),
        hours=np.asarray([r.hours for r in runs], dtype=np.float64),
        start=np.asarray([r.days[0] if r.days else 0 for r in runs], dtype=np.int64),
        end=np.asarray([r.days[1] if r.days else 0 for r in runs], dtype=np.int64),
        dated=np.asarray([r.days is not None for r in runs], dtype=bool),
        self_paced=np.asarray([r.self_paced for r in runs], dtype=bool),
        teach=np.asarray([r.teach for r in runs], dtype=np.uint8).reshape(n, m),
        pre_req=np.asarray([pad(r.pre_req) for r in runs], dtype=np.uint8).reshape(n, p),
        pre_teach=np.asarray([pad(r.pre_teach) for r in runs], dtype=np.uint8).reshape(n, p),
        pre_cur=np.asarray(query.pre_cur, dtype=np.uint8),
        cur=np.asarray(query.cur, dtype=np.int64),
        tgt=np.asarray(query.tgt, dtype=np.int64),
        weight=np.asarray(query.weight or (1.0,) * m, dtype=np.float64),
        max_modules=query.max_modules, budget=query.budget, max_hours=query.max_hours, top=query.top,
    )


def check_expected(problem: BundleProblem, expected: list[Row]) -> None:
    """The stated answer, from the oracle and from the engine."""
    assert as_rows(brute_force(problem)) == expected, "oracle disagrees with the hand-written answer"
    result = rank_bundles(problem)
    assert result.exact
    assert as_rows(result.bundles) == expected


def test_basismodul_that_is_a_prerequisite_stays_in_the_bundle() -> None:
    basis = Run(10, (3,), price=100, days=(0, 5), pre_teach=(3,))
    intensiv = Run(20, (6,), price=200, days=(10, 15), pre_req=(3,))
    basis_late = Run(10, (3,), price=100, days=(20, 25), pre_teach=(3,))  # a later run of the Basismodul
    query = Query(cur=(0,), tgt=(6,), pre_cur=(0,))
    problem = make_problem([basis, intensiv, basis_late], query)
    assert not is_feasible(problem, [1]) and not is_feasible(problem, [2, 1])
    check_expected(problem, [((0, 1), 1.0, 300.0, 16.0), ((0,), 0.5, 100.0, 8.0), ((2,), 0.5, 100.0, 8.0)])
    # "ends before" is strict: a (self-paced, so not conflicting) Basismodul ending on the Intensivmodul's first
    # day does not count; one ending the day before does
    touching = make_problem([replace(basis, days=(0, 10), self_paced=True), intensiv], query)
    check_expected(touching, [((0,), 0.5, 100.0, 8.0)])
    day_before = make_problem([replace(basis, days=(0, 9), self_paced=True), intensiv], query)
    check_expected(day_before, [((0, 1), 1.0, 300.0, 16.0), ((0,), 0.5, 100.0, 8.0)])
    # once the employee already has the prerequisite level, the Basismodul is no longer needed with it
    known = make_problem([basis, intensiv], replace(query, pre_cur=(3,)))
    check_expected(known, [((1,), 1.0, 200.0, 8.0), ((0,), 0.5, 100.0, 8.0)])


def test_overlapping_dated_runs_conflict_self_paced_does_not() -> None:
    a = Run(10, (4, 0), price=100, days=(0, 10))
    b = Run(20, (0, 4), price=100, days=(10, 20))  # shares day 10 with a
    c = Run(30, (0, 4), price=200, days=(5, 15), self_paced=True)
    query = Query(cur=(0, 0), tgt=(4, 4))
    problem = make_problem([a, b, c], query)
    assert conflict(problem, 0, 1) and not conflict(problem, 0, 2)
    check_expected(problem, [((0, 2), 1.0, 300.0, 16.0), ((0,), 0.5, 100.0, 8.0), ((1,), 0.5, 100.0, 8.0),
                             ((2,), 0.5, 200.0, 8.0)])
    apart = make_problem([a, replace(b, days=(11, 20)), c], query)
    check_expected(apart, [((0, 1), 1.0, 200.0, 16.0), ((0, 2), 1.0, 300.0, 16.0), ((0,), 0.5, 100.0, 8.0),
                           ((1,), 0.5, 100.0, 8.0), ((2,), 0.5, 200.0, 8.0)])


def test_a_bundle_without_a_choice_of_runs_leaves_its_siblings_alone() -> None:
    """A and B fit together in three ways; C, E and F are cheap, but each overlaps every run of A or of B, and D
    is dear and self-paced: A + B + D is the only bundle closing all three needs, and every node it grows from
    (A + B, A + D, B + D) first meets a cheap child without a choice of runs (A and B gain the most, so they
    come first in the search). Such a node is only cut off when its own runs clash (see
    Search._no_free_choice)."""
    a = [Run(10, (4, 1, 0), price=100, days=(0, 5)), Run(10, (4, 1, 0), price=100, days=(10, 15))]
    b = [Run(20, (1, 4, 0), price=100, days=(0, 5)), Run(20, (1, 4, 0), price=100, days=(20, 25))]
    cheap = [Run(30, (0, 0, 4), price=50, days=(0, 30)), Run(50, (0, 4, 0), price=50, days=(0, 30)),
             Run(60, (4, 0, 0), price=50, days=(0, 30))]
    dear = Run(40, (0, 0, 4), price=300, days=(0, 40), self_paced=True)
    problem = make_problem([*a, *b, *cheap, dear], Query(cur=(0, 0, 0), tgt=(4, 4, 4), top=3))
    assert not is_feasible(problem, [0, 2, 7]) and not is_feasible(problem, [0, 3, 4])
    with checking_clashes_at_once():
        check_expected(problem, [((0, 3, 7), 1.0, 500.0, 24.0), ((1, 2, 7), 1.0, 500.0, 24.0),
                                 ((1, 3, 7), 1.0, 500.0, 24.0)])


def test_cheaper_then_shorter_then_smaller_bundle_ranks_first() -> None:
    query = Query(cur=(0,), tgt=(4,))
    dear, cheap, long = Run(10, (4,), price=300), Run(20, (4,), price=100), Run(30, (4,), price=100, hours=16)
    check_expected(make_problem([dear, cheap, long], query),
                   [((1,), 1.0, 100.0, 8.0), ((2,), 1.0, 100.0, 16.0), ((0,), 1.0, 300.0, 8.0)])
    # same score, price and hours: the single offer beats the pair, although the pair's offer ids sort first
    both = Run(30, (4, 4), price=100, hours=8)
    left, right = Run(10, (4, 0), price=50, hours=4), Run(20, (0, 4), price=50, hours=4)
    check_expected(make_problem([both, left, right], Query(cur=(0, 0), tgt=(4, 4))),
                   [((0,), 1.0, 100.0, 8.0), ((1, 2), 1.0, 100.0, 8.0), ((1,), 0.5, 50.0, 4.0),
                    ((2,), 0.5, 50.0, 4.0)])


def test_score_zero_offer_never_appears_alone() -> None:
    below = Run(0, (2,), price=0)  # teaches less than the employee already has
    useful = Run(10, (5,), price=100, days=(5, 6), pre_req=(2,))
    nothing = Run(20, (0,), price=0)
    enabler = Run(30, (0,), price=20, days=(0, 1), pre_teach=(2,))  # closes no gap, only enables `useful`
    problem = make_problem([below, useful, nothing, enabler], Query(cur=(3,), tgt=(6,), pre_cur=(0,)))
    check_expected(problem, [((1, 3), 0.666666667, 120.0, 16.0)])


def test_budget_excludes_the_expensive_full_coverage_bundle() -> None:
    runs = [Run(10, (4, 4), price=800), Run(20, (4, 0), price=300), Run(30, (0, 2), price=100)]
    query = Query(cur=(0, 0), tgt=(4, 4))
    check_expected(make_problem(runs, query),
                   [((0,), 1.0, 800.0, 8.0), ((1, 2), 0.75, 400.0, 16.0), ((1,), 0.5, 300.0, 8.0),
                    ((2,), 0.25, 100.0, 8.0)])
    within = [((1, 2), 0.75, 400.0, 16.0), ((1,), 0.5, 300.0, 8.0), ((2,), 0.25, 100.0, 8.0)]
    check_expected(make_problem(runs, replace(query, budget=500)), within)
    check_expected(make_problem(runs, replace(query, budget=400)), within)  # the budget itself is allowed
    check_expected(make_problem(runs, replace(query, budget=399.99)), within[1:])
    check_expected(make_problem(runs, replace(query, max_hours=15)), [((0,), 1.0, 800.0, 8.0), *within[1:]])


def test_at_most_one_run_per_offer() -> None:
    spring, autumn = Run(10, (4, 0), price=100, days=(0, 3)), Run(10, (4, 0), price=100, days=(20, 23))
    other = Run(20, (0, 4), price=100, days=(10, 12))
    problem = make_problem([spring, autumn, other], Query(cur=(0, 0), tgt=(4, 4)))
    assert not is_feasible(problem, [0, 1])
    check_expected(problem, [((0, 2), 1.0, 200.0, 16.0), ((1, 2), 1.0, 200.0, 16.0), ((0,), 0.5, 100.0, 8.0),
                             ((1,), 0.5, 100.0, 8.0), ((2,), 0.5, 100.0, 8.0)])
    # between runs of one offer the run rank decides, not the row order
    reversed_ranks = replace(problem, run_rank=np.asarray([2, 1, 0], dtype=np.int64))
    check_expected(reversed_ranks, [((1, 2), 1.0, 200.0, 16.0), ((0, 2), 1.0, 200.0, 16.0), ((1,), 0.5, 100.0, 8.0),
                                    ((0,), 0.5, 100.0, 8.0), ((2,), 0.5, 100.0, 8.0)])


def test_runs_of_one_offer_are_chosen_per_bundle() -> None:
    """The search works on offers and picks runs when it records a bundle: the spring run of the Basismodul is
    the only one that can serve the Intensivmodul, but it clashes with offer 30, whose bundle takes the autumn
    run instead."""
    spring = Run(10, (3, 0), price=100, days=(0, 5), pre_teach=(3,))
    autumn = replace(spring, days=(20, 25))
    intensiv = Run(20, (6, 0), price=200, days=(10, 15), pre_req=(3,))
    other = Run(30, (0, 4), price=50, days=(2, 3))
    problem = make_problem([spring, autumn, intensiv, other], Query(cur=(0, 0), tgt=(6, 4), pre_cur=(0,)))
    assert conflict(problem, 0, 3) and not is_feasible(problem, [1, 2])
    check_expected(problem, [((1, 3), 0.75, 150.0, 16.0), ((3,), 0.5, 50.0, 8.0), ((0, 2), 0.5, 300.0, 16.0),
                             ((0,), 0.25, 100.0, 8.0), ((1,), 0.25, 100.0, 8.0)])


def test_a_run_of_an_offer_in_the_bundle_does_not_stand_in_for_another_member() -> None:
    """The reductions drop a row when k conflict-free rows teach as much and rank before it (Prepared._dominated):
    each could take its place. Not a run whose offer the bundle already holds with a run that teaches less: the
    swap would give that offer two runs. Runs of one offer that teach differently only come from hand-built
    problems (matcher.candidates gives every run its offer's competences), but the engine accepts them."""
    broad = Run(10, (1, 1, 0), self_paced=True)
    other_half = Run(10, (0, 1, 1), self_paced=True)
    narrow = Run(20, (1, 0, 0), days=(0, 5))
    problem = make_problem([broad, other_half, narrow], Query(cur=(0, 0, 0), tgt=(1, 1, 1), top=1))
    check_expected(problem, [((1, 2), 1.0, 0.0, 16.0)])


def test_undated_run_never_satisfies_a_prerequisite() -> None:
    online = Run(10, (3,), price=0, self_paced=True, pre_teach=(3,))  # undated: never "ends before"
    intensiv = Run(20, (6,), price=200, days=(10, 15), pre_req=(3,))
    seminar = Run(30, (3,), price=100, days=(0, 5), pre_teach=(3,))
    query = Query(cur=(0,), tgt=(6,), pre_cur=(0,))
    check_expected(make_problem([online, intensiv, seminar], query),
                   [((1, 2), 1.0, 300.0, 16.0), ((0,), 0.5, 0.0, 8.0), ((2,), 0.5, 100.0, 8.0)])
    # nor is an undated dependent satisfied by a dated one
    undated_intensiv = replace(intensiv, days=None, self_paced=True)
    check_expected(make_problem([online, undated_intensiv, seminar], query),
                   [((0,), 0.5, 0.0, 8.0), ((2,), 0.5, 100.0, 8.0)])


def test_low_gain_member_is_not_cut_by_the_bounds() -> None:
    """Found by the oracle: a bound on a subtree that counted only the rows allowed as the *next* member missed
    the 1.0 bundle, whose prerequisite enabler (row 5) gains less than that filter asked of a next member."""
    runs = [Run(3, (4, 0, 0), days=(13, 15)), Run(2, (0, 0, 4), days=(12, 12)),
            Run(0, (0, 8, 0), days=(21, 22), pre_req=(3,)), Run(5, (4, 0, 0), days=(31, 36)),
            Run(4, (0, 0, 4), days=(2, 7)), Run(3, (4, 0, 0), days=(11, 14), pre_teach=(4,)),
            Run(5, (4, 0, 0), days=(32, 33)), Run(1, (0, 4, 4), days=(17, 22))]
    query = Query(cur=(0, 0, 0), tgt=(1, 5, 2), weight=(1.0, 1.0, 2.0), pre_cur=(2,), max_modules=3, top=1)
    check_expected(make_problem(runs, query), [((2, 5, 4), 1.0, 0.0, 24.0)])  # the faulty search: a 0.95 pair


def test_run_order_decides_between_equal_bundles() -> None:
    """Found by the oracle (same cause): of four bundles equal up to the runs of two offers, the second best
    (earliest run of offer 0, later run of offer 1) was skipped for the third."""
    runs = [Run(0, (5, 0, 0), price=100, days=(33, 36)), Run(1, (0, 4, 0), price=100, days=(21, 25)),
            Run(0, (5, 0, 0), price=100, days=(21, 21), self_paced=True),
            Run(4, (4, 5, 0), price=100, days=(11, 12), self_paced=True),
            Run(1, (0, 4, 0), price=100, days=(18, 19)), Run(2, (0, 0, 5), days=(6, 6)),
            Run(3, (4, 0, 4), days=(12, 17))]
    query = Query(cur=(0, 0, 0), tgt=(7, 4, 6), weight=(1.0, 1.0, 0.5), max_modules=3, top=2)
    check_expected(make_problem(runs, query),
                   [((0, 1, 5), 0.852380952, 200.0, 24.0), ((0, 4, 5), 0.852380952, 200.0, 24.0)])


def test_a_cut_tier_never_claims_the_answer() -> None:
    """The tier at the best score answers alone only when it ran to the end: cut at its first node, it cannot
    know that nothing cheaper reaches the cap, even though the warm start already holds k bundles there."""
    runs = [Run(10, (4,), price=300), Run(20, (4,), price=200), Run(30, (4,), price=100)]
    problem = make_problem(runs, Query(cur=(0,), tgt=(4,), top=1))
    search = Search(Prepared(problem), problem, work_limit=0.0, cap=1.0)
    search.beam(WARM_WIDTH)
    assert [key[0] for key, _ in search.top] == [-1.0]
    search.counting = True
    assert not search.tier(1.0)
    assert [key[0] for key, _ in search.top] == [-1.0]  # the warm start's bundle stays for the full pass


def test_a_tier_holding_k_bundles_goes_on_past_its_share() -> None:
    """The tier gets an eighth of the work while it may be a detour; once its k places hold real bundles it is
    the full top-k pass and keeps the whole budget, instead of being cut and having that pass start over. The
    limit is chosen where a tier without that rule is cut, so the test fails on the old tier."""

    class CutAtShare(Search):
        def _over_limit(self) -> None:
            raise WorkLimit

    runs = [Run(10 + i, (4, 0)) for i in range(6)] + [Run(20 + i, (0, 4)) for i in range(6)]
    problem = make_problem(runs, Query(cur=(0, 0), tgt=(4, 4), max_modules=2, top=2))
    prep = Prepared(problem)

    def tier(kind: type[Search], limit: float) -> Search | None:
        search = kind(prep, problem, work_limit=limit, cap=1.0)
        search.counting = True
        return search if search.tier(1.0) else None

    step = bundle_search.NODE_WORK // 3
    limit = next(w for w in range(step, 2_000 * step, step) if tier(Search, w) is not None)
    assert tier(CutAtShare, limit) is None
    search = tier(Search, limit)
    assert search is not None and search.work > limit / 8
    found = [tuple(sorted(int(prep.rows[r]) for r in members)) for _, members in search.top]
    assert found == [tuple(sorted(b.members)) for b in brute_force(problem)]


def test_a_cut_aim_leaves_no_stand_in() -> None:
    """The best-score pass first aims at the relaxation's bound with a stand-in threshold; when the work limit
    cuts it, the stand-in (a bundle of no runs) must not survive as a result."""
    runs = [Run(10, (4, 0), price=300), Run(20, (0, 4), price=200), Run(30, (2, 2), price=100)]
    problem = make_problem(runs, Query(cur=(0, 0), tgt=(4, 4), top=1))
    search = Search(Prepared(problem), problem, work_limit=0.0, best_only=True)
    search.counting = True
    with pytest.raises(WorkLimit):
        search.aim(1.0)
    assert search.top == []


def test_threshold_price_admits_prices_that_round_to_it() -> None:
    """Prices compare rounded to 6 decimals. Once the threshold holds the best score its price is the budget of
    the search, and a unit whose price rounds to it ties and must stay joinable (found in review: the budget
    was the rounded price itself)."""
    runs = [Run(10, (4,), price=100.0000003, hours=5), Run(20, (4,), price=100.0, hours=10)]
    problem = make_problem(runs, Query(cur=(0,), tgt=(4,), top=1))
    search = Search(Prepared(problem), problem, work_limit=1e6, cap=1.0)
    search.top = [((-1.0, 100.0, 10.0, 1, (1,), (1,)), (1,))]
    assert search._money() is not None and search._money() >= 100.0000003
    check_expected(problem, [((0,), 1.0, 100.0, 5.0)])  # the shorter one: the prices tie


@settings(max_examples=2000, derandomize=True)
@given(st.one_of(st.floats(allow_nan=False), st.integers(0, 10**9).map(lambda i: (i + 0.5) / 10**6),
                 st.integers(0, 10**9).map(lambda i: (i + 0.5) / 10**9)),
       st.sampled_from([PRICE_DECIMALS, SCORE_DECIMALS]))
def test_round_one_is_np_round(x: float, decimals: int) -> None:
    """Single bounds are rounded on Python floats: a rounding that differed from the array path in one ulp could
    rank the same bundle differently depending on which path looked at it. Halves are where they would differ."""
    with np.errstate(over="ignore"):
        expected = float(np.round(np.float64(x), decimals))
    assert struct.pack("<d", round_one(x, decimals)) == struct.pack("<d", expected)  # also the sign of zero


def test_empty_problem() -> None:
    problem = make_problem([], Query(cur=(0,), tgt=(4,), pre_cur=(0,)))
    check_expected(problem, [])
    assert rank_bundles(problem).candidates_considered == 0


# --- random problems --------------------------------------------------------------------------------------------

# hypothesis draws the first value of `sampled_from` (its "simplest") more often than the others: the orders below
# put a useful value first, so that most problems have answers with several members, prerequisites and ties
MAIN_LEVELS = st.sampled_from([4, 2, 3, 5, 6, 8])
SIDE_LEVELS = st.sampled_from([0, 0, 0, 1, 2, 3, 4, 6])
PRICES = st.sampled_from([0, 0, 50, 120, 120, 300, 450, 600, 900, 120.0000003, 299.9999996])  # ties after rounding
HOURS = st.sampled_from([8, 0, 4, 8, 16, 24])
WEIGHTS = st.sampled_from([0.5, 1.0, 1.0, 2.0, 3.0])
# the coarse style: few distinct values, so that whole families of bundles tie on score, price and hours and only
# the id order separates them (the hardest case for the search's bounds)
COARSE_MAIN, COARSE_SIDE = st.sampled_from([4, 8]), st.sampled_from([0, 0, 4])
COARSE_PRICES, COARSE_HOURS = st.sampled_from([0, 100]), st.just(8)


@st.composite
def bundle_problems(draw: st.DrawFn, max_rows: int = 9, max_modules: int = 4, max_top: int = 6,
                    varied_runs: bool = False, needs: tuple[int, ...] = (2, 3, 1, 4),
                    many_prereqs: bool = False, tight_dates: bool = False) -> BundleProblem:
    """Small problems with many ties: several runs per offer, shared prices/levels, short overlapping dates.

    `varied_runs`: a run may differ from the others of its offer in price, hours or levels. `matcher.candidates`
    never builds such runs, but the engine accepts them (as units of their own, see Prepared.offer_units).
    `needs`: the numbers of needs to draw from. `many_prereqs`: two prerequisite columns, most offers require one,
    and a third of the offers teach prerequisites only. `tight_dates`: two to four runs per offer, almost all
    dated and in a short window, so that many bundles have no choice of runs free of conflicts."""
    coarse = draw(st.booleans())
    main, side = (COARSE_MAIN, COARSE_SIDE) if coarse else (MAIN_LEVELS, SIDE_LEVELS)
    prices, hours = (COARSE_PRICES, COARSE_HOURS) if coarse else (PRICES, HOURS)
    m = draw(st.sampled_from(needs))
    p = 2 if many_prereqs else 0 if coarse and draw(st.booleans()) else draw(st.integers(0, 2))
    requires = [0, 1, 2, 3] if many_prereqs else [0, 0, 0, 0, 0, 1, 2, 3]
    cur, tgt = [], []
    for _ in range(m):
        c = draw(st.sampled_from([0, 0, 0, 1, 2, 3, 5]))
        cur.append(c)
        tgt.append(draw(st.integers(c + 1, 8)))
    empty = draw(st.sampled_from(range(30))) == 17  # an empty candidate list now and then
    offer_counts = [4, 3, 5, 6, 2, 1, 7] if max_rows <= 9 else [8, 6, 10, 7, 9, 5, 3]
    n_offers = 0 if empty else draw(st.sampled_from(offer_counts))
    run_counts = [draw(st.sampled_from([2, 3, 4, 2] if tight_dates else [1, 2, 1, 3])) for _ in range(n_offers)]
    while sum(run_counts) > max_rows:
        run_counts.pop()
    n_offers, n = len(run_counts), sum(run_counts)
    # offer codes and ranks independent of each other and not dense, as in a real catalog
    codes = draw(st.lists(st.integers(0, 1000), min_size=n_offers, max_size=n_offers, unique=True))
    ranks = draw(st.permutations(draw(st.lists(st.integers(0, 40), min_size=n_offers, max_size=n_offers,
                                               unique=True))))
    rows: list[dict[str, object]] = []
    for k, runs in enumerate(run_counts):
        focus = draw(st.integers(0, m - 1))  # most offers teach one need well and others a little, if at all
        basis = many_prereqs and draw(st.integers(0, 2)) == 0  # a course that only teaches prerequisites
        shared = {
            "offer": codes[k], "offer_rank": ranks[k], "price": draw(prices), "hours": draw(hours),
            "teach": [0 if basis else draw(main if j == focus else side) for j in range(m)],
            "pre_req": [draw(st.sampled_from(requires)) for _ in range(p)],
            "pre_teach": [draw(st.sampled_from([2, 3, 3] if basis else [0, 0, 1, 2, 3, 3])) for _ in range(p)],
            "self_paced": draw(st.booleans()) and (coarse or draw(st.booleans())),
        }
        for _ in range(runs):
            if varied_runs and draw(st.booleans()):
                shared = shared | {"price": draw(prices), "hours": draw(hours)}
                if draw(st.booleans()):
                    shared = shared | {"teach": [draw(main if j == focus else side) for j in range(m)]}
            dated = tight_dates or draw(st.sampled_from([True, True, True, True, False]))
            # basis courses come early
            start = draw(st.integers(0, 6) if tight_dates else st.integers(0, 20) if basis else st.integers(0, 60))
            rows.append(shared | {"dated": dated, "start": start, "end": start + draw(st.integers(0, 6))})
    rows = draw(st.permutations(rows)) if rows else rows
    run_ranks = sorted(draw(st.lists(st.integers(0, 100), min_size=n, max_size=n, unique=True)))
    run_ranks = draw(st.permutations(run_ranks)) if n else run_ranks
    column = lambda key, dtype: np.asarray([r[key] for r in rows], dtype=dtype)  # noqa: E731
    budget = None if draw(st.booleans()) else draw(st.sampled_from([900, 600, 420, 300, 170, 120, 0]))
    max_hours = None if draw(st.booleans()) else draw(st.sampled_from([40.0, 24.0, 16.0, 12.0, 8.0, 0.0]))
    return BundleProblem(
        offer=column("offer", np.int64), offer_rank=column("offer_rank", np.int64),
        run_rank=np.asarray(run_ranks, dtype=np.int64),
        price=column("price", np.float64), hours=column("hours", np.float64),
        start=column("start", np.int64), end=column("end", np.int64),
        dated=column("dated", bool), self_paced=column("self_paced", bool),
        teach=column("teach", np.uint8).reshape(n, m),
        pre_req=column("pre_req", np.uint8).reshape(n, p), pre_teach=column("pre_teach", np.uint8).reshape(n, p),
        pre_cur=np.asarray([draw(st.sampled_from([0, 0, 1, 2])) for _ in range(p)], dtype=np.uint8),
        cur=np.asarray(cur, dtype=np.int64), tgt=np.asarray(tgt, dtype=np.int64),
        weight=np.asarray([draw(WEIGHTS) for _ in range(m)], dtype=np.float64),
        max_modules=draw(st.sampled_from([k for k in (3, 2, 4, 5, 3, 2, 4, 5, 1) if k <= max_modules])),
        budget=None if budget is None else float(budget),
        max_hours=max_hours,
        top=draw(st.sampled_from([t for t in (4, 1, 2, 3, 5, 6, 8, 10) if t <= max_top])),
    )


def check_counters(problem: BundleProblem, result: BundleResult) -> None:
    """The statistics the API reports must at least be plausible."""
    assert result.bundles_evaluated >= 0
    assert 0 <= result.candidates_considered <= problem.size


def check_valid_answer(problem: BundleProblem, result: BundleResult) -> None:
    """What a heuristic answer must still honour: only valid bundles, correctly scored, in order, no repeats."""
    assert len(result.bundles) <= problem.top
    seen: set[tuple[int, ...]] = set()
    keys = []
    for bundle in result.bundles:
        members = tuple(int(i) for i in bundle.members)
        assert members == ordered(problem, members)
        assert members not in seen
        seen.add(members)
        assert 1 <= len(members) <= problem.max_modules
        assert is_feasible(problem, members) and is_minimal(problem, members)
        assert bundle.score == score_of(problem, members) > 0
        assert round(bundle.price, 6) == round(sum(float(problem.price[i]) for i in members), 6)
        assert round(bundle.hours, 6) == round(sum(float(problem.hours[i]) for i in members), 6)
        keys.append(rank_key(problem, members))
    assert keys == sorted(keys)


@settings(max_examples=1000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems())
def test_engine_equals_brute_force(problem: BundleProblem) -> None:
    result = rank_bundles(problem)
    check_counters(problem, result)
    assert result.exact
    assert as_rows(result.bundles) == as_rows(brute_force(problem))


@settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=13, max_modules=5, max_top=10))
def test_engine_equals_brute_force_larger(problem: BundleProblem) -> None:
    """Up to 13 rows, 5 modules and the default top 10: the search's bounds only start to cut (and can only go
    wrong) once the warm start no longer sees every bundle, which tiny problems rarely get past."""
    result = rank_bundles(problem)
    check_counters(problem, result)
    assert result.exact
    assert as_rows(result.bundles) == as_rows(brute_force(problem))


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=13, max_modules=5, max_top=10, needs=(8, 6, 10, 12)))
def test_engine_equals_brute_force_with_many_needs(problem: BundleProblem) -> None:
    """Many needs with many levels: the level tables exist only because the levels too low for the threshold's
    score merge into one state (see LevelFloors), which a few needs never need."""
    result = rank_bundles(problem)
    check_counters(problem, result)
    assert result.exact
    assert as_rows(result.bundles) == as_rows(brute_force(problem))


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=13, max_modules=5, max_top=10, varied_runs=True))
def test_engine_equals_brute_force_when_runs_of_an_offer_differ(problem: BundleProblem) -> None:
    """Runs of one offer that differ in price, hours or levels become separate units of one offer, which the
    search must never put into one bundle (at most one run per offer): the other generators never make them."""
    event(f"offers with several units: {bool(Prepared(problem).offer_units)}")  # both must occur
    result = rank_bundles(problem)
    check_counters(problem, result)
    assert result.exact
    assert as_rows(result.bundles) == as_rows(brute_force(problem))


@settings(max_examples=600, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=13, max_modules=5, max_top=10, many_prereqs=True))
def test_engine_equals_brute_force_with_many_prerequisites(problem: BundleProblem) -> None:
    """Most offers require something (the other generators rarely make a bundle that needs an enabler): the tail,
    the owed slots and the choice of runs all come into play."""
    result = rank_bundles(problem)
    check_counters(problem, result)
    assert result.exact
    expected = brute_force(problem)
    raises = (problem.teach.reshape(problem.size, -1) > problem.cur).any(axis=1) if problem.size else []
    enabled = any(not raises[r] for b in expected for r in b.members)
    event(f"an answer holds a member for a prerequisite only: {enabled}")
    assert as_rows(result.bundles) == as_rows(expected)


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=14, max_modules=5, max_top=10, tight_dates=True))
def test_engine_equals_brute_force_with_tight_dates(problem: BundleProblem) -> None:
    """Many runs in a short window: many bundles have no choice of runs free of conflicts. The node check of
    _record runs after the first such bundle here (not the eighth), so that small problems reach it."""
    with checking_clashes_at_once():
        result = rank_bundles(problem)
    check_counters(problem, result)
    assert result.exact
    assert as_rows(result.bundles) == as_rows(brute_force(problem))


@contextmanager
def checking_clashes_at_once() -> Iterator[None]:
    """Search._record checks a node's own runs for a conflict-free choice after CLASH_CHECK_AFTER of its
    bundles had none: within this block after the first."""
    saved = bundle_search.CLASH_CHECK_AFTER
    bundle_search.CLASH_CHECK_AFTER = 1
    try:
        yield
    finally:
        bundle_search.CLASH_CHECK_AFTER = saved


@contextmanager
def screening_every_block() -> Iterator[None]:
    """Search._screen_children screens from SCREEN_MIN children on, which problems small enough for the brute
    force or for enumeration never reach: within this block it screens any number."""
    saved = bundle_search.SCREEN_MIN
    bundle_search.SCREEN_MIN = 1
    try:
        yield
    finally:
        bundle_search.SCREEN_MIN = saved


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=13, max_modules=5, max_top=10))
def test_engine_equals_brute_force_when_every_node_screens_its_children(problem: BundleProblem) -> None:
    """The block screen of a node's children (Search._screen_children) only runs from SCREEN_MIN children on,
    which problems small enough for the brute force never reach: here it runs at every node."""
    screened = 0
    original = Search._screen_children

    def counting(self: Search, node: object, ch: object, todo: np.ndarray) -> np.ndarray:
        nonlocal screened
        kept = original(self, node, ch, todo)
        screened += len(todo) - len(kept)
        return kept

    Search._screen_children = counting  # type: ignore[method-assign]
    try:
        with screening_every_block():
            result = rank_bundles(problem)
    finally:
        Search._screen_children = original  # type: ignore[method-assign]
    event(f"children screened out: {'some' if screened else 'none'}")  # both must occur
    assert result.exact
    assert as_rows(result.bundles) == as_rows(brute_force(problem))


@settings(max_examples=800, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=13, max_modules=5, max_top=10),
       st.sampled_from([5.0, *(share * bundle_search.NODE_WORK for share in (2.5, 5, 10, 20, 40))]))
def test_tiny_work_limit_is_exact_or_says_so(problem: BundleProblem, work_limit: float) -> None:
    """Limits of a few nodes (each costs NODE_WORK): the search is cut at every depth and inside every pass,
    including the tier at the best score, which must never call a cut search exact."""
    result = rank_bundles(problem, work_limit=work_limit)
    check_counters(problem, result)
    event(f"exact={result.exact}")  # both branches must occur: see `pytest --hypothesis-show-statistics`
    if result.exact:
        assert as_rows(result.bundles) == as_rows(brute_force(problem))
    else:
        check_valid_answer(problem, result)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.tuples(bundle_problems(max_rows=8, max_modules=4, max_top=3),
                           st.sampled_from([1.0, 0.5, 0.75, 0.3, 0.9, 0.95, 0.97, 0.99])),
                 st.tuples(bundle_problems(max_rows=8, max_modules=4, max_top=3, needs=(12, 9)), st.just(1.0)),
                 st.tuples(bundle_problems(max_rows=8, max_modules=4, max_top=3, needs=(6,)),
                           st.sampled_from([0.99, 0.995]))),
       st.integers(0, 3))
def test_level_floors_are_the_least_cost_of_the_relaxation(case: tuple[BundleProblem, float], r: int) -> None:
    """The price and hours floors at a tied score (LevelFloors) prune subtrees, so they must never exceed what
    some r units really need to lift a coverage to the goal; they are exact for the relaxation without dates,
    offers and prerequisites, so an enumeration of unit sets must find exactly them."""
    problem, goal = case
    pr = Prepared(problem)
    table = LevelFloors.build(pr, goal, None, None, problem.max_modules)
    # a few needs, or many near a goal of 1: always small enough here
    assert table is not None
    r = min(r, problem.max_modules)
    for (p, h), (least_price, least_hours) in zip(_table_floors(pr, table, r), _least_costs(pr, goal, r), strict=True):
        assert p == pytest.approx(least_price) if np.isfinite(least_price) else p == least_price
        assert h == pytest.approx(least_hours) if np.isfinite(least_hours) else h == least_hours


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=8, max_modules=4, max_top=3, needs=(3, 4, 6)),
       st.sampled_from([0.5, 0.75, 0.9, 0.3]), st.sampled_from([16, 32, 8, 64]), st.integers(0, 3))
def test_coarse_level_floors_stay_below_the_least_cost(problem: BundleProblem, goal: float, max_states: int,
                                                       r: int) -> None:
    """Too many states: the needs with the most keep every other level, a level between two kept ones counting
    as the higher, so the floors may fall below the least cost of the relaxation but never above it."""
    pr = Prepared(problem)
    table = LevelFloors.build(pr, goal, None, None, problem.max_modules, max_states=max_states)
    event(f"built: {table is not None}")  # both must occur: a table, and too many states even with every other
    if table is None:
        return
    finest = LevelFloors.build(pr, goal, None, None, problem.max_modules, max_states=1 << 30)
    assert finest is not None
    event(f"coarsened: {np.prod(table.radix) < np.prod(finest.radix)}")  # both must occur
    r = min(r, problem.max_modules)
    for (p, h), (least_price, least_hours) in zip(_table_floors(pr, table, r), _least_costs(pr, goal, r), strict=True):
        assert p <= least_price + 1e-9 and h <= least_hours + 1e-9


def _table_floors(pr: Prepared, table: LevelFloors, r: int) -> list[tuple[float, float]]:
    """The table's floors for an empty coverage and for each gaining unit's own coverage."""
    covs = np.array([np.zeros(pr.C.shape[1])] + [pr.C[u] for u in range(pr.n_gain)])
    price, hours = table.floors(covs, r)
    return list(zip(price.tolist(), hours.tolist(), strict=True))


def _least_costs(pr: Prepared, goal: float, r: int) -> list[tuple[float, float]]:
    """By enumeration: the least price and the least hours with which up to r gaining units lift each coverage
    of _table_floors to the goal (no dates, offers or prerequisites)."""
    units = list(range(pr.n_gain))
    out = []
    for cov in [np.zeros(pr.C.shape[1])] + [pr.C[u] for u in units]:
        least_price = least_hours = float("inf")
        for size in range(r + 1):
            for chosen in itertools.combinations(units, size):
                reached = np.max([cov, *(pr.C[u] for u in chosen)], axis=0)
                if reached.sum() >= goal - 1e-9:
                    least_price = min(least_price, sum(float(pr.price[u]) for u in chosen))
                    least_hours = min(least_hours, sum(float(pr.hours[u]) for u in chosen))
        out.append((least_price, least_hours))
    return out


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=16, max_modules=4, needs=(2, 3, 4, 6)), st.sampled_from([900.0, 600.0, 300.0]))
def test_the_relaxation_seeds_profile_sets_that_reach_its_bound(problem: BundleProblem, budget: float) -> None:
    """The relaxation hands the seed the need profiles of its best bundle, and with a budget or an hours cap also
    those of a cheaper one at the same score where a beam finds it: every set must reach the bound on its own
    (its profiles' levels, need by need), within maxModules, or the seeds would aim below it."""
    problem = replace(problem, budget=budget)
    prep = Prepared(problem)
    bound, _, _, profile_sets = _relaxed_best(prep, problem, 1e12)
    event(f"profile sets: {len(profile_sets)}")  # two occur: the beam finds a cheaper bundle at the bound
    assert bound is not None
    table = prep.profiles[1]
    for profiles in profile_sets:
        assert 1 <= len(profiles) <= problem.max_modules
        assert round_one(float(table[profiles].max(axis=0).sum()), SCORE_DECIMALS) == bound
    if len(profile_sets) > 1:
        assert profile_sets[0] != profile_sets[1]
