import csv
import io
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")


def csv_rows(path) -> list[list[str]]:
    """A CSV file's rows (header first), as a communications officer's spreadsheet holds them."""
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_csv_rows(path, table) -> None:
    """Rows back to a CSV file in the canonical form (comma, LF, UTF-8 without BOM)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(out.getvalue())


def descriptor_of(path) -> dict:
    """A package's datapackage.yaml as the portal reads it: each shared schema it names
    (`schema: ../skema/<resource>.yaml`) read in."""
    from generator.load import read_package

    folder = os.path.dirname(os.path.abspath(path))
    package, problems = read_package(os.path.dirname(folder), os.path.basename(folder))
    assert package.descriptor is not None, problems
    return package.descriptor


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
    """git in `repo` as a test's author (with `env` added to the environment: commit dates); stdout."""
    done = subprocess.run(["git", "-C", str(repo), "-c", "user.name=Uji", "-c", "user.email=uji@example.invalid",
                           *args], check=True, capture_output=True, text=True, env=dict(os.environ, **(env or {})))
    return done.stdout


@pytest.fixture
def real_repo(tmp_path):
    """tmp_path as a git repository whose one commit holds copies of the real data, report
    texts and definitions."""
    for folder in ("datapackages", "laporan", "definitions"):
        shutil.copytree(os.path.join(ROOT, folder), tmp_path / folder)
    git(tmp_path, "init", "-q", "-b", "main")
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
