"""Caches cannot go stale when the code changes: every cached output (validation, computed
tables, page models, pages, charts, downloads) is keyed by the code and templates that
make it, so after an edit to a formatting function and to a template, an incremental
build gives byte for byte the site a clean build gives. The same check with the code left
out of the keys on purpose finds stale files: it can fail."""
import hashlib
import os
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT

EDITS = [  # (file, old, new): a formatting function (CSV cells starting with '-' no longer
    # neutralised) and a template (the download line of every table)
    ("generator/fmt.py", 'FORMULA_START = ("=", "+", "-", "@", "\\t", "\\r")', 'FORMULA_START = ("=", "+", "@", "\\t", "\\r")'),
    ("generator/pages/templates/_macros.md.j2", "Unduh tabel ini:", "Unduh tabel:"),
]
BROKEN_READ = ("generator/pages/sitedata.py", "        if self.trace is not None:\n            self.trace[read] = year",
               "        pass  # no read noted")
DATA_EDIT = ("datapackages/2025/anggaran_kegiatan.csv", ",305272097,79.49,\"Tabel 16", ",305272098,79.49,\"Tabel 16")  # one realisation, +1 rupiah
BROKEN_KEY = ("generator/digests.py", 'GENERATOR_CODE = folder_digest(GENERATOR, (".py", ".yaml", ".j2"))',
              'GENERATOR_CODE = "tetap"')


def copy_of_the_code(target) -> None:
    """The repository's tracked files (code, data, definitions, site sources) in `target`."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in files.decode().split("\0"):
        if name and os.path.isfile(os.path.join(ROOT, name)) and not name.startswith("tests/"):
            os.makedirs(os.path.dirname(os.path.join(target, name)) or target, exist_ok=True)
            shutil.copy2(os.path.join(ROOT, name), os.path.join(target, name))


def edit(folder, change) -> None:
    path, old, new = change
    text = (folder / path).read_text(encoding="utf-8")
    assert old in text, (path, old)
    (folder / path).write_text(text.replace(old, new, 1), encoding="utf-8")


def build(folder, name: str) -> dict[str, str]:
    """`portal build` of the copy with its own code (python -m, from the copy's folder)."""
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--quiet", "--build-dir",
                           f"build-{name}", "--site-dir", f"site-{name}"], cwd=folder, capture_output=True, text=True,
                          timeout=1200, env=dict(os.environ, PYTHONPATH=str(folder)))
    assert done.returncode == 0, done.stdout + done.stderr
    site = folder / f"site-{name}"
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def stale(incremental: dict, clean: dict) -> list[str]:
    """Files that differ, are missing or are left over."""
    return sorted(name for name in incremental.keys() | clean.keys() if incremental.get(name) != clean.get(name))


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    base = tmp_path_factory.mktemp("kode")
    good, broken, unnoted = base / "kunci-benar", base / "kunci-rusak", base / "bacaan-rusak"
    copy_of_the_code(good)
    shutil.copytree(good, broken)
    edit(broken, BROKEN_KEY)
    shutil.copytree(good, unnoted)
    edit(unnoted, BROKEN_READ)
    return good, broken, unnoted


def test_an_incremental_build_after_a_code_and_template_edit_equals_a_clean_build(copies):
    good, _, _ = copies
    before = build(good, "inkremental")
    for change in EDITS:
        edit(good, change)
    incremental, clean = build(good, "inkremental"), build(good, "bersih")
    assert stale(incremental, clean) == []
    assert [name for name in clean if before.get(name) != clean[name]]  # the edits did change the site


def test_the_same_check_finds_stale_files_when_the_code_is_left_out_of_the_keys(copies):
    _, broken, _ = copies
    build(broken, "inkremental")
    for change in EDITS:
        edit(broken, change)
    incremental, clean = build(broken, "inkremental"), build(broken, "bersih")
    assert len(stale(incremental, clean)) > 10


def test_reads_left_unnoted_leave_stale_pages_after_a_data_edit(copies):
    _, _, unnoted = copies
    build(unnoted, "inkremental")
    edit(unnoted, DATA_EDIT)
    incremental, clean = build(unnoted, "inkremental"), build(unnoted, "bersih")
    found = stale(incremental, clean)
    assert any(name.startswith("satker/") for name in found), found
