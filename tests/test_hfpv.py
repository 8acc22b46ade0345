"""The HöMS (HfPV) seminar-programme adapter against the real database: the demo export as CSV and XLSX, and
small tables that each show one rule (runs grouped by Seminarnummer, hours, encoding, quarantine reasons)."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sources.hfpv import HfpvAdapter
from sources.store import Store
from tests.adapters import DEMO, content, offers, quarantined, run_adapter
from tests.conftest import FeedServer

CSV_FILE = DEMO / "hfpv" / "seminarprogramm-2027.csv"
XLSX_FILE = DEMO / "hfpv" / "seminarprogramm-2027.xlsx"
HEADER = ["Seminarnummer", "Titel", "Kursart", "Format", "Beginn", "Ende", "Unterrichtsstunden", "Preis",
          "Kompetenzen", "Voraussetzungen", "Veranstaltungsort", "Ort"]


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def row(number: str, begin: str, **overrides: str) -> dict[str, str]:
    base = {"Seminarnummer": number, "Titel": f"Seminar {number}", "Kursart": "Basismodul", "Format": "Präsenz",
            "Beginn": begin, "Ende": "", "Unterrichtsstunden": "8", "Preis": "250,00 €",
            "Kompetenzen": "digcomp:4.2/3", "Voraussetzungen": "", "Veranstaltungsort": "HöMS Wiesbaden",
            "Ort": "Wiesbaden"}
    base.update(overrides)
    return base


def write_table(path: Path, rows: list[dict[str, str]], header: list[str] | None = None,
                encoding: str = "cp1252") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=header or HEADER, delimiter=";", lineterminator="\r\n",
                            extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


async def test_demo_csv_lands_47_seminars_and_quarantines_the_five_flawed_ones(store: Store) -> None:
    report = await run_adapter(store, HfpvAdapter, CSV_FILE)

    assert report.ok, report.error
    assert (report.received, report.landed, report.quarantined) == (52, 47, 5)
    assert await store.offers.count_documents({"provider": "hfpv"}) == 47
    reasons = await quarantined(store, "hfpv")
    assert set(reasons) == {"S27-118", "S27-127", "S27-133", "S27-143", "S27-146"}
    quarantined_text = {k: " | ".join(v) for k, v in reasons.items()}
    assert "Beginn '31.02.2027' is not a valid date" in quarantined_text["S27-118"]
    assert "unknown competence 'kc:blockchain'" in quarantined_text["S27-127"]
    assert "duplicate run" in quarantined_text["S27-133"] and "18.05.2027" in quarantined_text["S27-133"]
    assert quarantined_text["S27-143"].startswith("Preis fehlt")
    assert "'2027-13-01' is not a valid date" in quarantined_text["S27-146"]
    raw = await store.quarantine.find_one({"externalId": "S27-133"})
    assert [r["Beginn"] for r in raw["raw"]["rows"]] == ["18.05.2027", "18.05.2027"]


async def test_demo_rows_of_one_seminar_become_one_offer_with_its_runs(store: Store) -> None:
    await run_adapter(store, HfpvAdapter, CSV_FILE)
    stored = await offers(store, "hfpv")

    ozg = stored["S27-101"]  # two rows, far apart in the date-sorted export
    assert ozg["_id"] == "hfpv:S27-101"
    assert ozg["title"] == "Onlinezugangsgesetz kompakt: OZG 2.0 in der Kommune"
    assert (ozg["kind"], ozg["format"], ozg["selfPaced"]) == ("BASIS", "PRESENCE", False)
    assert ozg["hours"] == 6.0  # 8 Unterrichtsstunden of 45 minutes
    assert ozg["priceEur"] == 250.0
    assert ozg["competences"] == [{"competence": "kc:egov-law", "level": 3}, {"competence": "digcomp:2.3", "level": 2}]
    assert [(r["id"], r["start"], r["end"]) for r in ozg["runs"]] == [
        ("2027-01-05", day("2027-01-05"), day("2027-01-05")), ("2027-05-04", day("2027-05-04"), day("2027-05-04"))]
    assert ozg["location"] == {"name": "HöMS Wiesbaden, Schönbergstraße 100", "city": "Wiesbaden",
                               "lat": 50.0782, "lon": 8.2398}

    isb = stored["S27-106"]
    assert (isb["kind"], isb["priceEur"], isb["hours"], isb["certificate"]) == ("INTENSIV", 1450.0, 30.0, "Zertifikat")
    assert isb["prerequisites"] == [{"competence": "kc:information-security", "level": 3}]
    assert [r["end"] - r["start"] for r in isb["runs"]] == [timedelta(days=4)] * 2  # Monday to Friday

    muehlheim = stored["S27-104"]
    assert muehlheim["location"]["city"] == "Mühlheim am Main"
    assert (muehlheim["location"]["lat"], muehlheim["location"]["lon"]) == (50.1206, 8.8389)

    online = stored["S27-103"]
    assert (online["format"], online["location"], len(online["runs"])) == ("ONLINE", None, 3)
    assert stored["S27-105"]["priceEur"] == 0.0  # "0,00 €": free, stated explicitly


async def test_xlsx_over_http_yields_the_same_offers_as_the_csv(store: Store, feed_server: FeedServer) -> None:
    first = await run_adapter(store, HfpvAdapter, CSV_FILE)
    from_csv = {k: content(v) for k, v in (await offers(store, "hfpv")).items()}
    csv_quarantine = await quarantined(store, "hfpv")
    # no .xlsx in the URL: the adapter must recognise the workbook by its ZIP magic bytes
    feed_server.routes["/export/seminarprogramm"] = (200, XLSX_FILE.read_bytes())

    second = await run_adapter(store, HfpvAdapter, feed_server.url("export/seminarprogramm"))

    assert first.ok and second.ok, second.error
    assert (second.received, second.landed, second.quarantined) == (52, 47, 5)
    assert (second.unchanged, second.inserted, second.updated, second.retired) == (47, 0, 0, 0)
    assert {k: content(v) for k, v in (await offers(store, "hfpv")).items()} == from_csv
    assert set(await quarantined(store, "hfpv")) == set(csv_quarantine)


async def test_xlsx_file_from_disk_lands_the_same_counts(store: Store, tmp_path: Path) -> None:
    copy = shutil.copy(XLSX_FILE, tmp_path / "programm.xlsx")
    report = await run_adapter(store, HfpvAdapter, copy)
    assert (report.received, report.landed, report.quarantined) == (52, 47, 5)
    assert (await offers(store, "hfpv"))["S27-106"]["priceEur"] == 1450.0


async def test_conflicting_offer_columns_and_missing_town_are_quarantined(store: Store, tmp_path: Path) -> None:
    table = write_table(tmp_path / "p.csv", [
        row("A-1", "10.03.2027"), row("B-1", "11.03.2027"), row("A-1", "12.05.2027", Preis="290,00 €"),
        row("C-1", "13.03.2027", Ort="", Veranstaltungsort=""), row("D-1", "14.03.2027", Kursart="Aufbaumodul"),
        row("E-1", "15.03.2027", Ende="14.03.2027"), row("", "16.03.2027")])

    report = await run_adapter(store, HfpvAdapter, table)

    assert (report.received, report.landed, report.quarantined) == (6, 1, 5)
    reasons = {k: " | ".join(v) for k, v in (await quarantined(store, "hfpv")).items()}
    assert "Preis differs between the rows of this seminar (rows 2, 4)" in reasons["A-1"]
    assert "Ort fehlt" in reasons["C-1"]
    assert "Kursart 'Aufbaumodul'" in reasons["D-1"]
    assert "row 7: Ende 14.03.2027 is before Beginn 15.03.2027" in reasons["E-1"]
    assert "record has no id" in reasons[None]
    assert set(await offers(store, "hfpv")) == {"B-1"}


async def test_zeitstunden_win_and_online_self_study_may_be_undated(store: Store, tmp_path: Path) -> None:
    header = [*HEADER, "Zeitstunden", "Sprache"]
    table = write_table(tmp_path / "p.csv", [
        row("Z-1", "10.03.2027", Unterrichtsstunden="8", Zeitstunden="7,5", Sprache="Englisch"),
        row("S-1", "", Format="Online", Ort="", Veranstaltungsort="Lernplattform", Unterrichtsstunden="",
            Zeitstunden="4", Preis="kostenfrei"),
        row("P-1", "", Format="Präsenz")], header=header)

    report = await run_adapter(store, HfpvAdapter, table)

    assert (report.landed, report.quarantined) == (2, 1)
    stored = await offers(store, "hfpv")
    assert (stored["Z-1"]["hours"], stored["Z-1"]["languages"]) == (7.5, ["en"])
    self_study = stored["S-1"]
    assert (self_study["selfPaced"], self_study["priceEur"], self_study["location"]) == (True, 0.0, None)
    assert self_study["runs"] == [{"id": "undated", "start": None, "end": None}]
    assert "row 4: Beginn fehlt" in " ".join((await quarantined(store, "hfpv"))["P-1"])


async def test_utf8_export_is_read_as_utf8_not_as_windows_1252(store: Store, tmp_path: Path) -> None:
    table = write_table(tmp_path / "p.csv", [row("U-1", "10.03.2027", Titel="Führung und Änderungsmanagement",
                                                 Preis="1.250,00 €")], encoding="utf-8-sig")
    report = await run_adapter(store, HfpvAdapter, table)
    assert report.ok and report.landed == 1
    stored = (await offers(store, "hfpv"))["U-1"]
    assert (stored["title"], stored["priceEur"]) == ("Führung und Änderungsmanagement", 1250.0)


async def test_a_table_without_required_columns_fails_the_run_and_names_them(store: Store, tmp_path: Path) -> None:
    table = write_table(tmp_path / "p.csv", [row("A-1", "10.03.2027")],
                        header=["Seminarnummer", "Titel", "Format", "Beginn"])
    report = await run_adapter(store, HfpvAdapter, table)
    assert report.status == "FAILED"
    assert "lacks the column(s) Preis, Unterrichtsstunden or Zeitstunden" in (report.error or "")
    assert await store.offers.count_documents({}) == 0


async def test_broken_or_oversized_workbooks_fail_the_run(store: Store, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a zip archive")
    report = await run_adapter(store, HfpvAdapter, broken)
    assert report.status == "FAILED" and "not a readable .xlsx workbook" in (report.error or "")

    size = XLSX_FILE.stat().st_size
    bomb = await run_adapter(store, HfpvAdapter, XLSX_FILE, max_bytes=size + 100)  # fits packed, not unpacked
    assert bomb.status == "FAILED" and "unpacks to" in (bomb.error or "")


async def test_large_programme_is_yielded_in_pages_of_at_most_500(store: Store, tmp_path: Path) -> None:
    rows = [row(f"N-{i:04d}", f"{1 + i % 28:02d}.{1 + i % 12:02d}.2027") for i in range(1001)]
    report = await run_adapter(store, HfpvAdapter, write_table(tmp_path / "p.csv", rows))
    assert report.ok, report.error
    assert (report.pages, report.received, report.landed) == (3, 1001, 1001)
