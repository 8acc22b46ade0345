"""A small built-in gazetteer: coordinates for the towns where the region's providers teach.

Provider exports often name only the town of a venue ("Kassel"), but the matcher's distance filter needs
lat/lon. Calling an online geocoder during ingest would make ingests slow, flaky and dependent on a third
party, so the hub carries the few towns it needs; a town not in the table simply gets no coordinates (the
offer still lands, it just cannot pass a `near` filter).

    >>> lookup("Frankfurt a. M.")
    Place(city='Frankfurt am Main', lat=50.1109, lon=8.6821)
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Place(NamedTuple):
    city: str
    lat: float
    lon: float


_PLACES: tuple[Place, ...] = (
    Place("Wiesbaden", 50.0782, 8.2398),
    Place("Frankfurt am Main", 50.1109, 8.6821),
    Place("Kassel", 51.3127, 9.4797),
    Place("Gießen", 50.5841, 8.6784),
    Place("Darmstadt", 49.8728, 8.6512),
    Place("Mühlheim am Main", 50.1206, 8.8389),
    Place("Heppenheim", 49.6415, 8.6325),
    Place("Mannheim", 49.4875, 8.4660),
    Place("Speyer", 49.3173, 8.4412),
    Place("Heidelberg", 49.3988, 8.6724),
    Place("Karlsruhe", 49.0069, 8.4037),
    Place("Stuttgart", 48.7758, 9.1829),
    Place("Mainz", 49.9929, 8.2473),
    Place("Ludwigshafen am Rhein", 49.4774, 8.4452),
    Place("Offenbach am Main", 50.0956, 8.7761),
    Place("Marburg", 50.8021, 8.7667),
    Place("Fulda", 50.5558, 9.6808),
    Place("Kaiserslautern", 49.4447, 7.7690),
    Place("Trier", 49.7499, 6.6371),
    Place("Koblenz", 50.3569, 7.5890),
    Place("Berlin", 52.5200, 13.4050),
    Place("Bonn", 50.7374, 7.0982),
)

# Spellings that real exports use for the same towns.
_ALIASES: dict[str, str] = {
    "frankfurt": "Frankfurt am Main",
    "frankfurt a. m.": "Frankfurt am Main",
    "frankfurt a.m.": "Frankfurt am Main",
    "frankfurt/main": "Frankfurt am Main",
    "frankfurt (main)": "Frankfurt am Main",
    "mühlheim": "Mühlheim am Main",
    "mühlheim an der main": "Mühlheim am Main",
    "mühlheim a. m.": "Mühlheim am Main",
    "muehlheim am main": "Mühlheim am Main",
    "giessen": "Gießen",
    "heppenheim (bergstraße)": "Heppenheim",
    "ludwigshafen": "Ludwigshafen am Rhein",
    "offenbach": "Offenbach am Main",
    "marburg an der lahn": "Marburg",
}

_BY_NAME: dict[str, Place] = {p.city.casefold(): p for p in _PLACES}


def _key(city: str) -> str:
    return re.sub(r"\s+", " ", city.strip()).casefold()


def lookup(city: str | None) -> Place | None:
    """The place for a town name (case-insensitive, common spellings), or None when the table lacks it."""
    if not city:
        return None
    key = _key(city)
    key = _ALIASES.get(key, key).casefold()
    return _BY_NAME.get(key)
