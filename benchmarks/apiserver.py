"""The two servers `bench_api` loads: the real hub over the embedded database, and its no-database floor.

Both are `kommunalcampus.app.create_app(...)` on one uvicorn worker with the same settings, schema, middleware
and per-request context; they differ only in the store. The hub gets a `Store` over SecantusDB (started with
`EmbeddedDatabase`, filled with synthetic offers), the floor a `Store` over `MemoryDatabase`, which answers the
handful of collection calls the app makes from dicts in this process. So the floor is the cost of everything
but the database, and hub / floor is the share of throughput the database round trips leave.

Each server runs as a child process pinned to one CPU (the embedded database on another), prints
`READY <port> <database pid or 0>` when it accepts requests, and stops on SIGTERM:

    .venv/bin/python -m benchmarks.apiserver --mode hub --offers 5000 --cpu 0 --db-cpu 1
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Any, cast

import uvicorn
from pymongo import AsyncMongoClient

from benchmarks.common import pin_to_cpu
from benchmarks.synthetic import PROVIDERS, STORED_AT, generate
from kommunalcampus.app import create_app
from kommunalcampus.cli import HubServer
from kommunalcampus.embedded import EmbeddedDatabase
from kommunalcampus.settings import Settings
from sources.store import CATALOG_META_ID, Store
from sources.taxonomy import load_taxonomy

Document = dict[str, Any]


def provider_documents() -> list[Document]:
    """What a successful ingest leaves in `providers`, so facet labels and `provider { name }` resolve."""
    return [{"_id": p.id, "name": p.name, "adapter": "synthetic", "location": "benchmarks.synthetic",
             "lastIngestAt": STORED_AT} for p in PROVIDERS]


# --- the floor's in-memory database ---------------------------------------------------------------------------------


def _matches(doc: Mapping[str, Any], flt: Mapping[str, Any]) -> bool:
    for name, cond in flt.items():
        value = doc.get(name)
        if isinstance(cond, Mapping):
            if set(cond) != {"$in"}:
                raise NotImplementedError(f"MemoryCollection supports equality and $in only, not {cond}")
            if value not in cond["$in"]:
                return False
        elif value != cond:
            return False
    return True


def _project(doc: Document, projection: Mapping[str, int] | None) -> Document:
    if not projection:
        return doc
    if all(v == 0 for v in projection.values()):
        if not any(k in doc for k in projection):
            return doc  # nothing to drop: hand out the stored dict, as cheap as a database-free floor can be
        return {k: v for k, v in doc.items() if k not in projection}
    return {k: v for k, v in doc.items() if k == "_id" or projection.get(k)}


class MemoryCursor:
    """The part of an async cursor the app uses: `async for`, `to_list`, `sort`, `limit`."""

    def __init__(self, docs: list[Document]) -> None:
        self.docs = docs

    def sort(self, key: Any, direction: int = 1) -> MemoryCursor:
        keys = [(key, direction)] if isinstance(key, str) else list(key)
        for name, way in reversed(keys):
            self.docs.sort(key=lambda d, n=name: (d.get(n) is None, d.get(n)), reverse=way < 0)
        return self

    def limit(self, count: int) -> MemoryCursor:
        self.docs = self.docs[:count] if count else self.docs
        return self

    async def to_list(self, length: int | None = None) -> list[Document]:
        return self.docs if length is None else self.docs[:length]

    def __aiter__(self) -> AsyncIterator[Document]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Document]:
        for doc in self.docs:
            yield doc


class MemoryCollection:
    """Documents by `_id` in a dict; `find` by `_id` list is a dict lookup per id, anything else a scan."""

    def __init__(self, docs: list[Document] | None = None) -> None:
        self.by_id: dict[Any, Document] = {d["_id"]: d for d in docs or []}

    def find(self, flt: Mapping[str, Any] | None = None, projection: Mapping[str, int] | None = None,
             ) -> MemoryCursor:
        flt = flt or {}
        ids = flt.get("_id")
        if isinstance(ids, Mapping) and set(ids) == {"$in"} and len(flt) == 1:
            found = [self.by_id[i] for i in dict.fromkeys(ids["$in"]) if i in self.by_id]
        else:
            found = [d for d in self.by_id.values() if _matches(d, flt)]
        return MemoryCursor([_project(d, projection) for d in found])

    async def find_one(self, flt: Mapping[str, Any], projection: Mapping[str, int] | None = None,
                       ) -> Document | None:
        docs = await self.find(flt, projection).to_list(1)
        return docs[0] if docs else None

    async def aggregate(self, pipeline: list[Mapping[str, Any]]) -> MemoryCursor:
        """Only the provider offer count (`$match` + `$group` with `$sum: 1`), which `Provider.offerCount` uses."""
        match, group = pipeline[0]["$match"], pipeline[1]["$group"]
        counts: dict[Any, int] = {}
        for doc in self.by_id.values():
            if _matches(doc, match):
                key = doc.get(str(group["_id"]).lstrip("$"))
                counts[key] = counts.get(key, 0) + 1
        return MemoryCursor([{"_id": k, "n": v} for k, v in counts.items()])


class MemoryDatabase:
    """Collections by name, created on first use; `command("ping")` answers like a server would."""

    def __init__(self, collections: Mapping[str, list[Document]]) -> None:
        self.collections = {name: MemoryCollection(docs) for name, docs in collections.items()}

    def __getitem__(self, name: str) -> MemoryCollection:
        return self.collections.setdefault(name, MemoryCollection())

    async def command(self, name: str, *args: Any, **kwargs: Any) -> Document:
        if name != "ping":
            raise NotImplementedError(f"MemoryDatabase answers `ping` only, not {name!r}")
        return {"ok": 1.0}


def memory_store(docs: list[Document]) -> Store:
    competences = [c.to_document() for c in load_taxonomy().competences.values()]
    db = MemoryDatabase({"offers": docs, "providers": provider_documents(), "competences": competences,
                         "meta": [{"_id": CATALOG_META_ID, "version": 1}]})
    return Store(cast(Any, db))


# --- serving ----------------------------------------------------------------------------------------------------------


async def _serve(store: Store, data_dir: Path, port: int, db_pid: int, profiler: cProfile.Profile | None) -> None:
    settings = Settings.from_env({"KC_DATA_DIR": str(data_dir)})
    app = create_app(settings, store)
    server = HubServer(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on",
                                    access_log=False))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            raise RuntimeError("uvicorn stopped before it started")
        await asyncio.sleep(0.02)
    if profiler is not None:
        profiler.enable()  # serving only: not the start-up, not the data loading
    print(f"READY {port} {db_pid}", flush=True)
    try:
        await task
    finally:
        if profiler is not None:
            profiler.disable()


async def serve_hub(offers: int, port: int, cpu: int | None, db_cpu: int | None, data_dir: Path,
                    profiler: cProfile.Profile | None = None) -> None:
    """The hub over a fresh embedded database holding `offers` synthetic offers (inserted via the `Store`)."""
    pin_to_cpu(db_cpu)  # the database process inherits this affinity (all its threads), then we move on
    db = EmbeddedDatabase(data_dir)
    await db.start()
    pin_to_cpu(cpu)
    assert db.process is not None
    client: AsyncMongoClient = AsyncMongoClient(db.uri, serverSelectionTimeoutMS=5000, tz_aware=True,
                                                appname="kommunalcampus-bench")
    try:
        store = Store(client["kommunalcampus"])
        await store.ensure_ready(load_taxonomy())
        docs = generate(offers)
        for i in range(0, len(docs), 1000):
            await store.offers.insert_many(docs[i:i + 1000], ordered=False)
        for doc in provider_documents():
            await store.upsert_provider(doc.pop("_id"), doc)
        await store.bump_catalog_version()
        del docs
        await _serve(store, data_dir, port, db.process.pid, profiler)
    finally:
        await client.close()
        db.stop()


async def serve_floor(offers: int, port: int, cpu: int | None, data_dir: Path,
                      profiler: cProfile.Profile | None = None) -> None:
    pin_to_cpu(cpu)
    await _serve(memory_store(generate(offers)), data_dir, port, 0, profiler)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=("hub", "floor"), required=True)
    parser.add_argument("--offers", type=int, default=5_000)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--cpu", type=int, default=0)
    parser.add_argument("--db-cpu", type=int, default=1)
    parser.add_argument("--profile", type=Path, help="cProfile the server while it serves; stats to this file")
    args = parser.parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix=f"kc-bench-{args.mode}-"))
    # CPU time, not wall time: on a shared machine a wall clock charges preemption to whatever call was running.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    try:
        if args.mode == "hub":
            asyncio.run(serve_hub(args.offers, args.port, args.cpu, args.db_cpu, data_dir, profiler))
        else:
            asyncio.run(serve_floor(args.offers, args.port, args.cpu, data_dir, profiler))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if profiler is not None:
            profiler.dump_stats(args.profile)


if __name__ == "__main__":
    main()
