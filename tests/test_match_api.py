"""`match` end to end through GraphQL: the contract, validation, explanations, privacy, `similar`."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import resolvers.matching
from kommunalcampus.cli import _demo
from kommunalcampus.settings import Settings
from sources.store import Store
from tests.api_helpers import ingest_courses
from tests.conftest import LiveHub, serve_app
from tests.feeds import course

MATCH = """query($q: MatchQuery!) { match(query: $q) { exact candidatesConsidered bundlesEvaluated tookMs
  bundles { rank score totalPriceEur totalHours explanation
    items { offer { id title } run { id start end } }
    coverage { competence { id } currentLevel targetLevel reachedLevel closedFraction coveredBy { id } } } } }"""


def skill(code: str, level: int) -> dict:
    return {"educationalFramework": "DigComp", "shortCode": code,
            "educationalLevel": {"shortCode": str(level), "educationalFramework": "DigComp"}}


def dated(cid: str, name: str, price: float, start: str, end: str, teaches: list, **extra: object) -> dict:
    return course(cid, name=name, courseMode=["onsite"], startDate=[f"{start}T08:00:00Z"],
                  endDate=[f"{end}T16:00:00Z"], teaches=teaches,
                  offer=[{"price": price, "priceCurrency": "EUR", "paymentFrequency": "one-time",
                          "category": "course"}] if price else [],
                  contentLocation={"name": "Akademie", "latitude": 49.48, "longitude": 8.46,
                                   "address": {"city": "Mannheim"}}, **extra)


SMALL = [
    dated("basis", "Datenschutz Basismodul", 200, "2027-03-01", "2027-03-02", [skill("4.2", 3)]),
    dated("intensiv", "Datenschutz Intensivmodul", 400, "2027-04-05", "2027-04-06", [skill("4.2", 6)],
          competencyRequired=[skill("4.2", 3)]),
    dated("sicher", "Geräte schützen", 150, "2027-03-01", "2027-03-01", [skill("4.1", 4)]),
    course("online", name="Netiquette online", teaches=[skill("2.5", 2)]),
]


async def match(hub: LiveHub, **query: object) -> dict:
    body = await hub.graphql(MATCH, {"q": query})
    assert "errors" not in body, body
    return body["data"]["match"]


async def test_prerequisite_chain_budget_and_conflicts(store: Store, tmp_path: Path) -> None:
    await ingest_courses(store, tmp_path, SMALL)
    async with serve_app(store) as hub:
        result = await match(hub, needs=[{"competence": "digcomp:4.2", "targetLevel": 6},
                                         {"competence": "digcomp:4.1", "targetLevel": 4}], top=5)
        assert result["exact"] is True
        ranked = [([i["offer"]["id"].split(":")[1] for i in b["items"]], b["score"], b["totalPriceEur"])
                  for b in result["bundles"]]
        # basis and sicher are on the same day (a conflict), intensiv needs basis first: no bundle closes both
        # gaps; equal scores rank by price; the Netiquette course helps nothing and is never added
        assert ranked == [(["sicher"], 0.5, 150.0), (["basis", "intensiv"], 0.5, 600.0), (["basis"], 0.25, 200.0)]
        second = result["bundles"][1]
        assert [i["run"]["start"] for i in second["items"]] == ["2027-03-01", "2027-04-05"]
        assert "„Datenschutz Intensivmodul“ (ab 05.04.2027) schließt die Lücke" in second["explanation"]
        assert "Stufe 0 → 3" in second["explanation"] and "Stufe 0 → 6" in second["explanation"]
        assert "Offen bleibt" in second["explanation"]

        budget = await match(hub, needs=[{"competence": "digcomp:4.2", "targetLevel": 6}], budgetEur=300, top=3)
        top = budget["bundles"][0]
        assert [i["offer"]["id"] for i in top["items"]] == ["egov-campus:basis"]
        assert top["score"] == pytest.approx(0.5)
        assert "Budget von 300 €" in top["explanation"]
        assert top["coverage"][0]["reachedLevel"] == 3 and top["coverage"][0]["coveredBy"] == [
            {"id": "egov-campus:basis"}]


async def test_validation_errors_explain_the_mistake(store: Store) -> None:
    cases = [
        ({"needs": [{"competence": "digcomp:9.9", "targetLevel": 3}]}, "unknown competence 'digcomp:9.9'"),
        ({"needs": [{"competence": "digcomp:4.2", "targetLevel": 9}]}, "between 0 and 8"),
        ({"needs": [{"competence": "digcomp:4.2", "currentLevel": 4, "targetLevel": 4}]}, "must be above"),
        ({"needs": [{"competence": "digcomp:4.2", "targetLevel": 3}], "maxModules": 6}, "`maxModules`"),
        ({"needs": [{"competence": "digcomp:4.2", "targetLevel": 3}], "top": 51}, "`top`"),
        ({"needs": [{"competence": "digcomp:4.2", "targetLevel": 3}], "budgetEur": -1}, "`budgetEur`"),
        ({"needs": [{"competence": f"digcomp:{a}.{b}", "targetLevel": 3} for a in range(1, 6)
                    for b in range(1, 7)] + [{"competence": "kc:egov-law", "targetLevel": 3}]}, "at most 30"),
    ]
    async with serve_app(store) as hub:
        for query, message in cases:
            body = await hub.graphql(MATCH, {"q": query})
            assert message in body["errors"][0]["message"], (query, body)
            assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_match_on_the_demo_catalogue_and_privacy(store: Store, caplog: pytest.LogCaptureFixture) -> None:
    await _demo(store)
    async with serve_app(store) as hub:
        with caplog.at_level(logging.DEBUG):
            result = await match(hub, needs=[
                {"competence": "digcomp:4.2", "currentLevel": 1, "targetLevel": 5, "weight": 2},
                {"competence": "digcomp:2.4", "targetLevel": 4},
                {"competence": "digcomp:1.2", "currentLevel": 2, "targetLevel": 4}],
                maxModules=3, budgetEur=800, startAfter="2027-01-01", top=5)
        assert result["exact"] is True and result["candidatesConsidered"] > 0
        bundles = result["bundles"]
        assert 1 <= len(bundles) <= 5
        assert [b["rank"] for b in bundles] == list(range(1, len(bundles) + 1))
        scores = [b["score"] for b in bundles]
        assert scores == sorted(scores, reverse=True) and scores[0] > 0
        for b in bundles:
            assert b["totalPriceEur"] <= 800 and 1 <= len(b["items"]) <= 3
            assert "schließt die Lücke" in b["explanation"]
    # the hub's own log lines carry counts and timings only; no database command carries the needs (replies may
    # hold catalogue documents, which name competences, but those are not the employee's data)
    own = " ".join(r.getMessage() for r in caplog.records if r.name.startswith("kommunalcampus"))
    assert "match: 3 needs" in own
    commands = [r.getMessage() for r in caplog.records
                if r.name == "pymongo.command" and "Command started" in r.getMessage()]
    assert commands, "the driver's command log is the witness here; it must have recorded the offer lookups"
    for text in (own, *commands):
        assert "digcomp:4.2" not in text and "digcomp:2.4" not in text and "digcomp:1.2" not in text


async def test_similar_offers_share_competences(store: Store, tmp_path: Path) -> None:
    await ingest_courses(store, tmp_path, SMALL)
    async with serve_app(store) as hub:
        body = await hub.graphql('{ offer(id: "egov-campus:basis") { similar(first: 5) { id } } }')
    assert body["data"]["offer"]["similar"] == [{"id": "egov-campus:intensiv"}]


class Gate:
    """Wraps the engine: each ranking waits (in whatever thread it runs) until the test opens the gate."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.lock = threading.Lock()
        self.running = self.most_running = 0
        self.opened_in_time: list[bool] = []
        self.rank = resolvers.matching.rank_bundles

    def __call__(self, *args: object, **kwargs: object) -> object:
        with self.lock:
            self.running += 1
            self.most_running = max(self.most_running, self.running)
        try:
            self.opened_in_time.append(self.open.wait(timeout=10))
            return self.rank(*args, **kwargs)
        finally:
            with self.lock:
                self.running -= 1


