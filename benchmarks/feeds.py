"""Seeded synthetic provider feeds in the three input formats, for the ingest benchmark.

The ingest benchmark must measure the adapters and the pipeline on the bytes a provider would send, not on
canonical documents, so this module writes feeds of N offers as files the real adapters read:

- `moochub`: MOOChub v3 JSON:API pages `courses-1.json`, `courses-2.json`, … linked by relative `links.next`
  (the adapter resolves them against the `file:` URI of the first page, exactly as against an http(s) URL);
- `hfpv`: the HöMS seminar table, CSV with `;`, Windows-1252 and CRLF, one row per run, sorted by Beginn as
  a seminar management system exports it, so the runs of one seminar are scattered over the file;
- `xcri`: one XCRI-CAP 1.2 catalogue `catalog > provider > course > presentation`.

Every offer has German titles and descriptions from a topic vocabulary per competence of
`sources/data/competences.json`, 1–3 competences with levels, prerequisites for Intensivmodule, prices
(a third free), on-site venues in towns of the built-in gazetteer, and 1–4 dated runs in 2027 (self-paced
online courses: one undated run). All records are valid: the benchmark checks that nothing is quarantined.

Determinism: offers come in chunks of 1,000, each chunk from its own `random.Random` seeded with
(seed, chunk), so offer i is the same whatever N is and the 10k feed is the prefix of the 100k one. Files are
written as streams (one page, one course, one month of rows at a time), so writing 100k offers needs little
memory.

    .venv/bin/python -m benchmarks.feeds moochub 10000 /tmp/feed      # prints the location to ingest
    .venv/bin/python -m benchmarks.feeds --check                     # every format maps back without loss
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sources.geocode import lookup
from sources.taxonomy import load_taxonomy

SEED = 20_270_301
CHUNK = 1_000
MOOCHUB_PAGE = 500
FORMATS = ("moochub", "hfpv", "xcri")
ADAPTERS = {"moochub": "moochub", "hfpv": "hfpv", "xcri": "xcri"}
PROVIDERS = {"moochub": "bench-moochub", "hfpv": "hfpv", "xcri": "bench-xcri"}
YEAR = 2027
ID_NAMESPACE = uuid.UUID("3d0c6f1e-55a4-4f7b-9b87-1c2f8e7a2027")

# Title stems and topic words per competence: titles read like a real programme, and a full-text search
# for a topic finds mostly the offers that teach it.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "digcomp:1.1": (("Gezielt recherchieren", "Suchstrategien im Netz"), ("Suchmaschinen", "Filter", "Quellen")),
    "digcomp:1.2": (("Quellen kritisch prüfen", "Falschmeldungen erkennen"), ("Faktencheck", "Glaubwürdigkeit")),
    "digcomp:1.3": (("Digitale Ablage ordnen", "Dateien strukturiert verwalten"), ("Ordnerstruktur", "Metadaten")),
    "digcomp:2.1": (("Videokonferenzen leiten", "Digital kommunizieren"), ("Videokonferenz", "Chat", "Moderation")),
    "digcomp:2.2": (("Dokumente sicher teilen", "Freigaben richtig setzen"), ("Freigaben", "Cloud", "Austausch")),
    "digcomp:2.3": (("Bürgerbeteiligung online", "E-Partizipation gestalten"), ("Beteiligung", "Bürgerhaushalt")),
    "digcomp:2.4": (("Zusammenarbeit im hybriden Team", "Kollaborationswerkzeuge"), ("Whiteboard", "Teamarbeit")),
    "digcomp:2.5": (("Netiquette im Dienst", "Umgang mit Hassrede"), ("Umgangsformen", "Kommentare", "Respekt")),
    "digcomp:2.6": (("Digitale Identität schützen", "BundID und Nutzerkonten"), ("Nutzerkonto", "Authentifizierung")),
    "digcomp:3.1": (("Barrierefreie Dokumente erstellen", "Formulare gestalten"), ("Vorlagen", "Layout")),
    "digcomp:3.2": (("Tabellenkalkulation für den Haushalt", "Serienbriefe und Vorlagen"), ("Formeln", "Pivot")),
    "digcomp:3.3": (("Urheberrecht im Amt", "Bildrechte und Lizenzen"), ("Nutzungsrechte", "Creative Commons")),
    "digcomp:3.4": (("Automatisieren mit Python", "Low-Code in der Verwaltung"), ("Skripte", "Automatisierung")),
    "digcomp:4.1": (("Phishing erkennen", "Geräte sicher nutzen"), ("Passwörter", "Schadsoftware", "Updates")),
    "digcomp:4.2": (("Datenschutz im Bürgerbüro", "Personenbezogene Daten schützen"), ("DSGVO", "Löschkonzept")),
    "digcomp:4.3": (("Gesund arbeiten am Bildschirm", "Digitale Balance"), ("Ergonomie", "Erreichbarkeit")),
    "digcomp:4.4": (("Green IT in der Kommune", "Nachhaltige Digitalisierung"), ("Energie", "Ressourcen")),
    "digcomp:5.1": (("IT-Probleme selbst lösen", "Erste Hilfe am Arbeitsplatzrechner"), ("Fehlersuche", "Ticket")),
    "digcomp:5.2": (("Digitale Lösungen auswählen", "Fachverfahren bewerten"), ("Anforderungen", "Marktanalyse")),
    "digcomp:5.3": (("Design Thinking im Amt", "Innovationslabor Verwaltung"), ("Prototyp", "Ideenfindung")),
    "digcomp:5.4": (("Digitale Kompetenzen entwickeln", "Lernen im digitalen Wandel"), ("Lernpfad", "Lernziele")),
    "kc:egov-law": (("Onlinezugangsgesetz verstehen", "OZG und EfA in der Praxis"), ("OZG", "Portalverbund")),
    "kc:data-protection-law": (("Datenschutzrecht für Behörden", "DSGVO und BDSG"), ("Auftragsverarbeitung",)),
    "kc:procurement": (("IT-Beschaffung rechtssicher", "EVB-IT in der Praxis"), ("Vergabe", "Rahmenvertrag")),
    "kc:register-modernisation": (("Registermodernisierung", "Once-Only umsetzen"), ("Register", "Nachweisabruf")),
    "kc:open-data": (("Open Data in der Kommune", "Offene Daten veröffentlichen"), ("Datenportal", "Transparenz")),
    "kc:process-management": (("Geschäftsprozesse modellieren", "BPMN für Einsteiger"), ("Prozessanalyse",)),
    "kc:e-files": (("Die E-Akte im Alltag", "Digitale Schriftgutverwaltung"), ("Aktenplan", "Aufbewahrung")),
    "kc:service-design": (("Service Design für Verwaltungsleistungen", "Die Bürgerreise verstehen"),
                          ("Nutzerforschung", "Prototyping")),
    "kc:agile-methods": (("Scrum im Amt", "Kanban für Teams"), ("Sprint", "Retrospektive", "Backlog")),
    "kc:digital-communication": (("Social Media für Kommunen", "Krisenkommunikation online"), ("Newsletter",)),
    "kc:information-security": (("ISMS aufbauen", "BSI-IT-Grundschutz"), ("Risikoanalyse", "Sicherheitskonzept")),
    "kc:it-architecture": (("XÖV und FIT-Connect", "IT-Architektur und Standards"), ("Schnittstellen",)),
    "kc:accessibility": (("BITV 2.0 umsetzen", "Barrierefreie Webseiten"), ("Screenreader", "Leichte Sprache")),
    "kc:ai-in-administration": (("KI-Assistenten im Amt", "Generative KI verantwortungsvoll nutzen"),
                                ("Sprachmodelle", "Chatbots")),
    "kc:data-analytics": (("Dashboards erstellen", "Datenbasiert steuern"), ("Kennzahlen", "Auswertung")),
    "kc:it-project-management": (("IT-Projekte steuern", "Projektmanagement kompakt"), ("Meilensteine", "Risiken")),
    "kc:digital-leadership": (("Digital führen", "Führen auf Distanz"), ("Führung", "Vertrauen", "Feedback")),
    "kc:change-management": (("Veränderungen begleiten", "Change-Management in der Verwaltung"), ("Widerstände",)),
}
AUDIENCES = ("", " für Führungskräfte", " für Sachbearbeitende", " im Bürgerbüro", " für Kommunen", " kompakt",
             " in der Praxis", " – Vertiefung", " für IT-Koordinatoren")
KIND_LABELS = {"BASIS": "Basismodul", "INTENSIV": "Intensivmodul", "BONUS": "Bonusmodul"}
KIND_LEVELS = {"BASIS": (1, 3), "INTENSIV": (4, 6), "BONUS": (2, 4), None: (1, 5)}
TOWNS = ("Wiesbaden", "Frankfurt am Main", "Kassel", "Gießen", "Darmstadt", "Mannheim", "Speyer", "Heidelberg",
         "Karlsruhe", "Stuttgart", "Mainz", "Marburg", "Fulda", "Koblenz", "Bonn", "Berlin")
VENUES = ("Bildungszentrum", "Verwaltungsakademie", "Rathaus, Sitzungssaal", "Tagungshotel am Bahnhof",
          "Hochschule, Hörsaalgebäude")
CERTIFICATES = ("Teilnahmebescheinigung", "Zertifikat", "Teilnahmebescheinigung", "Hochschulzertifikat")
PRICES = (90, 120, 150, 190, 220, 250, 290, 320, 380, 450, 490, 590, 690, 890, 1250, 1490)
HOURS = (3, 4.5, 6, 9, 12, 18, 24, 30)  # multiples of 45-minute teaching units (UE) from 4 to 40 UE


@dataclass(frozen=True)
class SyntheticOffer:
    """One offer, in neutral terms; each writer renders it in its format's vocabulary."""

    index: int
    title: str
    description: str
    kind: str | None
    format: str                   # ONLINE / PRESENCE / HYBRID
    self_paced: bool
    hours: float
    price: int                    # whole euros, 0 = free
    competences: tuple[tuple[str, int], ...]
    prerequisites: tuple[tuple[str, int], ...]
    town: str | None
    venue: str | None
    runs: tuple[tuple[date, date], ...]   # empty for a self-paced course (one undated run)
    languages: tuple[str, ...]
    certificate: str
    ects: int | None

    @property
    def slug(self) -> str:
        return f"kurs-{self.index + 1:07d}"


