"""Write the DUV Speyer demo programme `speyer/programm-2027.xml`: XCRI-CAP 1.2, spring and autumn 2027.

Deterministic (same script, same bytes). The catalogue follows the XCRI-CAP 1.2 schema's element order
(so the provider's own `mlo:location` comes after its courses), uses the hub's competence convention
(`<dc:subject identifier="digcomp:4.2" level="3">`), and carries the flaws real exports have, so that the demo
shows the quarantine at work:

- 27-H-118: a presentation dated `2027-13-01` (month 13)
- 27-H-139: the competence `kc:blockchain` (not in the taxonomy)
- 27-F-105: the course exported twice (a duplicate id)
- 27-H-133: no cost on any presentation (Preis fehlt)
- 27-F-140: a presentation listed in the Herbstprogramm but dated in spring (Speyer's programme rule)

    .venv/bin/python -m sources.demo.make_speyer_demo
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sources.taxonomy import load_taxonomy

OUT = Path(__file__).parent / "speyer" / "programm-2027.xml"

XCRI = "http://xcri.org/profiles/1.2/catalog"
MLO = "http://purl.org/net/mlo"
DC = "http://purl.org/dc/elements/1.1/"
CREDIT = "http://purl.org/net/cm"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
XHTML = "http://www.w3.org/1999/xhtml"
DUV = "https://www.uni-speyer.de/xcri/terms"
for prefix, uri in (("", XCRI), ("mlo", MLO), ("dc", DC), ("credit", CREDIT), ("xsi", XSI), ("geo", GEO),
                    ("duv", DUV)):
    ET.register_namespace(prefix, uri)

BASE_URL = "https://www.uni-speyer.de/weiterbildung/programm-2027"
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember")
MODES = {"CM": "Campus", "ON": "Online (no attendance)", "MM": "Mixed mode"}


@dataclass(frozen=True)
class Course:
    title: str
    kind: str
    subjects: tuple[tuple[str, int], ...]
    plan: str  # one letter pair per presentation: programme F/H + mode C (campus) / O (online) / M (mixed)
    days: float  # seminar days (8 h each); online: hours / 8
    cost: str
    text: str
    prerequisite: str = ""
    ects: int | None = None
    keywords: tuple[str, ...] = ()


COURSES: tuple[Course, ...] = (
    Course("Verwaltungsdigitalisierung: Grundlagen für Führungskräfte", "Basismodul",
           (("kc:egov-law", 3), ("digcomp:5.2", 3)), "FCHC", 2, "890,00 EUR",
           "Rechtsrahmen, Akteure und Steuerung der Verwaltungsdigitalisierung von OZG bis Registermodernisierung.",
           keywords=("E-Government", "Führung")),
    Course("Digitaltauglichkeit von Gesetzen: der Digitalcheck", "Intensivmodul",
           (("kc:egov-law", 5), ("kc:process-management", 4)), "FCHO", 2, "990,00 EUR",
           "Regelungsentwürfe auf Digitaltauglichkeit prüfen: Prinzipien des Digitalchecks, Visualisierung von "
           "Regelungen, Vollzugsperspektive.", "Kenntnisse der Gesetzgebungstechnik (kc:egov-law/3)"),
    Course("Elektronisches Verwaltungsverfahren nach VwVfG", "Basismodul",
           (("kc:egov-law", 4), ("kc:e-files", 3)), "FO", 0.75, "450,00 EUR",
           "Elektronische Kommunikation nach § 3a VwVfG, vollständig automatisierter Verwaltungsakt nach § 35a "
           "VwVfG, elektronische Bekanntgabe."),
    Course("Datenschutzrecht für Führungskräfte", "Basismodul",
           (("kc:data-protection-law", 3), ("digcomp:4.2", 3)), "FCHC", 1, "590,00 EUR",
           "Verantwortlichkeit der Behördenleitung, Rechenschaftspflicht, Datenschutzorganisation und Haftung."),
    Course("Datenschutz-Folgenabschätzung in der Praxis", "Intensivmodul",
           (("kc:data-protection-law", 5), ("digcomp:4.2", 5)), "FC", 2, "990,00 EUR",
           "Eine DSFA von der Schwellwertanalyse bis zum Bericht am Beispiel eines kommunalen Fachverfahrens.",
           "Grundkenntnisse im Datenschutzrecht (kc:data-protection-law/3)"),
    Course("IT-Sicherheitsrecht: NIS-2 und die öffentliche Verwaltung", "Intensivmodul",
           (("kc:information-security", 4), ("kc:egov-law", 4)), "FOHO", 0.75, "490,00 EUR",
           "Die NIS-2-Richtlinie und ihre Umsetzung in Bund und Ländern: Pflichten, Meldewege, Aufsicht."),
    Course("Cybersicherheit als Führungsaufgabe", "Basismodul",
           (("kc:information-security", 3), ("digcomp:4.1", 3)), "HC", 1, "590,00 EUR",
           "Bedrohungslage, Verantwortung der Leitung, Krisenvorsorge und Übungen für den Ernstfall."),
    Course("Europäisches Digitalrecht: DSA, Data Act und KI-Verordnung", "Intensivmodul",
           (("kc:egov-law", 5), ("kc:ai-in-administration", 4)), "FCHO", 2, "990,00 EUR",
           "Die neuen EU-Rechtsakte zur Digitalisierung und was sie für Behörden als Anwender und Aufsicht "
           "bedeuten.", "Grundkenntnisse des Europarechts"),
    Course("Künstliche Intelligenz in Verwaltungsentscheidungen", "Intensivmodul",
           (("kc:ai-in-administration", 5), ("digcomp:1.2", 4)), "HM", 2, "990,00 EUR",
           "Algorithmische Entscheidungsunterstützung, Begründungspflicht, Diskriminierungsrisiken und "
           "menschliche Aufsicht.", "kc:ai-in-administration/2"),
    Course("KI-Werkstatt: generative KI im Verwaltungsalltag", "Basismodul",
           (("kc:ai-in-administration", 3), ("digcomp:3.1", 3)), "FOHO", 0.75, "350,00 EUR",
           "Texte entwerfen, zusammenfassen, recherchieren: Möglichkeiten und Grenzen generativer KI im Büro."),
    Course("Datenstrategie für Behörden", "Intensivmodul",
           (("kc:data-analytics", 5), ("kc:open-data", 4)), "FC", 2, "990,00 EUR",
           "Daten als Ressource steuern: Data Governance, Datenkompetenz, Datenlabore und Rollen wie Chief Data "
           "Officer.", "kc:data-analytics/3"),
    Course("Datenkompetenz für die Verwaltung", "Basismodul",
           (("kc:data-analytics", 3), ("digcomp:1.3", 3)), "FOHO", 1, "450,00 EUR",
           "Daten lesen, bewerten und darstellen; Grundlagen der Statistik und typische Fehlschlüsse."),
    Course("Open Government und Open Data", "Bonusmodul",
           (("kc:open-data", 4), ("digcomp:2.3", 3)), "HO", 0.5, "kostenfrei",
           "Transparenz, Beteiligung und Zusammenarbeit: Open-Government-Partnerschaft und offene Daten."),
    Course("Registermodernisierung: Architektur und Recht", "Intensivmodul",
           (("kc:register-modernisation", 5), ("kc:it-architecture", 4)), "FC", 2, "990,00 EUR",
           "IDNrG, NOOTS, Datenschutzcockpit: die Architektur der Registermodernisierung und ihre Rechtsfragen.",
           "kc:register-modernisation/3, kc:egov-law/3"),
    Course("Registermodernisierung kompakt", "Basismodul",
           (("kc:register-modernisation", 3),), "FOHO", 0.5, "290,00 EUR",
           "Ziele, Zeitplan und Folgen der Registermodernisierung für die registerführenden Stellen."),
    Course("Föderale IT-Architektur und Standards", "Intensivmodul",
           (("kc:it-architecture", 5), ("digcomp:5.2", 4)), "HC", 2, "990,00 EUR",
           "Föderale IT-Architekturrichtlinien, XÖV, FIT-Connect und der Deutschland-Stack.",
           "kc:it-architecture/3"),
    Course("Digitale Souveränität und Open Source", "Bonusmodul",
           (("kc:it-architecture", 3), ("kc:procurement", 3)), "FO", 0.5, "kostenfrei",
           "Abhängigkeiten erkennen, openDesk und ZenDiS, Open-Source-Strategien der öffentlichen Hand."),
    Course("E-Vergabe und Beschaffung digitaler Leistungen", "Intensivmodul",
           (("kc:procurement", 5), ("kc:egov-law", 3)), "HC", 2, "890,00 EUR",
           "Vergabe von IT- und Cloud-Leistungen, EVB-IT Cloud, Innovationspartnerschaft.", "kc:procurement/3"),
    Course("Prozessmanagement in der öffentlichen Verwaltung", "Basismodul",
           (("kc:process-management", 3), ("digcomp:5.2", 3)), "FCHC", 2, "790,00 EUR",
           "Prozesse erheben, modellieren und verbessern: BPMN, FIM und Kennzahlen.", ects=2),
    Course("Wirkungsorientierte Steuerung und Kennzahlen", "Intensivmodul",
           (("kc:data-analytics", 4), ("kc:process-management", 4)), "FM", 2, "890,00 EUR",
           "Wirkungsziele formulieren, Kennzahlen ableiten, Dashboards für die Verwaltungsführung.",
           "kc:process-management/3"),
    Course("Service Design und Design Thinking", "Intensivmodul",
           (("kc:service-design", 5), ("digcomp:5.3", 4)), "HC", 2, "890,00 EUR",
           "Verwaltungsleistungen aus Sicht der Nutzenden gestalten: Methoden, Prototypen, Tests.",
           "kc:service-design/2"),
    Course("Innovationslabore in der Verwaltung", "Bonusmodul",
           (("kc:service-design", 3), ("digcomp:5.3", 3)), "FO", 0.5, "kostenfrei",
           "Wie Verwaltungslabore arbeiten und was sie bewirken: Beispiele aus Bund, Ländern und Kommunen."),
    Course("Agiles Projektmanagement in Behörden", "Basismodul",
           (("kc:agile-methods", 3), ("kc:it-project-management", 3)), "FCHO", 2, "790,00 EUR",
           "Scrum, Kanban und hybride Vorgehensmodelle im Rahmen von Haushalts- und Vergaberecht."),
    Course("Großprojekte der Verwaltungsdigitalisierung steuern", "Intensivmodul",
           (("kc:it-project-management", 6), ("kc:change-management", 4)), "HC", 3, "1.290,00 EUR",
           "Programm- und Portfoliomanagement, Risikosteuerung, Lehren aus gescheiterten IT-Großprojekten.",
           "kc:it-project-management/4", ects=3),
    Course("Change-Management: Digitalisierung mit den Beschäftigten", "Basismodul",
           (("kc:change-management", 3), ("digcomp:2.4", 3)), "FCHC", 2, "790,00 EUR",
           "Veränderungen planen, kommunizieren und verankern; Widerstände verstehen."),
    Course("Digital Leadership", "Intensivmodul",
           (("kc:digital-leadership", 5), ("digcomp:2.4", 4)), "FCHM", 3, "1.290,00 EUR",
           "Führen in der digitalen Verwaltung: hybride Teams, Selbstorganisation, Entscheidungen unter "
           "Unsicherheit.", "kc:digital-leadership/3", ects=3),
    Course("Führen auf Distanz", "Basismodul",
           (("kc:digital-leadership", 3), ("digcomp:2.1", 3)), "FOHO", 1, "450,00 EUR",
           "Hybride Zusammenarbeit gestalten, Vertrauen aufbauen, digitale Meetings wirksam leiten."),
    Course("Strategische Personalentwicklung für die digitale Verwaltung", "Intensivmodul",
           (("digcomp:5.4", 5), ("kc:change-management", 4)), "HC", 2, "890,00 EUR",
           "Kompetenzmodelle wie DigComp nutzen, Qualifizierungsbedarfe erheben, Lernpfade entwickeln."),
    Course("Wissensmanagement und digitale Zusammenarbeit", "Bonusmodul",
           (("digcomp:2.4", 4), ("digcomp:1.3", 3)), "FO", 0.75, "350,00 EUR",
           "Wissen sichern beim Generationenwechsel: Wikis, Kollaborationsplattformen, Wissensstafetten."),
    Course("Digitale Bürgerkommunikation", "Bonusmodul",
           (("kc:digital-communication", 4), ("digcomp:2.2", 3)), "HO", 0.75, "350,00 EUR",
           "Verständlich und barrierefrei kommunizieren auf Website, Social Media und im Bürgerpostfach."),
    Course("Online-Bürgerbeteiligung", "Bonusmodul",
           (("digcomp:2.3", 4), ("kc:digital-communication", 3)), "FO", 0.75, "350,00 EUR",
           "Digitale Beteiligungsverfahren konzipieren, moderieren und auswerten."),
    Course("Barrierefreie Verwaltung digital", "Basismodul",
           (("kc:accessibility", 3), ("digcomp:3.1", 3)), "FOHO", 0.75, "350,00 EUR",
           "BITV 2.0, EN 301 549 und Leichte Sprache: barrierefreie digitale Angebote planen und prüfen."),
    Course("Smart City und Smart Region", "Bonusmodul",
           (("digcomp:5.3", 4), ("kc:open-data", 3)), "HC", 1, "490,00 EUR",
           "Urbane Datenplattformen, Sensorik und digitale Zwillinge: Strategien für Städte und Landkreise."),
    Course("Nachhaltige Digitalisierung und Green IT", "Bonusmodul",
           (("digcomp:4.4", 4),), "FO", 0.5, "kostenfrei",
           "Ressourcenverbrauch der IT, nachhaltige Beschaffung und Klimaziele der Verwaltung."),
    Course("Haushalt und Finanzen digital: E-Rechnung und Doppik", "Basismodul",
           (("kc:process-management", 3), ("digcomp:1.3", 3)), "FC", 1, "590,00 EUR",
           "Digitale Haushaltsprozesse, E-Rechnung, Berichtswesen und automatisierte Prüfungen."),
    Course("Verwaltungsinformatik für Juristinnen und Juristen", "Basismodul",
           (("kc:it-architecture", 2), ("digcomp:5.1", 3)), "HC", 2, "790,00 EUR",
           "Wie Fachverfahren, Schnittstellen und Datenbanken funktionieren: Grundlagen für die Rechtsanwendung."),
    Course("Programmieren lernen für Verwaltungsdigitalisierer", "Bonusmodul",
           (("digcomp:3.4", 3), ("kc:data-analytics", 2)), "FOHO", 2, "590,00 EUR",
           "Erste Schritte mit Python: Daten auswerten und kleine Aufgaben automatisieren."),
    Course("Krisenmanagement und digitale Lagebilder", "Intensivmodul",
           (("kc:information-security", 4), ("digcomp:1.2", 4)), "HM", 2, "890,00 EUR",
           "Krisenstäbe mit digitalen Lagebildern führen; Erfahrungen aus Pandemie, Hochwasser und Cyberangriffen."),
    Course("Blockchain in der öffentlichen Verwaltung", "Bonusmodul",
           (("kc:blockchain", 3), ("digcomp:5.2", 3)), "HO", 0.5, "290,00 EUR",
           "Distributed-Ledger-Technologien und ihre Anwendungsfälle in Registern und Nachweisen."),
    Course("Informationsfreiheit und Transparenzgesetze", "Bonusmodul",
           (("kc:open-data", 3), ("kc:egov-law", 3)), "FO", 0.5, "290,00 EUR",
           "IFG-Anträge, Transparenzportale und das Verhältnis zum Datenschutz."),
    Course("Digitale Ethik in der Verwaltung", "Bonusmodul",
           (("kc:ai-in-administration", 3), ("digcomp:2.5", 4)), "HO", 0.5, "290,00 EUR",
           "Verantwortung, Fairness und Transparenz beim Einsatz digitaler Systeme gegenüber Bürgerinnen und "
           "Bürgern."),
    Course("E-Akte und Aktenführung nach den Grundsätzen ordnungsgemäßer Aktenführung", "Basismodul",
           (("kc:e-files", 3), ("kc:egov-law", 2)), "FO", 0.75, "350,00 EUR",
           "Rechtliche Anforderungen an die elektronische Aktenführung, Beweiswert und Aufbewahrung."),
    Course("Urheberrecht und Lizenzen im Behördenalltag", "Bonusmodul",
           (("digcomp:3.3", 4),), "HO", 0.5, "290,00 EUR",
           "Rechtssichere Nutzung von Bildern, Texten und Software; offene Lizenzen für Verwaltungswerke."),
    Course("Digitale Identitäten: EUDI-Wallet und BundID", "Bonusmodul",
           (("digcomp:2.6", 4), ("kc:egov-law", 3)), "HC", 1, "490,00 EUR",
           "Elektronische Identifizierung nach eIDAS 2.0, EUDI-Wallet und Nutzerkonten im Portalverbund."),
    Course("Selbstlernkurs: Digitale Grundkompetenzen nach DigComp", "Basismodul",
           (("digcomp:1.1", 2), ("digcomp:2.1", 2), ("digcomp:4.1", 2)), "SO", 1.25, "kostenfrei",
           "Zehn Lerneinheiten zu Recherche, Kommunikation und Sicherheit; Einstieg jederzeit, im eigenen Tempo."),
    Course("Selbstlernkurs: Gesund arbeiten am Bildschirm", "Bonusmodul",
           (("digcomp:4.3", 3),), "SO", 0.5, "kostenfrei",
           "Ergonomie, Pausen und digitale Erreichbarkeit: ein kurzer Selbstlernkurs."),
    Course("Verhandlungsführung in digitalen Formaten", "Bonusmodul",
           (("digcomp:2.1", 4), ("digcomp:2.5", 3)), "FC", 1, "490,00 EUR",
           "Verhandeln per Videokonferenz: Vorbereitung, Gesprächsführung und Ergebnissicherung."),
    Course("Public Management: Steuerung im digitalen Staat", "Intensivmodul",
           (("kc:digital-leadership", 4), ("kc:process-management", 4)), "HC", 3, "1.290,00 EUR",
           "Governance-Modelle, Kooperationen zwischen Ebenen und Steuerung von Digitalisierungsprogrammen.",
           "kc:digital-leadership/3", ects=3),
    Course("Moderne Rechtsetzung: Gesetze digital denken", "Bonusmodul",
           (("kc:egov-law", 4), ("digcomp:5.2", 3)), "HO", 0.75, "350,00 EUR",
           "Experimentierklauseln, Reallabore und maschinenlesbares Recht."),
    Course("Digital lehren: Kompetenzen für Ausbildende in der Verwaltung", "Basismodul",
           (("digcomp:3.1", 3), ("digcomp:2.4", 3), ("digcomp:5.4", 3)), "FCHC", 2, "690,00 EUR",
           "Ausbildung und Fortbildung digital gestalten: Lernplattformen, Lernvideos und hybride Lehrformate."),
)

# courses (by index) that carry a deliberate flaw; see the module docstring
BROKEN_DATE = 17
NO_COST = 32
DUPLICATE = 4
PROGRAMME_MISMATCH = 39


def number(i: int, course: Course) -> str:
    return f"27-{course.plan[0]}-{101 + i}"


def _sub(parent: ET.Element, ns: str, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _human(day: date) -> str:
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


def _location(parent: ET.Element, street: str, town: str, postcode: str, lat: str, lon: str) -> None:
    location = _sub(parent, MLO, "location")
    _sub(location, MLO, "street", street)
    _sub(location, MLO, "town", town)
    _sub(location, MLO, "postcode", postcode)
    _sub(location, GEO, "lat", lat)
    _sub(location, GEO, "long", lon)


def _presentation(course_el: ET.Element, i: int, n: int, course: Course, programme: str, mode: str) -> None:
    code = number(i, course)
    pres = _sub(course_el, XCRI, "presentation")
    season = {"F": "fruehjahr", "H": "herbst", "S": "laufend"}[programme]
    _sub(pres, DC, "identifier", f"{BASE_URL}/{code}/{season}")
    if programme != "S":
        label = "Frühjahrsprogramm 2027" if programme == "F" else "Herbstprogramm 2027"
        if i == PROGRAMME_MISMATCH:
            label = "Herbstprogramm 2027"  # the flaw: listed in autumn, dated in spring
        _sub(pres, DC, "type", label)
        month = (2 + (i * 3 + n) % 5) if programme == "F" else (9 + (i + n) % 3)
        start = date(2027, month, 1 + (i * 5) % 24)
        start += timedelta(days=(i % 3 - start.weekday()) % 7)  # Monday to Wednesday
        days = max(1, int(course.days + 0.99)) if mode != "O" else 1
        end = start + timedelta(days=days - 1)
        dtf = "2027-13-01" if i == BROKEN_DATE and n == 0 else start.isoformat()
        _sub(pres, MLO, "start", _human(start), dtf=dtf)
        _sub(pres, XCRI, "end", _human(end), dtf=end.isoformat())
    else:
        _sub(pres, MLO, "start", "laufend, Einstieg jederzeit")
    hours = course.days * 8
    if mode == "O" or course.days < 1:
        _sub(pres, MLO, "duration", f"{hours:g} Stunden", interval=f"PT{hours:g}H")
    else:
        _sub(pres, MLO, "duration", f"{course.days:g} Tage", interval=f"P{course.days:g}D")
    if programme != "S":
        _sub(pres, XCRI, "applyUntil", "vier Wochen vor Beginn")
    study = ("FL", "Flexible") if programme == "S" else ("PT", "Part time")
    _sub(pres, XCRI, "studyMode", study[1], identifier=study[0])
    attendance = {"C": "CM", "O": "ON", "M": "MM"}[mode]
    _sub(pres, XCRI, "attendanceMode", MODES[attendance], identifier=attendance)
    _sub(pres, XCRI, "attendancePattern", "Customised" if programme == "S" else "Daytime",
         identifier="CS" if programme == "S" else "DT")
    _sub(pres, MLO, "languageOfInstruction", "de")
    if programme != "S":
        _sub(pres, MLO, "places", str(16 + (i * 7) % 14))
    if i != NO_COST:
        cost = course.cost
        if i % 9 == 2 and cost.endswith("EUR"):
            cost = f"Teilnahmeentgelt {cost} einschließlich Tagungsunterlagen"
        _sub(pres, MLO, "cost", cost)
    if mode in {"C", "M"} and i % 4 != 3:  # some campus presentations name no venue: the provider's address
        venue = _sub(pres, XCRI, "venue")
        provider = _sub(venue, XCRI, "provider")
        _sub(provider, DC, "title", "DUV Speyer, Hörsaalgebäude")
        _location(provider, "Freiherr-vom-Stein-Straße 2", "Speyer", "67346", "49.3173", "8.4412")


def _course(parent: ET.Element, i: int, course: Course) -> None:
    code = number(i, course)
    el = _sub(parent, XCRI, "course")
    description = _sub(el, DC, "description")
    div = ET.SubElement(description, f"{{{XHTML}}}div")
    ET.SubElement(div, f"{{{XHTML}}}p").text = course.text
    _sub(el, DC, "identifier", f"{BASE_URL}/{code}")
    _sub(el, DC, "identifier", code, **{f"{{{XSI}}}type": "duv:veranstaltungsnummer"})
    taxonomy = load_taxonomy()
    for cid, level in course.subjects:
        label = taxonomy.competences[cid].label["de"] if cid in taxonomy else cid.partition(":")[2].title()
        _sub(el, DC, "subject", label, identifier=cid, level=str(level))
    for keyword in course.keywords:
        _sub(el, DC, "subject", keyword)
    _sub(el, DC, "title", course.title)
    _sub(el, DC, "type", course.kind)
    _sub(el, MLO, "url", f"{BASE_URL}/{code}")
    _sub(el, XCRI, "abstract", course.text.split(":")[0][:140])
    if course.prerequisite:
        _sub(el, MLO, "prerequisite", course.prerequisite)
    qualification = _sub(el, MLO, "qualification")
    _sub(qualification, DC, "title", "Zertifikat" if course.ects else "Teilnahmebescheinigung")
    _sub(qualification, XCRI, "awardedBy", "Deutsche Universität für Verwaltungswissenschaften Speyer")
    if course.ects:
        credit = _sub(el, MLO, "credit")
        _sub(credit, CREDIT, "scheme", "ECTS")
        _sub(credit, CREDIT, "level", "Weiterbildung")
        _sub(credit, CREDIT, "value", str(course.ects))
    for n in range(0, len(course.plan), 2):
        _presentation(el, i, n // 2, course, course.plan[n], course.plan[n + 1])


def catalog() -> ET.Element:
    root = ET.Element(f"{{{XCRI}}}catalog", {"generated": "2026-11-02T08:00:00Z"})
    root.set("xmlns:duv", DUV)  # declared by hand: only used inside an xsi:type value, which ElementTree cannot see
    _sub(root, DC, "title", "Weiterbildungsprogramm 2027 – Frühjahr und Herbst")
    provider = _sub(root, XCRI, "provider")
    _sub(provider, DC, "description", "Die Deutsche Universität für Verwaltungswissenschaften Speyer bietet "
         "Fortbildungen für Beschäftigte und Führungskräfte der öffentlichen Verwaltung an.")
    _sub(provider, DC, "identifier", "https://www.uni-speyer.de")
    _sub(provider, DC, "title", "Deutsche Universität für Verwaltungswissenschaften Speyer")
    _sub(provider, MLO, "url", "https://www.uni-speyer.de/weiterbildung")
    for i, course in enumerate(COURSES):
        _course(provider, i, course)
        if i == DUPLICATE + 20:
            _course(provider, DUPLICATE, COURSES[DUPLICATE])  # the flaw: exported twice
    _location(provider, "Freiherr-vom-Stein-Straße 2", "Speyer", "67346", "49.3173", "8.4412")
    return root


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tree = ET.ElementTree(catalog())
    ET.indent(tree, space="  ")
    with open(OUT, "wb") as fh:
        tree.write(fh, encoding="UTF-8", xml_declaration=True)
        fh.write(b"\n")
    print(f"{OUT.name}: {len(COURSES)} courses, {len(COURSES) + 1} course elements")


if __name__ == "__main__":
    main()
