"""Snapshot search + facets latency on one core, for 10k, 100k and 1M offers; snapshot build time and memory.

Why: every portal page view runs `search()` and `facets()` on the columnar snapshot inside the request, on the
event loop; the goals are p50 ≤ 20 ms at 100k offers and ≤ 150 ms at 1M. The build of the snapshot
(`build_catalog`) runs on every catalog change, so its time and memory matter too: its peak is measured on its
own (the peak counter is reset after the documents are generated) and reported above the documents it reads.

Each size runs in its own child process pinned to one CPU (numpy single-threaded), so the sizes do not share a
heap. The query mix is fixed and seeded: text + format, competence + price, near a city + DISTANCE sort, empty
search with START_ASC, the landing page, provider pages, date windows, page 2 and 3 now and then.

`--baseline-rev REV` also loads `matcher/` as of git revision REV: every query runs on both implementations,
interleaved (so both see the same machine noise), and their pages, totals, relevance, distances and facets must
be identical; the baseline's build is also measured alone in a child of its own, for its time and memory.

    nice -n 5 .venv/bin/python -m benchmarks.bench_search                          # 10k, 100k, 1M (~10 minutes)
    nice -n 5 .venv/bin/python -m benchmarks.bench_search --baseline-rev 80de429   # ... against matcher/ of 80de429
    nice -n 5 .venv/bin/python -m benchmarks.bench_search --quick                  # 2k and 10k, a smoke run
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import importlib
import pstats
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

import numpy as np

from benchmarks.common import (
    ROOT,
    baseline_package,
    command_line,
    current_rss_mib,
    emit_result,
    load_average,
    log,
    machine_lines,
    peak_rss_mib,
    percentile,
    pin_to_cpu,
    reset_peak_rss,
    run_child,
    table,
    write_section,
)

SIZES = (10_000, 100_000, 1_000_000)
QUICK_SIZES = (2_000, 10_000)
GOALS_MS = {100_000: 20.0, 1_000_000: 150.0}
PAGE = 20
TEXTS = ("Datenschutz", "Informationssicherheit", "E-Akte", "Projektmanagement", "Barrierefreiheit", "OZG",
         "Führung", "Künstliche Intelligenz", "Prozessmanagement", "Vergabe", "DSGVO Einwilligung",
         "Datenschutz im Bürgerbüro", "agile Methoden Scrum", "Phishing Passwörter")
CITIES = {"Mannheim": (49.4875, 8.4660), "Wiesbaden": (50.0782, 8.2398), "Stuttgart": (48.7758, 9.1829),
          "Köln": (50.9375, 6.9603), "Berlin": (52.5200, 13.4050), "Speyer": (49.3173, 8.4412)}
POPULAR = ("kc:data-protection-law", "digcomp:4.2", "kc:information-security", "digcomp:4.1", "kc:egov-law",
           "kc:e-files", "kc:process-management", "digcomp:2.4", "kc:digital-leadership", "kc:accessibility",
           "kc:open-data", "digcomp:3.4")


@dataclass(frozen=True)
class Query:
    """One portal request: what `resolvers/search.py` passes to the matcher."""

    template: str
    text: str | None
    filter: dict[str, Any]
    sort: str
    offset: int


def query_mix(count: int, seed: int = 7) -> list[Query]:
    """A fixed, seeded mix of the searches a portal sends; weights follow what a landing page and a search box
    see most (text searches and the unfiltered landing page), the rest are the filtered views."""
    rng = np.random.default_rng(seed)
    templates: list[tuple[str, float, Callable[[], tuple[str | None, dict[str, Any], str]]]] = [
        ("text + ONLINE", 0.18, lambda: (str(rng.choice(TEXTS)), {"formats": ("ONLINE",)}, "RELEVANCE")),
        ("text only", 0.14, lambda: (str(rng.choice(TEXTS)), {}, "RELEVANCE")),
        ("competence + maxPrice, PRICE_ASC", 0.12, lambda: (None, {
            "competences": tuple(rng.choice(POPULAR, size=int(rng.integers(1, 3)), replace=False).tolist()),
            "min_level": int(rng.integers(1, 4)), "max_price_eur": float(rng.choice([0, 100, 300, 500]))},
            "PRICE_ASC")),
        ("near city 50 km, DISTANCE", 0.12, lambda: (None, {
            "near": CITIES[str(rng.choice(list(CITIES)))], "max_distance_km": 50.0,
            "formats": ("PRESENCE", "HYBRID")}, "DISTANCE")),
        ("empty, START_ASC from a month", 0.10, lambda: (None, {
            "start_after": date(2027, int(rng.integers(1, 13)), 1)}, "START_ASC")),
        ("landing page (empty, RELEVANCE)", 0.10, lambda: (None, {}, "RELEVANCE")),
        ("text + free + date window", 0.08, lambda: (str(rng.choice(TEXTS)), {
            "free_only": True, "start_after": date(2027, m := int(rng.integers(1, 10)), 1),
            "end_before": date(2027, m + 3, 28)}, "START_ASC")),
        ("provider page, START_ASC", 0.06, lambda: (None, {
            "providers": (str(rng.choice(["dhbw", "hoems", "duv-speyer", "egov-campus", "kgst"])),)}, "START_ASC")),
        ("self-paced free, HOURS_ASC", 0.05, lambda: (None, {"self_paced": True, "free_only": True}, "HOURS_ASC")),
        ("competence + BASIS + maxHours", 0.05, lambda: (None, {
            "competences": (str(rng.choice(POPULAR)),), "kinds": ("BASIS",), "max_hours": 8.0,
            "languages": ("de",)}, "RELEVANCE")),
    ]
    weights = np.array([w for _, w, _ in templates])
    picks = rng.choice(len(templates), size=count, p=weights / weights.sum())
    out = []
    for i, k in enumerate(picks):
        name, _, make = templates[int(k)]
        text, flt, sort = make()
        offset = PAGE * int(rng.choice([0, 0, 0, 0, 0, 0, 1, 1, 2])) if i >= len(templates) else 0
        out.append(Query(name, text, flt, sort, offset))
    # every template at least once, first, so the per-template table is never empty
    firsts = []
    for name, _, make in templates:
        text, flt, sort = make()
        firsts.append(Query(name, text, flt, sort, 0))
    return firsts + out[len(firsts):]


@dataclass
class Impl:
    """One implementation of the matcher: the working tree's, or a baseline loaded from git."""

    label: str
    build_catalog: Callable[..., Any]
    search: Callable[..., Any]
    facets: Callable[..., Any]
    offer_filter: type
    sort: type


