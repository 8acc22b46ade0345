"""XCRI-CAP 1.2 reader: any provider's course catalogue in the UK/EN 15982 standard, with no code of its own.

Structure `catalog > provider > course > presentation`; parsed safely and streamed by `sources.xcri_parse`.
One course becomes one offer, its presentations become the offer's runs.

| XCRI-CAP                                                 | canonical                                           |
|----------------------------------------------------------|-----------------------------------------------------|
| course `dc:identifier` (first untyped one, else first)   | externalId                                          |
| course `dc:title`, `dc:description` (else `abstract`)    | title, description (XHTML flattened to text)        |
| course `mlo:url`, else an http(s) `dc:identifier`        | url                                                 |
| course `dc:type`/`dc:subject` "Basismodul", "Intensivmodul", "Bonusmodul" | kind BASIS / INTENSIV / BONUS      |
| `dc:subject identifier="digcomp:4.2" level="3"`, or text `digcomp:4.2/3` | competences (no level: 2)          |
| `mlo:prerequisite`: codes `kc:egov-law/2` in its text, or `dc:subject` children | prerequisites               |
| `mlo:credit` with an ECTS scheme, its `value`            | ects                                                |
| `mlo:qualification > dc:title`                           | certificate                                         |
| presentation `start`/`end` (`@dtf`, else a date as text) | one run each, id = the start day; none: `undated`   |
| `attendanceMode` CM, NC, WB (absent: CM, as the spec says) | format PRESENCE                                   |
| `attendanceMode` ON, DS                                  | format ONLINE                                       |
| `attendanceMode` MM, DA; presentations of mixed formats  | format HYBRID                                       |
| online, and no start, `studyMode` FL or `attendancePattern` CS | selfPaced (when every presentation is)        |
| `cost` (`450,00 EUR`, `450.00`, `kostenfrei`, prose with one amount) | priceEur; differing: the highest        |
| `duration@interval` (`PT16H`, `P2D`) or text (`16 Stunden`, `24 UE`, `2 Tage`) | hours (day = 8 h, UE = 45 min) |
| `languageOfInstruction` (BCP 47)                         | languages (`de-DE` → `de`); none: German            |
| `venue > provider`: `dc:title`, `mlo:location` town, lat/lon | location (no lat/lon: gazetteer; no venue: provider) |

Codes and labels both count for the vocabularies: CM Campus, NC Face-to-face non-campus, WB Work-based, ON Online
(no attendance), DS Distance without attendance, MM Mixed mode, DA Distance with attendance; FL Flexible;
CS Customised. Location coordinates are children named `lat`/`latitude` and `long`/`lon`/`longitude` in any
namespace (`geo:lat`, `mlo:latitude`).

Decisions, and why:
- Competence convention: XCRI has no competence element, but `dc:subject` carries classification codes with an
  `@identifier` (the spec's own advice for codes), so a subject whose identifier (or text) is `framework:code`
  of a framework the hub carries is a competence; the level is a `level` attribute (conforming instances may
  add attributes) or a `/level` suffix. Other subjects are keywords and are ignored. An unknown code of a
  carried framework quarantines the course: it is a typo the provider should hear about.
- A missing `cost` on every presentation quarantines the course ("Preis fehlt"): the element is optional in
  XCRI, but the hub cannot tell "free" from "forgotten"; a free course says `kostenfrei` or `0`.
- A `@dtf` that is not a valid date quarantines the course. The spec says to ignore such an element, but that
  would silently turn a dated seminar into an undated one.
- Hours are required by the hub; a course whose presentations give no usable duration is quarantined.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from typing import Any, ClassVar

from sources.base import Page, RawRecord, SourceConfig, paged
from sources.fetch import Fetcher, to_uri
from sources.fields import kind_from_label, parse_competences, parse_day, parse_eur
from sources.geocode import lookup
from sources.model import DEFAULT_LEVEL, InvalidRecord
from sources.taxonomy import Taxonomy, load_taxonomy
from sources.xcri_parse import iter_courses

PAGE_SIZE = 500
ACCEPT = "application/xml, text/xml;q=0.9, */*;q=0.1"
DAY_HOURS = 8.0  # DESIGN.md: a learning unit (a seminar day) is typically 8 hours
UE_HOURS = 0.75
ATTENDANCE = {
    "cm": "PRESENCE", "campus": "PRESENCE", "nc": "PRESENCE", "face-to-face non-campus": "PRESENCE",
    "wb": "PRESENCE", "work-based": "PRESENCE", "präsenz": "PRESENCE",
    "on": "ONLINE", "online (no attendance)": "ONLINE", "online": "ONLINE", "ds": "ONLINE",
    "distance without attendance": "ONLINE",
    "mm": "HYBRID", "mixed mode": "HYBRID", "da": "HYBRID", "distance with attendance": "HYBRID", "hybrid": "HYBRID",
}
_DTF = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)?)?$")
_CODE = re.compile(r"(?<![\w/.:-])([a-z][a-z0-9-]*:[A-Za-z0-9._-]*[A-Za-z0-9](?:/\d+)?)")
_INTERVAL = re.compile(r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?)?$")
_TEXT_HOURS = (
    (re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:Zeitstunden|Stunden|Std\.?|hours?|h)\b", re.IGNORECASE), 1.0),
    (re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:UE|Unterrichtseinheiten|Unterrichtsstunden)\b", re.IGNORECASE), UE_HOURS),
    (re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:Tage?|Seminartage?|days?)\b", re.IGNORECASE), DAY_HOURS),
)
_AMOUNT = re.compile(r"(\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s*(?:€|EUR\b|Euro\b)", re.IGNORECASE)
_FREE_WORDS = re.compile(r"\b(kostenfrei|kostenlos|entgeltfrei|gebührenfrei|free of charge)\b", re.IGNORECASE)


class XcriAdapter:
    name: ClassVar[str] = "xcri"
    description: ClassVar[str] = "XCRI-CAP 1.2 course catalogue (XML), any provider; needs --provider"
    default_provider: ClassVar[str | None] = None
    default_provider_name: ClassVar[str | None] = None
    default_venue: ClassVar[dict[str, Any] | None] = None  # where in-person courses without any venue take place

    def __init__(self, config: SourceConfig, fetcher: Fetcher, taxonomy: Taxonomy | None = None) -> None:
        self.config = config
        self.fetcher = fetcher
        self.taxonomy = taxonomy or load_taxonomy()

    async def pages(self, location: str) -> AsyncIterator[Page]:
        uri = to_uri(location)
        async with self.fetcher.open(uri, accept=ACCEPT) as document:  # the Fetcher enforces the size limit
            records = (RawRecord(self.external_id(course), course) for course in iter_courses(document, uri))
            for page in paged(records, uri, PAGE_SIZE):
                yield page

    def external_id(self, course: dict[str, Any]) -> str | None:
        identifiers = course.get("identifiers") or []
        chosen = next((i for i in identifiers if not i["type"]), identifiers[0] if identifiers else None)
        return chosen["value"] if chosen else None

    def check_presentation(self, index: int, presentation: dict[str, Any], run: dict[str, Any],
                           reasons: list[str]) -> None:
        """A hook for named sources with house rules about presentations (see `sources.speyer`)."""

    def map(self, record: RawRecord) -> dict[str, Any]:
        course: dict[str, Any] = record.data
        reasons: list[str] = []
        presentations: list[dict[str, Any]] = course.get("presentations") or []
        if not presentations:
            raise InvalidRecord(["course has no presentation: nothing can be booked"])
        formats = [self._format(i, p, reasons) for i, p in enumerate(presentations, start=1)]
        fmt = formats[0] if len(set(formats)) == 1 else "HYBRID"
        runs = self._runs(presentations, reasons)
        fields: dict[str, Any] = {
            "provider": self.config.provider,
            "externalId": record.external_id,
            "title": _title(course),
            "description": course.get("description") or course.get("abstract") or "",
            "url": course.get("url") or _url_identifier(course),
            "languages": _languages(presentations),
            "kind": _kind(course, reasons),
            "format": fmt,
            "selfPaced": all(_self_paced(p, f, r) for p, f, r in zip(presentations, formats, runs, strict=True)),
            "hours": _hours(presentations, reasons),
            "ects": _ects(course, reasons),
            "priceEur": _price(presentations, reasons),
            "certificate": course.get("qualification") or None,
            "competences": self._competences(course, reasons),
            "prerequisites": self._prerequisites(course, reasons),
            "location": None if fmt == "ONLINE" else self._location(course, presentations, formats),
            "runs": runs,
        }
        if reasons:
            raise InvalidRecord(reasons)
        return fields

    def _format(self, index: int, presentation: dict[str, Any], reasons: list[str]) -> str:
        mode = presentation.get("attendanceMode")
        if not mode or not (mode["identifier"] or mode["text"]):
            return "PRESENCE"  # the spec's default attendance mode is Campus
        for key in (mode["identifier"], mode["text"]):
            if key and (fmt := ATTENDANCE.get(key.strip().casefold())):
                return fmt
        reasons.append(f"presentation {index}: attendanceMode {mode['text'] or mode['identifier']!r} is not in "
                       "the XCRI vocabulary (CM, DA, DS, NC, MM, ON, WB)")
        return "PRESENCE"

    def _runs(self, presentations: list[dict[str, Any]], reasons: list[str]) -> list[dict[str, Any]]:
        runs: list[dict[str, Any]] = []
        for index, presentation in enumerate(presentations, start=1):
            start = _temporal(presentation.get("start"), f"presentation {index}: start", reasons, last=False)
            end = _temporal(presentation.get("end"), f"presentation {index}: end", reasons, last=True)
            if start is None:
                end = None  # an end without a start does not make a bookable window
            run_id = start.isoformat() if start else "undated"
            base, n = run_id, 1
            while any(r["id"] == run_id for r in runs):
                n += 1
                run_id = f"{base}-{n}"
            run = {"id": run_id, "start": start, "end": end}
            self.check_presentation(index, presentation, run, reasons)
            runs.append(run)
        return runs

    def _skills(self, subjects: list[dict[str, str]], where: str, reasons: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for subject in subjects:
            token = subject.get("identifier") or subject.get("text") or ""
            framework = token.partition(":")[0].strip().lower()
            if ":" not in token or not self.taxonomy.knows_framework(framework):
                continue  # a keyword or another classification, not a competence the hub carries
            if subject.get("level") and "/" not in token:
                token = f"{token}/{subject['level']}"
            items, problems = parse_competences(token, self.taxonomy, DEFAULT_LEVEL)
            reasons.extend(f"{where}: {p}" for p in problems)
            for item in items:
                found[item["competence"]] = max(found.get(item["competence"], 0), item["level"])
        return found

    def _competences(self, course: dict[str, Any], reasons: list[str]) -> list[dict[str, Any]]:
        subjects = list(course.get("subjects") or [])
        for presentation in course.get("presentations") or []:
            subjects += presentation.get("subjects") or []
        return [{"competence": c, "level": lv} for c, lv in self._skills(subjects, "subject", reasons).items()]

    def _prerequisites(self, course: dict[str, Any], reasons: list[str]) -> list[dict[str, Any]]:
        subjects: list[dict[str, str]] = []
        for prerequisite in course.get("prerequisites") or []:
            subjects += prerequisite.get("subjects") or []
            subjects += [{"identifier": code, "level": "", "text": ""}
                         for code in _CODE.findall(prerequisite.get("text") or "")]
        found = self._skills(subjects, "prerequisite", reasons)
        return [{"competence": c, "level": lv} for c, lv in found.items()]

    def _location(self, course: dict[str, Any], presentations: list[dict[str, Any]],
                  formats: list[str]) -> dict[str, Any] | None:
        venue = next((v for p, f in zip(presentations, formats, strict=True) if f != "ONLINE"
                      for v in p.get("venues") or [] if v), None)
        provider = course.get("provider")
        if venue is None and provider and provider.get("location"):
            venue = provider  # the spec: no venue means the provider's address is the venue
        if venue is None:
            return dict(self.default_venue) if self.default_venue else None
        place_of = venue.get("location") or {}
        town = place_of.get("town")
        place = lookup(town)
        lat, lon = _coordinate(place_of.get("lat")), _coordinate(place_of.get("lon"))
        if (lat is None or lon is None) and place:
            lat, lon = place.lat, place.lon
        return {"name": venue.get("title") or None, "city": place.city if place else town,
                "lat": lat if lon is not None else None, "lon": lon if lat is not None else None}


def _title(course: dict[str, Any]) -> str | None:
    titles = course.get("titles") or []
    german = next((t["text"] for t in titles if t["lang"].lower().startswith("de")), None)
    return german or next((t["text"] for t in titles if t["text"]), None)


def _url_identifier(course: dict[str, Any]) -> str | None:
    return next((i["value"] for i in course.get("identifiers") or [] if i["value"].startswith(("http://", "https://"))),
                None)


def _kind(course: dict[str, Any], reasons: list[str]) -> str | None:
    labels = [*course.get("types", []), *(s.get("text", "") for s in course.get("subjects", []))]
    kinds = {kind for label in labels if (kind := kind_from_label(label))}
    if len(kinds) > 1:
        reasons.append(f"type/subject: names more than one module kind ({', '.join(sorted(kinds))})")
        return None
    return kinds.pop() if kinds else None


def _temporal(value: dict[str, str] | None, what: str, reasons: list[str], *, last: bool) -> date | None:
    """A temporal element's day: `@dtf` at any W3C-DTF precision (start of the period, or its end for `end`),
    else a German or ISO date as the whole text; text such as "laufend" means no date."""
    if not value:
        return None
    if value["dtf"]:
        match = _DTF.match(value["dtf"])
        try:
            if match is None:
                raise ValueError
            year, month, day = int(match.group(1)), match.group(2), match.group(3)
            if day is not None:
                return date(year, int(month), int(day))
            if month is not None:
                first = date(year, int(month), 1)
                return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1) if last else first
            return date(year, 12, 31) if last else date(year, 1, 1)
        except ValueError:
            reasons.append(f"{what}: dtf {value['dtf']!r} is not a valid W3C-DTF date")
            return None
    try:
        return parse_day(value["text"])
    except ValueError:
        return None


def _self_paced(presentation: dict[str, Any], fmt: str, run: dict[str, Any]) -> bool:
    if fmt != "ONLINE":
        return False
    study = presentation.get("studyMode") or {}
    pattern = presentation.get("attendancePattern") or {}
    flexible = study.get("identifier", "").upper() == "FL" or study.get("text", "").casefold() == "flexible"
    customised = pattern.get("identifier", "").upper() == "CS" or pattern.get("text", "").casefold() in {
        "customised", "customized"}
    return run["start"] is None or flexible or customised


def _duration_hours(duration: dict[str, str] | None) -> float | None:
    if not duration:
        return None
    match = _INTERVAL.match(duration.get("interval") or "")
    if match and any(match.groups()):
        days, hours, minutes = (float(g) if g else 0.0 for g in match.groups())
        return days * DAY_HOURS + hours + minutes / 60
    for pattern, factor in _TEXT_HOURS:
        if found := pattern.search(duration.get("text") or ""):
            return float(found.group(1).replace(",", ".")) * factor
    return None


def _hours(presentations: list[dict[str, Any]], reasons: list[str]) -> float | None:
    for presentation in presentations:
        hours = _duration_hours(presentation.get("duration"))
        if hours is not None:
            return round(hours, 2)
    reasons.append("duration: no presentation gives a duration the hours can be derived from "
                   "(e.g. interval='PT16H' or '2 Tage')")
    return None


def _cost(text: str) -> float:
    try:
        return parse_eur(text)
    except ValueError:
        amounts = {parse_eur(m.group(1)) for m in _AMOUNT.finditer(text)}
        if len(amounts) == 1:
            return amounts.pop()
        if not amounts and _FREE_WORDS.search(text):
            return 0.0
        raise


def _price(presentations: list[dict[str, Any]], reasons: list[str]) -> float | None:
    prices: list[float] = []
    stated = False
    for index, presentation in enumerate(presentations, start=1):
        if not (presentation.get("cost") or "").strip():
            continue
        stated = True
        try:
            prices.append(_cost(presentation["cost"]))
        except ValueError as exc:
            reasons.append(f"presentation {index}: cost: {exc}")
    if not stated:
        reasons.append("Preis fehlt: no presentation states a cost (a free course says 'kostenfrei' or 0)")
    return max(prices) if prices else None


def _ects(course: dict[str, Any], reasons: list[str]) -> float | None:
    for credit in course.get("credits") or []:
        if "ects" in credit.get("scheme", "").lower() and credit.get("value"):
            try:
                return float(credit["value"].replace(",", "."))
            except ValueError:
                reasons.append(f"credit: ECTS value {credit['value']!r} is not a number")
    return None


def _languages(presentations: list[dict[str, Any]]) -> list[str]:
    codes: list[str] = []
    for presentation in presentations:
        for tag in presentation.get("languages") or []:
            # the spec: a value that is not a BCP 47 tag is in error and ignored
            if re.fullmatch(r"[A-Za-z]{2}(?:-[A-Za-z0-9]{1,8})*", tag.strip()):
                codes.append(tag.strip()[:2].lower())
    return list(dict.fromkeys(codes)) or ["de"]


def _coordinate(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        return None
