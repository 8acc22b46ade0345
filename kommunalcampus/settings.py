"""Settings from the environment, read once at start.

Every knob has a safe default so that `make run` works on a bare machine; production sets `MONGODB_URI`
and leaves the embedded database alone.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class SettingsError(ValueError):
    """A setting has a value the hub cannot use; the message names the variable."""


def _float(env: Mapping[str, str], name: str, default: float, minimum: float = 0.0) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be 1/0, true/false, yes/no or on/off, got {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {raw!r}")
    return value


@dataclass(frozen=True)
class Settings:
    mongodb_uri: str | None
    db_name: str
    data_dir: Path
    snapshot_poll_s: float
    introspection: bool
    db_start_timeout_s: float
    field_suggestions: bool = True
    max_depth: int = 10
    max_aliases: int = 20
    max_tokens: int = 3000
    max_cost: int = 5000
    max_body_bytes: int = 65_536
    persisted_only: bool = False
    persisted_queries: Path | None = None
    match_workers: int = 2

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        db_name = env.get("KC_DB_NAME") or "kommunalcampus"
        if any(ch in db_name for ch in '/\\. "$') or len(db_name) > 63:
            raise SettingsError(f"KC_DB_NAME {db_name!r} is not a valid MongoDB database name")
        return cls(
            mongodb_uri=env.get("MONGODB_URI") or None,
            db_name=db_name,
            data_dir=Path(env.get("KC_DATA_DIR") or ".kc-data"),
            snapshot_poll_s=_float(env, "KC_SNAPSHOT_POLL_S", 2.0, minimum=0.1),
            introspection=_flag(env, "KC_INTROSPECTION", True),
            db_start_timeout_s=_float(env, "KC_DB_START_TIMEOUT_S", 30.0, minimum=1.0),
            field_suggestions=_flag(env, "KC_FIELD_SUGGESTIONS", True),
            max_depth=_int(env, "KC_MAX_DEPTH", 10),
            max_aliases=_int(env, "KC_MAX_ALIASES", 20, minimum=0),
            max_tokens=_int(env, "KC_MAX_TOKENS", 3000),
            max_cost=_int(env, "KC_MAX_COST", 5000),
            max_body_bytes=_int(env, "KC_MAX_BODY_BYTES", 65_536, minimum=1024),
            persisted_only=_flag(env, "KC_PERSISTED_ONLY", False),
            persisted_queries=Path(env["KC_PERSISTED_QUERIES"]) if env.get("KC_PERSISTED_QUERIES") else None,
            match_workers=_int(env, "KC_MATCH_WORKERS", 2),
        )
