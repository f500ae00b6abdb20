"""The benchmark cannot rot: a smoke run at 3 satkers x 2 years (no time is asserted)."""
import os
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_benchmark_smoke_run_prints_its_table():
    done = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "run.py"), "--smoke"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for line in ("3 satkers x 2 years", "time: charts", "peak memory", "search index", "Rebuild after changing one value",
                 "pages rendered / charts rendered", "Rebuild with nothing changed", "plain MkDocs"):
        assert line in done.stdout, line
    no_change = done.stdout.split("Rebuild with nothing changed:")[1]
    assert "0 / 0" in no_change  # nothing rendered when nothing changed
