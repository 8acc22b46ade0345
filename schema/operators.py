"""Operator views: ingest runs and the quarantine, so a bad feed can be diagnosed from GraphiQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON


@strawberry.type(description="One ingest run of a provider feed.")
class IngestRun:
    id: strawberry.ID
    provider: str
    adapter: str
    location: str
    status: str = strawberry.field(description="RUNNING, SUCCEEDED or FAILED")
    started_at: datetime | None
    finished_at: datetime | None
    duration_ms: float | None
    pages: int
    received: int
    landed: int
    quarantined: int
    inserted: int
    updated: int
    unchanged: int
    reactivated: int
    retired: int
    catalog_version: int | None
    error: str | None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> IngestRun:
        return cls(
            id=strawberry.ID(doc["_id"]), provider=doc["provider"], adapter=doc.get("adapter", ""),
            location=doc.get("location", ""), status=doc.get("status", "RUNNING"), started_at=doc.get("startedAt"),
            finished_at=doc.get("finishedAt"), duration_ms=doc.get("durationMs"),
            **{k: int(doc.get(k) or 0) for k in ("pages", "received", "landed", "quarantined", "inserted",
                                                  "updated", "unchanged", "reactivated", "retired")},
            catalog_version=doc.get("catalogVersion"), error=doc.get("error"),
        )


@strawberry.type(description="A record that could not become an offer, with the reasons and the raw record.")
class QuarantineEntry:
    provider: str
    run_id: str
    external_id: str | None
    page: int | None
    reasons: list[str]
    raw: JSON
    quarantined_at: datetime | None

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> QuarantineEntry:
        return cls(provider=doc["provider"], run_id=doc["runId"], external_id=doc.get("externalId"),
                   page=doc.get("page"), reasons=list(doc.get("reasons") or []), raw=_jsonable(doc.get("raw")),
                   quarantined_at=doc.get("quarantinedAt"))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)
