"""The `kommunalcampus` command as a user runs it: real processes, real signals, the embedded database."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

BIN = Path(sys.executable).with_name("kommunalcampus")


def hub_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MONGODB_URI"}
    env.update({"KC_DATA_DIR": str(data_dir), "KC_DB_NAME": "kc_cli_test", **extra})
    return env


def gone(pid: int) -> bool:
    """Exited, or a zombie waiting for a reaper (the process no longer runs)."""
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "State:\tZ" in state


def wait_until(check, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def start_hub(data_dir: Path, *args: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([str(BIN), "serve", "--port", str(port), *args], env=hub_env(data_dir),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def ready() -> bool:
        if proc.poll() is not None:
            raise AssertionError(f"hub exited early: {proc.stdout.read().decode() if proc.stdout else ''}")
        try:
            return httpx.get(f"{url}/health/ready", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    assert wait_until(ready, 90), "hub did not become ready"
    return proc, url


def db_pid(data_dir: Path) -> int:
    return int((data_dir / "secantusd.pid").read_text().split()[0])


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_leaves_no_database_process(tmp_path: Path, sig: signal.Signals) -> None:
    proc, url = start_hub(tmp_path)
    pid = db_pid(tmp_path)
    assert not gone(pid)
    body = httpx.post(f"{url}/graphql", json={"query": "{ providers { id } }"}, timeout=10).json()
    assert body == {"data": {"providers": []}}

    proc.send_signal(sig)
    assert proc.wait(30) == 0
    assert wait_until(lambda: gone(pid), 15), f"database process {pid} outlived the hub"
    assert not (tmp_path / "secantusd.pid").exists()


def test_a_crashed_hub_takes_its_database_along_and_the_next_start_works(tmp_path: Path) -> None:
    proc, _ = start_hub(tmp_path)
    pid = db_pid(tmp_path)
    proc.kill()  # SIGKILL: no cleanup code runs in the hub
    proc.wait(10)
    assert wait_until(lambda: gone(pid), 15), "orphaned database process after the hub was killed"

    again, url = start_hub(tmp_path)  # no stale lock
    try:
        assert httpx.get(f"{url}/health/ready", timeout=5).json()["status"] == "ready"
    finally:
        again.terminate()
        again.wait(30)


def test_serve_demo_serves_the_demo_catalogue(tmp_path: Path) -> None:
    proc, url = start_hub(tmp_path, "--demo")
    try:
        body = httpx.post(f"{url}/graphql", json={"query": "{ offers(first: 1) { totalCount } providers { id } }"},
                          timeout=10).json()
        assert body["data"]["offers"]["totalCount"] >= 30
        assert "egov-campus" in [p["id"] for p in body["data"]["providers"]]
    finally:
        proc.terminate()
        out = proc.communicate(timeout=30)[0].decode()
    assert "Ingest summary" in out


def test_unreachable_database_is_one_clear_line(tmp_path: Path) -> None:
    result = subprocess.run([str(BIN), "ingest", "--demo"], capture_output=True, text=True, timeout=60,
                            env=hub_env(tmp_path, MONGODB_URI="mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500"))
    assert result.returncode == 3
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: database: cannot reach MongoDB at mongodb://127.0.0.1:1")
    assert "Traceback" not in result.stderr


def test_data_folder_that_cannot_be_created_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = subprocess.run([str(BIN), "ingest", "--demo"], capture_output=True, text=True, timeout=60,
                            env=hub_env(blocker))
    assert result.returncode == 3
    assert "cannot create data folder" in result.stderr and str(blocker) in result.stderr
    assert "Traceback" not in result.stderr


def test_ingest_from_file_prints_summary_and_exit_status(tmp_path: Path) -> None:
    from tests.feeds import course, write_feed

    feed = write_feed(tmp_path / "feed", [[course("a"), course("b", workload=None)]])
    ok = subprocess.run([str(BIN), "ingest", "moochub", str(feed), "--provider", "partner"],
                        capture_output=True, text=True, timeout=120, env=hub_env(tmp_path / "data"))
    assert ok.returncode == 0, ok.stderr
    assert "Ingest summary" in ok.stdout and "partner" in ok.stdout
    assert "quarantined" in ok.stderr and "workload" in ok.stderr

    missing = subprocess.run([str(BIN), "ingest", "moochub", str(tmp_path / "nope.json"), "--provider", "partner"],
                             capture_output=True, text=True, timeout=120, env=hub_env(tmp_path / "data"))
    assert missing.returncode == 1
    assert "no such file" in missing.stderr


def test_usage_errors_exit_2() -> None:
    assert subprocess.run([str(BIN), "ingest", "moochub", "x.json"], capture_output=True).returncode == 2
    unknown = subprocess.run([str(BIN), "ingest", "nosuch", "x.json", "--provider", "p"], capture_output=True,
                             text=True)
    assert unknown.returncode == 2 and "unknown adapter 'nosuch'" in unknown.stderr
    for command in ("serve", "ingest", "sources", "schema"):
        helped = subprocess.run([str(BIN), command, "--help"], capture_output=True, text=True)
        assert helped.returncode == 0 and "usage: kommunalcampus" in helped.stdout
