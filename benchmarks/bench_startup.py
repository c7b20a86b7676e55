"""How long `debrief --help` takes to start, against Python importing SQLAlchemy's ORM.

Each command runs in a fresh process, timed as `/usr/bin/time -f %e` would time it
(wall clock, plus the CPU time the process used). The baseline, run alternately in the
same loop, is the least any `debrief` command must load (`import sqlalchemy.orm`), so
the ratio stays meaningful on a busy shared machine where wall-clock figures swing.
Target: under 1 s wall clock on an idle machine.

    .venv/bin/python -m benchmarks.bench_startup
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.bench_analysis_common import write_section

ROOT = Path(__file__).resolve().parent.parent
DEBRIEF = [str(Path(sys.executable).with_name("debrief")), "--help"]
BASELINE = [sys.executable, "-c", "import sqlalchemy.orm"]
RUNS = 7


def run_once(command: list[str]) -> tuple[float, float]:
    """Run a command; return (wall seconds, CPU seconds it used)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT, env=_env())
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _env() -> dict[str, str]:
    # A fixed secret so no key file is written; the default SQLite database is not opened.
    return {**os.environ, "SECRET_KEY": "bench-startup"}


def usr_bin_time() -> str:
    """Return what `/usr/bin/time -f %e .venv/bin/debrief --help` prints, as the issue asks."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%e", *DEBRIEF],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=_env(),
    )
    return done.stderr.strip().splitlines()[-1]


def main() -> None:
    """Time both commands alternately and update RESULTS.md."""
    results: dict[str, list[tuple[float, float]]] = {"debrief": [], "baseline": []}
    run_once(DEBRIEF)  # warm the file cache
    for _ in range(RUNS):
        results["debrief"].append(run_once(DEBRIEF))
        results["baseline"].append(run_once(BASELINE))
    timed = usr_bin_time()
    load = os.getloadavg()[0]
    rows = []
    for name, label in (
        ("baseline", "`python -c 'import sqlalchemy.orm'`"),
        ("debrief", "`debrief --help`"),
    ):
        walls = [wall for wall, _ in results[name]]
        cpus = [cpu for _, cpu in results[name]]
        rows.append((label, statistics.median(walls), min(walls), statistics.median(cpus)))
    base_wall, base_cpu = rows[0][1], rows[0][3]
    body = [
        "## Start-up time",
        "",
        f"{RUNS} runs each, alternating; load average {load:.1f} on this shared machine.",
        "",
        "| command | median wall s | best wall s | median CPU s | ratio to baseline (wall) |",
        "|---|---|---|---|---|",
    ]
    for label, median_wall, best_wall, median_cpu in rows:
        ratio = median_wall / base_wall
        body.append(
            f"| {label} | {median_wall:.2f} | {best_wall:.2f} | {median_cpu:.2f} | {ratio:.2f} |"
        )
    body += [
        "",
        f"`/usr/bin/time -f %e .venv/bin/debrief --help`: {timed} s.",
        "",
        "scikit-learn, SciPy, NumPy, openpyxl, slack-bolt, Huey (with Redis and psycopg) and",
        "Flask-Migrate (with Alembic) are imported when first used, not at start-up.",
        f"CPU ratio to baseline: {rows[1][3] / base_cpu:.2f}.",
    ]
    write_section("startup", "\n".join(body), ".venv/bin/python -m benchmarks.bench_startup")
    print("\n".join(body))


if __name__ == "__main__":
    main()
