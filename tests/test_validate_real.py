"""`portal validate` on copies of the real data: one message per mistake, where it is.

A file that cannot be read as intended is reported once (not its rows and cells after
it); empty rows are one message; each cell gets one message; a CSV nobody declared, a
report without its text and a hierarchy unlike the registry are errors; a broken
descriptor is one message, not a message per definition that names its tables.
"""
import csv
import io
import os
import shutil

import pytest

from conftest import ROOT
from generator.validate import validate

PERMOHONAN = "datapackages/2025/layanan_permohonan.csv"


@pytest.fixture
def real(tmp_path):
    for folder in ("datapackages", "laporan", "definitions"):
        shutil.copytree(os.path.join(ROOT, folder), tmp_path / folder)
    return tmp_path


def problems_of(root) -> list:
    return validate(str(root / "datapackages"))[1]


def texts(problems, lang):
    return [p.text(lang) for p in problems]


def rewrite(path, delimiter=",", extra=b""):
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8") + extra)
    return rows


def test_a_semicolon_file_is_one_message(real):
    rewrite(real / PERMOHONAN, delimiter=";")
    found = problems_of(real)
    hint = f"`portal rapikan {PERMOHONAN}`"
    assert texts(found, "id") == [
        f"{PERMOHONAN}:1: diharapkan nilai yang dipisah koma; ditemukan nilai yang dipisah titik koma (petunjuk: "
        f"jalankan {hint}: perintah itu mengubah berkas simpanan Excel ke bentuk baku dan menyebut setiap "
        "perubahannya)"]
    assert texts(found, "en") == [
        f"{PERMOHONAN}:1: expected comma-separated values; found values separated by semicolons (hint: run {hint}: "
        "it turns a file saved by Excel into the standard form and names every change)"]


def test_empty_rows_are_one_message(real):
    rows = rewrite(real / PERMOHONAN, extra=b",,,,,,,,,,,,,,,\n,,,,,,,,,,,,,,,\n")
    first = len(rows) + 1
    found = problems_of(real)
    assert texts(found, "id") == [
        f"{PERMOHONAN}:{first}: diharapkan tidak ada baris kosong; ditemukan baris kosong {first}-{first + 1} "
        f"(petunjuk: hapus baris kosong {first}-{first + 1}, atau jalankan `portal rapikan {PERMOHONAN}`)"]
    assert texts(found, "en") == [
        f"{PERMOHONAN}:{first}: expected no empty rows; found empty rows {first}-{first + 1} "
        f"(hint: delete empty rows {first}-{first + 1}, or run `portal rapikan {PERMOHONAN}`)"]


def test_an_encoding_error_names_its_column(real):
    path = real / PERMOHONAN
    data = path.read_bytes().replace(b"'Paspur' as printed", b"\x93Paspur\x94 as printed", 1)
    path.write_bytes(data)
    line = data[:data.index(b"\x93")].count(b"\n") + 1
    found = problems_of(real)
    assert texts(found, "id") == [
        f"{PERMOHONAN}:{line} [catatan]: diharapkan teks UTF-8; ditemukan bita 0x93 ('“' dalam Windows-1252) "
        f"(petunjuk: berkas ini disimpan sebagai Windows-1252 ('CSV' biasa di Excel): jalankan `portal rapikan "
        f"{PERMOHONAN}`, atau simpan lagi sebagai 'CSV UTF-8')"]
    assert found[0].text("en").startswith(f"{PERMOHONAN}:{line} [catatan]: expected UTF-8 text; found byte 0x93")


def test_a_required_key_cell_left_empty_is_one_message(real):
    path = real / PERMOHONAN
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nkanim-atambua,2025,", "\n,2025,", 1), encoding="utf-8")
    found = problems_of(real)
    assert len(found) == 1 and found[0].field == "satker_id"
    assert found[0].text("id").endswith("[satker_id]: diharapkan isi (kolom ini wajib diisi); ditemukan ''")


def test_an_undeclared_csv_is_an_error(real):
    shutil.copy(real / PERMOHONAN, real / "datapackages/2025/layanan_permohonan (1).csv")
    found = problems_of(real)
    assert texts(found, "id") == [
        "datapackages/2025/layanan_permohonan (1).csv: diharapkan setiap CSV tercantum sebagai tabel di "
        "datapackages/2025/datapackage.yaml; ditemukan CSV yang tidak disebut tabel mana pun (tidak diperiksa dan "
        "tidak diterbitkan) (petunjuk: cantumkan sebagai tabel (name, path, schema) di datapackage.yaml, atau hapus "
        "berkasnya; bila itu salinan dari spreadsheet, simpan di atas berkas aslinya)"]
    assert texts(found, "en")[0].startswith("datapackages/2025/layanan_permohonan (1).csv: expected every CSV "
                                            "declared as a resource in datapackages/2025/datapackage.yaml")


