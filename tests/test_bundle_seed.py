"""The seed at score 1 (matcher/bundle_seed.py) against an enumeration of every set of units: its candidates are
exactly the sets that close every need with each unit closing one of its own, cheapest first, and what
Search.seed admits from them are bundles of the answer set at score 1."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from matcher.bundle_prepare import Prepared
from matcher.bundle_problem import EPS, PRICE_DECIMALS, BundleProblem
from matcher.bundle_search import Search
from matcher.bundle_seed import cover_candidates, profile_candidates
from tests.bruteforce import brute_force, counts, rank_key, score_of
from tests.test_bundles import bundle_problems

UNLIMITED = 10**9


def covers_by_enumeration(prep: Prepared, problem: BundleProblem,
                          plain: bool) -> dict[frozenset[int], tuple[float, float]]:
    """Every set of up to K gaining units (none with a prerequisite only the tail meets) that closes every need,
    each unit closing a need no other one closes, from distinct offers, within budget and hours, every open
    prerequisite taught by another member ending before it starts (some run each): with its price and hours."""
    # a unit's mask: the needs it reaches the target of on its own (written out here, not taken from the engine)
    masks = [sum(1 << n for n in range(len(prep.full)) if prep.C[u, n] >= prep.full[n] - 1e-12)
             for u in range(prep.n_gain)]
    everything = (1 << len(prep.full)) - 1
    units = [u for u in range(prep.n_gain) if masks[u] and not prep.tail_reqs[u]
             and not (plain and prep.open_reqs[u])]
    out = {}
    for size in range(1, problem.max_modules + 1):
        for combo in itertools.combinations(units, size):
            union = 0
            for u in combo:
                union |= masks[u]
            own = all(masks[u] & ~sum_or(masks[v] for v in combo if v != u) for u in combo)
            price = sum(float(prep.price[u]) for u in combo)
            hours = sum(float(prep.hours[u]) for u in combo)
            if union != everything or not own or len({int(prep.offer[u]) for u in combo}) < size:
                continue
            if (problem.budget is not None and price > problem.budget + EPS) or \
                    (problem.max_hours is not None and hours > problem.max_hours + EPS):
                continue
            if prerequisites_possible(prep, combo):
                out[frozenset(combo)] = (price, hours)
    return out


def prerequisites_possible(prep: Prepared, combo: tuple[int, ...]) -> bool:
    end, start = prep.when[False]
    return all(any(y != x and prep.pre_teach[y, c] >= level and end[y] < start[x] for y in combo)
               for x in combo for c, level in prep.open_reqs[x])


def assert_cheapest_first(keys: list[tuple[float, float]]) -> None:
    for (p1, h1), (p2, h2) in itertools.pairwise(keys):
        assert p1 <= p2 + 1e-9  # the heap's sums may be off by rounding, far less than the prices' steps
        assert p1 < p2 - 1e-9 or h1 <= h2 + 1e-9


def sum_or(values: object) -> int:
    out = 0
    for v in values:  # type: ignore[attr-defined]
        out |= v
    return out


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=12, max_modules=4, max_top=4), st.booleans())
def test_candidates_are_every_cover_cheapest_first(problem: BundleProblem, plain: bool) -> None:
    prep = Prepared(problem)
    expected = covers_by_enumeration(prep, problem, plain)
    got = list(cover_candidates(prep, problem.max_modules, UNLIMITED, problem.budget, problem.max_hours,
                                per_mask=UNLIMITED, limit=UNLIMITED, plain=plain, nodes=UNLIMITED))
    event(f"covers: {min(len(expected), 3)}")
    assert len(got) == len(set(got))
    assert {frozenset(c) for c in got} == set(expected)
    assert_cheapest_first([expected[frozenset(c)] for c in got])


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=12, max_modules=4, max_top=4), st.data())
def test_profile_candidates_are_every_choice_of_units_cheapest_first(problem: BundleProblem,
                                                                     data: st.DataObject) -> None:
    prep = Prepared(problem)
    profile = prep.profiles[0]
    present = sorted({int(x) for x in profile[: prep.n_gain]})
    if not present:
        return
    chosen = data.draw(st.lists(st.sampled_from(present), min_size=1, max_size=min(3, len(present)), unique=True))
    units = [[u for u in range(prep.n_gain) if profile[u] == x and not prep.tail_reqs[u]] for x in chosen]
    expected = {}
    for combo in itertools.product(*units):
        price = sum(float(prep.price[u]) for u in combo)
        hours = sum(float(prep.hours[u]) for u in combo)
        if len({int(prep.offer[u]) for u in combo}) == len(combo) and prerequisites_possible(prep, combo) and \
                (problem.budget is None or price <= problem.budget + EPS) and \
                (problem.max_hours is None or hours <= problem.max_hours + EPS):
            expected[frozenset(combo)] = (price, hours)
    got = list(profile_candidates(prep, chosen, problem.budget, problem.max_hours, per_profile=UNLIMITED,
                                  limit=UNLIMITED, nodes=UNLIMITED))
    event(f"choices: {min(len(expected), 3)}")
    assert len(got) == len(set(got))
    assert {frozenset(c) for c in got} == set(expected)
    assert_cheapest_first([expected[frozenset(c)] for c in got])


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=12, max_modules=4, max_top=4, tight_dates=True))
def test_seed_admits_bundles_of_the_answer_set_at_score_one(problem: BundleProblem) -> None:
    prep = Prepared(problem)
    search = Search(prep, problem, work_limit=1e12, cap=1.0)
    search.seed(cover_candidates(prep, problem.max_modules, UNLIMITED, problem.budget, problem.max_hours))
    event(f"admitted: {min(len(search.top), 2)}")
    assert len(search.top) <= problem.top
    for key, rows in search.top:
        members = [int(prep.rows[r]) for r in rows]
        assert counts(problem, members)
        assert round(score_of(problem, members), 9) == 1.0
        assert key[1:] == rank_key(problem, members)[1:]
        assert key[1] == round(sum(float(problem.price[m]) for m in members), PRICE_DECIMALS)


@settings(max_examples=500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=10, max_modules=4, max_top=2))
def test_cover_table_never_rules_out_a_bundle_at_score_one(problem: BundleProblem) -> None:
    closes = Search(Prepared(problem), problem, work_limit=1e12).may_close_all()
    answer = brute_force(problem)
    reached = bool(answer) and round(answer[0].score, 9) == 1.0
    event(f"score 1 reached: {reached}, table says it might: {closes}")
    assert closes or not reached
