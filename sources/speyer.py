"""DUV Speyer: the university's continuing-education programme as XCRI-CAP 1.2, with its house rules.

Everything in `sources.xcri` applies; on top of it:

| DUV Speyer feed                                          | canonical                                        |
|----------------------------------------------------------|--------------------------------------------------|
| `dc:identifier xsi:type="duv:veranstaltungsnummer"` (`27-F-101`) | externalId (else the generic XCRI rule)  |
| presentation `dc:type` "Frühjahrsprogramm 2027"          | the run must start January–July 2027             |
| presentation `dc:type` "Herbstprogramm 2027"             | the run must start August–December 2027          |
| in-person course without venue or provider location | DUV Speyer, Freiherr-vom-Stein-Straße 2 (49.3173, 8.4412) |

Why: Speyer publishes two programmes a year (spring and autumn), in person on its campus and online. Its own
event number is what participants and HR quote, so it is the stable id. A run dated outside the programme it
is listed in is a typo in one of the two (a spring seminar dated in 2026, say); the hub quarantines the
course rather than guess which one is right.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from sources.xcri import XcriAdapter

CAMPUS: dict[str, Any] = {"name": "DUV Speyer, Freiherr-vom-Stein-Straße 2", "city": "Speyer",
                          "lat": 49.3173, "lon": 8.4412}
_PROGRAMME = re.compile(r"\b(Frühjahrs|Fruehjahrs|Herbst)programm\s+(\d{4})\b", re.IGNORECASE)
_MONTHS = {"frühjahrs": range(1, 8), "fruehjahrs": range(1, 8), "herbst": range(8, 13)}


class SpeyerAdapter(XcriAdapter):
    name: ClassVar[str] = "speyer"
    description: ClassVar[str] = "DUV Speyer: XCRI-CAP 1.2 spring and autumn programmes (Frühjahr/Herbst)"
    default_provider: ClassVar[str | None] = "speyer"
    default_provider_name: ClassVar[str | None] = "Deutsche Universität für Verwaltungswissenschaften Speyer"
    default_venue: ClassVar[dict[str, Any] | None] = CAMPUS

    def external_id(self, course: dict[str, Any]) -> str | None:
        number = next((i["value"] for i in course.get("identifiers") or []
                       if i["type"].lower().endswith("veranstaltungsnummer")), None)
        return number or super().external_id(course)

    def check_presentation(self, index: int, presentation: dict[str, Any], run: dict[str, Any],
                           reasons: list[str]) -> None:
        start = run["start"]
        for label in presentation.get("types") or []:
            match = _PROGRAMME.search(label)
            if match is None or start is None:
                continue
            months, year = _MONTHS[match.group(1).lower()], int(match.group(2))
            if start.year != year or start.month not in months:
                reasons.append(f"presentation {index}: starts {start.isoformat()} but is listed in the "
                               f"{match.group(0)}")
