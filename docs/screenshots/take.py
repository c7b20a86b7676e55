"""Refresh the README's screenshots: `.venv/bin/python docs/screenshots/take.py`.

Runs the browser tests that take screenshots, telling them to write into this
folder instead of a temporary one (DEBRIEF_SCREENSHOTS=1). Needs `make assets`
and Debian's chromium. Extra arguments go to pytest, e.g. `-k check_your_answers`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def main(arguments: list[str]) -> int:
    command = [sys.executable, "-m", "pytest", "-q", "-m", "browser", "-k", "screenshot"]
    environment = {**os.environ, "DEBRIEF_SCREENSHOTS": "1"}
    return subprocess.call([*command, *arguments], cwd=ROOT, env=environment)  # noqa: S603


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