def current_impl() -> Impl:
    from matcher.catalog import build_catalog
    from matcher.filters import OfferFilter
    from matcher.search import Sort, facets, search

    return Impl("working tree", build_catalog, search, facets, OfferFilter, Sort)


def baseline_impl(rev: str) -> Impl:
    package = baseline_package(rev)
    catalog: ModuleType = importlib.import_module(f"{package}.catalog")
    filters: ModuleType = importlib.import_module(f"{package}.filters")
    search: ModuleType = importlib.import_module(f"{package}.search")
    return Impl(f"git {rev}", catalog.build_catalog, search.search, search.facets, filters.OfferFilter, search.Sort)


def _facet_tuple(f: Any) -> tuple[Any, ...]:
    return tuple(tuple((c.value, c.count) for c in getattr(f, name)) for name in
                 ("providers", "formats", "languages", "kinds", "competences", "price_bands", "start_months"))


def time_queries(impl: Impl, catalog: Any, queries: Sequence[Query]) -> list[tuple[float, float, Any]]:
    """(search ms, search + facets ms, answer) per query; the answer (page, total, the page's relevance and
    distances, all facets) is kept for the equality check against a baseline."""
    out = []
    for q in queries:
        flt = impl.offer_filter(**q.filter)
        t0 = time.perf_counter()
        result = impl.search(catalog, q.text, flt, impl.sort(q.sort), q.offset, PAGE)
        t1 = time.perf_counter()
        facet = impl.facets(catalog, result)
        t2 = time.perf_counter()
        distance = None if result.distance_km is None else [None if d != d else d for d in result.distance_km.tolist()]
        answer = (result.indices.tolist(), int(result.total), result.relevance.tolist(), distance, _facet_tuple(facet))
        out.append(((t1 - t0) * 1000, (t2 - t0) * 1000, answer))
    return out


def catalog_bytes(catalog: Any) -> dict[str, float]:
    """Memory held by the snapshot itself: numpy columns, the text index, the Python id tuples (MiB)."""
    arrays = sum(v.nbytes for v in vars(catalog).values() if isinstance(v, np.ndarray))
    text = catalog.text
    text_arrays = sum(v.nbytes for v in vars(text).values() if isinstance(v, np.ndarray))
    terms = sys.getsizeof(text.terms) + sum(sys.getsizeof(t) for t in text.terms)
    ids = sys.getsizeof(catalog.ids) + sum(sys.getsizeof(i) for i in catalog.ids)
    run_ids = sys.getsizeof(catalog.run_ids) + sum(sys.getsizeof(i) for i in set(catalog.run_ids))
    mib = 2**20
    return {"columns": arrays / mib, "text_index": (text_arrays + terms) / mib, "ids": (ids + run_ids) / mib,
            "vocabulary": len(text.terms), "postings": len(text.docs), "runs": len(catalog.run_offer)}


