"""`portal laporan-baru`: a report registered in laporan.csv, its text in laporan/ (copied
from a .txt, made from a PDF with pdftotext -layout, or the exact place to put it), its
tables in the sources register; valid at once. A bad option is refused with the message
validation gives that row, on the line it would take, and nothing written.

(Before: a report in laporan.csv whose text was missing passed `make site` and crashed
`make test` with a KeyError.)
"""
import os
import shutil
import subprocess
import sys

import pytest

REPORTS = "datapackages/referensi/laporan.csv"
SOURCES = "datapackages/referensi/sumber.csv"
NAME = "lkjip-2027-kanim-kupang.txt"
TEXT = "".join(f"baris {n} dari laporan 2027\n" for n in range(1, 201))
ARGS = ["laporan-baru", NAME, "--judul", "LKjIP 2027 Kantor Imigrasi Kelas I TPI Kupang", "--tahun", "2027",
        "--satker", "kanim-kupang"]


def lines(root, path):
    return (root / path).read_text(encoding="utf-8").splitlines()


def pdf(lines_of_text):
    """A one-page PDF holding these lines (Helvetica), written by hand: a real PDF for the
    real pdftotext."""
    text = "BT /F1 11 Tf 14 TL 50 780 Td " + " ".join(f"({line}) Tj T*" for line in lines_of_text) + " ET"
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               "/Resources << /Font << /F1 5 0 R >> >> >>",
               f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
               "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    return out + f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()


def test_a_report_from_its_text_with_two_tables(real_repo, run_portal, tmp_path_factory):
    source = tmp_path_factory.mktemp("unduhan") / "LKjIP 2027.txt"
    source.write_text(TEXT, encoding="utf-8")
    reports, sources = lines(real_repo, REPORTS), lines(real_repo, SOURCES)
    code, out, err = run_portal(*ARGS, "--dari", str(source), "--tanggal", "2028-01-14", "--penandatangan", "Darwanto",
                                "--tabel", "Tabel 3.1,45,120,140,Capaian Kinerja", "--tabel",
                                '"Teks: B. Tugas, Fungsi",2,10,12', cwd=real_repo)
    assert code == 0, out + err
    assert out.splitlines()[:5] == [
        f"{REPORTS}:{len(reports) + 1}: ditambahkan: {NAME} (laporan tahun 2027, kanim-kupang)",
        f"{SOURCES}:{len(sources) + 1}: ditambahkan: Tabel 3.1, baris 120-140 teks laporan",
        f"{SOURCES}:{len(sources) + 2}: ditambahkan: Teks: B. Tugas, Fungsi, baris 10-12 teks laporan",
        f"laporan/{NAME}: disalin dari {source}",
        f"ok: laporan {NAME} terdaftar dan semua paket valid. Yang harus diisi sekarang:"]
    assert (f"  2. paket datapackages/2027/ belum ada: buat dengan portal tahun-baru 2027, lalu salin angkanya "
            f"dengan sumber_file = {NAME}") in out
    assert lines(real_repo, REPORTS) == reports + [
        f"{NAME},LKjIP 2027 Kantor Imigrasi Kelas I TPI Kupang,2027,kanim-kupang,,2028-01-14,Darwanto,"]
    assert lines(real_repo, SOURCES) == sources + [f"{NAME},Tabel 3.1,Capaian Kinerja,45,120,140,tidak_ditranskripsi,,",
                                                   f'{NAME},"Teks: B. Tugas, Fungsi",,2,10,12,tidak_ditranskripsi,,']
    assert (real_repo / "laporan" / NAME).read_text(encoding="utf-8") == TEXT
    code, out, err = run_portal("validate", "--quiet", cwd=real_repo)
    assert code == 0, out + err
    code, out, err = run_portal("tahun-baru", "2027", cwd=real_repo)  # the next step it names
    assert code == 0, out + err


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_a_report_from_its_pdf(real_repo, run_portal, tmp_path_factory):
    source = tmp_path_factory.mktemp("unduhan") / "lkjip.pdf"
    source.write_bytes(pdf(["LAPORAN KINERJA INSTANSI PEMERINTAH 2027", "Tabel 1 Capaian Kinerja", "IKM 3,51"]))
    code, out, err = run_portal("--lang", "en", *ARGS, "--dari", str(source), "--tabel", "Tabel 1,1,2,3",
                                cwd=real_repo)
    assert code == 0, out + err
    assert (f"laporan/{NAME}: made from {source} with pdftotext -layout; check its tables (shifted columns, wrapped "
            "rows) before copying figures") in out.splitlines()
    text = (real_repo / "laporan" / NAME).read_text(encoding="utf-8").split("\n")
    assert [line.strip() for line in text[:3]] == ["LAPORAN KINERJA INSTANSI PEMERINTAH 2027",
                                                   "Tabel 1 Capaian Kinerja", "IKM 3,51"]


