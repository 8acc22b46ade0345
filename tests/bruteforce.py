"""A deliberately plain reference for DESIGN.md "Matching: the exact definition", over a `BundleProblem`.

Why it exists: `matcher.bundles.rank_bundles` is a pruned, vectorised search, and the only convincing check of such a
search is an independent oracle that simply enumerates every bundle and applies the definition word for word.
So nothing here is clever: plain Python loops, `itertools.combinations`, no numpy vectorisation, no pruning.
The helpers (`score_of`, `is_feasible`, `is_minimal`, `rank_key`) are public so that tests can also check a
heuristic (exact=False) answer bundle by bundle.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

from matcher.bundle_problem import EPS, PRICE_DECIMALS, SCORE_DECIMALS, BundleProblem, RankedBundle

RankKey = tuple[float, float, float, int, tuple[int, ...], tuple[int, ...]]


def ordered(problem: BundleProblem, members: Sequence[int]) -> tuple[int, ...]:
    """Members in the order `RankedBundle.members` uses: by (offer_rank, run_rank)."""
    return tuple(sorted(members, key=lambda i: (int(problem.offer_rank[i]), int(problem.run_rank[i]))))


def score_of(problem: BundleProblem, members: Sequence[int]) -> float:
    """score(B) = Σ w·closed / Σ w, rounded to SCORE_DECIMALS so that equal scores from different arithmetic tie."""
    total = 0.0
    weights = 0.0
    for j in range(len(problem.cur)):
        cur = int(problem.cur[j])
        tgt = int(problem.tgt[j])
        reached = cur
        for i in members:
            reached = max(reached, int(problem.teach[i, j]))
        closed = (min(reached, tgt) - cur) / (tgt - cur)
        total += float(problem.weight[j]) * closed
        weights += float(problem.weight[j])
    return round(total / weights, SCORE_DECIMALS)


def price_of(problem: BundleProblem, members: Sequence[int]) -> float:
    return float(sum(float(problem.price[i]) for i in members))


def hours_of(problem: BundleProblem, members: Sequence[int]) -> float:
    return float(sum(float(problem.hours[i]) for i in members))


def conflict(problem: BundleProblem, a: int, b: int) -> bool:
    """Two runs conflict when neither is self-paced and their dated [start, end] day intervals overlap (inclusive)."""
    if problem.self_paced[a] or problem.self_paced[b]:
        return False
    if not (problem.dated[a] and problem.dated[b]):
        return False
    return int(problem.start[a]) <= int(problem.end[b]) and int(problem.start[b]) <= int(problem.end[a])


def prerequisites_met(problem: BundleProblem, members: Sequence[int]) -> bool:
    """Every required level is covered by the employee's current level, or by another member that teaches it at
    least that high and whose run ends strictly before this run starts (undated runs never end "before")."""
    for x in members:
        for p in range(problem.pre_req.shape[1]):
            need = int(problem.pre_req[x, p])
            if need == 0 or int(problem.pre_cur[p]) >= need:
                continue
            covered = False
            for y in members:
                if y == x or int(problem.pre_teach[y, p]) < need:
                    continue
                if problem.dated[x] and problem.dated[y] and int(problem.end[y]) < int(problem.start[x]):
                    covered = True
                    break
            if not covered:
                return False
    return True


def is_feasible(problem: BundleProblem, members: Sequence[int]) -> bool:
    """A bundle (≤ max_modules rows, one run per offer) within budget and hours, conflict-free, prerequisites met."""
    members = list(members)
    if len(members) > problem.max_modules or len(set(members)) != len(members):
        return False
    offers = [int(problem.offer[i]) for i in members]
    if len(set(offers)) != len(offers):
        return False
    if problem.budget is not None and price_of(problem, members) > problem.budget + EPS:
        return False
    if problem.max_hours is not None and hours_of(problem, members) > problem.max_hours + EPS:
        return False
    for a, b in combinations(members, 2):
        if conflict(problem, a, b):
            return False
    return prerequisites_met(problem, members)


def is_minimal(problem: BundleProblem, members: Sequence[int]) -> bool:
    """Removing any one member lowers the score or makes the rest infeasible (the empty rest scores 0)."""
    members = list(members)
    score = score_of(problem, members)
    for m in members:
        rest = [i for i in members if i != m]
        if not rest:
            if score <= 0:
                return False
            continue
        if score_of(problem, rest) >= score and is_feasible(problem, rest):
            return False
    return True


def rank_key(problem: BundleProblem, members: Sequence[int]) -> RankKey:
    """Score desc, price asc, hours asc, size asc, then the members' offer ranks, then their run ranks."""
    members = ordered(problem, members)
    return (
        -score_of(problem, members),
        round(price_of(problem, members), PRICE_DECIMALS),
        round(hours_of(problem, members), PRICE_DECIMALS),
        len(members),
        tuple(int(problem.offer_rank[i]) for i in members),
        tuple(int(problem.run_rank[i]) for i in members),
    )


def counts(problem: BundleProblem, members: Sequence[int]) -> bool:
    """The definition's filter: score > 0, feasible and minimal."""
    return score_of(problem, members) > 0 and is_feasible(problem, members) and is_minimal(problem, members)


def brute_force(problem: BundleProblem) -> list[RankedBundle]:
    """Every bundle of 1..max_modules rows, filtered and ranked by the definition; the first `top`."""
    found: list[tuple[RankKey, tuple[int, ...]]] = []
    rows = range(problem.size)
    for size in range(1, min(problem.max_modules, problem.size) + 1):
        for combo in combinations(rows, size):
            if counts(problem, combo):
                members = ordered(problem, combo)
                found.append((rank_key(problem, members), members))
    found.sort()
    return [
        RankedBundle(members=members, score=score_of(problem, members), price=price_of(problem, members),
                     hours=hours_of(problem, members))
        for _, members in found[: problem.top]
    ]
