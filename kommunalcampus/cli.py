"""The `kommunalcampus` command: serve, ingest, sources, schema.

Exit status: 0 success, 1 an ingest failed, 2 wrong usage, 3 the database could not be started or reached.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import uvicorn
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from kommunalcampus.db import open_store
from kommunalcampus.embedded import DatabaseStartError
from kommunalcampus.settings import Settings, SettingsError
from sources.base import SourceConfig
from sources.demo import DEMO_FEEDS
from sources.fetch import Fetcher, FetchPolicy
from sources.pipeline import RunReport, ingest
from sources.registry import UnknownAdapter, adapter_class, available, plugins
from sources.store import Store

EXIT_INGEST_FAILED = 1
EXIT_USAGE = 2
EXIT_DATABASE = 3

# Not a terminal (CI logs, pipes): rich would assume 80 columns and truncate the summary table.
err = Console(stderr=True, width=None if sys.stderr.isatty() else 160)
out = Console(width=None if sys.stdout.isatty() else 160)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kommunalcampus",
        description="KommunalCampus hub: continuing-education offers of partner providers behind one GraphQL API.",
        epilog="Settings come from the environment: MONGODB_URI (unset: start the embedded database), "
               "KC_DB_NAME (default kommunalcampus), KC_DATA_DIR (default ./.kc-data).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="start the GraphQL API", description="Start the hub's HTTP server "
                           "(GraphQL at /graphql, GraphiQL in the browser, /health/live, /health/ready).")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    serve.add_argument("--demo", action="store_true", help="ingest the bundled demo feeds before serving")

    ing = sub.add_parser("ingest", help="ingest a provider feed", description="Read a feed (file or http(s) URL) "
                         "through an adapter into the store; prints progress and a summary table.")
    ing.add_argument("adapter", nargs="?", metavar="ADAPTER", help="adapter name (see `kommunalcampus sources`)")
    ing.add_argument("location", nargs="?", metavar="LOCATION", help="feed file path or http(s) URL")
    ing.add_argument("--provider", metavar="ID", help="provider id, e.g. egov-campus (lower-case, digits, '-')")
    ing.add_argument("--provider-name", metavar="NAME", help="display name of the provider")
    ing.add_argument("--demo", action="store_true", help="ingest the bundled demo feeds instead")

    sub.add_parser("sources", help="list the available adapters", description="List the adapters, built-in and "
                   "installed through the `kommunalcampus.sources` entry point group.")
    sub.add_parser("schema", help="print the GraphQL schema (SDL)", description="Print the schema in SDL.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = Settings.from_env()
        if args.command == "serve":
            return asyncio.run(_serve(settings, args.host, args.port, args.demo))
        if args.command == "ingest":
            if args.demo:
                if args.adapter or args.location:
                    parser.error("ingest --demo takes no ADAPTER or LOCATION")
                return asyncio.run(_ingest_demo(settings))
            if not args.adapter or not args.location:
                parser.error("ingest needs ADAPTER and LOCATION (or --demo)")
            cls = adapter_class(args.adapter)  # fail fast with the list of known adapters
            provider = args.provider or getattr(cls, "default_provider", None)
            if not provider:
                parser.error(f"ingest {args.adapter} needs --provider ID")
            name = args.provider_name or (None if args.provider else getattr(cls, "default_provider_name", None))
            return asyncio.run(_ingest_one(settings, args.adapter, args.location, provider, name))
        if args.command == "sources":
            return _sources()
        if args.command == "schema":
            from schema import sdl

            sys.stdout.write(sdl())  # verbatim: rich would wrap long description lines
            return 0
    except SettingsError as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return EXIT_USAGE
    except UnknownAdapter as exc:
        err.print(f"[red]error:[/] {exc}", highlight=False, soft_wrap=True)
        return EXIT_USAGE
    except DatabaseStartError as exc:
        err.print(f"[red]error:[/] database: {exc}", highlight=False, soft_wrap=True)
        return EXIT_DATABASE
    except KeyboardInterrupt:
        return 130
    parser.error(f"unknown command {args.command}")  # pragma: no cover
    return EXIT_USAGE  # pragma: no cover


def _sources() -> int:
    table = Table(title="Adapters", title_justify="left")
    table.add_column("name")
    table.add_column("description")
    for name, cls in sorted(available().items()):
        table.add_row(name, getattr(cls, "description", ""))
    out.print(table)
    for name, reason in plugins()[1].items():
        err.print(f"[yellow]warning:[/] plug-in adapter {name} cannot be loaded: {reason}", highlight=False)
    return 0


async def _run_ingest(store: Store, adapter_name: str, location: str, provider: str,
                      provider_name: str | None, cache_dir: Path | None = None) -> RunReport:
    config = SourceConfig(provider=provider, provider_name=provider_name)
    with _progress(f"{provider} ← {adapter_name}") as update:
        async with Fetcher(FetchPolicy(cache_dir=cache_dir)) as fetcher:
            adapter = adapter_class(adapter_name)(config, fetcher)
            return await ingest(store, adapter, location, progress=update)


@contextlib.contextmanager
def _progress(label: str) -> Iterator[object]:
    with Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), TextColumn("{task.fields[status]}"),
                  TimeElapsedColumn(), console=err, transient=False) as progress:
        task = progress.add_task(label, total=None, status="starting")

        def update(report: RunReport) -> None:
            progress.update(task, status=f"page {report.pages} · {report.received} records "
                                         f"({report.landed} landed, {report.quarantined} quarantined)")

        yield update


def _summary(reports: list[RunReport]) -> None:
    table = Table(title="Ingest summary", title_justify="left")
    for column in ("provider", "status", "pages", "received", "landed", "quarantined", "new", "updated",
                   "unchanged", "retired", "ms"):
        table.add_column(column, justify="left" if column in {"provider", "status"} else "right")
    for r in reports:
        status = "[green]ok[/]" if r.ok else f"[red]{r.status}[/]"
        table.add_row(r.provider, status, str(r.pages), str(r.received), str(r.landed), str(r.quarantined),
                      str(r.inserted + r.reactivated), str(r.updated), str(r.unchanged), str(r.retired),
                      f"{r.duration_ms:.0f}")
    out.print(table)
    for r in reports:
        if r.error:
            err.print(f"[red]error:[/] {r.provider}: {r.error}", highlight=False, soft_wrap=True)
        for reason in r.quarantine_reasons[:10]:
            err.print(f"[yellow]quarantined[/] {r.provider}: {reason}", highlight=False, soft_wrap=True)
        if len(r.quarantine_reasons) > 10:
            err.print(f"[yellow]…[/] {len(r.quarantine_reasons) - 10} more reasons in the quarantine collection")


async def _ingest_one(settings: Settings, adapter: str, location: str, provider: str,
                      provider_name: str | None) -> int:
    async with open_store(settings) as store:
        report = await _run_ingest(store, adapter, location, provider, provider_name,
                                   settings.data_dir / "feed-cache")
    _summary([report])
    return 0 if report.ok else EXIT_INGEST_FAILED


async def _demo(store: Store) -> list[RunReport]:
    reports = []
    for feed in DEMO_FEEDS:
        reports.append(await _run_ingest(store, feed.adapter, feed.location, feed.provider, feed.provider_name))
    _summary(reports)
    return reports


async def _ingest_demo(settings: Settings) -> int:
    async with open_store(settings) as store:
        reports = await _demo(store)
    return 0 if all(r.ok for r in reports) else EXIT_INGEST_FAILED


class HubServer(uvicorn.Server):
    """uvicorn re-raises a caught SIGTERM/SIGINT once it has shut down, which would end the hub before it
    stops its embedded database; the hub returns normally instead and cleans up on the way out."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        original = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


