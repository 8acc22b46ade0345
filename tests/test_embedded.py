from __future__ import annotations

from pathlib import Path

import pytest
from pymongo import AsyncMongoClient

from kommunalcampus.embedded import DatabaseStartError, EmbeddedDatabase, database_uri


async def test_start_ping_stop(tmp_path: Path) -> None:
    server = EmbeddedDatabase(tmp_path)
    uri = await server.start()
    client: AsyncMongoClient = AsyncMongoClient(uri)
    try:
        assert (await client.admin.command("ping"))["ok"] == 1.0
    finally:
        await client.close()
        server.stop()
    assert server.process is None
    assert not (tmp_path / "secantusd.pid").exists()


async def test_a_second_command_shares_the_running_server(tmp_path: Path) -> None:
    server = EmbeddedDatabase(tmp_path)
    uri = await server.start()
    try:
        async with database_uri(None, tmp_path) as shared:
            assert shared == uri
        assert server.process is not None and server.process.poll() is None  # not stopped by the sharer
    finally:
        server.stop()


async def test_data_folder_held_by_a_foreign_process_is_a_clear_error(tmp_path: Path) -> None:
    owner = EmbeddedDatabase(tmp_path)
    await owner.start()
    (tmp_path / "secantusd.pid").unlink()  # as if another program held the folder
    try:
        with pytest.raises(DatabaseStartError, match="in use by another database process"):
            await EmbeddedDatabase(tmp_path, start_timeout_s=20).start()
    finally:
        owner.stop()
