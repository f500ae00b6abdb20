"""A published figure that is now blank or gone needs a recorded reason (issue 15): in its
row's `catatan`, written in the same change, or in referensi/perubahan.csv. `portal
validate` compares the working tree with a baseline revision (generator/diff.py reads
both); on copies of the real data in a git repository with real commits.

The issue's case: Atambua's 402,021 examinations (2025, Tabel 12) blanked, published as
"–" without a word.
"""
import csv
import shutil

from conftest import csv_rows, git, write_csv_rows

EXAMINATIONS = "datapackages/2025/pemeriksaan_tpi.csv"
CROSSINGS = "datapackages/2025/perlintasan.csv"
RECORD = "datapackages/referensi/perubahan.csv"
ATAMBUA = "kanim-atambua,2025,2,Kanim Kelas II TPI Atambua,402021,"
KEY = "kanim-atambua / 2025 / Tabel 12"
LINE = f"2025,pemeriksaan_tpi,{KEY},jumlah_pemeriksaan,402021,<alasan>,<tanggal>"
REASON = "Angka ini sedang diperiksa ulang bersama Kanim Atambua: tabelnya dicetak dengan judul tabel lain."


def blank_examinations(root):
    path = root / EXAMINATIONS
    text = path.read_text(encoding="utf-8")
    assert text.count(ATAMBUA) == 1
    path.write_text(text.replace(ATAMBUA, ATAMBUA.replace("402021", "")), encoding="utf-8")




