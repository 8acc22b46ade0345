"""What every benchmark needs: the machine description, child processes, CPU pinning, memory, the results file.

Measurements run in child processes so that each one starts from a clean heap (peak RSS means something,
a 1M-offer catalogue does not linger into the next size) and can be pinned to one core of the two the
machine shares. Results go into `benchmarks/RESULTS_api.md`, one marked section per benchmark, so that the
benchmarks can be rerun in any order without clobbering each other's numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS_api.md"
RESULT_MARKER = "BENCH-RESULT "
SECTION_ORDER = ("search", "api", "validation")
SINGLE_THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def single_threaded_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a child: numpy must not start BLAS threads that would steal the other core."""
    env = {**os.environ, **SINGLE_THREAD_ENV, "PYTHONHASHSEED": "0"}
    env.update(extra or {})
    return env


def pin_to_cpu(cpu: int | None) -> int | None:
    """Pin this process to one CPU (when the OS allows it); returns the CPU actually used, or None."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        return None
    available = sorted(os.sched_getaffinity(0))
    chosen = cpu if cpu in available else available[cpu % len(available)]
    os.sched_setaffinity(0, {chosen})
    return chosen


def baseline_package(rev: str) -> str:
    """`matcher/` as of git revision `rev`, importable beside the working tree's under the returned package name
    (its absolute imports renamed), so that an A/B benchmark runs both in one process on the same queries."""
    package = "_kc_baseline_matcher"
    if package in sys.modules:
        raise RuntimeError("one baseline per process: its modules are already imported")
    folder = Path(tempfile.mkdtemp(prefix="kc-baseline-")) / package
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    listing = subprocess.run(["git", "ls-tree", "--name-only", rev, "matcher/"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
    for path in listing:
        if path.endswith(".py"):
            source = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True,
                                    text=True).stdout
            source = source.replace("from matcher.", f"from {package}.")
            source = source.replace("import matcher.", f"import {package}.")
            source = source.replace("from matcher import ", f"from {package} import ")
            if re.search(r"^\s*(from matcher\b|import matcher\b)", source, flags=re.MULTILINE):
                # left as is, it would import the working tree's matcher: the A/B would compare it with itself
                raise RuntimeError(f"{rev}:{path} imports matcher in a form the baseline loader does not rename")
            (folder / Path(path).name).write_text(source)
    sys.path.insert(0, str(folder.parent))
    return package


def peak_rss_mib(pid: int | str = "self") -> float:
    """Peak resident memory of a process (this one by default) since start or since `reset_peak_rss()`: VmHWM.
    Not `ru_maxrss`, which Linux carries over fork and exec, so that a child would report its parent's peak (say,
    of the parent that wrote a 100k-offer feed) if that was higher. Without /proc: `ru_maxrss` for this process
    (the best there is), NaN for another."""
    try:
        match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        match = None
    if match:
        return int(match.group(1)) / 1024
    if pid == "self":
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return float("nan")


def reset_peak_rss() -> bool:
    """Start a new peak (Linux: writing 5 to clear_refs resets VmHWM), so that a phase's own peak can be read
    after a phase that allocated more; False where the OS does not allow it (the peak then spans the process)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def load_average() -> float:
    """The 1-minute load average: on a shared two-core machine, the first thing to check when numbers move."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def current_rss_mib(pid: int | None = None) -> float:
    """Resident memory now, from /proc (0 when unavailable)."""
    try:
        pages = int(Path(f"/proc/{pid or 'self'}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def cpu_seconds(pid: int) -> float:
    """User + system CPU time consumed so far by a process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def emit_result(payload: dict[str, Any]) -> None:
    """A child's answer to its parent: one marked JSON line on stdout (everything else there is ignored)."""
    print(RESULT_MARKER + json.dumps(payload, default=str), flush=True)


def run_child(module: str, args: Sequence[str], timeout_s: float = 900.0, env: dict[str, str] | None = None,
              ) -> dict[str, Any]:
    """Run `python -m module args` and return the JSON it emitted; its stderr passes through for progress."""
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env or single_threaded_env(),
                          stdout=subprocess.PIPE, text=True, timeout=timeout_s, check=False)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith(RESULT_MARKER)]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{module} {' '.join(args)} failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}")
    return dict(json.loads(lines[-1][len(RESULT_MARKER):]))


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: every reported latency was actually observed)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float:
    try:
        match = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    except OSError:
        return float("nan")
    return int(match.group(1)) / 2**20 if match else float("nan")


def _git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{rev}{' + uncommitted changes' if dirty else ''}"


def machine_lines() -> list[str]:
    """The facts a reader needs to compare numbers across machines, as markdown bullet lines."""
    return [
        f"- Date: {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: nproc {os.cpu_count()}, {_cpu_model()}, {_ram_gib():.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, numpy {_package('numpy')}, strawberry-graphql "
        f"{_package('strawberry-graphql')}, graphql-core {_package('graphql-core')}, pydantic {_package('pydantic')}, "
        f"pymongo {_package('pymongo')}, SecantusDB {_package('secantusdb')}, uvicorn {_package('uvicorn')}",
        f"- Code: git {_git_revision()}",
    ]


def command_line(module: str, argv: Sequence[str]) -> str:
    return " ".join([".venv/bin/python", "-m", module, *argv])


def write_section(key: str, body: str) -> Path:
    """Replace (or add, in the canonical order) the section `key` of RESULTS_api.md."""
    start, end = f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"
    block = f"{start}\n{body.rstrip()}\n{end}\n"
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else \
        "# Benchmark results: search, API, validation cache\n\n"
    sections = {k: _between(text, k) for k in SECTION_ORDER}
    sections[key] = block
    header = text.split("<!-- bench:", 1)[0].rstrip() + "\n\n"
    RESULTS.write_text(header + "\n".join(s for k in SECTION_ORDER if (s := sections.get(k))), encoding="utf-8")
    return RESULTS


def _between(text: str, key: str) -> str | None:
    start, end = f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"
    i, j = text.find(start), text.find(end)
    if i < 0 or j < 0:
        return None
    return text[i:j + len(end)] + "\n"


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A markdown table; numbers are expected pre-formatted by the caller."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def log(message: str) -> None:
    """Progress for the person running the benchmark; stderr, so it never mixes with a child's result."""
    print(f"[{dt.datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