def test_a_report_without_its_text_is_an_error_not_a_crash(real, run_portal):
    os.remove(real / "laporan" / "003_b1ce472e47b9e7be.txt")
    found = problems_of(real)
    assert texts(found, "id") == [
        "datapackages/referensi/laporan.csv:3 [sumber_file]: diharapkan teks laporannya di laporan/; ditemukan "
        "'003_b1ce472e47b9e7be.txt', tetapi berkas itu tidak ada (petunjuk: taruh teks laporannya di "
        "laporan/003_b1ce472e47b9e7be.txt, atau perbaiki nama berkasnya)"]
    assert texts(found, "en") == [
        "datapackages/referensi/laporan.csv:3 [sumber_file]: expected the report's text in laporan/; found "
        "'003_b1ce472e47b9e7be.txt', but no such file (hint: put the report's plain text at "
        "laporan/003_b1ce472e47b9e7be.txt, or correct the file name)"]
    code, out, _ = run_portal("compute", "--quiet", "--out", str(real / "build" / "computed"), cwd=real)
    assert code == 1 and out.splitlines() == texts(found, "id")  # no traceback, nothing computed


def replace_line(path, old_start, new_text):
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(old_start))
    lines[at] = new_text(lines[at])
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def test_hierarchy_disagreeing_with_the_registry(real):
    registry = real / "datapackages/referensi/satker.csv"
    line = replace_line(registry, "kanim-atambua,",
                        lambda text: text.replace(",kanwil-ditjenim-ntt,", ",kanwil-kemenkumham-ntt,", 1))
    found = problems_of(real)
    assert texts(found, "id") == [
        "datapackages/referensi/satker_hierarki.csv:5 [induk_id]: diharapkan induk saat ini menurut registri: "
        f"'kanwil-kemenkumham-ntt' (datapackages/referensi/satker.csv:{line}, kolom induk_id); ditemukan "
        "'kanwil-ditjenim-ntt' (petunjuk: baris tanpa tahun_selesai adalah induk saat ini; samakan dengan induk_id "
        "kanim-atambua di registri, atau isi tahun_selesai baris ini)"]
    assert texts(found, "en") == [
        "datapackages/referensi/satker_hierarki.csv:5 [induk_id]: expected the current parent in the registry: "
        f"'kanwil-kemenkumham-ntt' (datapackages/referensi/satker.csv:{line}, column induk_id); found "
        "'kanwil-ditjenim-ntt' (hint: a row without tahun_selesai is the current parent; make it agree with induk_id "
        "of kanim-atambua in the registry, or fill in tahun_selesai)"]


def test_hierarchy_without_a_current_parent_or_with_overlapping_periods(real):
    periods = real / "datapackages/referensi/satker_hierarki.csv"
    replace_line(periods, "rudenim-kupang,", lambda text: text.replace(",2024,,", ",2024,2024,", 1))
    replace_line(periods, "kanim-kupang,kanwil-kemenkumham-ntt,", lambda text: text.replace(",,2023,", ",,2024,", 1))
    found = texts(problems_of(real), "id")
    assert len(found) == 2
    assert found[0].startswith("datapackages/referensi/satker.csv:8 [induk_id]: diharapkan baris induk saat ini "
                               "(tanpa tahun_selesai) di datapackages/referensi/satker_hierarki.csv; ditemukan "
                               "tidak ada untuk rudenim-kupang")
    assert found[1].startswith("datapackages/referensi/satker_hierarki.csv:3 [tahun_mulai,tahun_selesai]: "
                               "diharapkan masa yang tidak tumpang tindih dengan masa lain satker ini; ditemukan "
                               "tumpang tindih dengan baris 2")


