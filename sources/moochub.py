"""MOOChub v3 reader: the JSON:API feed Xikolo platforms publish at `/bridges/moochub/courses`.

Mapping from a MOOChub course (`data[]`) to the canonical offer:

| MOOChub                                   | canonical                                                     |
|-------------------------------------------|---------------------------------------------------------------|
| `id`                                      | externalId                                                    |
| `attributes.name`                         | title                                                         |
| `description`, `url`                      | description, url                                              |
| `courseMode` has `blended` / `onsite`     | format HYBRID / PRESENCE (blended wins), otherwise ONLINE      |
| `courseMode` has `asynchronous`, or no start date | selfPaced                                             |
| `startDate[i]` / `endDate[i]`             | run i, id = the start day (`2027-03-01`); no dates: one run `undated` |
| `workload.timeValue` × periods of `timeUnit` in `duration` | hours (4 h/week × P3W = 12 h); no duration: one period |
| `offer[]` of category `complete`, else `course` | priceEur (EUR only, else quarantined); no such entry: free |
| `educationalCredentialsAwarded[0]`        | certificate                                                   |
| `teaches[]` skills | competences `framework:shortCode`, level `educationalLevel.shortCode`, or 2 |
| `competencyRequired[]` skills             | prerequisites, same rule; course references are ignored      |
| `numberOfCredits`                         | ects                                                          |
| `contentLocation`                         | location {name, city, lat, lon}                               |
| `inLanguage`                              | languages (BCP 47 reduced to the language, `de-DE` → `de`)    |

Skills of a framework the hub does not carry (ESCO, GRETA) are left out; a skill of a carried framework with
an unknown code quarantines the record, because that is a typo the provider should hear about.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any, ClassVar

from sources.base import FeedError, Page, RawRecord, SourceConfig
from sources.fetch import Fetcher, resolve, to_uri
from sources.model import DEFAULT_LEVEL, InvalidRecord
from sources.taxonomy import Taxonomy, load_taxonomy

MEDIA_TYPE = "application/vnd.api+json; moochub-version=3"
MAX_PAGES = 10_000
_DURATION = re.compile(
    r"^P(?!$)(?:(?P<Y>\d+(?:\.\d+)?)Y)?(?:(?P<M>\d+(?:\.\d+)?)M)?(?:(?P<W>\d+(?:\.\d+)?)W)?(?:(?P<D>\d+(?:\.\d+)?)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_DAYS = {"Y": 365.25, "M": 365.25 / 12, "W": 7.0, "D": 1.0, "h": 1 / 24, "m": 1 / 1440, "s": 1 / 86400}
_UNIT_DAYS = {"h/day": 1.0, "h/week": 7.0, "h/month": 365.25 / 12}


class MoochubAdapter:
    name: ClassVar[str] = "moochub"
    description: ClassVar[str] = "MOOChub v3 JSON:API feed (Xikolo platforms), paginated via links.next"

    def __init__(self, config: SourceConfig, fetcher: Fetcher, taxonomy: Taxonomy | None = None) -> None:
        self.config = config
        self.fetcher = fetcher
        self.taxonomy = taxonomy or load_taxonomy()

    async def pages(self, location: str) -> AsyncIterator[Page]:
        uri: str | None = to_uri(location)
        seen: set[str] = set()
        number = 0
        while uri is not None:
            if uri in seen:
                raise FeedError(f"page {number + 1}: links.next points back to {uri} (a loop)")
            if number >= MAX_PAGES:
                raise FeedError(f"more than {MAX_PAGES} pages; refusing to follow further")
            seen.add(uri)
            number += 1
            body = await self.fetcher.read(uri, accept=MEDIA_TYPE)
            document = _parse_page(body, number, uri)
            records = [RawRecord(_external_id(item), item) for item in document["data"]]
            yield Page(number, uri, records)
            next_link = (document.get("links") or {}).get("next")
            uri = resolve(uri, next_link) if isinstance(next_link, str) and next_link else None

    def map(self, record: RawRecord) -> dict[str, Any]:
        item = record.data
        if not isinstance(item, dict) or not isinstance(item.get("attributes"), dict):
            raise InvalidRecord(["record is not a JSON:API resource object with attributes"])
        attrs: dict[str, Any] = item["attributes"]
        reasons: list[str] = []
        modes = set(attrs.get("courseMode") or [])
        runs = _runs(attrs, reasons)
        fields: dict[str, Any] = {
            "provider": self.config.provider,
            "externalId": record.external_id,
            "title": attrs.get("name"),
            "description": attrs.get("description") or "",
            "url": attrs.get("url"),
            "languages": list(attrs.get("inLanguage") or ["de"]),
            "format": "HYBRID" if "blended" in modes else "PRESENCE" if "onsite" in modes else "ONLINE",
            "selfPaced": "asynchronous" in modes or not attrs.get("startDate"),
            "hours": _hours(attrs, reasons),
            "ects": attrs.get("numberOfCredits"),
            "priceEur": _price(attrs.get("offer"), reasons),
            "certificate": (attrs.get("educationalCredentialsAwarded") or [None])[0],
            "competences": self._skills(attrs.get("teaches"), "teaches", reasons),
            "prerequisites": self._skills(attrs.get("competencyRequired"), "competencyRequired", reasons),
            "location": _location(attrs.get("contentLocation")),
            "runs": runs,
        }
        if reasons:
            raise InvalidRecord(reasons)
        return fields

    def _skills(self, skills: Any, where: str, reasons: list[str]) -> list[dict[str, Any]]:
        out: dict[str, int] = {}
        for i, skill in enumerate(skills or []):
            if not isinstance(skill, dict) or "educationalFramework" not in skill:
                continue  # a course reference in competencyRequired, or something we cannot use
            framework = str(skill["educationalFramework"]).lower()
            if not self.taxonomy.knows_framework(framework):
                continue
            code = skill.get("shortCode")
            if not code:
                reasons.append(f"{where}[{i}]: {skill['educationalFramework']} skill without shortCode")
                continue
            level = DEFAULT_LEVEL
            level_code = (skill.get("educationalLevel") or {}).get("shortCode")
            if level_code is not None:
                try:
                    level = int(level_code)
                except ValueError:
                    reasons.append(f"{where}[{i}]: level {level_code!r} is not a number 1-8")
                    continue
            cid = f"{framework}:{code}"
            if cid not in self.taxonomy:
                reasons.append(f"{where}[{i}]: unknown competence {cid!r}")
                continue
            out[cid] = max(out.get(cid, 0), level)
        return [{"competence": cid, "level": level} for cid, level in out.items()]


def _parse_page(body: bytes, number: int, uri: str) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"page {number} ({uri}) is not valid JSON: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise FeedError(f"page {number} ({uri}) is not a JSON:API document with a `data` list")
    return document


def _external_id(item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("id"), str | int) and str(item["id"]).strip():
        return str(item["id"]).strip()
    return None


def _day(value: Any, what: str, reasons: list[str]) -> date | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).date()
    except ValueError:
        reasons.append(f"{what}: {value!r} is not an ISO 8601 date-time")
        return None


def _runs(attrs: dict[str, Any], reasons: list[str]) -> list[dict[str, Any]]:
    starts = attrs.get("startDate") or []
    ends = attrs.get("endDate") or []
    if not starts:
        return [{"id": "undated", "start": None, "end": None}]
    runs: list[dict[str, Any]] = []
    for i, raw_start in enumerate(starts):
        start = _day(raw_start, f"startDate[{i}]", reasons)
        end = _day(ends[i], f"endDate[{i}]", reasons) if i < len(ends) else None
        run_id = start.isoformat() if start else f"run-{i + 1}"
        while any(r["id"] == run_id for r in runs):
            run_id += "-b"
        runs.append({"id": run_id, "start": start, "end": end})
    return runs


def _hours(attrs: dict[str, Any], reasons: list[str]) -> float | None:
    workload = attrs.get("workload")
    if not isinstance(workload, dict) or workload.get("timeValue") is None:
        reasons.append("workload: missing, so the hours of the course are unknown")
        return None
    unit = workload.get("timeUnit")
    if unit not in _UNIT_DAYS:
        reasons.append(f"workload.timeUnit: {unit!r} is not one of {sorted(_UNIT_DAYS)}")
        return None
    periods = 1.0
    duration = attrs.get("duration")
    if duration:
        match = _DURATION.match(str(duration))
        if match is None:
            reasons.append(f"duration: {duration!r} is not an ISO 8601 duration")
            return None
        days = sum(float(v) * _DAYS[k] for k, v in match.groupdict().items() if v)
        periods = days / _UNIT_DAYS[unit]
    return round(float(workload["timeValue"]) * periods, 1)


def _price(offers: Any, reasons: list[str]) -> float:
    by_category = {o.get("category"): o for o in offers or [] if isinstance(o, dict)}
    chosen = by_category.get("complete") or by_category.get("course")
    if chosen is None:
        return 0.0
    currency = chosen.get("priceCurrency")
    if currency != "EUR":
        reasons.append(f"offer: price in {currency!r}; the hub accepts EUR only")
        return 0.0
    try:
        return float(chosen.get("price", 0))
    except (TypeError, ValueError):
        reasons.append(f"offer: price {chosen.get('price')!r} is not a number")
        return 0.0


def _location(place: Any) -> dict[str, Any] | None:
    if not isinstance(place, dict):
        return None
    address = place.get("address") or {}
    return {
        "name": place.get("name"),
        "city": address.get("city") if isinstance(address, dict) else None,
        "lat": place.get("latitude"),
        "lon": place.get("longitude"),
    }
