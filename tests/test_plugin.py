"""A partner's adapter as an installed package: the hub finds it through the `kommunalcampus.sources` entry
point, lists it, and ingests with it by name, with no change to the hub (real pip, real CLI, real database)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pymongo import AsyncMongoClient

PKG = Path(__file__).parent / "plugin_pkg"
BIN = Path(sys.executable).with_name("kommunalcampus")
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]


@pytest.fixture(scope="module")
def partner_package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Install the example partner package into this venv (offline, no build isolation), and remove it after.
    It is built from a copy, so the build leaves nothing behind in the source tree."""
    source = tmp_path_factory.mktemp("plugin") / "plugin_pkg"
    shutil.copytree(PKG, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    installed = subprocess.run([*PIP, "install", "--no-deps", "--no-build-isolation", "--no-index", str(source)],
                               capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stderr
    try:
        yield
    finally:
        subprocess.run([*PIP, "uninstall", "-y", "kc-partner-example"], capture_output=True, timeout=120)


def test_installed_plugin_is_listed_by_kommunalcampus_sources(partner_package: None) -> None:
    result = subprocess.run([str(BIN), "sources"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    line = next((ln for ln in result.stdout.splitlines() if "partner-json" in ln), None)
    assert line is not None, result.stdout
    assert "Example partner: courses as a plain JSON list" in line
    assert "cannot be loaded" not in result.stderr


async def test_ingest_through_the_plugin_by_name(partner_package: None, mongo_uri: str,
                                                 mongo_client: AsyncMongoClient, tmp_path: Path) -> None:
    feed = tmp_path / "partner.json"
    feed.write_text(json.dumps([
        {"id": "k1", "title": "Datenschutz kompakt", "hours": 8, "price": 250, "format": "PRESENCE",
         "city": "Kassel", "competences": ["digcomp:4.2/3"], "runs": [["2027-03-01", "2027-03-02"]]},
        {"id": "k2", "title": "E-Akte im Selbststudium", "hours": 4, "competences": ["kc:e-files/2"]},
        {"id": "k3", "title": "Blockchain", "hours": 4, "competences": ["kc:blockchain/3"]},
    ]), encoding="utf-8")
    db_name = f"kc_plugin_{uuid.uuid4().hex[:10]}"
    env = {**os.environ, "MONGODB_URI": mongo_uri, "KC_DB_NAME": db_name, "KC_DATA_DIR": str(tmp_path / "data")}

    result = await asyncio.to_thread(
        subprocess.run, [str(BIN), "ingest", "partner-json", str(feed), "--provider", "partner"],
        capture_output=True, text=True, timeout=120, env=env)

    try:
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Ingest summary" in result.stdout
        db = mongo_client[db_name]
        stored = {doc["_id"]: doc async for doc in db["offers"].find({})}
        assert set(stored) == {"partner:k1", "partner:k2"}
        assert stored["partner:k1"]["source"]["adapter"] == "partner-json"
        assert stored["partner:k1"]["priceEur"] == 250.0
        assert stored["partner:k1"]["competences"] == [{"competence": "digcomp:4.2", "level": 3}]
        assert stored["partner:k2"]["selfPaced"] is True
        quarantine = [doc async for doc in db["quarantine"].find({})]
        assert [(q["externalId"], q["reasons"]) for q in quarantine] == [
            ("k3", ["competences.0.competence: unknown competence 'kc:blockchain'"])]
    finally:
        await mongo_client.drop_database(db_name)
