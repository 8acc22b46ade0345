"""Apollo Federation end to end: the hub and a small HR subgraph composed, behind a real Apollo Gateway.

The Node side is in `tests/federation/` (versions pinned by its package-lock.json; `make test` runs `npm ci`
there). The hub runs in the test's event loop; the HR subgraph and the gateway are `node` child processes on
127.0.0.1. Composition takes both SDLs from `_service { sdl }`, as a gateway or `rover` would. The query asks the
gateway for employees (HR) and their recommended offers' titles, prices, providers and competences (hub), so it
only answers when the gateway resolves HR's offer references through the hub's `_entities`.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from sources.store import Store
from sources.taxonomy import load_taxonomy
from tests.api_helpers import ingest_courses
from tests.conftest import free_port, serve_app
from tests.feeds import course

FEDERATION = Path(__file__).resolve().parent / "federation"
TEST_TIMEOUT_S = 120  # the whole scenario; a normal run takes a few seconds
START_TIMEOUT_S = 30  # until a node server answers
COMPOSE_TIMEOUT_S = 60
STOP_TIMEOUT_S = 5

QUERY = """{ employees { name recommendedOffers {
  id title priceEur provider { name } competences { competence { id label } level } } } }"""
OFFER_FIELDS = "id title priceEur provider { name } competences { competence { id label } level }"


def _node() -> str:
    """The node binary; fails (not skips) when the federation toolchain is not installed."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("`node` is not on PATH: the federation test needs Node.js 20 or newer")
    if not (FEDERATION / "node_modules" / ".package-lock.json").is_file():
        pytest.fail("tests/federation/node_modules is missing: run `make test`, or "
                    "`npm ci --no-audit --no-fund --prefix tests/federation`")
    return node


@dataclass
class NodeServer:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path


