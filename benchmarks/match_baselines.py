"""Baselines for the bundle engine (`matcher.bundles.rank_bundles`): a greedy heuristic and an exact MILP of top-1.

Why these two: the engine claims exactness, and the only independent exact reference that scales to 10k–100k
candidates is a MILP solver; the plain-Python oracle (`tests/bruteforce.py`) finishes only on tiny problems. The
greedy answers "how much does exactness buy over the obvious heuristic" (its score as a fraction of the optimum).

Both work on the same `BundleProblem` the engine gets and implement DESIGN.md "Matching: the exact definition":
budget and hours (with the engine's EPS slack), ≤ max_modules members, ≤ 1 run per offer, no two runs that are
both dated, not self-paced and overlap (inclusive), prerequisites met by the current level or by another member
that teaches the competence at that level or higher and ends strictly before the requiring run starts (only
dated runs count). The MILP answers top-1 only: the maximum score (minimality never changes the maximum, since
any optimal bundle can be shrunk to a minimal one of the same score).

scipy is a benchmark-only dependency (the `bench` extra); the hub itself never imports this module.

    score, members = milp_top1(problem)          # exact optimum (HiGHS via scipy.optimize.milp)
    score, members = greedy(problem)             # feasible, score ≤ optimum
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import LinearConstraint, milp

from matcher.bundle_problem import EPS, SCORE_DECIMALS, BundleProblem

Top1 = tuple[float, tuple[int, ...]]


# --- shared arithmetic ---------------------------------------------------------------------------------------------

def level_weights(problem: BundleProblem) -> np.ndarray:
    """Score per level step of each need, w_j / (Σw · (tgt_j − cur_j)): the score is linear in the steps closed."""
    gap = (problem.tgt - problem.cur).astype(np.float64)
    return problem.weight / (problem.weight.sum() * gap)


def score_of(problem: BundleProblem, members: Sequence[int]) -> float:
    """score(B) rounded to SCORE_DECIMALS, as the definition compares scores."""
    if not len(members):
        return 0.0
    rows = np.asarray(members, dtype=np.int64)
    reached = np.maximum(problem.teach[rows].max(axis=0).astype(np.int64), problem.cur)
    closed = (np.minimum(reached, problem.tgt) - problem.cur) / (problem.tgt - problem.cur)
    return round(float((problem.weight * closed).sum() / problem.weight.sum()), SCORE_DECIMALS)


def ordered(problem: BundleProblem, members: Sequence[int]) -> tuple[int, ...]:
    """The engine's member order, (offer_rank, run_rank), so answers compare as tuples."""
    return tuple(sorted((int(i) for i in members),
                        key=lambda i: (int(problem.offer_rank[i]), int(problem.run_rank[i]))))


def alone_ok(problem: BundleProblem) -> np.ndarray:
    """Rows that fit the budget and hours on their own: no feasible bundle can hold any other row."""
    ok = np.ones(problem.size, dtype=bool)
    if problem.budget is not None:
        ok &= problem.price <= problem.budget + EPS
    if problem.max_hours is not None:
        ok &= problem.hours <= problem.max_hours + EPS
    return ok


def unmet(problem: BundleProblem) -> np.ndarray:
    """bool [n, P]: prerequisite levels the employee's current level does not cover (another member must)."""
    return problem.pre_req > problem.pre_cur[None, :]


# --- greedy --------------------------------------------------------------------------------------------------------

PAIR_TRIES = 32  # requiring rows for which the greedy looks for a prerequisite provider, per step


