"""Parts of the branch and bound (matcher/bundle_search.py) checked on their own, where the end-to-end comparison
with the brute force (tests/test_bundles.py) cannot reach them: problems small enough for the brute force
rarely give a node enough children to screen them in a block."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from matcher.bundle_prepare import Prepared
from matcher.bundle_problem import SCORE_DECIMALS, BundleProblem
from matcher.bundle_search import CHOICE_WORK, MEETS_WORK, OWN_PREREQ_WORK, PREREQ_WORK, Search
from matcher.bundles import _pareto
from tests.bruteforce import is_feasible
from tests.test_bundles import Query, Run, bundle_problems, make_problem, screening_every_block


def best_below(prep: Prepared, cov: np.ndarray, after: int, r: int) -> float:
    """The best score of a bundle that adds up to r units from `after` on to a node covering `cov`, ignoring
    budget, hours, dates, offers and prerequisites: what the screen's bound must never fall below."""
    best = float(cov.sum())
    for size in range(1, r + 1):
        for extra in itertools.combinations(range(after, prep.n), size):
            best = max(best, float(np.maximum(cov, prep.C[list(extra)].max(axis=0)).sum()))
    return best


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=12, max_modules=5, max_top=3), st.data())
def test_screen_bounds_hold_for_every_subtree(problem: BundleProblem, data: st.DataObject) -> None:
    prep = Prepared(problem)
    search = Search(prep, problem, work_limit=1e12)
    node = search.root
    ch = search._children(node, 0, ordered=True)
    if ch is None:
        return
    if problem.max_modules >= 3 and data.draw(st.booleans()):  # one level down: a node with a member
        node = search._child(node, ch, data.draw(st.integers(0, len(ch.idx) - 1)))
        ch = search._children(node, node.members[-1] + 1, ordered=True)
        if ch is None:
            return
    r = problem.max_modules - len(node.members) - 1
    if r < 1:
        return
    if data.draw(st.booleans()):  # any multipliers in [0, 1] give a bound, not only the node's own
        lam = data.draw(st.lists(st.floats(0.0, 1.0), min_size=prep.C.shape[1], max_size=prep.C.shape[1]))
        ch = replace(ch, lam=np.asarray(lam))
    t = np.arange(len(ch.idx))
    bounds = search._screen_bounds(ch, t, r, r)  # every child with all r slots: the bound itself, not the tail
    truth = [best_below(prep, ch.cov[i], int(ch.idx[i]) + 1, r) for i in t]
    event(f"bound is tight for some child: {any(abs(b - x) < 1e-9 for b, x in zip(bounds, truth, strict=True))}")
    for i in t:
        assert bounds[i] >= round(truth[i], SCORE_DECIMALS) - 1e-12, (i, bounds[i], truth[i])


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=12, max_modules=5, max_top=3), st.data())
def test_screen_drops_only_children_whose_subtree_cannot_pass(problem: BundleProblem, data: st.DataObject) -> None:
    """With a threshold in place (stand-ins, as a tier sets them), every child the block screen drops has no
    bundle below it within the budget and the hours cap that could pass: not on score, and at a tied score not
    on price, hours and size (ignoring dates, offers and prerequisites, which only remove bundles)."""
    prep = Prepared(problem)
    search = Search(prep, problem, work_limit=1e12)
    ch = search._children(search.root, 0, ordered=True)
    if ch is None or problem.max_modules < 2:
        return
    r = problem.max_modules - 1
    some = data.draw(st.lists(st.integers(0, prep.n - 1), min_size=1, max_size=r + 1, unique=True))
    score = round(float(prep.C[some].max(axis=0).sum()), SCORE_DECIMALS)  # a score some bundle reaches: ties
    price = float(prep.price[some].sum()) + data.draw(st.sampled_from([-1.0, 0.0, 1.0]))
    hours = float(prep.hours[some].sum()) + data.draw(st.sampled_from([-1.0, 0.0, 1.0]))
    search.top = [((-score, price, hours, len(some), (), ()), ())] * search.k
    with screening_every_block():
        kept = set(search._screen_children(search.root, ch, np.arange(len(ch.idx))).tolist())
    event(f"children dropped: {'some' if len(kept) < len(ch.idx) else 'none'}")
    for i in set(range(len(ch.idx))) - kept:
        j = int(ch.idx[i])
        for size in range(1, r + 1):
            for extra in itertools.combinations(range(j + 1, prep.n), size):
                rows = [j, *extra]
                price, hours = float(prep.price[rows].sum()), float(prep.hours[rows].sum())
                if price > (problem.budget or np.inf) + 1e-9 or hours > (problem.max_hours or np.inf) + 1e-9:
                    continue
                value = round(float(prep.C[rows].max(axis=0).sum()), SCORE_DECIMALS)
                passes = search._passes(np.array([value]), np.array([price]), np.array([hours]), len(rows))
                assert not passes[0], (i, rows)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=12, max_modules=5, max_top=3), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_room_holds_for_every_set_within_the_caps(problem: BundleProblem, spent_hours: float,
                                                  spent_price: float) -> None:
    """The capacity curves (one item per need profile, at its least hours and price) bound the score that any
    set of units fitting into the hours and budget left can add."""
    prep = Prepared(problem)
    search = Search(prep, problem, work_limit=1e12)
    hours = spent_hours * (problem.max_hours or 0.0)
    price = spent_price * (problem.budget or 0.0)
    room = float(search._room(np.array([hours]), np.array([price]))[0])
    hours_left = (problem.max_hours or np.inf) - hours
    money_left = (problem.budget or np.inf) - price
    best = 0.0
    for size in range(1, problem.max_modules + 1):
        for units in itertools.combinations(range(prep.n), size):
            rows = list(units)
            if prep.hours[rows].sum() <= hours_left + 1e-9 and prep.price[rows].sum() <= money_left + 1e-9:
                best = max(best, float(prep.C[rows].max(axis=0).sum()))
    event(f"the caps bind: {room < float(prep.C.max(axis=0, initial=0.0).sum()) - 1e-9}")
    assert room >= best - 1e-9


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=11, max_modules=4, max_top=3), st.data())
def test_price_and_hours_floors_hold_for_every_subtree(problem: BundleProblem, data: st.DataObject) -> None:
    """The floors of Search._floors (a knapsack over need profiles, and the level table) never exceed the price
    or hours that units after a child, within the budget and the hours cap, must add to reach the goal."""
    prep = Prepared(problem)
    search = Search(prep, problem, work_limit=1e12)
    ch = search._children(search.root, 0, ordered=True)
    if ch is None or problem.max_modules < 2:
        return
    some = data.draw(st.lists(st.integers(0, prep.n - 1), min_size=1, max_size=problem.max_modules, unique=True))
    goal = round(float(prep.C[some].max(axis=0).sum()), SCORE_DECIMALS)
    targets = np.arange(len(ch.idx))
    price_floor, hours_floor = search._floors(search.root, ch, targets, goal)
    budget, max_hours = problem.budget or np.inf, problem.max_hours or np.inf
    binding = False
    for t in targets:
        j = int(ch.idx[t])
        cheapest, shortest = np.inf, np.inf
        for size in range(1, problem.max_modules):
            for extra in itertools.combinations(range(j + 1, prep.n), size):
                rows = [j, *extra]
                price, hours = float(prep.price[rows].sum()), float(prep.hours[rows].sum())
                if price > budget + 1e-9 or hours > max_hours + 1e-9:
                    continue
                if float(prep.C[rows].max(axis=0).sum()) >= goal - 1e-9:
                    cheapest = min(cheapest, price - float(prep.price[j]))
                    shortest = min(shortest, hours - float(prep.hours[j]))
        binding |= bool(price_floor[t] > 0)
        assert price_floor[t] <= cheapest + 1e-6 and hours_floor[t] <= shortest + 1e-6, (t, goal)
    event(f"some price floor above zero: {binding}")


