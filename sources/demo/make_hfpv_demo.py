"""Write the HöMS demo seminar programme: `hfpv/seminarprogramm-2027.csv` (Windows-1252) and the same table
as `hfpv/seminarprogramm-2027.xlsx`.

Deterministic: the same script writes the same bytes (the workbook's timestamps are pinned), so a regenerated
file shows no diff. The content imitates an academy's seminar management export: one row per run, German dates
and amounts, competence codes with levels, venues in Wiesbaden, Mühlheim am Main and Kassel, and five flaws that
real exports have, so that the demo shows the quarantine at work:

- S27-118: a run on 31.02.2027 (no such day)
- S27-127: the competence code `kc:blockchain` (not in the taxonomy)
- S27-133: the same run twice (same Seminarnummer, same Beginn)
- S27-143: no price
- S27-146: a run on 2027-13-01 (month 13)

    .venv/bin/python -m sources.demo.make_hfpv_demo
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

OUT = Path(__file__).parent / "hfpv"
CSV_FILE = OUT / "seminarprogramm-2027.csv"
XLSX_FILE = OUT / "seminarprogramm-2027.xlsx"
PINNED = datetime(2026, 11, 2, 8, 0, 0)
STAMP = PINNED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()

HEADER = ("Seminarnummer", "Titel", "Kursart", "Format", "Beginn", "Ende", "Unterrichtsstunden", "Preis",
          "Kompetenzen", "Voraussetzungen", "Veranstaltungsort", "Ort", "Sprache", "Abschluss", "Link",
          "Beschreibung")

VENUES = {
    "W": ("HöMS Wiesbaden, Schönbergstraße 100", "Wiesbaden"),
    "M": ("HöMS Studienort Mühlheim, Dietesheimer Straße 92", "Mühlheim am Main"),
    "K": ("HöMS Studienort Kassel, Wilhelmshöher Allee 261", "Kassel"),
    "O": ("Online (Webex)", ""),
}


@dataclass(frozen=True)
class Seminar:
    title: str
    kind: str
    fmt: str  # Präsenz / Online / Hybrid
    ue: int
    price: str
    competences: str
    prerequisites: str
    venues: str  # one venue letter per run (O for online runs)
    text: str
    certificate: str = "Teilnahmebescheinigung"
    language: str = "Deutsch"


SEMINARS: tuple[Seminar, ...] = (
    Seminar("Onlinezugangsgesetz kompakt: OZG 2.0 in der Kommune", "Basismodul", "Präsenz", 8, "250,00 €",
            "kc:egov-law/3, digcomp:2.3/2", "", "WK",
            "Rechtlicher Rahmen von OZG und OZG-Änderungsgesetz, Reifegradmodell, EfA-Prinzip und was daraus für "
            "Fachämter folgt."),
    Seminar("OZG-Umsetzung vertieft: Leistungen digitalisieren und nachnutzen", "Intensivmodul", "Hybrid", 24,
            "890,00 €", "kc:egov-law/5, kc:process-management/4, kc:it-architecture/3", "kc:egov-law/3", "W",
            "Von der Leistungsbeschreibung (FIM) bis zum Rollout: Nachnutzung von EfA-Leistungen, FIT-Connect, "
            "Zusammenarbeit mit Landes- und Kommunalportalen."),
    Seminar("Datenschutz im Verwaltungsalltag", "Basismodul", "Online", 8, "180,00 €",
            "kc:data-protection-law/3, digcomp:4.2/3", "", "OOO",
            "DSGVO, BDSG und HDSIG im Alltag: Rechtsgrundlagen, Betroffenenrechte, Auskunftsersuchen und "
            "Datenpannen richtig behandeln."),
    Seminar("Datenschutz vertieft: Verarbeitungsverzeichnis und Datenschutz-Folgenabschätzung", "Intensivmodul",
            "Präsenz", 16, "590,00 €", "kc:data-protection-law/5, digcomp:4.2/5", "kc:data-protection-law/3", "M",
            "Verzeichnis von Verarbeitungstätigkeiten führen, Schwellwertanalyse und DSFA durchführen, "
            "Auftragsverarbeitung prüfen."),
    Seminar("Informationssicherheit für alle Beschäftigten", "Basismodul", "Online", 4, "0,00 €",
            "kc:information-security/2, digcomp:4.1/3", "", "OOO",
            "Phishing erkennen, sichere Passwörter, Umgang mit mobilen Datenträgern und was im Verdachtsfall zu "
            "tun ist."),
    Seminar("Informationssicherheitsbeauftragte (ISB) in der Kommune", "Intensivmodul", "Präsenz", 40,
            "1.450,00 €", "kc:information-security/6, digcomp:4.1/5", "kc:information-security/3", "WK",
            "Aufbau eines ISMS nach BSI-Standard 200-2, IT-Grundschutz-Check, Modernisierte Grundschutz-Kataloge "
            "und Notfallmanagement; mit Abschlussprüfung.", "Zertifikat"),
    Seminar("BSI-IT-Grundschutz-Praktiker", "Intensivmodul", "Hybrid", 32, "1.250,00 €",
            "kc:information-security/5, digcomp:4.1/4", "kc:information-security/3", "M",
            "Modellierung nach IT-Grundschutz, Schutzbedarfsfeststellung und Risikoanalyse an einem kommunalen "
            "Beispielverbund.", "Zertifikat"),
    Seminar("Die E-Akte einführen: Projektplanung und Organisation", "Basismodul", "Präsenz", 16, "450,00 €",
            "kc:e-files/3, kc:change-management/2, digcomp:1.3/3", "", "WMK",
            "Aktenplan, Geschäftsgang, Scan-Prozess und Rollenkonzept: die Einführung der E-Akte Schritt für "
            "Schritt planen."),
    Seminar("E-Akte im Alltag: digitale Schriftgutverwaltung", "Basismodul", "Online", 8, "180,00 €",
            "kc:e-files/2, digcomp:1.3/2", "", "OOO",
            "Ablegen, Suchen, Mitzeichnen und Weiterleiten in der E-Akte; Aufbewahrungsfristen und ersetzendes "
            "Scannen nach TR-RESISCAN."),
    Seminar("Prozessmanagement in der Verwaltung: Grundlagen", "Basismodul", "Präsenz", 16, "390,00 €",
            "kc:process-management/3, digcomp:5.2/3", "", "WK",
            "Prozesse erheben, in BPMN 2.0 modellieren und mit Kennzahlen bewerten; Einstieg in das "
            "Föderale Informationsmanagement (FIM)."),
    Seminar("Prozessoptimierung mit BPMN: Werkstatt", "Intensivmodul", "Präsenz", 24, "690,00 €",
            "kc:process-management/5, digcomp:5.2/4", "kc:process-management/3", "M",
            "Eigene Verwaltungsprozesse mitbringen, Schwachstellen analysieren und einen digitalen Soll-Prozess "
            "entwerfen."),
    Seminar("IT-Projektmanagement für die öffentliche Verwaltung", "Basismodul", "Hybrid", 24, "690,00 €",
            "kc:it-project-management/3, digcomp:5.2/3", "", "WK",
            "Projektauftrag, Stakeholder, Planung und Steuerung von IT-Projekten; Grundlagen von PRINCE2 und "
            "V-Modell XT Bund."),
    Seminar("IT-Projekte steuern: Risiken, Verträge, Dienstleister", "Intensivmodul", "Präsenz", 16, "590,00 €",
            "kc:it-project-management/5, kc:procurement/3", "kc:it-project-management/3", "W",
            "Risikomanagement, Steuerung externer Dienstleister nach EVB-IT und Eskalation in Krisenprojekten."),
    Seminar("Agile Methoden in der Verwaltung", "Basismodul", "Online", 8, "220,00 €",
            "kc:agile-methods/3, digcomp:2.4/3", "", "OOO",
            "Scrum und Kanban im Verwaltungskontext: wann agiles Arbeiten passt und wie es mit Haushaltsrecht "
            "und Hierarchie zusammengeht."),
    Seminar("Scrum in Behördenprojekten: Product Owner", "Intensivmodul", "Präsenz", 16, "590,00 €",
            "kc:agile-methods/5, kc:it-project-management/4", "kc:agile-methods/3", "M",
            "Backlog-Management, Anforderungen als User Stories und die Rolle des Product Owners zwischen "
            "Fachamt und IT-Dienstleister."),
    Seminar("Künstliche Intelligenz in der Verwaltung: Chancen und Grenzen", "Basismodul", "Online", 8,
            "0,00 €", "kc:ai-in-administration/2, digcomp:5.2/2", "", "OO",
            "Was generative KI kann, wo sie irrt, was die KI-Verordnung regelt und welche Anwendungsfälle in "
            "Kommunen erprobt sind."),
    Seminar("KI-Anwendungen sicher einsetzen: Sprachmodelle im Fachamt", "Intensivmodul", "Hybrid", 16,
            "690,00 €", "kc:ai-in-administration/4, digcomp:4.2/4, kc:data-protection-law/3",
            "kc:ai-in-administration/2", "W",
            "Prompting, Datenschutz und Informationssicherheit beim Einsatz von Sprachmodellen; Leitlinien für "
            "die eigene Behörde entwerfen."),
    Seminar("Digitale Barrierefreiheit: BITV 2.0 verstehen", "Basismodul", "Online", 8, "180,00 €",
            "kc:accessibility/3, digcomp:3.1/2", "", "OO",
            "Rechtsrahmen (BGG, BITV 2.0, EN 301 549), Erklärung zur Barrierefreiheit und Prüfung von "
            "Webangeboten."),
    Seminar("Barrierefreie Dokumente erstellen", "Bonusmodul", "Präsenz", 8, "220,00 €",
            "kc:accessibility/4, digcomp:3.1/4", "kc:accessibility/2", "K",
            "Barrierefreie Word- und PDF-Dokumente erstellen: Struktur, Alternativtexte, Tabellen und "
            "Prüfwerkzeuge."),
    Seminar("Open Data in Kommunen", "Bonusmodul", "Online", 4, "0,00 €",
            "kc:open-data/3, digcomp:1.3/3", "", "O",
            "Hessisches Open-Data-Gesetz, Datenportale, Lizenzen und die ersten Datensätze veröffentlichen."),
    Seminar("Registermodernisierung und Once-Only", "Basismodul", "Online", 8, "250,00 €",
            "kc:register-modernisation/3, kc:egov-law/3", "", "OO",
            "Identifikationsnummerngesetz, NOOTS und das Once-Only-Prinzip: was sich für Register führende "
            "Stellen ändert."),
    Seminar("Service Design für Verwaltungsleistungen", "Intensivmodul", "Präsenz", 16, "590,00 €",
            "kc:service-design/4, digcomp:5.3/4", "kc:process-management/2", "W",
            "Nutzerzentrierte Verwaltungsleistungen entwickeln: Personas, Journey Maps und Prototypen mit "
            "Bürgerinnen und Bürgern testen."),
    Seminar("Digitale Führung: Teams hybrid leiten", "Basismodul", "Präsenz", 16, "490,00 €",
            "kc:digital-leadership/3, digcomp:2.4/3", "", "WMK",
            "Führen auf Distanz, Vertrauen und Ergebnisorientierung, Regeln für hybride Zusammenarbeit."),
    Seminar("Digitale Führung vertieft: Transformation gestalten", "Intensivmodul", "Hybrid", 24, "890,00 €",
            "kc:digital-leadership/5, kc:change-management/4", "kc:digital-leadership/3", "W",
            "Digitalisierungsstrategie der eigenen Behörde entwickeln, Kulturwandel begleiten und Widerstände "
            "konstruktiv nutzen."),
    Seminar("Change-Management in Digitalisierungsprojekten", "Basismodul", "Online", 8, "220,00 €",
            "kc:change-management/3, digcomp:5.4/3", "", "OOO",
            "Veränderungen kommunizieren, Beteiligte einbinden und typische Phasen von Veränderungsprozessen "
            "erkennen."),
    Seminar("IT-Beschaffung und Vergaberecht", "Bonusmodul", "Präsenz", 16, "450,00 €",
            "kc:procurement/4, kc:egov-law/2", "", "M",
            "Vergabearten, EVB-IT-Verträge, Leistungsbeschreibung für Software und Cloud-Dienste."),
    Seminar("Blockchain und digitale Nachweise in der Verwaltung", "Bonusmodul", "Online", 4, "180,00 €",
            "kc:blockchain/3, digcomp:5.2/3", "", "O",
            "Dezentrale Register, digitale Nachweise und EUDI-Wallet: was hinter den Schlagworten steckt."),
    Seminar("XÖV-Standards und FIT-Connect für Fachverfahren", "Intensivmodul", "Präsenz", 16, "690,00 €",
            "kc:it-architecture/5, kc:register-modernisation/3", "kc:it-architecture/2", "W",
            "XÖV-Standards lesen und anwenden, Anbindung von Fachverfahren über FIT-Connect, "
            "Interoperabilität im föderalen Verbund."),
    Seminar("IT-Architektur für Nicht-Informatiker", "Basismodul", "Online", 8, "220,00 €",
            "kc:it-architecture/2, digcomp:5.1/2", "", "O",
            "Schnittstellen, Cloud, Rechenzentrum und Fachverfahren: Grundbegriffe für Fach- und "
            "Führungskräfte."),
    Seminar("Datenanalyse mit Tabellenkalkulation", "Basismodul", "Präsenz", 16, "390,00 €",
            "kc:data-analytics/3, digcomp:1.3/3, digcomp:3.2/3", "", "WK",
            "Daten importieren, bereinigen, mit Pivot-Tabellen auswerten und verständlich visualisieren."),
    Seminar("Datenbasierte Steuerung: Kennzahlen und Dashboards", "Intensivmodul", "Hybrid", 24, "890,00 €",
            "kc:data-analytics/5, digcomp:1.2/4", "kc:data-analytics/3", "M",
            "Kennzahlensysteme für die Verwaltungssteuerung, Dashboards aufbauen, Datenqualität sichern."),
    Seminar("Digitale Bürgerkommunikation und Social Media", "Bonusmodul", "Online", 8, "220,00 €",
            "kc:digital-communication/3, digcomp:2.2/3, digcomp:2.5/3", "", "OO",
            "Bürgerkommunikation auf Website und Social Media, Redaktionsplanung, Umgang mit Hasskommentaren."),
    Seminar("Krisenkommunikation digital", "Bonusmodul", "Präsenz", 8, "290,00 €",
            "kc:digital-communication/4, digcomp:2.2/4", "kc:digital-communication/2", "W",
            "Lagebezogene Kommunikation über digitale Kanäle, Warn-Apps und Social Media in Krisen."),
    Seminar("Digitale Grundkompetenzen für Verwaltungsbeschäftigte", "Basismodul", "Präsenz", 8, "150,00 €",
            "digcomp:1.1/2, digcomp:2.1/2, digcomp:4.1/2", "", "WMK",
            "Recherchieren, kommunizieren und Geräte schützen: der DigComp-Einstieg für den Arbeitsplatz."),
    Seminar("Informationen recherchieren und bewerten", "Bonusmodul", "Online", 4, "0,00 €",
            "digcomp:1.1/3, digcomp:1.2/3", "", "O",
            "Suchstrategien, Quellenkritik und Desinformation erkennen."),
    Seminar("Videokonferenzen und digitale Zusammenarbeit", "Bonusmodul", "Online", 4, "120,00 €",
            "digcomp:2.1/3, digcomp:2.4/3", "", "OO",
            "Meetings moderieren, gemeinsam an Dokumenten arbeiten und Kollaborationswerkzeuge datenschutzgerecht "
            "nutzen."),
    Seminar("Gesund digital arbeiten", "Bonusmodul", "Online", 4, "0,00 €",
            "digcomp:4.3/3", "", "O",
            "Ergonomie am Bildschirmarbeitsplatz, digitale Erreichbarkeit und Selbstorganisation im Homeoffice."),
    Seminar("Green IT in der Verwaltung", "Bonusmodul", "Online", 4, "120,00 €",
            "digcomp:4.4/3", "", "O",
            "Energieverbrauch von IT, nachhaltige Beschaffung und Lebensdauer von Geräten."),
    Seminar("Urheberrecht und Lizenzen für Verwaltungsinhalte", "Bonusmodul", "Online", 4, "150,00 €",
            "digcomp:3.3/3", "", "O",
            "Bilder, Texte und Software in Veröffentlichungen der Verwaltung rechtssicher nutzen; "
            "Creative-Commons-Lizenzen."),
    Seminar("Digitale Identität: eID, BundID und Nutzerkonten", "Basismodul", "Online", 4, "0,00 €",
            "digcomp:2.6/3, kc:egov-law/2", "", "O",
            "Online-Ausweis, BundID und Postfach: wie Bürgerinnen und Bürger sich digital ausweisen."),
    Seminar("E-Rechnung in der öffentlichen Verwaltung", "Bonusmodul", "Präsenz", 8, "290,00 €",
            "kc:process-management/3, kc:egov-law/2", "", "K",
            "XRechnung und ZUGFeRD, Eingangskanäle, Prüf- und Freigabeprozesse digital gestalten."),
    Seminar("Cloud-Dienste in der Verwaltung: Recht und Sicherheit", "Intensivmodul", "Präsenz", 16, "690,00 €",
            "kc:information-security/4, kc:data-protection-law/4, kc:procurement/3",
            "kc:information-security/2", "W",
            "Deutsche Verwaltungscloud, C5-Testat, Auftragsverarbeitung und Exit-Strategien."),
    Seminar("Notfallmanagement nach BSI-Standard 200-4", "Intensivmodul", "Präsenz", 16, "",
            "kc:information-security/5", "kc:information-security/3", "M",
            "Business Continuity Management: Geschäftsprozesse priorisieren, Notfallhandbuch und Übungen."),
    Seminar("Cyberangriffe auf Kommunen: Planspiel", "Bonusmodul", "Präsenz", 8, "390,00 €",
            "kc:information-security/4, digcomp:4.1/4", "kc:information-security/2", "K",
            "Ein Ransomware-Angriff im Planspiel: Krisenstab, Kommunikation und Wiederanlauf."),
    Seminar("Programmieren für Einsteiger: Automatisieren mit Python", "Bonusmodul", "Online", 16, "390,00 €",
            "digcomp:3.4/3, kc:data-analytics/2", "", "OO",
            "Wiederkehrende Aufgaben automatisieren: Dateien, Tabellen und Webschnittstellen mit Python."),
    Seminar("Low-Code in der Verwaltung", "Bonusmodul", "Online", 8, "250,00 €",
            "digcomp:3.4/2, digcomp:5.3/3", "", "O",
            "Fachanwendungen mit Low-Code-Plattformen bauen: Möglichkeiten, Grenzen und Governance."),
    Seminar("Digitalisierungslotsen: Kompetenzlücken erkennen", "Basismodul", "Hybrid", 16, "450,00 €",
            "digcomp:5.4/4, kc:change-management/3", "", "K",
            "Als Digitalisierungslotsin oder -lotse den Qualifizierungsbedarf im Team erheben und "
            "Lernpfade planen."),
    Seminar("Technische Probleme selbst lösen", "Bonusmodul", "Online", 4, "0,00 €",
            "digcomp:5.1/3", "", "O",
            "Typische Störungen am Arbeitsplatz eingrenzen und gut beschriebene Tickets an den IT-Support geben."),
    Seminar("Digitale Inhalte erstellen: Präsentationen und Grafiken", "Bonusmodul", "Präsenz", 8, "220,00 €",
            "digcomp:3.1/3, digcomp:3.2/3", "", "W",
            "Verständliche Präsentationen und Grafiken für Bürgerinformationen und Gremienvorlagen gestalten."),
    Seminar("Bürgerbeteiligung online", "Bonusmodul", "Online", 8, "220,00 €",
            "digcomp:2.3/4, kc:digital-communication/3", "", "O",
            "Beteiligungsplattformen, Online-Bürgerhaushalt und digitale Anhörungen planen und auswerten."),
    Seminar("Informationsfreiheit und Transparenz", "Bonusmodul", "Online", 4, "150,00 €",
            "kc:open-data/2, kc:egov-law/2", "", "O",
            "Anträge nach dem Informationsfreiheitsrecht bearbeiten und proaktiv veröffentlichen."),
    Seminar("Digital Leadership Lab für Führungskräfte", "Intensivmodul", "Präsenz", 24, "1.150,00 €",
            "kc:digital-leadership/6, kc:agile-methods/4", "kc:digital-leadership/4", "W",
            "Drei Tage Praxislabor: neue Arbeitsformen erproben, Entscheidungen datenbasiert treffen, eigene "
            "Vorhaben coachen lassen.", "Zertifikat"),
)

# (index into SEMINARS, run number) -> replacement for Beginn, or a duplicated run: the deliberate flaws
BROKEN_BEGIN = {(17, 0): "31.02.2027", (45, 0): "2027-13-01"}
DUPLICATE_RUN = 32


def _first_day(month: int, day: int, days: int, i: int) -> date:
    """A start day on or after 2027-month-day: Monday for week-long seminars, else Tuesday or Wednesday, so that
    a seminar of several days ends before the weekend."""
    base = date(2027, month, day)
    weekday = 0 if days >= 4 else 1 + i % 2
    return base + timedelta(days=(weekday - base.weekday()) % 7)


def rows() -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = []
    for i, seminar in enumerate(SEMINARS):
        number = f"S27-{101 + i}"
        days = max(1, seminar.ue // 8)
        for run, venue_key in enumerate(seminar.venues):
            month = 1 + (i * 5 + run * 4) % 12 if len(seminar.venues) < 3 else (2, 6, 10)[run]
            day = 4 + (i * 7) % 21 if month != 12 else 6  # nobody books a seminar in Christmas week
            start = _first_day(month, day, days, i)
            end = start + timedelta(days=min(days, 5) - 1)
            begin_text = BROKEN_BEGIN.get((i, run), start.strftime("%d.%m.%Y"))
            venue, city = VENUES[venue_key]
            row = (number, seminar.title, seminar.kind, seminar.fmt, begin_text, end.strftime("%d.%m.%Y"),
                   str(seminar.ue), seminar.price, seminar.competences, seminar.prerequisites, venue, city,
                   seminar.language, seminar.certificate, f"https://www.hoems.hessen.de/seminare/{number.lower()}",
                   seminar.text)
            out.append(row)
            if i == DUPLICATE_RUN and run == 0:
                out.append(row)  # exported twice: the same run in two rows
    # a real export is sorted by date, not by seminar: the rows of one seminar are scattered
    return sorted(out, key=lambda r: (_sort_day(r[4]), r[0]))


def _sort_day(text: str) -> str:
    parts = text.split(".")
    return f"{parts[2]}-{parts[1]}-{parts[0]}" if len(parts) == 3 else text


def write_csv(table: list[tuple[str, ...]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(table)
    CSV_FILE.write_bytes(buffer.getvalue().encode("cp1252"))


def _typed(column: str, value: str) -> object:
    """Cell values as a spreadsheet holds them: dates and numbers typed, anything unparseable as text."""
    if not value:
        return None
    if column in {"Beginn", "Ende"}:
        try:
            return datetime.strptime(value, "%d.%m.%Y")
        except ValueError:
            return value
    if column == "Unterrichtsstunden":
        return int(value)
    if column == "Preis":
        return float(value.replace(" €", "").replace(".", "").replace(",", "."))
    return value


def write_xlsx(table: list[tuple[str, ...]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Seminarprogramm 2027"
    sheet.append(HEADER)
    for row in table:
        sheet.append([_typed(column, value) for column, value in zip(HEADER, row, strict=True)])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if HEADER[cell.column - 1] in {"Beginn", "Ende"} and isinstance(cell.value, datetime):
                cell.number_format = "DD.MM.YYYY"
            elif HEADER[cell.column - 1] == "Preis" and isinstance(cell.value, float):
                cell.number_format = '#,##0.00 "€"'
    workbook.properties.creator = "HöMS Seminarverwaltung"
    workbook.properties.created = PINNED
    workbook.properties.modified = PINNED
    raw = io.BytesIO()
    workbook.save(raw)
    XLSX_FILE.write_bytes(_pinned_zip(raw.getvalue()))


def _pinned_zip(data: bytes) -> bytes:
    """The same archive with fixed member timestamps, so that regenerating changes no byte."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            pinned = zipfile.ZipInfo(info.filename, date_time=PINNED.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time into `modified`
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + STAMP, content)
            target.writestr(pinned, content)
    return out.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    table = rows()
    write_csv(table)
    write_xlsx(table)
    print(f"{CSV_FILE.name}, {XLSX_FILE.name}: {len(SEMINARS)} seminars, {len(table)} rows")


if __name__ == "__main__":
    main()