def test_an_enum_error_says_where_the_allowed_values_are(real):
    path = real / "datapackages/2025/anggaran_jenis_belanja.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",pegawai,", ",Pegawai,", 1), encoding="utf-8")
    found = problems_of(real)
    schema = (real / "datapackages/skema/anggaran_jenis_belanja.yaml").read_text(encoding="utf-8").split("\n")
    assert schema[24 - 1].strip() == "enum:" and schema[25 - 1].strip() == "- pegawai"
    assert texts(found, "id") == [
        "datapackages/2025/anggaran_jenis_belanja.csv:2 [jenis_belanja]: diharapkan salah satu dari: pegawai, "
        "barang, modal, jumlah; ditemukan 'Pegawai' (petunjuk: maksudnya 'pegawai'? Nilai yang boleh dipakai "
        "tertulis di datapackages/skema/anggaran_jenis_belanja.yaml:24 (tabel anggaran_jenis_belanja, kolom "
        "jenis_belanja, `enum`))"]
    assert texts(found, "en") == [
        "datapackages/2025/anggaran_jenis_belanja.csv:2 [jenis_belanja]: expected one of: pegawai, barang, modal, "
        "jumlah; found 'Pegawai' (hint: did you mean 'pegawai'? The allowed values are listed in "
        "datapackages/skema/anggaran_jenis_belanja.yaml:24 (resource anggaran_jenis_belanja, field jenis_belanja, "
        "`enum`))"]


def test_every_enum_of_the_real_schemas_is_found_on_its_line():
    import glob

    import yaml

    from generator.validate.cells import enum_line

    count = 0
    for path in glob.glob(os.path.join(ROOT, "datapackages", "*", "datapackage.yaml")):  # schemas written here
        lines = open(path, encoding="utf-8").read().split("\n")
        for resource in yaml.safe_load(open(path, encoding="utf-8"))["resources"]:
            for field in resource["schema"]["fields"] if isinstance(resource["schema"], dict) else []:
                if "enum" in (field.get("constraints") or {}):
                    line = enum_line(path, resource["name"], field["name"])
                    assert line and lines[line - 1].strip() == "enum:", (path, resource["name"], field["name"])
                    count += 1
    for path in glob.glob(os.path.join(ROOT, "datapackages", "skema", "*.yaml")):  # and in the shared files
        lines = open(path, encoding="utf-8").read().split("\n")
        for field in yaml.safe_load(open(path, encoding="utf-8"))["fields"]:
            if "enum" in (field.get("constraints") or {}):
                line = enum_line(path, None, field["name"])
                assert line and lines[line - 1].strip() == "enum:", (path, field["name"])
                count += 1
    assert count >= 20


@pytest.mark.parametrize("command", ["validate", "compute"])
@pytest.mark.parametrize("file", ["datapackages/2025/datapackage.yaml", "datapackages/skema/kinerja_anggaran.yaml"])
def test_broken_yaml_indentation_is_one_message(file, command, real, run_portal):
    """Not followed by a message for every definition that names one of its tables; a
    shared schema (kinerja_anggaran's is named by five years) is one message too."""
    path = real / file
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  description: "))
    lines[at] = lines[at][1:]
    path.write_text("\n".join(lines), encoding="utf-8")
    extra = ["--out", str(real / "build" / "computed")] if command == "compute" else []
    for lang, text in (("id", f"{file}:{at + 1}: diharapkan YAML yang utuh; ditemukan "
                               "YAML rusak: indentasi yang tidak sejajar (kunci yang diharapkan tidak ditemukan) "
                               "(petunjuk: periksa indentasi (jumlah spasi di awal baris), titik dua dan tanda kutip "
                               "di baris ini dan baris di atasnya)"),
                       ("en", f"{file}:{at + 1}: expected well-formed YAML; found "
                              "malformed YAML: did not find expected key (hint: check indentation, colons and quotes "
                              "on this line and the one above)")):
        code, out, err = run_portal("--lang", lang, command, "--quiet", *extra, cwd=real)
        assert code == 1 and out.splitlines() == [text], out


def test_a_mistake_in_a_shared_schema_is_one_message_in_its_file(real):
    """kinerja_anggaran's schema is named by five years: its mistake is told once, where it is."""
    path = real / "datapackages/skema/kinerja_anggaran.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  type: number\n  unit: index\n", "  type: number\n", 1),
                    encoding="utf-8")
    assert texts(problems_of(real), "en") == [
        "datapackages/skema/kinerja_anggaran.yaml [nilai]: expected a `unit` among IDR, count, days, index, "
        "indicator, line, order, page, people, percent, unknown, year; found 'None'"]


def test_an_unreadable_reference_descriptor_is_one_message(real):
    path = real / "datapackages/referensi/datapackage.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\nresources:\n", "\nresources:\n  x: [\n", 1),
                    encoding="utf-8")
    found = problems_of(real)
    assert len(found) == 1 and found[0].file == "datapackages/referensi/datapackage.yaml", texts(found, "en")


