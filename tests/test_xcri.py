"""The generic XCRI-CAP 1.2 reader against the real database: the mapping rules on small catalogues written
here, the refusal of hostile XML (entity expansion, external entities, oversize), paging and bounded memory."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

from sources.base import FeedError
from sources.store import Store
from sources.xcri import XcriAdapter
from sources.xcri_parse import iter_courses
from tests.adapters import offers, quarantined, run_adapter
from tests.conftest import FeedServer
from tests.xcri_docs import NS, catalog, course, presentation, venue

PROVIDER = "partner"


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def ingest_xml(store: Store, tmp_path: Path, document: bytes, **kwargs: object):
    path = tmp_path / "catalog.xml"
    path.write_bytes(document)
    return await run_adapter(store, XcriAdapter, path, provider=PROVIDER, **kwargs)  # type: ignore[arg-type]


async def test_course_with_presentations_maps_to_one_offer_with_runs(store: Store, tmp_path: Path) -> None:
    subjects = ('<dc:subject identifier="digcomp:4.2" level="3">Datenschutz</dc:subject>'
                "<dc:subject>kc:egov-law/4</dc:subject><dc:subject>Verwaltung</dc:subject>")
    extra = ("<dc:description><div xmlns='http://www.w3.org/1999/xhtml'><p>Erster <b>Absatz</b>.</p></div>"
             "</dc:description><dc:type>Intensivmodul</dc:type><mlo:url>https://akademie.example/k1</mlo:url>"
             "<mlo:prerequisite>Grundlagen (digcomp:4.2/2) und Erfahrung mit https://example.org</mlo:prerequisite>"
             "<mlo:qualification><dc:title>Zertifikat</dc:title></mlo:qualification>"
             "<mlo:credit><credit:scheme>ECTS</credit:scheme><credit:level>1</credit:level>"
             "<credit:value>2</credit:value></mlo:credit>")
    german = "<mlo:languageOfInstruction>de-DE</mlo:languageOfInstruction>"
    spring = presentation("2027-03-15", "2027-03-16", extra=german, venue=venue("Akademie Kassel", "Kassel"))
    autumn = presentation("2027-09", None, cost="490.00",
                          extra="<mlo:languageOfInstruction>en-GB</mlo:languageOfInstruction>"
                                "<mlo:languageOfInstruction>kein Tag</mlo:languageOfInstruction>")
    report = await ingest_xml(store, tmp_path, catalog(course("K-1", spring, autumn, title="Datenschutz vertieft",
                                                              subjects=subjects, extra=extra)))

    assert report.ok and (report.received, report.landed) == (1, 1), report.quarantine_reasons
    offer = (await offers(store, PROVIDER))["K-1"]
    assert offer["_id"] == "partner:K-1"
    assert (offer["title"], offer["description"]) == ("Datenschutz vertieft", "Erster Absatz.")
    assert (offer["kind"], offer["format"], offer["selfPaced"]) == ("INTENSIV", "PRESENCE", False)
    assert (offer["hours"], offer["priceEur"], offer["ects"], offer["certificate"]) == (16.0, 490.0, 2.0, "Zertifikat")
    assert offer["url"] == "https://akademie.example/k1"
    assert offer["languages"] == ["de", "en"]
    assert offer["competences"] == [{"competence": "digcomp:4.2", "level": 3},
                                    {"competence": "kc:egov-law", "level": 4}]
    assert offer["prerequisites"] == [{"competence": "digcomp:4.2", "level": 2}]
    assert [(r["id"], r["start"], r["end"]) for r in offer["runs"]] == [
        ("2027-03-15", day("2027-03-15"), day("2027-03-16")), ("2027-09-01", day("2027-09-01"), None)]
    assert offer["location"] == {"name": "Akademie Kassel", "city": "Kassel", "lat": 51.3127, "lon": 9.4797}


async def test_attendance_modes_map_to_formats_and_self_paced(store: Store, tmp_path: Path) -> None:
    hours = '<mlo:duration interval="PT6H">6 Stunden</mlo:duration>'
    flexible = '<studyMode identifier="FL">Flexible</studyMode>'
    document = catalog(
        course("campus", presentation(mode=None, venue=venue("Haus A", "Gießen", "<geo:lat>50.58</geo:lat>"
                                                              "<geo:long>8.67</geo:long>"))),
        course("online", presentation(mode="ON", duration=hours)),
        course("distance", presentation(mode="DS", start=None, end=None, duration=hours)),
        course("flexible", presentation(mode="ON", duration=hours, extra=flexible)),
        course("mixed", presentation(mode="MM", venue=venue("Haus B", "Darmstadt"))),
        course("both", presentation(mode="CM", venue=venue("Haus C", "Mainz")),
               presentation("2027-10-04", "2027-10-04", mode="ON", duration=hours)),
        course("strange", presentation(mode="XX")),
    )
    report = await ingest_xml(store, tmp_path, document)

    assert (report.received, report.landed, report.quarantined) == (7, 6, 1)
    stored = await offers(store, PROVIDER)
    shapes = {k: (v["format"], v["selfPaced"]) for k, v in stored.items()}
    assert shapes == {"campus": ("PRESENCE", False), "online": ("ONLINE", False), "distance": ("ONLINE", True),
                      "flexible": ("ONLINE", True), "mixed": ("HYBRID", False), "both": ("HYBRID", False)}
    assert stored["campus"]["location"] == {"name": "Haus A", "city": "Gießen", "lat": 50.58, "lon": 8.67}
    assert stored["mixed"]["location"]["city"] == "Darmstadt"
    assert stored["online"]["location"] is None and stored["online"]["hours"] == 6.0
    assert stored["distance"]["runs"] == [{"id": "undated", "start": None, "end": None}]
    strange = " ".join((await quarantined(store, PROVIDER))["strange"])
    assert "attendanceMode 'XX' is not in the XCRI vocabulary" in strange


async def test_costs_in_the_forms_providers_write_them(store: Store, tmp_path: Path) -> None:
    costs = {"de": "1.250,00 EUR", "en": "450.00", "free": "kostenfrei", "prose": "Das Entgelt beträgt 390 € inkl. "
             "Unterlagen", "symbol": "99,50 €", "usd": "450 USD", "two": "300 € oder 450 € ermäßigt", "none": None}
    document = catalog(*(course(name, presentation(cost=cost)) for name, cost in costs.items()))

    report = await ingest_xml(store, tmp_path, document)

    assert (report.landed, report.quarantined) == (5, 3)
    prices = {k: v["priceEur"] for k, v in (await offers(store, PROVIDER)).items()}
    assert prices == {"de": 1250.0, "en": 450.0, "free": 0.0, "prose": 390.0, "symbol": 99.5}
    reasons = {k: " ".join(v) for k, v in (await quarantined(store, PROVIDER)).items()}
    assert "EUR only" in reasons["usd"]
    assert "is not an amount in euro" in reasons["two"]
    assert reasons["none"].startswith("Preis fehlt")


async def test_provider_location_after_the_courses_is_the_default_venue(store: Store, tmp_path: Path) -> None:
    location = ("<mlo:location><mlo:street>Hauptstraße 1</mlo:street><mlo:town>Frankfurt a. M.</mlo:town>"
                "</mlo:location>")
    report = await ingest_xml(store, tmp_path, catalog(course("K-1"), provider_location=location))
    assert report.ok
    assert (await offers(store, PROVIDER))["K-1"]["location"] == {
        "name": "Akademie", "city": "Frankfurt am Main", "lat": 50.1109, "lon": 8.6821}


async def test_record_problems_are_quarantined_with_reasons(store: Store, tmp_path: Path) -> None:
    document = catalog(
        course("bad-date", presentation(start="2027-13-01")),
        course("bad-code", subjects='<dc:subject identifier="kc:blockchain" level="3">Blockchain</dc:subject>'),
        course("bad-level", subjects='<dc:subject identifier="digcomp:4.2" level="9">Datenschutz</dc:subject>'),
        course("no-hours", presentation(duration="<mlo:duration>nach Absprache</mlo:duration>")),
        course("two-kinds", extra="<dc:type>Basismodul</dc:type><dc:type>Bonusmodul</dc:type>"),
        "<course><dc:title>ohne Kennung</dc:title>" + presentation() + "</course>",
        "<course><dc:identifier>no-presentation</dc:identifier><dc:title>Nur Beschreibung</dc:title></course>",
        course("dup"), course("dup"), course("ok"),
    )
    report = await ingest_xml(store, tmp_path, document)

    assert (report.received, report.landed, report.quarantined) == (10, 2, 8)
    reasons = {k: " ".join(v) for k, v in (await quarantined(store, PROVIDER)).items()}
    assert "dtf '2027-13-01' is not a valid W3C-DTF date" in reasons["bad-date"]
    assert "unknown competence 'kc:blockchain'" in reasons["bad-code"]
    assert "level '9' is not a number 1-8" in reasons["bad-level"]
    assert "no presentation gives a duration" in reasons["no-hours"]
    assert "more than one module kind" in reasons["two-kinds"]
    assert "record has no id" in reasons[None]
    assert "no presentation" in reasons["no-presentation"]
    assert "duplicate id 'dup'" in reasons["dup"]
    assert set(await offers(store, PROVIDER)) == {"dup", "ok"}


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE catalog [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<catalog xmlns="http://xcri.org/profiles/1.2/catalog"><provider><course><dc:title
  xmlns:dc="http://purl.org/dc/elements/1.1/">&lol9;</dc:title></course></provider></catalog>
"""


