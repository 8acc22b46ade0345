"""The adapter SDK: what a provider format must implement to feed the hub.

An adapter is constructed with a `SourceConfig` and a `Fetcher`, yields its feed page by page as
`RawRecord`s (memory stays bounded by one page), and maps one raw record to the canonical fields, or raises
`InvalidRecord` with reasons. The ingest pipeline does everything else: validation against the canonical
model, de-duplication, quarantine, change detection, retirement.

    class MyAdapter:
        name = "myformat"
        description = "My partner's JSON export"

        def __init__(self, config: SourceConfig, fetcher: Fetcher) -> None: ...
        async def pages(self, location: str) -> AsyncIterator[Page]: ...
        def map(self, record: RawRecord) -> dict[str, Any]: ...
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, runtime_checkable


class FeedError(RuntimeError):
    """The feed as a whole is unusable (unparseable page, wrong envelope); the run fails and changes nothing."""


@dataclass(frozen=True)
class SourceConfig:
    provider: str
    provider_name: str | None = None
    defaults: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RawRecord:
    """One record as the provider sent it; `data` must be JSON/BSON-serialisable for the quarantine."""

    external_id: str | None
    data: Any


@dataclass(frozen=True)
class Page:
    number: int
    location: str
    records: list[RawRecord]


def paged(records: Iterable[RawRecord], location: str, size: int) -> Iterator[Page]:
    """Cut a stream of records from one document into pages, so the pipeline writes in batches while the
    document is still being read; an empty document still yields one (empty) page, so the run is complete."""
    batch: list[RawRecord] = []
    number = 0
    for record in records:
        batch.append(record)
        if len(batch) == size:
            number += 1
            yield Page(number, location, batch)
            batch = []
    if batch or number == 0:
        yield Page(number + 1, location, batch)


@runtime_checkable
class Adapter(Protocol):
    """A feed format or a named provider source.

    A named source (e.g. `dhbw`) also sets the class attributes `default_provider` and
    `default_provider_name`, so `kommunalcampus ingest dhbw LOCATION` needs no `--provider`.
    """

    name: ClassVar[str]
    description: ClassVar[str]
    config: SourceConfig

    def pages(self, location: str) -> AsyncIterator[Page]:
        """Yield the feed's pages in order; raise `FetchError`/`FeedError` when the feed cannot be read whole."""
        ...

    def map(self, record: RawRecord) -> dict[str, Any]:
        """Map one raw record to canonical offer fields (camelCase); raise `InvalidRecord` with reasons."""
        ...
