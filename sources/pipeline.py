"""The ingest pipeline: one adapter run, all or nothing for the offers.

Phase 1 reads the whole feed page by page, maps and validates each record, sends failures to the quarantine,
and spools valid offers to a temporary file (BSON); their ids and content hashes go to a ledger on disk
(`sources.spill.FeedLedger`). If any page fails, the run is marked FAILED and no offer is touched.
Then one scan of the provider's stored offers (id, hash, status) tells the ledger what each offer needs:
insert, update (hash differs), reactivate, or nothing; and which active offers the feed no longer has.
Phase 2 applies the spool in unordered bulk writes of 1,000, skipping the unchanged offers, so an unchanged
feed writes no offer; then the missing offers become RETIRED. Only then is the catalog version bumped,
which tells the API to rebuild its snapshot.

Why one scan rather than a lookup per page (see `benchmarks/RESULTS_ingest.md`): reading the provider's
offers in one indexed pass costs the server ~25 µs per offer, looking them up by `_id $in` ~85 µs at 100
ids per query and ten times that at 1,000 (the embedded server's `$in` match grows with the square of the
list); and the scan finds the offers to retire in the same pass.

Memory holds a page or a batch at a time whatever the feed size: the spool and the ledger are files.

Invariant, checked on every run: received = landed + quarantined.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from typing import IO, Any

import bson
from bson.raw_bson import RawBSONDocument
from pymongo import InsertOne, UpdateOne
from pymongo.errors import BulkWriteError, PyMongoError

from sources.base import Adapter, FeedError, RawRecord
from sources.fetch import FetchError
from sources.locks import IngestLock, IngestRefused
from sources.model import InvalidRecord, Status, validate_offer
from sources.spill import FeedLedger
from sources.store import Store, utcnow
from sources.taxonomy import Taxonomy, load_taxonomy

BATCH = 1000  # offers per bulk write, and per batch of the scan of stored offers
ID_CHUNK = 100  # ids per `$in` query: the embedded server's `$in` cost grows with the square of the list
DUPLICATE_KEY = 11000
HISTORY_KEEP = 20
RAW = bson.CodecOptions(document_class=RawBSONDocument)
DECODE = bson.CodecOptions(tz_aware=True)


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
        with tempfile.TemporaryFile(prefix="kc-ingest-") as spool, FeedLedger() as ledger:
            renewal = _Renewal(lock)
            await _read_feed(store, adapter, location, taxonomy, report, spool, ledger, progress, renewal)
            await lock.renew()
            await _compare(store, provider, ledger, renewal)
            spool.seek(0)
            await _apply(store, spool, ledger, report, renewal)
            await lock.renew()
            await _retire(store, ledger, report)
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


class _Renewal:
    """Renews the lock's lease when a tenth of it has passed: often enough to keep it, rarely enough that a
    no-op re-ingest of 200 pages does not write 200 times."""

    def __init__(self, lock: IngestLock) -> None:
        self.lock = lock
        self.every_s = lock.lease.total_seconds() / 10
        self.last = time.monotonic()

    async def maybe(self) -> None:
        if time.monotonic() - self.last >= self.every_s:
            await self.lock.renew()
            self.last = time.monotonic()


async def _read_feed(store: Store, adapter: Adapter, location: str, taxonomy: Taxonomy, report: RunReport,
                     spool: IO[bytes], ledger: FeedLedger, progress: ProgressCallback | None, renewal: _Renewal,
                     ) -> None:
    pages = adapter.pages(location)
    try:
        async for page in pages:
            report.pages = page.number
            await renewal.maybe()
            rejected: list[dict[str, Any]] = []
            for record in page.records:
                report.received += 1
                try:
                    doc = _validated(adapter, record, taxonomy, ledger, page.number)
                except InvalidRecord as exc:
                    report.quarantined += 1
                    if len(report.quarantine_reasons) < 50:
                        report.quarantine_reasons.extend(f"{record.external_id}: {r}" for r in exc.reasons)
                    rejected.append({
                        "provider": adapter.config.provider, "runId": report.run_id,
                        "externalId": record.external_id, "page": page.number, "reasons": exc.reasons,
                        "raw": _bson_safe(record.data), "quarantinedAt": utcnow(),
                    })
                    continue
                report.landed += 1
                spool.write(bson.encode({"_id": doc["_id"], "doc": doc}))  # _id first: phase 2 reads only that
            if rejected:
                await store.quarantine.insert_many(rejected, ordered=False)
            if progress:
                progress(report)
    finally:
        aclose = getattr(pages, "aclose", None)  # an adapter's generator releases its file or download now
        if aclose is not None:
            await aclose()


def _validated(adapter: Adapter, record: RawRecord, taxonomy: Taxonomy, ledger: FeedLedger, page: int,
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
    doc = offer.to_document()
    first_page = ledger.add(offer.id, page, doc["contentHash"])
    if first_page is not None:
        raise InvalidRecord([f"duplicate id {record.external_id!r}: already on page {first_page} of this feed"])
    return doc


async def _compare(store: Store, provider: str, ledger: FeedLedger, renewal: _Renewal) -> None:
    """One pass over the provider's stored offers, batch by batch (the server's default batch of 16 MB would be
    every id of a large provider at once)."""
    batch: list[tuple[str, str | None, bool]] = []
    cursor = store.offers.find({"provider": provider}, {"contentHash": 1, "status": 1}, batch_size=BATCH)
    async for doc in cursor:
        batch.append((doc["_id"], doc.get("contentHash"), doc.get("status") == Status.ACTIVE.value))
        if len(batch) == BATCH:
            ledger.compare(batch)
            batch = []
            await renewal.maybe()
    if batch:
        ledger.compare(batch)


def _event(kind: str, run_id: str, now: Any) -> dict[str, Any]:
    return {"$push": {"history": {"$each": [{"event": kind, "runId": run_id, "at": now}], "$slice": -HISTORY_KEEP}}}


def _writes(spool: IO[bytes], ledger: FeedLedger, report: RunReport) -> Iterator[list[InsertOne | UpdateOne]]:
    """The spooled offers that need a write, as bulk operations in batches; unchanged ones are not decoded."""
    source = {"adapter": report.adapter, "location": report.location, "runId": report.run_id}
    ops: list[InsertOne | UpdateOne] = []
    now = utcnow()
    for entry in bson.decode_file_iter(spool, codec_options=RAW):
        op = ledger.op(entry["_id"])
        if op == FeedLedger.UNCHANGED:
            continue
        if op == FeedLedger.REACTIVATE:
            ops.append(UpdateOne({"_id": entry["_id"]}, {
                "$set": {"status": Status.ACTIVE.value, "lastSeen": now, "source": source},
                "$unset": {"retiredAt": ""}, **_event("REACTIVATED", report.run_id, now)}))
            report.reactivated += 1
        else:
            doc = bson.decode(entry["doc"].raw, DECODE)
            if op == FeedLedger.INSERT:
                ops.append(InsertOne({**doc, "status": Status.ACTIVE.value, "firstSeen": now, "lastSeen": now,
                                      "source": source,
                                      "history": [{"event": "CREATED", "runId": report.run_id, "at": now}]}))
                report.inserted += 1
            else:
                fields = {k: v for k, v in doc.items() if k != "_id"}
                ops.append(UpdateOne({"_id": doc["_id"]}, {
                    "$set": {**fields, "status": Status.ACTIVE.value, "lastSeen": now, "source": source},
                    "$unset": {"retiredAt": ""}, **_event("UPDATED", report.run_id, now)}))
                report.updated += 1
        if len(ops) == BATCH:
            yield ops
            ops = []
            now = utcnow()
    if ops:
        yield ops


async def _apply(store: Store, spool: IO[bytes], ledger: FeedLedger, report: RunReport, renewal: _Renewal,
                 ) -> None:
    """Write what the ledger says; batch k+1 is prepared here while the server writes batch k.

    One write at a time: two concurrent bulk writes into one collection gain little on a server that works
    on one core, and make write conflicts (and the server's retries of them) more likely."""
    report.unchanged = ledger.unchanged()
    in_flight: asyncio.Task[None] | None = None
    try:
        for ops in _writes(spool, ledger, report):
            if in_flight is not None:
                await in_flight
                await renewal.maybe()
            in_flight = asyncio.create_task(_bulk_write(store, ops, report.run_id))
            await asyncio.sleep(0)  # the batch goes out before the next one is prepared
        if in_flight is not None:
            task, in_flight = in_flight, None
            await task
    finally:
        if in_flight is not None and not in_flight.done():  # a failure elsewhere: the run fails anyway
            in_flight.cancel()
            with contextlib.suppress(asyncio.CancelledError, PyMongoError):
                await in_flight


async def _bulk_write(store: Store, ops: list[InsertOne | UpdateOne], run_id: str) -> None:
    """An unordered bulk write that tolerates its own retry.

    A write retried after a lost reply (by the driver's retryable writes, or by a server that re-runs a
    batch after a write conflict) can meet the documents its first attempt inserted, as duplicate-key
    errors. Those are this run's own offers and the write did happen; any other error is real.
    """
    try:
        await store.offers.bulk_write(ops, ordered=False)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors") or []
        ids = [e.get("keyValue", {}).get("_id") for e in errors if e.get("code") == DUPLICATE_KEY]
        if not errors or len(ids) != len(errors) or None in ids or exc.details.get("writeConcernErrors"):
            raise
        own = 0
        for i in range(0, len(ids), ID_CHUNK):
            own += await store.offers.count_documents({"_id": {"$in": ids[i:i + ID_CHUNK]}, "source.runId": run_id})
        if own != len(ids):
            raise


async def _retire(store: Store, ledger: FeedLedger, report: RunReport) -> None:
    now = utcnow()
    ops: list[UpdateOne] = []
    for offer_id in ledger.missing():
        ops.append(UpdateOne({"_id": offer_id, "status": Status.ACTIVE.value}, {
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