def _competence_weights(ids: list[str]) -> list[float]:
    """Zipf-like popularity: some competences (data protection, security, OZG) have far more offers."""
    rng = random.Random(SEED)
    order = ids[:]
    rng.shuffle(order)
    rank = {cid: i for i, cid in enumerate(order)}
    return [1.0 / (1 + rank[cid]) ** 0.8 for cid in ids]


def iter_offers(n: int, seed: int = SEED) -> Iterator[SyntheticOffer]:
    """The first `n` offers of the seeded catalogue, in order."""
    ids = sorted(load_taxonomy().competences)
    missing = set(ids) - set(TOPICS)
    if missing:
        raise RuntimeError(f"no topic vocabulary for {sorted(missing)}")
    weights = _competence_weights(ids)
    for chunk_start in range(0, n, CHUNK):
        rng = random.Random(f"{seed}:{chunk_start // CHUNK}")
        for index in range(chunk_start, min(n, chunk_start + CHUNK)):
            yield _offer(rng, index, ids, weights)


def _offer(rng: random.Random, index: int, ids: list[str], weights: list[float]) -> SyntheticOffer:
    chosen: list[str] = []
    while len(chosen) < rng.choice((1, 1, 2, 2, 3)):
        cid = rng.choices(ids, weights)[0]
        if cid not in chosen:
            chosen.append(cid)
    kind = rng.choice(("BASIS", "BASIS", "INTENSIV", "BONUS", None))
    low, high = KIND_LEVELS[kind]
    competences = tuple((cid, rng.randint(low, high)) for cid in chosen)
    prerequisites: tuple[tuple[str, int], ...] = ()
    if kind == "INTENSIV" and rng.random() < 0.7:
        prerequisites = ((chosen[0], max(1, competences[0][1] - 2)),)
    stems, words = TOPICS[chosen[0]]
    title = rng.choice(stems) + rng.choice(AUDIENCES)
    topic_words = [w for cid in chosen for w in TOPICS[cid][1]]
    rng.shuffle(topic_words)
    description = (f"{title}: {', '.join(topic_words[:3])} und was daraus für die tägliche Arbeit in der "
                   f"Verwaltung folgt. Mit Übungen an Fällen aus {rng.choice(TOWNS)} und einem Leitfaden für die "
                   f"Umsetzung im eigenen Amt ({words[0]}).")
    fmt = rng.choices(("ONLINE", "PRESENCE", "HYBRID"), (45, 40, 15))[0]
    self_paced = fmt == "ONLINE" and rng.random() < 0.5
    runs: list[tuple[date, date]] = []
    if not self_paced:
        days = {"PRESENCE": (1, 3), "ONLINE": (14, 42), "HYBRID": (21, 84)}[fmt]
        starts = sorted(rng.sample(range(4, 360), rng.choice((1, 1, 2, 2, 2, 3, 3, 4))))
        for day in starts:
            start = date(YEAR, 1, 1) + timedelta(days=day)
            runs.append((start, start + timedelta(days=rng.randint(*days) - 1)))
    town = None if fmt == "ONLINE" else rng.choice(TOWNS)
    price = 0 if rng.random() < 0.33 else rng.choice(PRICES)
    return SyntheticOffer(
        index=index, title=title, description=description, kind=kind, format=fmt, self_paced=self_paced,
        hours=rng.choice(HOURS), price=price, competences=competences, prerequisites=prerequisites, town=town,
        venue=None if town is None else f"{rng.choice(VENUES)} {town}", runs=tuple(runs),
        languages=rng.choices((("de",), ("en",), ("de", "en")), (92, 6, 2))[0],
        certificate=rng.choice(CERTIFICATES), ects=rng.choice((1, 2, 3, 5)) if rng.random() < 0.1 else None)