def open_after(prep: Prepared, units: list[int]) -> list[tuple[int, int, int]]:
    """The prerequisites (column, level, requirer's latest start) that no other of these units teaches in time
    for any choice of runs, by definition: what a later member must teach."""
    end, start = prep.end_possible, prep.start_possible
    return [(c, level, int(start[x])) for x in units for c, level in prep.open_reqs[x]
            if not any(y != x and prep.pre_teach[y, c] >= level and end[y] < start[x] for y in units)]


@settings(max_examples=1500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=12, max_modules=4, max_top=3, many_prereqs=True), st.data())
def test_teacher_floors_hold_for_every_subtree(problem: BundleProblem, data: st.DataObject) -> None:
    """The floors of Search._teacher_floors never exceed the price or hours that later units must add to a child
    that leaves prerequisites open, where those units reach the goal, keep to the budget and the hours cap and
    teach each open prerequisite in time (dates, offers and conflicts ignored: they only remove bundles)."""
    prep = Prepared(problem)
    search = Search(prep, problem, work_limit=1e12)
    search.counting = True  # the level table is built in the exact passes
    node = search.root
    ch = search._children(node, 0, ordered=True)
    if ch is None or problem.max_modules < 2:
        return
    if problem.max_modules >= 3 and data.draw(st.booleans()):  # one level down: the members' prerequisites too
        node = search._child(node, ch, data.draw(st.integers(0, len(ch.idx) - 1)))
        ch = search._children(node, node.members[-1] + 1, ordered=True)
        if ch is None:
            return
    r = problem.max_modules - len(node.members) - 1
    opened = np.flatnonzero(~ch.possible)
    if r < 1 or len(opened) == 0:
        return
    some = data.draw(st.lists(st.integers(0, prep.n - 1), min_size=1, max_size=problem.max_modules, unique=True))
    goal = round(float(prep.C[some].max(axis=0).sum()), SCORE_DECIMALS)
    floors = search._teacher_floors(node, ch, opened, goal)
    if floors is None:
        return
    budget, max_hours = problem.budget or np.inf, problem.max_hours or np.inf
    binding = False
    for i, t in enumerate(opened.tolist()):
        j = int(ch.idx[t])
        needs = open_after(prep, [*node.members, j])
        assert needs, (node.members, j)  # ~possible: something is open
        cheapest, shortest = np.inf, np.inf
        for size in range(1, r + 1):
            for extra in itertools.combinations(range(j + 1, prep.n), size):
                rows = [*node.members, j, *extra]
                price, hours = float(prep.price[rows].sum()), float(prep.hours[rows].sum())
                if price > budget + 1e-9 or hours > max_hours + 1e-9:
                    continue
                if float(prep.C[rows].max(axis=0).sum()) < goal - 1e-9:
                    continue
                if all(any(prep.pre_teach[y, c] >= level and prep.end_possible[y] < start for y in extra)
                       for c, level, start in needs):
                    cheapest = min(cheapest, float(prep.price[list(extra)].sum()))
                    shortest = min(shortest, float(prep.hours[list(extra)].sum()))
        binding |= bool(floors[1][i] > search._floors(node, ch, np.array([t]), goal)[1][0])
        assert floors[0][i] <= cheapest + 1e-6 and floors[1][i] <= shortest + 1e-6, (node.members, j, goal)
    event(f"some hours floor above the level table's: {binding}")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from([0.0, 10.0, 25.0, 40.0]), st.integers(0, 4)),
                max_size=30))
