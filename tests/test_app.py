"""The real ASGI app on a real uvicorn server, against the real database."""

from __future__ import annotations

from pathlib import Path

from kommunalcampus.app import create_app
from kommunalcampus.settings import Settings
from resolvers.snapshot import SnapshotHolder
from sources.base import SourceConfig
from sources.fetch import Fetcher
from sources.moochub import MoochubAdapter
from sources.pipeline import ingest
from sources.store import Store
from tests.conftest import serve_app
from tests.feeds import course, write_feed

OFFER_FIELDS = """
  id externalId title description url format selfPaced hours ects priceEur languages status
  provider { id name offerCount }
  competences { competence { id label } level }
  runs { id start end }
  location { name city lat lon }
"""


async def _ingest(store: Store, folder: Path, n: int) -> None:
    courses = [course(f"k{i:02d}", name=f"Kurs {i}", courseMode=["onsite"], startDate=["2027-03-01T08:00:00Z"],
                      endDate=["2027-03-02T16:00:00Z"],
                      contentLocation={"name": "DHBW", "latitude": 49.47, "longitude": 8.53,
                                       "address": {"city": "Mannheim"}}) for i in range(n)]
    async with Fetcher() as fetcher:
        adapter = MoochubAdapter(SourceConfig("egov-campus", "eGov-Campus"), fetcher)
        report = await ingest(store, adapter, str(write_feed(folder, [courses])))
    assert report.ok


async def test_offers_over_http_with_nested_fields(store: Store, tmp_path: Path) -> None:
    await _ingest(store, tmp_path, 3)
    async with serve_app(store) as hub:
        body = await hub.graphql(f"{{ offers(first: 2) {{ totalCount pageInfo {{ hasNextPage endCursor }} "
                                 f"edges {{ cursor node {{ {OFFER_FIELDS} }} }} }} }}")
        assert "errors" not in body, body
        conn = body["data"]["offers"]
        assert conn["totalCount"] == 3
        assert conn["pageInfo"]["hasNextPage"] is True
        first = conn["edges"][0]["node"]
        assert first["id"] == "egov-campus:k00"
        assert first["provider"] == {"id": "egov-campus", "name": "eGov-Campus", "offerCount": 3}
        assert first["competences"] == [{"competence": {"id": "digcomp:4.2",
                                                        "label": "Schutz personenbezogener Daten und der Privatsphäre"},
                                         "level": 3}]
        assert first["runs"] == [{"id": "2027-03-01", "start": "2027-03-01", "end": "2027-03-02"}]
        assert first["location"] == {"name": "DHBW", "city": "Mannheim", "lat": 49.47, "lon": 8.53}
        assert (first["format"], first["selfPaced"], first["hours"]) == ("PRESENCE", False, 8.0)

        after = conn["pageInfo"]["endCursor"]
        rest = await hub.graphql("query($a: String) { offers(first: 5, after: $a) { edges { node { id } } "
                                 "pageInfo { hasNextPage } } }", {"a": after})
        assert [e["node"]["id"] for e in rest["data"]["offers"]["edges"]] == ["egov-campus:k02"]
        assert rest["data"]["offers"]["pageInfo"]["hasNextPage"] is False


async def test_offer_by_id_providers_and_competences(store: Store, tmp_path: Path) -> None:
    await _ingest(store, tmp_path, 1)
    async with serve_app(store) as hub:
        body = await hub.graphql('{ offer(id: "egov-campus:k00") { title } missing: offer(id: "nope:x") { title } '
                                 'providers { id offerCount } '
                                 'competences(framework: "digcomp") { id code label(lang: "en") area { code } } }')
        assert "errors" not in body, body
        data = body["data"]
        assert data["offer"] == {"title": "Kurs 0"}
        assert data["missing"] is None
        assert data["providers"] == [{"id": "egov-campus", "offerCount": 1}]
        comps = data["competences"]
        assert len(comps) == 21
        assert comps[0] == {"id": "digcomp:1.1", "code": "1.1",
                            "label": "Browsing, searching and filtering data, information and digital content",
                            "area": {"code": "1"}}
        assert comps[-1]["id"] == "digcomp:5.4"


async def test_bad_page_arguments_are_explained(store: Store) -> None:
    async with serve_app(store) as hub:
        too_many = await hub.graphql("{ offers(first: 1000) { totalCount } }")
        assert "between 0 and 100" in too_many["errors"][0]["message"]
        bad_cursor = await hub.graphql('{ offers(after: "bm9wZQ==") { totalCount } }')
        assert "cursor" in bad_cursor["errors"][0]["message"]


async def test_health_probes(store: Store) -> None:
    async with serve_app(store) as hub:
        live = await hub.client.get(f"{hub.base_url}/health/live")
        ready = await hub.client.get(f"{hub.base_url}/health/ready")
        assert live.status_code == 200
        assert ready.status_code == 200
        assert ready.json()["status"] == "ready"


async def test_ready_is_503_with_reason_when_the_database_is_gone(store: Store) -> None:
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient = AsyncMongoClient("mongodb://127.0.0.1:1/?directConnection=true",
                                                serverSelectionTimeoutMS=300)
    dead = Store(client["x"])
    app = create_app(Settings.from_env({}), store)
    snapshot = SnapshotHolder(store, ["digcomp:1.1"])
    await snapshot.refresh()
    app.state.hub.store, app.state.hub.snapshot = dead, snapshot
    import httpx

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub") as direct:
        response = await direct.get("/health/ready")
    await client.close()
    assert response.status_code == 503
    assert response.json()["reason"] == "database does not answer"
