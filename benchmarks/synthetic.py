"""A seeded generator of realistic canonical offers, and a streaming MOOChub v3 feed writer for the same offers.

Why synthetic: the real catalogues hold a few hundred offers; the hub must stay fast at 100k and 1M. The shape
is what the benchmarks depend on, so the generator copies the real one: German titles and descriptions drawn
from a topic vocabulary per competence plus general administration words with a Zipf skew and rare compound
words (so BM25 sees common and rare terms and a vocabulary in the thousands), 40% free offers, skewed
competence popularity, on-site offers around German cities, 1-3 dated runs in 2027 or one undated run for
self-paced courses.

Determinism: offers are generated in chunks of 1,000, each chunk from its own RNG seeded with (seed, chunk),
so offer i is the same whatever n is (the 10k catalogue is the prefix of the 100k one).

    docs = list(iter_offers(10_000))                          # store documents, as the hub reads them
    write_moochub_feed(iter_offers(10_000, provider="dhbw"), folder, total=10_000)   # courses-1.json, ...

`python -m benchmarks.synthetic --check` verifies that the documents are valid canonical offers with the
hub's content hash, and that the feed validates against the MOOChub schema and maps back to the same offers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

SEED = 20_270_101
CHUNK = 1_000
PAGE_SIZE = 1_000
YEAR = 2027
STORED_AT = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)
ID_NAMESPACE = uuid.UUID("6f1c2a56-0b7e-4c0e-9a55-6b3f52d7a001")
FORMATS = ("ONLINE", "PRESENCE", "HYBRID")
KINDS = ("BASIS", "INTENSIV", "BONUS", None)
CREDENTIALS = ("confirmation of participation", "record of achievement", "certificate", None)


@dataclass(frozen=True)
class ProviderSpec:
    id: str
    name: str
    city: str
    weight: float                         # share of the catalogue
    formats: tuple[float, float, float]   # P(ONLINE), P(PRESENCE), P(HYBRID)


PROVIDERS = (
    ProviderSpec("egov-campus", "eGov-Campus", "Berlin", 12, (1.0, 0.0, 0.0)),
    ProviderSpec("dhbw", "DHBW Mannheim", "Mannheim", 9, (0.3, 0.4, 0.3)),
    ProviderSpec("hoems", "HöMS Wiesbaden", "Wiesbaden", 8, (0.3, 0.5, 0.2)),
    ProviderSpec("duv-speyer", "DUV Speyer", "Speyer", 7, (0.35, 0.45, 0.2)),
    ProviderSpec("hs-kehl", "Hochschule Kehl", "Kehl", 5, (0.3, 0.5, 0.2)),
    ProviderSpec("hs-ludwigsburg", "Hochschule Ludwigsburg", "Ludwigsburg", 5, (0.3, 0.5, 0.2)),
    ProviderSpec("hspv-nrw", "HSPV NRW", "Gelsenkirchen", 6, (0.4, 0.4, 0.2)),
    ProviderSpec("bakoev", "Bundesakademie für öffentliche Verwaltung", "Brühl", 6, (0.5, 0.35, 0.15)),
    ProviderSpec("kgst", "KGSt", "Köln", 4, (0.6, 0.3, 0.1)),
    ProviderSpec("komm-akademie-bw", "Kommunalakademie Baden-Württemberg", "Stuttgart", 4, (0.4, 0.45, 0.15)),
    ProviderSpec("bvs-bayern", "Bayerische Verwaltungsschule", "München", 5, (0.35, 0.5, 0.15)),
    ProviderSpec("saechsische-akademie", "Sächsische Verwaltungsakademie", "Meißen", 2, (0.3, 0.55, 0.15)),
    ProviderSpec("studieninstitut-rhein-neckar", "Studieninstitut Rhein-Neckar", "Heidelberg", 3,
                 (0.25, 0.6, 0.15)),
    ProviderSpec("vwa-hessen", "Verwaltungsakademie Hessen", "Frankfurt am Main", 3, (0.3, 0.55, 0.15)),
    ProviderSpec("nsi-hannover", "Niedersächsisches Studieninstitut", "Hannover", 3, (0.35, 0.5, 0.15)),
    ProviderSpec("dataport-akademie", "Dataport Akademie", "Hamburg", 2, (0.6, 0.3, 0.1)),
    ProviderSpec("itzbund-akademie", "ITZBund Akademie", "Bonn", 2, (0.6, 0.3, 0.1)),
    ProviderSpec("vhs-mannheim", "Abendakademie Mannheim", "Mannheim", 2, (0.2, 0.7, 0.1)),
    ProviderSpec("fitko-lab", "FITKO Lab", "Frankfurt am Main", 1, (0.8, 0.1, 0.1)),
    ProviderSpec("thueringer-akademie", "Thüringer Verwaltungsakademie", "Erfurt", 1, (0.3, 0.55, 0.15)),
)
PROVIDER_BY_ID = {p.id: p for p in PROVIDERS}

CITIES: dict[str, tuple[float, float]] = {
    "Mannheim": (49.4875, 8.4660), "Heidelberg": (49.3988, 8.6724), "Speyer": (49.3173, 8.4412),
    "Wiesbaden": (50.0782, 8.2398), "Kehl": (48.5726, 7.8150), "Ludwigsburg": (48.8975, 9.1919),
    "Stuttgart": (48.7758, 9.1829), "Karlsruhe": (49.0069, 8.4037), "Freiburg im Breisgau": (47.9990, 7.8421),
    "Frankfurt am Main": (50.1109, 8.6821), "Mainz": (49.9929, 8.2473), "Darmstadt": (49.8728, 8.6512),
    "Kassel": (51.3127, 9.4797), "Köln": (50.9375, 6.9603), "Bonn": (50.7374, 7.0982), "Brühl": (50.8286, 6.9047),
    "Düsseldorf": (51.2277, 6.7735), "Gelsenkirchen": (51.5177, 7.0857), "Münster": (51.9607, 7.6261),
    "Berlin": (52.5200, 13.4050), "Potsdam": (52.3906, 13.0645), "Hamburg": (53.5511, 9.9937),
    "Bremen": (53.0793, 8.8017), "Hannover": (52.3759, 9.7320), "München": (48.1351, 11.5820),
    "Nürnberg": (49.4521, 11.0767), "Leipzig": (51.3397, 12.3731), "Dresden": (51.0504, 13.7373),
    "Meißen": (51.1636, 13.4775), "Erfurt": (50.9848, 11.0299), "Saarbrücken": (49.2402, 6.9969),
    "Kiel": (54.3233, 10.1228),
}
CITY_NAMES = tuple(CITIES)

# Per competence: title phrases and topic words. Descriptions draw from the topic words of the offer's
# competences, so a search for "Datenschutz" finds mostly data-protection offers, ranked by BM25.
TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "digcomp:1.1": (("Recherche im Netz", "Suchstrategien für die Sachbearbeitung", "Informationen gezielt finden"),
                    ("Recherche", "Suchmaschine", "Suchbegriffe", "Filter", "Quellen", "Datenbanken", "Treffer")),
    "digcomp:1.2": (("Quellen kritisch bewerten", "Falschinformationen erkennen", "Informationskompetenz"),
                    ("Quellenkritik", "Glaubwürdigkeit", "Desinformation", "Faktencheck", "Bewertung", "Quellen")),
    "digcomp:1.3": (("Digitale Ablage organisieren", "Daten strukturiert verwalten", "Dateimanagement im Amt"),
                    ("Ablage", "Ordnerstruktur", "Dateien", "Metadaten", "Versionierung", "Archivierung")),
    "digcomp:2.1": (("Videokonferenzen souverän leiten", "Digital kommunizieren", "Messenger im Dienst"),
                    ("Videokonferenz", "Kommunikation", "Chat", "Telefonie", "Besprechung", "Moderation")),
    "digcomp:2.2": (("Dokumente sicher teilen", "Kollaborativ Dateien austauschen", "Freigaben richtig setzen"),
                    ("Freigabe", "Teilen", "Cloud", "Austausch", "Berechtigungen", "Links")),
    "digcomp:2.3": (("Bürgerbeteiligung online", "E-Partizipation in der Kommune", "Digitale Teilhabe fördern"),
                    ("Bürgerbeteiligung", "Partizipation", "Teilhabe", "Beteiligungsplattform", "Bürgerhaushalt")),
    "digcomp:2.4": (("Digitale Zusammenarbeit im Team", "Kollaborationswerkzeuge einsetzen", "Hybrides Arbeiten"),
                    ("Zusammenarbeit", "Kollaboration", "Team", "Whiteboard", "Aufgabenplanung", "Homeoffice")),
    "digcomp:2.5": (("Netiquette im Dienst", "Respektvoll online kommunizieren", "Umgang mit Hassrede"),
                    ("Netiquette", "Umgangsformen", "Hassrede", "Moderation", "Kommentare", "Respekt")),
    "digcomp:2.6": (("Digitale Identität schützen", "Das eigene Profil im Netz", "BundID und Nutzerkonten"),
                    ("Identität", "Nutzerkonto", "BundID", "Profil", "Authentifizierung", "Reputation")),
    "digcomp:3.1": (("Barrierefreie Dokumente erstellen", "Digitale Inhalte gestalten", "Formulare entwerfen"),
                    ("Dokumente", "Gestaltung", "Vorlagen", "Formulare", "Layout", "Inhalte", "Präsentation")),
    "digcomp:3.2": (("Tabellenkalkulation für die Haushaltsplanung", "Serienbriefe und Vorlagen",
                     "Inhalte neu zusammenstellen"),
                    ("Tabellenkalkulation", "Formeln", "Pivot", "Serienbrief", "Haushaltsplanung", "Auswertung")),
    "digcomp:3.3": (("Urheberrecht im Verwaltungsalltag", "Lizenzen richtig nutzen", "Bildrechte und Creative Commons"),
                    ("Urheberrecht", "Lizenzen", "Nutzungsrechte", "Bildrechte", "CreativeCommons", "Zitate")),
    "digcomp:3.4": (("Programmieren für Einsteiger", "Automatisieren mit Python", "Low-Code in der Verwaltung"),
                    ("Programmierung", "Python", "Skripte", "Automatisierung", "LowCode", "Algorithmen")),
    "digcomp:4.1": (("Informationssicherheit für Beschäftigte", "Geräte sicher nutzen", "Phishing erkennen"),
                    ("Informationssicherheit", "Phishing", "Passwörter", "Schadsoftware", "Updates", "Geräte")),
    "digcomp:4.2": (("Datenschutz im Bürgerbüro", "DSGVO in der Verwaltungspraxis", "Personenbezogene Daten schützen"),
                    ("Datenschutz", "DSGVO", "personenbezogene", "Einwilligung", "Auskunftsrecht", "Löschkonzept")),
    "digcomp:4.3": (("Gesund arbeiten am Bildschirm", "Digitale Balance", "Stress im digitalen Büro"),
                    ("Gesundheit", "Ergonomie", "Bildschirmarbeit", "Stress", "Erreichbarkeit", "Pausen")),
    "digcomp:4.4": (("Green IT in der Kommune", "Nachhaltige Digitalisierung", "Energieeffiziente IT"),
                    ("Nachhaltigkeit", "Energie", "GreenIT", "Ressourcen", "Klimaschutz", "Rechenzentrum")),
    "digcomp:5.1": (("IT-Probleme selbst lösen", "Erste Hilfe am Arbeitsplatzrechner", "Störungen melden"),
                    ("Störung", "Fehlersuche", "Support", "Ticket", "Drucker", "Netzwerk")),
    "digcomp:5.2": (("Digitale Lösungen auswählen", "Bedarfe erkennen und beschreiben", "Fachverfahren bewerten"),
                    ("Bedarfsanalyse", "Anforderungen", "Lösungen", "Fachverfahren", "Auswahl", "Marktanalyse")),
    "digcomp:5.3": (("Kreativ mit digitalen Werkzeugen", "Innovationslabor Verwaltung", "Design Thinking"),
                    ("Innovation", "Kreativität", "DesignThinking", "Prototyp", "Ideen", "Werkzeuge")),
    "digcomp:5.4": (("Digitale Kompetenzen weiterentwickeln", "Lernen im digitalen Wandel",
                     "Selbsteinschätzung DigComp"),
                    ("Kompetenzen", "Weiterbildung", "Lernpfad", "Selbsteinschätzung", "Lernziele", "DigComp")),
    "kc:egov-law": (("Onlinezugangsgesetz verstehen", "E-Government-Recht kompakt", "OZG und EfA in der Praxis"),
                    ("OZG", "E-Government", "Onlinezugangsgesetz", "EfA", "Portalverbund", "Leistungskatalog")),
    "kc:data-protection-law": (("Datenschutzrecht für Behörden", "DSGVO und BDSG", "Datenschutzbeauftragte"),
                               ("Datenschutz", "DSGVO", "BDSG", "Rechtsgrundlage", "Auftragsverarbeitung",
                                "Datenschutzbeauftragte")),
    "kc:procurement": (("IT-Beschaffung rechtssicher", "Vergaberecht für IT-Leistungen", "EVB-IT in der Praxis"),
                       ("Vergabe", "Beschaffung", "Ausschreibung", "EVB-IT", "Vergaberecht", "Rahmenvertrag")),
    "kc:register-modernisation": (("Registermodernisierung", "Once-Only umsetzen", "Registerdaten nutzen"),
                                  ("Register", "OnceOnly", "Identifikationsnummer", "Nachweisabruf", "Datenaustausch")),
    "kc:open-data": (("Open Data in der Kommune", "Informationsfreiheit", "Offene Daten veröffentlichen"),
                     ("OpenData", "Informationsfreiheit", "Datenportal", "Transparenz", "Lizenzen", "Datensätze")),
    "kc:process-management": (("Prozessmanagement in der Verwaltung", "Geschäftsprozesse modellieren",
                               "BPMN für Einsteiger"),
                              ("Prozessmanagement", "BPMN", "Geschäftsprozesse", "Modellierung", "Optimierung",
                               "Prozessanalyse")),
    "kc:e-files": (("E-Akte einführen", "Digitale Schriftgutverwaltung", "Die E-Akte im Alltag"),
                   ("EAkte", "Schriftgut", "Aktenplan", "Dokumentenmanagement", "Scannen", "Aufbewahrung")),
    "kc:service-design": (("Service Design für Verwaltungsleistungen", "Nutzerzentriert gestalten",
                           "Bürgerreise verstehen"),
                          ("ServiceDesign", "Nutzerzentrierung", "Nutzerforschung", "Bürgerreise", "Prototyping")),
    "kc:agile-methods": (("Agile Methoden in der Verwaltung", "Scrum im Amt", "Kanban für Teams"),
                         ("Agil", "Scrum", "Kanban", "Sprint", "Retrospektive", "Backlog")),
    "kc:digital-communication": (("Social Media für Kommunen", "Digitale Bürgerkommunikation",
                                  "Krisenkommunikation online"),
                                 ("SocialMedia", "Bürgerkommunikation", "Pressearbeit", "Website", "Newsletter")),
    "kc:information-security": (("Informationssicherheitsmanagement", "BSI-IT-Grundschutz", "ISMS aufbauen"),
                                ("Informationssicherheit", "ISMS", "Grundschutz", "BSI", "Risikoanalyse",
                                 "Sicherheitskonzept")),
    "kc:it-architecture": (("IT-Architektur und Standards", "XÖV und FIT-Connect", "Interoperabilität"),
                           ("Architektur", "Standards", "XÖV", "Schnittstellen", "Interoperabilität", "FITConnect")),
    "kc:accessibility": (("Digitale Barrierefreiheit", "BITV 2.0 umsetzen", "Barrierefreie Webseiten"),
                         ("Barrierefreiheit", "BITV", "Screenreader", "Kontraste", "LeichteSprache", "Webseiten")),
    "kc:ai-in-administration": (("Künstliche Intelligenz in der Verwaltung", "KI-Assistenten im Amt",
                                 "Generative KI verantwortungsvoll nutzen"),
                                ("KI", "Künstliche", "Intelligenz", "Sprachmodelle", "Chatbot", "Algorithmen")),
    "kc:data-analytics": (("Datenanalyse für die Steuerung", "Dashboards erstellen", "Datenbasiert entscheiden"),
                          ("Datenanalyse", "Dashboard", "Kennzahlen", "Statistik", "Visualisierung", "Steuerung")),
    "kc:it-project-management": (("IT-Projektmanagement", "Projekte planen und steuern", "PM² für Behörden"),
                                 ("Projektmanagement", "Projektplanung", "Meilensteine", "Risiken", "Ressourcen",
                                  "Projektsteuerung")),
    "kc:digital-leadership": (("Digitale Führung", "Führen auf Distanz", "Führungskräfte im Wandel"),
                              ("Führung", "Führungskräfte", "Distanz", "Vertrauen", "Mitarbeitende", "Wandel")),
    "kc:change-management": (("Change-Management", "Veränderungen begleiten", "Digitalisierung gestalten"),
                             ("Veränderung", "Change", "Widerstände", "Kommunikation", "Akzeptanz", "Wandel")),
}
# Popularity, most offered first: data protection and security dominate real catalogues of public administration.
POPULARITY = (
    "kc:data-protection-law", "digcomp:4.2", "kc:information-security", "digcomp:4.1", "kc:egov-law", "kc:e-files",
    "kc:process-management", "digcomp:2.4", "kc:digital-leadership", "kc:it-project-management", "digcomp:1.1",
    "kc:agile-methods", "digcomp:3.1", "kc:accessibility", "kc:change-management", "digcomp:3.2",
    "kc:ai-in-administration", "digcomp:2.1", "kc:service-design", "kc:procurement", "digcomp:1.3",
    "kc:digital-communication", "kc:data-analytics", "digcomp:1.2", "kc:register-modernisation",
    "kc:it-architecture", "digcomp:5.1", "digcomp:2.2", "digcomp:3.3", "kc:open-data", "digcomp:5.2",
    "digcomp:4.3", "digcomp:2.3", "digcomp:2.6", "digcomp:5.4", "digcomp:3.4", "digcomp:2.5", "digcomp:5.3",
    "digcomp:4.4",
)
_GENERAL_TEXT = """
Verwaltung Kommune Beschäftigte Praxis Beispiele Übungen lernen Teilnehmende Seminar Modul Fallstudie Gemeinde
Landkreis Bürgerinnen Bürger Antrag Verfahren digital Anwendung Werkzeuge Arbeitsplatz Team Grundlagen Überblick
Einführung vertiefen Methoden Aufgaben Rolle Verantwortung Recht Gesetz Vorgaben Umsetzung Leitfaden Checkliste
Behörde Amt Dienststelle Sachbearbeitung Führungskräfte Organisation Abläufe Qualität Service Leistungen Portal
Formular Daten Informationen Dokumente Akten Entscheidung Bescheid Fristen Zuständigkeit Landesrecht Bundesrecht
Kommunalrecht Haushalt Kosten Nutzen Ziele Strategie Planung Steuerung Kontrolle Risiken Chancen Herausforderungen
Lösungen Erfahrungen Austausch Netzwerk Diskussion Gruppenarbeit Vortrag Workshop Webinar Selbstlernphase
Präsenztag Abschluss Zertifikat Teilnahmebescheinigung Dozentin Dozent Expertinnen Experten Hochschule Akademie
Studieninstitut Weiterbildung Fortbildung Qualifizierung Kompetenz Wissen Können Haltung Motivation Zusammenarbeit
Kommunikation Beratung Bürgernähe Transparenz Effizienz Wirtschaftlichkeit Sicherheit Vertrauen Akzeptanz Wandel
Digitalisierung Modernisierung Innovation Technik Software Systeme Schnittstellen Plattform Infrastruktur Betrieb
Einführungsprojekt Pilotprojekt Landesverwaltung Bundesverwaltung Stadtverwaltung Kreisverwaltung Ministerium
Rathaus Bürgerbüro Standesamt Ordnungsamt Bauamt Sozialamt Jugendamt Personalamt Kämmerei Hauptamt
Personalrat Gleichstellung Dienstvereinbarung Arbeitszeit Telearbeit mobile Endgeräte Laptop Smartphone Tablet
anhand konkreter Fälle typischer Situationen im Alltag Schritt für Schritt kompakt verständlich praxisnah
aktuelle Entwicklungen Rechtsprechung Anforderungen Pflichten Rechte Handlungsempfehlungen Tipps Fehler vermeiden
erkennen bewerten anwenden gestalten planen umsetzen prüfen dokumentieren kommunizieren entscheiden begleiten
sicher rechtssicher effizient nachhaltig barrierefrei nutzerfreundlich medienbruchfrei verbindlich transparent
Kurs Lerneinheit Lernmodul Onlinekurs Selbstlernkurs Präsenzseminar Blended Learning Lernplattform Videos Quiz
Aufgabe Reflexion Transfer Praxisprojekt Abschlussarbeit Prüfung Test Feedback Begleitung Coaching Mentoring
"""
GENERAL_WORDS = tuple(dict.fromkeys(_GENERAL_TEXT.split()))
COMPOUND_HEADS = ("Verwaltungs", "Bürger", "Daten", "Prozess", "Akten", "Projekt", "Sicherheits", "Service",
                  "Haushalts", "Personal", "Organisations", "Kommunal", "Landes", "Bundes", "Informations",
                  "Digital", "Rechts", "Verfahrens", "Führungs", "Kompetenz", "Lern", "Beteiligungs", "Register",
                  "Portal", "Schnittstellen", "Dokumenten", "Melde", "Bau", "Sozial", "Steuer")
COMPOUND_TAILS = ("konzept", "leitfaden", "verfahren", "management", "strategie", "prozess", "portal", "standard",
                  "richtlinie", "beauftragte", "kompetenz", "qualität", "steuerung", "analyse", "planung",
                  "architektur", "infrastruktur", "kultur", "dialog", "modell", "werkstatt", "praxis", "bericht",
                  "kennzahlen", "reform", "pflicht", "recht", "schutz", "sicherheit", "daten", "akte", "labor",
                  "netzwerk", "plattform", "service", "projekt", "team", "wissen", "check", "handbuch")
TITLE_SUFFIX = {1: " – Einstieg", 2: " – Grundlagen", 3: "", 4: " – Aufbaukurs", 5: " – Vertiefung",
                6: " für Fortgeschrittene", 7: " – Expertenforum", 8: " – Masterclass"}
INTROS = ("In diesem Kurs lernen Sie", "Das Seminar vermittelt", "Der Onlinekurs zeigt", "Im Workshop erarbeiten Sie",
          "Die Lerneinheit behandelt", "Das Modul führt ein in")
HOURS = (2, 4, 8, 12, 16, 24, 40)
HOURS_P = (0.05, 0.15, 0.40, 0.10, 0.12, 0.10, 0.08)
LEVEL_P = (0.12, 0.28, 0.25, 0.15, 0.10, 0.06, 0.03, 0.01)

COMPETENCES = tuple(POPULARITY)
_ZIPF_COMP = 1.0 / np.arange(1, len(COMPETENCES) + 1) ** 0.9
COMP_P = _ZIPF_COMP / _ZIPF_COMP.sum()
PROVIDER_P = np.array([p.weight for p in PROVIDERS], dtype=float) / sum(p.weight for p in PROVIDERS)

# One flat word table: general words (Zipf), compounds (uniform, rare), then each competence's topic words.
_COMPOUNDS = tuple(h + t for h in COMPOUND_HEADS for t in COMPOUND_TAILS)
WORDS: tuple[str, ...] = GENERAL_WORDS + _COMPOUNDS + tuple(w for c in COMPETENCES for w in TOPICS[c][1])
_GENERAL_P = 1.0 / np.arange(1, len(GENERAL_WORDS) + 1) ** 1.05
_GENERAL_P /= _GENERAL_P.sum()
_TOPIC_START = np.cumsum([len(GENERAL_WORDS) + len(_COMPOUNDS)] + [len(TOPICS[c][1]) for c in COMPETENCES])[:-1]
_TOPIC_LEN = np.array([len(TOPICS[c][1]) for c in COMPETENCES])


def external_id(seed: int, index: int) -> str:
    """A UUID (MOOChub wants one) that depends only on the seed and the offer's position."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{seed}:{index}"))


