"""The bundled demo catalogue: which feeds `kommunalcampus ingest --demo` and `serve --demo` load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEMO_DIR = Path(__file__).parent


@dataclass(frozen=True)
class DemoFeed:
    adapter: str
    provider: str
    provider_name: str
    location: str


DEMO_FEEDS: tuple[DemoFeed, ...] = (
    DemoFeed("moochub", "egov-campus", "eGov-Campus", str(DEMO_DIR / "egov-campus" / "courses-1.json")),
)