def test_pareto_keeps_the_first_of_each_groups_front(items: list[tuple[int, float, int]]) -> None:
    """The relaxation's rows (bundles._pareto) against the definition: in the order of group, price, hours and
    position, an item stays when it is shorter than every item of its group before it."""
    group = np.array([g for g, _, _ in items], dtype=np.int64)
    price = np.array([p for _, p, _ in items], dtype=np.float64)
    hours = np.array([float(h) for _, _, h in items])
    expected = []
    shortest: dict[int, float] = {}
    for i in sorted(range(len(items)), key=lambda i: (group[i], price[i], hours[i], i)):
        if hours[i] < shortest.get(int(group[i]), np.inf):
            shortest[int(group[i])] = float(hours[i])
            expected.append(i)
    assert sorted(_pareto(group, price, hours).tolist()) == sorted(expected)


def free_choices(prep: Prepared, members: list[int]) -> list[tuple[int, ...]]:
    """Every choice of one run per unit without two runs in conflict, by enumeration."""
    def apart(a: int, b: int) -> bool:
        return not (prep.r_conf[a] and prep.r_conf[b] and prep.r_start[a] <= prep.r_end[b]
                    and prep.r_end[a] >= prep.r_start[b])
    return [rows for rows in itertools.product(*(range(prep.seg[u], prep.seg[u + 1]) for u in members))
            if all(apart(a, b) for a, b in itertools.combinations(rows, 2))]


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=14, max_modules=5, max_top=3, tight_dates=True), st.data())
def test_no_free_choice_only_where_every_choice_conflicts(problem: BundleProblem, data: st.DataObject) -> None:
    """Search._no_free_choice prunes a node's whole subtree: it may only say so where enumeration finds no choice
    of runs free of conflicts (it may miss some such sets: the run choices of each bundle still decide)."""
    prep = Prepared(problem)
    if prep.n < 2:
        return
    members = data.draw(st.lists(st.integers(0, prep.n - 1), min_size=2, max_size=min(prep.n, 4), unique=True))
    clash = Search(prep, problem, 1e9)._no_free_choice(members)
    found = free_choices(prep, members)
    event(f"no free choice: {clash}")
    assert not (clash and found)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=14, max_modules=5, max_top=3, tight_dates=True), st.data())
