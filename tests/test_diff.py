"""`portal diff` on a copy of the real data in a temporary git repository: one value
edited, one row removed, one row added, each found with its old and new value, its
satker, year, series and source, in every format and between two commits."""
import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, csv_rows, write_csv_rows
from generator.diff import as_markdown, diff, pair

IKPA = "datapackages/2025/ikpa_komponen.csv"
CROSSINGS = "datapackages/2025/perlintasan.csv"
ACHIEVEMENTS = "datapackages/2025/capaian_kinerja.csv"


def git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)




@pytest.fixture
def repo(tmp_path):
    """tmp_path holds a git repository whose one commit is the real datapackages/."""
    shutil.copytree(os.path.join(ROOT, "datapackages"), tmp_path / "datapackages")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "-c", "user.name=Uji", "-c", "user.email=uji@example.invalid", "commit", "-qm", "data")
    return tmp_path


def edit(repo):
    """The three edits; returns what the diff must report about each."""
    ikpa = csv_rows(repo / IKPA)
    header = ikpa[0]
    first = dict(zip(header, ikpa[1]))
    assert first["komponen"] == "revisi_dipa" and first["nilai"] == "100.0"
    ikpa[1][header.index("nilai")] = "99.5"
    write_csv_rows(repo / IKPA, ikpa)

    crossings = csv_rows(repo / CROSSINGS)
    removed = dict(zip(crossings[0], crossings[2]))
    del crossings[2]
    write_csv_rows(repo / CROSSINGS, crossings)

    achievements = csv_rows(repo / ACHIEVEMENTS)
    header = achievements[0]
    added = list(achievements[5])
    added[header.index("sumber_baris")] = "9999"  # part of the key: a new row
    added[header.index("realisasi")] = "88.8"
    achievements.append(added)
    write_csv_rows(repo / ACHIEVEMENTS, achievements)
    return first, removed, dict(zip(header, added)), len(achievements)


def check(result, first, removed, added, added_line):
    changed = result.of("changed")
    assert [(c.column, c.old, c.new) for c in changed] == [("nilai", "100.0", "99.5")]
    c = changed[0]
    assert (c.satker, c.year, c.resource, c.series) == ("kanwil-ditjenim-ntt", "2025", "ikpa_komponen",
                                                       "ikpa_komponen (revisi_dipa)")
    assert c.source == {"sumber_file": first["sumber_file"], "sumber_tabel": "Tabel 21",
                        "sumber_halaman": first["sumber_halaman"], "sumber_baris": first["sumber_baris"]}
    assert c.csv == f"{IKPA}:2"

    gone = result.of("removed")
    assert {(g.column, g.old) for g in gone} == {
        (k, removed[k]) for k in ("kedatangan_wni", "keberangkatan_wni", "kedatangan_oa", "keberangkatan_oa",
                                  "jumlah")}
    assert all(g.new is None and g.satker == removed["satker_id"] and g.resource == "perlintasan"
               and g.csv == f"{CROSSINGS}:3" and g.source["sumber_baris"] == removed["sumber_baris"] for g in gone)

    new = result.of("added")
    assert {(n.column, n.new) for n in new} >= {("realisasi", "88.8"), ("target", added["target"])}
    assert all(n.old is None and n.indicator == added["indikator_id"] and n.source["sumber_baris"] == "9999"
               and n.csv == f"{ACHIEVEMENTS}:{added_line}" for n in new)
    assert len(result.changes) == len(changed) + len(gone) + len(new)