def profile_top(func: Callable[[], None], limit: int = 14) -> list[dict[str, Any]]:
    """cProfile of `func`, the functions with the most own time (and their cumulative time)."""
    profiler = cProfile.Profile()
    profiler.enable()
    func()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(v[2] for v in stats.stats.values())  # type: ignore[attr-defined]
    rows = []
    for (path, line, name), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{_short(path)}:{line}({name})", "calls": ncalls, "tottime_s": tottime,
                     "cumtime_s": cumtime, "share": tottime / total if total else 0.0})
    rows.sort(key=lambda r: -r["tottime_s"])
    return rows[:limit]


def _short(path: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def _generate(n: int) -> tuple[list[dict[str, Any]], float, float]:
    """The documents of size n, the seconds it took and the resident memory they leave (after a collection)."""
    from benchmarks.synthetic import generate

    t0 = time.perf_counter()
    docs = generate(n)
    gen_s = time.perf_counter() - t0
    gc.collect()
    rss_docs = current_rss_mib()
    log(f"{n:,}: generated in {gen_s:.1f} s, RSS {rss_docs:,.0f} MiB")
    return docs, gen_s, rss_docs


def _build(impl: Impl, docs: list[dict[str, Any]], competence_ids: list[str], rss_docs: float,
           ) -> tuple[Any, dict[str, float]]:
    """Build the snapshot; its time and its own memory peak above the documents it is built from."""
    reset_peak_rss()
    t0 = time.perf_counter()
    catalog = impl.build_catalog(docs, competence_ids, 1)
    build_s = time.perf_counter() - t0
    peak = peak_rss_mib()
    log(f"{len(docs):,} ({impl.label}): built in {build_s:.1f} s, peak RSS {peak:,.0f} MiB "
        f"(+{peak - rss_docs:,.0f} over the documents)")
    return catalog, {"build_s": build_s, "peak_build_mib": peak, "build_extra_mib": peak - rss_docs}


def build_worker(n: int, cpu: int | None, baseline_rev: str | None) -> dict[str, Any]:
    """Only generate and build (the baseline's build memory is measured in a process of its own like this)."""
    from sources.taxonomy import load_taxonomy

    pinned = pin_to_cpu(cpu)
    impl = baseline_impl(baseline_rev) if baseline_rev else current_impl()
    docs, gen_s, rss_docs = _generate(n)
    catalog, build = _build(impl, docs, list(load_taxonomy().competences), rss_docs)
    return {"n": n, "cpu": pinned, "impl": impl.label, "generate_s": gen_s, "rss_docs_mib": rss_docs, **build,
            "catalog": catalog_bytes(catalog)}


def worker(n: int, count: int, cpu: int | None, profile: bool, baseline_rev: str | None) -> dict[str, Any]:
    """One size in this (child) process: generate, build, query, optionally profile and compare."""
    from sources.taxonomy import load_taxonomy

    pinned = pin_to_cpu(cpu)
    competence_ids = list(load_taxonomy().competences)
    impl = current_impl()
    base = baseline_impl(baseline_rev) if baseline_rev else None
    load_start = load_average()
    docs, gen_s, rss_docs = _generate(n)
    catalog, build = _build(impl, docs, competence_ids, rss_docs)
    build_profile = None
    if profile:
        sample = docs[: min(n, 100_000)]
        build_profile = profile_top(lambda: impl.build_catalog(sample, competence_ids, 1))
        del sample
    base_catalog, base_build_s = None, None
    if base is not None:
        gc.collect()
        t0 = time.perf_counter()
        base_catalog = base.build_catalog(docs, competence_ids, 1)
        base_build_s = time.perf_counter() - t0
        log(f"{n:,}: baseline ({base.label}) built in {base_build_s:.1f} s")
    del docs
    gc.collect()

    queries = query_mix(count)
    time_queries(impl, catalog, queries[:10])  # warm-up: stem cache, first-touch of the columns
    if base is not None:
        time_queries(base, base_catalog, queries[:10])
    current: list[tuple[float, float, Any]] = []
    baseline: list[tuple[float, float, Any]] = []
    mismatches: list[str] = []
    for q in queries:  # interleaved, so that both implementations see the same noise
        current += time_queries(impl, catalog, [q])
        if base is not None:
            baseline += time_queries(base, base_catalog, [q])
            if baseline[-1][2] != current[-1][2]:
                mismatches.append(f"{q.template}: text={q.text!r} filter={q.filter} sort={q.sort} offset={q.offset}")
    log(f"{n:,}: {len(queries)} queries, p50 {percentile([c[1] for c in current], 50):.1f} ms")

    per_template: dict[str, dict[str, Any]] = {}
    for i, q in enumerate(queries):
        entry = per_template.setdefault(q.template, {"search": [], "total": [], "base_total": []})
        entry["search"].append(current[i][0])
        entry["total"].append(current[i][1])
        if baseline:
            entry["base_total"].append(baseline[i][1])
    query_profile = None
    if profile:
        query_profile = profile_top(lambda: time_queries(impl, catalog, queries[: min(len(queries), 120)]))
    return {
        "n": n, "cpu": pinned, "queries": len(queries), "generate_s": gen_s, **build,
        "base_build_s": base_build_s, "baseline": base.label if base else None, "rss_docs_mib": rss_docs,
        "peak_rss_mib": peak_rss_mib(), "catalog": catalog_bytes(catalog),
        "load": (load_start, load_average()),
        "search_ms": [c[0] for c in current], "total_ms": [c[1] for c in current],
        "base_total_ms": [b[1] for b in baseline], "mismatches": mismatches[:10], "mismatch_count": len(mismatches),
        "per_template": {k: {"count": len(v["total"]), "search_p50": percentile(v["search"], 50),
                             "p50": percentile(v["total"], 50), "p95": percentile(v["total"], 95),
                             "p99": percentile(v["total"], 99),
                             "base_p50": percentile(v["base_total"], 50) if v["base_total"] else None}
                         for k, v in per_template.items()},
        "build_profile": build_profile, "query_profile": query_profile,
    }


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}" if value < 10 else f"{value:.1f}"


