"""The MOOChub mapping, record by record, as documented in sources/moochub.py."""

from __future__ import annotations

from typing import Any

import pytest

from sources.base import RawRecord, SourceConfig
from sources.fetch import Fetcher
from sources.model import InvalidRecord, validate_offer
from sources.moochub import MoochubAdapter
from sources.taxonomy import load_taxonomy
from tests.feeds import course


def mapped(item: dict[str, Any]) -> dict[str, Any]:
    adapter = MoochubAdapter(SourceConfig(provider="egov-campus"), Fetcher())
    fields = adapter.map(RawRecord(item["id"], item))
    return validate_offer(fields, load_taxonomy()).model_dump(by_alias=True)


def reasons(item: dict[str, Any]) -> list[str]:
    adapter = MoochubAdapter(SourceConfig(provider="egov-campus"), Fetcher())
    with pytest.raises(InvalidRecord) as exc:
        validate_offer(adapter.map(RawRecord(item["id"], item)), load_taxonomy())
    return exc.value.reasons


def test_hours_are_workload_times_periods_of_the_duration() -> None:
    assert mapped(course("a", workload={"timeValue": 4, "timeUnit": "h/week"}, duration="P3W"))["hours"] == 12
    assert mapped(course("b", workload={"timeValue": 4, "timeUnit": "h/day"}, duration="P2D"))["hours"] == 8
    assert mapped(course("c", workload={"timeValue": 8, "timeUnit": "h/week"}, duration=None))["hours"] == 8


def test_course_mode_maps_to_format_and_self_paced() -> None:
    assert mapped(course("a", courseMode=["onsite"], startDate=["2027-03-01T08:00:00Z"],
                         endDate=["2027-03-02T16:00:00Z"]))["format"] == "PRESENCE"
    blended = mapped(course("b", courseMode=["blended", "onsite"], startDate=["2027-03-01T08:00:00Z"]))
    assert blended["format"] == "HYBRID"
    assert blended["selfPaced"] is False
    online = mapped(course("c", courseMode=["online", "synchronous"]))
    assert online["format"] == "ONLINE"
    assert online["selfPaced"] is True  # no start date


def test_each_date_pair_is_one_run_and_no_dates_one_undated_run() -> None:
    runs = mapped(course("a", courseMode=["onsite"],
                         startDate=["2027-03-01T08:00:00Z", "2027-09-06T08:00:00Z"],
                         endDate=["2027-03-02T16:00:00Z", "2027-09-07T16:00:00Z"]))["runs"]
    assert [(r["id"], str(r["start"]), str(r["end"])) for r in runs] == [
        ("2027-03-01", "2027-03-01", "2027-03-02"), ("2027-09-06", "2027-09-06", "2027-09-07")]
    assert mapped(course("b"))["runs"] == [{"id": "undated", "start": None, "end": None}]


def test_price_prefers_complete_then_course_and_defaults_to_free() -> None:
    offers = [{"price": 90.0, "priceCurrency": "EUR", "paymentFrequency": "one-time", "category": "certificate"},
              {"price": 250.0, "priceCurrency": "EUR", "paymentFrequency": "one-time", "category": "course"},
              {"price": 300.0, "priceCurrency": "EUR", "paymentFrequency": "one-time", "category": "complete"}]
    assert mapped(course("a", offer=offers))["priceEur"] == 300.0
    assert mapped(course("b", offer=offers[:2]))["priceEur"] == 250.0
    assert mapped(course("c", offer=offers[:1]))["priceEur"] == 0.0
    assert mapped(course("d"))["priceEur"] == 0.0


def test_foreign_currency_is_a_reason_to_quarantine() -> None:
    offer = [{"price": 100.0, "priceCurrency": "CHF", "paymentFrequency": "one-time", "category": "course"}]
    assert any("CHF" in r and "EUR" in r for r in reasons(course("a", offer=offer)))


def test_skills_become_competences_with_levels_and_default_two() -> None:
    item = course("a", teaches=[
        {"educationalFramework": "DigComp", "shortCode": "1.1",
         "educationalLevel": {"shortCode": "5", "educationalFramework": "DigComp"}},
        {"educationalFramework": "DigComp", "shortCode": "2.4"},
        {"educationalFramework": "ESCO", "shortCode": "abc"},
    ], competencyRequired=[
        {"educationalFramework": "DigComp", "shortCode": "1.1",
         "educationalLevel": {"shortCode": "3", "educationalFramework": "DigComp"}},
        {"type": "Course", "url": "https://example.org/courses/other"},
    ], numberOfCredits=2, inLanguage=["de-DE", "en"])
    result = mapped(item)
    assert result["competences"] == [{"competence": "digcomp:1.1", "level": 5},
                                     {"competence": "digcomp:2.4", "level": 2}]
    assert result["prerequisites"] == [{"competence": "digcomp:1.1", "level": 3}]
    assert result["ects"] == 2
    assert result["languages"] == ["de", "en"]


def test_unknown_competence_code_and_missing_workload_are_reported() -> None:
    bad = reasons(course("a", workload=None, teaches=[{"educationalFramework": "DigComp", "shortCode": "9.9"}]))
    assert any("workload" in r for r in bad)
    assert any("digcomp:9.9" in r for r in bad)


def test_content_location_becomes_location() -> None:
    place = {"name": "DHBW Mannheim", "latitude": 49.4747, "longitude": 8.534,
             "address": {"city": "Mannheim", "streetAddress": "Coblitzallee 1-9"}}
    loc = mapped(course("a", courseMode=["onsite"], contentLocation=place))["location"]
    assert loc == {"name": "DHBW Mannheim", "city": "Mannheim", "lat": 49.4747, "lon": 8.534}
