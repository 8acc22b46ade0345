"""The matcher's vectorised kernel (`matcher.bundle_kernel.last_pairs`): bundle evaluations per second per core.

Why two parts. *In the search* the kernel is timed on every call while `rank_bundles` answers `bench_match`'s
seeded queries: that is what it delivers there, where good pruning leaves it small blocks and its fixed cost per
call (some 20 array operations) weighs. *By block size* it runs on blocks cut from a real query's units (its
Prepared, the children drawn as pairs of units): that is what one call of it can do, against a baseline in the
same run, the same kernel with every unit its own profile (the pairwise scores it computed before profiles).
Both count an evaluation per feasible bundle (one run per offer, no certain conflict, within budget and hours),
as `bundlesEvaluated` does; each bundle's score is computed and compared with the threshold. One process,
pinned to one CPU, single-threaded BLAS.

    .venv/bin/python -m benchmarks.bench_kernel --output benchmarks/RESULTS_kernel.md
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

import matcher.bundle_search as bundle_search
from benchmarks import common
from benchmarks.bench_match import build_problem, make_catalog, make_query, query_rng
from matcher.bundle_kernel import Bar, Children, Pool, last_pairs
from matcher.bundle_prepare import Prepared
from matcher.bundles import rank_bundles

MODULE = "benchmarks.bench_kernel"


def in_search(size: int, needs: int, modules: int, queries: int) -> dict[str, Any]:
    """Every kernel call of `queries` seeded queries, timed where the search makes it."""
    calls: list[tuple[float, int]] = []

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        out = last_pairs(*args, **kwargs)
        calls.append((time.perf_counter() - t0, out[2]))
        return out

    catalog = make_catalog(size)
    bundle_search.last_pairs = timed  # the name the search calls; restored below
    total = 0.0
    try:
        for q in range(queries):
            problem = build_problem(catalog, make_query(catalog, needs, modules, query_rng(size, needs, modules, q)))
            t0 = time.perf_counter()
            rank_bundles(problem.problem)
            total += time.perf_counter() - t0
    finally:
        bundle_search.last_pairs = last_pairs
    seconds = sum(c[0] for c in calls)
    evaluated = sum(c[1] for c in calls)
    return {"size": size, "needs": needs, "modules": modules, "queries": queries, "calls": len(calls),
            "seconds": seconds, "evaluated": evaluated, "search_seconds": total,
            "median_block": statistics.median(c[1] for c in calls) if calls else 0}


def blocks_of(prep: Prepared, children: int, rng: np.random.Generator, profiles: bool) -> tuple[Children, Pool]:
    """A block as the search builds one: children that are pairs of gaining units, the pool every gaining unit
    after them (all of them may follow: no cut)."""
    g = prep.n_gain
    first = rng.integers(0, g // 4, children)
    second = first + 1 + rng.integers(0, g // 4, children)
    unit = np.maximum(first, second)
    cov = np.maximum(prep.C[first], prep.C[second])
    units = np.arange(int(unit.min()) + 1, g)
    profile, table_ = prep.profiles
    if profiles:
        pool_profile, pool_profiles = profile[units], table_
    else:  # the baseline: every unit its own profile, so the scores are computed per pair
        pool_profile, pool_profiles = np.arange(len(units)), prep.C[units]
    pool = Pool(units, prep.price[units], prep.hours[units], prep.offer[units], prep.s_conf[units],
                prep.s_start[units], prep.s_end[units], pool_profile, pool_profiles)
    kids = Children(unit, np.full(children, g), cov, prep.price[first] + prep.price[second],
                    prep.hours[first] + prep.hours[second], prep.offer[unit], prep.s_conf[unit],
                    prep.s_start[unit], prep.s_end[unit])
    return kids, pool


def by_block(size: int, needs: int, modules: int, sizes: list[int], repeat: int) -> list[dict[str, Any]]:
    """Evaluations per second of one call, by the number of children in the block, with and without profiles."""
    catalog = make_catalog(size)
    problem = build_problem(catalog, make_query(catalog, needs, modules, query_rng(size, needs, modules, 0))).problem
    prep = Prepared(problem)
    bar = Bar(0.9, 0.0, 0.0, True, True)  # a high score, as in the hard queries: few pairs pass, every pair is scored

    rows = []
    for children in sizes:
        out: dict[str, Any] = {"children": children}
        for name, profiles in (("profiles", True), ("pairwise", False)):
            kids, pool = blocks_of(prep, children, np.random.default_rng(children), profiles)
            wanted = np.zeros(children, dtype=bool)
            best, evaluated = float("inf"), 0
            for _ in range(repeat):
                t0 = time.process_time()
                _, _, evaluated = last_pairs(kids, pool, problem.budget, problem.max_hours, bar, wanted)
                best = min(best, time.process_time() - t0)
            out[name] = {"seconds": best, "evaluated": evaluated, "pool": len(pool.units),
                         "profiles": len(pool.profiles)}
        rows.append(out)
    return rows


def child(args: argparse.Namespace) -> dict[str, Any]:
    cpu = common.pin_to_cpu(args.cpu)
    searches = []
    for needs in args.needs:
        common.log(f"in search: {args.size:,} offers, {needs} needs, K {args.modules}, {args.queries} queries")
        searches.append(in_search(args.size, needs, args.modules, args.queries))
    common.log("by block size")
    blocks = by_block(args.size, 8, args.modules, args.children, args.repeat)
    return {"cpu": cpu, "searches": searches, "blocks": blocks}


def _rate(evaluated: float, seconds: float) -> str:
    return f"{evaluated / seconds / 1e6:.1f} M/s" if seconds > 0 else "-"


def render(result: dict[str, Any], argv: list[str]) -> str:
    command = common.command_line(MODULE, argv)
    lines = ["# Matcher kernel: bundle evaluations per second", "", f"Command: `{command}`", "",
             *common.machine_lines(), f"- Pinned to CPU {result['cpu']}", "", "## In the search", ""]
    lines.append(common.table(
        ["offers", "needs", "K", "queries", "kernel calls", "evaluations", "median per call", "kernel s",
         "share of the search", "evaluations/s"],
        [[f"{s['size']:,}", s["needs"], s["modules"], s["queries"], f"{s['calls']:,}", f"{s['evaluated']:,}",
          f"{s['median_block']:,.0f}", f"{s['seconds']:.2f}", f"{s['seconds'] / s['search_seconds']:.1%}",
          _rate(s["evaluated"], s["seconds"])] for s in result["searches"]]))
    lines += ["", "## By block size (units and profiles of 10k/8/5 query 0; best of the repeats, process CPU)", ""]
    lines.append(common.table(
        ["children", "units in the pool", "profiles", "evaluations", "with profiles", "pairwise (baseline)",
         "ratio"],
        [[f"{b['children']:,}", f"{b['profiles']['pool']:,}", b["profiles"]["profiles"],
          f"{b['profiles']['evaluated']:,}", _rate(b["profiles"]["evaluated"], b["profiles"]["seconds"]),
          _rate(b["pairwise"]["evaluated"], b["pairwise"]["seconds"]),
          f"{b['pairwise']['seconds'] / b['profiles']['seconds']:.2f}×"] for b in result["blocks"]]))
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--needs", type=int, nargs="+", default=[8, 12])
    parser.add_argument("--modules", type=int, default=5)
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--children", type=int, nargs="+", default=[1, 10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cpu", type=int, default=1)
    parser.add_argument("--output", type=Path, help="also write the results (markdown) here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        common.emit_result(child(args))
        return
    result = common.run_child(MODULE, ["--child", *argv], timeout_s=6 * 3600, env=common.single_threaded_env())
    text = render(result, argv)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
