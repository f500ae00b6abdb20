import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")


@pytest.fixture
def run_portal():
    """Run the installed `portal` command; return (exit code, stdout, stderr)."""

    def run(*args, cwd=ROOT):
        exe = os.path.join(os.path.dirname(sys.executable), "portal")
        done = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, timeout=600)
        return done.returncode, done.stdout, done.stderr

    return run


@pytest.fixture
def valid_copy(tmp_path):
    """A writable copy of the smallest valid data, as tmp_path/datapackages."""
    shutil.copytree(os.path.join(FIXTURES, "valid", "datapackages"), tmp_path / "datapackages")
    return tmp_path
