"""No N+1: a page of 5 and a page of 100 offers with provider and competences cost the same few commands."""

from __future__ import annotations

from pathlib import Path

from pymongo import AsyncMongoClient, monitoring

from sources.store import Store
from tests.api_helpers import ingest_courses
from tests.conftest import serve_app
from tests.feeds import varied_courses

QUERY = """query($n: Int) { offers(first: $n, sort: PRICE_ASC) { totalCount edges { node { id title
  provider { id name offerCount } competences { competence { id label area { code } } level } runs { start } } }
  facets { providers { value label count } competences { value label count } } } }"""


class CommandLog(monitoring.CommandListener):
    def __init__(self) -> None:
        self.commands: list[str] = []

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name not in {"hello", "isMaster", "ping", "endSessions"}:
            self.commands.append(f"{event.command_name} {event.command.get(event.command_name)}")

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


async def test_database_commands_per_request_do_not_grow_with_the_page(store: Store, tmp_path: Path,
                                                                       mongo_uri: str) -> None:
    await ingest_courses(store, tmp_path, varied_courses(120))
    log = CommandLog()
    client: AsyncMongoClient = AsyncMongoClient(mongo_uri, tz_aware=True, event_listeners=[log])
    try:
        async with serve_app(Store(client[store.db.name])) as hub:
            per_page = {}
            for n in (5, 100):
                log.commands.clear()
                body = await hub.graphql(QUERY, {"n": n})
                assert "errors" not in body, body
                assert len(body["data"]["offers"]["edges"]) == n
                per_page[n] = sorted(log.commands)
    finally:
        await client.close()
    assert per_page[5] == per_page[100], per_page
    # one batched call per type: offers, providers (+ their counts); competences come from the taxonomy in memory
    assert len(per_page[100]) <= 3, per_page[100]
    assert sum(c.startswith("find offers") for c in per_page[100]) == 1
    assert sum(c.startswith("find providers") for c in per_page[100]) == 1
    assert not any(c.startswith("find competences") for c in per_page[100])
