"""One ingest per provider at a time; different providers side by side; an abandoned lock expires."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

from sources.base import SourceConfig
from sources.fetch import Fetcher
from sources.locks import IngestLock
from sources.moochub import MoochubAdapter
from sources.pipeline import RunReport, ingest
from sources.store import Store, utcnow
from tests.conftest import FeedServer
from tests.feeds import course, page, write_feed


async def run(store: Store, provider: str, location: str) -> RunReport:
    async with Fetcher() as fetcher:
        return await ingest(store, MoochubAdapter(SourceConfig(provider), fetcher), location)


async def test_second_ingest_of_the_same_provider_is_refused_while_others_run(
        store: Store, feed_server: FeedServer, tmp_path: Path) -> None:
    feed_server.routes["/slow.json"] = (200, json.dumps(page([course("a")])).encode())
    feed_server.delays["/slow.json"] = 1.5
    other_feed = str(write_feed(tmp_path, [[course("b")]]))

    first = asyncio.create_task(run(store, "dhbw", feed_server.url("slow.json")))
    await asyncio.sleep(0.5)  # the first run holds the lock while its page downloads
    second, other = await asyncio.gather(run(store, "dhbw", other_feed), run(store, "hfpv", other_feed))
    first_report = await first

    assert first_report.status == "SUCCEEDED"
    assert second.status == "REFUSED" and "another ingest of dhbw is running" in (second.error or "")
    assert other.status == "SUCCEEDED"
    assert (await store.ingest_runs.find_one({"_id": second.run_id}))["status"] == "REFUSED"
    assert await store.locks.count_documents({}) == 0  # released by both finished runs
    assert (await run(store, "dhbw", other_feed)).status == "SUCCEEDED"


async def test_an_expired_lease_is_taken_over(store: Store, tmp_path: Path) -> None:
    crashed = IngestLock(store, "speyer", "crashed-run", lease=timedelta(seconds=-1))
    await crashed.acquire()
    report = await run(store, "speyer", str(write_feed(tmp_path, [[course("c")]])))
    assert report.status == "SUCCEEDED"

    alive = IngestLock(store, "speyer", "live-run")
    await alive.acquire()
    refused = await run(store, "speyer", str(write_feed(tmp_path / "2", [[course("d")]])))
    assert refused.status == "REFUSED"
    holder = await store.locks.find_one({"_id": "ingest:speyer"})
    assert holder["owner"] == "live-run" and holder["expiresAt"] > utcnow()