def test_run_choices_are_the_free_choices_in_rank_order(problem: BundleProblem, data: st.DataObject) -> None:
    """The member-by-member walk of Search._run_choices against enumeration: the same choices (here without
    prerequisites, every member needed), in product order, and CHOICE_WORK per choice looked at."""
    problem = replace(problem, pre_req=np.zeros_like(problem.pre_req))
    prep = Prepared(problem)
    if prep.n < 2:
        return
    members = sorted(data.draw(st.lists(st.integers(0, prep.n - 1), min_size=2, max_size=min(prep.n, 4),
                                        unique=True)))
    search = Search(prep, problem, 1e9)
    before = search.work
    assert list(search._run_choices(members, [True] * len(members))) == free_choices(prep, members)
    assert search.work - before == CHOICE_WORK * np.prod([prep.seg[u + 1] - prep.seg[u] for u in members])


@settings(max_examples=1000, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=12, max_modules=4, max_top=3, many_prereqs=True), st.data())
def test_children_left_unreachable_have_no_feasible_bundle_below(problem: BundleProblem,
                                                                 data: st.DataObject) -> None:
    """A child that _prereq_both marks unreachable (it leaves a prerequisite open that no later unit teaches), or
    _one_meets_all (its one more member would have to meet several at once), has no feasible bundle below it:
    no node + child + later units, with any choice of runs, passes the brute force's feasibility test."""
    prep = Prepared(problem)
    search = Search(prep, problem, work_limit=1e12)
    node = search.root
    # a node some levels down, most often one whose children may add one more member, of units that require
    levels = data.draw(st.sampled_from([problem.max_modules - 2] * 3 + list(range(problem.max_modules))))
    for _ in range(max(levels, 0)):
        ch = search._children(node, node.members[-1] + 1 if node.members else 0, ordered=True)
        if ch is None:
            return
        requiring = np.flatnonzero(prep.has_req[ch.idx]).tolist() or list(range(len(ch.idx)))
        node = search._child(node, ch, data.draw(st.sampled_from(requiring)))
    lo = node.members[-1] + 1 if node.members else 0
    idx = search._joinable(node, lo, prep.n)
    if len(idx) == 0:
        return
    _, _, reachable, left = search._prereq_both(node.members, idx)
    slots = problem.max_modules - len(node.members) - 1
    single = reachable.copy()
    if slots == 1 and left:
        score = np.maximum(node.cov, prep.C[idx]).sum(axis=1)
        reachable &= search._one_meets_all(node, lo, left, idx, score)
    event(f"children left unreachable: {'some' if not reachable.all() else 'none'}")
    event(f"one more member: {len(left)} open, {'some' if (single & ~reachable).any() else 'none'} ruled out beyond")
    for t in np.flatnonzero(~reachable):
        for size in range(slots + 1):
            for extra in itertools.combinations(range(int(idx[t]) + 1, prep.n), size):
                units = [*node.members, int(idx[t]), *extra]
                for rows in itertools.product(*(range(prep.seg[u], prep.seg[u + 1]) for u in units)):
                    assert not is_feasible(problem, [int(prep.rows[r]) for r in rows]), (units, rows)