def external_id(fmt: str, offer: SyntheticOffer) -> str:
    """The id each format uses: a Xikolo UUID, a Seminarnummer, a course URL."""
    if fmt == "moochub":
        return str(uuid.uuid5(ID_NAMESPACE, str(offer.index)))
    if fmt == "hfpv":
        return f"S27-{offer.index + 1:06d}"
    return f"https://weiterbildung.example-akademie.de/programm-2027/{offer.slug}"


def _url(offer: SyntheticOffer) -> str:
    return f"https://weiterbildung.example-akademie.de/programm-2027/{offer.slug}"


# --- MOOChub v3 -----------------------------------------------------------------------------------------------


def moochub_course(offer: SyntheticOffer) -> dict[str, Any]:
    """One JSON:API resource as a Xikolo bridge publishes it."""
    modes = {"ONLINE": ["online", "asynchronous" if offer.self_paced else "synchronous"], "PRESENCE": ["onsite"],
             "HYBRID": ["blended"]}[offer.format]
    attrs: dict[str, Any] = {
        "name": offer.title,
        "courseCode": offer.slug,
        "description": offer.description,
        "url": _url(offer),
        "inLanguage": list(offer.languages),
        "courseMode": modes,
        "workload": {"timeValue": offer.hours, "timeUnit": "h/week"},
        "duration": "P1W",
        "educationalCredentialsAwarded": [offer.certificate],
        "teaches": [_skill(cid, level) for cid, level in offer.competences],
    }
    if offer.runs:
        attrs["startDate"] = [f"{start.isoformat()}T08:00:00Z" for start, _ in offer.runs]
        attrs["endDate"] = [f"{end.isoformat()}T16:00:00Z" for _, end in offer.runs]
    if offer.prerequisites:
        attrs["competencyRequired"] = [_skill(cid, level) for cid, level in offer.prerequisites]
    attrs["offer"] = [{"price": float(offer.price), "priceCurrency": "EUR", "paymentFrequency": "one-time",
                       "category": "course"}] if offer.price else []
    attrs["access"] = ["paid" if offer.price else "free"]
    if offer.ects:
        attrs["numberOfCredits"] = offer.ects
    if offer.town:
        place = lookup(offer.town)
        assert place is not None, offer.town
        attrs["contentLocation"] = {"name": offer.venue, "latitude": place.lat, "longitude": place.lon,
                                    "address": {"city": place.city, "addressCountry": "DE"}}
    return {"id": external_id("moochub", offer), "type": "Course", "attributes": attrs}


