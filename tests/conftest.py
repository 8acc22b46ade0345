"""Shared fixtures: a real database over a real socket (the embedded server, or MONGODB_URI when set), a fresh
database per test, a real HTTP server on 127.0.0.1 for feeds, and the real ASGI app served by uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
import uvicorn
from pymongo import AsyncMongoClient

from kommunalcampus.app import create_app
from kommunalcampus.embedded import EmbeddedDatabase
from kommunalcampus.settings import Settings
from sources.store import Store
from sources.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
async def mongo_uri(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    if os.environ.get("MONGODB_URI"):
        yield os.environ["MONGODB_URI"]
        return
    server = EmbeddedDatabase(tmp_path_factory.mktemp("kc-db"))
    await server.start()
    try:
        yield server.uri
    finally:
        server.stop()


@pytest.fixture(scope="session")
async def mongo_client(mongo_uri: str) -> AsyncIterator[AsyncMongoClient]:
    client: AsyncMongoClient = AsyncMongoClient(mongo_uri, tz_aware=True, serverSelectionTimeoutMS=5000)
    yield client
    await client.close()


@pytest.fixture
async def store(mongo_client: AsyncMongoClient) -> AsyncIterator[Store]:
    name = f"kc_test_{uuid.uuid4().hex[:12]}"
    store = Store(mongo_client[name])
    await store.ensure_ready(load_taxonomy())
    yield store
    await mongo_client.drop_database(name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class FeedServer:
    """Serves `routes` (path → (status, body)); `requests` records each path asked for, with its headers."""

    base_url: str
    routes: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    delays: dict[str, float] = field(default_factory=dict)
    extra_headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def serve_dir(self, folder: Path, prefix: str = "") -> None:
        for file in folder.iterdir():
            if file.is_file():
                self.routes[f"/{prefix}{file.name}"] = (200, file.read_bytes())


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server_state: FeedServer

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            server_state.requests.append((self.path, dict(self.headers.items())))
            if path in server_state.delays:
                time.sleep(server_state.delays[path])
            status, body = server_state.routes.get(path, (404, b"not found"))
            extra = server_state.extra_headers.get(path, {})
            if extra.get("ETag") and self.headers.get("If-None-Match") == extra["ETag"]:
                status, body = 304, b""
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.api+json")
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server_state = FeedServer(base_url=f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class LiveHub:
    base_url: str
    client: httpx.AsyncClient

    async def graphql(self, query: str, variables: dict | None = None, **kwargs: object) -> dict:
        response = await self.client.post(f"{self.base_url}/graphql",
                                          json={"query": query, "variables": variables or {}, **kwargs})
        return response.json()


@contextlib.asynccontextmanager
async def serve_app(store: Store, settings: Settings | None = None) -> AsyncIterator[LiveHub]:
    """The real ASGI app on a real uvicorn server on 127.0.0.1, in the test's event loop."""
    port = free_port()
    app = create_app(settings or Settings.from_env({}), store)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    server.capture_signals = contextlib.nullcontext  # type: ignore[method-assign]  # the test runner owns signals
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(timeout=30) as client:
            yield LiveHub(f"http://127.0.0.1:{port}", client)
    finally:
        server.should_exit = True
        await task


@pytest.fixture
def live_hub() -> Callable[..., contextlib.AbstractAsyncContextManager[LiveHub]]:
    return serve_app