def greedy(problem: BundleProblem) -> Top1:
    """Add, step by step, the move with the best score gain per module used, while one is feasible and gains.

    A move is one row whose prerequisites the bundle already covers, or a pair (provider, requiring row) when a
    row's prerequisite is not covered yet: without pairs a greedy would never pick an Intensivmodul whose
    Basismodul teaches nothing the employee asked for. Ties go to the cheaper, then shorter move. Vectorised over
    all rows, so it runs in milliseconds on 100k candidates and is a fair "obvious heuristic" baseline.
    """
    n = problem.size
    if n == 0:
        return 0.0, ()
    step = level_weights(problem)
    teach = np.minimum(problem.teach.astype(np.int64), problem.tgt[None, :])
    reached = problem.cur.copy()
    base_ok = alone_ok(problem)
    open_req = unmet(problem)
    dated_busy = problem.dated & ~problem.self_paced
    chosen: list[int] = []
    budget_left = math.inf if problem.budget is None else problem.budget + EPS
    hours_left = math.inf if problem.max_hours is None else problem.max_hours + EPS
    cover = np.zeros(problem.pre_req.shape, dtype=np.int64)  # level of p covered for row x by earlier members
    ok = base_ok.copy()
    while len(chosen) < problem.max_modules:
        ok &= (problem.price <= budget_left) & (problem.hours <= hours_left)
        gain = np.maximum(teach - reached[None, :], 0) @ step
        covered = ~(open_req & (problem.pre_req > cover)).any(axis=1)
        single = ok & covered & (gain > 0)
        best: tuple[float, float, float, int, tuple[int, ...]] | None = None
        if single.any():
            idx = np.flatnonzero(single)
            top = idx[_best_index(-gain[idx], problem.price[idx], problem.hours[idx], problem.offer_rank[idx])]
            best = (-float(gain[top]), float(problem.price[top]), float(problem.hours[top]), 0, (int(top),))
        if len(chosen) + 2 <= problem.max_modules:
            pair = _best_pair(problem, ok, covered, gain, teach, reached, step, cover, open_req, budget_left,
                              hours_left)
            if pair is not None and (best is None or pair[:4] < best[:4]):
                best = pair
        if best is None or -best[0] <= 0:
            break
        for row in best[4]:
            chosen.append(row)
            reached = np.maximum(reached, teach[row])
            budget_left -= float(problem.price[row])
            hours_left -= float(problem.hours[row])
            ok &= problem.offer != problem.offer[row]
            if dated_busy[row]:
                ok &= ~(dated_busy & (problem.start <= problem.end[row]) & (problem.end >= problem.start[row]))
            if problem.dated[row]:
                before = problem.dated & (problem.end[row] < problem.start)
                cover[before] = np.maximum(cover[before], problem.pre_teach[row].astype(np.int64))
    return score_of(problem, chosen), ordered(problem, chosen)


def _best_index(*keys: np.ndarray) -> int:
    """Position of the lexicographic minimum over parallel key arrays (first key most significant)."""
    return int(np.lexsort(keys[::-1])[0])


def _best_pair(problem: BundleProblem, ok: np.ndarray, covered: np.ndarray, gain: np.ndarray, teach: np.ndarray,
               reached: np.ndarray, step: np.ndarray, cover: np.ndarray, open_req: np.ndarray, budget_left: float,
               hours_left: float) -> tuple[float, float, float, int, tuple[int, ...]] | None:
    """The best (provider y, requiring x) move, valued at its gain per module (half the pair's gain)."""
    waiting = np.flatnonzero(ok & ~covered & (gain > 0) & problem.dated)
    if not len(waiting):
        return None
    waiting = waiting[np.argsort(-gain[waiting], kind="stable")[:PAIR_TRIES]]
    dated_busy = problem.dated & ~problem.self_paced
    # providers must themselves be addable now (their own prerequisites covered by the bundle so far)
    providers_ok = ok & covered & problem.dated
    best: tuple[float, float, float, int, tuple[int, ...]] | None = None
    for x in waiting.tolist():
        need = np.where(open_req[x], problem.pre_req[x].astype(np.int64), 0)
        missing = need > cover[x]
        y_ok = providers_ok & (problem.offer != problem.offer[x]) & (problem.end < problem.start[x])
        y_ok &= (problem.pre_teach[:, missing] >= need[missing][None, :]).all(axis=1)
        y_ok &= problem.price <= budget_left - float(problem.price[x])
        y_ok &= problem.hours <= hours_left - float(problem.hours[x])
        if dated_busy[x]:
            y_ok &= ~(dated_busy & (problem.start <= problem.end[x]) & (problem.end >= problem.start[x]))
        ys = np.flatnonzero(y_ok)
        if not len(ys):
            continue
        both = np.maximum(np.maximum(teach[ys], teach[x][None, :]) - reached[None, :], 0) @ step
        price = problem.price[ys] + problem.price[x]
        hours = problem.hours[ys] + problem.hours[x]
        k = _best_index(-both, price, hours, problem.offer_rank[ys])
        move = (-float(both[k]) / 2, float(price[k]), float(hours[k]), 1, (int(ys[k]), x))
        if best is None or move[:4] < best[:4]:
            best = move
    return best


# --- MILP ----------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MilpSolution:
    score: float                # rounded to SCORE_DECIMALS, recomputed from the members
    members: tuple[int, ...]    # problem rows, engine order
    optimal: bool               # HiGHS proved optimality (False: time limit hit, score is a lower bound)
    objective: float            # the solver's objective as a score, before recomputation (a consistency check)
    rows_kept: int              # candidate rows left after the safe reduction
    variables: int
    constraints: int
    nonzeros: int
    build_s: float
    solve_s: float


