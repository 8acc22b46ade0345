"""The ASGI application: Starlette with `/graphql` (Strawberry, GraphiQL) and the two health probes.

`create_app(settings)` opens the store itself in its lifespan (the path for `uvicorn --factory` and
Docker); `create_app(settings, store)` uses a store opened by the caller (the CLI and the tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLError
from pymongo.errors import PyMongoError
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from kommunalcampus.accesslog import AccessLog
from kommunalcampus.bodylimit import BodySizeLimit
from kommunalcampus.db import open_store
from kommunalcampus.persisted import PersistedQueries, PersistedQueryError
from kommunalcampus.settings import Settings
from resolvers.context import HubContext
from resolvers.snapshot import SnapshotHolder
from schema import build_schema
from schema.limits import Limits
from sources.store import Store
from sources.taxonomy import load_taxonomy

log = logging.getLogger("kommunalcampus.app")
EXAMPLES = Path(__file__).parent / "examples" / "queries.graphql"


@dataclass
class HubState:
    """What the running app knows beyond the database: set in the lifespan, read by requests."""

    store: Store | None = None
    snapshot: SnapshotHolder | None = None
    match_slots: asyncio.Semaphore | None = None  # made in the lifespan: a semaphore belongs to its event loop


class HubGraphQL(GraphQL[HubContext, None]):
    def __init__(self, state: HubState, settings: Settings) -> None:
        limits = Limits(max_depth=settings.max_depth, max_aliases=settings.max_aliases,
                        max_tokens=settings.max_tokens, max_cost=settings.max_cost,
                        introspection=settings.introspection)
        super().__init__(build_schema(limits, settings.field_suggestions), graphql_ide="graphiql",
                         multipart_uploads_enabled=False)
        self.state = state
        self.persisted = PersistedQueries.from_manifest(settings.persisted_queries, settings.persisted_only)
        self._ide_html = with_examples(super().graphql_ide_html)

    async def render_graphql_ide(self, request: Any) -> HTMLResponse:
        return HTMLResponse(self._ide_html)

    def should_render_graphql_ide(self, request: Any) -> bool:
        """A GET carrying a persisted-query hash is an operation, not a browser asking for GraphiQL."""
        return request.query_params.get("extensions") is None and super().should_render_graphql_ide(request)

    async def execute_single(self, request: Any, request_adapter: Any, sub_response: Any, context: HubContext,
                             root_value: Any, request_data: GraphQLRequestData) -> ExecutionResult:
        """Resolve persisted-query hashes to query text before Strawberry sees the request."""
        try:
            query = self.persisted.resolve(request_data.query, request_data.extensions)
        except PersistedQueryError as exc:
            return ExecutionResult(data=None, errors=[GraphQLError(str(exc), extensions={"code": exc.code})])
        if query is not request_data.query:
            request_data = GraphQLRequestData(query=query, variables=request_data.variables,
                                              operation_name=request_data.operation_name,
                                              extensions=request_data.extensions, protocol=request_data.protocol)
        return await super().execute_single(request, request_adapter, sub_response, context, root_value,
                                            request_data)

    async def get_context(self, request: Any, response: Any) -> HubContext:
        if self.state.store is None or self.state.snapshot is None:  # pragma: no cover - lifespan runs first
            raise RuntimeError("the hub is still starting")
        return HubContext.create(self.state.store, self.state.snapshot, match_slots=self.state.match_slots)


def with_examples(html: str) -> str:
    """GraphiQL opens with the hub's example operations instead of Strawberry's welcome text."""
    examples = EXAMPLES.read_text(encoding="utf-8").replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
    start = html.find("const EXAMPLE_QUERY = `")
    end = html.find("`;", start)
    if start < 0 or end < 0:  # a Strawberry release changed its template: keep its page rather than break it
        log.warning("GraphiQL template not recognised; the example operations are not preloaded")
        return html
    return html[:start] + "const EXAMPLE_QUERY = `" + examples + html[end:]


def create_app(settings: Settings | None = None, store: Store | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    state = HubState(store=store)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with contextlib.AsyncExitStack() as stack:
            state.match_slots = asyncio.Semaphore(settings.match_workers)
            if state.store is None:
                state.store = await stack.enter_async_context(open_store(settings))
            snapshot = SnapshotHolder(state.store, list(load_taxonomy().competences))
            await snapshot.refresh()
            state.snapshot = await stack.enter_async_context(snapshot.polling(settings.snapshot_poll_s))
            yield

    async def live(request: Request) -> JSONResponse:
        return JSONResponse({"status": "live"})

    async def ready(request: Request) -> JSONResponse:
        if state.store is None or state.snapshot is None or not state.snapshot.loaded:
            return JSONResponse({"status": "unavailable", "reason": "catalog not loaded yet"}, status_code=503)
        try:
            await asyncio.wait_for(state.store.ping(), timeout=2.0)
        except (PyMongoError, TimeoutError) as exc:
            log.warning("readiness: database does not answer: %s", type(exc).__name__)
            return JSONResponse({"status": "unavailable", "reason": "database does not answer"}, status_code=503)
        catalog = state.snapshot.catalog
        return JSONResponse({"status": "ready", "catalogVersion": catalog.version, "offers": catalog.size})

    graphql = HubGraphQL(state, settings)
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/health/live", live),
            Route("/health/ready", ready),
        ],
        lifespan=lifespan,
        middleware=[Middleware(AccessLog), Middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)],
    )
    app.state.hub = state
    return app

