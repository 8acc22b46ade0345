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
