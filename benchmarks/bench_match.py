"""Bundle matching benchmark: the engine (`matcher.bundles.rank_bundles`) against three baselines in the same run.

Issue 5, item 5. Synthetic catalogues of 1k, 10k and 100k offers; queries with 4, 8 and 12 needs and maxModules 3
and 5. Per query: the real `build_problem` and `rank_bundles` (timed, pinned to one core, single-threaded BLAS), then
on the same `BundleProblem` the exact top-1 MILP (HiGHS through `scipy.optimize.milp`), the greedy heuristic, and
the plain-Python oracle `tests/bruteforce.py` where its enumeration is small enough to finish. The MILP is the
referee: any engine top-1 score that differs from a proven MILP optimum is listed with its reproducer.

    .venv/bin/python -m benchmarks.bench_match                       # full run, writes benchmarks/RESULTS_match.md
    .venv/bin/python -m benchmarks.bench_match --sizes 10000 --needs 8 --modules 5 --queries 40
    .venv/bin/python -m benchmarks.bench_match --check 300           # tiny instances: engine top-k vs the oracle
    .venv/bin/python -m benchmarks.bench_match --repro 10000 8 5 7   # one instance (size needs modules query)
    .venv/bin/python -m benchmarks.bench_match --merge a.json b.json # one results file from side-by-side --raw runs

Why an own catalogue generator rather than `benchmarks.synthetic`: matching depends on prerequisites, runs and
overlaps, prices and hours, and the issue fixes their ranges (prices 0–2000 EUR, hours 4–120, 1–4 runs in 2027,
Intensivmodul requiring the Basismodul level of its competence); the search generator's descriptions are not needed
and would only slow down building the 100k catalogue. It borrows the competence ids and their popularity.

Each catalogue size runs in a child process (clean heap, pinned to one CPU); the parent only collects and writes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import signal
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, replace
from datetime import date, timedelta
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import emit_result, log, percentile, pin_to_cpu, run_child, single_threaded_env
from benchmarks.match_baselines import MilpSolution, greedy, milp_solve, score_of
from benchmarks.synthetic import COMP_P, COMPETENCES
from matcher.bundles import WORK_LIMIT, BundleProblem, BundleResult, rank_bundles
from matcher.candidates import MatchSpec, NeedSpec, build_problem
from matcher.catalog import Catalog, build_catalog

MODULE = "benchmarks.bench_match"
RESULTS = Path(__file__).resolve().parent / "RESULTS_match.md"
CATALOG_SEED = 2027_05_05
QUERY_SEED = 5_505
YEAR_START = date(2027, 1, 1)
PROVIDERS = ("dhbw", "hoems", "duv-speyer", "egov-campus", "bakoev", "kgst", "hspv-nrw", "bvs-bayern")
CITIES = ((49.4875, 8.4660), (50.0782, 8.2398), (49.3173, 8.4412), (50.8286, 6.9047), (50.9375, 6.9603),
          (51.5177, 7.0857), (48.1351, 11.5820), (52.5200, 13.4050))
FORMATS = ("ONLINE", "PRESENCE", "HYBRID")
KINDS = ("BASIS", "INTENSIV", "BONUS", None)
HOURS = (4, 8, 12, 16, 24, 40, 60, 80, 120)
HOURS_P = (0.08, 0.30, 0.12, 0.14, 0.12, 0.11, 0.06, 0.05, 0.02)
LEVEL_P = (0.12, 0.28, 0.25, 0.15, 0.10, 0.06, 0.03, 0.01)
BUDGETS = (300.0, 600.0, 1000.0, 1500.0, 2500.0)
MAX_HOURS = (24.0, 40.0, 80.0, 120.0, 200.0)
DEFAULT_WORK_LIMIT = WORK_LIMIT  # the engine's default, which the API uses too
REPEAT_BUDGET_MS = 2_000.0  # no further repeats of a query once its calls took this long in total
WARMUP_Q = 999_999  # the untimed warm-up query of each configuration
GOAL_CONFIG = (10_000, 8, 5)
GOAL_P50_MS = 50.0
GOAL_SPEEDUP = 10.0
GOAL_RATE = 30e6


# --- the catalogue ------------------------------------------------------------------------------------------------

def offer_documents(n: int, seed: int = CATALOG_SEED, span_days: int = 365, n_competences: int | None = None,
                    ) -> list[dict[str, Any]]:
    """`n` canonical offer documents (the fields `build_catalog` reads), drawn vectorised from one seeded RNG.

    `span_days` and `n_competences` shrink the calendar and the competence set for the tiny `--check` instances,
    where overlaps, shared competences and prerequisites must be dense for the oracle comparison to mean anything.
    """
    rng = np.random.default_rng([seed, n, span_days, n_competences or 0])
    comp_ids = COMPETENCES[:n_competences] if n_competences else COMPETENCES
    comp_p = COMP_P[: len(comp_ids)] / COMP_P[: len(comp_ids)].sum()
    fmt = rng.choice(3, size=n, p=(0.45, 0.35, 0.20))
    self_paced = (fmt == 0) & (rng.random(n) < 0.5)
    kind = rng.choice(4, size=n, p=(0.40, 0.30, 0.15, 0.15))
    n_comp = rng.choice(3, size=n, p=(0.5, 0.35, 0.15)) + 1
    comps = rng.choice(len(comp_ids), size=(n, 3), p=comp_p)
    levels = rng.choice(8, size=(n, 3), p=LEVEL_P) + 1
    basis_level = rng.choice(3, size=n, p=(0.3, 0.4, 0.3)) + 1
    intensiv_level = rng.choice(5, size=n, p=(0.3, 0.3, 0.2, 0.12, 0.08)) + 4
    levels[:, 0] = np.where(kind == 0, basis_level, np.where(kind == 1, intensiv_level, levels[:, 0]))
    pre_u = rng.random((n, 3))
    pre_other = rng.choice(len(comp_ids), size=n, p=comp_p)
    price = np.where(rng.random(n) < 0.30, 0.0,
                     np.clip(np.round(rng.lognormal(np.log(350.0), 0.8, size=n) / 5) * 5, 10, 2000))
    hours = np.asarray(HOURS)[rng.choice(len(HOURS), size=n, p=HOURS_P)]
    n_runs = rng.choice(4, size=n, p=(0.35, 0.35, 0.20, 0.10)) + 1
    sp_dated = rng.random(n) < 0.25
    length = np.where(fmt == 1, rng.integers(1, 6, size=n),
                      np.where(fmt == 2, rng.integers(3, 22, size=n), rng.integers(7, 43, size=n)))
    length = np.where(self_paced, rng.integers(28, 85, size=n), length)
    length = np.minimum(length, max(1, span_days // 3))
    starts = rng.integers(0, np.maximum(span_days - length, 1)[:, None], size=(n, 4))
    provider = rng.integers(0, len(PROVIDERS), size=n)
    city = rng.integers(0, len(CITIES), size=n)

    docs: list[dict[str, Any]] = []
    for i in range(n):
        chosen: list[str] = []
        for c in comps[i, : n_comp[i]].tolist():
            if comp_ids[c] not in chosen:
                chosen.append(comp_ids[c])
        competences = [{"competence": cid, "level": int(levels[i, k])} for k, cid in enumerate(chosen)]
        prerequisites = []
        main_level = int(levels[i, 0])
        if kind[i] == 1 and pre_u[i, 0] < 0.6:  # an Intensivmodul builds on the Basismodul of its competence
            prerequisites.append({"competence": chosen[0], "level": max(1, main_level - 2 - int(pre_u[i, 1] < 0.3))})
        elif pre_u[i, 0] > 0.95 and comp_ids[pre_other[i]] not in chosen:
            prerequisites.append({"competence": comp_ids[pre_other[i]], "level": 1 + int(pre_u[i, 2] * 3)})
        if self_paced[i] and not sp_dated[i]:
            runs = [{"id": "undated", "start": None, "end": None}]
        else:
            count = 1 if self_paced[i] else int(n_runs[i])
            days = sorted({int(d) for d in starts[i, :count]})
            runs = [{"id": f"r{d:03d}", "start": YEAR_START + timedelta(days=d),
                     "end": YEAR_START + timedelta(days=d + int(length[i]) - 1)} for d in days]
        f = FORMATS[int(fmt[i])]
        lat, lon = CITIES[int(city[i])]
        docs.append({
            "_id": f"{PROVIDERS[int(provider[i])]}:bm-{i:06d}", "provider": PROVIDERS[int(provider[i])],
            "title": f"{KINDS[int(kind[i])] or 'Modul'} {chosen[0]} Stufe {main_level}", "description": "",
            "languages": ["de"], "kind": KINDS[int(kind[i])], "format": f, "selfPaced": bool(self_paced[i]),
            "hours": float(hours[i]), "priceEur": float(price[i]), "competences": competences,
            "prerequisites": prerequisites, "runs": runs,
            "location": None if f == "ONLINE" else {"name": "Standort", "city": "", "lat": lat, "lon": lon},
        })
    return docs


def make_catalog(n: int, seed: int = CATALOG_SEED, span_days: int = 365, n_competences: int | None = None,
                 ) -> Catalog:
    comp_ids = COMPETENCES[:n_competences] if n_competences else COMPETENCES
    return build_catalog(offer_documents(n, seed, span_days, n_competences), comp_ids)


def make_query(catalog: Catalog, n_needs: int, modules: int, rng: np.random.Generator, top: int = 10) -> MatchSpec:
    """Needs on taught competences (popular ones likelier), cur 0–3, target cur+1..8, weights 1–3; a budget on half
    the queries and an hours limit on 40%, so the constraints bind sometimes and not always."""
    taught = np.count_nonzero(catalog.teach, axis=0)
    cols = np.flatnonzero(taught)
    p = np.sqrt(taught[cols]) / np.sqrt(taught[cols]).sum()
    picked = rng.choice(cols, size=min(n_needs, len(cols)), replace=False, p=p)
    needs = []
    for col in picked.tolist():
        cur = int(rng.integers(0, 4))
        needs.append(NeedSpec(competence=catalog.competences.values[col], current=cur,
                              target=int(rng.integers(cur + 1, 9)), weight=float(rng.integers(1, 4))))
    budget = float(rng.choice(BUDGETS)) if rng.random() < 0.5 else None
    max_hours = float(rng.choice(MAX_HOURS)) if rng.random() < 0.4 else None
    return MatchSpec(needs=tuple(needs), max_modules=modules, budget=budget, max_hours=max_hours, top=top)


def query_rng(size: int, needs: int, modules: int, q: int) -> np.random.Generator:
    """One RNG per instance, so `--repro size needs modules q` rebuilds exactly that query."""
    return np.random.default_rng([QUERY_SEED, size, needs, modules, q])


# --- the oracle, with a timeout ------------------------------------------------------------------------------------

def bundles_to_enumerate(n: int, k: int) -> int:
    return sum(math.comb(n, s) for s in range(1, min(n, k) + 1))


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the main thread after `seconds` (the oracle is pure Python, so the signal lands)."""
    def _alarm(signum: int, frame: object) -> None:
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def subproblem(problem: BundleProblem, rows: np.ndarray) -> BundleProblem:
    per_row = ("offer", "offer_rank", "run_rank", "price", "hours", "start", "end", "dated", "self_paced", "teach",
               "pre_req", "pre_teach")
    return replace(problem, **{f: getattr(problem, f)[rows] for f in per_row})


