"""The bundled MOOChub demo feeds (sources/demo) are valid MOOChub v3 and paginate cleanly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).parent.parent
DEMO = ROOT / "sources" / "demo"
SCHEMA = ROOT / "tests" / "fixtures" / "moochub-schema.json"
FEEDS = {"egov-campus": (3, 36), "dhbw": (2, 24)}  # feed folder -> (pages, courses)
PAGES = [DEMO / feed / f"courses-{n}.json" for feed, (pages, _) in FEEDS.items() for n in range(1, pages + 1)]


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = load(SCHEMA)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_page_validates_against_the_moochub_schema(path: Path, validator: Draft202012Validator) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(load(path))]
    assert not errors, "\n".join(errors[:20])


@pytest.mark.parametrize("feed", FEEDS)
def test_feed_has_the_expected_pages(feed: str) -> None:
    names = {p.name for p in (DEMO / feed).glob("courses-*.json")}
    assert names == {f"courses-{n}.json" for n in range(1, FEEDS[feed][0] + 1)}


@pytest.mark.parametrize("feed", FEEDS)
def test_feed_has_the_expected_courses_with_unique_ids(feed: str) -> None:
    ids = [item["id"] for path in sorted((DEMO / feed).glob("courses-*.json")) for item in load(path)["data"]]
    assert len(ids) == FEEDS[feed][1]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("feed", FEEDS)
def test_following_next_from_page_one_reaches_every_page_once(feed: str) -> None:
    folder = DEMO / feed
    visited: list[str] = []
    name: str | None = "courses-1.json"
    while name is not None:
        assert name not in visited, f"links.next loops back to {name}"
        visited.append(name)
        name = load(folder / name)["links"].get("next")  # relative to the page, i.e. a sibling file
    assert sorted(visited) == sorted(p.name for p in folder.glob("courses-*.json"))
    assert len(visited) == FEEDS[feed][0]
