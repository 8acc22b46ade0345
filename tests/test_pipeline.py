"""Ingest semantics against the real database: quarantine, no-op re-ingest, retirement, all-or-nothing."""

from __future__ import annotations

import json
from pathlib import Path

from pymongo import monitoring

from sources.base import SourceConfig
from sources.fetch import Fetcher, FetchPolicy
from sources.moochub import MoochubAdapter
from sources.pipeline import RunReport, ingest
from sources.store import Store
from tests.conftest import FeedServer
from tests.feeds import course, page, write_feed

PROVIDER = "egov-campus"


async def run(store: Store, location: str | Path, retries: int = 0) -> RunReport:
    async with Fetcher(FetchPolicy(retries=retries, backoff_s=0.01)) as fetcher:
        adapter = MoochubAdapter(SourceConfig(provider=PROVIDER, provider_name="eGov-Campus"), fetcher)
        return await ingest(store, adapter, str(location))


def offer_pages(n_pages: int, per_page: int = 3) -> list[list[dict]]:
    return [[course(f"c{p}-{i}", name=f"Kurs {p}.{i}") for i in range(per_page)] for p in range(n_pages)]


async def test_invalid_records_go_to_quarantine_and_the_rest_land(store: Store, tmp_path: Path) -> None:
    bad_currency = course("bad-1", offer=[{"price": 10.0, "priceCurrency": "USD", "paymentFrequency": "one-time",
                                           "category": "course"}])
    no_title = course("bad-2", name="")
    duplicate = course("ok-1", name="Zweimal")
    feed = write_feed(tmp_path, [[course("ok-1"), bad_currency, course("ok-2")], [no_title, duplicate]])

    report = await run(store, feed)

    assert report.ok, report.error
    assert (report.received, report.landed, report.quarantined) == (5, 2, 3)
    assert report.received == report.landed + report.quarantined
    assert await store.offers.count_documents({}) == 2
    quarantined = {q["externalId"]: q async for q in store.quarantine.find({})}
    assert set(quarantined) == {"bad-1", "bad-2", "ok-1"}
    assert any("USD" in r for r in quarantined["bad-1"]["reasons"])
    assert quarantined["bad-1"]["raw"]["attributes"]["offer"][0]["priceCurrency"] == "USD"
    assert any("title" in r for r in quarantined["bad-2"]["reasons"])
    assert any("duplicate" in r for r in quarantined["ok-1"]["reasons"])
    run_doc = await store.ingest_runs.find_one({"_id": report.run_id})
    assert run_doc["status"] == "SUCCEEDED"
    assert (run_doc["received"], run_doc["landed"], run_doc["quarantined"]) == (5, 2, 3)


class _WriteCounter(monitoring.CommandListener):
    def __init__(self) -> None:
        self.writes: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in {"insert", "update", "delete", "findAndModify"}:
            self.writes.append(f"{event.command_name}:{event.command.get(event.command_name)}")

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def test_unchanged_feed_writes_no_offer_only_a_run_entry(store: Store, tmp_path: Path,
                                                               mongo_uri: str) -> None:
    from pymongo import AsyncMongoClient

    feed = write_feed(tmp_path, offer_pages(2))
    first = await run(store, feed)
    assert first.inserted == 6
    before = {d["_id"]: d async for d in store.offers.find({})}

    counter = _WriteCounter()
    client: AsyncMongoClient = AsyncMongoClient(mongo_uri, tz_aware=True, event_listeners=[counter])
    try:
        second = await run(Store(client[store.db.name]), feed)
    finally:
        await client.close()

    assert second.ok
    assert (second.unchanged, second.inserted, second.updated, second.retired) == (6, 0, 0, 0)
    assert not [w for w in counter.writes if w.endswith(":offers")], counter.writes
    assert any(w.endswith(":ingest_runs") for w in counter.writes)
    assert {d["_id"]: d async for d in store.offers.find({})} == before
    assert await store.ingest_runs.count_documents({}) == 2


async def test_changed_offer_is_updated_with_history(store: Store, tmp_path: Path) -> None:
    await run(store, write_feed(tmp_path / "a", [[course("x", name="Alt")]]))
    report = await run(store, write_feed(tmp_path / "b", [[course("x", name="Neu")]]))
    assert (report.updated, report.unchanged) == (1, 0)
    doc = await store.offers.find_one({"_id": f"{PROVIDER}:x"})
    assert doc["title"] == "Neu"
    assert [h["event"] for h in doc["history"]] == ["CREATED", "UPDATED"]


async def test_offer_missing_from_a_complete_feed_is_retired_not_deleted(store: Store, tmp_path: Path) -> None:
    await run(store, write_feed(tmp_path / "a", [[course("keep"), course("gone")]]))
    report = await run(store, write_feed(tmp_path / "b", [[course("keep")]]))

    assert report.retired == 1
    gone = await store.offers.find_one({"_id": f"{PROVIDER}:gone"})
    assert gone is not None
    assert gone["status"] == "RETIRED"
    assert [h["event"] for h in gone["history"]] == ["CREATED", "RETIRED"]
    assert (await store.offers.find_one({"_id": f"{PROVIDER}:keep"}))["status"] == "ACTIVE"

    back = await run(store, write_feed(tmp_path / "c", [[course("keep"), course("gone")]]))
    assert back.reactivated == 1
    assert (await store.offers.find_one({"_id": f"{PROVIDER}:gone"}))["status"] == "ACTIVE"


