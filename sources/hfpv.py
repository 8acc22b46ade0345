"""HöMS (formerly HfPV), Wiesbaden: the seminar programme as its seminar management system exports it.

The export is a table, one row per run (Termin): CSV with `;`, Windows-1252, German dates and amounts, or the
same table as `.xlsx` (detected by the file extension or the ZIP magic bytes). Rows sharing a Seminarnummer
are one offer with several runs; they may stand anywhere in the file (exports are sorted by date), so the
whole table is read before the first offer is yielded, in pages of at most 500. Memory stays flat however
long the table: the CSV is read as a stream from the Fetcher's file, and the rows wait for their seminar in
a temporary SQLite file (`sources.spill`), not in a list.

| column (header, case-insensitive)     | canonical                                                          |
|---------------------------------------|--------------------------------------------------------------------|
| Seminarnummer                         | externalId; rows with the same number are the runs of one offer    |
| Titel, Beschreibung, Link             | title, description, url                                            |
| Kursart (Basis-/Intensiv-/Bonusmodul) | kind BASIS / INTENSIV / BONUS; empty: no kind                      |
| Format (Präsenz / Online / Hybrid)    | format PRESENCE / ONLINE / HYBRID                                  |
| Beginn, Ende (`14.03.2027`)           | one run per row, id = the start day; no Ende: a one-day run       |
| Beginn and Ende empty, Format Online  | an undated run; an offer whose runs are all undated is selfPaced   |
| Zeitstunden, else Unterrichtsstunden  | hours; Unterrichtsstunden are teaching units (UE) of 45 min: × 0.75 |
| Preis (`1.250,00 €`, `kostenfrei`)    | priceEur                                                           |
| Kompetenzen (`kc:egov-law/3, digcomp:4.2/2`) | competences (level after `/`; none given: level 2)          |
| Voraussetzungen (same notation)       | prerequisites                                                      |
| Veranstaltungsort, Ort                | location {name, city}, lat/lon from `sources.geocode`; Online: none |
| Sprache (`Deutsch`, `de`, `Englisch`) | languages; empty: German                                           |
| Abschluss, ECTS                       | certificate, ects                                                  |

Decisions, and why:
- Hours: the canonical `hours` are clock hours of workload. Academies plan in Unterrichtsstunden (45-minute
  teaching units), so those are converted; a `Zeitstunden` column, where an export has one, wins.
- A missing Preis quarantines the seminar ("Preis fehlt"): this is a paid academy programme, so an empty cell is
  a forgotten price, not a free seminar; a free seminar says `0,00 €` or `kostenfrei`.
- Every row problem (impossible date, unknown competence code, unparseable amount) quarantines the whole
  seminar with the row named, and so does a duplicate run (same Seminarnummer and same Beginn twice), which
  in a booking system means two rows for one date.
- Offer-level columns (Titel, Format, Preis, ...) must agree between the rows of one seminar; a disagreement
  is quarantined, since the hub cannot know which row is right. Venues may differ between runs; the offer
  keeps the first run's venue, because the canonical offer has one location.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import IO, Any, ClassVar
from urllib.parse import urlparse

from sources.base import FeedError, Page, RawRecord, SourceConfig, paged
from sources.fetch import Fetcher, to_uri
from sources.fields import kind_from_label, parse_competences, parse_day, parse_decimal, parse_eur
from sources.geocode import lookup
from sources.model import DEFAULT_LEVEL, InvalidRecord
from sources.spill import RowGroups
from sources.taxonomy import Taxonomy, load_taxonomy

PAGE_SIZE = 500
READ_CHUNK = 1024 * 1024
UE_HOURS = 0.75  # one Unterrichtsstunde (teaching unit) is 45 minutes
ACCEPT = "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;q=0.9, */*;q=0.1"
ZIP_MAGIC = b"PK\x03\x04"

REQUIRED = ("Seminarnummer", "Titel", "Format", "Beginn", "Preis")
OPTIONAL = ("Beschreibung", "Kursart", "Ende", "Unterrichtsstunden", "Zeitstunden", "Kompetenzen",
            "Voraussetzungen", "Veranstaltungsort", "Ort", "Sprache", "Abschluss", "ECTS", "Link")
# columns that describe the seminar, not the run: they must be the same in every row of one seminar
OFFER_COLUMNS = ("Titel", "Beschreibung", "Kursart", "Format", "Unterrichtsstunden", "Zeitstunden", "Preis",
                 "Kompetenzen", "Voraussetzungen", "Sprache", "Abschluss", "ECTS", "Link")
FORMATS = {"präsenz": "PRESENCE", "praesenz": "PRESENCE", "präsenzveranstaltung": "PRESENCE",
           "online": "ONLINE", "webinar": "ONLINE", "e-learning": "ONLINE",
           "hybrid": "HYBRID", "blended learning": "HYBRID"}
LANGUAGES = {"deutsch": "de", "englisch": "en", "französisch": "fr", "german": "de", "english": "en"}


class HfpvAdapter:
    name: ClassVar[str] = "hfpv"
    description: ClassVar[str] = "HöMS (vormals HfPV) seminar programme: CSV (;, Windows-1252) or XLSX, one row per run"
    default_provider: ClassVar[str] = "hfpv"
    default_provider_name: ClassVar[str] = (
        "HöMS – Hessische Hochschule für öffentliches Management und Sicherheit (vormals HfPV)")

    def __init__(self, config: SourceConfig, fetcher: Fetcher, taxonomy: Taxonomy | None = None) -> None:
        self.config = config
        self.fetcher = fetcher
        self.taxonomy = taxonomy or load_taxonomy()

    async def pages(self, location: str) -> AsyncIterator[Page]:
        uri = to_uri(location)
        with RowGroups() as groups:
            async with self.fetcher.open(uri, accept=ACCEPT) as document:
                workbook = PurePosixPath(urlparse(uri).path).suffix.lower() == ".xlsx"
                if workbook or document.read(len(ZIP_MAGIC)) == ZIP_MAGIC:
                    rows = _xlsx_rows(_whole(document, uri, self.fetcher.in_memory_limit), uri,
                                      self.fetcher.in_memory_limit)
                else:
                    rows = _csv_rows(document, uri)
                for row in rows:
                    if any(v for k, v in row.items() if k != "_row"):  # skip empty lines, as spreadsheets leave
                        groups.add(row.get("Seminarnummer") or None, row)
            for page in paged((RawRecord(seminar, {"rows": seminar_rows}) for seminar, seminar_rows in groups),
                              uri, PAGE_SIZE):
                yield page

    def map(self, record: RawRecord) -> dict[str, Any]:
        rows: list[dict[str, str]] = record.data["rows"]
        first = rows[0]
        reasons = _conflicts(rows)
        fmt = FORMATS.get(first.get("Format", "").casefold())
        if fmt is None:
            reasons.append(f"Format {first.get('Format', '')!r} is not one of Präsenz, Online, Hybrid")
        kind = kind_from_label(first.get("Kursart"))
        if first.get("Kursart") and kind is None:
            reasons.append(f"Kursart {first['Kursart']!r} is not one of Basismodul, Intensivmodul, Bonusmodul")
        runs = _runs(rows, fmt, reasons)
        competences, problems = parse_competences(first.get("Kompetenzen", ""), self.taxonomy, DEFAULT_LEVEL)
        reasons += [f"Kompetenzen: {p}" for p in problems]
        prerequisites, problems = parse_competences(first.get("Voraussetzungen", ""), self.taxonomy, DEFAULT_LEVEL)
        reasons += [f"Voraussetzungen: {p}" for p in problems]
        fields: dict[str, Any] = {
            "provider": self.config.provider,
            "externalId": record.external_id,
            "title": first.get("Titel"),
            "description": first.get("Beschreibung", ""),
            "url": first.get("Link") or None,
            "languages": _languages(first.get("Sprache", "")),
            "kind": kind,
            "format": fmt,
            "selfPaced": bool(runs) and all(run["start"] is None for run in runs),
            "hours": _hours(first, reasons),
            "ects": _optional_number(first, "ECTS", reasons),
            "priceEur": _price(first, reasons),
            "certificate": first.get("Abschluss") or None,
            "competences": competences,
            "prerequisites": prerequisites,
            "location": _location(rows, fmt, reasons),
            "runs": runs,
        }
        if reasons:
            raise InvalidRecord(reasons)
        return fields


def _header(names: list[Any], uri: str) -> list[str]:
    known = {c.casefold(): c for c in (*REQUIRED, *OPTIONAL)}
    header = [known.get(str(n or "").strip().casefold(), str(n or "").strip()) for n in names]
    missing = [c for c in REQUIRED if c not in header]
    if "Unterrichtsstunden" not in header and "Zeitstunden" not in header:
        missing.append("Unterrichtsstunden or Zeitstunden")
    if missing:
        raise FeedError(f"{uri}: the seminar table lacks the column(s) {', '.join(missing)} "
                        f"(header: {'; '.join(h for h in header if h)})")
    return header


def _whole(document: IO[bytes], uri: str, limit: int) -> bytes:
    """A workbook is a ZIP archive, which needs random access in memory; so it is bounded like any in-memory read."""
    document.seek(0)
    body = document.read(limit + 1)
    if len(body) > limit:
        raise FeedError(f"{uri}: the workbook is more than the limit of {limit} bytes")
    return body


def _encoding(document: IO[bytes]) -> str:
    """UTF-8 when the bytes are valid UTF-8 (a file re-saved by an editor), else Windows-1252 as exported.

    Decided on the whole file before parsing, chunk by chunk, so one late umlaut cannot switch encodings
    half-way through the table.
    """
    document.seek(0)
    if document.read(3) == b"\xef\xbb\xbf":
        return "utf-8-sig"
    document.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := document.read(READ_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        document.seek(0)


def _csv_rows(document: IO[bytes], uri: str) -> Iterator[dict[str, str]]:
    encoding = _encoding(document)
    text = io.TextIOWrapper(document, encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text, delimiter=";", quotechar='"', strict=True)
    try:
        header: list[str] | None = None
        for number, values in enumerate(reader, start=1):
            if header is None:
                header = _header(values, uri)
                continue
            yield _row(header, values, number)
        if header is None:
            raise FeedError(f"{uri}: the seminar table is empty")
    except UnicodeDecodeError as exc:
        raise FeedError(f"{uri}: neither UTF-8 nor Windows-1252 text ({exc.reason})") from None
    except csv.Error as exc:
        raise FeedError(f"{uri}: not a readable CSV table (line {reader.line_num}: {exc})") from None
    finally:
        text.detach()  # the Fetcher owns the file and closes it


def _xlsx_rows(body: bytes, uri: str, max_bytes: int) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook  # openpyxl parses the sheet XML through defusedxml when installed

    try:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > max_bytes:
            raise FeedError(f"{uri}: the workbook unpacks to {unpacked} bytes, more than the limit of {max_bytes}")
        workbook = load_workbook(io.BytesIO(body), read_only=True, data_only=True)
    except FeedError:
        raise
    except Exception as exc:  # BadZipFile, InvalidFileException, KeyError for a missing part, XML errors
        raise FeedError(f"{uri}: not a readable .xlsx workbook ({type(exc).__name__}: {exc})") from None
    try:
        lines = workbook.worksheets[0].iter_rows(values_only=True)
        first = next(lines, None)
        if first is None:
            raise FeedError(f"{uri}: the seminar table is empty")
        header = _header(list(first), uri)
        for number, values in enumerate(lines, start=2):
            yield _row(header, [_cell_text(v) for v in values], number)
    finally:
        workbook.close()


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the CSV export writes it, so both files map through the same code."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _row(header: list[str], values: list[str], line: int) -> dict[str, str]:
    row = {"_row": str(line)}
    for name, value in zip(header, values, strict=False):
        if name:
            row[name] = " ".join(str(value).split()) if name != "Beschreibung" else str(value).strip()
    return row


def _conflicts(rows: list[dict[str, str]]) -> list[str]:
    reasons = []
    for column in OFFER_COLUMNS:
        values = {row.get(column, "") for row in rows}
        if len(values) > 1:
            lines = ", ".join(row["_row"] for row in rows)
            reasons.append(f"{column} differs between the rows of this seminar (rows {lines}): "
                           + " / ".join(repr(v) for v in sorted(values)))
    return reasons


def _runs(rows: list[dict[str, str]], fmt: str | None, reasons: list[str]) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = []
    first_row: dict[str, str] = {}
    for row in rows:
        line = row["_row"]
        begin, end_text = row.get("Beginn", ""), row.get("Ende", "")
        if not begin and not end_text and fmt == "ONLINE":
            run_id, start, end = "undated", None, None
        elif not begin:
            reasons.append(f"row {line}: Beginn fehlt (only online self-study may be undated)")
            continue
        else:
            try:
                column = "Beginn"
                start = parse_day(begin)
                column = "Ende"
                end = parse_day(end_text) if end_text else start
            except ValueError as exc:
                reasons.append(f"row {line}: {column} {exc}")
                continue
            if end < start:
                reasons.append(f"row {line}: Ende {end_text} is before Beginn {begin}")
                continue
            run_id = start.isoformat()
        if run_id in first_row:
            when = begin or "without a date"
            reasons.append(f"duplicate run: rows {first_row[run_id]} and {line} both start {when}")
            continue
        first_row[run_id] = line
        runs.append({"id": run_id, "start": start, "end": end})
    return runs


def _hours(row: dict[str, str], reasons: list[str]) -> float | None:
    try:
        if row.get("Zeitstunden"):
            return round(parse_decimal(row["Zeitstunden"]), 2)
        if row.get("Unterrichtsstunden"):
            return round(parse_decimal(row["Unterrichtsstunden"]) * UE_HOURS, 2)
    except ValueError as exc:
        reasons.append(f"hours: {exc}")
        return None
    reasons.append("Unterrichtsstunden fehlen: the workload of the seminar is unknown")
    return None


def _price(row: dict[str, str], reasons: list[str]) -> float | None:
    if not row.get("Preis"):
        reasons.append("Preis fehlt: a paid academy programme must state the price (0,00 € or kostenfrei if free)")
        return None
    try:
        return parse_eur(row["Preis"])
    except ValueError as exc:
        reasons.append(f"Preis: {exc}")
        return None


def _optional_number(row: dict[str, str], column: str, reasons: list[str]) -> float | None:
    if not row.get(column):
        return None
    try:
        return parse_decimal(row[column])
    except ValueError as exc:
        reasons.append(f"{column}: {exc}")
        return None


def _languages(text: str) -> list[str]:
    codes = [LANGUAGES.get(part.strip().casefold(), part.strip()) for part in text.split(",") if part.strip()]
    return codes or ["de"]


def _location(rows: list[dict[str, str]], fmt: str | None, reasons: list[str]) -> dict[str, Any] | None:
    if fmt == "ONLINE":
        return None  # "Online (Webex)" in the venue column names a tool, not a place
    row = next((r for r in rows if r.get("Ort") or r.get("Veranstaltungsort")), None)
    if row is None:
        if fmt in {"PRESENCE", "HYBRID"}:
            reasons.append("Ort fehlt: an in-person seminar needs its town")
        return None
    city = row.get("Ort") or None
    place = lookup(city)
    return {"name": row.get("Veranstaltungsort") or None, "city": place.city if place else city,
            "lat": place.lat if place else None, "lon": place.lon if place else None}
