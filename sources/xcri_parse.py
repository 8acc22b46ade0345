"""Reading XCRI-CAP 1.2 XML safely and in bounded memory, course by course, into plain JSON-able dicts.

Safety: the document is parsed with `defusedxml` and any DTD is refused (`forbid_dtd`), which rules out
entity expansion ("billion laughs"), external entities (file or network reads) and external DTD fetches at
once; XCRI-CAP documents need no DTD. The byte size is bounded before parsing by the Fetcher's limit.

Memory: `iter_courses` streams with iterparse and clears each `course` element (and detaches it from its
parent) as soon as it is extracted. Given a binary file (what `Fetcher.open` hands out) instead of bytes, the
document is read from disk in chunks, so a catalogue of 100k courses costs one course at a time.

The extracted dict keeps XCRI's own vocabulary and does not interpret anything (that is `sources.xcri`'s
job), so a quarantined record shows what the provider sent. Elements are matched by local name, because
real feeds are careless with namespaces (`mlo:` vs the XCRI namespace for the same element).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as DefusedET

from sources.base import FeedError

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TOP_LEVEL = {"catalog", "provider", "course"}
MAX_DEPTH = 100  # XCRI-CAP with XHTML descriptions nests about 15 deep; far deeper is an attack, not a catalogue
BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr",
              "td", "th", "blockquote", "pre"}


_LOCAL_NAMES: dict[str, str] = {}  # a catalogue uses a few dozen tags; 2 million lookups should not re-split them
_LOCAL_NAMES_MAX = 4096  # a hostile document with endless distinct tags must not grow the cache without bound


def local(tag: Any) -> str:
    name = _LOCAL_NAMES.get(tag) if isinstance(tag, str) else ""
    if name is None:
        name = tag.rsplit("}", 1)[-1]
        if len(_LOCAL_NAMES) < _LOCAL_NAMES_MAX:
            _LOCAL_NAMES[tag] = name
    return name


def text_of(element: Element | None) -> str:
    """All text of an element, XHTML descriptions flattened (blocks separated by a space), whitespace collapsed."""
    if element is None:
        return ""
    parts: list[str] = []
    _flatten(element, parts)
    return " ".join("".join(parts).split())


def _flatten(element: Element, parts: list[str]) -> None:
    # recursion is bounded: `_events` refuses documents nested deeper than MAX_DEPTH
    parts.append(element.text or "")
    for child in element:
        block = local(child.tag) in BLOCK_TAGS
        parts.append(" " if block else "")
        _flatten(child, parts)
        parts.append(" " if block else "")
        parts.append(child.tail or "")


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local(child.tag) == name]


def _by_name(element: Element) -> dict[str, list[Element]]:
    """The children of an element by local name, built once for the dozen lookups of a course or presentation."""
    groups: dict[str, list[Element]] = {}
    for child in element:
        groups.setdefault(local(child.tag), []).append(child)
    return groups


def _first_text(elements: list[Element]) -> str:
    return next((t for e in elements if (t := text_of(e))), "")


def _all_texts(elements: list[Element]) -> list[str]:
    return [t for e in elements if (t := text_of(e))]


def _first(element: Element, name: str) -> Element | None:
    return next((child for child in element if local(child.tag) == name), None)


def _texts(element: Element, name: str) -> list[str]:
    return [t for child in _children(element, name) if (t := text_of(child))]


def _vocabulary(element: Element | None) -> dict[str, str] | None:
    if element is None:
        return None
    return {"identifier": (element.get("identifier") or "").strip(), "text": text_of(element)}


def _temporal(element: Element | None) -> dict[str, str] | None:
    if element is None:
        return None
    return {"dtf": (element.get("dtf") or "").strip(), "text": text_of(element)}


def _subjects(subjects: list[Element]) -> list[dict[str, str]]:
    out = []
    for subject in subjects:
        level = next((v for k, v in subject.attrib.items() if local(k) == "level"), "")
        out.append({"identifier": (subject.get("identifier") or "").strip(), "level": level.strip(),
                    "text": text_of(subject)})
    return out


def location_of(element: Element | None) -> dict[str, str] | None:
    """An `mlo:location` as a dict; coordinates from children named lat/latitude and long/lon/longitude."""
    if element is None:
        return None
    out: dict[str, str] = {}
    for child in element:
        name = local(child.tag)
        key = {"latitude": "lat", "long": "lon", "longitude": "lon"}.get(name, name)
        if key in {"street", "town", "postcode", "lat", "lon"} and (value := text_of(child)):
            out[key] = value
        elif key == "address" and (value := text_of(child)):
            out["address"] = f"{out['address']}, {value}" if "address" in out else value
    return out


def _provider_summary(provider: Element | None) -> dict[str, Any] | None:
    if provider is None:
        return None
    return {"title": next(iter(_texts(provider, "title")), ""), "location": location_of(_first(provider, "location"))}


def _presentation(element: Element) -> dict[str, Any]:
    children = _by_name(element)

    def first(name: str) -> Element | None:
        return children.get(name, [None])[0]

    venues = []
    for venue in children.get("venue", ()):
        providers = _children(venue, "provider")
        if len(providers) == 1:  # the spec: a venue with other than one provider is in error and ignored
            venues.append(_provider_summary(providers[0]))
    duration = first("duration")
    cost = first("cost")
    return {
        "identifier": _first_text(children.get("identifier", [])),
        "types": _all_texts(children.get("type", [])),
        "subjects": _subjects(children.get("subject", [])),
        "start": _temporal(first("start")),
        "end": _temporal(first("end")),
        "duration": None if duration is None else {"interval": (duration.get("interval") or "").strip(),
                                                   "text": text_of(duration)},
        "studyMode": _vocabulary(first("studyMode")),
        "attendanceMode": _vocabulary(first("attendanceMode")),
        "attendancePattern": _vocabulary(first("attendancePattern")),
        "languages": _all_texts(children.get("languageOfInstruction", [])),
        "cost": None if cost is None else text_of(cost),
        "venues": venues,
    }


def course_of(element: Element) -> dict[str, Any]:
    """A `course` element as a plain dict in XCRI terms (direct children only; presentations nested)."""
    children = _by_name(element)
    credits = []
    for credit in children.get("credit", ()):
        credits.append({name: next(iter(_texts(credit, name)), "") for name in ("scheme", "level", "value")})
    qualification = children.get("qualification", [None])[0]
    prerequisites = []
    for prerequisite in children.get("prerequisite", ()):
        prerequisites.append({"text": text_of(prerequisite), "subjects": _subjects(_children(prerequisite, "subject"))})
    identifiers = [(i, text_of(i)) for i in children.get("identifier", ())]
    return {
        "identifiers": [{"type": (i.get(XSI_TYPE) or "").strip(), "value": text} for i, text in identifiers if text],
        "titles": [{"lang": t.get(XML_LANG) or "", "text": text_of(t)} for t in children.get("title", ())],
        "description": next((text_of(d) for d in children.get("description", ()) if d.get("href") is None), ""),
        "abstract": _first_text(children.get("abstract", [])),
        "url": _first_text(children.get("url", [])),
        "types": _all_texts(children.get("type", [])),
        "subjects": _subjects(children.get("subject", [])),
        "prerequisites": prerequisites,
        "credits": credits,
        "qualification": "" if qualification is None else next(iter(_texts(qualification, "title")), ""),
        "presentations": [_presentation(p) for p in children.get("presentation", ())],
    }


Source = bytes | IO[bytes]


def _events(source: Source, uri: str) -> Iterator[tuple[str, Element]]:
    """Parse events from the start of the document; a file is rewound, so each pass sees all of it."""
    if isinstance(source, bytes | bytearray):
        stream: IO[bytes] = io.BytesIO(source)
    else:
        stream = source
        stream.seek(0)
    depth = 0
    try:
        for event, element in DefusedET.iterparse(stream, events=("start", "end"), forbid_dtd=True,
                                                  forbid_entities=True, forbid_external=True):
            depth += 1 if event == "start" else -1
            if depth > MAX_DEPTH:
                raise FeedError(f"{uri}: refused: elements nested more than {MAX_DEPTH} deep")
            yield event, element
    except defusedxml.DTDForbidden:
        raise FeedError(f"{uri}: refused: the document declares a DTD (<!DOCTYPE>); XCRI-CAP needs none, and DTDs "
                        "carry entity-expansion and external-entity attacks") from None
    except defusedxml.DefusedXmlException as exc:
        raise FeedError(f"{uri}: refused: the document uses entities or external references ({exc})") from None
    except ParseError as exc:
        raise FeedError(f"{uri}: not well-formed XML: {_describe(exc)}") from None


def _describe(exc: ParseError) -> str:
    return re.sub(r"\s+", " ", str(exc))


def _is_top_provider(stack: list[Element]) -> bool:
    """A provider of the catalogue (not the provider inside a presentation's venue)."""
    return local(stack[-1].tag) == "provider" and (len(stack) == 1 or local(stack[-2].tag) == "catalog")


def provider_summaries(source: Source, uri: str) -> list[dict[str, Any] | None]:
    """First pass: each catalogue provider's title and location, in document order.

    The schema places a provider's `location` after its courses, and the spec makes that location the
    venue of presentations that name none; reading it first keeps the main pass streaming.
    """
    summaries: list[dict[str, Any] | None] = []
    stack: list[Element] = []
    for event, element in _events(source, uri):
        if event == "start":
            stack.append(element)
            continue
        name = local(element.tag)
        if name == "provider" and _is_top_provider(stack):
            summaries.append(_provider_summary(element))
        stack.pop()
        if (name == "course" or name == "provider") and stack:
            element.clear()
            stack[-1].remove(element)
    return summaries


def iter_courses(source: Source, uri: str) -> Iterator[dict[str, Any]]:
    """Yield every course of the document as a dict, with the summary of the provider it belongs to."""
    providers = provider_summaries(source, uri)
    stack: list[Element] = []
    provider_index = -1
    for event, element in _events(source, uri):
        if event == "start":
            if not stack and local(element.tag) not in TOP_LEVEL:
                raise FeedError(f"{uri}: the root element is <{local(element.tag)}>, not an XCRI-CAP "
                                "catalog, provider or course")
            stack.append(element)
            if _is_top_provider(stack):
                provider_index += 1
            continue
        stack.pop()
        if local(element.tag) != "course" or any(local(e.tag) == "course" for e in stack):
            continue  # not a course, or a course nested in a course (kept whole in its parent's dict)
        course = course_of(element)
        course["provider"] = providers[provider_index] if 0 <= provider_index < len(providers) else None
        yield course
        element.clear()
        if stack:
            stack[-1].remove(element)
