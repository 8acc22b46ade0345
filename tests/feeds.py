"""Small MOOChub v3 feeds built in code, so each test states exactly the records it needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def course(cid: str, name: str = "Kurs", **attrs: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": name,
        "description": "Beschreibung",
        "url": f"https://example.org/courses/{cid}",
        "courseMode": ["online", "asynchronous"],
        "inLanguage": ["de"],
        "workload": {"timeValue": 4, "timeUnit": "h/week"},
        "duration": "P2W",
        "teaches": [{"educationalFramework": "DigComp", "shortCode": "4.2",
                     "educationalLevel": {"shortCode": "3", "educationalFramework": "DigComp"}}],
    }
    base.update(attrs)
    return {"id": cid, "type": "Course", "attributes": base}


def page(courses: list[dict[str, Any]], next_link: str | None = None) -> dict[str, Any]:
    links: dict[str, str] = {"self": "x", "first": "x", "last": "x"}
    if next_link:
        links["next"] = next_link
    return {"links": links, "data": courses}


def write_feed(folder: Path, pages: list[list[dict[str, Any]]]) -> Path:
    """Write pages as courses-1.json … with relative `links.next`; returns the first page's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, courses in enumerate(pages, start=1):
        nxt = f"courses-{i + 1}.json" if i < len(pages) else None
        (folder / f"courses-{i}.json").write_text(json.dumps(page(courses, nxt)), encoding="utf-8")
    return folder / "courses-1.json"


CITIES = [("Mannheim", 49.4875, 8.4660), ("Heidelberg", 49.3988, 8.6724), ("Speyer", 49.3173, 8.4412),
          ("Wiesbaden", 50.0782, 8.2398), ("Kassel", 51.3127, 9.4797)]
TOPICS = [("Datenschutz im Bürgerbüro", "4.2"), ("Informationssicherheit für Beschäftigte", "4.1"),
          ("Digitale Zusammenarbeit im Team", "2.4"), ("Recherche und Bewertung von Quellen", "1.2"),
          ("Tabellenkalkulation für die Haushaltsplanung", "3.2"), ("Barrierefreie Dokumente erstellen", "3.1")]


def varied_courses(n: int) -> list[dict[str, Any]]:
    """`n` deterministic courses spread over formats, prices, languages, cities, levels and dates."""
    out = []
    for i in range(n):
        title, code = TOPICS[i % len(TOPICS)]
        mode = [["online", "asynchronous"], ["onsite"], ["blended"], ["online", "synchronous"]][i % 4]
        city, lat, lon = CITIES[i % len(CITIES)]
        month = 1 + i % 12
        attrs: dict[str, Any] = {
            "courseMode": mode,
            "inLanguage": ["en"] if i % 7 == 0 else ["de"],
            "teaches": [{"educationalFramework": "DigComp", "shortCode": code,
                         "educationalLevel": {"shortCode": str(1 + i % 6), "educationalFramework": "DigComp"}}],
            "workload": {"timeValue": 4 + i % 3 * 4, "timeUnit": "h/week"},
            "duration": "P2W",
        }
        if i % 3:
            attrs["offer"] = [{"price": float(50 * (i % 9)), "priceCurrency": "EUR", "paymentFrequency": "one-time",
                               "category": "course"}]
        if mode != ["online", "asynchronous"]:
            attrs["startDate"] = [f"2027-{month:02d}-{1 + i % 20:02d}T08:00:00Z"]
            attrs["endDate"] = [f"2027-{month:02d}-{2 + i % 20:02d}T16:00:00Z"]
        if mode in (["onsite"], ["blended"]):
            attrs["contentLocation"] = {"name": f"Akademie {city}", "latitude": lat, "longitude": lon,
                                        "address": {"city": city}}
        out.append(course(f"v{i:03d}", name=f"{title} {i}", description=f"Kurs {i} zu {title}.", **attrs))
    return out
