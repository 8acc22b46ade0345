"""Ingest helpers for API tests: a real ingest through the MOOChub adapter into the test database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sources.base import SourceConfig
from sources.fetch import Fetcher
from sources.moochub import MoochubAdapter
from sources.pipeline import ingest
from sources.store import Store
from tests.feeds import write_feed


async def ingest_courses(store: Store, folder: Path, courses: list[dict[str, Any]], provider: str = "egov-campus",
                         name: str = "eGov-Campus", per_page: int = 50) -> None:
    pages = [courses[i:i + per_page] for i in range(0, len(courses), per_page)] or [[]]
    async with Fetcher() as fetcher:
        adapter = MoochubAdapter(SourceConfig(provider, name), fetcher)
        report = await ingest(store, adapter, str(write_feed(folder, pages)))
    assert report.ok, report.error