async def until(condition: Callable[[], bool], seconds: float = 10) -> None:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not reached")


NEEDS = [{"competence": "digcomp:4.2", "targetLevel": 6}]


async def test_a_running_match_does_not_hold_up_other_requests(store: Store, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    await ingest_courses(store, tmp_path, SMALL)
    gate = Gate()
    monkeypatch.setattr(resolvers.matching, "rank_bundles", gate)
    async with serve_app(store) as hub:
        pending = asyncio.create_task(match(hub, needs=NEEDS))
        await until(lambda: gate.running == 1)
        # the ranking is stuck at the gate; were it on the event loop, this request could not be answered
        body = await hub.graphql('{ offer(id: "egov-campus:basis") { title } }')
        assert body["data"]["offer"]["title"] == "Datenschutz Basismodul"
        gate.open.set()
        result = await pending
    assert gate.opened_in_time == [True]
    assert [i["offer"]["id"] for i in result["bundles"][0]["items"]] == ["egov-campus:basis", "egov-campus:intensiv"]


async def test_matches_beyond_kc_match_workers_wait_for_a_slot(store: Store, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    await ingest_courses(store, tmp_path, SMALL)
    gate = Gate()
    monkeypatch.setattr(resolvers.matching, "rank_bundles", gate)
    async with serve_app(store, Settings.from_env({"KC_MATCH_WORKERS": "2"})) as hub:
        pending = [asyncio.create_task(match(hub, needs=NEEDS)) for _ in range(3)]
        await until(lambda: gate.running >= 2)
        await asyncio.sleep(0.3)  # time for a third ranking to start, were it let in
        assert gate.running == 2
        gate.open.set()
        results = await asyncio.gather(*pending)
    assert gate.most_running == 2 and gate.opened_in_time == [True, True, True]
    assert all(r["bundles"] == results[0]["bundles"] for r in results)
