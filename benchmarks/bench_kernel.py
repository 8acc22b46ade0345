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
from matcher.bundle_kernel import BLOCK_ELEMENTS, Bar, Children, Pool, last_pairs
from matcher.bundle_prepare import Prepared
from matcher.bundles import rank_bundles

MODULE = "benchmarks.bench_kernel"


Block = tuple[tuple[Any, ...], tuple[int, tuple[int, ...]]]  # a kernel call's arguments, and its node's parent


def in_search(size: int, needs: int, modules: int, queries: int) -> tuple[dict[str, Any], list[Block]]:
    """Every kernel call of `queries` seeded queries, timed where the search makes it; and the calls' arguments,
    each with the parent of the node that made it (query, members but the newest), for `batched`."""
    calls: list[tuple[float, int]] = []
    made: list[Block] = []
    parent: list[tuple[int, tuple[int, ...]]] = [(0, ())]
    pairs_worth_it = bundle_search.Search._pairs_worth_it

    def worth_it(search: Any, node: Any, ch: Any, todo: Any) -> Any:
        parent[0] = (parent[0][0], tuple(node.members[:-1]))
        return pairs_worth_it(search, node, ch, todo)

    def timed(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        out = last_pairs(*args, **kwargs)
        calls.append((time.perf_counter() - t0, out[2]))
        made.append((args, parent[0]))
        return out

    catalog = make_catalog(size)
    bundle_search.last_pairs = timed  # the name the search calls; restored below
    bundle_search.Search._pairs_worth_it = worth_it  # type: ignore[method-assign]
    total = 0.0
    try:
        for q in range(queries):
            problem = build_problem(catalog, make_query(catalog, needs, modules, query_rng(size, needs, modules, q)))
            parent[0] = (q, ())
            t0 = time.perf_counter()
            rank_bundles(problem.problem)
            total += time.perf_counter() - t0
    finally:
        bundle_search.last_pairs = last_pairs
        bundle_search.Search._pairs_worth_it = pairs_worth_it  # type: ignore[method-assign]
    seconds = sum(c[0] for c in calls)
    evaluated = sum(c[1] for c in calls)
    return {"size": size, "needs": needs, "modules": modules, "queries": queries, "calls": len(calls),
            "seconds": seconds, "evaluated": evaluated, "search_seconds": total,
            "median_block": statistics.median(c[1] for c in calls) if calls else 0}, made


def _merge(group: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """One call for the blocks of sibling nodes: their children stacked, the union of their pools, and per node
    the units of its own pool (the kernel's `nodes`). The bar is the first block's (the threshold when the first
    sibling's block would run)."""
    pools = [args[1] for args in group]
    units, first = np.unique(np.concatenate([pool.units for pool in pools]), return_index=True)

    def union(name: str) -> np.ndarray:
        return np.concatenate([getattr(pool, name) for pool in pools])[first]

    pool = Pool(units, union("price"), union("hours"), union("offer"), union("s_conf"), union("s_start"),
                union("s_end"), union("profile"), pools[0].profiles)
    member = np.zeros((len(group), len(units)), dtype=bool)
    for i, own in enumerate(pools):
        member[i, np.searchsorted(units, own.units)] = True
    kids = Children(*(np.concatenate([getattr(args[0], name) for args in group])
                      for name in ("unit", "cut", "cov", "price", "hours", "offer", "s_conf", "s_start", "s_end")))
    owner = np.repeat(np.arange(len(group)), [len(args[0].unit) for args in group])
    wanted = np.concatenate([args[5] for args in group])
    return kids, pool, group[0][2], group[0][3], group[0][4], wanted, BLOCK_ELEMENTS, (owner, member)


def batched(made: list[Block], repeat: int) -> dict[str, Any]:
    """What batching would give the kernel: the search's calls replayed as they were made, against one call per
    group of sibling nodes (consecutive calls whose nodes share a parent: a search that batched would make their
    blocks together, after the siblings' own children). Both replays use each group's first threshold, so they
    evaluate the same bundles; building the union pools is left out of the batched time, which favours it."""
    groups: list[list[tuple[Any, ...]]] = []
    last_key: Any = None
    for args, key in made:
        same = (key, args[2], args[3], args[4] is None, id(args[1].profiles))
        if groups and same == last_key:
            groups[-1].append(args)
        else:
            groups.append([args])
        last_key = same
    singles = [(*args[:4], group[0][4], args[5]) for group in groups for args in group]
    merged = [_merge(group) for group in groups]

    def replay(blocks: list[tuple[Any, ...]]) -> tuple[float, int]:
        best, evaluated = float("inf"), 0
        for _ in range(repeat):
            t0 = time.process_time()
            evaluated = sum(last_pairs(*block)[2] for block in blocks)
            best = min(best, time.process_time() - t0)
        return best, evaluated

    (single_s, single_e), (merged_s, merged_e) = replay(singles), replay(merged)
    assert single_e == merged_e, "batched blocks must evaluate the same bundles"
    return {"calls": len(singles), "groups": len(groups), "evaluated": single_e,
            "median_group_calls": statistics.median(len(group) for group in groups) if groups else 0,
            "single_seconds": single_s, "merged_seconds": merged_s}


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
        search, made = in_search(args.size, needs, args.modules, args.queries)
        common.log("batched by parent node")
        search["batched"] = batched(made, args.repeat)
        searches.append(search)
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
    lines += ["", "## The same calls replayed, as made and batched per parent node (best of the repeats, process CPU)",
              ""]
    lines.append(common.table(
        ["offers", "needs", "K", "calls", "sibling groups", "median calls per group", "evaluations",
         "as made", "batched", "ratio"],
        [[f"{s['size']:,}", s["needs"], s["modules"], f"{b['calls']:,}", f"{b['groups']:,}",
          f"{b['median_group_calls']:g}", f"{b['evaluated']:,}", _rate(b["evaluated"], b["single_seconds"]),
          _rate(b["evaluated"], b["merged_seconds"]), f"{b['single_seconds'] / b['merged_seconds']:.2f}×"]
         for s in result["searches"] for b in [s["batched"]]]))
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
