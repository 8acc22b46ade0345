"""Display labels (German and English) for the values of facets and enums."""

from __future__ import annotations

MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
             "November", "Dezember")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")

FORMATS = {"ONLINE": ("Online", "Online"), "PRESENCE": ("Präsenz", "On site"), "HYBRID": ("Hybrid", "Blended")}
KINDS = {"BASIS": ("Basismodul", "Basic module"), "INTENSIV": ("Intensivmodul", "Intensive module"),
         "BONUS": ("Bonusmodul", "Bonus module")}
LANGUAGES = {"de": ("Deutsch", "German"), "en": ("Englisch", "English"), "fr": ("Französisch", "French"),
             "es": ("Spanisch", "Spanish"), "it": ("Italienisch", "Italian"), "pl": ("Polnisch", "Polish"),
             "tr": ("Türkisch", "Turkish"), "ar": ("Arabisch", "Arabic"), "uk": ("Ukrainisch", "Ukrainian")}
PRICE_BANDS = {"0": ("kostenlos", "free"), "1-100": ("bis 100 €", "up to €100"),
               "101-300": ("101–300 €", "€101–300"), "301-600": ("301–600 €", "€301–600"),
               "601-1000": ("601–1.000 €", "€601–1,000"), "1001+": ("über 1.000 €", "over €1,000")}


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def month(value: str, lang: str) -> str:
    if value == "undated":
        return pick(("jederzeit (selbstgesteuert)", "any time (self-paced)"), lang)
    year, mon = value.split("-")
    names = MONTHS_EN if lang == "en" else MONTHS_DE
    return f"{names[int(mon) - 1]} {year}"


def static(dimension: str, value: str, lang: str) -> str:
    table = {"formats": FORMATS, "kinds": KINDS, "languages": LANGUAGES, "priceBands": PRICE_BANDS}.get(dimension)
    if dimension == "startMonths":
        return month(value, lang)
    if table is not None and value in table:
        return pick(table[value], lang)
    return value
