"""The bundled demo catalogue: which feeds `kommunalcampus ingest --demo` and `serve --demo` load."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEMO_DIR = Path(__file__).parent


@dataclass(frozen=True)
class DemoFeed:
    adapter: str
    provider: str
    provider_name: str
    location: str


DEMO_FEEDS: tuple[DemoFeed, ...] = (
    DemoFeed("egov-campus", "egov-campus", "eGov-Campus", str(DEMO_DIR / "egov-campus" / "courses-1.json")),
    DemoFeed("dhbw", "dhbw", "DHBW Mannheim – Duale Hochschule Baden-Württemberg Mannheim",
             str(DEMO_DIR / "dhbw" / "courses-1.json")),
    DemoFeed("hfpv", "hfpv", "HöMS – Hessische Hochschule für öffentliches Management und Sicherheit (vormals HfPV)",
             str(DEMO_DIR / "hfpv" / "seminarprogramm-2027.csv")),
    DemoFeed("speyer", "speyer", "Deutsche Universität für Verwaltungswissenschaften Speyer",
             str(DEMO_DIR / "speyer" / "programm-2027.xml")),
)