def content_payload(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The fields the hub hashes, as `sources.model.Offer.model_dump(mode="json", by_alias=True)` renders them."""
    def levels(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        return [{"competence": e["competence"], "level": int(e["level"])} for e in entries]

    def day(value: datetime | None) -> str | None:
        return None if value is None else value.date().isoformat()

    loc = doc.get("location")
    return {
        "provider": doc["provider"], "externalId": doc["externalId"], "title": doc["title"],
        "description": doc["description"], "url": doc["url"], "languages": list(doc["languages"]),
        "kind": doc["kind"], "format": doc["format"], "selfPaced": doc["selfPaced"], "hours": float(doc["hours"]),
        "ects": None if doc["ects"] is None else float(doc["ects"]), "priceEur": float(doc["priceEur"]),
        "certificate": doc["certificate"], "competences": levels(doc["competences"]),
        "prerequisites": levels(doc["prerequisites"]),
        "location": None if loc is None else {"name": loc["name"], "city": loc["city"], "lat": loc["lat"],
                                              "lon": loc["lon"]},
        "runs": [{"id": r["id"], "start": day(r["start"]), "end": day(r["end"])} for r in doc["runs"]],
    }


def content_hash(doc: Mapping[str, Any]) -> str:
    """The hub's content hash (sources/model.py `Offer.content_hash`), computed without pydantic for speed."""
    payload = json.dumps(content_payload(doc), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def iter_offers(n: int, seed: int = SEED, provider: str | None = None) -> Iterator[dict[str, Any]]:
    """The first `n` offers of the seeded catalogue, lazily, as store documents (`status` ACTIVE).

    `provider` puts every offer under one provider (a feed belongs to one provider); everything else about
    offer i stays the same.
    """
    if provider is not None and provider not in PROVIDER_BY_ID:
        raise ValueError(f"unknown provider {provider!r}; choose one of {', '.join(PROVIDER_BY_ID)}")
    for chunk in range(-(-n // CHUNK)):
        size = min(CHUNK, n - chunk * CHUNK)
        yield from _chunk(seed, chunk, provider)[:size]


def generate(n: int, seed: int = SEED, provider: str | None = None) -> list[dict[str, Any]]:
    return list(iter_offers(n, seed, provider))


def _chunk(seed: int, chunk: int, provider: str | None) -> list[dict[str, Any]]:
    """CHUNK offers from one RNG: the random draws are vectorised per chunk, the assembly is plain Python."""
    rng = np.random.default_rng([seed, chunk])
    m = CHUNK
    prov = rng.choice(len(PROVIDERS), size=m, p=PROVIDER_P)
    fmt_u = rng.random(m)
    self_paced_u = rng.random(m)
    main = rng.choice(len(COMPETENCES), size=m, p=COMP_P)
    extra = rng.choice(len(COMPETENCES), size=(m, 2), p=COMP_P)
    n_comp = rng.choice(3, size=m, p=(0.5, 0.35, 0.15)) + 1
    levels = rng.choice(8, size=(m, 3), p=LEVEL_P) + 1
    free = rng.random(m) < 0.40
    price = np.clip(np.round(rng.lognormal(np.log(280.0), 0.75, size=m) / 5) * 5, 15, 1500)
    hours_i = rng.choice(len(HOURS), size=m, p=HOURS_P)
    kind = rng.choice(len(KINDS), size=m, p=(0.35, 0.25, 0.15, 0.25))
    lang = rng.choice(3, size=m, p=(0.88, 0.05, 0.07))
    prereq_u = rng.random(m)
    prereq_other = rng.choice(len(COMPETENCES), size=m, p=COMP_P)
    n_runs = rng.choice(3, size=m, p=(0.5, 0.35, 0.15)) + 1
    run_days = rng.integers(0, 365, size=(m, 3))
    seminar_days = rng.integers(1, 4, size=m)
    home = rng.random(m) < 0.7
    city_pick = rng.integers(0, len(CITY_NAMES), size=m)
    jitter = rng.normal(0.0, (0.03, 0.05), size=(m, 2))
    title_pick = rng.integers(0, 3, size=m)
    intro_pick = rng.integers(0, len(INTROS), size=m)
    ects_u = rng.random(m)
    ects_v = rng.choice((1, 2, 3, 5), size=m)
    cert = rng.choice(len(CREDENTIALS), size=m, p=(0.45, 0.2, 0.2, 0.15))
    n_words = rng.integers(40, 121, size=m)
    words = _description_words(rng, main, extra[:, 0], n_words)
    ends = np.concatenate(([0], np.cumsum(n_words)))

    out: list[dict[str, Any]] = []
    for k in range(m):
        index = chunk * CHUNK + k
        spec = PROVIDER_BY_ID[provider] if provider else PROVIDERS[int(prov[k])]
        f = FORMATS[_pick(spec.formats, float(fmt_u[k]))]
        self_paced = f == "ONLINE" and self_paced_u[k] < 0.6
        comps = _competences(int(main[k]), extra[k], int(n_comp[k]), levels[k])
        ext = external_id(seed, index)
        title = TOPICS[comps[0]["competence"]][0][int(title_pick[k])] + TITLE_SUFFIX[comps[0]["level"]]
        body = " ".join(words[ends[k]:ends[k + 1]])
        location = None
        if f != "ONLINE":
            city = spec.city if home[k] else CITY_NAMES[int(city_pick[k])]
            lat, lon = CITIES[city]
            location = {"name": f"{spec.name}, Standort {city}", "city": city,
                        "lat": round(lat + float(jitter[k, 0]), 4), "lon": round(lon + float(jitter[k, 1]), 4)}
        doc: dict[str, Any] = {
            "_id": f"{spec.id}:{ext}", "provider": spec.id, "externalId": ext, "title": title,
            "description": f"{INTROS[int(intro_pick[k])]} {body}.",
            "url": f"https://weiterbildung.example.org/{spec.id}/kurse/{ext}",
            "languages": (["de"], ["en"], ["de", "en"])[int(lang[k])],
            "kind": KINDS[int(kind[k])], "format": f, "selfPaced": bool(self_paced),
            "hours": float(HOURS[int(hours_i[k])]),
            "ects": float(ects_v[k]) if ects_u[k] < 0.12 else None,
            "priceEur": 0.0 if free[k] else float(price[k]),
            "certificate": CREDENTIALS[int(cert[k])],
            "competences": comps,
            "prerequisites": _prerequisites(comps[0], float(prereq_u[k]), int(prereq_other[k])),
            "location": location,
            "runs": _runs(self_paced, f, int(n_runs[k]), run_days[k], int(seminar_days[k]),
                          _weeks(ext, HOURS[int(hours_i[k])])),
            "status": "ACTIVE",
            "firstSeen": STORED_AT, "lastSeen": STORED_AT,
            "source": {"adapter": "synthetic", "location": "benchmarks.synthetic", "runId": f"seed-{seed}"},
        }
        doc["contentHash"] = content_hash(doc)
        out.append(doc)
    return out


_WEEKS_BY_NIBBLE = (1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 4, 4, 4)


def _weeks(ext: str, hours: float) -> int:
    """Course length in weeks (1, 2 or 4), derived from the id so the feed writer can recompute it: MOOChub
    states hours as whole hours per week over `duration`, so the weeks must divide the hours."""
    weeks = _WEEKS_BY_NIBBLE[int(ext[0], 16)]
    while weeks > 1 and int(hours) % weeks:
        weeks //= 2
    return weeks


def _pick(probabilities: tuple[float, ...], u: float) -> int:
    acc = 0.0
    for i, p in enumerate(probabilities):
        acc += p
        if u < acc:
            return i
    return len(probabilities) - 1


def _description_words(rng: np.random.Generator, main: np.ndarray, second: np.ndarray, n_words: np.ndarray,
                       ) -> list[str]:
    """All description words of a chunk in one vectorised draw: 22% topic words of the main competence, 8% of
    the second, 10% rare compounds, the rest general words with a Zipf skew."""
    total = int(n_words.sum())
    owner_main = np.repeat(main, n_words)
    owner_second = np.repeat(second, n_words)
    u = rng.random(total)
    pick = rng.integers(0, 1 << 30, size=total)
    general = rng.choice(len(GENERAL_WORDS), size=total, p=_GENERAL_P)
    compound = len(GENERAL_WORDS) + pick % len(_COMPOUNDS)
    topic_main = _TOPIC_START[owner_main] + pick % _TOPIC_LEN[owner_main]
    topic_second = _TOPIC_START[owner_second] + pick % _TOPIC_LEN[owner_second]
    index = np.where(u < 0.22, topic_main, np.where(u < 0.30, topic_second, np.where(u < 0.40, compound, general)))
    return [WORDS[i] for i in index.tolist()]


def _competences(main: int, extra: np.ndarray, count: int, levels: np.ndarray) -> list[dict[str, Any]]:
    chosen = [COMPETENCES[main]]
    for j in extra[: count - 1]:
        cid = COMPETENCES[int(j)]
        if cid not in chosen:
            chosen.append(cid)
    return [{"competence": cid, "level": int(levels[i])} for i, cid in enumerate(chosen)]


def _prerequisites(main: dict[str, Any], u: float, other: int) -> list[dict[str, Any]]:
    """~10% of offers: an Intensivmodul needs the Basismodul level of its competence, or a basic other skill."""
    if u >= 0.10:
        return []
    if main["level"] >= 3:
        return [{"competence": main["competence"], "level": main["level"] - 2}]
    cid = COMPETENCES[other]
    return [] if cid == main["competence"] else [{"competence": cid, "level": 1 + int(u * 20)}]


def _runs(self_paced: bool, fmt: str, count: int, days: np.ndarray, seminar_days: int, weeks: int,
          ) -> list[dict[str, Any]]:
    if self_paced:
        return [{"id": "undated", "start": None, "end": None}]
    length = seminar_days if fmt == "PRESENCE" else 7 * weeks - 2
    first = datetime(YEAR, 1, 1, tzinfo=UTC)
    runs = []
    for day in sorted({int(d) for d in days[:count]}):
        start = first + timedelta(days=day)
        runs.append({"id": start.date().isoformat(), "start": start, "end": start + timedelta(days=length - 1)})
    return runs


# --- MOOChub v3 ----------------------------------------------------------------------------------------------------

MOOCHUB_FRAMEWORK = {"digcomp": ("DigComp", "2.2"), "kc": ("KC", "1.0")}
RESOURCE_TYPE = {"identifier": "https://w3id.org/kim/hcrt/course", "type": "Concept",
                 "inScheme": "https://w3id.org/kim/hcrt/scheme"}


def feed_view(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The offer as the hub stores it after ingesting the MOOChub feed: MOOChub has no `kind`, so it is lost."""
    out = {**doc, "kind": None}
    out["contentHash"] = content_hash(out)
    return out


def _skill(entry: Mapping[str, Any]) -> dict[str, Any]:
    framework, code = str(entry["competence"]).split(":", 1)
    name, fw_version = MOOCHUB_FRAMEWORK[framework]
    level = str(entry["level"])
    return {
        "name": [{"inLanguage": "de", "name": code}], "shortCode": code, "educationalFramework": name,
        "educationalFrameworkVersion": fw_version,
        "educationalLevel": {"type": "EducationalLevel", "name": [{"inLanguage": "de", "name": f"Stufe {level}"}],
                             "shortCode": level, "educationalFramework": name,
                             "educationalFrameworkVersion": fw_version},
    }


def moochub_course(doc: Mapping[str, Any]) -> dict[str, Any]:
    """One MOOChub v3 course (JSON:API resource) that `sources.moochub.MoochubAdapter` maps back to `doc`."""
    spec = PROVIDER_BY_ID.get(str(doc["provider"]))
    org = {"type": "Organization", "name": spec.name if spec else str(doc["provider"]),
           "url": f"https://weiterbildung.example.org/{doc['provider']}"}
    modes = {"ONLINE": ["online", "asynchronous" if doc["selfPaced"] else "synchronous"], "PRESENCE": ["onsite"],
             "HYBRID": ["blended"]}[doc["format"]]
    weeks = _weeks(str(doc["externalId"]), doc["hours"])
    attrs: dict[str, Any] = {
        "name": doc["title"], "courseCode": None, "description": doc["description"], "url": doc["url"],
        "inLanguage": list(doc["languages"]), "courseMode": modes,
        "duration": f"P{weeks}W", "workload": {"timeValue": int(doc["hours"]) // weeks, "timeUnit": "h/week"},
        "offer": [{"price": float(doc["priceEur"]), "priceCurrency": "EUR", "paymentFrequency": "one-time",
                   "category": "course"}],
        "access": ["free" if not doc["priceEur"] else "paid"],
        "learningResourceType": RESOURCE_TYPE, "publisher": org, "creator": [org],
        "license": [{"identifier": "proprietary", "url": None}],
        "teaches": [_skill(c) for c in doc["competences"]],
    }
    dated = [r for r in doc["runs"] if r["start"] is not None]
    if dated:
        attrs["startDate"] = [r["start"].strftime("%Y-%m-%dT08:00:00Z") for r in dated]
        attrs["endDate"] = [r["end"].strftime("%Y-%m-%dT16:00:00Z") for r in dated]
    if doc["certificate"]:
        attrs["educationalCredentialsAwarded"] = [doc["certificate"]]
    if doc["ects"] is not None:
        attrs["numberOfCredits"] = doc["ects"]
    if doc["prerequisites"]:
        attrs["competencyRequired"] = [_skill(c) for c in doc["prerequisites"]]
    loc = doc.get("location")
    if loc:
        attrs["contentLocation"] = {"name": loc["name"], "address": {"city": loc["city"], "addressCountry": "DE"},
                                    "latitude": loc["lat"], "longitude": loc["lon"]}
    return {"id": doc["externalId"], "type": "Course", "attributes": attrs}


def write_moochub_feed(offers: Iterable[Mapping[str, Any]], folder: Path, total: int, per_page: int = PAGE_SIZE,
                       ) -> Path:
    """Stream `offers` (all of one provider) to courses-1.json … with relative links; returns the first page.

    Memory holds one page: `total` is needed up front only for `links.last`, which MOOChub requires.
    """
    folder.mkdir(parents=True, exist_ok=True)
    pages = max(1, -(-total // per_page))
    provider: str | None = None
    page: list[dict[str, Any]] = []
    number = written = 0

    def flush() -> None:
        nonlocal number, page
        number += 1
        links = {"self": f"courses-{number}.json", "first": "courses-1.json", "last": f"courses-{pages}.json"}
        if number < pages:
            links["next"] = f"courses-{number + 1}.json"
        with open(folder / f"courses-{number}.json", "w", encoding="utf-8") as fh:
            json.dump({"links": links, "data": page}, fh, ensure_ascii=False)
        page = []

    for doc in offers:
        provider = provider or str(doc["provider"])
        if doc["provider"] != provider:
            raise ValueError(f"a feed holds one provider's offers: {doc['_id']} is not {provider!r}")
        page.append(moochub_course(doc))
        written += 1
        if len(page) == per_page:
            flush()
    if page or number == 0:
        flush()
    if written != total or number != pages:
        raise ValueError(f"expected {total} offers on {pages} pages, wrote {written} on {number}")
    return folder / "courses-1.json"


# --- self-check ---------------------------------------------------------------------------------------------------

STORE_ONLY = ("status", "firstSeen", "lastSeen", "source")


def _canonical(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in STORE_ONLY}


async def _read_back(first_page: Path, provider: str) -> list[dict[str, Any]]:
    """Run the real adapter over the feed and validate each record, as the ingest pipeline does."""
    from sources.base import SourceConfig
    from sources.fetch import Fetcher
    from sources.model import validate_offer
    from sources.moochub import MoochubAdapter
    from sources.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    out = []
    async with Fetcher() as fetcher:
        adapter = MoochubAdapter(SourceConfig(provider), fetcher)
        async for page in adapter.pages(str(first_page)):
            out += [validate_offer(adapter.map(r), taxonomy).to_document() for r in page.records]
    return out


def _is_kc_skill_error(err: Any) -> bool:
    instance = err.instance
    return instance == "KC" or (isinstance(instance, dict) and instance.get("educationalFramework") == "KC")


def check(n: int) -> None:
    """Determinism, canonical validity, hash equality, feed schema and round trip; raises AssertionError."""
    import asyncio

    from jsonschema import Draft202012Validator

    from sources.model import validate_offer
    from sources.taxonomy import load_taxonomy

    started = time.perf_counter()
    docs = generate(n)
    elapsed = time.perf_counter() - started
    assert docs == generate(n), "not deterministic"
    assert generate(n // 2) == docs[: n // 2], "a smaller catalogue is not a prefix of a larger one"
    assert len({d["_id"] for d in docs}) == n, "ids are not unique"
    taxonomy = load_taxonomy()
    assert set(COMPETENCES) == set(taxonomy.competences), "competence ids differ from the taxonomy"
    for doc in docs:
        canonical = validate_offer({k: v for k, v in _canonical(doc).items() if k not in ("_id", "contentHash")},
                                   taxonomy).to_document()
        assert canonical == _canonical(doc), (doc["_id"], canonical, _canonical(doc))

    provider = "dhbw"
    feed_docs = generate(n, provider=provider)
    schema = json.loads((Path(__file__).resolve().parent.parent / "tests/fixtures/moochub-schema.json").read_text())
    validator = Draft202012Validator(schema)
    with tempfile.TemporaryDirectory(prefix="kc-synthetic-") as tmp:
        first = write_moochub_feed(iter_offers(n, provider=provider), Path(tmp), total=n, per_page=250)
        foreign = Counter()
        for path in sorted(Path(tmp).glob("courses-*.json")):
            for err in validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))):
                if _is_kc_skill_error(err):
                    foreign["KC"] += 1  # the hub's own framework is outside MOOChub's enum (ESCO, DigComp, GRETA)
                    continue
                raise AssertionError(f"{path.name}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
        back = asyncio.run(_read_back(first, provider))
    assert len(back) == n
    for got, doc in zip(back, feed_docs, strict=True):
        assert got == _canonical(feed_view(doc)), (doc["_id"], got, _canonical(feed_view(doc)))

    formats = Counter(d["format"] for d in docs)
    comps = Counter(c["competence"] for d in docs for c in d["competences"])
    words = sum(len(d["description"].split()) for d in docs) / n
    print(f"ok: {n} offers in {elapsed:.2f} s ({n / elapsed:,.0f}/s); deterministic, prefix-stable, valid canonical "
          f"offers with the hub's content hash; the MOOChub feed validates (apart from {foreign['KC']} schema "
          f"errors on skills of the hub's own `kc` framework, which MOOChub's enum does not name) and maps back to "
          f"the same offers.")
    prerequisites = sum(bool(d["prerequisites"]) for d in docs) / n
    print(f"formats {dict(formats)}; free {sum(d['priceEur'] == 0 for d in docs) / n:.0%}; self-paced "
          f"{sum(d['selfPaced'] for d in docs) / n:.0%}; prerequisites {prerequisites:.0%}; "
          f"words/description {words:.0f}; top competences {comps.most_common(4)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="verify the generator and the feed round trip")
    parser.add_argument("--n", type=int, default=2_000, help="number of offers (default 2000)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--feed", type=Path, help="write a MOOChub feed of --n offers of --provider into this folder")
    parser.add_argument("--provider", default="dhbw")
    parser.add_argument("--sample", type=int, default=0, help="print this many documents as JSON")
    args = parser.parse_args(argv)
    if args.check:
        check(args.n)
    if args.feed:
        first = write_moochub_feed(iter_offers(args.n, args.seed, args.provider), args.feed, total=args.n)
        print(f"wrote {args.n} offers of {args.provider} to {first.parent} (first page {first.name})")
    for doc in generate(args.sample, args.seed):
        print(json.dumps(doc, default=str, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
