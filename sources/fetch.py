"""Reading a feed location: a local file or an http(s) URL, with the same limits for both.

Every failure becomes a `FetchError` whose message names the location and the cause in one line (HTTP
status, DNS, TLS, timeout, size), because an operator reads it in the ingest summary, not in a traceback.
With a cache folder, HTTP pages are fetched conditionally (`If-None-Match` / `If-Modified-Since`): a page
the server reports unchanged (304) is read from the cache instead of being downloaded again.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import httpx

MAX_BYTES = 50 * 1024 * 1024
RETRY_STATUSES = frozenset({500, 502, 503, 504})


class FetchError(RuntimeError):
    """A location could not be read; the message is meant for the operator."""


@dataclass(frozen=True)
class FetchPolicy:
    timeout_s: float = 30.0
    max_bytes: int = MAX_BYTES
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

    async def read(self, uri: str, accept: str = "*/*") -> bytes:
        parsed = urlparse(uri)
        if parsed.scheme == "file":
            return self._read_file(Path(unquote(parsed.path)), uri)
        if parsed.scheme not in {"http", "https"}:
            raise FetchError(f"{uri}: only files and http(s) URLs can be read")
        return await self._read_http(uri, accept)

    def _read_file(self, path: Path, uri: str) -> bytes:
        try:
            size = path.stat().st_size
            if size > self.policy.max_bytes:
                raise FetchError(f"{path}: file is {size} bytes, more than the limit of {self.policy.max_bytes}")
            return path.read_bytes()
        except FileNotFoundError:
            raise FetchError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise FetchError(f"{path}: is a folder, not a feed file") from None
        except PermissionError:
            raise FetchError(f"{path}: permission denied") from None

    async def _read_http(self, url: str, accept: str) -> bytes:
        assert self._client is not None, "use `async with Fetcher()`"
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._get_once(url, accept)
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

    def _remember(self, url: str, accept: str, etag: str | None, last_modified: str | None, body: bytes) -> None:
        paths = self._cache_paths(url, accept)
        if paths is None or not (etag or last_modified):
            return
        with contextlib.suppress(OSError):  # the cache only saves downloads; failing to write it is harmless
            paths[0].parent.mkdir(parents=True, exist_ok=True)
            tmp = paths[1].with_suffix(".tmp")
            tmp.write_bytes(body)
            os.replace(tmp, paths[1])
            paths[0].write_text(json.dumps({"url": url, "etag": etag, "last_modified": last_modified}))

    def _cached_body(self, url: str, accept: str) -> bytes:
        paths = self._cache_paths(url, accept)
        try:
            assert paths is not None
            return paths[1].read_bytes()
        except (OSError, AssertionError):
            raise FetchError(f"{url}: server answered 304 Not Modified but the cached copy is gone") from None

    async def _get_once(self, url: str, accept: str) -> bytes:
        assert self._client is not None
        headers = {"Accept": accept, **self._validators(url, accept)}
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 and len(headers) > 1:
                    self.not_modified += 1
                    return self._cached_body(url, accept)
                if response.status_code in RETRY_STATUSES:
                    raise _Retryable(f"HTTP {response.status_code} {response.reason_phrase}")
                if response.status_code >= 400:
                    raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
                declared = int(response.headers.get("Content-Length") or 0)
                if declared > self.policy.max_bytes:
                    raise FetchError(f"{url}: response of {declared} bytes exceeds the limit "
                                     f"of {self.policy.max_bytes}")
                chunks: list[bytes] = []
                total = 0
                async for chunk in response.aiter_bytes():
                    total += len(chunk)
                    if total > self.policy.max_bytes:
                        raise FetchError(f"{url}: response exceeds the limit of {self.policy.max_bytes} bytes")
                    chunks.append(chunk)
                body = b"".join(chunks)
                self.downloads += 1
                self._remember(url, accept, response.headers.get("ETag"), response.headers.get("Last-Modified"),
                               body)
                return body
        except httpx.ConnectError as exc:
            raise _describe_connect_error(url, exc) from None
        except httpx.TimeoutException:
            raise _Retryable(f"timed out after {self.policy.timeout_s:.0f} s") from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retryable(f"connection broke off ({type(exc).__name__})") from None


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