def oracle_rate(problem: BundleProblem, rows: int = 14, modules: int = 3) -> float:
    """Bundles per second of the plain-Python oracle, measured on a slice of this problem (for extrapolation)."""
    from tests.bruteforce import brute_force

    sub = replace(subproblem(problem, np.arange(min(rows, problem.size))), max_modules=modules)
    t0 = time.perf_counter()
    brute_force(sub)
    return bundles_to_enumerate(sub.size, modules) / (time.perf_counter() - t0)


# --- one instance ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Limits:
    """What one instance may cost: the benchmark must finish on a shared 2-core machine even when a solver is slow."""

    work_limit: float = DEFAULT_WORK_LIMIT  # the engine's own budget; past it the engine answers with exact=False
    repeat: int = 3                  # engine calls per query (fewer past REPEAT_BUDGET_MS); latency = their median
    engine_s: float = 300.0          # per call; beyond it the query counts as a timeout
    milp_s: float = 600.0            # HiGHS time limit
    milp_queries: int = 20           # MILP on the first N queries of each configuration
    oracle_s: float = 60.0
    oracle_max_bundles: int = 2_000_000


@dataclass
class Instance:
    size: int
    needs: int
    modules: int
    q: int
    budget: float | None
    max_hours: float | None
    candidates: int
    build_ms: float
    engine: str                      # "ok" or "timeout"
    engine_ms: float                 # median of the calls (the limit when it timed out)
    evaluated: int
    exact: bool
    engine_score: float | None
    engine_members: list[int]
    answer_problems: list[str]
    milp: str                        # "optimal", "time limit", "out of memory", "inconsistent", "skipped"
    milp_ms: float | None
    milp_solve_ms: float | None
    milp_score: float | None         # only when HiGHS proved optimality
    milp_rows: int | None
    milp_nnz: int | None
    greedy_ms: float
    greedy_score: float
    oracle: str                      # "ok", "timeout", "skipped"
    oracle_ms: float
    oracle_score: float | None

    @property
    def mismatch(self) -> bool:
        """A proven MILP optimum the engine's answer disagrees with (a timed-out engine call is counted apart)."""
        return self.milp_score is not None and self.engine_score is not None and self.engine_score != self.milp_score