def _skill(cid: str, level: int) -> dict[str, Any]:
    framework, _, code = cid.partition(":")
    name = "DigComp" if framework == "digcomp" else "KC"
    return {"shortCode": code, "educationalFramework": name,
            "educationalLevel": {"type": "EducationalLevel", "shortCode": str(level), "educationalFramework": name}}


def write_moochub(n: int, folder: Path, page_size: int = MOOCHUB_PAGE, seed: int = SEED) -> Path:
    """Pages `courses-1.json` …; returns the first page, the location to ingest."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = max(1, -(-n // page_size))
    offers = iter_offers(n, seed)
    for number in range(1, pages + 1):
        data = [moochub_course(next(offers)) for _ in range(min(page_size, n - (number - 1) * page_size))]
        links = {"self": f"courses-{number}.json", "first": "courses-1.json", "last": f"courses-{pages}.json"}
        if number < pages:
            links["next"] = f"courses-{number + 1}.json"
        document = {"links": links, "meta": {"total": n}, "data": data}
        (folder / f"courses-{number}.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return folder / "courses-1.json"


# --- HöMS seminar table (CSV) -----------------------------------------------------------------------------------

HFPV_HEADER = ("Seminarnummer", "Titel", "Kursart", "Format", "Beginn", "Ende", "Unterrichtsstunden", "Preis",
               "Kompetenzen", "Voraussetzungen", "Veranstaltungsort", "Ort", "Sprache", "Abschluss", "Link",
               "Beschreibung")
HFPV_FORMATS = {"ONLINE": "Online", "PRESENCE": "Präsenz", "HYBRID": "Hybrid"}
HFPV_LANGUAGES = {"de": "Deutsch", "en": "Englisch"}


def _euro(amount: int) -> str:
    if amount == 0:
        return "kostenfrei"
    return f"{amount:,.2f} €".replace(",", "_").replace(".", ",").replace("_", ".")


def _codes(items: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{cid}/{level}" for cid, level in items)


def hfpv_rows(offer: SyntheticOffer) -> list[list[str]]:
    """One row per run, as the seminar management system exports them."""
    fixed = [external_id("hfpv", offer), offer.title, KIND_LABELS.get(offer.kind or "", ""),
             HFPV_FORMATS[offer.format]]
    ue = f"{offer.hours / 0.75:g}"
    tail = [ue, _euro(offer.price), _codes(offer.competences), _codes(offer.prerequisites),
            offer.venue or "Online (Webex)", offer.town or "",
            ", ".join(HFPV_LANGUAGES[code] for code in offer.languages), offer.certificate, _url(offer),
            offer.description]
    if not offer.runs:
        return [[*fixed, "", "", *tail]]
    return [[*fixed, f"{start:%d.%m.%Y}", f"{end:%d.%m.%Y}", *tail] for start, end in offer.runs]


def write_hfpv(n: int, folder: Path, seed: int = SEED) -> Path:
    """`seminarprogramm-2027.csv`, rows sorted by Beginn (undated online courses last), as exported.

    Sorting goes through one temporary file per month, so the writer holds a month of rows, not the file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "seminarprogramm-2027.csv"
    with tempfile.TemporaryDirectory(prefix="kc-hfpv-") as tmp:
        buckets = [open(Path(tmp) / f"{m:02d}.jsonl", "w", encoding="utf-8") for m in range(14)]  # noqa: SIM115
        try:
            for sequence, offer in enumerate(iter_offers(n, seed)):
                for row in hfpv_rows(offer):
                    day = date.fromisoformat("-".join(reversed(row[4].split(".")))) if row[4] else None
                    month = day.month if day and day.year == YEAR else 13
                    key = day.toordinal() if day else 0
                    buckets[month].write(json.dumps([key, sequence, row], ensure_ascii=False) + "\n")
        finally:
            for bucket in buckets:
                bucket.close()
        with open(target, "w", encoding="cp1252", newline="") as out:
            writer = csv.writer(out, delimiter=";", quotechar='"', lineterminator="\r\n")
            writer.writerow(HFPV_HEADER)
            for month in range(14):
                with open(Path(tmp) / f"{month:02d}.jsonl", encoding="utf-8") as bucket:
                    entries = sorted((json.loads(line) for line in bucket), key=lambda e: (e[0], e[1]))
                writer.writerows(entry[2] for entry in entries)
    return target


