"""`debrief` starts without its heavy libraries: they load when first needed.

Timing belongs in `benchmarks/bench_startup.py`; this test checks the cause instead, in a
fresh interpreter: building the app and listing its commands (what `debrief --help`
does) must not import scikit-learn, SciPy, NumPy, openpyxl, slack-bolt, Huey or Alembic.
"""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("sklearn", "scipy", "numpy", "openpyxl", "slack_bolt", "huey", "alembic", "textblob")

PROGRAM = """
import json, sys
from click.testing import CliRunner
from app.cli import main
result = CliRunner().invoke(main, ["--help"], env={"SECRET_KEY": "startup-test"})
assert result.exit_code == 0, result.output
assert "demo" in result.output and "db" in result.output, result.output
print(json.dumps(sorted(name for name in sys.modules if "." not in name)))
"""


def test_debrief_help_loads_no_heavy_library(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,  # no instance folder or .env of the checkout is read
        timeout=120,
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))

    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    assert "flask" in loaded  # the check itself sees what was imported