async def _serve(settings: Settings, host: str, port: int, demo: bool) -> int:
    from kommunalcampus.app import create_app

    main_task = asyncio.current_task()
    loop = asyncio.get_running_loop()
    if main_task is not None:  # SIGTERM before the server runs (e.g. during the demo ingest): clean exit too
        loop.add_signal_handler(signal.SIGTERM, main_task.cancel)
    try:
        async with open_store(settings) as store:
            if demo:
                reports = await _demo(store)
                if not all(r.ok for r in reports):
                    err.print("[yellow]warning:[/] some demo feeds failed; serving what landed")
            app = create_app(settings, store)
            config = uvicorn.Config(app, host=host, port=port, log_level="info", lifespan="on",
                                    timeout_graceful_shutdown=10, access_log=False)  # see accesslog.py
            server = HubServer(config)
            loop.remove_signal_handler(signal.SIGTERM)  # from here on uvicorn shuts down gracefully
            err.print(f"KommunalCampus hub: GraphQL at http://{host}:{port}/graphql", highlight=False)
            await server.serve()
            if not server.started:
                err.print(f"[red]error:[/] could not listen on {host}:{port} (in use, or not allowed)")
                return EXIT_USAGE
    except asyncio.CancelledError:
        return 143
    return 0


if __name__ == "__main__":
    sys.exit(main())