def check_answer(problem: BundleProblem, result: BundleResult) -> list[str]:
    """What the definition says of every returned bundle: feasible, minimal, score > 0, stated score, in rank order."""
    from tests.bruteforce import is_feasible, is_minimal, rank_key
    from tests.bruteforce import score_of as oracle_score

    problems = []
    keys = []
    for pos, b in enumerate(result.bundles):
        members = list(b.members)
        if not is_feasible(problem, members):
            problems.append(f"#{pos + 1} infeasible {members}")
        elif not is_minimal(problem, members):
            problems.append(f"#{pos + 1} not minimal {members}")
        if oracle_score(problem, members) != b.score or b.score <= 0:
            problems.append(f"#{pos + 1} score {b.score} != {oracle_score(problem, members)}")
        keys.append(rank_key(problem, members))
    if keys != sorted(keys):
        problems.append("answer not in rank order")
    return problems


def milp_consistent(problem: BundleProblem, milp: MilpSolution) -> bool:
    """HiGHS's bundle is feasible by the oracle's rules and its objective is the recomputed score."""
    from tests.bruteforce import is_feasible

    return abs(milp.objective - milp.score) <= 1e-6 and (not milp.members or is_feasible(problem, milp.members))


def run_instance(catalog: Catalog, size: int, needs: int, modules: int, q: int, limits: Limits) -> Instance:
    spec = make_query(catalog, needs, modules, query_rng(size, needs, modules, q))
    t0 = time.perf_counter()
    problem = build_problem(catalog, spec).problem
    build_ms = (time.perf_counter() - t0) * 1e3
    times: list[float] = []
    result: BundleResult | None = None
    try:
        # repeats smooth out a shared machine's noise on fast calls; a call of seconds is its own average
        while len(times) < limits.repeat and sum(times) < REPEAT_BUDGET_MS:
            t0 = time.perf_counter()
            with deadline(limits.engine_s):
                result = rank_bundles(problem, work_limit=limits.work_limit)
            times.append((time.perf_counter() - t0) * 1e3)
    except TimeoutError:
        times, result = [limits.engine_s * 1e3], None
    top = result.bundles[0] if result is not None and result.bundles else None

    milp_status, milp = "skipped", None
    t0 = time.perf_counter()
    if q < limits.milp_queries:
        try:
            milp = milp_solve(problem, time_limit_s=limits.milp_s)
            milp_status = "optimal" if milp.optimal else "time limit"
            if milp.optimal and not milp_consistent(problem, milp):
                milp_status, milp = "inconsistent", None  # never let a solver tolerance pose as an engine error
        except MemoryError:
            milp_status = "out of memory"
        except RuntimeError:  # HiGHS stopped at its time limit before it found any bundle
            milp_status = "time limit"
    milp_ms = (time.perf_counter() - t0) * 1e3
    t0 = time.perf_counter()
    g_score, _ = greedy(problem)
    greedy_ms = (time.perf_counter() - t0) * 1e3

    oracle, oracle_ms, oracle_best = "skipped", 0.0, None
    if bundles_to_enumerate(problem.size, modules) <= limits.oracle_max_bundles:
        from tests.bruteforce import brute_force

        t0 = time.perf_counter()
        try:
            with deadline(limits.oracle_s):
                ranked = brute_force(problem)
            oracle, oracle_best = "ok", (ranked[0].score if ranked else 0.0)
        except TimeoutError:
            oracle = "timeout"
        oracle_ms = (time.perf_counter() - t0) * 1e3
    return Instance(
        size=size, needs=needs, modules=modules, q=q, budget=spec.budget, max_hours=spec.max_hours,
        candidates=problem.size, build_ms=build_ms, engine="ok" if result is not None else "timeout",
        engine_ms=statistics.median(times), evaluated=result.bundles_evaluated if result is not None else 0,
        exact=bool(result is not None and result.exact),
        engine_score=(top.score if top else 0.0) if result is not None else None,
        engine_members=list(top.members) if top else [],
        answer_problems=check_answer(problem, result) if result is not None else [],
        milp=milp_status, milp_ms=milp_ms if milp_status != "skipped" else None,
        milp_solve_ms=milp.solve_s * 1e3 if milp else None,
        milp_score=milp.score if milp and milp.optimal else None,
        milp_rows=milp.rows_kept if milp else None, milp_nnz=milp.nonzeros if milp else None,
        greedy_ms=greedy_ms, greedy_score=g_score, oracle=oracle, oracle_ms=oracle_ms, oracle_score=oracle_best,
    )


