"""Automatic persisted queries (Apollo's `extensions.persistedQuery` protocol) and the safelist mode.

A client sends `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "…"}}}` without the query; the
hub answers `PERSISTED_QUERY_NOT_FOUND` until the client sends hash and query together once, after which the
hash alone suffices. With `KC_PERSISTED_ONLY=1` (production portals) only the operations of a safelist
manifest (`KC_PERSISTED_QUERIES`, Apollo's persisted-query manifest JSON) run, and nothing can be registered
through requests, so an attacker cannot send queries of their own making.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_ALLOWED = "PERSISTED_QUERY_ONLY"
BAD_HASH = "PERSISTED_QUERY_HASH_MISMATCH"


class PersistedQueryError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class PersistedQueries:
    safelist: dict[str, str]
    persisted_only: bool = False
    cache_size: int = 5000

    def __post_init__(self) -> None:
        self._cache: OrderedDict[str, str] = OrderedDict()

    @classmethod
    def from_manifest(cls, path: Path | None, persisted_only: bool) -> PersistedQueries:
        safelist: dict[str, str] = {}
        if path is not None:
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
                for op in manifest["operations"]:
                    body = op["body"]
                    if sha256(body) != op["id"]:
                        raise ValueError(f"operation {op.get('name') or op['id']}: id is not the SHA-256 of its body")
                    safelist[op["id"]] = body
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"KC_PERSISTED_QUERIES {path}: not a usable persisted-query manifest ({exc})"
                                 ) from None
        if persisted_only and not safelist:
            raise ValueError("KC_PERSISTED_ONLY=1 needs a safelist: set KC_PERSISTED_QUERIES to a manifest file")
        return cls(safelist=safelist, persisted_only=persisted_only)

    def resolve(self, query: str | None, extensions: dict[str, Any] | None) -> str | None:
        """The query text to execute, or `PersistedQueryError` telling the client what to do."""
        persisted = (extensions or {}).get("persistedQuery")
        if persisted is None:
            if self.persisted_only:
                raise PersistedQueryError(NOT_ALLOWED, "This endpoint only runs persisted (safelisted) queries.")
            return query
        if not isinstance(persisted, dict) or persisted.get("version") != 1 or \
                not isinstance(persisted.get("sha256Hash"), str):
            raise PersistedQueryError(NOT_FOUND, "persistedQuery needs version 1 and a sha256Hash string")
        digest = persisted["sha256Hash"].lower()
        if digest in self.safelist:
            return self.safelist[digest]
        if self.persisted_only:
            raise PersistedQueryError(NOT_ALLOWED, "This query is not in the safelist.")
        if query is None:
            cached = self._cache.get(digest)
            if cached is None:
                raise PersistedQueryError(NOT_FOUND, "PersistedQueryNotFound")
            self._cache.move_to_end(digest)
            return cached
        if sha256(query) != digest:
            raise PersistedQueryError(BAD_HASH, "provided sha256Hash does not match the query")
        self._cache[digest] = query
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return query


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
