"""Reading a feed location: a local file or an http(s) URL, with the same limits for both.

Every failure becomes a `FetchError` whose message names the location and the cause in one line (HTTP
status, DNS, TLS, timeout, size), because an operator reads it in the ingest summary, not in a traceback.
With a cache folder, HTTP pages are fetched conditionally (`If-None-Match` / `If-Modified-Since`): a page
the server reports unchanged (304) is read from the cache instead of being downloaded again.

Two ways to read, because formats differ: `read` returns the document as bytes, for formats parsed whole
(a MOOChub JSON page, a workbook), and is bounded by `max_in_memory_bytes`; `open` hands out a binary file
(the local file itself, or the download spooled to a temporary file) for parsers that stream (XCRI-CAP XML,
the CSV seminar table), so a catalogue of 100k offers costs disk, not memory, and only `max_bytes` bounds it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypeVar
from urllib.parse import unquote, urljoin, urlparse

import httpx

MAX_BYTES = 1024 * 1024 * 1024  # a streamed document: costs disk and time, not memory
MAX_IN_MEMORY_BYTES = 50 * 1024 * 1024  # a document parsed whole: JSON parsing multiplies its size in memory
RETRY_STATUSES = frozenset({500, 502, 503, 504})
CHUNK = 1024 * 1024
_T = TypeVar("_T")


class FetchError(RuntimeError):
    """A location could not be read; the message is meant for the operator."""


@dataclass(frozen=True)
class FetchPolicy:
    timeout_s: float = 30.0
    max_bytes: int = MAX_BYTES
    max_in_memory_bytes: int = MAX_IN_MEMORY_BYTES
    retries: int = 3
    backoff_s: float = 0.5
    cache_dir: Path | None = None


def is_url(location: str) -> bool:
    return urlparse(location).scheme in {"http", "https"}


def to_uri(location: str) -> str:
    """A location as an absolute URI, so that relative `links.next` resolve the same from disk and HTTP."""
    if is_url(location) or location.startswith("file:"):
        return location
    return Path(location).resolve().as_uri()


def resolve(base_uri: str, reference: str) -> str:
    return urljoin(base_uri, reference)


class Fetcher:
    """Reads locations; one instance per ingest run so the HTTP connection pool is reused across pages."""

    def __init__(self, policy: FetchPolicy | None = None, client: httpx.AsyncClient | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._client = client
        self._owns_client = client is None
        self.downloads = 0
        self.not_modified = 0

    async def __aenter__(self) -> Fetcher:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.policy.timeout_s, follow_redirects=True,
                                             headers={"User-Agent": "KommunalCampus-Hub/0.1"})
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._owns_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    @property
    def in_memory_limit(self) -> int:
        return min(self.policy.max_bytes, self.policy.max_in_memory_bytes)

    async def read(self, uri: str, accept: str = "*/*") -> bytes:
        """The whole document as bytes, for formats that are parsed whole; bounded by `in_memory_limit`."""
        parsed = urlparse(uri)
        if parsed.scheme == "file":
            path = self._checked_file(Path(unquote(parsed.path)), self.in_memory_limit)
            return _file_call(path, path.read_bytes)
        buffer = io.BytesIO()
        await self._read_http(self._http_url(uri), accept, buffer, self.in_memory_limit)
        return buffer.getvalue()

    @contextlib.asynccontextmanager
    async def open(self, uri: str, accept: str = "*/*") -> AsyncIterator[IO[bytes]]:
        """The document as a binary file positioned at its start, for parsers that stream; bounded by
        `max_bytes`. A download goes to a temporary file that is gone when the block ends."""
        parsed = urlparse(uri)
        if parsed.scheme == "file":
            path = self._checked_file(Path(unquote(parsed.path)), self.policy.max_bytes)
            with _file_call(path, lambda: open(path, "rb")) as handle:
                yield handle
            return
        url = self._http_url(uri)
        with tempfile.TemporaryFile(prefix="kc-feed-") as spool:
            await self._read_http(url, accept, spool, self.policy.max_bytes)
            spool.seek(0)
            yield spool

    def _http_url(self, uri: str) -> str:
        if urlparse(uri).scheme not in {"http", "https"}:
            raise FetchError(f"{uri}: only files and http(s) URLs can be read")
        return uri

    def _checked_file(self, path: Path, limit: int) -> Path:
        size = _file_call(path, lambda: path.stat().st_size)
        if path.is_dir():
            raise FetchError(f"{path}: is a folder, not a feed file")
        if size > limit:
            raise FetchError(f"{path}: file is {size} bytes, more than the limit of {limit}")
        return path

    async def _read_http(self, url: str, accept: str, sink: IO[bytes], limit: int) -> None:
        assert self._client is not None, "use `async with Fetcher()`"
        attempt = 0
        while True:
            attempt += 1
            sink.seek(0)
            sink.truncate()
            try:
                await self._get_once(url, accept, sink, limit)
                return
            except _Retryable as exc:
                if attempt > self.policy.retries:
                    raise FetchError(f"{url}: {exc} (gave up after {attempt} attempts)") from None
                await asyncio.sleep(self.policy.backoff_s * 2 ** (attempt - 1))

    def _cache_paths(self, url: str, accept: str) -> tuple[Path, Path] | None:
        if self.policy.cache_dir is None:
            return None
        key = hashlib.sha256(f"{accept}\n{url}".encode()).hexdigest()
        return self.policy.cache_dir / f"{key}.json", self.policy.cache_dir / f"{key}.body"

    def _validators(self, url: str, accept: str) -> dict[str, str]:
        paths = self._cache_paths(url, accept)
        if paths is None or not paths[1].exists():
            return {}
        try:
            meta = json.loads(paths[0].read_text())
        except (OSError, ValueError):
            return {}
        headers = {}
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("last_modified"):
            headers["If-Modified-Since"] = meta["last_modified"]
        return headers

    def _remember(self, url: str, accept: str, etag: str | None, last_modified: str | None, body: IO[bytes]) -> None:
        paths = self._cache_paths(url, accept)
        if paths is None or not (etag or last_modified):
            return
        with contextlib.suppress(OSError):  # the cache only saves downloads; failing to write it is harmless
            paths[0].parent.mkdir(parents=True, exist_ok=True)
            tmp = paths[1].with_suffix(".tmp")
            body.seek(0)
            with open(tmp, "wb") as out:
                shutil.copyfileobj(body, out, CHUNK)
            os.replace(tmp, paths[1])
            paths[0].write_text(json.dumps({"url": url, "etag": etag, "last_modified": last_modified}))

    def _copy_cached_body(self, url: str, accept: str, sink: IO[bytes], limit: int) -> None:
        paths = self._cache_paths(url, accept)
        try:
            assert paths is not None
            with open(paths[1], "rb") as cached:
                if os.fstat(cached.fileno()).st_size > limit:
                    raise FetchError(f"{url}: the cached copy exceeds the limit of {limit} bytes")
                shutil.copyfileobj(cached, sink, CHUNK)
        except (OSError, AssertionError):
            raise FetchError(f"{url}: server answered 304 Not Modified but the cached copy is gone") from None

    async def _get_once(self, url: str, accept: str, sink: IO[bytes], limit: int) -> None:
        assert self._client is not None
        headers = {"Accept": accept, **self._validators(url, accept)}
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 and len(headers) > 1:
                    self.not_modified += 1
                    self._copy_cached_body(url, accept, sink, limit)
                    return
                if response.status_code in RETRY_STATUSES:
                    raise _Retryable(f"HTTP {response.status_code} {response.reason_phrase}")
                if response.status_code >= 400:
                    raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
                declared = int(response.headers.get("Content-Length") or 0)
                if declared > limit:
                    raise FetchError(f"{url}: response of {declared} bytes exceeds the limit of {limit}")
                total = 0
                async for chunk in response.aiter_bytes():
                    total += len(chunk)
                    if total > limit:
                        raise FetchError(f"{url}: response exceeds the limit of {limit} bytes")
                    sink.write(chunk)
                self.downloads += 1
                self._remember(url, accept, response.headers.get("ETag"), response.headers.get("Last-Modified"),
                               sink)
        except httpx.ConnectError as exc:
            raise _describe_connect_error(url, exc) from None
        except httpx.TimeoutException:
            raise _Retryable(f"timed out after {self.policy.timeout_s:.0f} s") from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retryable(f"connection broke off ({type(exc).__name__})") from None


def _file_call(path: Path, call: Callable[[], _T]) -> _T:
    """Run a file operation with the operator-facing messages for the usual failures."""
    try:
        return call()
    except FileNotFoundError:
        raise FetchError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise FetchError(f"{path}: is a folder, not a feed file") from None
    except PermissionError:
        raise FetchError(f"{path}: permission denied") from None


class _Retryable(Exception):
    pass


def _describe_connect_error(url: str, exc: httpx.ConnectError) -> Exception:
    text = str(exc)
    lowered = text.lower()
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return FetchError(f"{url}: TLS error: {text}")
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "name resolution" in lowered:
        return FetchError(f"{url}: DNS lookup failed for {urlparse(url).hostname}")
    return _Retryable(f"cannot connect: {text or 'connection refused'}")
