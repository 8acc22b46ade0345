"""Requests/s of the typical portal search over HTTP on one uvicorn worker, against a no-database floor; and the
effect of Strawberry's validation cache.

Throughput: the hub (`benchmarks.apiserver --mode hub`: the real app over the embedded SecantusDB holding 5k
synthetic offers) and the floor (`--mode floor`: the same app, settings, schema, middleware, resolvers and
snapshot over an in-memory store) run side by side, each one uvicorn worker pinned to CPU 0; the database
process and the load client (httpx, keep-alive connections, in its own process) share CPU 1. The machine has
two cores shared with other work, so absolute req/s move with its load; what is measured is the ratio: short
rounds alternate floor, hub, hub, floor, …, each floor/hub pair close in time sees the same load, and the
median of the pairs' ratios is the result (goal: hub ≥ 60% of the floor). The server's CPU seconds per request
give a second ratio that does not depend on how much of the core the worker got. Concurrency 4, 8 and 16: with
few connections the hub waits on database round trips; the goal is judged at 8, a busy portal worker.

Validation cache: the portal query executed N times per variant through `schema.execute` (in-memory context, no
HTTP), the variants interleaved request by request: the schema of `schema.build_schema` (the limiter rules built
once, so `ValidationCache` hits); limiter extensions constructed per request (`QueryDepthLimiter`,
`MaxAliasesLimiter`, the cost rule: fresh rule classes per request, so every lookup misses); no validation cache
at all. An extension placed first times the parse and the validation step of each request.

    nice -n 5 .venv/bin/python -m benchmarks.bench_api            # ~8 minutes
    nice -n 5 .venv/bin/python -m benchmarks.bench_api --quick    # a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import pstats
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import (
    ROOT,
    command_line,
    cpu_seconds,
    emit_result,
    load_average,
    log,
    machine_lines,
    percentile,
    pin_to_cpu,
    run_child,
    single_threaded_env,
    table,
    write_section,
)

QUERY = """query PortalSearch($search: String) {
  offers(search: $search, first: 20) {
    totalCount
    edges { node { id title priceEur hours format provider { name }
                   competences { competence { id label } level } runs { start end } } }
    facets { formats { value label count } providers { value label count }
             competences { value label count } priceBands { value count } }
  }
}"""
SEARCHES = ("Datenschutz", "Informationssicherheit", "E-Akte", "Projektmanagement", "Barrierefreiheit", "OZG",
            "Führung", "Künstliche Intelligenz", "Prozessmanagement", "Datenschutz im Bürgerbüro", "Vergabe",
            "agile Methoden")
GOAL_RATIO = 0.60
DEFAULT_CONNECTIONS = 8
SERVER_CPU, SIDE_CPU = 0, 1


# --- load client (child process) --------------------------------------------------------------------------------------


async def load(url: str, connections: int, warmup_s: float, duration_s: float) -> dict[str, Any]:
    """Keep `connections` requests in flight; count the ones that start and finish inside the measured window."""
    import httpx

    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    latencies: list[float] = []
    failures: list[str] = []
    total = 0
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        first = (await client.post(url, json={"query": QUERY, "variables": {"search": SEARCHES[0]}})).json()
        if "errors" in first or first["data"]["offers"]["totalCount"] == 0:
            raise RuntimeError(f"the portal query does not answer as expected: {str(first)[:500]}")
        start = time.perf_counter()
        measure_from, end = start + warmup_s, start + warmup_s + duration_s
        cpu_start: list[float] = []

        async def worker(k: int) -> None:
            nonlocal total
            i = k
            while (t0 := time.perf_counter()) < end:
                if t0 >= measure_from and not cpu_start:
                    cpu_start.append(time.process_time())
                response = await client.post(url, json={"query": QUERY,
                                                        "variables": {"search": SEARCHES[i % len(SEARCHES)]}})
                t1 = time.perf_counter()
                i += connections
                total += 1
                body = response.json() if response.status_code == 200 else {"errors": [response.status_code]}
                if "errors" in body:
                    failures.append(str(body["errors"])[:200])
                elif t0 >= measure_from and t1 <= end:
                    latencies.append((t1 - t0) * 1000)

        await asyncio.gather(*(worker(k) for k in range(connections)))
        client_cpu = time.process_time() - (cpu_start[0] if cpu_start else 0.0)
    return {"requests": len(latencies), "rps": len(latencies) / duration_s, "total_requests": total,
            "failures": len(failures), "failure_sample": failures[:3], "p50_ms": percentile(latencies, 50),
            "p95_ms": percentile(latencies, 95), "client_cpu_s": client_cpu, "duration_s": duration_s}


# --- servers and rounds (parent) --------------------------------------------------------------------------------------


class ServerProcess:
    """`benchmarks.apiserver` in a child process; `READY <port> <db pid>` on its stdout says it is serving."""

    def __init__(self, mode: str, offers: int, port: int, profile: Path | None = None) -> None:
        self.mode = mode
        self.port = port
        command = [sys.executable, "-m", "benchmarks.apiserver", "--mode", mode, "--offers", str(offers), "--port",
                   str(port), "--cpu", str(SERVER_CPU), "--db-cpu", str(SIDE_CPU)]
        if profile is not None:
            command += ["--profile", str(profile)]
        self.proc = subprocess.Popen(command, cwd=ROOT, env=single_threaded_env(), stdout=subprocess.PIPE, text=True)
        self.db_pid = 0

    def wait_ready(self, timeout_s: float = 180.0) -> None:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                raise RuntimeError(f"{self.mode} server exited with code {self.proc.wait()} before it was ready")
            if line.startswith("READY "):
                self.db_pid = int(line.split()[2])
                return
        raise RuntimeError(f"{self.mode} server not ready within {timeout_s:.0f} s")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    def cpu(self) -> tuple[float, float]:
        return cpu_seconds(self.proc.pid), cpu_seconds(self.db_pid) if self.db_pid else 0.0

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def measure_round(server: ServerProcess, connections: int, warmup_s: float, duration_s: float) -> dict[str, Any]:
    before = server.cpu()
    load_before = load_average()
    result = run_child("benchmarks.bench_api", ["--client", server.url, "--connections", str(connections),
                                                "--warmup", str(warmup_s), "--duration", str(duration_s)],
                       timeout_s=warmup_s + duration_s + 120)
    after = server.cpu()
    result["server_cpu_s"], result["db_cpu_s"] = after[0] - before[0], after[1] - before[1]
    result["load"] = (load_before, load_average())
    return result


def throughput(offers: int, rounds: int, connections: Sequence[int], warmup_s: float, duration_s: float,
               ) -> dict[str, Any]:
    """Alternating rounds (floor, hub, hub, floor, ...) for each connection count: neighbouring rounds see the
    same background load, so the ratio of a round pair is the measurement, and the median over pairs its value."""
    servers = {mode: ServerProcess(mode, offers, _free_port()) for mode in ("floor", "hub")}
    levels: dict[int, dict[str, list[dict[str, Any]]]] = {}
    try:
        for server in servers.values():
            server.wait_ready()
        log(f"hub and floor serving {offers:,} offers")
        for c in connections:
            runs: dict[str, list[dict[str, Any]]] = {"floor": [], "hub": []}
            for r in range(rounds):
                for mode in (("floor", "hub") if r % 2 == 0 else ("hub", "floor")):
                    result = measure_round(servers[mode], c, warmup_s, duration_s)
                    runs[mode].append(result)
                    cpu_ms = result["server_cpu_s"] / max(1, result["total_requests"]) * 1000
                    log(f"{c} connections, round {r + 1} {mode}: {result['rps']:.0f} req/s, p50 "
                        f"{result['p50_ms']:.1f} ms, server CPU {cpu_ms:.2f} ms/req, load {result['load'][0]:.1f}, "
                        f"failures {result['failures']}")
            levels[c] = runs
    finally:
        for server in servers.values():
            server.stop()
    return {"offers": offers, "connections": list(connections), "warmup_s": warmup_s, "duration_s": duration_s,
            "rounds": rounds, "levels": levels}


PACKAGES = (("strawberry", "Strawberry"), ("graphql", "graphql-core"), ("pymongo", "pymongo"),
            ("bson", "bson"), ("aiodataloader", "aiodataloader"), ("starlette", "Starlette"), ("uvicorn", "uvicorn"),
            ("h11", "h11"), ("matcher", "matcher/"), ("resolvers", "resolvers/"), ("schema", "schema/"),
            ("kommunalcampus", "kommunalcampus/"), ("asyncio", "asyncio"), ("json", "json"))


def _package_of(path: str, name: str) -> str:
    for marker, label in PACKAGES:
        if f"/{marker}/" in path or path.startswith(f"{marker}/"):
            return label
    if path == "~":  # a C function: attribute numpy and the builtins by name
        return "numpy (C)" if "numpy" in name else "builtins (C)"
    return "other Python"


def profile_servers(offers: int, connections: int, duration_s: float, folder: Path) -> dict[str, Any]:
    """One profiled round per server: own time by package and the top functions (cProfile inflates the cost,
    so these are shares, not throughput)."""
    out: dict[str, Any] = {}
    for mode in ("floor", "hub"):
        stats_file = folder / f"{mode}.prof"
        server = ServerProcess(mode, offers, _free_port(), stats_file)
        try:
            server.wait_ready()
            measure_round(server, connections, 1.0, duration_s)
        finally:
            server.stop()
        stats = pstats.Stats(str(stats_file)).stats  # type: ignore[attr-defined]
        total = sum(v[2] for v in stats.values())
        by_package: dict[str, float] = {}
        rows = []
        for (path, line, name), (_cc, ncalls, tottime, cumtime, _callers) in stats.items():
            label = _package_of(path, name)
            by_package[label] = by_package.get(label, 0.0) + tottime
            rows.append((tottime, f"{path.split('site-packages/')[-1].replace(str(ROOT) + '/', '')}:{line}({name})",
                         ncalls, cumtime))
        rows.sort(reverse=True)
        out[mode] = {"by_package": sorted(((v / total, k) for k, v in by_package.items()), reverse=True),
                     "top": [(t / total, f, c, cum) for t, f, c, cum in rows[:12]]}
    return out


# --- validation cache (child process per variant) --------------------------------------------------------------------


VARIANTS = ("shared", "per-request", "no-cache")


def timer_extension(samples: dict[str, list[float]]) -> Any:
    """An extension that times the parse and validation steps of each request into `samples` (µs); listed first,
    its hooks wrap those of the caches and of the rules."""
    from strawberry.extensions import SchemaExtension

    class StepTimer(SchemaExtension):
        def on_parse(self) -> Iterator[None]:
            started = time.perf_counter()
            yield
            samples["parse"].append((time.perf_counter() - started) * 1e6)

        def on_validate(self) -> Iterator[None]:
            started = time.perf_counter()
            yield
            samples["validate"].append((time.perf_counter() - started) * 1e6)

    return StepTimer


def variant_schema(variant: str, timer: Any) -> Any:
    """The hub's schema (`shared`), the same with limiters built per request (`per-request`), or no cache."""
    import strawberry
    from strawberry.extensions import (
        AddValidationRules,
        MaxAliasesLimiter,
        ParserCache,
        QueryDepthLimiter,
        ValidationCache,
    )
    from strawberry.schema.config import StrawberryConfig

    from schema import CACHE_SIZE, build_schema
    from schema.errors import HubErrors
    from schema.limits import Limits, LimitsExtension, cost_rule, validation_rules
    from schema.query import Query
    from schema.types import Competence, Offer, Provider

    limits = Limits()
    if variant == "shared":
        schema = build_schema(limits)
        schema.extensions = (timer, *schema.extensions)  # the exact schema the hub serves, the timer in front
        return schema
    if variant == "per-request":
        # What the limiters look like when written the obvious way: each factory call builds new rule classes.
        extensions: list[Any] = [
            timer,
            lambda: QueryDepthLimiter(max_depth=limits.max_depth),
            lambda: MaxAliasesLimiter(limits.max_aliases),
            lambda: AddValidationRules([cost_rule(limits.max_cost)]),
            lambda: LimitsExtension((), limits.max_tokens),
            lambda: ParserCache(maxsize=CACHE_SIZE),
            lambda: ValidationCache(maxsize=CACHE_SIZE),
            HubErrors,
        ]
    elif variant == "no-cache":
        rules = validation_rules(limits)
        extensions = [timer, lambda: LimitsExtension(rules, limits.max_tokens),
                      lambda: ParserCache(maxsize=CACHE_SIZE), HubErrors]
    else:
        raise ValueError(variant)
    return strawberry.federation.Schema(query=Query, types=[Offer, Provider, Competence], extensions=extensions,
                                        config=StrawberryConfig(), federation_version="2.5")