def relevant_rows(problem: BundleProblem) -> np.ndarray:
    """Rows that may appear in an optimal bundle after dropping rows that can never matter.

    Kept: rows that fit budget/hours alone and raise some need above its current level, closed under "may provide
    a prerequisite to a kept row". Safe: from any optimal bundle, removing the other members keeps the score (they
    close no need) and feasibility (every kept member's possible providers are kept; the rest is monotone).
    """
    base = alone_ok(problem)
    useful = (problem.teach.astype(np.int64) > problem.cur[None, :]).any(axis=1)
    keep = base & useful
    provider_pool = base & problem.dated
    while True:
        lowest = _lowest_open_requirement(problem, np.flatnonzero(keep))
        cols = np.flatnonzero(lowest < 99)
        if not len(cols):
            return np.flatnonzero(keep)
        providers = provider_pool & (problem.pre_teach[:, cols] >= lowest[cols][None, :]).any(axis=1)
        grown = keep | providers
        if (grown == keep).all():
            return np.flatnonzero(keep)
        keep = grown


def _lowest_open_requirement(problem: BundleProblem, rows: np.ndarray) -> np.ndarray:
    """int64 [P]: the weakest open prerequisite level per column among `rows` (99 where none is open)."""
    req = np.where(unmet(problem)[rows], problem.pre_req[rows], 0).astype(np.int64)
    return np.where(req > 0, req, 99).min(axis=0) if len(rows) else np.full(problem.pre_req.shape[1], 99)


class _Rows:
    """COO triplets and row bounds, appended block by block, turned into one sparse matrix at the end."""

    def __init__(self) -> None:
        self.r: list[np.ndarray] = []
        self.c: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.lo: list[np.ndarray] = []
        self.hi: list[np.ndarray] = []
        self.count = 0

    def add(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_rows: int, lo: float, hi: float) -> None:
        """`rows` are local (0..n_rows−1) to this block."""
        self.r.append(np.asarray(rows, dtype=np.int64) + self.count)
        self.c.append(np.asarray(cols, dtype=np.int64))
        self.v.append(np.asarray(vals, dtype=np.float64))
        self.lo.append(np.full(n_rows, lo))
        self.hi.append(np.full(n_rows, hi))
        self.count += n_rows

    def constraint(self, n_cols: int) -> tuple[LinearConstraint, int]:
        data = np.concatenate(self.v) if self.v else np.zeros(0)
        matrix = sp.csr_array((data, (np.concatenate(self.r) if self.r else np.zeros(0, np.int64),
                                      np.concatenate(self.c) if self.c else np.zeros(0, np.int64))),
                              shape=(self.count, n_cols))
        lo = np.concatenate(self.lo) if self.lo else np.zeros(0)
        hi = np.concatenate(self.hi) if self.hi else np.zeros(0)
        return LinearConstraint(matrix, lo, hi), int(matrix.nnz)


