"""DHBW Mannheim's MOOChub feed against the real database: the demo feed over HTTP, and the two house rules
(module kind from keywords, the Mannheim campus as the venue of in-person courses that name none)."""

from __future__ import annotations

from pathlib import Path

from sources.dhbw import DhbwAdapter
from sources.store import Store
from tests.adapters import DEMO, offers, quarantined, run_adapter
from tests.conftest import FeedServer
from tests.feeds import course, write_feed

CAMPUS = {"name": "DHBW Mannheim, Coblitzallee 1-9", "city": "Mannheim", "lat": 49.4747, "lon": 8.5340}


async def test_demo_feed_over_http_lands_all_24_courses_with_their_kinds(store: Store,
                                                                         feed_server: FeedServer) -> None:
    feed_server.serve_dir(DEMO / "dhbw", prefix="bridges/moochub/")

    report = await run_adapter(store, DhbwAdapter, feed_server.url("bridges/moochub/courses-1.json"))

    assert report.ok, report.error
    assert (report.pages, report.received, report.landed, report.quarantined) == (2, 24, 24, 0)
    stored = await offers(store, "dhbw")
    kinds = [o["kind"] for o in stored.values()]
    assert (kinds.count("BASIS"), kinds.count("INTENSIV"), kinds.count("BONUS")) == (8, 8, 8)
    basics = stored["517629f1-9c69-5c27-a38d-c8e889bcc5e4"]
    assert (basics["title"], basics["kind"], basics["format"]) == ("Digitale Verwaltung – Basismodul", "BASIS",
                                                                   "HYBRID")
    assert basics["location"] == {"name": "DHBW Mannheim", "city": "Mannheim", "lat": 49.4747, "lon": 8.534}
    assert stored["b98e4aec-9a0d-517c-9918-95c7f878f919"]["kind"] == "BONUS"
    assert all(o["location"] is None for o in stored.values() if o["format"] == "ONLINE")
    provider = await store.providers.find_one({"_id": "dhbw"})
    assert provider["name"] == "DHBW Mannheim – Duale Hochschule Baden-Württemberg Mannheim"
    assert provider["adapter"] == "dhbw"


async def test_in_person_course_without_a_place_is_on_the_mannheim_campus(store: Store, tmp_path: Path) -> None:
    dated = {"startDate": ["2027-03-01T08:00:00Z"], "endDate": ["2027-03-02T16:00:00Z"]}
    feed = write_feed(tmp_path, [[
        course("onsite", courseMode=["onsite"], keywords=["Intensivmodul", "Recht"], **dated),
        course("blended", courseMode=["blended"], keywords=["bonusmodul"], **dated),
        course("online", keywords=["Basismodul"]),
        course("town-only", courseMode=["onsite"],
               contentLocation={"name": "Rathaus", "address": {"city": "Heidelberg"}}, **dated),
        course("no-kind", courseMode=["onsite"], keywords=["Workshop"],
               contentLocation={"name": "Schloss", "address": {"city": "Ort ohne Eintrag"}}, **dated),
    ]])

    report = await run_adapter(store, DhbwAdapter, feed)

    assert report.ok and report.landed == 5, report.quarantine_reasons
    stored = await offers(store, "dhbw")
    assert (stored["onsite"]["kind"], stored["onsite"]["location"]) == ("INTENSIV", CAMPUS)
    assert (stored["blended"]["kind"], stored["blended"]["location"]) == ("BONUS", CAMPUS)
    assert (stored["online"]["kind"], stored["online"]["location"]) == ("BASIS", None)
    assert stored["town-only"]["location"] == {"name": "Rathaus", "city": "Heidelberg", "lat": 49.3988,
                                               "lon": 8.6724}
    assert stored["no-kind"]["kind"] is None
    assert stored["no-kind"]["location"] == {"name": "Schloss", "city": "Ort ohne Eintrag", "lat": None, "lon": None}


async def test_two_module_kinds_on_one_course_are_quarantined(store: Store, tmp_path: Path) -> None:
    feed = write_feed(tmp_path, [[course("both", keywords=["Basismodul", "Intensivmodul"]), course("fine")]])
    report = await run_adapter(store, DhbwAdapter, feed)
    assert (report.landed, report.quarantined) == (1, 1)
    assert (await quarantined(store, "dhbw"))["both"] == [
        "keywords: name more than one module kind (BASIS, INTENSIV)"]
