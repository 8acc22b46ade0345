#!/usr/bin/env python3
"""Write the MOOChub v3 demo feeds of the KommunalCampus hub.

Two providers are simulated as paginated JSON:API feeds:

* eGov-Campus (Xikolo-style, 36 courses, 12 per page) -> egov-campus/
* DHBW Mannheim, continuing education (24 courses, 12 per page) -> dhbw/

All courses, dates and prices are invented demo data. Page links are
relative ("courses-2.json"), so the files can be read from disk or served
over HTTP as they are. The output is deterministic: running the script
twice yields byte-identical files.

Run with plain Python 3.11+, no third-party packages:

    python3 sources/demo/make_moochub_demo.py
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

HERE = Path(__file__).resolve().parent

# Fixed namespace for the course ids: never change it, the ids depend on it.
NAMESPACE = uuid.UUID("e1f32d08-ff35-432c-9175-430e1ed59d0c")

Json = dict[str, Any]
Mode = Literal["async", "sync", "onsite", "blended"]

COURSE_MODES: dict[Mode, list[str]] = {
    "async": ["online", "asynchronous"],
    "sync": ["online", "synchronous"],
    "onsite": ["onsite"],
    "blended": ["blended"],
}
MODULE_KINDS = ("Basismodul", "Intensivmodul", "Bonusmodul")
TYPICAL_HOURS = {8, 12, 16, 24}
HOURS_PER_ECTS = 30
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

AUDIENCE = "http://purl.org/dcx/lrmi-vocabs/educationalAudienceRole/professional"
LEARNING_RESOURCE_TYPE: Json = {
    "identifier": "https://w3id.org/kim/hcrt/course",
    "type": "Concept",
    "inScheme": "https://w3id.org/kim/hcrt/scheme",
}
DIGCOMP_URL = "https://publications.jrc.ec.europa.eu/repository/bitstream/JRC128415/JRC128415_01.pdf"

# The 21 competences of DigComp 2.2: code -> (German name, English name).
DIGCOMP: dict[str, tuple[str, str]] = {
    "1.1": (
        "Daten, Informationen und digitale Inhalte durchsuchen und filtern",
        "Browsing, searching and filtering data, information and digital content",
    ),
    "1.2": (
        "Daten, Informationen und digitale Inhalte bewerten",
        "Evaluating data, information and digital content",
    ),
    "1.3": (
        "Daten, Informationen und digitale Inhalte verwalten",
        "Managing data, information and digital content",
    ),
    "2.1": (
        "Mithilfe digitaler Technologien interagieren",
        "Interacting through digital technologies",
    ),
    "2.2": (
        "Mithilfe digitaler Technologien teilen",
        "Sharing through digital technologies",
    ),
    "2.3": (
        "Mithilfe digitaler Technologien am gesellschaftlichen Leben teilhaben",
        "Engaging in citizenship through digital technologies",
    ),
    "2.4": (
        "Mithilfe digitaler Technologien zusammenarbeiten",
        "Collaborating through digital technologies",
    ),
    "2.5": ("Netiquette", "Netiquette"),
    "2.6": ("Digitale Identität verwalten", "Managing digital identity"),
    "3.1": ("Digitale Inhalte entwickeln", "Developing digital content"),
    "3.2": (
        "Digitale Inhalte integrieren und neu erarbeiten",
        "Integrating and re-elaborating digital content",
    ),
    "3.3": ("Urheberrecht und Lizenzen", "Copyright and licences"),
    "3.4": ("Programmieren", "Programming"),
    "4.1": ("Geräte schützen", "Protecting devices"),
    "4.2": (
        "Personenbezogene Daten und Privatsphäre schützen",
        "Protecting personal data and privacy",
    ),
    "4.3": (
        "Gesundheit und Wohlbefinden schützen",
        "Protecting health and well-being",
    ),
    "4.4": ("Umwelt schützen", "Protecting the environment"),
    "5.1": ("Technische Probleme lösen", "Solving technical problems"),
    "5.2": (
        "Bedürfnisse und technologische Antworten darauf erkennen",
        "Identifying needs and technological responses",
    ),
    "5.3": (
        "Digitale Technologien kreativ nutzen",
        "Creatively using digital technologies",
    ),
    "5.4": (
        "Lücken bei digitalen Kompetenzen erkennen",
        "Identifying digital competence gaps",
    ),
}

# DigComp proficiency bands; levels 1-2, 3-4, 5-6 and 7-8 share a band.
LEVEL_BANDS: tuple[tuple[str, str], ...] = (
    ("Grundlagen", "Foundation"),
    ("Mittelstufe", "Intermediate"),
    ("Fortgeschritten", "Advanced"),
    ("Hoch spezialisiert", "Highly specialised"),
)


def text(paragraph: str) -> str:
    """Collapse the line breaks and indentation of a triple-quoted string."""
    return " ".join(paragraph.split())


@dataclass(frozen=True)
class Workload:
    hours: int  # per unit
    unit: Literal["h/week", "h/day"]
    periods: int  # number of weeks or days

    @property
    def total_hours(self) -> int:
        return self.hours * self.periods

    @property
    def duration(self) -> str:
        return f"P{self.periods}{'W' if self.unit == 'h/week' else 'D'}"

    @property
    def span_days(self) -> int:
        """Days from the first to the last course day (Monday to Friday)."""
        if self.unit == "h/week":
            return 7 * self.periods - 3
        return self.periods - 1


def weeks(count: int, hours: int) -> Workload:
    return Workload(hours, "h/week", count)


def days(count: int, hours: int) -> Workload:
    return Workload(hours, "h/day", count)


@dataclass(frozen=True)
class Venue:
    name: str
    street: str
    postal_code: str
    city: str
    latitude: float
    longitude: float

    def to_json(self, url: str | None) -> Json:
        place: Json = {
            "name": self.name,
            "address": {
                "streetAddress": self.street,
                "postalCode": self.postal_code,
                "city": self.city,
                "addressCountry": "DE",
            },
            "latitude": self.latitude,
            "longitude": self.longitude,
        }
        if url is not None:  # blended courses also have an online room
            place["url"] = url
        return place


DHBW_MA = Venue("DHBW Mannheim", "Coblitzallee 1-9", "68163", "Mannheim", 49.4747, 8.5340)
MANNHEIM = Venue("Stadthaus N 1, Mannheim", "N 1", "68161", "Mannheim", 49.4876, 8.4664)
HEIDELBERG = Venue("Rathaus Heidelberg", "Marktplatz 10", "69117", "Heidelberg", 49.4118, 8.7101)
LUDWIGSHAFEN = Venue(
    "Rathaus Ludwigshafen",
    "Rathausplatz 20",
    "67059",
    "Ludwigshafen am Rhein",
    49.4818,
    8.4427,
)
HEPPENHEIM = Venue(
    "Kreisverwaltung Bergstraße",
    "Gräffstraße 5",
    "64646",
    "Heppenheim",
    49.6415,
    8.6376,
)
WEINHEIM = Venue(
    "Rathaus Weinheim (Schloss)",
    "Obertorstraße 9",
    "69469",
    "Weinheim",
    49.5490,
    8.6687,
)
SPEYER = Venue(
    "Deutsche Universität für Verwaltungswissenschaften Speyer",
    "Freiherr-vom-Stein-Straße 2",
    "67346",
    "Speyer",
    49.3173,
    8.4412,
)
WIESBADEN = Venue("Rathaus Wiesbaden", "Schloßplatz 6", "65183", "Wiesbaden", 50.0822, 8.2437)


@dataclass(frozen=True)
class Course:
    slug: str
    name: str
    description: str
    mode: Mode
    load: Workload
    teaches: tuple[tuple[str, int], ...]  # (DigComp code, level 1-8)
    keywords: tuple[str, ...]
    starts: tuple[str, ...] = ()  # ISO dates; empty = self-paced
    languages: tuple[str, ...] = ("de",)
    price: float = 0.0
    price_covers: Literal["course", "complete"] = "course"
    certificate_fee: float | None = None
    venue: Venue | None = None
    requires: str | None = None  # slug of a prerequisite course, same feed
    module: str | None = None  # DHBW: Basismodul, Intensivmodul or Bonusmodul
    credits: int | None = None  # ECTS


@dataclass(frozen=True)
class Feed:
    directory: str
    course_url: str  # prefix, the slug is appended
    publisher: Json
    license: Json
    courses: tuple[Course, ...]
    per_page: int = 12
    modular: bool = False  # every course names exactly one module kind
    null_dates: bool = False  # self-paced courses say null instead of omitting


# --------------------------------------------------------------------------
# eGov-Campus
# --------------------------------------------------------------------------

EGOV_COURSES = (
    Course(
        slug="ozg-grundlagen2027",
        name="Onlinezugangsgesetz (OZG) verstehen und umsetzen",
        description=text("""
            Der Kurs erklärt, welche Verwaltungsleistungen nach dem OZG und dem
            OZG-Änderungsgesetz digital angeboten werden müssen und wie das
            Prinzip „Einer für Alle“ (EfA) funktioniert. Sie lernen den
            Leistungskatalog (LeiKa), die Reifegradstufen und den Portalverbund
            kennen. An Beispielen aus Kommunen wird gezeigt, wie ein Antrag vom
            Onlineformular bis zur Fachanwendung medienbruchfrei bearbeitet
            wird.
        """),
        mode="async",
        load=weeks(4, hours=3),
        teaches=(("2.3", 3), ("5.2", 3)),
        keywords=("OZG", "E-Government", "EfA", "Portalverbund"),
    ),
    Course(
        slug="egov-recht2027",
        name="E-Government-Recht für die Kommunalverwaltung",
        description=text("""
            Im Mittelpunkt stehen das E-Government-Gesetz des Bundes, die
            E-Government-Gesetze der Länder und ihre Bedeutung für Städte,
            Gemeinden und Landkreise. Behandelt werden die elektronische
            Zugangseröffnung nach § 3a VwVfG, die elektronische Aktenführung und
            der elektronische Verwaltungsakt. In vier Live-Sitzungen diskutieren
            Sie typische Rechtsfragen aus Ihrem Arbeitsalltag mit den
            Dozierenden.
        """),
        mode="sync",
        load=weeks(4, hours=2),
        starts=("2027-03-01", "2027-09-06"),
        teaches=(("2.3", 4), ("1.2", 4)),
        keywords=("E-Government-Gesetz", "Verwaltungsrecht", "VwVfG"),
    ),
    Course(
        slug="e-akte-praxis2027",
        name="Die E-Akte im Arbeitsalltag",
        description=text("""
            Sie lernen, Dokumente in der elektronischen Akte rechtssicher
            abzulegen, Vorgänge zu bilden und Aktenzeichen nach dem Aktenplan zu
            vergeben. Behandelt werden auch das ersetzende Scannen nach
            TR-RESISCAN, Mitzeichnungsverfahren und Aufbewahrungsfristen. Kurze
            Übungen in einer Demo-Umgebung bereiten Sie auf die Umstellung von
            der Papier- auf die E-Akte vor.
        """),
        mode="async",
        load=weeks(2, hours=4),
        teaches=(("1.3", 2), ("2.4", 2)),
        keywords=("E-Akte", "Schriftgutverwaltung", "Aktenplan"),
    ),
    Course(
        slug="e-akte-einfuehrung2027",
        name="E-Akte einführen: Projektleitung und Organisation",
        description=text("""
            Der Kurs richtet sich an Projektverantwortliche, die die E-Akte in
            einer Kommune einführen. Online erarbeiten Sie Ist-Analyse der
            Schriftgutverwaltung, Bereinigung des Aktenplans und ein
            Schulungskonzept; am Präsenztag in Wiesbaden planen Sie gemeinsam
            den Rollout für Ihr eigenes Amt. Sie erhalten Vorlagen für
            Dienstanweisung, Migrationsplan und Kommunikationsplan.
        """),
        mode="blended",
        load=weeks(6, hours=4),
        starts=("2027-04-12",),
        price=690.0,
        price_covers="complete",
        venue=WIESBADEN,
        teaches=(("1.3", 5), ("5.2", 5), ("2.4", 4)),
        keywords=("E-Akte", "Projektleitung", "Einführungsprojekt"),
    ),
    Course(
        slug="datenschutz-kommune2027",
        name="Datenschutz (DSGVO) in der Kommune – Grundlagen",
        description=text("""
            Welche personenbezogenen Daten verarbeitet ein Bürgerbüro, und auf
            welcher Rechtsgrundlage? Der Kurs führt durch die Grundsätze der
            DSGVO, die Betroffenenrechte und das Verzeichnis von
            Verarbeitungstätigkeiten. Anhand von Fällen aus Meldewesen,
            Sozialamt und Kita-Verwaltung üben Sie, Auskunftsersuchen korrekt zu
            beantworten und Datenpannen innerhalb von 72 Stunden zu melden.
        """),
        mode="async",
        load=weeks(4, hours=3),
        certificate_fee=49.0,
        teaches=(("4.2", 3),),
        keywords=("Datenschutz", "DSGVO", "Betroffenenrechte"),
    ),
    Course(
        slug="dsfa-praxis2027",
        name="Datenschutz-Folgenabschätzung in der Praxis",
        description=text("""
            Sie lernen, wann nach Art. 35 DSGVO eine
            Datenschutz-Folgenabschätzung nötig ist, etwa bei Videoüberwachung
            öffentlicher Plätze oder bei neuen Fachverfahren. Schritt für
            Schritt erstellen Sie eine Folgenabschätzung mit Risikobewertung und
            Maßnahmenplan. In den Live-Terminen besprechen wir Ihre Entwürfe in
            Kleingruppen.
        """),
        mode="sync",
        load=weeks(4, hours=3),
        starts=("2027-05-03", "2027-10-04"),
        teaches=(("4.2", 6), ("1.2", 4)),
        requires="datenschutz-kommune2027",
        keywords=("Datenschutz", "DSGVO", "Datenschutz-Folgenabschätzung"),
    ),
    Course(
        slug="it-grundschutz2027",
        name="Informationssicherheit nach BSI IT-Grundschutz",
        description=text("""
            Der Kurs vermittelt die Methodik des IT-Grundschutzes nach
            BSI-Standard 200-2: Strukturanalyse, Schutzbedarfsfeststellung,
            Modellierung mit Bausteinen aus dem IT-Grundschutz-Kompendium und
            IT-Grundschutz-Check. Am Beispiel einer fiktiven Gemeindeverwaltung
            mit 120 Arbeitsplätzen erstellen Sie ein Sicherheitskonzept. Der
            Kurs eignet sich zur Vorbereitung auf die Rolle als
            Informationssicherheitsbeauftragte oder -beauftragter.
        """),
        mode="async",
        load=weeks(4, hours=4),
        starts=("2027-03-01", "2027-09-06"),
        certificate_fee=49.0,
        teaches=(("4.1", 5), ("5.1", 4)),
        keywords=("Informationssicherheit", "BSI", "IT-Grundschutz"),
    ),
    Course(
        slug="phishing-erkennen2027",
        name="Phishing erkennen: Sicher mit E-Mails umgehen",
        description=text("""
            Gefälschte Rechnungen, angebliche Paketbenachrichtigungen oder eine
            E-Mail „vom Bürgermeister“: Der Kurs zeigt an anonymisierten
            Beispielen, woran Sie Phishing erkennen. Sie üben, Absenderadressen
            und Links zu prüfen, und erfahren, wie Sie einen Verdachtsfall an
            Ihr IT-Sicherheitsteam melden. Ein abschließendes Quiz simuliert
            typische Angriffe auf Verwaltungspostfächer.
        """),
        mode="async",
        load=weeks(2, hours=4),
        languages=("de", "en"),
        teaches=(("4.1", 2), ("4.2", 2)),
        keywords=("Phishing", "Informationssicherheit", "E-Mail"),
    ),
    Course(
        slug="infosec-fuehrung2027",
        name="Informationssicherheit als Führungsaufgabe",
        description=text("""
            Der eintägige Workshop zeigt Amts- und Fachbereichsleitungen, welche
            Verantwortung sie für die Informationssicherheit tragen und welche
            Entscheidungen nicht an die IT delegiert werden können. In einem
            Ransomware-Planspiel üben Sie Krisenkommunikation und
            Notfallentscheidungen. Sie gehen mit einer Checkliste für das
            nächste Gespräch mit Ihrer oder Ihrem
            Informationssicherheitsbeauftragten nach Hause.
        """),
        mode="onsite",
        load=days(1, hours=8),
        starts=("2027-06-15", "2027-11-16"),
        price=390.0,
        venue=SPEYER,
        teaches=(("4.1", 5), ("5.4", 4)),
        keywords=("Informationssicherheit", "Führung", "Notfallmanagement"),
    ),
    Course(
        slug="bitv-pruefung2027",
        name="Barrierefreiheit nach BITV 2.0: Websites und Fachverfahren prüfen",
        description=text("""
            Websites, mobile Anwendungen und Intranets öffentlicher Stellen
            müssen nach der BITV 2.0 barrierefrei sein. Sie lernen die
            Anforderungen der EN 301 549 und der WCAG 2.1 kennen und prüfen
            Seiten mit Screenreader, Tastatur und Kontrastanalyse. Zum Abschluss
            formulieren Sie eine Erklärung zur Barrierefreiheit und richten
            einen Feedback-Mechanismus ein.
        """),
        mode="async",
        load=weeks(4, hours=4),
        teaches=(("3.1", 4), ("2.3", 4)),
        keywords=("Barrierefreiheit", "BITV 2.0", "WCAG"),
    ),
    Course(
        slug="barrierefreie-dokumente2027",
        name="Barrierefreie Dokumente: Word und PDF richtig gestalten",
        description=text("""
            Bescheide, Formulare und Sitzungsvorlagen werden oft als PDF
            veröffentlicht, sind aber für Screenreader kaum lesbar. Der Kurs
            zeigt, wie Sie in Word mit Formatvorlagen, Alternativtexten und
            Tabellenköpfen arbeiten und daraus ein PDF/UA-konformes Dokument
            erzeugen. Mit dem PDF Accessibility Checker (PAC) prüfen Sie Ihre
            Ergebnisse selbst.
        """),
        mode="async",
        load=weeks(2, hours=4),
        teaches=(("3.1", 3), ("3.2", 3)),
        keywords=("Barrierefreiheit", "PDF/UA", "Dokumente"),
    ),
    Course(
        slug="verstaendliche-sprache2027",
        name="Leichte Sprache und verständliche Verwaltungstexte",
        description=text("""
            Verständliche Bescheide sparen Rückfragen und Widersprüche. Sie
            lernen die Regeln der Leichten und der Einfachen Sprache kennen und
            überarbeiten in Live-Schreibwerkstätten eigene Texte, zum Beispiel
            ein Anschreiben der Wohngeldstelle. Außerdem erfahren Sie, wie Sie
            Informationen in Leichter Sprache nach BITV 2.0 auf der Website
            Ihrer Kommune bereitstellen.
        """),
        mode="sync",
        load=weeks(4, hours=3),
        starts=("2027-04-05",),
        teaches=(("3.1", 3), ("2.3", 3)),
        keywords=("Leichte Sprache", "Bürgerkommunikation", "Barrierefreiheit"),
    ),
    Course(
        slug="bpmn-grundlagen2027",
        name="Prozessmanagement mit BPMN 2.0",
        description=text("""
            Sie modellieren Verwaltungsprozesse mit der Notation BPMN 2.0:
            Pools, Lanes, Aufgaben, Gateways und Ereignisse. Als durchgehendes
            Beispiel dient die Gewerbeanmeldung, deren Ist-Prozess Sie erfassen
            und in einen digitalen Soll-Prozess überführen. Außerdem lernen Sie
            den FIM-Baustein Prozesse kennen.
        """),
        mode="async",
        load=weeks(4, hours=4),
        certificate_fee=49.0,
        teaches=(("5.2", 4), ("3.1", 3)),
        keywords=("Prozessmanagement", "BPMN", "FIM"),
    ),
    Course(
        slug="prozessoptimierung2027",
        name="Prozesse optimieren: Vom Ist- zum Soll-Prozess",
        description=text("""
            Aufbauend auf BPMN-Grundkenntnissen analysieren Sie Durchlaufzeiten,
            Medienbrüche und Schnittstellen in einem Prozess Ihrer eigenen
            Verwaltung. Zwei Online-Wochen bereiten einen Präsenz-Workshop in
            Heppenheim vor, in dem Sie mit anderen Kommunen Soll-Prozesse
            entwerfen und Kennzahlen festlegen. Am Ende steht ein umsetzbarer
            Maßnahmenplan.
        """),
        mode="blended",
        load=weeks(3, hours=4),
        starts=("2027-05-10",),
        price=490.0,
        price_covers="complete",
        venue=HEPPENHEIM,
        teaches=(("5.2", 5), ("5.3", 4)),
        requires="bpmn-grundlagen2027",
        keywords=("Prozessmanagement", "Prozessoptimierung", "Workshop"),
    ),
    Course(
        slug="agile-verwaltung2027",
        name="Agile Projektarbeit in der Verwaltung",
        description=text("""
            Scrum und Kanban stammen aus der Softwareentwicklung, lassen sich
            aber auch in Digitalisierungsprojekten von Behörden einsetzen. Der
            Kurs erklärt Rollen, Artefakte und Termine von Scrum und zeigt, wie
            agile Vorgehensweisen mit Haushalts- und Vergaberecht vereinbar
            sind. Die Einführung eines Online-Terminsystems begleitet Sie als
            Fallbeispiel durch alle Lektionen.
        """),
        mode="async",
        load=weeks(4, hours=3),
        starts=("2027-03-08", "2027-06-07", "2027-10-11"),
        teaches=(("2.4", 4), ("5.3", 3)),
        keywords=("Agilität", "Scrum", "Projektmanagement"),
    ),
    Course(
        slug="kanban-teams2027",
        name="Kanban und digitale Aufgabenboards im Team",
        description=text("""
            Sie richten ein digitales Kanban-Board für Ihr Team ein, definieren
            WIP-Limits und machen wiederkehrende Aufgaben wie Ratsvorlagen oder
            Haushaltsanmeldungen sichtbar. Der Kurs vergleicht
            datenschutzkonforme Werkzeuge, die in Kommunen eingesetzt werden.
            Eine Vorlage für die erste Team-Retrospektive hilft beim Start.
        """),
        mode="async",
        load=weeks(2, hours=4),
        teaches=(("2.4", 3), ("1.3", 3)),
        keywords=("Kanban", "Teamarbeit", "Aufgabenmanagement"),
    ),
    Course(
        slug="digitale-fuehrung2027",
        name="Digitale Führung: Teams hybrid leiten",
        description=text("""
            Wenn Teams zwischen Büro und Homeoffice arbeiten, müssen
            Erreichbarkeit, Vertrauen und Ergebnisverantwortung neu geregelt
            werden. In vier Live-Sitzungen erarbeiten Sie Teamvereinbarungen,
            üben Feedbackgespräche per Video und lernen, Anzeichen digitaler
            Überlastung zu erkennen. Der Kurs richtet sich an Führungskräfte
            aller Ebenen in Kommunalverwaltungen.
        """),
        mode="sync",
        load=weeks(4, hours=3),
        starts=("2027-04-19", "2027-09-20"),
        teaches=(("2.4", 5), ("2.5", 5), ("4.3", 4)),
        keywords=("Führung", "Hybrides Arbeiten", "New Work"),
    ),
    Course(
        slug="change-management2027",
        name="Change-Management in der digitalen Transformation",
        description=text("""
            Digitalisierungsprojekte scheitern selten an der Technik, sondern
            daran, dass die Beschäftigten nicht mitgenommen werden. Der Kurs
            stellt Modelle wie die acht Stufen nach Kotter und die
            Veränderungskurve vor und überträgt sie auf Vorhaben wie die
            Einführung der E-Akte. Sie entwickeln einen Kommunikationsplan mit
            Stakeholderanalyse für ein eigenes Projekt.
        """),
        mode="async",
        load=weeks(3, hours=4),
        teaches=(("5.4", 5), ("2.4", 4)),
        keywords=("Change-Management", "Transformation", "Kommunikation"),
    ),
    Course(
        slug="open-data2027",
        name="Open Data: Verwaltungsdaten offen bereitstellen",
        description=text("""
            Haushaltspläne, Baustellen, Ladesäulen: Viele Kommunen
            veröffentlichen ihre Daten als Open Data. Sie lernen das Datenportal
            GovData, das Metadatenschema DCAT-AP.de und geeignete Lizenzen wie
            die Datenlizenz Deutschland kennen. Praktisch bereiten Sie einen
            eigenen Datensatz im CSV-Format auf und beschreiben ihn mit
            Metadaten.
        """),
        mode="async",
        load=weeks(4, hours=3),
        languages=("de", "en"),
        teaches=(("1.3", 4), ("3.3", 4), ("2.2", 4)),
        keywords=("Open Data", "GovData", "DCAT-AP.de"),
    ),
    Course(
        slug="tabellenkalkulation2027",
        name="Daten analysieren mit Tabellenkalkulation",
        description=text("""
            Sie werten Verwaltungsdaten mit einer Tabellenkalkulation aus, etwa
            Fallzahlen im Bürgerservice oder die Belegung von Turnhallen. Der
            Kurs behandelt Sortieren und Filtern, SVERWEIS und XVERWEIS,
            Pivot-Tabellen und aussagekräftige Diagramme. Alle Übungen
            funktionieren mit LibreOffice Calc und Microsoft Excel.
        """),
        mode="async",
        load=weeks(4, hours=4),
        teaches=(("1.3", 3), ("1.2", 3), ("5.1", 2)),
        keywords=("Tabellenkalkulation", "Datenanalyse", "Excel", "LibreOffice"),
    ),
    Course(
        slug="dashboards2027",
        name="Datenkompetenz: Kennzahlen und Dashboards",
        description=text("""
            Aufbauend auf Grundkenntnissen der Tabellenkalkulation entwickeln
            Sie Kennzahlen für die Steuerung eines Fachbereichs und bereiten sie
            in einem Dashboard auf. Sie lernen, Datenquellen zu verknüpfen,
            Datenqualität zu prüfen und irreführende Diagramme zu vermeiden. In
            den Live-Terminen stellen Teilnehmende ihre Dashboards zur
            Diskussion.
        """),
        mode="sync",
        load=weeks(4, hours=3),
        starts=("2027-06-07",),
        teaches=(("1.2", 5), ("3.2", 5), ("1.3", 5)),
        requires="tabellenkalkulation2027",
        keywords=("Datenanalyse", "Dashboards", "Kennzahlen"),
    ),
    Course(
        slug="ki-verwaltung2027",
        name="Künstliche Intelligenz in der Verwaltung",
        description=text("""
            Der Kurs erklärt verständlich, wie maschinelles Lernen und große
            Sprachmodelle funktionieren und wo sie in Verwaltungen schon
            eingesetzt werden, etwa bei der Posteingangsverteilung oder in
            Chatbots. Sie lernen die Pflichten aus der europäischen
            KI-Verordnung für Behörden kennen und bewerten Chancen und Risiken
            konkreter Anwendungsfälle. Ein Kapitel widmet sich dem sicheren
            Umgang mit generativer KI am Arbeitsplatz.
        """),
        mode="async",
        load=weeks(4, hours=3),
        starts=("2027-03-01", "2027-09-06"),
        languages=("de", "en"),
        certificate_fee=49.0,
        teaches=(("5.2", 4), ("1.2", 4), ("4.2", 3)),
        keywords=("Künstliche Intelligenz", "KI-Verordnung", "Sprachmodelle"),
    ),
    Course(
        slug="generative-ki-praxis2027",
        name="Generative KI sicher nutzen: Prompts, Prüfung, Datenschutz",
        description=text("""
            Sie lernen, mit KI-Assistenten Entwürfe für Bürgerinformationen,
            Protokolle und Zusammenfassungen zu erstellen und die Ergebnisse
            kritisch zu prüfen. Der Kurs zeigt, welche Daten niemals in einen
            Prompt gehören und wie Dienstvereinbarungen zum KI-Einsatz aussehen
            können. Übungen mit typischen Verwaltungsaufgaben machen die Grenzen
            der Werkzeuge sichtbar.
        """),
        mode="async",
        load=weeks(2, hours=4),
        teaches=(("3.2", 4), ("1.2", 4), ("4.2", 4)),
        keywords=("Generative KI", "Prompting", "Datenschutz"),
    ),
    Course(
        slug="registermodernisierung2027",
        name="Registermodernisierung und Once-Only-Prinzip",
        description=text("""
            Mit der Registermodernisierung sollen Bürgerinnen und Bürger
            Nachweise nur noch einmal vorlegen müssen. Der Kurs erläutert die
            Identifikationsnummer, das Datenschutzcockpit und das
            National-Once-Only-Technical-System (NOOTS). Sie erfahren, welche
            kommunalen Register betroffen sind und was sich für Melde-,
            Standes- und Ausländerbehörden ändert.
        """),
        mode="async",
        load=weeks(4, hours=3),
        teaches=(("1.3", 5), ("4.2", 5), ("2.3", 5)),
        keywords=("Registermodernisierung", "Once-Only", "NOOTS"),
    ),
    Course(
        slug="videokonferenzen2027",
        name="Videokonferenzen und digitale Zusammenarbeit",
        description=text("""
            Sie lernen, Videokonferenzen sicher zu planen, zu moderieren und
            barrierearm zu gestalten, zum Beispiel mit Live-Untertiteln und
            vorab geteilten Unterlagen. Der Kurs behandelt außerdem das
            gemeinsame Arbeiten an Dokumenten, Dateiablagen für Teams und Regeln
            für Chat-Kanäle. Checklisten für Besprechungen im Hybridformat
            runden das Angebot ab.
        """),
        mode="async",
        load=weeks(2, hours=4),
        teaches=(("2.1", 2), ("2.4", 2), ("2.5", 2)),
        keywords=("Videokonferenz", "Kollaboration", "Hybride Meetings"),
    ),
    Course(
        slug="hybride-gremiensitzungen2027",
        name="Hybride Sitzungen von Rat und Ausschüssen",
        description=text("""
            Viele Gemeindeordnungen erlauben inzwischen hybride Sitzungen
            kommunaler Gremien. Im zweitägigen Workshop richten Sie
            Konferenztechnik, Abstimmungswerkzeug und Livestream praktisch ein
            und klären die rechtlichen Voraussetzungen für Öffentlichkeit und
            geheime Wahlen. Eine Probesitzung mit verteilten Rollen zeigt, wo es
            in der Praxis hakt.
        """),
        mode="onsite",
        load=days(2, hours=6),
        starts=("2027-09-14",),
        price=390.0,
        venue=LUDWIGSHAFEN,
        teaches=(("2.1", 4), ("5.1", 4), ("2.3", 4)),
        keywords=("Gremienarbeit", "Hybride Sitzungen", "Ratsinformationssystem"),
    ),
    Course(
        slug="social-media-kommune2027",
        name="Bürgerkommunikation in sozialen Medien",
        description=text("""
            Der Kurs zeigt, wie Kommunen über Instagram, Mastodon oder
            Messenger-Kanäle Bürgerinnen und Bürger erreichen, ohne Datenschutz
            und Neutralitätsgebot zu verletzen. Sie planen einen
            Redaktionskalender, üben den Umgang mit Hasskommentaren und lernen,
            bei Unwetter oder anderen Krisen schnell und verlässlich zu
            informieren. Im Live-Teil werden Beiträge der Teilnehmenden
            gemeinsam besprochen.
        """),
        mode="sync",
        load=weeks(4, hours=2),
        starts=("2027-03-15", "2027-10-18"),
        teaches=(("2.2", 4), ("2.5", 4), ("2.6", 3)),
        keywords=("Social Media", "Bürgerkommunikation", "Öffentlichkeitsarbeit"),
    ),
    Course(
        slug="krisenkommunikation2027",
        name="Krisenkommunikation digital",
        description=text("""
            Bei Hochwasser, Stromausfall oder Cyberangriff müssen Kommunen über
            alle Kanäle schnell und widerspruchsfrei informieren. Online
            erarbeiten Sie Meldeketten, den Einsatz von Warn-Apps wie NINA und
            Textbausteine; am Präsenztag in Mannheim üben Sie in einer
            Stabsrahmenübung. Sie erhalten ein Muster-Kommunikationshandbuch für
            den Krisenstab.
        """),
        mode="blended",
        load=weeks(4, hours=4),
        starts=("2027-10-04",),
        price=590.0,
        price_covers="complete",
        venue=MANNHEIM,
        teaches=(("2.2", 6), ("2.3", 5), ("2.5", 5)),
        keywords=("Krisenkommunikation", "Bevölkerungsschutz", "Warn-Apps"),
    ),
    Course(
        slug="urheberrecht2027",
        name="Urheberrecht und Lizenzen für Verwaltungsmitarbeitende",
        description=text("""
            Darf das Foto aus dem Pressearchiv auf die Website, und welche
            Bilder dürfen im Amtsblatt erscheinen? Der Kurs erklärt Urheber-
            und Nutzungsrechte, das Recht am eigenen Bild und
            Creative-Commons-Lizenzen. Mit einer Entscheidungshilfe prüfen Sie,
            ob Sie fremde Inhalte verwenden dürfen und wie Sie sie korrekt
            kennzeichnen.
        """),
        mode="async",
        load=weeks(2, hours=4),
        teaches=(("3.3", 3), ("2.2", 3)),
        keywords=("Urheberrecht", "Creative Commons", "Bildrechte"),
    ),
    Course(
        slug="single-digital-gateway2027",
        name="Single Digital Gateway und europäische Verwaltungsdienste",
        description=text("""
            Die EU-Verordnung über das einheitliche digitale Zugangstor (Single
            Digital Gateway) verpflichtet auch Kommunen, bestimmte Verfahren
            grenzüberschreitend online anzubieten. Der Kurs erklärt die
            Anforderungen an Informationen, Verfahren und Nachweise sowie die
            Anbindung an das Once-Only-Technical-System der EU. Er findet in
            englischer Sprache mit Teilnehmenden aus mehreren Mitgliedstaaten
            statt.
        """),
        mode="async",
        load=weeks(4, hours=3),
        starts=("2027-05-03",),
        languages=("en",),
        teaches=(("2.3", 4), ("1.1", 4)),
        keywords=("Single Digital Gateway", "EU", "Once-Only"),
    ),
    Course(
        slug="open-source2027",
        name="Open Source in der öffentlichen Verwaltung",
        description=text("""
            Der Kurs erklärt, was Open-Source-Lizenzen erlauben und verlangen
            und warum Bund, Länder und Kommunen im Sinne der digitalen
            Souveränität verstärkt auf offene Software setzen. Sie lernen die
            Plattform openCode und den Arbeitsplatz openDesk kennen und klären,
            welche Fragen bei Beschaffung, Betrieb und Support zu beantworten
            sind. Beispiele aus Kommunen zeigen Wege der gemeinsamen
            Weiterentwicklung.
        """),
        mode="async",
        load=weeks(4, hours=3),
        teaches=(("3.3", 4), ("5.2", 4)),
        keywords=("Open Source", "Digitale Souveränität", "openDesk"),
    ),
    Course(
        slug="nachhaltige-it2027",
        name="Nachhaltige IT am Arbeitsplatz",
        description=text("""
            Wie viel Energie verbrauchen ein Arbeitsplatzrechner, ein Videocall
            oder ein Cloud-Speicher? Der Kurs zeigt, wie Sie durch
            Geräteeinstellungen, längere Nutzungsdauer und bewussten Umgang mit
            Daten den ökologischen Fußabdruck verringern. Sie lernen das
            Umweltzeichen Blauer Engel für IT-Produkte und Kriterien einer
            nachhaltigen Beschaffung kennen.
        """),
        mode="async",
        load=weeks(4, hours=2),
        teaches=(("4.4", 3), ("4.3", 2)),
        keywords=("Nachhaltigkeit", "Green IT", "Beschaffung"),
    ),
    Course(
        slug="digital-starten2027",
        name="Digital starten: Basiskompetenzen für Auszubildende",
        description=text("""
            Der Einstiegskurs begleitet Auszubildende sowie Anwärterinnen und
            Anwärter durch die digitalen Werkzeuge des Verwaltungsalltags:
            Recherche in Rechtsdatenbanken, sichere Passwörter und
            Zwei-Faktor-Authentisierung, E-Mail und Terminplanung. Ein
            Selbsttest nach dem DigComp-Rahmen zeigt, wo Sie stehen und welche
            Kurse als Nächstes passen.
        """),
        mode="async",
        load=weeks(4, hours=4),
        teaches=(("1.1", 2), ("4.1", 2), ("5.4", 2)),
        keywords=("Ausbildung", "Digitale Grundkompetenzen", "DigComp"),
    ),
    Course(
        slug="online-recherche2027",
        name="Online-Recherche und Quellenbewertung",
        description=text("""
            Sie recherchieren gezielt in Suchmaschinen,
            Rechtsprechungsdatenbanken und amtlichen Veröffentlichungen und
            bewerten die Verlässlichkeit von Quellen. Der Kurs zeigt
            Suchoperatoren, den Umgang mit kostenpflichtigen Angeboten und
            Strategien gegen Desinformation. Die Übungen orientieren sich an
            typischen Anfragen aus Bürgerbüro und Pressestelle.
        """),
        mode="async",
        load=weeks(2, hours=4),
        teaches=(("1.1", 3), ("1.2", 3)),
        keywords=("Recherche", "Quellenkritik", "Desinformation"),
    ),
    Course(
        slug="digitaler-bauantrag2027",
        name="Digitaler Bauantrag und digitale Baugenehmigung",
        description=text("""
            Mit dem digitalen Bauantrag laufen Bauvorlagen, Stellungnahmen der
            Fachstellen und der Bescheid vollständig elektronisch. Sie lernen
            den Standard XBau, die Beteiligung der Träger öffentlicher Belange
            über Plattformen und die Prüfung digitaler Bauvorlagen kennen. In
            Live-Sitzungen berichten Bauaufsichtsbehörden von ihren Erfahrungen
            mit der Umstellung.
        """),
        mode="sync",
        load=weeks(4, hours=3),
        starts=("2027-02-01", "2027-08-30"),
        teaches=(("2.3", 4), ("1.3", 4), ("5.2", 4)),
        keywords=("Digitaler Bauantrag", "XBau", "Bauaufsicht"),
    ),
    Course(
        slug="mobil-sicher-arbeiten2027",
        name="Sicher arbeiten im Homeoffice und unterwegs",
        description=text("""
            Der Kurs zeigt, wie Sie Dienstlaptop und Diensthandy außerhalb des
            Büros sicher nutzen: VPN, Bildschirmsperre, Sichtschutz und sicheres
            Drucken. Sie erfahren, was bei Verlust oder Diebstahl eines Geräts
            zu tun ist und warum private Cloud-Dienste tabu sind. Hinweise zu
            Ergonomie, Pausen und der Abgrenzung von Arbeit und Freizeit
            ergänzen das Thema.
        """),
        mode="async",
        load=weeks(1, hours=8),
        teaches=(("4.1", 3), ("4.3", 3)),
        keywords=("Mobiles Arbeiten", "Informationssicherheit", "Homeoffice"),
    ),
)

# --------------------------------------------------------------------------
# DHBW Mannheim
# --------------------------------------------------------------------------

DHBW_COURSES = (
    Course(
        slug="digitale-verwaltung-basismodul",
        name="Digitale Verwaltung – Basismodul",
        module="Basismodul",
        description=text("""
            Das Basismodul vermittelt die Grundlagen der
            Verwaltungsdigitalisierung: OZG, E-Government-Gesetze und
            Registermodernisierung, föderale IT-Architektur und die Rolle von
            IT-Planungsrat und FITKO. Online-Lerneinheiten wechseln sich mit
            Präsenztagen an der DHBW Mannheim ab, an denen Sie Fallstudien aus
            baden-württembergischen Kommunen bearbeiten. Das Modul schließt mit
            einer Hausarbeit ab und wird mit 2 ECTS-Punkten angerechnet.
        """),
        mode="blended",
        load=weeks(12, hours=5),
        credits=2,
        starts=("2027-03-01", "2027-09-27"),
        price=690.0,
        price_covers="complete",
        venue=DHBW_MA,
        teaches=(("2.3", 3), ("5.2", 3), ("1.3", 3)),
        keywords=("E-Government", "OZG", "Verwaltungsdigitalisierung"),
    ),
    Course(
        slug="digitale-verwaltung-intensivmodul",
        name="Digitale Verwaltung – Intensivmodul",
        module="Intensivmodul",
        description=text("""
            Im Intensivmodul planen Sie ein Digitalisierungsvorhaben Ihrer
            Verwaltung von der Bedarfsanalyse über die Auswahl einer EfA-Lösung
            bis zur Wirtschaftlichkeitsbetrachtung. Sie vertiefen
            Architekturfragen wie Nutzerkonten, Postfächer und XÖV-Standards und
            präsentieren Ihr Konzept vor einer Fachjury aus Praxis und
            Hochschule. Voraussetzung ist das Basismodul; das Modul wird mit 5
            ECTS-Punkten angerechnet.
        """),
        mode="blended",
        load=weeks(15, hours=10),
        credits=5,
        starts=("2027-09-06",),
        price=1250.0,
        price_covers="complete",
        venue=DHBW_MA,
        teaches=(("2.3", 5), ("5.2", 7), ("5.3", 5)),
        requires="digitale-verwaltung-basismodul",
        keywords=("E-Government", "Digitalisierungsstrategie", "XÖV"),
    ),
    Course(
        slug="informationssicherheit-basismodul",
        name="Informationssicherheit – Basismodul",
        module="Basismodul",
        description=text("""
            Zwei Präsenztage an der DHBW Mannheim führen in die Grundbegriffe
            der Informationssicherheit ein: Schutzziele, Bedrohungslage für
            Kommunen und Aufbau eines Informationssicherheits-Managementsystems.
            Sie üben den sicheren Umgang mit Passwörtern, Verschlüsselung und
            mobilen Datenträgern und zeichnen den Verlauf eines
            Ransomware-Angriffs auf eine Kreisverwaltung nach. Das Modul eignet
            sich für Beschäftigte ohne IT-Ausbildung, die Sicherheitsaufgaben
            übernehmen.
        """),
        mode="onsite",
        load=days(2, hours=8),
        starts=("2027-02-09", "2027-06-22", "2027-10-12"),
        price=690.0,
        price_covers="complete",
        venue=DHBW_MA,
        teaches=(("4.1", 3), ("4.2", 3), ("5.1", 3)),
        keywords=("Informationssicherheit", "ISMS", "Cyberangriffe"),
    ),
    Course(
        slug="informationssicherheit-intensivmodul",
        name="Informationssicherheit – Intensivmodul",
        module="Intensivmodul",
        description=text("""
            Das Intensivmodul bereitet auf die Aufgaben als
            Informationssicherheitsbeauftragte oder -beauftragter einer Kommune
            vor. Sie erstellen nach BSI-Standard 200-2 ein Sicherheitskonzept
            für einen eigenen Informationsverbund, planen ein Notfallmanagement
            nach BSI-Standard 200-4 und bewältigen einen Sicherheitsvorfall im
            Planspiel. Voraussetzung ist das Basismodul; das Modul wird mit 5
            ECTS-Punkten angerechnet.
        """),
        mode="blended",
        load=weeks(15, hours=10),
        credits=5,
        starts=("2027-03-08",),
        price=1250.0,
        price_covers="complete",
        venue=DHBW_MA,
        teaches=(("4.1", 7), ("5.1", 5), ("4.2", 5)),
        requires="informationssicherheit-basismodul",
        keywords=("Informationssicherheit", "BSI IT-Grundschutz", "ISB"),
    ),
    Course(
        slug="datenschutz-basismodul",
        name="Datenschutz – Basismodul",
        module="Basismodul",
        description=text("""
            Das Online-Selbstlernmodul erklärt die Grundsätze der DSGVO und des
            Landesdatenschutzgesetzes Baden-Württemberg am Beispiel kommunaler
            Aufgaben. Sie lernen Rechtsgrundlagen, Informationspflichten und
            Löschfristen kennen und wenden sie in interaktiven Fallbeispielen
            aus Personalamt und Bürgerbüro an. Ein Online-Test schließt das
            Modul ab.
        """),
        mode="async",
        load=weeks(4, hours=4),
        price=390.0,
        price_covers="complete",
        teaches=(("4.2", 3), ("1.3", 2)),
        keywords=("Datenschutz", "DSGVO", "LDSG BW"),
    ),
    Course(
        slug="datenschutz-intensivmodul",
        name="Datenschutz – Intensivmodul",
        module="Intensivmodul",
        description=text("""
            Der dreitägige Präsenzkurs richtet sich an angehende behördliche
            Datenschutzbeauftragte und Datenschutzkoordinatorinnen und
            -koordinatoren. Sie erstellen ein Verzeichnis von
            Verarbeitungstätigkeiten, prüfen Auftragsverarbeitungsverträge mit
            IT-Dienstleistern und führen eine Datenschutz-Folgenabschätzung für
            ein Fachverfahren durch. Voraussetzung ist das Basismodul
            Datenschutz.
        """),
        mode="onsite",
        load=days(3, hours=8),
        starts=("2027-05-11", "2027-11-09"),
        price=1250.0,
        price_covers="complete",
        venue=DHBW_MA,
        teaches=(("4.2", 6), ("1.2", 5)),
        requires="datenschutz-basismodul",
        keywords=("Datenschutz", "Datenschutzbeauftragte", "Auftragsverarbeitung"),
    ),
    Course(
        slug="prozessmanagement-basismodul",
        name="Prozessmanagement – Basismodul",
        module="Basismodul",
        description=text("""
            In vier wöchentlichen Live-Online-Seminaren lernen Sie,
            Verwaltungsprozesse zu erheben, mit BPMN 2.0 zu modellieren und
            Schwachstellen wie Medienbrüche oder Doppelerfassungen zu erkennen.
            Zwischen den Terminen modellieren Sie einen Prozess aus Ihrem
            eigenen Arbeitsbereich und erhalten Rückmeldung von den Lehrenden.
            Grundlage sind die Methoden des Föderalen Informationsmanagements
            (FIM).
        """),
        mode="sync",
        load=weeks(4, hours=3),
        starts=("2027-01-11", "2027-04-19"),
        price=390.0,
        price_covers="complete",
        teaches=(("5.2", 3), ("3.1", 3)),
        keywords=("Prozessmanagement", "BPMN", "FIM"),
    ),
    Course(
        slug="prozessmanagement-intensivmodul",
        name="Prozessmanagement – Intensivmodul",
        module="Intensivmodul",
        description=text("""
            Im zweitägigen Workshop optimieren Sie mitgebrachte Prozessmodelle
            und entwickeln digitale Soll-Prozesse mit klaren Zuständigkeiten und
            Kennzahlen. Sie lernen die Prozesskostenrechnung kennen und
            vergleichen Durchlaufzeiten vor und nach der Digitalisierung.
            Voraussetzung ist das Basismodul Prozessmanagement.
        """),
        mode="onsite",
        load=days(2, hours=8),
        starts=("2027-06-10",),
        price=690.0,
        price_covers="complete",
        venue=DHBW_MA,
        teaches=(("5.2", 5), ("5.3", 5)),
        requires="prozessmanagement-basismodul",
        keywords=("Prozessmanagement", "Prozessoptimierung", "Kennzahlen"),
    ),
    Course(
        slug="projektmanagement-basismodul",
        name="Projektmanagement agil und klassisch – Basismodul",
        module="Basismodul",
        description=text("""
            Das Selbstlernmodul vergleicht klassisches Projektmanagement nach
            dem Wasserfallmodell mit agilen Ansätzen wie Scrum und Kanban. Sie
            lernen Projektauftrag, Stakeholderanalyse, Meilensteinplanung und
            Risikoliste kennen und erproben sie an der Einführung eines
            Online-Bürgerportals. Kurze Videos, Quizze und Vorlagen unterstützen
            die Übertragung in den eigenen Arbeitsalltag.
        """),
        mode="async",
        load=weeks(4, hours=3),
        price=390.0,
        price_covers="complete",
        teaches=(("2.4", 3), ("5.2", 3)),
        keywords=("Projektmanagement", "Scrum", "Wasserfallmodell"),
    ),
    Course(
        slug="projektmanagement-intensivmodul",
        name="Projektmanagement agil und klassisch – Intensivmodul",
        module="Intensivmodul",
        description=text("""
            Sie steuern ein realitätsnahes Digitalisierungsprojekt über mehrere
            Sprints und reflektieren Ihre Rolle als Product Owner oder
            Projektleitung. Präsenztage in Mannheim behandeln hybride
            Vorgehensmodelle, die Vergabe agiler Dienstleistungen und
            Konfliktlösung im Team. Voraussetzung ist das Basismodul; das Modul
            wird mit 2 ECTS-Punkten angerechnet.
        """),
        mode="blended",
        load=weeks(12, hours=5),
        credits=2,
        starts=("2027-09-27",),
        price=1250.0,
        price_covers="complete",
        venue=DHBW_MA,
        teaches=(("2.4", 6), ("5.3", 5), ("5.4", 5)),
        requires="projektmanagement-basismodul",
        keywords=("Projektmanagement", "Agilität", "Product Owner"),
    ),
    Course(
        slug="fuehrung-basismodul",
        name="Führung in der digitalen Verwaltung – Basismodul",
        module="Basismodul",
        description=text("""
            Das Basismodul richtet sich an Führungskräfte, deren Teams
            zunehmend digital und hybrid arbeiten. An zwei Präsenztagen in
            Heidelberg erarbeiten Sie Regeln für Erreichbarkeit, Besprechungen
            und digitale Kommunikation und üben Mitarbeitergespräche per Video.
            Außerdem lernen Sie, digitale Überlastung im Team früh zu erkennen.
        """),
        mode="onsite",
        load=days(2, hours=8),
        starts=("2027-03-11", "2027-10-14"),
        price=690.0,
        price_covers="complete",
        venue=HEIDELBERG,
        teaches=(("2.4", 4), ("2.5", 4), ("4.3", 4)),
        keywords=("Führung", "Hybrides Arbeiten", "Kommunikation"),
    ),
    Course(
        slug="fuehrung-intensivmodul",
        name="Führung in der digitalen Verwaltung – Intensivmodul",
        module="Intensivmodul",
        description=text("""
            Im Intensivmodul entwickeln Sie eine Digitalstrategie für Ihren
            Verantwortungsbereich und begleiten den Kulturwandel in Ihrem Team.
            Themen sind Führen auf Distanz, Kompetenzentwicklung nach DigComp,
            Umgang mit Widerständen und die Zusammenarbeit mit Personalrat und
            IT. Kollegiale Fallberatung in festen Kleingruppen begleitet Sie
            über sechs Wochen.
        """),
        mode="blended",
        load=weeks(6, hours=4),
        starts=("2027-05-31",),
        price=1250.0,
        price_covers="complete",
        venue=DHBW_MA,
        teaches=(("2.4", 6), ("5.4", 6), ("2.5", 5)),
        requires="fuehrung-basismodul",
        keywords=("Führung", "Digitalstrategie", "Kulturwandel"),
    ),
    Course(
        slug="datenanalyse-basismodul",
        name="Datenanalyse und Datenmanagement – Basismodul",
        module="Basismodul",
        description=text("""
            Sie lernen, Daten aus Fachverfahren zu exportieren, zu bereinigen
            und mit einer Tabellenkalkulation auszuwerten. Das Modul behandelt
            Datentypen, Datenqualität, Pivot-Auswertungen und die
            datenschutzgerechte Anonymisierung von Auswertungen. Die
            Übungsdatensätze orientieren sich an typischen
            Open-Data-Veröffentlichungen von Kommunen.
        """),
        mode="async",
        load=weeks(4, hours=4),
        starts=("2027-02-01", "2027-09-06"),
        price=390.0,
        price_covers="complete",
        teaches=(("1.3", 3), ("1.2", 3), ("1.1", 3)),
        keywords=("Datenanalyse", "Datenqualität", "Tabellenkalkulation"),
    ),
    Course(
        slug="datenanalyse-intensivmodul",
        name="Datenanalyse und Datenmanagement – Intensivmodul",
        module="Intensivmodul",
        description=text("""
            Das Intensivmodul führt in die Datenanalyse mit Python und
            Jupyter-Notebooks ein: Daten einlesen, mit pandas aufbereiten,
            statistisch auswerten und visualisieren. In wöchentlichen
            Live-Sitzungen bearbeiten Sie eine Fragestellung aus Ihrer
            Verwaltung, etwa die Auslastung von Kita-Plätzen, und dokumentieren
            sie reproduzierbar. Voraussetzung ist das Basismodul; das Modul wird
            mit 5 ECTS-Punkten angerechnet.
        """),
        mode="sync",
        load=weeks(15, hours=10),
        credits=5,
        starts=("2027-03-08",),
        price=1250.0,
        price_covers="complete",
        teaches=(("3.4", 5), ("1.3", 6), ("1.2", 5)),
        requires="datenanalyse-basismodul",
        keywords=("Datenanalyse", "Python", "Data Literacy"),
    ),
    Course(
        slug="ki-basismodul",
        name="KI in der Verwaltung – Basismodul",
        module="Basismodul",
        description=text("""
            Das Modul erklärt Grundbegriffe der künstlichen Intelligenz, von
            regelbasierten Systemen über maschinelles Lernen bis zu großen
            Sprachmodellen. Sie bewerten Einsatzszenarien wie die automatische
            Posteingangsverteilung oder Chatbots im Bürgerservice nach Nutzen,
            Risiken und den Anforderungen der KI-Verordnung. Die Lernvideos
            stehen auf Deutsch und Englisch zur Verfügung.
        """),
        mode="async",
        load=weeks(3, hours=4),
        languages=("de", "en"),
        price=390.0,
        price_covers="complete",
        teaches=(("5.2", 3), ("1.2", 3), ("4.2", 3)),
        keywords=("Künstliche Intelligenz", "KI-Verordnung", "Chatbots"),
    ),
    Course(
        slug="ki-intensivmodul",
        name="KI in der Verwaltung – Intensivmodul",
        module="Intensivmodul",
        description=text("""
            Sie entwickeln einen KI-Anwendungsfall für Ihre Verwaltung bis zur
            Entscheidungsreife: Datenlage prüfen, Risiken nach der KI-Verordnung
            einstufen, eine Datenschutz-Folgenabschätzung vorbereiten und
            Beschaffungsoptionen vergleichen. Am Präsenztag an der DHBW Mannheim
            testen Sie Sprachmodelle an anonymisierten Verwaltungstexten.
            Voraussetzung ist das Basismodul KI in der Verwaltung.
        """),
        mode="blended",
        load=weeks(6, hours=4),
        starts=("2027-10-04",),
        price=1250.0,
        price_covers="complete",
        venue=DHBW_MA,
        teaches=(("5.2", 7), ("3.2", 5), ("4.2", 5)),
        requires="ki-basismodul",
        keywords=("Künstliche Intelligenz", "KI-Strategie", "Sprachmodelle"),
    ),
    Course(
        slug="barrierefreiheit-bonusmodul",
        name="Barrierefreiheit digitaler Angebote – Bonusmodul",
        module="Bonusmodul",
        description=text("""
            Das Bonusmodul zeigt, wie Websites, Formulare und PDF-Dokumente den
            Anforderungen der BITV 2.0 und der WCAG 2.1 genügen. Sie prüfen
            Beispielseiten mit Screenreader und Tastatur und lernen,
            barrierefreie Dokumente in Office-Programmen anzulegen.
        """),
        mode="async",
        load=weeks(2, hours=4),
        price=190.0,
        teaches=(("3.1", 4), ("2.3", 3)),
        keywords=("Barrierefreiheit", "BITV 2.0", "WCAG"),
    ),
    Course(
        slug="it-vergabe-bonusmodul",
        name="Vergaberecht für IT-Beschaffungen – Bonusmodul",
        module="Bonusmodul",
        description=text("""
            Der Präsenztag erläutert die Beschaffung von Software,
            Cloud-Diensten und IT-Dienstleistungen nach UVgO, GWB und den
            EVB-IT-Vertragsmustern. Anhand eines Praxisfalls formulieren Sie
            eine produktneutrale Leistungsbeschreibung und gewichten
            Zuschlagskriterien wie Barrierefreiheit, Datenschutz und
            Nachhaltigkeit.
        """),
        mode="onsite",
        load=days(1, hours=8),
        starts=("2027-04-22", "2027-11-18"),
        price=390.0,
        venue=DHBW_MA,
        teaches=(("5.2", 5), ("1.2", 4)),
        keywords=("Vergaberecht", "IT-Beschaffung", "EVB-IT"),
    ),
    Course(
        slug="open-data-bonusmodul",
        name="Open Data und Smart City – Bonusmodul",
        module="Bonusmodul",
        description=text("""
            In vier Online-Terminen lernen Sie, wie Kommunen Daten als Open Data
            veröffentlichen und in Smart-City-Projekten nutzen, etwa für
            Parkraum, Luftqualität oder ÖPNV. Sie erfahren, welche Lizenzen und
            Metadatenstandards sich bewährt haben und wie urbane
            Datenplattformen aufgebaut sind.
        """),
        mode="sync",
        load=weeks(4, hours=2),
        starts=("2027-05-03",),
        price=190.0,
        teaches=(("1.3", 4), ("2.3", 4), ("3.3", 3)),
        keywords=("Open Data", "Smart City", "Urbane Datenplattform"),
    ),
    Course(
        slug="green-it-bonusmodul",
        name="Green IT und nachhaltige Digitalisierung – Bonusmodul",
        module="Bonusmodul",
        description=text("""
            Das Bonusmodul betrachtet den Energie- und Ressourcenverbrauch
            kommunaler IT vom Arbeitsplatz über das Rechenzentrum bis zur Cloud.
            Sie lernen Kriterien wie den Blauen Engel für Rechenzentren und
            Software kennen und entwickeln Maßnahmen für eine nachhaltigere
            Beschaffung und Nutzung von IT in Ihrer Verwaltung.
        """),
        mode="async",
        load=weeks(2, hours=4),
        price=190.0,
        teaches=(("4.4", 4), ("5.2", 3)),
        keywords=("Green IT", "Nachhaltigkeit", "Rechenzentrum"),
    ),
    Course(
        slug="urheberrecht-bonusmodul",
        name="Urheberrecht und Lizenzen – Bonusmodul",
        module="Bonusmodul",
        description=text("""
            Sie klären typische Rechtsfragen bei der Veröffentlichung von
            Texten, Fotos und Videos durch die Verwaltung: Nutzungsrechte,
            Bildnisschutz, amtliche Werke nach § 5 UrhG und
            Creative-Commons-Lizenzen. Eine Entscheidungshilfe unterstützt Sie
            bei der Prüfung, ob und wie Inhalte verwendet werden dürfen.
        """),
        mode="async",
        load=weeks(1, hours=8),
        price=190.0,
        teaches=(("3.3", 4), ("2.2", 3)),
        keywords=("Urheberrecht", "Lizenzen", "Creative Commons"),
    ),
    Course(
        slug="buergerbeteiligung-bonusmodul",
        name="Bürgerbeteiligung online – Bonusmodul",
        module="Bonusmodul",
        description=text("""
            Der Workshop in Weinheim zeigt, wie Kommunen Bürgerinnen und Bürger
            über Online-Plattformen an Planungen beteiligen, etwa bei
            Bebauungsplänen oder einem Bürgerhaushalt. Sie vergleichen
            Beteiligungswerkzeuge, planen ein Verfahren mit Online- und
            Präsenzphasen und lernen, wie Ergebnisse transparent zurückgemeldet
            werden.
        """),
        mode="onsite",
        load=days(1, hours=8),
        starts=("2027-06-17",),
        price=390.0,
        venue=WEINHEIM,
        teaches=(("2.3", 5), ("2.2", 4)),
        keywords=("Bürgerbeteiligung", "E-Partizipation", "Bürgerhaushalt"),
    ),
    Course(
        slug="gesund-digital-arbeiten-bonusmodul",
        name="Gesund digital arbeiten – Bonusmodul",
        module="Bonusmodul",
        description=text("""
            Das Modul behandelt Belastungen durch Bildschirmarbeit, ständige
            Erreichbarkeit und Informationsflut. In Live-Sitzungen lernen Sie
            Methoden für konzentriertes Arbeiten, ergonomische
            Arbeitsplatzeinstellungen und den Umgang mit Benachrichtigungen
            kennen und vereinbaren persönliche Ziele für die Umsetzung.
        """),
        mode="sync",
        load=weeks(4, hours=2),
        starts=("2027-02-01", "2027-10-04"),
        price=190.0,
        teaches=(("4.3", 4), ("2.5", 3)),
        keywords=("Gesundheit", "Ergonomie", "Selbstorganisation"),
    ),
    Course(
        slug="eu-zusammenarbeit-bonusmodul",
        name="Digitale Zusammenarbeit in europäischen Projekten – Bonusmodul",
        module="Bonusmodul",
        description=text("""
            Das englischsprachige Bonusmodul bereitet auf die Mitarbeit in
            EU-geförderten Verwaltungsprojekten vor, etwa im Rahmen von Interreg
            oder Digital Europe. Sie trainieren Videokonferenzen und
            Projektkommunikation auf Englisch, lernen kollaborative Werkzeuge
            für verteilte Teams kennen und reflektieren kulturelle Unterschiede
            in der Zusammenarbeit.
        """),
        mode="async",
        load=weeks(3, hours=4),
        starts=("2027-04-05",),
        languages=("en",),
        price=190.0,
        teaches=(("2.4", 4), ("2.1", 4), ("2.5", 4)),
        keywords=("EU-Projekte", "Interkulturelle Zusammenarbeit", "Englisch"),
    ),
)

EGOV_CAMPUS = Feed(
    directory="egov-campus",
    course_url="https://egov-campus.org/courses/",
    publisher={
        "type": "Organization",
        "name": "eGov-Campus",
        "url": "https://egov-campus.org",
        "description": "Die kostenfreie Lernplattform des IT-Planungsrats für E-Government und Verwaltungsinformatik.",
    },
    license={
        "identifier": "CC-BY-SA-4.0",
        "url": "https://spdx.org/licenses/CC-BY-SA-4.0.html",
        "contentUrl": None,
    },
    courses=EGOV_COURSES,
    null_dates=True,
)

DHBW = Feed(
    directory="dhbw",
    course_url="https://www.dhbw-mannheim.de/weiterbildung/",
    publisher={
        "type": "Organization",
        "name": "Duale Hochschule Baden-Württemberg Mannheim",
        "url": "https://www.dhbw-mannheim.de",
        "description": "Wissenschaftliche Weiterbildung für Beschäftigte "
        "im öffentlichen Dienst in Basis-, Intensiv- und Bonusmodulen.",
    },
    license={"identifier": "proprietary", "url": None, "contentUrl": None},
    courses=DHBW_COURSES,
    modular=True,
)

FEEDS = (EGOV_CAMPUS, DHBW)


# --------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------


def label(german: str, english: str) -> list[Json]:
    return [{"inLanguage": "de", "name": german}, {"inLanguage": "en", "name": english}]


def educational_level(level: int) -> Json:
    german, english = LEVEL_BANDS[(level - 1) // 2]
    return {
        "type": "EducationalLevel",
        "name": label(f"{german} (Stufe {level})", f"{english} (level {level})"),
        "shortCode": str(level),
        "educationalFramework": "DigComp",
        "educationalFrameworkVersion": "2.2",
        "url": DIGCOMP_URL,
    }


def skill(code: str, level: int) -> Json:
    german, english = DIGCOMP[code]
    return {
        "name": label(german, english),
        "shortCode": code,
        "educationalFramework": "DigComp",
        "educationalFrameworkVersion": "2.2",
        "url": DIGCOMP_URL,
        "educationalLevel": educational_level(level),
    }


def course_id(course: Course) -> str:
    return str(uuid.uuid5(NAMESPACE, course.slug))


def timestamp(day: date, clock: str) -> str:
    return f"{day.isoformat()}T{clock}Z"


def runs(course: Course) -> list[tuple[date, date]]:
    """(first day, last day) of each run, in the order given."""
    firsts = [date.fromisoformat(start) for start in course.starts]
    return [(d, d + timedelta(days=course.load.span_days)) for d in firsts]


def offers(course: Course) -> list[Json]:
    def offer(price: float, category: str) -> Json:
        return {
            "price": price,
            "priceCurrency": "EUR",
            "paymentFrequency": "one-time",
            "category": category,
        }

    if course.price > 0:
        return [offer(course.price, course.price_covers)]
    free = [offer(0.0, "course")]
    if course.certificate_fee is not None:
        free.append(offer(course.certificate_fee, "certificate"))
    return free


def access(course: Course) -> list[str]:
    prices = [item["price"] for item in offers(course)]
    kinds = ["free"] if 0.0 in prices else []
    return kinds + (["paid"] if any(prices) else [])


def credentials(course: Course) -> list[str]:
    if course.price == 0:
        earned = ["record of achievement", "confirmation of participation"]
        return (["certificate"] if course.certificate_fee else []) + earned
    if course.price_covers == "complete":
        return ["certificate"]
    return ["confirmation of participation"]


def prerequisites(feed: Feed, prior: Course) -> list[Json]:
    """What a follow-up course requires: the competences the prior teaches."""
    required = [skill(code, level) for code, level in prior.teaches]
    required.append(
        {
            "name": [{"inLanguage": "de", "name": prior.name}],
            "educationalFramework": "Course_ID",
            "educationalFrameworkVersion": "2027",
            "targetUrl": feed.course_url + prior.slug,
        }
    )
    return required


def course_json(feed: Feed, course: Course, by_slug: dict[str, Course]) -> Json:
    url = feed.course_url + course.slug
    attributes: Json = {
        "name": course.name,
        "courseCode": course.slug,
        "description": course.description,
        "url": url,
        "inLanguage": list(course.languages),
        "courseMode": COURSE_MODES[course.mode],
    }
    dates = runs(course)
    if dates:
        attributes["startDate"] = [timestamp(first, "08:00:00") for first, _ in dates]
        attributes["endDate"] = [timestamp(last, "15:00:00") for _, last in dates]
    elif feed.null_dates:
        attributes["startDate"] = None
        attributes["endDate"] = None
    if course.mode == "sync":
        weekday = WEEKDAYS[dates[0][0].weekday()]
        attributes["repeatFrequency"] = [
            {
                "byDay": f"https://schema.org/{weekday}",
                "startTime": "08:00:00Z",
                "endTime": "10:00:00Z",
            }
        ]
    if course.price > 0 and len(dates) == 1:
        deadline = dates[0][0] - timedelta(days=14)
        attributes["applicationDeadline"] = timestamp(deadline, "22:00:00")
    attributes["duration"] = course.load.duration
    attributes["workload"] = {
        "timeValue": course.load.hours,
        "timeUnit": course.load.unit,
    }
    attributes["offer"] = offers(course)
    attributes["access"] = access(course)
    if course.mode != "onsite":  # videos with transcripts
        attributes["accessMode"] = ["auditory", "textual", "visual"]
    attributes["educationalCredentialsAwarded"] = credentials(course)
    if course.credits is not None:
        attributes["numberOfCredits"] = course.credits
    attributes["teaches"] = [skill(code, level) for code, level in course.teaches]
    if course.requires is not None:
        prior = by_slug[course.requires]
        attributes["competencyRequired"] = prerequisites(feed, prior)
    module = [course.module] if course.module else []
    attributes["keywords"] = module + list(course.keywords)
    attributes["audience"] = [AUDIENCE]
    if course.venue is not None:
        online_room = url if course.mode == "blended" else None
        attributes["contentLocation"] = course.venue.to_json(online_room)
    attributes["learningResourceType"] = LEARNING_RESOURCE_TYPE
    attributes["publisher"] = feed.publisher
    attributes["creator"] = [feed.publisher]
    attributes["license"] = [feed.license]
    return {"id": course_id(course), "type": "Course", "attributes": attributes}


# --------------------------------------------------------------------------
# Consistency checks (fail loudly instead of writing an odd feed)
# --------------------------------------------------------------------------


def problems(feed: Feed) -> list[str]:
    found: list[str] = []
    slugs = [course.slug for course in feed.courses]
    if len(set(slugs)) != len(slugs):
        found.append("duplicate slugs")
    for course in feed.courses:
        where = f"{feed.directory}/{course.slug}"
        hours = course.load.total_hours
        if course.credits is not None:
            if hours != course.credits * HOURS_PER_ECTS:
                found.append(f"{where}: {hours} h do not match the ECTS points")
        elif hours not in TYPICAL_HOURS:
            found.append(f"{where}: {hours} h is not a typical workload")
        for first, last in runs(course):
            weekly = course.load.unit == "h/week"
            if (weekly and first.weekday() != 0) or last.weekday() > 4:
                found.append(f"{where}: run {first} does not fit the week")
        if course.mode == "sync" and not course.starts:
            found.append(f"{where}: a synchronous course needs dates")
        if (course.venue is None) == (course.mode in ("onsite", "blended")):
            found.append(f"{where}: venue and course mode disagree")
        if course.requires is not None and course.requires not in slugs:
            found.append(f"{where}: unknown prerequisite {course.requires}")
        kinds = [word for word in course.keywords if word in MODULE_KINDS]
        module_ok = course.module in MODULE_KINDS and course.name.endswith(f"– {course.module}")
        if kinds or (module_ok != feed.modular):
            found.append(f"{where}: module kind missing or misplaced")
        if not 1 <= len(course.teaches) <= 3:
            found.append(f"{where}: teaches 1 to 3 skills")
    return found


# --------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------


def page_name(number: int) -> str:
    return f"courses-{number}.json"


def pages(feed: Feed) -> list[Json]:
    by_slug = {course.slug: course for course in feed.courses}
    data = [course_json(feed, course, by_slug) for course in feed.courses]
    chunks = [data[start : start + feed.per_page] for start in range(0, len(data), feed.per_page)]
    result: list[Json] = []
    for number, chunk in enumerate(chunks, start=1):
        links = {"self": page_name(number), "first": page_name(1)}
        if number > 1:
            links["prev"] = page_name(number - 1)
        if number < len(chunks):
            links["next"] = page_name(number + 1)
        links["last"] = page_name(len(chunks))
        result.append({"links": links, "data": chunk})
    return result


def write_feed(feed: Feed) -> list[Path]:
    directory = HERE / feed.directory
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("courses-*.json"):
        stale.unlink()
    written: list[Path] = []
    for number, page in enumerate(pages(feed), start=1):
        path = directory / page_name(number)
        body = json.dumps(page, indent=2, ensure_ascii=False) + "\n"
        path.write_text(body, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main() -> None:
    found = [problem for feed in FEEDS for problem in problems(feed)]
    if found:
        raise SystemExit("\n".join(found))
    for feed in FEEDS:
        paths = write_feed(feed)
        print(f"{feed.directory}: {len(feed.courses)} courses, {len(paths)} pages")


if __name__ == "__main__":
    main()