async def validation_worker(repeat: int, offers: int) -> list[dict[str, Any]]:
    """Execute the portal query `repeat` times per variant on an in-memory context, the variants interleaved
    request by request (so that all three see the same machine), and time parse, validation and execution."""
    from strawberry.extensions.validation_cache import _get_validate_cache

    from benchmarks.apiserver import memory_store
    from benchmarks.synthetic import generate
    from resolvers.context import HubContext
    from resolvers.snapshot import SnapshotHolder
    from schema import CACHE_SIZE
    from sources.taxonomy import load_taxonomy

    pin_to_cpu(SERVER_CPU)
    store = memory_store(generate(offers))
    holder = SnapshotHolder(store, list(load_taxonomy().competences))
    await holder.refresh()
    cache = _get_validate_cache(CACHE_SIZE)
    samples = {v: {"parse": [], "validate": [], "execute": [], "hits": [], "misses": []} for v in VARIANTS}
    schemas = {v: variant_schema(v, timer_extension(samples[v])) for v in VARIANTS}
    for i in range(repeat):
        for k in range(len(VARIANTS)):
            variant = VARIANTS[(i + k) % len(VARIANTS)]  # rotate the order: no variant always runs first
            context = HubContext.create(store, holder)
            before = cache.cache_info()
            started = time.perf_counter()
            result = await schemas[variant].execute(QUERY, variable_values={"search": SEARCHES[i % len(SEARCHES)]},
                                                    context_value=context)
            samples[variant]["execute"].append((time.perf_counter() - started) * 1000)
            after = cache.cache_info()
            samples[variant]["hits"].append(after.hits - before.hits)
            samples[variant]["misses"].append(after.misses - before.misses)
            if result.errors:
                raise RuntimeError(f"{variant}: {result.errors}")
    out = []
    for variant, s in samples.items():
        both = [p + v for p, v in zip(s["parse"], s["validate"], strict=True)]
        out.append({"variant": variant, "repeat": repeat, "first_us": both[0],
                    "parse_us_p50": percentile(s["parse"][1:], 50),
                    "validation_us_p50": percentile(s["validate"][1:], 50),
                    "validation_us_mean": statistics.fmean(s["validate"][1:]),
                    "parse_validate_us_p50": percentile(both[1:], 50),
                    "execute_ms_p50": percentile(s["execute"][1:], 50),
                    "cache_hits": sum(s["hits"]), "cache_misses": sum(s["misses"])})
    return out


