"""Small XCRI-CAP 1.2 catalogues built in code, so each test states exactly the courses it needs."""

from __future__ import annotations

NS = ('xmlns="http://xcri.org/profiles/1.2/catalog" xmlns:mlo="http://purl.org/net/mlo" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      'xmlns:credit="http://purl.org/net/cm" xmlns:geo="http://www.w3.org/2003/01/geo/wgs84_pos#"')


def presentation(start: str | None = "2027-03-15", end: str | None = "2027-03-16", mode: str | None = "CM",
                 cost: str | None = "450,00 EUR", duration: str = '<mlo:duration interval="P2D">2 Tage</mlo:duration>',
                 extra: str = "", venue: str = "") -> str:
    parts = ["<presentation>"]
    if start is not None:
        parts.append(f'<mlo:start dtf="{start}">{start}</mlo:start>')
    if end is not None:
        parts.append(f'<end dtf="{end}">{end}</end>')
    parts.append(duration)
    parts.append(extra)
    if mode is not None:
        parts.append(f'<attendanceMode identifier="{mode}">{mode}</attendanceMode>')
    if cost is not None:
        parts.append(f"<mlo:cost>{cost}</mlo:cost>")
    parts += [venue, "</presentation>"]
    return "".join(parts)


def course(cid: str, *presentations: str, title: str = "Kurs", subjects: str = "", extra: str = "") -> str:
    body = presentations or (presentation(),)
    return (f"<course><dc:identifier>{cid}</dc:identifier>{subjects}<dc:title>{title}</dc:title>{extra}"
            f"{''.join(body)}</course>")


def catalog(*courses: str, provider_location: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><catalog {NS} generated="2026-11-02T08:00:00Z"><provider>'
            f"<dc:title>Akademie</dc:title>{''.join(courses)}{provider_location}</provider></catalog>").encode()


def venue(title: str, town: str, coordinates: str = "") -> str:
    return (f"<venue><provider><dc:title>{title}</dc:title><mlo:location><mlo:town>{town}</mlo:town>"
            f"{coordinates}</mlo:location></provider></venue>")
