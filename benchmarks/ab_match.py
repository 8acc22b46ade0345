"""The bundle matcher against an earlier version of itself: the same queries, answers compared, CPU per query.

Why: a change that only makes the search cheaper must not change a single answer, and its gain is a ratio on the
same queries in the same process (absolute times on the shared two-core machines move by up to 2×). `matcher/` of
git revision REV is imported beside the working tree's (`common.baseline_package`); every query of
`bench_match`'s seeded catalogues runs on both, alternating which goes first, pinned to one CPU with
single-threaded BLAS, timed in process CPU seconds. Each runs with its own default work limit, as the API would
run it (`--work-limit` sets one for both): a change to what a work unit buys, or to the limit, shows up as a
differing `exact` or answer, listed by query.

    .venv/bin/python -m benchmarks.ab_match --baseline-rev 31c4fed                      # 10k offers, 8 needs, K 5
    .venv/bin/python -m benchmarks.ab_match --baseline-rev 31c4fed --sizes 1000 100000 --needs 4 12 --modules 3 5
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_match import WARMUP_Q, build_problem, make_catalog, make_query, query_rng
from benchmarks.common import (
    baseline_package,
    command_line,
    emit_result,
    log,
    machine_lines,
    pin_to_cpu,
    run_child,
    single_threaded_env,
    table,
)
from matcher.bundles import WORK_LIMIT, BundleResult, rank_bundles

MODULE = "benchmarks.ab_match"


def _answer(result: BundleResult) -> tuple[Any, ...]:
    return result.exact, [(b.members, b.score, b.price, b.hours) for b in result.bundles]


def child(args: argparse.Namespace) -> None:
    cpu = pin_to_cpu(args.cpu)
    base = importlib.import_module(f"{baseline_package(args.baseline_rev)}.bundles")
    catalog = make_catalog(args.size)
    configs = []
    for needs in args.needs:
        for modules in args.modules:
            rows = []
            for q in range(-1, args.queries):  # q = -1: an untimed warm-up of both
                rng = query_rng(args.size, needs, modules, WARMUP_Q if q < 0 else q)
                problem = build_problem(catalog, make_query(catalog, needs, modules, rng)).problem
                order = [("base", base.rank_bundles, base.WORK_LIMIT), ("new", rank_bundles, WORK_LIMIT)]
                if q % 2:
                    order.reverse()
                out: dict[str, Any] = {}
                for name, rank, default_limit in order:
                    t0 = time.process_time()
                    result = rank(problem, default_limit if args.work_limit is None else args.work_limit)
                    out[name] = (time.process_time() - t0, _answer(result))
                if q < 0:
                    continue
                rows.append({"q": q, "base_s": out["base"][0], "new_s": out["new"][0],
                             "base_exact": out["base"][1][0], "new_exact": out["new"][1][0],
                             "same": out["base"][1] == out["new"][1]})
                log(f"{args.size}/{needs}/{modules} q{q}: base {out['base'][0]:.3f} s, new {out['new'][0]:.3f} s"
                    f"{'' if rows[-1]['same'] else '  <-- answers differ'}")
            configs.append({"needs": needs, "modules": modules, "rows": rows})
    emit_result({"size": args.size, "cpu": cpu, "configs": configs})


def render(results: list[dict[str, Any]], argv: list[str], rev: str) -> str:
    lines = [f"# Matcher A/B: working tree against git {rev}", "",
             f"Command: `{command_line(MODULE, argv)}`", "", *machine_lines(), ""]
    body, differing = [], []
    for res in results:
        for cfg in res["configs"]:
            rows = cfg["rows"]
            base = [r["base_s"] * 1000 for r in rows]
            new = [r["new_s"] * 1000 for r in rows]
            ratios = [b / n for b, n in zip(base, new, strict=True) if n > 0]
            differing += [f"{res['size']}/{cfg['needs']}/{cfg['modules']} q{r['q']}" for r in rows if not r["same"]]
            body.append([f"{res['size']:,}", cfg["needs"], cfg["modules"], len(rows),
                         f"{sum(r['same'] for r in rows)}/{len(rows)}",
                         f"{sum(r['base_exact'] for r in rows)} → {sum(r['new_exact'] for r in rows)}",
                         f"{statistics.median(base):,.1f}", f"{statistics.median(new):,.1f}",
                         f"{sum(base) / max(sum(new), 1e-9):.2f}×",
                         f"{statistics.median(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f})"])
    lines.append(table(["offers", "needs", "K", "queries", "same answers", "exact (base → new)", "base CPU p50 ms",
                        "new CPU p50 ms", "total CPU base / new", "per query base / new: median (range)"], body))
    lines += ["", f"Answers that differ: {', '.join(differing) if differing else 'none'}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline-rev", required=True, help="git revision whose matcher/ is the baseline")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--needs", type=int, nargs="+", default=[8])
    parser.add_argument("--modules", type=int, nargs="+", default=[5])
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--work-limit", type=float, default=None,
                        help="one work limit for both engines (default: each engine's own, as the API runs it)")
    parser.add_argument("--cpu", type=int, default=1, help="CPU the child is pinned to")
    parser.add_argument("--output", type=Path, help="also write the results (markdown) here")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return
    results = []
    for size in args.sizes:
        log(f"size {size:,}: child pinned to cpu {args.cpu}")
        results.append(run_child(MODULE, [
            "--child", "--size", str(size), "--baseline-rev", args.baseline_rev, "--needs", *map(str, args.needs),
            "--modules", *map(str, args.modules), "--queries", str(args.queries),
            *(["--work-limit", str(args.work_limit)] if args.work_limit is not None else []),
            "--cpu", str(args.cpu)], timeout_s=24 * 3600, env=single_threaded_env()))
    text = render(results, argv, args.baseline_rev)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