# --- report -------------------------------------------------------------------------------------------------------


def _median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def _cpu_ms(runs: list[dict[str, Any]], key: str, per: str = "total_requests") -> float:
    return sum(r[key] for r in runs) / max(1, sum(r[per] for r in runs)) * 1000


def summarize(runs: dict[str, list[dict[str, Any]]]) -> dict[str, float]:
    """The throughput ratio three ways: median of the round pairs' ratios (the reported value), ratio of the
    medians, and the CPU-capacity ratio (floor's server CPU per request / hub's), which does not depend on how
    much of the core the machine's other load left to the worker."""
    floor, hub = runs["floor"], runs["hub"]
    pairs = [h["rps"] / f["rps"] for f, h in zip(floor, hub, strict=True) if f["rps"]]
    return {"floor_rps": _median(floor, "rps"), "hub_rps": _median(hub, "rps"),
            "pair_ratio": statistics.median(pairs) if pairs else float("nan"),
            "pair_min": min(pairs, default=float("nan")), "pair_max": max(pairs, default=float("nan")),
            "median_ratio": _median(hub, "rps") / _median(floor, "rps"),
            "floor_cpu_ms": _cpu_ms(floor, "server_cpu_s"), "hub_cpu_ms": _cpu_ms(hub, "server_cpu_s"),
            "db_cpu_ms": _cpu_ms(hub, "db_cpu_s"),
            "cpu_ratio": _cpu_ms(floor, "server_cpu_s") / _cpu_ms(hub, "server_cpu_s")}


