"""The embedded MongoDB-wire server (SecantusDB) as a child process of the hub.

Used when `MONGODB_URI` is unset, so that `make run` needs no database installation. The child must never
outlive the hub: it runs in its own session (Ctrl-C reaches only the hub, which then stops it in order) and
gets SIGTERM from the kernel if the hub dies without cleaning up (PR_SET_PDEATHSIG), so a crash leaves no
orphan and WiredTiger's lock is released with the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

SERVER_COMMAND = "secantusd-py"
_PR_SET_PDEATHSIG = 1


class DatabaseStartError(RuntimeError):
    """The embedded database could not be started; the message is one line naming the cause."""


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_executable() -> str:
    beside_python = Path(sys.executable).with_name(SERVER_COMMAND)
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which(SERVER_COMMAND)
    if found is None:
        raise DatabaseStartError(
            f"the embedded database command {SERVER_COMMAND!r} is not installed "
            "(run `make run`, or set MONGODB_URI to use an existing MongoDB)"
        )
    return found


def _last_error_line(log_path: Path) -> str:
    try:
        lines = [ln.strip() for ln in log_path.read_text(errors="replace").splitlines() if ln.strip()]
    except OSError:
        return "no log output"
    for line in reversed(lines):
        if "already being managed by another process" in line:
            return "its data folder is in use by another database process"
    for line in reversed(lines):
        if "Error" in line or "error" in line:
            return line[-200:]
    return lines[-1][-200:] if lines else "no log output"


class EmbeddedDatabase:
    """One SecantusDB server on a free loopback port with its data under `data_dir/db`."""

    def __init__(self, data_dir: Path, start_timeout_s: float = 30.0) -> None:
        self.data_dir = data_dir
        self.start_timeout_s = start_timeout_s
        self.process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None

    @property
    def uri(self) -> str:
        if self.port is None:
            raise RuntimeError("the embedded database is not running")
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    @property
    def pid_file(self) -> Path:
        return self.data_dir / "secantusd.pid"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "secantusd.log"

    async def start(self) -> str:
        try:
            (self.data_dir / "db").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseStartError(f"cannot create data folder {self.data_dir}: {exc.strerror}") from None
        executable = _server_executable()
        self.port = _free_port()
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [executable, "--host", "127.0.0.1", "--port", str(self.port),
                 "--storage-path", str((self.data_dir / "db").resolve()), "--log-level", "WARNING"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, preexec_fn=_die_with_parent,
            )
        self.pid_file.write_text(f"{self.process.pid} {self.port}\n")
        try:
            await self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self.uri

    async def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout_s
        client: AsyncMongoClient = AsyncMongoClient(self.uri, serverSelectionTimeoutMS=500, connectTimeoutMS=500)
        try:
            while True:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise DatabaseStartError(
                        f"the embedded database exited at start (code {self.process.returncode}): "
                        f"{_last_error_line(self.log_path)} — see {self.log_path}"
                    )
                try:
                    await client.admin.command("ping")
                    return
                except PyMongoError:
                    pass
                if time.monotonic() > deadline:
                    raise DatabaseStartError(
                        f"the embedded database did not answer ping within {self.start_timeout_s:.0f} s "
                        f"— see {self.log_path}"
                    )
                await asyncio.sleep(0.1)
        finally:
            await client.close()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop the server in order (SIGTERM lets WiredTiger checkpoint); kill it if it hangs."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        with contextlib.suppress(OSError):
            self.pid_file.unlink()


@contextlib.asynccontextmanager
async def database_uri(mongodb_uri: str | None, data_dir: Path, start_timeout_s: float = 30.0,
                       ) -> AsyncIterator[str]:
    """Yield the URI to connect to: the configured one, or that of an embedded server started for the block."""
    if mongodb_uri:
        yield mongodb_uri
        return
    running = await running_server_uri(data_dir)
    if running is not None:  # a hub already serves this data folder: share its server, do not own it
        yield running
        return
    server = EmbeddedDatabase(data_dir, start_timeout_s)
    await server.start()
    try:
        yield server.uri
    finally:
        server.stop()


async def running_server_uri(data_dir: Path) -> str | None:
    """The URI of a live embedded server already started on `data_dir` by another hub process, if any."""
    try:
        pid_text, port_text = (data_dir / "secantusd.pid").read_text().split()
        pid, port = int(pid_text), int(port_text)
    except (OSError, ValueError):
        return None
    if not pid_alive(pid):
        return None
    uri = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    client: AsyncMongoClient = AsyncMongoClient(uri, serverSelectionTimeoutMS=1000)
    try:
        await client.admin.command("ping")
        return uri
    except PyMongoError:
        return None
    finally:
        await client.close()


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
