from __future__ import annotations

from pathlib import Path

import pytest

from kommunalcampus.settings import Settings, SettingsError


def test_defaults_start_the_embedded_database_in_kc_data() -> None:
    settings = Settings.from_env({})
    assert settings.mongodb_uri is None
    assert settings.db_name == "kommunalcampus"
    assert settings.data_dir == Path(".kc-data")
    assert settings.snapshot_poll_s == 2.0
    assert settings.match_workers == 2


def test_environment_overrides() -> None:
    settings = Settings.from_env({"MONGODB_URI": "mongodb://db:27017", "KC_DB_NAME": "kc_prod",
                                  "KC_DATA_DIR": "/var/lib/kc", "KC_SNAPSHOT_POLL_S": "0.5"})
    assert (settings.mongodb_uri, settings.db_name, settings.data_dir, settings.snapshot_poll_s) == (
        "mongodb://db:27017", "kc_prod", Path("/var/lib/kc"), 0.5)


@pytest.mark.parametrize(("env", "message"), [
    ({"KC_DB_NAME": "a/b"}, "KC_DB_NAME"),
    ({"KC_SNAPSHOT_POLL_S": "soon"}, "KC_SNAPSHOT_POLL_S must be a number"),
    ({"KC_SNAPSHOT_POLL_S": "0"}, "at least"),
    ({"KC_INTROSPECTION": "maybe"}, "KC_INTROSPECTION"),
    ({"KC_MATCH_WORKERS": "0"}, "KC_MATCH_WORKERS must be at least 1"),
])
def test_bad_values_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)
