"""DUV Speyer's XCRI-CAP programme against the real database: the demo catalogue from disk and over HTTP, and
Speyer's house rules (event number as id, spring/autumn programme dates, the campus as default venue)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sources.speyer import SpeyerAdapter
from sources.store import Store
from tests.adapters import DEMO, offers, quarantined, run_adapter
from tests.conftest import FeedServer
from tests.xcri_docs import catalog, course, presentation

PROGRAMME = DEMO / "speyer" / "programm-2027.xml"


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def test_demo_programme_over_http_lands_46_and_quarantines_the_five_flaws(store: Store,
                                                                                  feed_server: FeedServer) -> None:
    feed_server.routes["/weiterbildung/xcri"] = (200, PROGRAMME.read_bytes())

    report = await run_adapter(store, SpeyerAdapter, feed_server.url("weiterbildung/xcri"))

    assert report.ok, report.error
    assert (report.received, report.landed, report.quarantined) == (51, 46, 5)
    assert await store.offers.count_documents({"provider": "speyer"}) == 46
    reasons = {k: " | ".join(v) for k, v in (await quarantined(store, "speyer")).items()}
    assert set(reasons) == {"27-H-118", "27-H-139", "27-F-105", "27-H-133", "27-F-140"}
    assert "dtf '2027-13-01' is not a valid W3C-DTF date" in reasons["27-H-118"]
    assert "unknown competence 'kc:blockchain'" in reasons["27-H-139"]
    assert "duplicate id '27-F-105'" in reasons["27-F-105"]
    assert reasons["27-H-133"].startswith("Preis fehlt")
    assert "starts 2027-04-05 but is listed in the Herbstprogramm 2027" in reasons["27-F-140"]
    assert "27-F-105" in await offers(store, "speyer")  # the first copy of the duplicate lands
    provider = await store.providers.find_one({"_id": "speyer"})
    assert provider["name"] == "Deutsche Universität für Verwaltungswissenschaften Speyer"


async def test_demo_courses_map_with_their_spring_and_autumn_runs(store: Store) -> None:
    report = await run_adapter(store, SpeyerAdapter, PROGRAMME)
    assert (report.received, report.landed, report.quarantined) == (51, 46, 5)
    stored = await offers(store, "speyer")

    basics = stored["27-F-101"]  # the event number, not the URL identifier, is the id
    assert basics["_id"] == "speyer:27-F-101"
    assert basics["url"] == "https://www.uni-speyer.de/weiterbildung/programm-2027/27-F-101"
    assert (basics["kind"], basics["format"], basics["hours"], basics["priceEur"]) == ("BASIS", "PRESENCE", 16.0,
                                                                                       890.0)
    assert [(r["id"], r["start"], r["end"]) for r in basics["runs"]] == [
        ("2027-02-01", day("2027-02-01"), day("2027-02-02")), ("2027-10-04", day("2027-10-04"), day("2027-10-05"))]
    assert basics["location"] == {"name": "DUV Speyer, Hörsaalgebäude", "city": "Speyer", "lat": 49.3173,
                                  "lon": 8.4412}
    assert basics["competences"] == [{"competence": "kc:egov-law", "level": 3},
                                     {"competence": "digcomp:5.2", "level": 3}]

    assert stored["27-F-102"]["format"] == "HYBRID"  # campus in spring, online in autumn
    assert stored["27-F-102"]["prerequisites"] == [{"competence": "kc:egov-law", "level": 3}]
    assert stored["27-F-103"]["priceEur"] == 450.0  # "Teilnahmeentgelt 450,00 EUR einschließlich Tagungsunterlagen"
    assert (stored["27-F-119"]["ects"], stored["27-F-119"]["certificate"]) == (2.0, "Zertifikat")

    no_venue = stored["27-F-104"]  # campus presentations without a venue: the provider's own address
    assert no_venue["location"] == {"name": "Deutsche Universität für Verwaltungswissenschaften Speyer",
                                    "city": "Speyer", "lat": 49.3173, "lon": 8.4412}

    self_study = stored["27-S-145"]
    assert (self_study["format"], self_study["selfPaced"], self_study["priceEur"]) == ("ONLINE", True, 0.0)
    assert self_study["runs"] == [{"id": "undated", "start": None, "end": None}]
    assert self_study["location"] is None
    kinds = [o["kind"] for o in stored.values()]
    assert (kinds.count("BASIS"), kinds.count("INTENSIV"), kinds.count("BONUS")) == (17, 15, 14)


async def test_campus_course_without_any_venue_takes_place_at_the_duv(store: Store, tmp_path: Path) -> None:
    spring = presentation("2027-03-15", "2027-03-16", extra="<dc:type>Frühjahrsprogramm 2027</dc:type>")
    path = tmp_path / "p.xml"
    path.write_bytes(catalog(course("https://www.uni-speyer.de/k/1", spring)))

    report = await run_adapter(store, SpeyerAdapter, path)

    assert report.ok and report.landed == 1, report.quarantine_reasons
    offer = (await offers(store, "speyer"))["https://www.uni-speyer.de/k/1"]  # no event number: the generic id
    assert offer["location"] == {"name": "DUV Speyer, Freiherr-vom-Stein-Straße 2", "city": "Speyer",
                                 "lat": 49.3173, "lon": 8.4412}


async def test_autumn_programme_run_in_the_wrong_year_is_quarantined(store: Store, tmp_path: Path) -> None:
    autumn = presentation("2026-10-05", "2026-10-06", extra="<dc:type>Herbstprogramm 2027</dc:type>")
    ok = presentation("2027-10-05", "2027-10-06", extra="<dc:type>Herbstprogramm 2027</dc:type>")
    path = tmp_path / "p.xml"
    path.write_bytes(catalog(course("K-1", autumn), course("K-2", ok)))

    report = await run_adapter(store, SpeyerAdapter, path)

    assert (report.landed, report.quarantined) == (1, 1)
    reasons = (await quarantined(store, "speyer"))["K-1"]
    assert reasons == ["presentation 1: starts 2026-10-05 but is listed in the Herbstprogramm 2027"]