def test_working_tree_against_head(repo, run_portal):
    first, removed, added, line = edit(repo)
    code, out, err = run_portal("diff", "--format", "json", cwd=repo)
    assert code == 0, err
    report = json.loads(out)
    assert report["counts"]["changed"] == 1 and report["counts"]["removed"] == 5
    check(diff(str(repo / "datapackages")), first, removed, added, line)

    code, text, _ = run_portal("diff", cwd=repo)
    assert "Diubah (1):" in text and "nilai: 100.0 → 99.5" in text
    assert "Dihapus (5):" in text and "kedatangan_wni = " + removed["kedatangan_wni"] in text
    assert "Ditambah (" in text and "realisasi = 88.8" in text
    assert "sumber: " + first["sumber_file"] + ", Tabel 21, hlm. " in text

    code, notices, _ = run_portal("diff", "--format", "github", cwd=repo)
    notices = {line.split(",")[0].split("=")[1]: line for line in notices.splitlines()}
    assert len(notices) == 3  # one per row: changed, removed, added
    assert notices[IKPA].startswith(f"::notice file={IKPA},line=2,title=Angka diubah%3A kanwil-ditjenim-ntt 2025 ")
    assert notices[IKPA].endswith(f"::nilai: 100.0 → 99.5 (sumber: {first['sumber_file']}, Tabel 21, hlm. "
                               f"{first['sumber_halaman']}, baris {first['sumber_baris']}; {IKPA}:2)")
    assert notices[CROSSINGS].startswith(f"::notice file={CROSSINGS},title=Angka dihapus%3A ")  # the line is gone
    assert notices[ACHIEVEMENTS].startswith(f"::notice file={ACHIEVEMENTS},line={line},title=Angka ditambah%3A ")

    code, markdown, _ = run_portal("diff", "--format", "markdown", cwd=repo)
    assert "## Perubahan angka terbit" in markdown
    assert "| nilai | 100\\.0 → 99\\.5 |" in markdown


def test_two_revisions(repo, run_portal):
    first, removed, added, line = edit(repo)
    git(repo, "-c", "user.name=Uji", "-c", "user.email=uji@example.invalid", "commit", "-qam", "edit")
    check(diff(str(repo / "datapackages"), "HEAD~1", "HEAD"), first, removed, added, line)
    assert diff(str(repo / "datapackages")).changes == []  # the working tree is the new commit
    backwards = diff(str(repo / "datapackages"), "HEAD", "HEAD~1")
    assert [(c.old, c.new) for c in backwards.of("changed")] == [("99.5", "100.0")]
    assert len(backwards.of("added")) == 5


def test_same_number_written_differently_is_no_change(repo):
    table = csv_rows(repo / IKPA)
    table[1][table[0].index("nilai")] = "100.00"
    write_csv_rows(repo / IKPA, table)
    assert diff(str(repo / "datapackages")).changes == []
    for invalid in ("1e2", "100_0", " 100"):  # not plain numbers: a change, as written
        table[1][table[0].index("nilai")] = invalid
        write_csv_rows(repo / IKPA, table)
        assert [(c.old, c.new) for c in diff(str(repo / "datapackages")).changes] == [("100.0", invalid)]


def test_unreadable_file_is_noted_not_fatal(repo, run_portal):
    with open(repo / IKPA, "a", encoding="utf-8") as fh:
        fh.write('kanwil-ditjenim-ntt,2025,"unclosed\n')
    (repo / CROSSINGS).unlink()
    code, out, err = run_portal("diff", cwd=repo)
    assert code == 0, err
    assert "perlintasan.csv (pohon kerja): berkas tidak ada" in out
    assert "ikpa_komponen.csv (pohon kerja): tidak dapat dibaca sebagai CSV" in out


def test_unknown_revision_and_no_repository(repo, tmp_path_factory, run_portal):
    code, out, err = run_portal("diff", "no-such-rev", cwd=repo)
    assert code == 2 and "revisi 'no-such-rev' tidak ditemukan" in err
    elsewhere = tmp_path_factory.mktemp("norepo")
    shutil.copytree(repo / "datapackages", elsewhere / "datapackages")
    code, out, err = run_portal("diff", cwd=elsewhere)
    assert code == 2 and "tidak berada di dalam repositori git" in err


def test_markdown_keeps_hostile_text_as_text(repo):
    table = csv_rows(repo / IKPA)
    table[1][table[0].index("catatan")] = "<script>alert(1)</script> | [x](javascript:alert(1)) `code`"
    write_csv_rows(repo / IKPA, table)
    result = diff(str(repo / "datapackages"))
    out = as_markdown(result)
    row = next(line for line in out.splitlines() if "catatan" in line)
    assert "<script>" not in out and "](javascript" not in out and "`code`" not in out
    assert len(re.findall(r"(?<!\\)\|", row)) == 8  # 7 cells: the payload's pipe is escaped


def test_long_text_shows_where_it_differs():
    old, new = pair("a" * 150 + " lama", "a" * 150 + " baru")
    assert old.startswith("…") and old.endswith(" lama") and new.endswith(" baru")
    assert pair("pendek", "singkat") == ("pendek", "singkat")