def report(results: list[dict[str, Any]], builds: dict[int, dict[str, Any]], argv: Sequence[str]) -> str:
    lines = ["## Search: snapshot search + facets latency (one core)", "",
             f"Command: `nice -n 5 {command_line('benchmarks.bench_search', argv)}`", "", *machine_lines(), "",
             "Each size in its own child process pinned to one CPU (numpy single-threaded); `search()` + `facets()` "
             "timed together per query (page of 20, all seven facets) over a fixed, seeded mix of portal queries "
             "(table below). Build: `build_catalog` from the generated documents, with its own memory peak above "
             "the documents it reads (the documents are what the snapshot refresh reads from MongoDB, so they are "
             "in memory in production too).", ""]
    has_base = any(r["baseline"] for r in results)
    headers = ["offers", "queries", "p50 ms", "p95 ms", "p99 ms", "search-only p50 ms", "goal p50", "build s",
               "build peak above docs MiB", "snapshot MiB (columns / text / ids)", "docs RSS MiB",
               "load avg (1 min)"]
    if has_base:
        headers[6:6] = ["baseline p50 ms", "baseline p95 ms"]
    rows = []
    for r in results:
        total = r["total_ms"]
        p50 = percentile(total, 50)
        goal = GOALS_MS.get(r["n"])
        c = r["catalog"]
        row = [f"{r['n']:,}", r["queries"], _ms(p50), _ms(percentile(total, 95)), _ms(percentile(total, 99)),
               _ms(percentile(r["search_ms"], 50)),
               "–" if goal is None else f"≤ {goal:.0f} ms {'✅' if p50 <= goal else '❌'}",
               f"{r['build_s']:.1f}", f"{r['build_extra_mib']:,.0f}",
               f"{c['columns'] + c['text_index'] + c['ids']:.0f} ({c['columns']:.0f} / {c['text_index']:.0f} / "
               f"{c['ids']:.0f})", f"{r['rss_docs_mib']:,.0f}", f"{r['load'][0]:.1f} → {r['load'][1]:.1f}"]
        if has_base:
            row[6:6] = [_ms(percentile(r["base_total_ms"], 50)), _ms(percentile(r["base_total_ms"], 95))]
        rows.append(row)
    lines += [table(headers, rows), ""]
    if builds:
        b_rows = []
        for r in results:
            b = builds.get(r["n"])
            if b is None:
                continue
            cb, cc = b["catalog"], r["catalog"]
            b_rows.append([f"{r['n']:,}", f"{b['build_s']:.1f} → {r['build_s']:.1f}",
                           f"{b['build_extra_mib']:,.0f} → {r['build_extra_mib']:,.0f}",
                           f"{cb['text_index']:.0f} → {cc['text_index']:.0f}",
                           f"{cb['columns'] + cb['text_index'] + cb['ids']:.0f} → "
                           f"{cc['columns'] + cc['text_index'] + cc['ids']:.0f}"])
        lines += [f"Build, baseline `{results[0]['baseline']}` → working tree (the baseline built in a process of "
                  "its own, so its peak is its own):", "",
                  table(["offers", "build s", "build peak above docs MiB", "text index MiB", "snapshot MiB"], b_rows),
                  ""]
    for r in results:
        if r["baseline"]:
            ok = "identical" if r["mismatch_count"] == 0 else f"**{r['mismatch_count']} differ**"
            lines.append(f"- {r['n']:,}: answers (page, total, relevance, distances, all facets) of all "
                         f"{r['queries']} queries against baseline `{r['baseline']}`: {ok}.")
            lines += [f"  - {m}" for m in r["mismatches"]]
    big = results[-1]
    lines += ["", f"Per query template ({big['n']:,} offers):", ""]
    t_headers = ["template", "count", "search p50 ms", "search+facets p50 ms", "p95 ms", "p99 ms"]
    if big["baseline"]:
        t_headers.append("baseline p50 ms")
    t_rows = []
    for name, v in big["per_template"].items():
        row = [name, v["count"], _ms(v["search_p50"]), _ms(v["p50"]), _ms(v["p95"]), _ms(v["p99"])]
        if big["baseline"]:
            row.append(_ms(v["base_p50"]))
        t_rows.append(row)
    lines += [table(t_headers, t_rows), ""]
    for r in results:
        if r.get("query_profile"):
            lines += [f"Query hot spots at {r['n']:,} offers (cProfile, own time, 120 queries):", "",
                      _profile_table(r["query_profile"]), ""]
        if r.get("build_profile"):
            lines += [f"Build hot spots (cProfile, `build_catalog` of {min(r['n'], 100_000):,} offers):", "",
                      _profile_table(r["build_profile"]), ""]
    c = results[-1]["catalog"]
    lines += [f"Snapshot at {results[-1]['n']:,} offers: {c['runs']:,} runs, {c['vocabulary']:,} stems, "
              f"{c['postings']:,} postings.", ""]
    return "\n".join(lines)


