"""Limits, persisted queries, masking and typed inputs, through the real app over HTTP."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from kommunalcampus.persisted import sha256
from kommunalcampus.settings import Settings
from sources.store import Store
from tests.api_helpers import ingest_courses
from tests.conftest import serve_app
from tests.feeds import varied_courses

PORTAL_QUERY = """query Portal($q: String) { offers(search: $q, first: 20) { totalCount
  edges { node { id title priceEur provider { name } competences { competence { label } level } } }
  facets { formats { value count } providers { value count } } } }"""


async def test_depth_aliases_tokens_and_cost_are_refused_before_execution(store: Store) -> None:
    async with serve_app(store) as hub:
        deep = "{ providers { offers { edges { node { provider { offers { edges { node { provider { offers " \
               "{ edges { node { id } } } } } } } } } } } } }"
        body = await hub.graphql(deep)
        assert "exceeds maximum operation depth" in body["errors"][0]["message"]
        assert body.get("data") is None

        aliases = "{ " + " ".join(f"a{i}: providers {{ id }}" for i in range(25)) + " }"
        assert "aliases" in (await hub.graphql(aliases))["errors"][0]["message"]

        tokens = "{ providers { " + " ".join(["id"] * 4000) + " } }"
        assert "token" in (await hub.graphql(tokens))["errors"][0]["message"].lower()

        costly = ("{ providers { offers(first: 100) { edges { node { competences { competence { id } } "
                  "runs { id } prerequisites { competence { id } } } } } } }")
        body = await hub.graphql(costly)
        assert "too expensive" in body["errors"][0]["message"] and "limit of 5000" in body["errors"][0]["message"]

        page = await hub.graphql("{ offers(first: 101) { totalCount } }")
        assert "between 0 and 100" in page["errors"][0]["message"]
        assert page["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

        ok = await hub.graphql(PORTAL_QUERY, {"q": None})
        assert "errors" not in ok, ok


async def test_automatic_persisted_queries(store: Store) -> None:
    digest = sha256(PORTAL_QUERY)
    ext = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    async with serve_app(store) as hub:
        url = f"{hub.base_url}/graphql"
        miss = (await hub.client.post(url, json={"extensions": ext})).json()
        assert miss["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        registered = (await hub.client.post(url, json={"query": PORTAL_QUERY, "extensions": ext})).json()
        assert "errors" not in registered
        hit = (await hub.client.post(url, json={"extensions": ext, "variables": {"q": "x"}})).json()
        assert hit == {"data": {"offers": {"totalCount": 0, "edges": [], "facets": hit["data"]["offers"]["facets"]}}}
        by_get = await hub.client.get(url, params={"extensions": json.dumps(ext)})
        assert by_get.status_code == 200 and "errors" not in by_get.json()
        wrong = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
        mismatch = (await hub.client.post(url, json={"query": PORTAL_QUERY, "extensions": wrong})).json()
        assert mismatch["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"


async def test_safelist_mode_runs_only_listed_operations(store: Store, tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": "apollo-persisted-query-manifest", "version": 1, "operations": [
        {"id": sha256(PORTAL_QUERY), "name": "Portal", "type": "query", "body": PORTAL_QUERY}]}))
    settings = Settings.from_env({"KC_PERSISTED_ONLY": "1", "KC_PERSISTED_QUERIES": str(manifest)})
    async with serve_app(store, settings) as hub:
        url = f"{hub.base_url}/graphql"
        listed = (await hub.client.post(url, json={"extensions": {
            "persistedQuery": {"version": 1, "sha256Hash": sha256(PORTAL_QUERY)}}})).json()
        assert "errors" not in listed and listed["data"]["offers"]["totalCount"] == 0
        free_text = (await hub.client.post(url, json={"query": "{ providers { id } }"})).json()
        assert free_text["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_ONLY"
        other = "{ competences { id } }"
        unlisted = (await hub.client.post(url, json={"query": other, "extensions": {
            "persistedQuery": {"version": 1, "sha256Hash": sha256(other)}}})).json()
        assert unlisted["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_ONLY"


def test_safelist_mode_without_a_manifest_is_a_configuration_error() -> None:
    from kommunalcampus.persisted import PersistedQueries

    with pytest.raises(ValueError, match="needs a safelist"):
        PersistedQueries.from_manifest(None, persisted_only=True)


async def test_unexpected_errors_are_masked_and_logged_with_a_request_id(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    await store.offers.insert_one({"_id": "x:broken", "provider": "x", "externalId": "broken", "title": "T",
                                   "format": "TELEPATHY", "runs": [], "status": "ACTIVE"})
    async with serve_app(store) as hub:
        with caplog.at_level(logging.ERROR, logger="kommunalcampus.graphql"):
            body = await hub.graphql('{ offer(id: "x:broken") { title } }')
    error = body["errors"][0]
    assert error["message"].startswith("Internal error (request id ")
    assert "TELEPATHY" not in json.dumps(body)
    request_id = error["extensions"]["requestId"]
    assert any(request_id in r.getMessage() and r.exc_info and "TELEPATHY" in str(r.exc_info[1])
               for r in caplog.records)


async def test_introspection_and_suggestions_can_be_switched_off(store: Store) -> None:
    async with serve_app(store) as hub:
        on = await hub.graphql("{ __schema { queryType { name } } }")
        assert on["data"]["__schema"]["queryType"]["name"] == "Query"
        assert "Did you mean" in (await hub.graphql("{ provider { id } providerz { id } }"))["errors"][-1]["message"]
    settings = Settings.from_env({"KC_INTROSPECTION": "0", "KC_FIELD_SUGGESTIONS": "0"})
    async with serve_app(store, settings) as hub:
        off = await hub.graphql("{ __schema { queryType { name } } }")
        assert "introspection" in off["errors"][0]["message"].lower()
        hidden = await hub.graphql("{ providerz { id } }")
        assert "Did you mean" not in hidden["errors"][0]["message"]


async def test_request_body_size_is_limited(store: Store) -> None:
    async with serve_app(store, Settings.from_env({"KC_MAX_BODY_BYTES": "2048"})) as hub:
        response = await hub.client.post(f"{hub.base_url}/graphql",
                                         json={"query": "{ providers { id } }", "pad": "x" * 5000})
        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"
        small = await hub.client.post(f"{hub.base_url}/graphql", json={"query": "{ providers { id } }"})
        assert small.status_code == 200


@pytest.mark.parametrize("payload", ['{"$gt": ""}', "$where", "this.title == 'x' || true", '{"$ne": null}'])
async def test_injection_payloads_stay_plain_values(store: Store, tmp_path: Path, payload: str) -> None:
    await ingest_courses(store, tmp_path, varied_courses(5))
    async with serve_app(store) as hub:
        body = await hub.graphql("query($v: ID!, $s: String) { offer(id: $v) { id } provider(id: $v) { id } "
                                 "node(id: $v) { id } offers(search: $s, filter: {providers: [$v]}) { totalCount } "
                                 "quarantine(provider: $v) { externalId } ingestRuns(provider: $v) { id } }",
                                 {"v": payload, "s": payload})
        assert "errors" not in body, body
        data = body["data"]
        assert (data["offer"], data["provider"], data["node"]) == (None, None, None)
        assert data["offers"]["totalCount"] == 0
        assert data["quarantine"] == [] and data["ingestRuns"] == []
        as_object = await hub.graphql("query($v: ID!) { offer(id: $v) { id } }", {"v": {"$gt": ""}})
        assert "ID cannot represent" in as_object["errors"][0]["message"]
    assert await store.offers.count_documents({}) == 5  # nothing was changed or removed
