"""An example partner adapter for the KommunalCampus hub: the partner's courses as a plain JSON list.

    [{"id": "k1", "title": "Datenschutz kompakt", "hours": 8, "price": 250, "format": "PRESENCE",
      "city": "Kassel", "competences": ["digcomp:4.2/3"], "runs": [["2027-03-01", "2027-03-02"]]}]

It shows everything a partner needs: the `Adapter` shape from `sources.base`, reading through the hub's
`Fetcher` (so files and URLs work with the same limits), and one entry point in pyproject.toml.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any, ClassVar

from sources.base import FeedError, Page, RawRecord, SourceConfig
from sources.fetch import Fetcher, to_uri
from sources.model import InvalidRecord


class PartnerJsonAdapter:
    name: ClassVar[str] = "partner-json"
    description: ClassVar[str] = "Example partner: courses as a plain JSON list"

    def __init__(self, config: SourceConfig, fetcher: Fetcher) -> None:
        self.config = config
        self.fetcher = fetcher

    async def pages(self, location: str) -> AsyncIterator[Page]:
        uri = to_uri(location)
        try:
            items = json.loads(await self.fetcher.read(uri, accept="application/json"))
        except ValueError as exc:
            raise FeedError(f"{uri}: not valid JSON: {exc}") from None
        if not isinstance(items, list):
            raise FeedError(f"{uri}: expected a JSON list of courses")
        records = [RawRecord(str(item["id"]) if isinstance(item, dict) and item.get("id") else None, item)
                   for item in items]
        yield Page(1, uri, records)

    def map(self, record: RawRecord) -> dict[str, Any]:
        item = record.data
        if not isinstance(item, dict):
            raise InvalidRecord(["a course must be a JSON object"])
        competences = []
        for code in item.get("competences", []):
            competence, _, level = str(code).partition("/")
            competences.append({"competence": competence, "level": int(level or 2)})
        runs = [{"id": start, "start": start, "end": end} for start, end in item.get("runs", [])]
        city = item.get("city")
        return {
            "provider": self.config.provider,
            "externalId": record.external_id,
            "title": item.get("title"),
            "format": item.get("format", "ONLINE"),
            "hours": item.get("hours"),
            "priceEur": item.get("price", 0),
            "competences": competences,
            "location": {"name": city, "city": city} if city else None,
            "runs": runs or [{"id": "undated"}],
            "selfPaced": not runs,
        }