@settings(max_examples=1500, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bundle_problems(max_rows=12, max_modules=5, max_top=3, many_prereqs=True), st.data())
def test_last_units_dropped_for_prerequisites_meet_none(problem: BundleProblem, data: st.DataObject) -> None:
    """The last-pair block drops last units for the members' prerequisites all at once (Search._meet_left)
    before the one-by-one check: it may only drop a unit with which Search._prereq_both, the check a child's
    expansion runs, finds some prerequisite unmet for every choice of runs."""
    prep = Prepared(problem)
    search = Search(prep, problem, work_limit=1e12)
    node = search.root
    for _ in range(data.draw(st.integers(1, max(problem.max_modules - 2, 1)))):
        ch = search._children(node, node.members[-1] + 1 if node.members else 0, ordered=True)
        if ch is None:
            return
        requiring = np.flatnonzero(prep.has_req[ch.idx]).tolist() or list(range(len(ch.idx)))
        node = search._child(node, ch, data.draw(st.sampled_from(requiring)))
    ch = search._children(node, node.members[-1] + 1, ordered=True)
    if ch is None:
        return
    t = np.arange(len(ch.idx))
    lasts = {int(i): np.arange(int(ch.idx[i]) + 1, prep.n) for i in t if int(ch.idx[i]) + 1 < prep.n}
    kept = search._meet_left(ch, t, dict(lasts))
    dropped = False
    for i, units in lasts.items():
        possible = search._prereq_both([*node.members, int(ch.idx[i])], units)[0]
        gone = np.setdiff1d(units, kept[i])
        dropped |= len(gone) > 0
        assert not possible[np.isin(units, gone)].any(), (node.members, int(ch.idx[i]), gone.tolist())
    event(f"some last units dropped: {dropped}")


def test_one_more_member_must_meet_every_open_prerequisite_at_once() -> None:
    """Two members require different columns and the child meets neither: with one slot left, one unit must teach
    both. Teachers of one column each do not make the child reachable; a unit teaching both does."""
    a = Run(10, (6, 0, 0), price=10, days=(50, 51), pre_req=(2, 0))
    b = Run(20, (0, 6, 0), price=10, days=(53, 54), pre_req=(0, 2))
    c = Run(30, (0, 0, 3), price=10, days=(60, 61))
    x = Run(40, (0, 0, 0), days=(1, 2), pre_teach=(3, 0))
    y = Run(50, (0, 0, 0), days=(1, 2), pre_teach=(0, 3))
    both = Run(60, (0, 0, 0), days=(1, 2), pre_teach=(3, 3))
    query = Query(cur=(0, 0, 0), tgt=(6, 6, 6), pre_cur=(0, 0), max_modules=4)
    for runs, reachable in (([a, b, c, x, y], False), ([a, b, c, x, y, both], True)):
        problem = make_problem(runs, query)
        prep = Prepared(problem)
        search = Search(prep, problem, work_limit=1e12)
        unit = {int(prep.rows[prep.seg[u]]): u for u in range(prep.n)}  # problem row -> unit
        node = search.root
        for row in (0, 1):  # the node {a, b}
            ch = search._children(node, node.members[-1] + 1 if node.members else 0, ordered=True)
            assert ch is not None
            node = search._child(node, ch, int(np.flatnonzero(ch.idx == unit[row])[0]))
        idx = np.array([unit[2]])
        before = search.work
        _, _, single, left = search._prereq_both(node.members, idx)
        assert single.all() and len(left) == 2  # each column on its own has a teacher after c
        assert search.work - before == 2 * PREREQ_WORK  # two open prerequisites checked; c requires none itself
        score = np.maximum(node.cov, prep.C[idx]).sum(axis=1)
        before = search.work
        assert bool(search._one_meets_all(node, node.members[-1] + 1, left, idx, score)[0]) is reachable
        assert search.work - before == MEETS_WORK  # one set of prerequisites (both) to meet at once
        before = search.work
        search._prereq_both([unit[2]], np.array([unit[0]]))  # a's own prerequisite against the one member c
        assert search.work - before == OWN_PREREQ_WORK
        assert is_feasible(problem, [0, 1, 2, 5]) if reachable else not any(
            is_feasible(problem, [0, 1, 2, r]) for r in range(3, len(runs)))