# --- XCRI-CAP 1.2 -----------------------------------------------------------------------------------------------

XCRI_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<catalog xmlns="http://xcri.org/profiles/1.2/catalog" xmlns:dc="http://purl.org/dc/elements/1.1/"
         xmlns:mlo="http://purl.org/net/mlo" xmlns:credit="http://purl.org/net/cm"
         xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#" xmlns:html="http://www.w3.org/1999/xhtml"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" generated="2026-11-02T08:00:00Z">
  <dc:title>Weiterbildungsprogramm 2027</dc:title>
  <provider>
    <dc:identifier>https://weiterbildung.example-akademie.de</dc:identifier>
    <dc:title>Verwaltungsakademie (synthetisch)</dc:title>
    <mlo:url>https://weiterbildung.example-akademie.de</mlo:url>
"""
XCRI_TAIL = """    <mlo:location>
      <mlo:street>Schlossplatz 1</mlo:street>
      <mlo:town>Wiesbaden</mlo:town>
      <mlo:postcode>65183</mlo:postcode>
    </mlo:location>
  </provider>
</catalog>
"""
XCRI_MODES = {"ONLINE": ("ON", "Online (no attendance)"), "PRESENCE": ("CM", "Campus"),
              "HYBRID": ("MM", "Mixed mode")}


def xcri_course(offer: SyntheticOffer) -> str:
    """One `course` element with a presentation per run, in the element order of the XCRI-CAP 1.2 schema."""
    e = escape
    out = [
        "    <course>\n",
        f"      <dc:description><html:div><html:p>{e(offer.description)}</html:p></html:div></dc:description>\n",
        f"      <dc:identifier>{e(external_id('xcri', offer))}</dc:identifier>\n",
    ]
    out += [f'      <dc:subject identifier="{cid}" level="{level}">{e(_label(cid))}</dc:subject>\n'
            for cid, level in offer.competences]
    out.append(f"      <dc:title xml:lang=\"de\">{e(offer.title)}</dc:title>\n")
    if offer.kind:
        out.append(f"      <dc:type>{KIND_LABELS[offer.kind]}</dc:type>\n")
    out.append(f"      <mlo:url>{e(_url(offer))}</mlo:url>\n")
    out.append(f"      <abstract>{e(offer.description[:140])}</abstract>\n")
    if offer.prerequisites:
        out.append(f"      <mlo:prerequisite>Vorkenntnisse: {_codes(offer.prerequisites)}</mlo:prerequisite>\n")
    out.append(f"      <mlo:qualification><dc:title>{e(offer.certificate)}</dc:title></mlo:qualification>\n")
    if offer.ects:
        out.append(f"      <mlo:credit><credit:scheme>ECTS</credit:scheme><credit:value>{offer.ects}</credit:value>"
                   "</mlo:credit>\n")
    for start, end in offer.runs or ((None, None),):
        out.append(_presentation(offer, start, end))
    out.append("    </course>\n")
    return "".join(out)


def _presentation(offer: SyntheticOffer, start: date | None, end: date | None) -> str:
    code, label = XCRI_MODES[offer.format]
    cost = "kostenfrei" if offer.price == 0 else _euro(offer.price).replace("€", "EUR")
    parts = ["      <presentation>\n",
             f"        <dc:identifier>{escape(_url(offer))}/{start.isoformat() if start else 'laufend'}"
             "</dc:identifier>\n"]
    if start and end:
        parts.append(f'        <mlo:start dtf="{start.isoformat()}">{start:%d.%m.%Y}</mlo:start>\n')
        parts.append(f'        <end dtf="{end.isoformat()}">{end:%d.%m.%Y}</end>\n')
    parts.append(f'        <mlo:duration interval="PT{offer.hours:g}H">{offer.hours:g} Stunden</mlo:duration>\n')
    if offer.self_paced:
        parts.append('        <studyMode identifier="FL">Flexible</studyMode>\n')
    parts.append(f'        <attendanceMode identifier="{code}">{label}</attendanceMode>\n')
    parts += [f"        <mlo:languageOfInstruction>{lang}</mlo:languageOfInstruction>\n" for lang in offer.languages]
    parts.append(f"        <mlo:cost>{escape(cost)}</mlo:cost>\n")
    if offer.town:
        place = lookup(offer.town)
        assert place is not None, offer.town
        parts.append(
            "        <venue><provider>"
            f"<dc:title>{escape(offer.venue or '')}</dc:title>"
            f"<mlo:location><mlo:town>{escape(place.city)}</mlo:town>"
            f"<geo:lat>{place.lat}</geo:lat><geo:long>{place.lon}</geo:long></mlo:location>"
            "</provider></venue>\n")
    parts.append("      </presentation>\n")
    return "".join(parts)


def _label(cid: str) -> str:
    return load_taxonomy().competences[cid].label["de"]


def write_xcri(n: int, folder: Path, seed: int = SEED) -> Path:
    """`katalog-2027.xml`, written course by course."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "katalog-2027.xml"
    with open(target, "w", encoding="utf-8") as out:
        out.write(XCRI_HEAD)
        for offer in iter_offers(n, seed):
            out.write(xcri_course(offer))
        out.write(XCRI_TAIL)
    return target


