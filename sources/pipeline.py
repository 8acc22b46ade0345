"""The ingest pipeline: one adapter run, all or nothing for the offers.

Phase 1 reads the whole feed page by page, maps and validates each record, sends failures to the quarantine
and spools valid offers to a temporary file (BSON), so memory holds one page plus the set of ids seen (needed
to find duplicates and retirements). If any page fails, the run is marked FAILED and no offer is touched.
Phase 2 applies the spool in batches: new offers are inserted, changed ones (by content hash) updated,
unchanged ones not written at all; then offers of the provider missing from the feed become RETIRED.
Only then is the catalog version bumped, which tells the API to rebuild its snapshot.

Invariant, checked on every run: received = landed + quarantined.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

import bson
from pymongo import InsertOne, UpdateOne
from pymongo.errors import PyMongoError

from sources.base import Adapter, FeedError, RawRecord
from sources.fetch import FetchError
from sources.locks import IngestLock, IngestRefused
from sources.model import InvalidRecord, Status, validate_offer
from sources.store import Store, utcnow
from sources.taxonomy import Taxonomy, load_taxonomy

BATCH = 1000
HISTORY_KEEP = 20


@dataclass
class RunReport:
    run_id: str
    provider: str
    adapter: str
    location: str
    status: str = "RUNNING"
    pages: int = 0
    received: int = 0
    landed: int = 0
    quarantined: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    reactivated: int = 0
    retired: int = 0
    catalog_version: int | None = None
    error: str | None = None
    duration_ms: float = 0.0
    quarantine_reasons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "SUCCEEDED"


ProgressCallback = Callable[[RunReport], None]


async def ingest(
    store: Store,
    adapter: Adapter,
    location: str,
    *,
    taxonomy: Taxonomy | None = None,
    progress: ProgressCallback | None = None,
) -> RunReport:
    """Run one ingest; never raises for feed problems, which are reported in the returned `RunReport`."""
    taxonomy = taxonomy or load_taxonomy()
    provider = adapter.config.provider
    report = RunReport(uuid.uuid4().hex, provider, adapter.name, location)
    started = time.perf_counter()
    started_at = utcnow()
    await store.ingest_runs.insert_one({"_id": report.run_id, "provider": provider, "adapter": adapter.name,
                                        "location": location, "status": "RUNNING", "startedAt": started_at})
    lock = IngestLock(store, provider, report.run_id)
    try:
        await lock.acquire()
        with tempfile.TemporaryFile(prefix="kc-ingest-") as spool:
            seen: dict[str, int] = {}
            await _read_feed(store, adapter, location, taxonomy, report, spool, seen, progress, lock)
            spool.seek(0)
            await lock.renew()
            await _apply(store, spool, report)
            await lock.renew()
            await _retire(store, provider, seen, report)
        await store.quarantine.delete_many({"provider": provider, "runId": {"$ne": report.run_id}})
        report.catalog_version = await store.bump_catalog_version()
        await store.upsert_provider(provider, {
            "name": adapter.config.provider_name or provider, "adapter": adapter.name, "location": location,
            "lastRunId": report.run_id, "lastIngestAt": utcnow(),
        })
        report.status = "SUCCEEDED"
    except IngestRefused as exc:
        report.status, report.error = "REFUSED", str(exc)
    except (FetchError, FeedError) as exc:
        report.status, report.error = "FAILED", str(exc)
    except PyMongoError as exc:
        report.status, report.error = "FAILED", f"database error: {type(exc).__name__}: {exc}"
    except BaseException as exc:
        report.status, report.error = "FAILED", f"internal error: {type(exc).__name__}"
        raise
    finally:
        if report.status != "REFUSED":
            await lock.release()
        report.duration_ms = round((time.perf_counter() - started) * 1000, 1)
        summary = asdict(report)
        summary.pop("quarantine_reasons")
        summary.pop("run_id")
        await store.ingest_runs.update_one(
            {"_id": report.run_id},
            {"$set": {**_camel(summary), "finishedAt": utcnow(), "changedOffers": report.ok and
                      report.inserted + report.updated + report.reactivated + report.retired > 0}},
        )
    if report.landed + report.quarantined != report.received:  # pragma: no cover - invariant
        raise AssertionError(f"ingest {report.run_id}: received {report.received} != landed + quarantined")
    return report


async def _read_feed(store: Store, adapter: Adapter, location: str, taxonomy: Taxonomy, report: RunReport,
                     spool: IO[bytes], seen: dict[str, int], progress: ProgressCallback | None,
                     lock: IngestLock) -> None:
    async for page in adapter.pages(location):
        report.pages = page.number
        await lock.renew()
        rejected: list[dict[str, Any]] = []
        for record in page.records:
            report.received += 1
            try:
                doc = _validated(adapter, record, taxonomy, seen, page.number)
            except InvalidRecord as exc:
                report.quarantined += 1
                if len(report.quarantine_reasons) < 50:
                    report.quarantine_reasons.extend(f"{record.external_id}: {r}" for r in exc.reasons)
                rejected.append({
                    "provider": adapter.config.provider, "runId": report.run_id, "externalId": record.external_id,
                    "page": page.number, "reasons": exc.reasons, "raw": _bson_safe(record.data),
                    "quarantinedAt": utcnow(),
                })
                continue
            report.landed += 1
            spool.write(bson.encode(doc))
        if rejected:
            await store.quarantine.insert_many(rejected, ordered=False)
        if progress:
            progress(report)


def _validated(adapter: Adapter, record: RawRecord, taxonomy: Taxonomy, seen: dict[str, int], page: int,
               ) -> dict[str, Any]:
    if record.external_id is None:
        raise InvalidRecord(["record has no id"])
    try:
        fields = adapter.map(record)
    except InvalidRecord:
        raise
    except Exception as exc:  # an adapter bug on one odd record must not sink the whole feed
        raise InvalidRecord([f"the {adapter.name} adapter could not map this record ({type(exc).__name__}: {exc})"]
                            ) from None
    offer = validate_offer(fields, taxonomy)
    if offer.provider != adapter.config.provider:
        raise InvalidRecord([f"provider {offer.provider!r} differs from the run's provider"])
    if offer.id in seen:
        raise InvalidRecord([f"duplicate id {record.external_id!r}: already on page {seen[offer.id]} of this feed"])
    seen[offer.id] = page
    return offer.to_document()


def _spooled(spool: IO[bytes]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for doc in bson.decode_file_iter(spool, codec_options=bson.CodecOptions(tz_aware=True)):
        batch.append(doc)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _event(kind: str, run_id: str, now: Any) -> dict[str, Any]:
    return {"$push": {"history": {"$each": [{"event": kind, "runId": run_id, "at": now}], "$slice": -HISTORY_KEEP}}}


async def _apply(store: Store, spool: IO[bytes], report: RunReport) -> None:
    for batch in _spooled(spool):
        now = utcnow()
        ids = [doc["_id"] for doc in batch]
        existing = {d["_id"]: d async for d in store.offers.find({"_id": {"$in": ids}},
                                                                   {"contentHash": 1, "status": 1})}
        ops: list[InsertOne | UpdateOne] = []
        for doc in batch:
            old = existing.get(doc["_id"])
            source = {"adapter": report.adapter, "location": report.location, "runId": report.run_id}
            if old is None:
                ops.append(InsertOne({**doc, "status": Status.ACTIVE.value, "firstSeen": now, "lastSeen": now,
                                      "source": source,
                                      "history": [{"event": "CREATED", "runId": report.run_id, "at": now}]}))
                report.inserted += 1
            elif old.get("contentHash") != doc["contentHash"]:
                fields = {k: v for k, v in doc.items() if k != "_id"}
                ops.append(UpdateOne({"_id": doc["_id"]}, {
                    "$set": {**fields, "status": Status.ACTIVE.value, "lastSeen": now, "source": source},
                    "$unset": {"retiredAt": ""}, **_event("UPDATED", report.run_id, now)}))
                report.updated += 1
            elif old.get("status") != Status.ACTIVE.value:
                ops.append(UpdateOne({"_id": doc["_id"]}, {
                    "$set": {"status": Status.ACTIVE.value, "lastSeen": now, "source": source},
                    "$unset": {"retiredAt": ""}, **_event("REACTIVATED", report.run_id, now)}))
                report.reactivated += 1
            else:
                report.unchanged += 1
        if ops:
            await store.offers.bulk_write(ops, ordered=False)


async def _retire(store: Store, provider: str, seen: dict[str, int], report: RunReport) -> None:
    now = utcnow()
    ops: list[UpdateOne] = []
    cursor = store.offers.find({"provider": provider, "status": Status.ACTIVE.value}, {"_id": 1})
    async for doc in cursor:
        if doc["_id"] in seen:
            continue
        ops.append(UpdateOne({"_id": doc["_id"], "status": Status.ACTIVE.value}, {
            "$set": {"status": Status.RETIRED.value, "retiredAt": now},
            **_event("RETIRED", report.run_id, now)}))
        if len(ops) == BATCH:
            await store.offers.bulk_write(ops, ordered=False)
            report.retired += len(ops)
            ops = []
    if ops:
        await store.offers.bulk_write(ops, ordered=False)
        report.retired += len(ops)


def _camel(values: dict[str, Any]) -> dict[str, Any]:
    def camel(name: str) -> str:
        head, *rest = name.split("_")
        return head + "".join(part.title() for part in rest)

    return {camel(k): v for k, v in values.items()}


def _bson_safe(value: Any) -> Any:
    """Raw records keep their shape in the quarantine; what BSON cannot hold is stored as text."""
    try:
        bson.encode({"v": value})
        return value
    except (bson.errors.InvalidDocument, OverflowError):
        return repr(value)[:10_000]
