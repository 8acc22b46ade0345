"""The committed schema.graphql is the API contract reviewers read: it must match the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from schema import sdl

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == sdl(), (
        "schema.graphql is out of date: run `kommunalcampus schema > schema.graphql` and review the diff")


def test_schema_command_prints_the_sdl() -> None:
    result = subprocess.run([str(Path(sys.executable).with_name("kommunalcampus")), "schema"],
                            capture_output=True, text=True, check=True)
    assert result.stdout == sdl()