# A total checked once (definitions/checks.yaml): where the year's report prints it equal to
# its items (`adds_up`), a difference is a typing mistake and is refused where it is typed;
# elsewhere it is the report's own difference and the site shows it, flagged.
TYPED_TOTALS = {
    "staff-2022": ("datapackages/2022/pegawai.csv", "Struktural,16,16 orang,false,,000_8e2370d8947c17db.txt,Tabel 1.2,",
                   "Struktural,13,13 orang,false,,000_8e2370d8947c17db.txt,Tabel 1.2,",
                   "datapackages/2022/pegawai.csv:5 [jumlah]: diharapkan 51 (jumlah baris 2, 3, 4); ditemukan 54 "
                   "(petunjuk: perbaiki baris-barisnya atau totalnya; bila laporannya sendiri mencetak total yang "
                   "salah, hapus tahun 2022 dari `adds_up` pemeriksaan total-pegawai di definitions/checks.yaml: situs "
                   "akan menampilkan selisihnya sebagai temuan)",
                   "datapackages/2022/pegawai.csv:5 [jumlah]: expected 51 (the sum of lines 2, 3, 4); found 54 (hint: "
                   "correct the rows or the total; if the report itself prints a wrong total, remove the year 2022 "
                   "from `adds_up` of the check total-pegawai in definitions/checks.yaml: the site shows the "
                   "difference as a finding)"),
    "budget-2024": ("datapackages/2024/anggaran_jenis_belanja.csv", "JUMLAH,81398766000,", "JUMLAH,81398676000,",
                    "datapackages/2024/anggaran_jenis_belanja.csv:9 [pagu_rp]: diharapkan 81398766000 (jumlah baris 6, "
                    "7, 8); ditemukan 81398676000 (petunjuk: perbaiki baris-barisnya atau totalnya; bila laporannya "
                    "sendiri mencetak total yang salah, hapus tahun 2024 dari `adds_up` pemeriksaan total-jenis-belanja "
                    "di definitions/checks.yaml: situs akan menampilkan selisihnya sebagai temuan)",
                    "datapackages/2024/anggaran_jenis_belanja.csv:9 [pagu_rp]: expected 81398766000 (the sum of lines "
                    "6, 7, 8); found 81398676000 (hint: correct the rows or the total; if the report itself prints a "
                    "wrong total, remove the year 2024 from `adds_up` of the check total-jenis-belanja in "
                    "definitions/checks.yaml: the site shows the difference as a finding)"),
}


def retype(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.parametrize("command", ["validate", "compute"])
@pytest.mark.parametrize("case", sorted(TYPED_TOTALS))
def test_a_typed_total_that_must_add_up_is_refused_where_it_is(case, command, real, run_portal):
    """`portal validate`, and `portal compute` (and so `portal build`), refuse it in both
    languages with the lines summed; nothing is computed."""
    file, old, new, indonesian, english = TYPED_TOTALS[case]
    retype(real / file, old, new)
    out_dir = real / "build" / "computed"
    extra = ["--out", str(out_dir)] if command == "compute" else []
    for lang, text in (("id", indonesian), ("en", english)):
        code, out, err = run_portal("--lang", lang, command, "--quiet", *extra, cwd=real)
        assert (code, out.splitlines()) == (1, [text]), out + err
    assert not out_dir.exists()


def consistency_rows(real, run_portal) -> list[dict]:
    code, out, err = run_portal("compute", "--quiet", "--out", str(real / "build" / "computed"), cwd=real)
    assert (code, out) == (0, ""), out + err
    with open(real / "build" / "computed" / "consistency.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_a_reports_own_wrong_total_is_published_flagged(real, run_portal):
    """The 2024 spending table prints JUMLAH realisation 3.707.965.092 over rows summing to
    3.707.934.092: adds_up names only pagu_rp there, so the difference is computed, flagged and
    shown; a total typed wrong in a year without adds_up (2025 staff) is flagged the same way."""
    retype(real / "datapackages/2025/pegawai.csv", ",38,38 (tiga puluh delapan) orang pegawai,true,",
           ",36,38 (tiga puluh delapan) orang pegawai,true,")
    rows = consistency_rows(real, run_portal)
    flagged = {(r["check_id"], r["year"], r["csv_file"], r["csv_line"], r["column"], r["published"], r["recomputed"])
               for r in rows if r["status"] == "mismatch"}
    assert ("total-jenis-belanja", "2024", "datapackages/2024/anggaran_jenis_belanja.csv", "5", "realisasi_rp",
            "3707965092", "3707934092") in flagged
    assert ("total-pegawai", "2025", "datapackages/2025/pegawai.csv", "2", "jumlah", "36", "38") in flagged
