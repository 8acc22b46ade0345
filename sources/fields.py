"""Parsers for the field values of human-made exports (seminar tables, XCRI-CAP), shared by the adapters.

Seminar management systems and course catalogues write values for people: German dates (`14.03.2027`),
amounts (`1.250,00 €`, `kostenfrei`), module kinds ("Intensivmodul") and competence codes with levels in one
cell (`kc:egov-law/3, digcomp:4.2/2`). Each parser returns the canonical value or raises `ValueError` with a
message an operator can act on; the adapter turns those messages into quarantine reasons for the record.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sources.taxonomy import LEVELS, Taxonomy

KIND_LABELS: dict[str, str] = {"basismodul": "BASIS", "intensivmodul": "INTENSIV", "bonusmodul": "BONUS"}

_FREE = {"kostenfrei", "kostenlos", "entgeltfrei", "gebührenfrei", "free", "0"}
_CURRENCY = re.compile(r"(€|\bEUR\b|\bEuro\b)", re.IGNORECASE)
_FOREIGN = re.compile(r"(\$|£|\bUSD\b|\bGBP\b|\bCHF\b)", re.IGNORECASE)
_GERMAN_DAY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_COMPETENCE = re.compile(r"^(?P<id>[A-Za-z][A-Za-z0-9-]*:[A-Za-z0-9._-]+?)(?:\s*/\s*(?P<level>\S+))?$")
_THOUSANDS_ONLY = re.compile(r"^\d{1,3}(\.\d{3})+$")


def kind_from_label(label: str | None) -> str | None:
    """BASIS / INTENSIV / BONUS for the module kind named in `label` ("Basismodul", "bonusmodul "), else None."""
    if not label:
        return None
    return KIND_LABELS.get(label.strip().casefold())


def parse_eur(text: str) -> float:
    """An amount in euro: `1.250,00 €`, `450,00 EUR`, `450.00`, `1,250.00`, `kostenfrei` (0)."""
    raw = " ".join(text.split())
    if not raw:
        raise ValueError("empty amount")
    if raw.casefold() in _FREE:
        return 0.0
    if _FOREIGN.search(raw):
        raise ValueError(f"{raw!r} is not in euro; the hub accepts EUR only")
    number = _CURRENCY.sub("", raw).replace(" ", "").replace("\u00a0", "")
    if not number or not re.fullmatch(r"[0-9.,]+", number):
        raise ValueError(f"{raw!r} is not an amount in euro (e.g. '1.250,00 €' or 'kostenfrei')")
    if "," in number and "." in number:
        # the separator that comes last is the decimal one: 1.250,00 (German) or 1,250.00 (English)
        if number.rfind(",") > number.rfind("."):
            number = number.replace(".", "").replace(",", ".")
        else:
            number = number.replace(",", "")
    elif "," in number:
        number = number.replace(",", ".")
    elif _THOUSANDS_ONLY.match(number):
        number = number.replace(".", "")  # "1.250" is one thousand two hundred fifty, not 1.25
    try:
        return float(number)
    except ValueError:
        raise ValueError(f"{raw!r} is not an amount in euro (e.g. '1.250,00 €' or 'kostenfrei')") from None


def parse_decimal(text: str) -> float:
    """A German or English decimal number: `7,5`, `7.5`, `16`."""
    raw = text.strip().replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None


def parse_day(text: str) -> date:
    """A calendar day, German (`14.03.2027`, `4.3.2027`) or ISO (`2027-03-14`); impossible days are errors."""
    raw = text.strip()
    match = _GERMAN_DAY.match(raw)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (iso := _ISO_DAY.match(raw)):
        parts = (iso.group(1), iso.group(2), iso.group(3))
    if parts is None:
        raise ValueError(f"{raw!r} is not a date (TT.MM.JJJJ or JJJJ-MM-TT)")
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise ValueError(f"{raw!r} is not a valid date (no such day in the calendar)") from None


def parse_competences(text: str, taxonomy: Taxonomy, default_level: int) -> tuple[list[dict[str, Any]], list[str]]:
    """Competence codes with optional levels in one cell: `kc:egov-law/3, digcomp:4.2/2` (also `;`, newlines).

    Returns the competences (highest level per code) and one message per unusable item: an unknown code is
    an error, not something to drop silently, because it is the provider's typo and they should hear of it.
    """
    found: dict[str, int] = {}
    problems: list[str] = []
    for item in re.split(r"[,;\n]+", text):
        item = item.strip()
        if not item:
            continue
        match = _COMPETENCE.match(item)
        if match is None:
            problems.append(f"{item!r} is not a competence code such as 'digcomp:4.2/3'")
            continue
        framework, _, code = match.group("id").partition(":")
        cid = f"{framework.lower()}:{code}"
        level = default_level
        if match.group("level") is not None:
            try:
                level = int(match.group("level"))
            except ValueError:
                level = 0
            if level not in LEVELS:
                problems.append(f"{item!r}: level {match.group('level')!r} is not a number 1-8")
                continue
        if cid not in taxonomy:
            problems.append(f"unknown competence {cid!r}")
            continue
        found[cid] = max(found.get(cid, 0), level)
    return [{"competence": cid, "level": level} for cid, level in found.items()], problems
