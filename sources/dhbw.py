"""DHBW Mannheim: its continuing-education catalogue as a MOOChub v3 feed, plus two house conventions.

Everything in `sources.moochub` applies; on top of it:

| DHBW feed                                              | canonical                                           |
|--------------------------------------------------------|-----------------------------------------------------|
| `keywords` has "Basismodul" / "Intensivmodul" / "Bonusmodul" | kind BASIS / INTENSIV / BONUS (none: no kind) |
| two different kind keywords on one course              | quarantined (the kind decides the learning path)     |
| `onsite` / `blended` course without `contentLocation`  | location: DHBW Mannheim, Coblitzallee 1-9 (49.4747, 8.5340) |
| `contentLocation` with a town but no coordinates       | lat/lon from the built-in gazetteer (`sources.geocode`) |

Why: DHBW marks the module kind only as a keyword, and its in-person courses take place on its own campus
unless the feed says otherwise, so the feed often leaves the place out; without a location an in-person offer
could never pass the matcher's distance filter.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sources.base import RawRecord
from sources.fields import kind_from_label
from sources.geocode import lookup
from sources.model import InvalidRecord
from sources.moochub import MoochubAdapter

CAMPUS: dict[str, Any] = {"name": "DHBW Mannheim, Coblitzallee 1-9", "city": "Mannheim",
                          "lat": 49.4747, "lon": 8.5340}


class DhbwAdapter(MoochubAdapter):
    name: ClassVar[str] = "dhbw"
    description: ClassVar[str] = "DHBW Mannheim: MOOChub v3 feed; module kind from keywords, campus as default venue"
    default_provider: ClassVar[str] = "dhbw"
    default_provider_name: ClassVar[str] = "DHBW Mannheim – Duale Hochschule Baden-Württemberg Mannheim"

    def map(self, record: RawRecord) -> dict[str, Any]:
        fields = super().map(record)
        attrs: dict[str, Any] = record.data["attributes"]
        kinds = {kind for keyword in attrs.get("keywords") or [] if isinstance(keyword, str)
                 if (kind := kind_from_label(keyword))}
        if len(kinds) > 1:
            raise InvalidRecord([f"keywords: name more than one module kind ({', '.join(sorted(kinds))})"])
        fields["kind"] = kinds.pop() if kinds else None
        location = fields.get("location")
        if location is None and fields["format"] in {"PRESENCE", "HYBRID"}:
            fields["location"] = dict(CAMPUS)
        elif location is not None and location.get("lat") is None and (place := lookup(location.get("city"))):
            fields["location"] = {**location, "lat": place.lat, "lon": place.lon}
        return fields