def record(root, *cells):
    with open(root / RECORD, "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(cells)


def validate(run_portal, root, *args):
    return run_portal("validate", "--quiet", *args, cwd=root)


BLANK_ID = (f"{EXAMINATIONS}:3 [jumlah_pemeriksaan]: diharapkan alasan tercatat untuk angka terbit yang dikosongkan "
            f"(di kolom catatan baris ini atau di {RECORD}); ditemukan sel kosong, padahal di HEAD tertulis '402021', "
            f"dan catatan baris ini tidak diubah (petunjuk: tulis alasannya di kolom catatan baris ini, atau tambahkan "
            f"ke {RECORD} baris: {LINE})")
BLANK_EN = (f"{EXAMINATIONS}:3 [jumlah_pemeriksaan]: expected a recorded reason for a published figure left blank "
            f"(in this row's catatan or in {RECORD}); found an empty cell, where HEAD has '402021', and this row's "
            f"catatan unchanged (hint: write the reason in this row's catatan, or add to {RECORD} the line: {LINE})")


def test_a_blanked_figure_without_a_reason_is_refused(real_repo, run_portal):
    blank_examinations(real_repo)
    code, out, err = validate(run_portal, real_repo)
    assert code == 1 and out.splitlines() == [BLANK_ID], out + err
    assert "1 masalah di datapackages: tidak ada yang diterbitkan" in err
    code, out, _ = run_portal("--lang", "en", "validate", "--quiet", cwd=real_repo)
    assert code == 1 and out.splitlines() == [BLANK_EN]


def test_a_reason_in_the_change_record_passes_and_is_shown_where_the_figure_was(real_repo, run_portal):
    blank_examinations(real_repo)
    record(real_repo, "2025", "pemeriksaan_tpi", KEY, "jumlah_pemeriksaan", "402021", REASON, "2026-05-02")
    code, out, err = validate(run_portal, real_repo)
    assert code == 0, out + err
    assert "angka terbit dibandingkan dengan HEAD: 0 angka dikosongkan" in run_portal("validate", cwd=real_repo)[2]

    from generator.compute import run_compute
    from generator.pages.components import resource_table
    from generator.pages.sitedata import gather

    computed, problems = run_compute(str(real_repo / "datapackages"), str(real_repo / "definitions"),
                                     str(real_repo / "build" / "computed"))
    assert not problems
    site = gather(computed.packages, computed.definitions, computed.years)
    spec = next(t for s in computed.definitions["sections"] for t in s.get("tables", [])
                if t["resource"] == "pemeriksaan_tpi")
    [table] = resource_table(site, "pemeriksaan-tpi", spec, 2025, "kanim-atambua")
    cell = table.rows[0][[c.key for c in table.columns].index("jumlah_pemeriksaan")]
    assert (cell.text, cell.raw) == ("–", None)  # the downloads keep the empty cell
    assert cell.flag == f"Dikosongkan 2 Mei 2026: {REASON}"
    other = resource_table(site, "pemeriksaan-tpi", spec, 2025, "kanim-kupang")[0].rows[0]
    assert not any(c.flag.startswith("Dikosongkan") for c in other)


def test_a_reason_in_the_row_s_catatan_passes_an_old_catatan_does_not(real_repo, run_portal):
    blank_examinations(real_repo)
    table = csv_rows(real_repo / EXAMINATIONS)
    header = table[0]
    assert table[2][header.index("catatan")]  # the row had a note already: it says nothing about the blank
    table[2][header.index("catatan")] += " Jumlah pemeriksaan dikosongkan: sedang diperiksa ulang."
    write_csv_rows(real_repo / EXAMINATIONS, table)
    code, out, err = validate(run_portal, real_repo)
    assert code == 0, out + err


def test_a_removed_row_needs_a_record_a_moved_row_does_not(real_repo, run_portal):
    table = csv_rows(real_repo / CROSSINGS)
    header, gone = table[0], table[2]
    del table[2]
    write_csv_rows(real_repo / CROSSINGS, table)
    code, out, _ = validate(run_portal, real_repo)
    values = dict(zip(header, gone))
    figures = ("kedatangan_wni", "keberangkatan_wni", "kedatangan_oa", "keberangkatan_oa", "jumlah")
    key = " / ".join(values[k] for k in ("satker_id", "tahun", "sumber_tabel", "urutan_dalam_upt"))
    assert key == "kanim-kupang / 2025 / Tabel 23 / 2"
    listed = ", ".join(f"{f} {values[f]}" for f in figures)
    assert code == 1 and out.splitlines() == [
        f"{CROSSINGS}: diharapkan alasan tercatat di {RECORD} untuk angka terbit yang dihapus; ditemukan baris 3 di "
        f"HEAD ('{key}') dihapus bersama angkanya: {listed} (petunjuk: tambahkan ke {RECORD} baris: 2025,perlintasan,"
        f"{key},{' '.join(figures)},{'; '.join(f'{f} {values[f]}' for f in figures)},<alasan>,<tanggal> (bila "
        "angkanya hanya pindah ke baris lain, tulis angkanya persis sama di baris itu))"]

    moved = list(gone)
    moved[header.index("urutan_dalam_upt")] = "9"  # its key corrected: the same figures on a new row
    write_csv_rows(real_repo / CROSSINGS, table + [moved])
    code, out, err = validate(run_portal, real_repo)
    assert code == 0, out + err

    write_csv_rows(real_repo / CROSSINGS, table)
    record(real_repo, "2025", "perlintasan", key, " ".join(figures), "", "Baris ganda dari tabel yang sama.",
           "2026-05-02")
    code, out, err = validate(run_portal, real_repo)
    assert code == 0, out + err


def test_a_pull_request_is_compared_with_its_base_even_once_committed(real_repo, run_portal):
    """CI passes the base (--dasar); locally the default is where the branch left origin/main."""
    base = git(real_repo, "rev-parse", "HEAD").strip()
    git(real_repo, "update-ref", "refs/remotes/origin/main", base)
    git(real_repo, "switch", "-qc", "kosongkan")
    blank_examinations(real_repo)
    git(real_repo, "commit", "-qam", "kosongkan")
    code, out, _ = validate(run_portal, real_repo)
    assert code == 1 and out.splitlines() == [BLANK_ID.replace("di HEAD tertulis", "di origin/main tertulis")]
    code, out, _ = validate(run_portal, real_repo, "--dasar", "HEAD~1")
    assert code == 1 and out.splitlines() == [BLANK_ID.replace("di HEAD tertulis", "di HEAD~1 tertulis")]
    code, out, err = validate(run_portal, real_repo, "--dasar", "HEAD")
    assert code == 0, out + err
    code, out, err = validate(run_portal, real_repo, "--dasar", "tidak-ada")
    assert code == 2 and "portal validate: revisi 'tidak-ada' tidak ditemukan" in err


def test_without_git_history_the_rule_is_skipped_with_a_note(real_repo, tmp_path_factory, run_portal):
    elsewhere = tmp_path_factory.mktemp("tanpa-git")
    for folder in ("datapackages", "laporan", "definitions"):
        shutil.copytree(real_repo / folder, elsewhere / folder)
    blank_examinations(elsewhere)
    code, out, err = validate(run_portal, elsewhere)
    assert code == 0, out + err
    assert "catatan: angka terbit tidak dibandingkan dengan revisi sebelumnya (" in err
    assert "tidak berada di dalam repositori git" in err
    code, out, err = run_portal("--lang", "en", "validate", "--quiet", cwd=elsewhere)
    assert code == 0 and "note: published figures not compared with an earlier revision (" in err
    fresh = tmp_path_factory.mktemp("tanpa-commit")
    shutil.copytree(real_repo / "datapackages", fresh / "datapackages")
    shutil.copytree(real_repo / "laporan", fresh / "laporan")
    git(fresh, "init", "-q")
    code, out, err = run_portal("validate", "--quiet", "--definitions", "none", cwd=fresh)
    assert code == 0 and "catatan: angka terbit tidak dibandingkan" in err, out + err


def test_an_excel_export_is_one_message_not_every_figure_removed(real_repo, run_portal):
    """A file saved by Excel (byte-order mark, semicolons) cannot be read as intended: that is
    its one message; its figures are not then reported as removed."""
    path = real_repo / "datapackages" / "2025" / "pnbp.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text("\ufeff" + text.replace(",", ";").replace("\n", "\r\n"), encoding="utf-8", newline="")
    code, out, err = validate(run_portal, real_repo)
    assert code == 1
    assert [line for line in out.splitlines() if line] == [
        line for line in out.splitlines() if line.startswith("datapackages/2025/pnbp.csv:1")]
    assert "portal rapikan" in out and "perubahan.csv" not in out
