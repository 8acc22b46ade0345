"""The portal search through the real app: filters, sorts, pagination, disjunctive facets, the graph around it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sources.store import Store
from tests.api_helpers import ingest_courses
from tests.conftest import LiveHub, serve_app
from tests.feeds import varied_courses

N = 60
COURSES = varied_courses(N)


def fmt(i: int) -> str:
    return ["ONLINE", "PRESENCE", "HYBRID", "ONLINE"][i % 4]


def price(i: int) -> float:
    return float(50 * (i % 9)) if i % 3 else 0.0


@pytest.fixture
async def hub(store: Store, tmp_path: Path):  # type: ignore[no-untyped-def]
    await ingest_courses(store, tmp_path, COURSES)
    async with serve_app(store) as live:
        yield live


async def ids(hub: LiveHub, args: str) -> list[str]:
    body = await hub.graphql(f"{{ offers({args}) {{ edges {{ node {{ id }} }} }} }}")
    assert "errors" not in body, body
    return [e["node"]["id"] for e in body["data"]["offers"]["edges"]]


async def test_filter_by_format_counts_and_disjunctive_format_facet(hub: LiveHub) -> None:
    body = await hub.graphql("""{ offers(filter: {formats: [PRESENCE]}, first: 100) {
        totalCount facets { formats { value label count } providers { value label count } } } }""")
    assert "errors" not in body, body
    conn = body["data"]["offers"]
    assert conn["totalCount"] == sum(1 for i in range(N) if fmt(i) == "PRESENCE")
    facet = {f["value"]: f["count"] for f in conn["facets"]["formats"]}
    # the format facet ignores the format filter: the alternatives stay visible with their counts
    assert facet == {f: sum(1 for i in range(N) if fmt(i) == f) for f in ("ONLINE", "PRESENCE", "HYBRID")}
    assert {f["value"]: f["label"] for f in conn["facets"]["formats"]}["PRESENCE"] == "Präsenz"
    # other facets apply the format filter
    assert conn["facets"]["providers"] == [{"value": "egov-campus", "label": "eGov-Campus",
                                            "count": conn["totalCount"]}]


async def test_price_sort_and_free_only(hub: LiveHub) -> None:
    got = await ids(hub, "sort: PRICE_ASC, first: 100")
    expected = sorted(range(N), key=lambda i: (price(i), f"egov-campus:v{i:03d}"))
    assert got == [f"egov-campus:v{i:03d}" for i in expected]
    free = await ids(hub, "filter: {freeOnly: true}, first: 100")
    assert sorted(free) == sorted(f"egov-campus:v{i:03d}" for i in range(N) if price(i) == 0)
    cheap = await ids(hub, "filter: {maxPriceEur: 100}, first: 100")
    assert len(cheap) == sum(1 for i in range(N) if price(i) <= 100)


async def test_pagination_walks_every_offer_once_in_a_stable_order(hub: LiveHub) -> None:
    seen: list[str] = []
    after = None
    for _ in range(10):
        body = await hub.graphql("query($after: String) { offers(first: 25, after: $after, sort: HOURS_ASC) { "
                                 "edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }",
                                 {"after": after})
        conn = body["data"]["offers"]
        seen += [e["node"]["id"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert len(seen) == N and len(set(seen)) == N


async def test_text_search_with_german_stemming_ranks_title_matches(hub: LiveHub) -> None:
    body = await hub.graphql('{ offers(search: "Datenschutzes Bürgerbüro", first: 100) { totalCount '
                             'edges { relevance node { title } } } }')
    conn = body["data"]["offers"]
    assert conn["totalCount"] == N // 6  # every sixth course is about Datenschutz im Bürgerbüro
    assert all(e["node"]["title"].startswith("Datenschutz im Bürgerbüro") for e in conn["edges"])
    assert all(e["relevance"] > 0 for e in conn["edges"])
    none = await hub.graphql('{ offers(search: "quantenphysik") { totalCount } }')
    assert none["data"]["offers"]["totalCount"] == 0


async def test_near_and_distance_sort(hub: LiveHub) -> None:
    body = await hub.graphql("""{ offers(filter: {near: {lat: 49.4875, lon: 8.466}, maxDistanceKm: 30,
        formats: [PRESENCE, HYBRID]}, sort: DISTANCE, first: 100) {
        totalCount edges { distanceKm node { location { city } } } } }""")
    conn = body["data"]["offers"]
    cities = {e["node"]["location"]["city"] for e in conn["edges"]}
    assert cities == {"Mannheim", "Heidelberg", "Speyer"}  # Wiesbaden and Kassel are farther than 30 km
    distances = [e["distanceKm"] for e in conn["edges"]]
    assert distances == sorted(distances) and distances[0] < 1
    with_online = await hub.graphql("{ offers(filter: {near: {lat: 49.4875, lon: 8.466}, maxDistanceKm: 30}) "
                                    "{ totalCount } }")
    online = sum(1 for i in range(N) if fmt(i) == "ONLINE")
    assert with_online["data"]["offers"]["totalCount"] == conn["totalCount"] + online


async def test_competence_filter_with_min_level_and_start_month_facet(hub: LiveHub) -> None:
    body = await hub.graphql("""{ offers(filter: {competences: ["digcomp:4.2"], minLevel: 3}, first: 100) {
        totalCount facets { competences { value count label(lang: "en") } startMonths { value count label } } } }""")
    conn = body["data"]["offers"]
    expected = [i for i in range(N) if i % 6 == 0 and 1 + i % 6 >= 3]
    assert conn["totalCount"] == len(expected)
    comp = {c["value"]: c for c in conn["facets"]["competences"]}
    assert comp["digcomp:4.2"]["label"] == "Protecting personal data and privacy"
    assert comp["digcomp:4.1"]["count"] == sum(1 for i in range(N) if i % 6 == 1)  # disjunctive


async def test_dates_window_keeps_undated_self_paced_offers(hub: LiveHub) -> None:
    body = await hub.graphql('{ offers(filter: {startAfter: "2027-06-01", endBefore: "2027-08-31"}, first: 100) '
                             "{ edges { node { selfPaced runs { start } } } } }")
    for edge in body["data"]["offers"]["edges"]:
        node = edge["node"]
        assert node["selfPaced"] or "2027-06-01" <= node["runs"][0]["start"] <= "2027-08-31"
    assert any(e["node"]["selfPaced"] for e in body["data"]["offers"]["edges"])


async def test_node_provider_offers_and_competence_tree(hub: LiveHub) -> None:
    body = await hub.graphql("""{
      a: node(id: "egov-campus:v001") { __typename id ... on Offer { title } }
      b: node(id: "egov-campus") { __typename ... on Provider { name } }
      c: node(id: "digcomp:4.2") { __typename ... on Competence { code offerCounts { level count } } }
      d: node(id: "nope:1") { id }
      provider(id: "egov-campus") { offers(filter: {formats: [HYBRID]}, first: 3) { totalCount } }
      competenceTree(framework: "digcomp") { area { code label } competences { id offerCount } }
    }""")
    assert "errors" not in body, body
    data = body["data"]
    assert data["a"]["__typename"] == "Offer" and data["a"]["title"].endswith(" 1")
    assert data["b"] == {"__typename": "Provider", "name": "eGov-Campus"}
    counts = {c["level"]: c["count"] for c in data["c"]["offerCounts"]}
    assert counts[1] == sum(1 for i in range(N) if i % 6 == 0 and 1 + i % 6 == 1)
    assert data["d"] is None
    assert data["provider"]["offers"]["totalCount"] == sum(1 for i in range(N) if fmt(i) == "HYBRID")
    tree = data["competenceTree"]
    assert [a["area"]["code"] for a in tree] == ["1", "2", "3", "4", "5"]
    assert sum(len(a["competences"]) for a in tree) == 21
    area4 = next(a for a in tree if a["area"]["code"] == "4")
    assert {c["id"]: c["offerCount"] for c in area4["competences"]}["digcomp:4.2"] == N // 6


async def test_analyst_stats_and_coverage_gaps(hub: LiveHub) -> None:
    body = await hub.graphql("""{
      catalogStats { offerCount byFormat { value count freeCount priceEur { min max median } }
                     byCompetenceLevel { competence { id } level offerCount } }
      coverageGaps(framework: "digcomp", maxOffers: 0) { competence { id } level offerCount }
    }""")
    assert "errors" not in body, body
    stats = body["data"]["catalogStats"]
    assert stats["offerCount"] == N
    online = next(g for g in stats["byFormat"] if g["value"] == "ONLINE")
    online_prices = [price(i) for i in range(N) if fmt(i) == "ONLINE"]
    assert online["count"] == len(online_prices)
    assert online["freeCount"] == online_prices.count(0.0)
    assert online["priceEur"]["max"] == max(online_prices)
    gaps = {(g["competence"]["id"], g["level"]) for g in body["data"]["coverageGaps"]}
    assert ("digcomp:5.4", 1) in gaps  # nothing teaches 5.4
    assert ("digcomp:4.2", 1) not in gaps
    assert all(g["offerCount"] == 0 for g in body["data"]["coverageGaps"])


async def test_operators_see_ingest_runs_and_quarantine(store: Store, tmp_path: Path) -> None:
    from tests.feeds import course

    await ingest_courses(store, tmp_path, [course("ok"), course("bad", workload=None)])
    async with serve_app(store) as live:
        body = await live.graphql('{ ingestRuns(last: 5) { status received landed quarantined provider } '
                                  'quarantine(provider: "egov-campus") { externalId reasons raw } }')
    assert body["data"]["ingestRuns"] == [{"status": "SUCCEEDED", "received": 2, "landed": 1, "quarantined": 1,
                                           "provider": "egov-campus"}]
    entry = body["data"]["quarantine"][0]
    assert entry["externalId"] == "bad" and "workload" in entry["reasons"][0]
    assert entry["raw"]["id"] == "bad"
