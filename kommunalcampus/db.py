"""Opening the store: the configured MongoDB or the embedded one, checked and prepared before use."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from urllib.parse import urlparse

from pymongo import AsyncMongoClient
from pymongo.errors import ConfigurationError, PyMongoError

from kommunalcampus.embedded import DatabaseStartError, database_uri
from kommunalcampus.settings import Settings
from sources.store import Store
from sources.taxonomy import load_taxonomy


def redacted(uri: str) -> str:
    """Host part of a URI only, so that error messages and logs never carry credentials."""
    parsed = urlparse(uri)
    return f"{parsed.scheme}://{parsed.hostname or '?'}{':' + str(parsed.port) if parsed.port else ''}"


@contextlib.asynccontextmanager
async def open_client(settings: Settings) -> AsyncIterator[AsyncMongoClient]:
    async with database_uri(settings.mongodb_uri, settings.data_dir, settings.db_start_timeout_s) as uri:
        try:
            client: AsyncMongoClient = AsyncMongoClient(uri, serverSelectionTimeoutMS=5000, tz_aware=True,
                                                        appname="kommunalcampus-hub")
        except (ConfigurationError, ValueError) as exc:
            raise DatabaseStartError(f"MONGODB_URI is not usable: {exc}") from None
        try:
            try:
                await client.admin.command("ping")
            except PyMongoError as exc:
                first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise DatabaseStartError(
                    f"cannot reach MongoDB at {redacted(uri)}: {first_line[:160].strip()}"
                ) from None
            yield client
        finally:
            await client.close()


@contextlib.asynccontextmanager
async def open_store(settings: Settings) -> AsyncIterator[Store]:
    async with open_client(settings) as client:
        store = Store(client[settings.db_name])
        await store.ensure_ready(load_taxonomy())
        yield store