# --- child: one catalogue size -------------------------------------------------------------------------------------

ENGINE_FILES = ("bundle_problem.py", "bundle_prepare.py", "bundle_bounds.py", "bundle_search.py", "bundles.py")


def engine_fingerprint() -> str:
    """The engine sources' hash: the engine is edited while benchmarks run, so results name the version measured."""
    import hashlib

    import matcher

    digest = hashlib.sha256()
    for name in ENGINE_FILES:
        digest.update((Path(matcher.__file__).parent / name).read_bytes())
    return digest.hexdigest()[:12]


def limits_for(args: argparse.Namespace) -> Limits:
    return Limits(work_limit=args.work_limit, repeat=args.repeat, engine_s=args.engine_limit, milp_s=args.milp_limit,
                  milp_queries=args.queries if args.milp_queries is None else args.milp_queries,
                  oracle_s=args.oracle_limit, oracle_max_bundles=args.oracle_max_bundles)


def child(args: argparse.Namespace) -> None:
    cpu = pin_to_cpu(args.cpu)
    if args.mem_limit_gb:  # HiGHS on a 100k model can take gigabytes; fail alone rather than OOM a shared machine
        cap = int(args.mem_limit_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    limits = limits_for(args)
    engine_sha = engine_fingerprint()
    t0 = time.perf_counter()
    catalog = make_catalog(args.size)
    catalog_s = time.perf_counter() - t0
    log(f"{args.size:,} offers, {len(catalog.run_offer):,} runs: catalogue built in {catalog_s:.1f} s (cpu {cpu})")
    configs = []
    for needs in args.needs:
        for modules in args.modules:
            # warm-up (not recorded): first calls pay for imports, allocator growth and caches
            spec = make_query(catalog, needs, modules, query_rng(args.size, needs, modules, WARMUP_Q))
            with suppress(TimeoutError), deadline(limits.engine_s):
                rank_bundles(build_problem(catalog, spec).problem, work_limit=limits.work_limit)
            instances = []
            for q in range(args.queries):
                inst = run_instance(catalog, args.size, needs, modules, q, limits)
                instances.append(inst)
                log(f"  {args.size}/{needs}/{modules} q{q}: n={inst.candidates} engine {inst.engine} "
                    f"{inst.engine_ms:.1f} ms ({inst.evaluated:,} bundles, exact={inst.exact}) score "
                    f"{inst.engine_score} | MILP {inst.milp} {inst.milp_ms or 0:.0f} ms score {inst.milp_score} | "
                    f"greedy {inst.greedy_score}{'  <-- TOP-1 MISMATCH' if inst.mismatch else ''}")
            rate_problem = build_problem(catalog, make_query(catalog, needs, modules,
                                                             query_rng(args.size, needs, modules, 0))).problem
            configs.append({"needs": needs, "modules": modules, "instances": [vars(i) for i in instances],
                            "oracle_rate": oracle_rate(rate_problem), "milp_queries": limits.milp_queries})
    emit_result({"size": args.size, "runs": len(catalog.run_offer), "catalog_s": catalog_s, "cpu": cpu,
                 "configs": configs, "engine_sha": [engine_sha, engine_fingerprint()]})


# --- parent: collect and write -------------------------------------------------------------------------------------

def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def machine_lines() -> list[str]:
    import scipy.optimize._highspy._core as highs

    cpu = "unknown"
    with suppress(OSError, StopIteration):
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    from benchmarks.common import machine_lines as common_lines

    date_line, _, _, code_line = common_lines()
    return [
        date_line,
        f"- Machine: {cpu}, {os.cpu_count()} cores (shared), {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, numpy {_package('numpy')}, scipy {_package('scipy')} "
        f"(HiGHS {highs.HIGHS_VERSION_MAJOR}.{highs.HIGHS_VERSION_MINOR}.{highs.HIGHS_VERSION_PATCH})",
        code_line,
    ]


def _ms(v: float | None) -> str:
    if v is None or math.isnan(v):
        return "–"
    return f"{v:,.1f}" if v < 100 else f"{v:,.0f}"


def _ratio(v: float) -> str:
    return "–" if math.isnan(v) else f"{v:,.0f}×" if v >= 10 else f"{v:.2g}×"


def summarise(size: int, cfg: dict[str, Any]) -> dict[str, Any]:
    inst = cfg["instances"]
    engine = [i["engine_ms"] for i in inst]
    timed_out = sum(i["engine"] != "ok" for i in inst)
    with_milp = [i for i in inst if i["milp_ms"] is not None]
    proven = [i for i in inst if i["milp_score"] is not None]
    mismatches = [i for i in proven if i["engine_score"] is not None and i["engine_score"] != i["milp_score"]]
    # the optimum for the greedy's ratio: the MILP's where it proved one, else the engine's exact answer
    optimum = {i["q"]: i["milp_score"] if i["milp_score"] is not None else i["engine_score"] for i in inst
               if i["milp_score"] is not None or (i["exact"] and i["engine_score"] is not None)}
    fractions = [i["greedy_score"] / optimum[i["q"]] for i in inst if optimum.get(i["q"])]
    ok = [i for i in inst if i["engine"] == "ok"]
    engine_s = sum(i["engine_ms"] for i in ok) / 1e3
    oracle_ok = [i for i in inst if i["oracle"] == "ok"]
    n_med = statistics.median(i["candidates"] for i in inst)
    milp_p50 = percentile([i["milp_ms"] for i in with_milp], 50)
    engine_same = percentile([i["engine_ms"] for i in with_milp], 50)
    return {
        "size": size, "needs": cfg["needs"], "modules": cfg["modules"], "queries": len(inst),
        "candidates": n_med, "build_p50": percentile([i["build_ms"] for i in inst], 50),
        "p50": percentile(engine, 50), "p95": percentile(engine, 95), "timeouts": timed_out,
        "rate": sum(i["evaluated"] for i in ok) / engine_s if engine_s else float("nan"),
        "evaluated_p50": percentile([i["evaluated"] for i in ok], 50) if ok else 0,
        "exact": sum(i["exact"] for i in inst) / len(inst),
        "milp_runs": len(with_milp), "proven": len(proven),
        "milp_failures": sorted({i["milp"] for i in with_milp if i["milp"] != "optimal"}),
        "milp_p50": milp_p50, "milp_p95": percentile([i["milp_ms"] for i in with_milp], 95),
        "milp_solve_p50": percentile([i["milp_solve_ms"] for i in with_milp if i["milp_solve_ms"] is not None], 50),
        "speedup": milp_p50 / engine_same if with_milp else float("nan"),
        "kept": statistics.median(i["milp_rows"] for i in with_milp if i["milp_rows"] is not None)
        if any(i["milp_rows"] is not None for i in with_milp) else float("nan"),
        "milp_nnz": statistics.median(i["milp_nnz"] for i in with_milp if i["milp_nnz"] is not None)
        if any(i["milp_nnz"] is not None for i in with_milp) else float("nan"),
        "mismatches": mismatches,
        "oracle_ok": len(oracle_ok), "oracle_tried": sum(i["oracle"] != "skipped" for i in inst),
        "oracle_agree": sum(i["oracle_score"] == i["engine_score"] for i in oracle_ok),
        "greedy_mean": statistics.fmean(fractions) if fractions else float("nan"),
        "greedy_min": min(fractions) if fractions else float("nan"),
        "greedy_opt": sum(f >= 1 - 1e-9 for f in fractions), "greedy_n": len(fractions),
        "greedy_p50": percentile([i["greedy_ms"] for i in inst], 50),
        "oracle_years": bundles_to_enumerate(int(n_med), cfg["modules"]) / cfg["oracle_rate"] / (365.25 * 86400),
        "oracle_rate": cfg["oracle_rate"],
        "answer_problems": [(i["q"], p) for i in inst for p in i["answer_problems"]],
    }


def _oracle_cell(s: dict[str, Any]) -> str:
    if s["oracle_tried"]:
        return f"{s['oracle_ok']}/{s['oracle_tried']} finished, {s['oracle_agree']} agree"
    years = s["oracle_years"]
    return f"not run (≈ {years * 365.25 * 24:,.1f} h)" if years < 1 / 12 else f"not run (≈ {years:,.2g} years)"


def _command_line(runs: Sequence[tuple[Sequence[str], float]]) -> str:
    said = [f"`{' '.join(['.venv/bin/python', '-m', MODULE, *argv])}` (wall time {wall_s / 60:.1f} min)"
            for argv, wall_s in runs]
    if len(said) == 1:
        return f"Command: {said[0]}"
    return (f"Commands, run side by side on one CPU each and merged with `--merge` over their `--raw` files: "
            f"{'; '.join(said)}")


def render(results: list[dict[str, Any]], runs: Sequence[tuple[Sequence[str], float]], limits: Limits) -> str:
    rows = [summarise(r["size"], cfg) for r in results for cfg in r["configs"]]
    catalogues = ", ".join(f"{r['size']:,} offers → {r['runs']:,} runs" for r in results)
    lines = [
        "# Bundle matching benchmark: engine vs exact MILP (HiGHS), greedy and brute force", "",
        _command_line(runs), "",
        *machine_lines(),
        f"- Engine: `matcher/bundle*.py` sha256 {', '.join(sorted({h for r in results for h in r['engine_sha']}))}"
        + (" (CHANGED during the run: sizes measured different versions)"
           if len({h for r in results for h in r["engine_sha"]}) > 1 else ""), "",
        f"Catalogues ({catalogues}): seeded, `offer_documents` in `benchmarks/bench_match.py`; 1–3 competences per "
        "offer at levels 1–8, Intensivmodule requiring the Basismodul level of their competence (plus a few other "
        "prerequisites), 1–4 dated runs in 2027 or self-paced (mostly undated), ONLINE/PRESENCE/HYBRID, 30% free, "
        "prices ≤ 2000 EUR, hours 4–120. Queries: needs on taught competences, cur 0–3, target cur+1..8, weights "
        "1–3; a budget on ~50% and maxHours on ~40% of the queries; top 10; every candidate run (no filters).", "",
        f"Method: one child process per catalogue size, pinned to one CPU with single-threaded BLAS; per query the "
        f"real `build_problem` and `rank_bundles(problem, work_limit={limits.work_limit:.0e})` (the engine's default, "
        f"as the API calls it, unless `--work-limit` says otherwise; latency = median of {limits.repeat} "
        f"calls, or fewer once they took {REPEAT_BUDGET_MS / 1e3:.0f} s; a call is stopped after "
        f"{limits.engine_s:.0f} s, counts as a timeout and enters p50/p95 at that limit), then on the same "
        f"`BundleProblem`: the exact top-1 MILP (`benchmarks/match_baselines.py`: model build + HiGHS solve, "
        f"running-count conflict rows, presolve off, `mip_rel_gap=0`, {limits.milp_s:.0f} s limit, on the first "
        f"{limits.milp_queries} queries of each configuration), the greedy, and the oracle "
        f"`tests/bruteforce.py` where its enumeration is "
        f"≤ {limits.oracle_max_bundles:,} bundles ({limits.oracle_s:.0f} s limit). Every engine answer is checked "
        "bundle by bundle with the oracle's helpers (feasible, minimal, stated score, rank order).", "",
        "## Engine", "",
        "| offers | needs | K | candidates p50 | build_problem p50 ms | engine p50 ms | engine p95 ms | timeouts | "
        "bundles evaluated/s | evaluated p50 | exact |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in rows:
        lines.append(f"| {s['size']:,} | {s['needs']} | {s['modules']} | {s['candidates']:,.0f} | "
                     f"{_ms(s['build_p50'])} | {_ms(s['p50'])} | {_ms(s['p95'])} | {s['timeouts']} | "
                     f"{s['rate'] / 1e6:,.1f} M | {s['evaluated_p50']:,} | {s['exact']:.0%} |")
    lines += [
        "", "## Baselines", "",
        "MILP: model build + solve (solve alone in brackets), over the queries it ran on; `rows` = candidates left "
        "after the safe relevance reduction (rows that raise no need and can enable no prerequisite, or exceed budget "
        "or hours alone, cannot change the optimum). Speedup = MILP p50 / engine p50 on the same queries. "
        "Mismatches: instances where HiGHS proved an optimum and the engine's first score differs. Greedy: its score "
        "/ the optimum (the MILP's, else the engine's exact answer), over instances with optimum > 0.", "",
        "| offers | needs | K | MILP ran | proven | MILP p50 ms | MILP p95 ms | speedup | top-1 mismatches | "
        "rows p50 | nonzeros p50 | greedy mean | greedy min | greedy = optimum | greedy p50 ms | brute force |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in rows:
        failures = f" ({', '.join(s['milp_failures'])})" if s["milp_failures"] else ""
        lines.append(f"| {s['size']:,} | {s['needs']} | {s['modules']} | {s['milp_runs']}/{s['queries']} | "
                     f"{s['proven']}{failures} | {_ms(s['milp_p50'])} ({_ms(s['milp_solve_p50'])}) | "
                     f"{_ms(s['milp_p95'])} | {_ratio(s['speedup'])} | {len(s['mismatches'])} | {s['kept']:,.0f} | "
                     f"{s['milp_nnz']:,.0f} | {s['greedy_mean']:.3f} | {s['greedy_min']:.3f} | "
                     f"{s['greedy_opt']}/{s['greedy_n']} | {_ms(s['greedy_p50'])} | {_oracle_cell(s)} |")
    rates = [s["oracle_rate"] for s in rows]
    if rates:
        lines += ["", f"Brute force: `tests/bruteforce.py` enumerates every subset of 1..K candidates in plain Python "
                  f"at {min(rates):,.0f}–{max(rates):,.0f} bundles/s (measured in this run on a 14-candidate slice "
                  f"of each configuration's first query); where it was not run, the cell gives the time Σ C(n, k) "
                  f"bundles would take at that rate."]
    mismatches = [i for s in rows for i in s["mismatches"]]
    lines += ["", "## Top-1 mismatches (engine vs proven MILP optimum)", ""]
    if not mismatches:
        lines.append("None: wherever HiGHS proved an optimum, the engine's first score equals it.")
    for i in mismatches:
        lines.append(f"- `python -m {MODULE} --repro {i['size']} {i['needs']} {i['modules']} {i['q']}`: engine "
                     f"{i['engine_score']} (exact={i['exact']}, first bundle {i['engine_members']}), MILP "
                     f"{i['milp_score']}; budget {i['budget']}, maxHours {i['max_hours']}, {i['candidates']} "
                     f"candidates")
    problems = [(s, q, p) for s in rows for q, p in s["answer_problems"]]
    lines += ["", "## Answer checks (every returned bundle: feasible, minimal, stated score, rank order)", ""]
    lines.append("All answers pass." if not problems else f"{len(problems)} problems:")
    lines += [f"- `--repro {s['size']} {s['needs']} {s['modules']} {q}`: {p}" for s, q, p in problems[:50]]
    lines += ["", "## Goals", "", *goal_lines(rows)]
    return "\n".join(lines) + "\n"


def goal_lines(rows: list[dict[str, Any]]) -> list[str]:
    out = []
    mismatches = sum(len(s["mismatches"]) for s in rows)
    proven = sum(s["proven"] for s in rows)
    total = sum(s["queries"] for s in rows)
    out.append(f"- Identical top-1 score to the MILP on every instance: {'met' if mismatches == 0 else 'NOT met'} "
               f"where checked ({mismatches} mismatches; HiGHS proved the optimum on {proven} of {total} instances).")
    goal = [s for s in rows if (s["size"], s["needs"], s["modules"]) == GOAL_CONFIG]
    if goal:
        s = goal[0]
        out.append(f"- p50 ≤ {GOAL_P50_MS:.0f} ms at 10k offers, 8 needs, K 5: {_ms(s['p50'])} ms — "
                   f"{'met' if s['p50'] <= GOAL_P50_MS else 'NOT met'}.")
        out.append(f"- ≥ {GOAL_SPEEDUP:.0f}× faster than the MILP there: {_ratio(s['speedup'])} — "
                   f"{'met' if s['speedup'] >= GOAL_SPEEDUP else 'NOT met'}.")
    finite = [s for s in rows if not math.isnan(s["rate"])]
    if finite:
        best = max(finite, key=lambda s: s["rate"])
        median = statistics.median(s["rate"] for s in finite)
        out.append(f"- ≥ 30 M bundle evaluations/s per core: measured end to end (`bundles_evaluated` / the whole "
                   f"`rank_bundles` call, preparation and Python overhead included, so a lower bound of the kernel's "
                   f"own rate): best {best['rate'] / 1e6:,.1f} M/s ({best['size']:,}/{best['needs']}/"
                   f"{best['modules']}), median over configurations {median / 1e6:,.1f} M/s — "
                   f"{'met' if best['rate'] >= GOAL_RATE else 'NOT met'} end to end.")
    return out


# --- the tiny cross-check --------------------------------------------------------------------------------------------

def check(count: int, seed: int = 1, start: int = 0) -> int:
    """Engine top-k vs the oracle's, MILP top-1 vs the oracle's, greedy feasible and ≤ optimum, on tiny catalogues
    with a 30–120-day calendar and 5–8 competences (dense overlaps and prerequisites), skipping instances the oracle
    would need more than 20k bundles for. Returns the number of failures."""
    from tests.bruteforce import brute_force, is_feasible

    failures = checked = 0
    for t in range(start, start + count):
        rng = np.random.default_rng([seed, t])
        catalog = make_catalog(int(rng.integers(3, 13)), seed=seed * 100_000 + t, span_days=int(rng.choice((30, 120))),
                               n_competences=int(rng.integers(5, 9)))
        spec = make_query(catalog, int(rng.integers(1, 5)), int(rng.integers(1, 6)), rng, top=int(rng.integers(1, 11)))
        problem = build_problem(catalog, spec).problem
        if bundles_to_enumerate(problem.size, problem.max_modules) > 20_000:
            continue
        checked += 1
        expected = brute_force(problem)
        got = rank_bundles(problem)
        best = expected[0].score if expected else 0.0
        milp = milp_solve(problem)
        g_score, g_members = greedy(problem)
        errors = []
        if [(b.members, b.score) for b in got.bundles] != [(b.members, b.score) for b in expected]:
            errors.append(f"engine top-k {[(b.members, b.score) for b in got.bundles]} != oracle "
                          f"{[(b.members, b.score) for b in expected]} (exact={got.exact})")
        if milp.score != best or (milp.members and not is_feasible(problem, milp.members)):
            errors.append(f"MILP {milp.score} {milp.members} != oracle {best}")
        if abs(milp.objective - milp.score) > 1e-6:
            errors.append(f"MILP objective {milp.objective} != recomputed {milp.score}")
        if g_score > best or (g_members and not is_feasible(problem, g_members)) or \
                g_score != score_of(problem, g_members):
            errors.append(f"greedy {g_score} {g_members} vs optimum {best}")
        if errors:
            failures += 1
            print(f"check instance `--check 1 --check-start {t}`: " + "; ".join(errors))
    print(f"check: {checked} of {count} tiny instances small enough for the oracle, {failures} failures")
    return failures


def shrink(problem: BundleProblem, members: Sequence[int]) -> tuple[int, ...]:
    """A minimal bundle with the same score inside `members` (drop members while score and feasibility stay)."""
    from tests.bruteforce import is_feasible
    from tests.bruteforce import score_of as oracle_score

    current = list(members)
    score = oracle_score(problem, current)
    changed = True
    while changed:
        changed = False
        for m in list(current):
            rest = [i for i in current if i != m]
            if rest and oracle_score(problem, rest) >= score and is_feasible(problem, rest):
                current, changed = rest, True
                break
    return tuple(current)


def repro(size: int, needs: int, modules: int, q: int, work_limit: float = DEFAULT_WORK_LIMIT) -> None:
    """One instance in full: the query, the engine's top 3, and the baselines' bundles checked by the oracle."""
    from tests.bruteforce import is_feasible, is_minimal, rank_key

    catalog = make_catalog(size)
    spec = make_query(catalog, needs, modules, query_rng(size, needs, modules, q))
    candidates = build_problem(catalog, spec)
    problem = candidates.problem
    print(f"catalogue: make_catalog({size}) (seed {CATALOG_SEED}); query: make_query(catalog, {needs}, {modules}, "
          f"query_rng({size}, {needs}, {modules}, {q}))")
    print(spec)
    t0 = time.perf_counter()
    result = rank_bundles(problem, work_limit=work_limit)
    print(f"engine: {time.perf_counter() - t0:.3f} s, exact={result.exact}, evaluated={result.bundles_evaluated:,}, "
          f"candidates={problem.size}")
    for b in result.bundles[:3]:
        print(f"  {b.score} {b.members} price {b.price} hours {b.hours}")
    milp = milp_solve(problem)
    print(f"MILP: {milp.score} {milp.members} optimal={milp.optimal} objective={milp.objective:.9f}")
    g_score, g_members = greedy(problem)
    print(f"greedy: {g_score} {g_members}")
    for name, members in (("MILP", milp.members), ("greedy", g_members)):
        if not members:
            continue
        small = shrink(problem, members)
        print(f"{name} bundle, shrunk to a minimal one: {small} score {score_of(problem, small)} "
              f"feasible={is_feasible(problem, small)} minimal={is_minimal(problem, small)} "
              f"rank key {rank_key(problem, small)[:4]}")
        for row in small:
            run, offer = int(candidates.runs[row]), int(candidates.offers[row])
            print(f"    row {row}: {catalog.ids[offer]} run {catalog.run_ids[run]} teach {problem.teach[row].tolist()} "
                  f"pre_req {problem.pre_req[row].tolist()} dated={bool(problem.dated[row])} "
                  f"self_paced={bool(problem.self_paced[row])} days {int(problem.start[row])}–{int(problem.end[row])} "
                  f"price {problem.price[row]} hours {problem.hours[row]}")
    print("answer checks:", check_answer(problem, result) or "ok")


def merge(raws: Sequence[Path], output: Path) -> None:
    """One results file from runs made side by side (say 100k offers on one CPU, the rest on the other)."""
    parts = [json.loads(path.read_text(encoding="utf-8")) for path in raws]
    results = sorted((r for part in parts for r in part["results"]), key=lambda r: r["size"])
    first = parts[0]["limits"]
    text = render(results, [(part["argv"], part["wall_s"]) for part in parts], Limits(**first))
    differ = []
    for part in parts[1:]:
        changed = {k: v for k, v in part["limits"].items() if first.get(k) != v}
        if changed:
            sizes = ", ".join(f"{r['size']:,}" for r in part["results"])
            differ.append(f"{sizes} offers: " + ", ".join(f"`{k}` = {v:g}" for k, v in sorted(changed.items())))
    if differ:  # the method text states the first run's limits; say where another run's differ
        lines = text.split("\n")
        at = next(i for i, line in enumerate(lines) if line.startswith("Method:")) + 1
        lines[at:at] = ["", "Limits that differ from the above: " + "; ".join(differ) + "."]
        text = "\n".join(lines)
    output.write_text(text, encoding="utf-8")
    log(f"wrote {output}")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--needs", type=int, nargs="+", default=[4, 8, 12])
    parser.add_argument("--modules", type=int, nargs="+", default=[3, 5])
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--work-limit", type=float, default=DEFAULT_WORK_LIMIT,
                        help=f"the engine's work_limit (default: its own default, {DEFAULT_WORK_LIMIT:.0e})")
    parser.add_argument("--repeat", type=int, default=3, help="engine calls per query (latency = their median)")
    parser.add_argument("--engine-limit", type=float, default=300.0, help="limit per engine call, s")
    parser.add_argument("--milp-limit", type=float, default=600.0, help="HiGHS time limit per instance, s")
    parser.add_argument("--milp-queries", type=int, help="MILP on only the first N queries of each configuration")
    parser.add_argument("--oracle-limit", type=float, default=60.0, help="brute-force time limit per instance, s")
    parser.add_argument("--oracle-max-bundles", type=int, default=2_000_000,
                        help="attempt the brute force only when it enumerates at most this many bundles")
    parser.add_argument("--mem-limit-gb", type=float, default=10.0, help="address-space cap of each child")
    parser.add_argument("--cpu", type=int, default=1, help="CPU the children are pinned to")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--raw", type=Path, help="also write every instance as JSON here")
    parser.add_argument("--merge", type=Path, nargs="+", metavar="RAW",
                        help="write --output from the --raw files of runs made side by side, exit")
    parser.add_argument("--check", type=int, metavar="N", help="cross-check on N tiny instances and exit")
    parser.add_argument("--check-start", type=int, default=0, metavar="T", help="first tiny instance of --check")
    parser.add_argument("--repro", type=int, nargs=4, metavar=("SIZE", "NEEDS", "MODULES", "Q"))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.check is not None:
        sys.exit(1 if check(args.check, start=args.check_start) else 0)
    if args.repro:
        repro(*args.repro, work_limit=args.work_limit)
        return
    if args.child:
        child(args)
        return
    if args.merge:
        merge(args.merge, args.output)
        return
    started = time.perf_counter()
    results = []
    for size in args.sizes:
        log(f"size {size:,}: child process pinned to cpu {args.cpu}")
        child_args = ["--child", "--size", str(size), "--needs", *map(str, args.needs), "--modules",
                      *map(str, args.modules), "--queries", str(args.queries), "--repeat", str(args.repeat),
                      "--work-limit", str(args.work_limit),
                      "--engine-limit", str(args.engine_limit), "--milp-limit", str(args.milp_limit),
                      *(["--milp-queries", str(args.milp_queries)] if args.milp_queries is not None else []),
                      "--oracle-limit", str(args.oracle_limit),
                      "--oracle-max-bundles", str(args.oracle_max_bundles), "--mem-limit-gb", str(args.mem_limit_gb),
                      "--cpu", str(args.cpu)]
        results.append(run_child(MODULE, child_args, timeout_s=24 * 3600, env=single_threaded_env()))
        # rewritten after every size, so a long run leaves its numbers so far behind
        wall_s = time.perf_counter() - started
        text = render(results, [(argv, wall_s)], limits_for(args))
        args.output.write_text(text, encoding="utf-8")
        if args.raw:
            raw = {"argv": list(argv), "wall_s": wall_s, "limits": asdict(limits_for(args)), "results": results}
            args.raw.write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")
    log(f"wrote {args.output}")
    print(text)


if __name__ == "__main__":
    main()
