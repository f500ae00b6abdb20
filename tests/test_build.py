"""Reproducible and atomic builds."""
import hashlib
import os
import shutil
import subprocess
import sys

import yaml

from conftest import ROOT


def tree_digest(folder) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def portal(*args):
    exe = os.path.join(os.path.dirname(sys.executable), "portal")
    return subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True, timeout=1200)


def test_two_builds_of_one_commit_are_byte_identical(built, tmp_path):
    done = portal("build", "--quiet", "--build-dir", str(tmp_path / "build"), "--site-dir", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    first, second = tree_digest(built / "site"), tree_digest(tmp_path / "site")
    assert len(first) > 500
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_failed_build_leaves_the_previous_site_untouched(built, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    before = tree_digest(site)
    # 1. bad data: stops at validation
    shutil.copytree(os.path.join(ROOT, "datapackages"), tmp_path / "data")
    shutil.copytree(os.path.join(ROOT, "laporan"), tmp_path / "laporan")  # the report texts, beside the data
    path = tmp_path / "data" / "2025" / "pnbp.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("16187056000", "16.187.056.000", 1), encoding="utf-8")
    done = portal("build", "--quiet", "--data", str(tmp_path / "data"), "--build-dir", str(tmp_path / "build"),
                  "--site-dir", str(site))
    assert done.returncode == 1 and "pnbp.csv" in done.stdout
    assert tree_digest(site) == before
    # 2. MkDocs fails in strict mode part-way (a navigation entry to a missing page)
    config = yaml.safe_load(open(os.path.join(ROOT, "mkdocs.yml"), encoding="utf-8"))
    config["nav"].append({"Hilang": "tidak-ada.md"})
    config["theme"]["custom_dir"] = os.path.join(ROOT, "theme")
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    done = portal("build", "--quiet", "--config", str(tmp_path / "mkdocs.yml"), "--build-dir", str(tmp_path / "build"),
                  "--site-dir", str(site))
    assert done.returncode != 0 and "mkdocs gagal membangun situs" in done.stderr
    assert tree_digest(site) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")]  # no half-built folder left


def bump_first_number(path, column):
    """Add one to `column` in the first row of a CSV (a communications officer's edit)."""
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[0][column] = str(int(rows[0][column]) + 1)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def replace_once(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rendered_pages(stderr: str) -> int:
    import re
    return int(re.search(r"\((\d+) (?:rendered|ditulis ulang)", stderr).group(1))  # English or Indonesian


def test_incremental_rebuild_equals_a_clean_build(tmp_path):
    """Edits then rebuilds from caches give byte for byte the site a clean build gives:
    every cached output is keyed by all of its inputs."""
    data = tmp_path / "data"
    shutil.copytree(os.path.join(ROOT, "datapackages"), data)
    shutil.copytree(os.path.join(ROOT, "laporan"), tmp_path / "laporan")  # the report texts, beside the data
    args = ("build", "--quiet", "--data", str(data))
    done = portal(*args, "--build-dir", str(tmp_path / "build"), "--site-dir", str(tmp_path / "site"))
    assert done.returncode == 0, done.stderr
    edits = [lambda: bump_first_number(data / "2025" / "anggaran_kegiatan.csv", "realisasi_rp"),
             lambda: replace_once(data / "2025" / "survei_indeks.csv", ",3.79,", ",3.81,"),  # in a series
             lambda: replace_once(data / "referensi" / "satker.csv", "Atambua", "Atambua Baru"),
             # an earlier year's achievement: its indicator page, and the next year's year-on-year changes
             lambda: replace_once(data / "2021" / "capaian_kinerja.csv", '"3,11",3.11,"3,11"', '"3,11",3.15,"3,11"')]
    for number, edit in enumerate(edits):
        edit()
        again = portal(*args, "--build-dir", str(tmp_path / "build"), "--site-dir", str(tmp_path / "site"))
        assert again.returncode == 0, again.stderr
        clean = tmp_path / f"clean-{number}"
        fresh = portal(*args, "--build-dir", str(clean / "build"), "--site-dir", str(clean / "site"))
        assert fresh.returncode == 0, fresh.stderr
        incremental, reference = tree_digest(tmp_path / "site"), tree_digest(clean / "site")
        assert incremental.keys() == reference.keys()
        assert [name for name in reference if incremental[name] != reference[name]] == []
        if number == 0:  # one figure changed: only the pages that show it are rendered again
            assert 0 < rendered_pages(again.stderr) < rendered_pages(fresh.stderr) / 4