async def test_billion_laughs_is_refused_before_any_expansion(store: Store, feed_server: FeedServer) -> None:
    feed_server.routes["/catalog.xml"] = (200, BILLION_LAUGHS)
    tracemalloc.start()
    try:
        report = await run_adapter(store, XcriAdapter, feed_server.url("catalog.xml"), provider=PROVIDER)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.status == "FAILED"
    assert "refused: the document declares a DTD" in (report.error or "")
    assert peak < 20_000_000  # the expansion would be a gigabyte
    assert await store.offers.count_documents({}) == 0


async def test_external_entities_and_dtds_are_refused_without_network_access(store: Store,
                                                                            feed_server: FeedServer) -> None:
    secret = feed_server.url("secret.txt")
    feed_server.routes["/secret.txt"] = (200, b"top secret")
    feed_server.routes["/schema.dtd"] = (200, b'<!ENTITY x "y">')
    entity = (f'<?xml version="1.0"?><!DOCTYPE catalog [<!ENTITY xxe SYSTEM "{secret}">]>'
              '<catalog xmlns="http://xcri.org/profiles/1.2/catalog"><provider><course>'
              '<dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">&xxe;</dc:title></course></provider>'
              "</catalog>").encode()
    external_dtd = (f'<?xml version="1.0"?><!DOCTYPE catalog SYSTEM "{feed_server.url("schema.dtd")}">'
                    '<catalog xmlns="http://xcri.org/profiles/1.2/catalog"/>').encode()
    local_file = (b'<?xml version="1.0"?><!DOCTYPE catalog [<!ENTITY f SYSTEM "file:///etc/passwd">]>'
                  b'<catalog xmlns="http://xcri.org/profiles/1.2/catalog">&f;</catalog>')
    for name, document in {"entity.xml": entity, "dtd.xml": external_dtd, "file.xml": local_file}.items():
        feed_server.routes[f"/{name}"] = (200, document)
        report = await run_adapter(store, XcriAdapter, feed_server.url(name), provider=PROVIDER)
        assert report.status == "FAILED", name
        assert "refused" in (report.error or "") and "DTD" in (report.error or ""), report.error

    assert [path for path, _ in feed_server.requests] == ["/entity.xml", "/dtd.xml", "/file.xml"]
    assert await store.offers.count_documents({}) == 0