def throughput_report(t: dict[str, Any], argv: Sequence[str]) -> str:
    main_c = DEFAULT_CONNECTIONS if DEFAULT_CONNECTIONS in t["connections"] else t["connections"][-1]
    lines = ["## API: portal search over HTTP, one uvicorn worker", "",
             f"Command: `nice -n 5 {command_line('benchmarks.bench_api', argv)}`", "", *machine_lines(), "",
             f"{t['offers']:,} synthetic offers; the query below with `$search` cycling through "
             f"{len(SEARCHES)} typical terms; keep-alive connections from an httpx client in its own process; "
             f"{t['rounds']} alternating rounds per server and connection count (floor, hub, hub, floor, …) of "
             f"{t['warmup_s']:.0f} s warm-up + {t['duration_s']:.0f} s measured. Server (one uvicorn worker, h11, "
             f"asyncio) pinned to CPU {SERVER_CPU}; SecantusDB and the client on CPU {SIDE_CPU}. The floor is the "
             "same `create_app(...)` (settings, schema, middleware, per-request context, DataLoaders, the snapshot "
             "search and facets) over an in-memory store: the cost of everything but the database.", "",
             "```graphql", QUERY, "```", ""]
    rows = []
    for c, runs in t["levels"].items():
        sm = summarize(runs)
        for name, mode in (("floor (no database)", "floor"), ("hub (embedded SecantusDB)", "hub")):
            r = runs[mode]
            rows.append([c, name, f"{_median(r, 'rps'):.0f}", " / ".join(f"{x['rps']:.0f}" for x in r),
                         f"{_median(r, 'p50_ms'):.1f}", f"{_median(r, 'p95_ms'):.1f}",
                         f"{_cpu_ms(r, 'server_cpu_s'):.2f}", f"{_cpu_ms(r, 'db_cpu_s'):.2f}" if mode == "hub" else "–",
                         f"{_cpu_ms(r, 'client_cpu_s', 'requests'):.2f}",
                         " / ".join(f"{x['load'][0]:.1f}" for x in r), sum(x["failures"] for x in r)])
        rows.append([c, "**hub / floor**", f"**{sm['pair_ratio']:.0%}**",
                     f"pairs {sm['pair_min']:.0%}–{sm['pair_max']:.0%}", "", "", f"CPU {sm['cpu_ratio']:.0%}", "",
                     "", "", ""])
    lines += [table(["connections", "server", "req/s (median)", "req/s per round", "p50 ms", "p95 ms",
                     "server CPU ms/req", "database CPU ms/req", "client CPU ms/req", "load avg per round",
                     "failed"], rows), ""]
    sm = summarize(t["levels"][main_c])
    met = sm["pair_ratio"] >= GOAL_RATIO
    lines += [f"**hub / floor at {main_c} connections = {sm['pair_ratio']:.0%}** (median of the round pairs; "
              f"ratio of the medians {sm['median_ratio']:.0%}; CPU-capacity ratio {sm['cpu_ratio']:.0%}) — goal ≥ "
              f"{GOAL_RATIO:.0%}: {'met ✅' if met else 'missed ❌'}.", ""]
    for mode, prof in (t.get("profile") or {}).items():
        lines += [f"Where the {mode} server's CPU goes (cProfile with a CPU-time clock, own time, one extra round "
                  f"at {main_c} connections; shares only, the profiler inflates the cost):", "",
                  ", ".join(f"{label} {share:.0%}" for share, label in prof["by_package"] if share >= 0.01), "",
                  table(["function", "calls", "own share", "cumulative s"],
                        [[f"`{f}`", c, f"{share:.1%}", f"{cum:.2f}"] for share, f, c, cum in prof["top"]]), ""]
    return "\n".join(lines)