def _profile_table(rows: list[dict[str, Any]]) -> str:
    return table(["function", "calls", "own s", "cumulative s", "own share"],
                 [[f"`{r['function']}`", r["calls"], f"{r['tottime_s']:.2f}", f"{r['cumtime_s']:.2f}",
                   f"{r['share']:.0%}"] for r in rows])


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="2k and 10k offers, fewer queries: a smoke run")
    parser.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], help="comma-separated sizes")
    parser.add_argument("--queries", type=int, help="queries per size (default 400, 200 at 1M, 60 with --quick)")
    parser.add_argument("--cpu", type=int, default=0, help="CPU to pin the measuring process to (default 0)")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile runs")
    parser.add_argument("--baseline-rev", help="also run matcher/ of this git revision and compare")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS_api.md")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        if args.build_only:
            emit_result(build_worker(args.worker, args.cpu, args.baseline_rev))
        else:
            emit_result(worker(args.worker, args.queries or 400, args.cpu, not args.no_profile, args.baseline_rev))
        return
    sizes = args.sizes or (QUICK_SIZES if args.quick else SIZES)
    results = []
    builds: dict[int, dict[str, Any]] = {}
    for n in sizes:
        count = args.queries or (60 if args.quick else 200 if n >= 1_000_000 else 400)
        child_args = ["--worker", str(n), "--queries", str(count), "--cpu", str(args.cpu)]
        if args.no_profile or (n != max(sizes)):
            child_args.append("--no-profile")
        if args.baseline_rev:
            child_args += ["--baseline-rev", args.baseline_rev]
            log(f"search benchmark: {n:,} offers, build of {args.baseline_rev} alone")
            builds[n] = run_child("benchmarks.bench_search", ["--worker", str(n), "--build-only", "--cpu",
                                                              str(args.cpu), "--baseline-rev", args.baseline_rev],
                                  timeout_s=1800)
        log(f"search benchmark: {n:,} offers, {count} queries")
        results.append(run_child("benchmarks.bench_search", child_args, timeout_s=3600))
    text = report(results, builds, argv)
    print(text)
    if not args.no_write:
        log(f"results written to {write_section('search', text)}")


if __name__ == "__main__":
    main()