async def test_size_limit_and_malformed_documents_fail_the_run(store: Store, tmp_path: Path) -> None:
    big = catalog(*(course(f"K-{i}") for i in range(50)))
    too_big = await ingest_xml(store, tmp_path, big, max_bytes=len(big) - 1)
    assert too_big.status == "FAILED" and f"more than the limit of {len(big) - 1}" in (too_big.error or "")

    broken = await ingest_xml(store, tmp_path, big[:-20])
    assert broken.status == "FAILED" and "not well-formed XML" in (broken.error or "")

    wrong_root = await ingest_xml(store, tmp_path, b"<rss><channel/></rss>")
    assert wrong_root.status == "FAILED" and "root element is <rss>" in (wrong_root.error or "")
    assert await store.offers.count_documents({}) == 0


async def test_large_catalogue_is_paged_by_500(store: Store, tmp_path: Path) -> None:
    report = await ingest_xml(store, tmp_path, catalog(*(course(f"K-{i}") for i in range(1001))))
    assert report.ok, report.error
    assert (report.pages, report.received, report.landed) == (3, 1001, 1001)


def test_streaming_frees_each_course_so_memory_stays_bounded() -> None:
    description = "<dc:description>" + "Lange Beschreibung eines Kurses. " * 60 + "</dc:description>"
    document = catalog(*(course(f"K-{i}", extra=description) for i in range(4000)))
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        count = sum(1 for _ in iter_courses(document, "memory-test"))
        peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()
    assert count == 4000
    # the document is ~9 MB; keeping the parsed courses would cost about twice that, freeing them ~0.15 MB
    assert peak < len(document) // 10, f"peak {peak} bytes for a {len(document)}-byte document"


def test_a_course_as_the_root_element_is_a_valid_document() -> None:
    document = (f'<course {NS}><dc:identifier>solo</dc:identifier><dc:title>Allein</dc:title>'
                f"{presentation()}</course>").encode()
    courses = list(iter_courses(document, "solo.xml"))
    assert [c["identifiers"][0]["value"] for c in courses] == ["solo"]
    assert courses[0]["provider"] is None


def test_absurdly_deep_nesting_is_refused() -> None:
    document = f"<catalog {NS}><provider><course>{'<x>' * 500}{'</x>' * 500}</course></provider></catalog>"
    try:
        list(iter_courses(document.encode(), "deep.xml"))
    except FeedError as exc:
        assert "nested more than 100 deep" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a 500-deep document was accepted")


def test_feed_error_is_the_error_type_for_hostile_documents() -> None:
    try:
        list(iter_courses(BILLION_LAUGHS, "x.xml"))
    except FeedError as exc:
        assert "DTD" in str(exc)
    else:  # pragma: no cover - the assertion that must fail if the document were parsed
        raise AssertionError("a DTD was accepted")