class NodeServers:
    """Starts node servers, waits until they answer, and stops them all, printing their output."""

    def __init__(self, node: str, log_dir: Path, client: httpx.AsyncClient) -> None:
        self.node, self.log_dir, self.client = node, log_dir, client
        self.servers: list[NodeServer] = []

    async def start(self, name: str, script: str, port: int, *args: str, env: dict[str, str] | None = None,
                    ) -> NodeServer:
        log = self.log_dir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen([self.node, script, "--port", str(port), *args], cwd=FEDERATION,
                                       stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                       env={**os.environ, **(env or {})})
        server = NodeServer(name, f"http://127.0.0.1:{port}/", process, log)
        self.servers.append(server)
        await self._wait_until_answers(server)
        return server

    async def _wait_until_answers(self, server: NodeServer) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_TIMEOUT_S
        while True:
            if server.process.poll() is not None:
                raise AssertionError(f"{server.name} exited with status {server.process.returncode} before "
                                     f"answering:\n{server.log.read_text(errors='replace')}")
            try:
                response = await self.client.post(server.url, json={"query": "{ __typename }"}, timeout=2)
                if response.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if loop.time() > deadline:
                raise AssertionError(f"{server.name} did not answer on {server.url} within {START_TIMEOUT_S}s")
            await asyncio.sleep(0.1)

    async def stop_all(self) -> None:
        for server in self.servers:
            if server.process.poll() is None:
                server.process.terminate()
                try:
                    await asyncio.to_thread(server.process.wait, STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    server.process.kill()
                    await asyncio.to_thread(server.process.wait, STOP_TIMEOUT_S)
            # pytest shows captured output only when the test fails
            print(f"----- {server.name} (exit {server.process.returncode}) -----")
            print(server.log.read_text(errors="replace"))


@asynccontextmanager
async def node_servers(log_dir: Path) -> AsyncIterator[NodeServers]:
    node = _node()
    async with httpx.AsyncClient(timeout=30) as client:
        servers = NodeServers(node, log_dir, client)
        try:
            yield servers
        finally:
            await servers.stop_all()


async def compose(node: str, out: Path, **subgraphs: str) -> dict:
    """Run compose.mjs in a thread, so the hub (in this event loop) can answer its `_service` request."""
    command = [node, "compose.mjs", "--out", str(out), *(f"{name}={url}" for name, url in subgraphs.items())]
    try:
        result = await asyncio.to_thread(subprocess.run, command, cwd=FEDERATION, capture_output=True, text=True,
                                         timeout=COMPOSE_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"composition did not finish within {COMPOSE_TIMEOUT_S}s:\n{exc.stderr!r}\n{exc.stdout!r}")
    print("----- compose -----", result.stdout, result.stderr, sep="\n")
    assert result.returncode == 0, f"composition failed:\n{result.stderr}{result.stdout}"
    return json.loads(result.stdout.strip().splitlines()[-1])


async def _ingest_two_offers(store: Store, folder: Path) -> None:
    await ingest_courses(store, folder / "egov", [course(
        "f01", name="Datenschutz im Bürgerbüro", offer=[{"price": 120.0, "priceCurrency": "EUR",
                                                        "paymentFrequency": "one-time", "category": "course"}])])
    await ingest_courses(store, folder / "dhbw", [course(
        "f02", name="Digitale Zusammenarbeit im Team",
        teaches=[{"educationalFramework": "DigComp", "shortCode": "2.4",
                  "educationalLevel": {"shortCode": "5", "educationalFramework": "DigComp"}}])],
        provider="dhbw", name="DHBW Mannheim")


async def test_gateway_resolves_hr_offer_references_through_the_hub(store: Store, tmp_path: Path) -> None:
    await _ingest_two_offers(store, tmp_path)
    try:
        async with asyncio.timeout(TEST_TIMEOUT_S):
            await _federated_query(store, tmp_path, ["egov-campus:f01", "dhbw:f02"])
    except TimeoutError:
        pytest.fail(f"the federation scenario did not finish within {TEST_TIMEOUT_S}s; the node servers' output "
                    f"is under 'Captured stdout'")


async def _federated_query(store: Store, tmp_path: Path, offer_ids: list[str]) -> None:
    labels = load_taxonomy().competences
    supergraph = tmp_path / "supergraph.graphql"
    async with serve_app(store) as hub, node_servers(tmp_path) as servers:
        hr = await servers.start("hr-subgraph", "hr-subgraph.mjs", free_port(),
                                 env={"HR_OFFER_IDS": json.dumps(offer_ids)})
        summary = await compose(servers.node, supergraph, hub=f"{hub.base_url}/graphql", hr=hr.url)
        assert summary["entities"] == {
            "Offer": {"hub": ["id"], "hr": ["id"]},
            "Provider": {"hub": ["id"]},
            "Competence": {"hub": ["id"]},
            "Employee": {"hr": ["id"]},
        }
        sdl = supergraph.read_text(encoding="utf-8")
        assert '@join__type(graph: HR, key: "id", resolvable: false)' in sdl  # HR only references offers
        assert f'HUB @join__graph(name: "hub", url: "{hub.base_url}/graphql")' in sdl

        gateway = await servers.start("gateway", "gateway.mjs", free_port(), "--supergraph", str(supergraph))
        response = await servers.client.post(gateway.url, json={"query": QUERY},
                                             headers={"Apollo-Query-Plan-Experimental": "1"})
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body

        employees = body["data"]["employees"]
        assert [e["name"] for e in employees] == ["Anna Becker", "Jonas Weber", "Leyla Demir"]
        anna = employees[0]["recommendedOffers"]
        assert [(o["id"], o["title"], o["priceEur"], o["provider"]["name"]) for o in anna] == [
            ("egov-campus:f01", "Datenschutz im Bürgerbüro", 120.0, "eGov-Campus"),
            ("dhbw:f02", "Digitale Zusammenarbeit im Team", 0.0, "DHBW Mannheim"),
        ]
        assert [o["competences"] for o in anna] == [
            [{"competence": {"id": "digcomp:4.2", "label": labels["digcomp:4.2"].label["de"]}, "level": 3}],
            [{"competence": {"id": "digcomp:2.4", "label": labels["digcomp:2.4"].label["de"]}, "level": 5}],
        ]
        assert employees[1]["recommendedOffers"] == anna[:1]
        assert employees[2]["recommendedOffers"] == []

        # the same objects the hub serves itself
        direct = await hub.graphql("{ " + " ".join(f'o{i}: offer(id: "{oid}") {{ {OFFER_FIELDS} }}'
                                                   for i, oid in enumerate(offer_ids)) + " }")
        assert anna == [direct["data"]["o0"], direct["data"]["o1"]]

        # and the gateway got them by sending HR's references to the hub's `_entities`
        plan = body["extensions"]["__queryPlanExperimental"]
        assert 'Fetch(service: "hr")' in plan, plan
        assert 'Flatten(path: "employees.@.recommendedOffers.@")' in plan, plan
        assert 'Fetch(service: "hub")' in plan and "... on Offer" in plan, plan
