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


@dataclass(frozen=True)
class Settings:
    mongodb_uri: str | None
    db_name: str
    data_dir: Path
    snapshot_poll_s: float
    introspection: bool
    db_start_timeout_s: float

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
        )
