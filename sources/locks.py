"""Per-provider ingest locks in the database, with a lease.

Two ingests of the same provider would race on retirement and change detection, so the second is refused;
different providers run side by side. The lease is renewed as pages arrive, so a crashed ingest blocks
its provider only until the lease runs out, never for good.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

from sources.store import Store, utcnow

LEASE = timedelta(minutes=5)


class IngestRefused(RuntimeError):
    """Another ingest of the same provider holds the lock; the message says which one and until when."""


class IngestLock:
    def __init__(self, store: Store, provider: str, run_id: str, lease: timedelta = LEASE) -> None:
        self.store = store
        self.key = f"ingest:{provider}"
        self.provider = provider
        self.run_id = run_id
        self.lease = lease

    async def acquire(self) -> None:
        now = utcnow()
        doc = {"_id": self.key, "owner": self.run_id, "acquiredAt": now, "expiresAt": now + self.lease}
        try:
            await self.store.locks.insert_one(doc)
            return
        except DuplicateKeyError:
            pass
        taken = await self.store.locks.find_one_and_update(
            {"_id": self.key, "expiresAt": {"$lt": now}}, {"$set": doc})
        if taken is None:
            holder = await self.store.locks.find_one({"_id": self.key}) or {}
            until = holder.get("expiresAt")
            raise IngestRefused(
                f"another ingest of {self.provider} is running (run {holder.get('owner', '?')}); "
                f"try again when it has finished{_until(until)}")

    async def renew(self) -> None:
        await self.store.locks.update_one({"_id": self.key, "owner": self.run_id},
                                          {"$set": {"expiresAt": utcnow() + self.lease}})

    async def release(self) -> None:
        await self.store.locks.delete_one({"_id": self.key, "owner": self.run_id})


def _until(value: datetime | None) -> str:
    return f" (its lease ends at {value:%H:%M:%S} UTC)" if value else ""