def test_without_pdftotext_or_text_it_says_which_file_to_put_where(real_repo, tmp_path_factory):
    """A machine without pdftotext: the report is registered, and validation names the
    text it waits for; once it is there, everything passes."""
    source = tmp_path_factory.mktemp("unduhan") / "lkjip.pdf"
    source.write_bytes(pdf(["LAPORAN KINERJA 2027"]))
    exe = os.path.join(os.path.dirname(sys.executable), "portal")
    git_only = tmp_path_factory.mktemp("bin")
    os.symlink(shutil.which("git"), git_only / "git")  # git, and no pdftotext
    done = subprocess.run([exe, *ARGS, "--dari", str(source)], cwd=real_repo, capture_output=True, text=True,
                          env=dict(os.environ, PATH=str(git_only)))
    assert done.returncode == 1, done.stdout + done.stderr
    line = len(lines(real_repo, REPORTS))
    assert done.stdout.splitlines() == [
        f"{REPORTS}:{line}: ditambahkan: {NAME} (laporan tahun 2027, kanim-kupang)",
        f"laporan/{NAME}: belum dibuat, karena pdftotext (paket poppler-utils) tidak terpasang di komputer ini. "
        f"Ubah {source} menjadi teks di komputer lain (pdftotext -layout {source} laporan/{NAME}) lalu taruh "
        f"hasilnya di laporan/{NAME}",
        f"{REPORTS}:{line} [sumber_file]: diharapkan teks laporannya di laporan/; ditemukan '{NAME}', tetapi berkas "
        f"itu tidak ada (petunjuk: taruh teks laporannya di laporan/{NAME}, atau perbaiki nama berkasnya)"]
    assert "tidak ada yang diterbitkan" in done.stderr
    (real_repo / "laporan" / NAME).write_text(TEXT, encoding="utf-8")
    done = subprocess.run([exe, "validate", "--quiet"], cwd=real_repo, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_without_a_source_the_text_already_there_is_used(real_repo, run_portal):
    (real_repo / "laporan" / NAME).write_text(TEXT, encoding="utf-8")
    code, out, err = run_portal(*ARGS, cwd=real_repo)
    assert code == 0, out + err
    assert f"laporan/{NAME}: sudah ada, dipakai apa adanya" in out.splitlines()


def test_bad_options_are_refused_where_validation_would_put_them(real_repo, run_portal, tmp_path_factory):
    before = {path: (real_repo / path).read_bytes() for path in (REPORTS, SOURCES)}
    line = len(lines(real_repo, REPORTS)) + 1
    args = ["laporan-baru", "003_b1ce472e47b9e7be.txt", "--judul", "LKjIP", "--tahun", "1999", "--satker",
            "kanim-kupangg", "--tanggal", "14/01/2027"]
    code, out, _ = run_portal(*args, cwd=real_repo)
    assert code == 1
    assert out.splitlines() == [
        f"{REPORTS}:{line} [satker_id]: diharapkan nilai yang terdaftar di referensi/satker (satker_id); ditemukan "
        "'kanim-kupangg' (petunjuk: maksudnya 'kanim-kupang'?)",
        f"{REPORTS}:{line} [sumber_file]: diharapkan kunci utama yang tidak dipakai baris lain; ditemukan "
        "'003_b1ce472e47b9e7be.txt', sudah ada di baris 3",
        f"{REPORTS}:{line} [tahun_laporan]: diharapkan nilai paling kecil 2000; ditemukan '1999'",
        f"{REPORTS}:{line} [tanggal]: diharapkan tanggal ditulis TTTT-BB-HH; ditemukan '14/01/2027' (petunjuk: "
        "simpan teks tanggal yang dicetak di kolom lain)",
        "laporan-baru: tidak ada yang ditulis (baris baru disebut dengan nomor baris yang akan ditempatinya)"]
    code, out, _ = run_portal("--lang", "en", *args, cwd=real_repo)
    assert code == 1 and out.splitlines()[2] == (
        f"{REPORTS}:{line} [tahun_laporan]: expected a value of at least 2000; found '1999'")

    source = tmp_path_factory.mktemp("unduhan") / "teks.txt"
    source.write_text(TEXT, encoding="utf-8")
    sources = len(lines(real_repo, SOURCES))
    code, out, _ = run_portal(*ARGS, "--dari", str(source), "--tabel", "Tabel 1,x,1,2", "--tabel", "Tabel 2,,5,900",
                              cwd=real_repo)
    assert code == 1 and out.splitlines()[0] == (
        f"{SOURCES}:{sources + 1} [halaman]: diharapkan bilangan bulat; ditemukan 'x' (petunjuk: tulis angka saja, "
        "dengan '.' hanya untuk desimal, mis. 8844706000 atau 99.74)")
    code, out, _ = run_portal(*ARGS, "--dari", str(source), "--tabel", "Tabel 2,,5,900", cwd=real_repo)
    assert code == 1 and out.splitlines()[0] == (
        f"{SOURCES}:{sources + 1} [baris_akhir]: diharapkan nomor baris teks laporan, 1 sampai 200; ditemukan '900'")
    code, out, _ = run_portal(*ARGS, "--tabel", "Tabel 2;5;9", cwd=real_repo)
    assert code == 1 and out.splitlines() == [
        "laporan-baru: --tabel 'Tabel 2;5;9': diharapkan NOMOR,HALAMAN,BARIS_AWAL,BARIS_AKHIR[,JUDUL] (halaman boleh "
        "kosong; nomor atau judul yang memuat koma diberi tanda kutip ganda), mis. \"Tabel 3.1,45,120,140,Capaian "
        "Kinerja\"", "laporan-baru: tidak ada yang ditulis"]

    source.write_bytes(b"LAPORAN\n\x93Kinerja\x94\n")  # Windows-1252, as Notepad saves "ANSI"
    code, out, _ = run_portal(*ARGS, "--dari", str(source), cwd=real_repo)
    assert code == 1 and out.splitlines()[0] == (
        f"{source}:2: diharapkan teks UTF-8; ditemukan bita 0x93 ('“' dalam Windows-1252) (petunjuk: simpan teksnya "
        "sebagai UTF-8 (di Notepad: Simpan Sebagai, Pengodean UTF-8), lalu ulangi)")
    (real_repo / "laporan" / NAME).write_text("teks lain\n", encoding="utf-8")
    source.write_text(TEXT, encoding="utf-8")
    code, out, _ = run_portal(*ARGS, "--dari", str(source), cwd=real_repo)
    assert code == 1 and out.splitlines()[0] == (
        f"laporan-baru: laporan/{NAME} sudah ada dengan isi lain; pakai nama lain, atau hapus berkas itu bila memang "
        "salah")
    assert {path: (real_repo / path).read_bytes() for path in before} == before