async def test_http_error_on_page_three_changes_no_offer_and_retires_nothing(
        store: Store, feed_server: FeedServer) -> None:
    pages = offer_pages(3)
    for i, courses in enumerate(pages, start=1):
        feed_server.routes[f"/courses-{i}.json"] = (200, json.dumps(
            page(courses, f"courses-{i + 1}.json" if i < 3 else None)).encode())
    good = await run(store, feed_server.url("courses-1.json"))
    assert good.ok and good.inserted == 9
    before = {d["_id"]: d async for d in store.offers.find({})}
    version = await store.catalog_version()

    changed = [[course(f"c{p}-{i}", name=f"Geändert {p}.{i}") for i in range(2)] for p in range(2)]
    feed_server.routes["/courses-1.json"] = (200, json.dumps(page(changed[0], "courses-2.json")).encode())
    feed_server.routes["/courses-2.json"] = (200, json.dumps(page(changed[1], "courses-3.json")).encode())
    feed_server.routes["/courses-3.json"] = (503, b"maintenance")
    failed = await run(store, feed_server.url("courses-1.json"), retries=1)

    assert not failed.ok
    assert "HTTP 503" in (failed.error or "") and "courses-3.json" in (failed.error or "")
    assert failed.retired == 0 and failed.updated == 0
    assert {d["_id"]: d async for d in store.offers.find({})} == before
    assert await store.catalog_version() == version
    run_doc = await store.ingest_runs.find_one({"_id": failed.run_id})
    assert run_doc["status"] == "FAILED" and "503" in run_doc["error"]
    paths = [p for p, _ in feed_server.requests]
    assert paths.count("/courses-3.json") == 3  # the good run once, the failing run twice (one retry)
    accept = feed_server.requests[0][1].get("Accept") or feed_server.requests[0][1].get("accept")
    assert accept == "application/vnd.api+json; moochub-version=3"


async def test_unparseable_page_fails_the_run_without_changes(store: Store, tmp_path: Path) -> None:
    feed = write_feed(tmp_path, offer_pages(2))
    await run(store, feed)
    before = {d["_id"]: d async for d in store.offers.find({})}
    (tmp_path / "courses-2.json").write_text("{ not json", encoding="utf-8")
    (tmp_path / "courses-1.json").write_text(json.dumps(page([course("new-one")], "courses-2.json")))

    report = await run(store, feed)

    assert report.status == "FAILED"
    assert "page 2" in (report.error or "") and "not valid JSON" in (report.error or "")
    assert {d["_id"]: d async for d in store.offers.find({})} == before


async def test_successful_ingest_bumps_the_catalog_version_and_records_the_provider(
        store: Store, tmp_path: Path) -> None:
    version = await store.catalog_version()
    await run(store, write_feed(tmp_path, offer_pages(1)))
    assert await store.catalog_version() == version + 1
    provider = await store.providers.find_one({"_id": PROVIDER})
    assert provider["name"] == "eGov-Campus" and provider["adapter"] == "moochub"


async def test_unchanged_pages_are_not_downloaded_again(store: Store, feed_server: FeedServer,
                                                        tmp_path: Path) -> None:
    for i, courses in enumerate(offer_pages(2), start=1):
        feed_server.routes[f"/p{i}.json"] = (200, json.dumps(page(courses, "p2.json" if i == 1 else None)).encode())
        feed_server.extra_headers[f"/p{i}.json"] = {"ETag": f'"v1-{i}"'}
    policy = FetchPolicy(retries=0, cache_dir=tmp_path / "cache")

    async def fetch_run() -> tuple[RunReport, Fetcher]:
        async with Fetcher(policy) as fetcher:
            adapter = MoochubAdapter(SourceConfig(provider=PROVIDER), fetcher)
            return await ingest(store, adapter, feed_server.url("p1.json")), fetcher

    first, f1 = await fetch_run()
    second, f2 = await fetch_run()
    assert (f1.downloads, f1.not_modified) == (2, 0)
    assert (f2.downloads, f2.not_modified) == (0, 2)
    assert feed_server.requests[-1][1].get("If-None-Match") == '"v1-2"'
    assert first.inserted == 6 and second.ok and second.unchanged == 6

    feed_server.extra_headers["/p2.json"] = {"ETag": '"v2-2"'}  # page 2 changed on the server
    third, f3 = await fetch_run()
    assert (f3.downloads, f3.not_modified) == (1, 1)
    assert third.ok


async def test_a_retried_insert_that_meets_its_own_documents_is_not_an_error(store: Store) -> None:
    from pymongo import InsertOne
    from pymongo.errors import BulkWriteError

    from sources.pipeline import _bulk_write

    mine = {"_id": "p:1", "provider": "p", "source": {"runId": "run-a"}}
    theirs = {"_id": "p:2", "provider": "p", "source": {"runId": "run-b"}}
    await store.offers.insert_many([mine, theirs])

    await _bulk_write(store, [InsertOne(dict(mine)), InsertOne({"_id": "p:3", "source": {"runId": "run-a"}})],
                      "run-a")
    assert await store.offers.count_documents({"source.runId": "run-a"}) == 2

    try:
        await _bulk_write(store, [InsertOne(dict(theirs))], "run-a")
    except BulkWriteError:
        pass
    else:  # pragma: no cover - another run's document is a real conflict
        raise AssertionError("a duplicate of another run's offer was accepted")
