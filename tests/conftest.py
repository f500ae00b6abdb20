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
    """A writable copy of the smallest valid data, as tmp_path/datapackages (and the text
    of its report, tmp_path/laporan)."""
    for folder in ("datapackages", "laporan"):
        shutil.copytree(os.path.join(FIXTURES, "valid", folder), tmp_path / folder)
    return tmp_path


def git(repo, *args, env=None):
    """Run git in `repo` (as the test user Uji); return its output."""
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Uji", "-c", "user.email=uji@example.invalid",
                           "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})))
    return done.stdout


@pytest.fixture
def repo(tmp_path):
    """tmp_path holds a git repository whose one commit is the real datapackages/."""
    shutil.copytree(os.path.join(ROOT, "datapackages"), tmp_path / "datapackages")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "data")
    return tmp_path


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """One real `portal build` into a temporary build folder and site, shared by the tests."""
    base = tmp_path_factory.mktemp("build")
    exe = os.path.join(os.path.dirname(sys.executable), "portal")
    done = subprocess.run([exe, "build", "--quiet", "--build-dir", str(base / "build"), "--site-dir", str(base / "site")],
                          cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    return base


@pytest.fixture(scope="session")
def real_data():
    """The real packages, validated, and the real definitions: (packages, definitions)."""
    from generator.compute import load_all_definitions
    from generator.validate import validate

    packages, problems = validate(os.path.join(ROOT, "datapackages"))
    assert not problems
    definitions, problems = load_all_definitions(os.path.join(ROOT, "definitions"), packages)
    assert not problems, problems
    return packages, definitions


@pytest.fixture(scope="session")
def real_results(real_data):
    """The engine's tables on the real data, by the code path `portal compute` runs."""
    from generator.engine import compute

    return compute(*real_data)