WRITERS = {"moochub": write_moochub, "hfpv": write_hfpv, "xcri": write_xcri}


def write_feed(fmt: str, n: int, folder: Path, seed: int = SEED) -> Path:
    """Write the feed of `n` offers in `fmt` under `folder`; returns the location to ingest."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    return WRITERS[fmt](n, folder, seed=seed)


def feed_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.iterdir() if f.is_file())


# --- self-check -------------------------------------------------------------------------------------------------


async def _map_all(fmt: str, location: Path) -> list[dict[str, Any]]:
    """Run the real adapter over the feed (pages + map + canonical validation), without a database."""
    from sources.base import SourceConfig
    from sources.fetch import Fetcher
    from sources.model import validate_offer
    from sources.registry import adapter_class

    taxonomy = load_taxonomy()
    mapped: list[dict[str, Any]] = []
    async with Fetcher() as fetcher:
        adapter = adapter_class(ADAPTERS[fmt])(SourceConfig(provider=PROVIDERS[fmt]), fetcher)
        async for page in adapter.pages(str(location)):
            for record in page.records:
                mapped.append(validate_offer(adapter.map(record), taxonomy).to_document())
    return mapped


def check(n: int = 600) -> None:
    """Every format's feed maps back to the generated offers: count, ids, titles, prices, runs, competences."""
    expected = list(iter_offers(n))
    for fmt in FORMATS:
        with tempfile.TemporaryDirectory() as tmp:
            location = write_feed(fmt, n, Path(tmp))
            docs = {d["externalId"]: d for d in asyncio.run(_map_all(fmt, location))}
        assert len(docs) == n, f"{fmt}: {len(docs)} offers mapped, {n} expected"
        for offer in expected:
            doc = docs[external_id(fmt, offer)]
            assert doc["title"] == offer.title, (fmt, doc["title"], offer.title)
            assert doc["priceEur"] == offer.price, (fmt, doc["priceEur"], offer.price)
            assert doc["format"] == offer.format and doc["selfPaced"] == offer.self_paced, (fmt, offer.index)
            assert doc["hours"] == offer.hours, (fmt, doc["hours"], offer.hours)
            assert doc["languages"] == list(offer.languages), (fmt, offer.index)
            assert doc["kind"] == (offer.kind if fmt != "moochub" else None), (fmt, offer.index)  # MOOChub has none
            assert [(r["start"].date(), r["end"].date()) for r in doc["runs"] if r["start"]] == list(offer.runs)
            assert {(c["competence"], c["level"]) for c in doc["competences"]} == set(offer.competences), fmt
            assert {(c["competence"], c["level"]) for c in doc["prerequisites"]} == set(offer.prerequisites), fmt
            assert (doc["location"] is None) == (offer.town is None), (fmt, offer.index)
        print(f"{fmt}: {n} offers map back unchanged")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.feeds", description=__doc__.split("\n\n")[0])
    parser.add_argument("format", nargs="?", choices=FORMATS)
    parser.add_argument("n", nargs="?", type=int, help="number of offers")
    parser.add_argument("outdir", nargs="?", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--check", action="store_true", help="verify that every format maps back unchanged")
    args = parser.parse_args(argv)
    if args.check:
        check()
        return 0
    if args.format is None or args.n is None or args.outdir is None:
        parser.error("FORMAT N OUTDIR are required (or --check)")
    location = write_feed(args.format, args.n, args.outdir, args.seed)
    print(location)
    print(f"{feed_bytes(args.outdir) / 2**20:.1f} MiB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