def validation_report(results: list[dict[str, Any]], repeat: int, argv: Sequence[str]) -> str:
    names = {"shared": "hub schema: rules built once (`schema.build_schema`)",
             "per-request": "limiters constructed per request + `ValidationCache`",
             "no-cache": "no `ValidationCache` (rules built once)"}
    rows = [[names[r["variant"]], f"{r['parse_us_p50']:.0f}", f"{r['validation_us_p50']:.0f}",
             f"{r['validation_us_mean']:.0f}", f"{r['parse_validate_us_p50']:.0f}", f"{r['first_us']:.0f}",
             f"{r['execute_ms_p50']:.2f}", f"{r['cache_hits']} / {r['cache_misses']}"] for r in results]
    by = {r["variant"]: r for r in results}
    lines = ["## Validation cache: parse + validation per request", "",
             f"Command: `nice -n 5 {command_line('benchmarks.bench_api', argv)}`", "", *machine_lines(), "",
             f"The portal query above executed {repeat} times per variant through `schema.execute` (in-memory "
             "context, one process pinned to one CPU, the three schemas interleaved request by request); an "
             "extension listed first times the parse step (behind `ParserCache`) and the validation step "
             "(`ValidationCache` lookup + rules) of each request. The first request of each variant (cold caches) "
             "is shown apart.", "",
             table(["schema", "parse µs p50", "validation µs p50", "validation µs mean", "parse + validation µs p50",
                    "first request parse + validation µs", "execute ms p50 (whole request)",
                    "validation cache hits / misses"], rows), ""]
    if "shared" in by and "per-request" in by:
        shared, per = by["shared"], by["per-request"]
        share = (per["parse_validate_us_p50"] - shared["parse_validate_us_p50"]) / 1000 / per["execute_ms_p50"]
        lines.append(f"Constructing the limiters per request makes every validation a cache miss: parse + validation "
                     f"{per['parse_validate_us_p50']:.0f} µs instead of {shared['parse_validate_us_p50']:.0f} µs per "
                     f"request ({per['parse_validate_us_p50'] / shared['parse_validate_us_p50']:.0f}×); the "
                     f"difference is {share:.0%} "
                     "of such a request's execution time.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1k offers, one short round, 200 executions")
    parser.add_argument("--offers", type=int, help="catalogue size (default 5000)")
    parser.add_argument("--rounds", type=int, help="rounds per server and connection count (default 6)")
    parser.add_argument("--duration", type=float, help="measured seconds per round (default 6)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds per round (default 1.5)")
    parser.add_argument("--connections", type=lambda s: [int(x) for x in s.split(",")],
                        help=f"comma-separated connection counts (default 4,{DEFAULT_CONNECTIONS},16; the goal is "
                             f"judged at {DEFAULT_CONNECTIONS})")
    parser.add_argument("--repeat", type=int, help="executions per validation variant (default 1000)")
    parser.add_argument("--only", choices=("throughput", "validation"), help="run one part only")
    parser.add_argument("--no-profile", action="store_true", help="skip the profiled round of each server")
    parser.add_argument("--no-write", action="store_true", help="do not update RESULTS_api.md")
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--validation-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    quick = args.quick
    offers = args.offers or (1_000 if quick else 5_000)
    connections = args.connections or ([DEFAULT_CONNECTIONS] if quick else [4, DEFAULT_CONNECTIONS, 16])
    if args.client:
        pin_to_cpu(SIDE_CPU)
        emit_result(asyncio.run(load(args.client, connections[0], args.warmup, args.duration)))
        return
    if args.validation_worker:
        emit_result({"variants": asyncio.run(validation_worker(args.repeat, offers))})
        return
    if args.only != "validation":
        # Short rounds, many of them: the machine's other load drifts, and a floor/hub pair close in time sees
        # the same load, which the ratio then cancels.
        t = throughput(offers, args.rounds or (1 if quick else 6), connections,
                       args.warmup if args.warmup is not None else (1.0 if quick else 1.5),
                       args.duration or (3.0 if quick else 6.0))
        if not args.no_profile:
            with tempfile.TemporaryDirectory(prefix="kc-bench-prof-") as folder:
                log("profiling both servers (one round each, cProfile)")
                main_c = DEFAULT_CONNECTIONS if DEFAULT_CONNECTIONS in connections else connections[-1]
                t["profile"] = profile_servers(offers, main_c, 5.0 if quick else 10.0, Path(folder))
        text = throughput_report(t, argv)
        print(text)
        if not args.no_write:
            write_section("api", text)
    if args.only != "throughput":
        repeat = args.repeat or (200 if quick else 1_000)
        log(f"validation cache: {', '.join(VARIANTS)}, {repeat} executions each, interleaved")
        results = run_child("benchmarks.bench_api", ["--validation-worker", "--repeat", str(repeat), "--offers",
                                                     str(offers)])["variants"]
        text = validation_report(results, repeat, argv)
        print(text)
        if not args.no_write:
            write_section("validation", text)
    if not args.no_write:
        log(f"results written to {ROOT / 'benchmarks' / 'RESULTS_api.md'}")


if __name__ == "__main__":
    main()