def _ranges(lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(owner, value) for every value in [lo_k, hi_k) of every k, vectorised (interval → clique rows)."""
    counts = np.maximum(hi - lo, 0)
    owner = np.repeat(np.arange(len(lo)), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(lo, counts) + np.arange(int(counts.sum())) - starts


def milp_solve(problem: BundleProblem, time_limit_s: float | None = None, conflicts: str = "running",
               presolve: bool = False) -> MilpSolution:
    """The exact top-1 MILP, solved by HiGHS. Variables: x_i (binary, one per kept row), z_{j,l} ("need j reaches
    level ≥ l", continuous in [0, 1]: integral at every integral x), and a_{p,L,k} chain variables for prerequisites.

    Prerequisites: the direct form x_x ≤ Σ_{y dated, teaches p ≥ L, end_y < start_x} x_y has one row per requirer but
    a provider list per row, which is O(n²) nonzeros at 100k. Sorting each (p, L) group's requirers by start day s_k
    and chaining a_k ≤ a_{k−1} + Σ_{y: s_{k−1} ≤ end_y < s_k} x_y, x_x ≤ a_{k(x)}, telescopes to exactly the direct
    form (same integer solutions, same LP relaxation) with O(n) nonzeros.

    Conflicts: `conflicts="clique"` writes one row per distinct start day d of the busy (dated, not self-paced) rows,
    Σ_{start ≤ d ≤ end} x ≤ 1 (the maximal cliques of the interval graph); `"running"` (default) keeps the same count
    as a running sum A_t over those days (2 nonzeros per run instead of one per covered start day), with A_t ≤ 1 —
    the same LP. Measured on this benchmark's 100k-offer models (8 needs, K 5): HiGHS's presolve alone ran for
    minutes and out of 8–10 GB, and with presolve off the running form solved in ~10 s where the clique rows took
    17–87 s; at 10k both are comparable. Hence the defaults: running form, `presolve=False`.
    """
    started = time.perf_counter()
    keep = relevant_rows(problem)
    k = len(keep)
    if k == 0:
        return MilpSolution(0.0, (), True, 0.0, 0, 0, 0, 0, time.perf_counter() - started, 0.0)
    price, hours = problem.price[keep], problem.hours[keep]
    start, end = problem.start[keep], problem.end[keep]
    dated, self_paced = problem.dated[keep], problem.self_paced[keep]
    x_ub = np.ones(k)

    # objective columns z_{j,l}, l = cur_j+1..tgt_j; integer coefficients when the weights are whole numbers
    gaps = (problem.tgt - problem.cur).astype(np.int64)
    need_of = np.repeat(np.arange(len(gaps)), gaps)
    level_of = np.concatenate([np.arange(c + 1, t + 1) for c, t in zip(problem.cur, problem.tgt, strict=True)]) \
        if len(gaps) else np.zeros(0, np.int64)
    per_step = level_weights(problem)[need_of]
    whole = bool(np.all(problem.weight == np.round(problem.weight)))  # then the objective × scale is integral
    scale = float(problem.weight.sum()) * math.lcm(*(int(g) for g in gaps)) if whole else 1.0
    n_z = len(need_of)

    rows = _Rows()
    # z_{j,l} − Σ_{i: teach_ij ≥ l} x_i ≤ 0
    xi, zi = np.nonzero(problem.teach[keep][:, need_of] >= level_of.astype(np.uint8)[None, :])
    rows.add(np.concatenate([np.arange(n_z), zi]), np.concatenate([k + np.arange(n_z), xi]),
             np.concatenate([np.ones(n_z), -np.ones(len(xi))]), n_z, -np.inf, 0.0)
    # size, budget, hours
    rows.add(np.zeros(k, np.int64), np.arange(k), np.ones(k), 1, -np.inf, float(problem.max_modules))
    if problem.budget is not None:
        rows.add(np.zeros(k, np.int64), np.arange(k), price, 1, -np.inf, problem.budget + EPS)
    if problem.max_hours is not None:
        rows.add(np.zeros(k, np.int64), np.arange(k), hours, 1, -np.inf, problem.max_hours + EPS)
    # at most one run per offer
    _, offer_row, per_offer = np.unique(problem.offer[keep], return_inverse=True, return_counts=True)
    multi = per_offer[offer_row] > 1
    if multi.any():
        _, local = np.unique(offer_row[multi], return_inverse=True)
        rows.add(local, np.flatnonzero(multi), np.ones(int(multi.sum())), int(local.max()) + 1, -np.inf, 1.0)
    # schedule conflicts among the busy (dated, not self-paced) rows: at most one covers each distinct start day
    n_extra = 0  # continuous helper columns after x and z (running counts, prerequisite chains)
    busy = np.flatnonzero(dated & ~self_paced)
    if conflicts not in ("clique", "running"):
        raise ValueError(f"conflicts must be 'clique' or 'running', not {conflicts!r}")
    if len(busy) > 1 and conflicts == "clique":
        days = np.unique(start[busy])
        lo = np.searchsorted(days, start[busy], side="left")
        hi = np.searchsorted(days, end[busy], side="right")
        owner, day = _ranges(lo, hi)
        members_per_day = np.bincount(day, minlength=len(days))
        used = members_per_day[day] > 1  # a day only one run covers constrains nothing
        _, local = np.unique(day[used], return_inverse=True)
        if used.any():
            rows.add(local, busy[owner[used]], np.ones(int(used.sum())), int(local.max()) + 1, -np.inf, 1.0)
    elif len(busy) > 1 and conflicts == "running":
        # running count A_t of busy runs active on start day d_t: A_t = A_{t−1} + (runs starting on d_t) − (runs that
        # ended in [d_{t−1}, d_t)), with A_t ≤ 1. Same LP as the clique rows, 2 nonzeros per run instead of ~length.
        days = np.unique(start[busy])
        q = len(days)
        first = np.searchsorted(days, start[busy])
        gone = np.searchsorted(days, end[busy], side="right")
        live = gone < q
        a_col = k + n_z + np.arange(q)
        r = np.concatenate([np.arange(q), np.arange(1, q), first, gone[live]])
        c = np.concatenate([a_col, a_col[:-1], busy, busy[live]])
        v = np.concatenate([np.ones(q), -np.ones(q - 1), -np.ones(len(busy)), np.ones(int(live.sum()))])
        rows.add(r, c, v, q, 0.0, 0.0)
        n_extra = q
    # prerequisites, chained per (column p, level L)
    n_a = n_extra
    open_req = unmet(problem)[keep]
    pre_req = problem.pre_req[keep].astype(np.int64)
    pre_teach = problem.pre_teach[keep].astype(np.int64)
    a_rows_r: list[np.ndarray] = []
    a_rows_c: list[np.ndarray] = []
    a_rows_v: list[np.ndarray] = []
    n_a_rows = 0
    for p in np.flatnonzero(open_req.any(axis=0)).tolist():
        for level in np.unique(pre_req[open_req[:, p], p]).tolist():
            requirers = np.flatnonzero(open_req[:, p] & (pre_req[:, p] == level))
            x_ub[requirers[~dated[requirers]]] = 0.0  # an undated run has nothing that ends before it
            requirers = requirers[dated[requirers]]
            providers = np.flatnonzero(dated & (pre_teach[:, p] >= level))
            if not len(requirers):
                continue
            thresholds = np.unique(start[requirers])
            bucket = np.searchsorted(thresholds, end[providers], side="right")  # first threshold with end < s
            first_useful = int(bucket.min()) if len(providers) else len(thresholds)
            req_k = np.searchsorted(thresholds, start[requirers])
            x_ub[requirers[req_k < first_useful]] = 0.0
            q = len(thresholds)
            a_col = k + n_z + n_a + np.arange(q)
            # a_k − a_{k−1} − Σ_{y in bucket k} x_y ≤ 0
            live = bucket < q
            r = np.concatenate([np.arange(q), np.arange(1, q), bucket[live]])
            c = np.concatenate([a_col, a_col[:-1], providers[live]])
            v = np.concatenate([np.ones(q), -np.ones(q - 1), -np.ones(int(live.sum()))])
            # x_x − a_{k(x)} ≤ 0
            r = np.concatenate([r, q + np.arange(len(requirers)), q + np.arange(len(requirers))])
            c = np.concatenate([c, requirers, a_col[req_k]])
            v = np.concatenate([v, np.ones(len(requirers)), -np.ones(len(requirers))])
            a_rows_r.append(r + n_a_rows)
            a_rows_c.append(c)
            a_rows_v.append(v)
            n_a_rows += q + len(requirers)
            n_a += q
    if n_a_rows:
        rows.add(np.concatenate(a_rows_r), np.concatenate(a_rows_c), np.concatenate(a_rows_v), n_a_rows,
                 -np.inf, 0.0)

    n_vars = k + n_z + n_a
    c_obj = np.zeros(n_vars)
    c_obj[k:k + n_z] = -(np.round(per_step * scale) if whole else per_step)
    integrality = np.zeros(n_vars, dtype=np.uint8)
    integrality[:k] = 1
    lb = np.zeros(n_vars)
    ub = np.concatenate([x_ub, np.ones(n_z + n_a)])  # running counts: A_t ≤ 1 is the conflict constraint
    constraint, nnz = rows.constraint(n_vars)
    build_s = time.perf_counter() - started

    options: dict[str, float | bool] = {"mip_rel_gap": 0.0, "presolve": presolve, "disp": False}
    if time_limit_s is not None:
        options["time_limit"] = float(time_limit_s)
    t0 = time.perf_counter()
    res = milp(c_obj, integrality=integrality, bounds=(lb, ub), constraints=constraint, options=options)
    solve_s = time.perf_counter() - t0
    if res.x is None:
        raise RuntimeError(f"HiGHS found no solution: status {res.status}, {res.message}")
    chosen = keep[np.flatnonzero(res.x[:k] > 0.5)]
    members = ordered(problem, chosen.tolist())
    objective = -float(res.fun) / scale
    return MilpSolution(
        score=score_of(problem, members), members=members, optimal=res.status == 0, objective=objective,
        rows_kept=k, variables=n_vars, constraints=rows.count, nonzeros=nnz, build_s=build_s, solve_s=solve_s,
    )


def milp_top1(problem: BundleProblem, time_limit_s: float | None = None) -> Top1:
    """The optimum score and one optimal bundle (not necessarily the engine's tie-broken first one)."""
    solution = milp_solve(problem, time_limit_s)
    if not solution.optimal:
        raise TimeoutError(f"HiGHS did not prove optimality within {time_limit_s} s")
    return solution.score, solution.members
