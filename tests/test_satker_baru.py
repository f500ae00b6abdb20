"""`portal satker-baru`: a new unit in the registry and, with its parent, in the hierarchy,
valid at once; a bad option refused with the message validation gives that row, located
on the line it would take, and nothing written.

(Before: a new unit was undocumented, and "Kelas III" was refused without saying where
the allowed values live.)
"""
from conftest import git

REGISTRY = "datapackages/referensi/satker.csv"
HIERARCHY = "datapackages/referensi/satker_hierarki.csv"
SOURCE = ["--sumber-file", "003_b1ce472e47b9e7be.txt", "--sumber-tabel", "Teks: A. Latar Belakang",
          "--sumber-halaman", "1", "--sumber-baris", "221"]
ENDE = ["satker-baru", "kanim-ende", "--nama", "Kantor Imigrasi Kelas II Non TPI Ende", "--nama-singkat", "Kanim Ende",
        "--jenis", "Kanim", "--induk", "kanwil-ditjenim-ntt", "--induk-sejak", "2027", *SOURCE]


def lines(root, path):
    return (root / path).read_text(encoding="utf-8").splitlines()


def test_a_unit_with_its_parent(real_repo, run_portal):
    registry, hierarchy = lines(real_repo, REGISTRY), lines(real_repo, HIERARCHY)
    code, out, err = run_portal(*ENDE, "--kelas", "II", cwd=real_repo)
    assert code == 0, out + err
    assert out.splitlines()[:3] == [
        f"{REGISTRY}:{len(registry) + 1}: ditambahkan: kanim-ende (Kantor Imigrasi Kelas II Non TPI Ende)",
        f"{HIERARCHY}:{len(hierarchy) + 1}: ditambahkan: kanim-ende di bawah kanwil-ditjenim-ntt, sejak 2027, "
        "masih berlaku",
        "ok: satker kanim-ende terdaftar dan semua paket valid. Yang harus diisi sekarang:"]
    assert "  1. isi angka satker ini di CSV tahun-tahunnya dengan satker_id = kanim-ende (siapa pemilik sebuah " \
           "angka: datapackages/CONTRIBUTING.md, bagian 'Angka milik siapa')" in out
    assert lines(real_repo, REGISTRY) == registry + [
        "kanim-ende,,Kantor Imigrasi Kelas II Non TPI Ende,Kanim Ende,Kanim,II,kanwil-ditjenim-ntt,"
        "Nusa Tenggara Timur,,,003_b1ce472e47b9e7be.txt,Teks: A. Latar Belakang,1,221"]  # the parent's province
    assert lines(real_repo, HIERARCHY) == hierarchy + [
        "kanim-ende,kanwil-ditjenim-ntt,2027,,,003_b1ce472e47b9e7be.txt,Teks: A. Latar Belakang,1,221"]
    assert sorted(git(real_repo, "diff", "--numstat").splitlines()) == [f"1\t0\t{REGISTRY}", f"1\t0\t{HIERARCHY}"]
    code, out, err = run_portal("validate", "--quiet", cwd=real_repo)
    assert code == 0, out + err
    code, out, err = run_portal("compute", "--quiet", "--out", str(real_repo / "build" / "computed"), cwd=real_repo)
    assert code == 0, out + err


def test_a_unit_without_a_parent_in_english(real_repo, run_portal):
    hierarchy = (real_repo / HIERARCHY).read_bytes()
    code, out, err = run_portal("--lang", "en", "satker-baru", "kanwil-ntb", "--nama", "Kantor Wilayah NTB",
                                "--nama-singkat", "Kanwil NTB", "--jenis", "Kanwil", "--provinsi",
                                "Nusa Tenggara Barat", *SOURCE, cwd=real_repo)
    assert code == 0, out + err
    assert out.splitlines()[0].endswith(": added: kanwil-ntb (Kantor Wilayah NTB)")
    assert "ok: unit kanwil-ntb is registered and every package is valid. What to fill next:" in out
    assert "  2. this unit has no parent; if a report names one, register the parent first" in out
    assert (real_repo / HIERARCHY).read_bytes() == hierarchy


def test_bad_options_are_refused_where_validation_would_put_them(real_repo, run_portal):
    """Class "Kelas III" (the enum's place named), a parent not registered (the likely one
    named), a code already registered (its line named): every message at once, in the
    registry row's own line; the hierarchy row, which follows from it, is not checked."""
    before = {path: (real_repo / path).read_bytes() for path in (REGISTRY, HIERARCHY)}
    line = len(lines(real_repo, REGISTRY)) + 1
    descriptor = lines(real_repo, "datapackages/referensi/datapackage.yaml")
    enum = next(n for n, text in enumerate(descriptor, start=1) if text.strip() == "enum:"
                and descriptor[n].strip() == "- I")
    args = ["satker-baru", "kanim-kupang", "--nama", "Kantor Imigrasi Kupang", "--nama-singkat", "Kanim Kupang",
            "--jenis", "Kanim", "--kelas", "Kelas III", "--induk", "kanwil-ditjenim-nt", "--provinsi",
            "Nusa Tenggara Timur", *SOURCE]
    code, out, _ = run_portal(*args, cwd=real_repo)
    assert code == 1
    assert out.splitlines() == [
        f"{REGISTRY}:{line} [induk_id]: diharapkan nilai yang terdaftar di referensi/satker (satker_id); ditemukan "
        "'kanwil-ditjenim-nt' (petunjuk: maksudnya 'kanwil-ditjenim-ntt'?)",
        f"{REGISTRY}:{line} [kelas]: diharapkan salah satu dari: I, II; ditemukan 'Kelas III' (petunjuk: nilai yang "
        f"boleh dipakai tertulis di datapackages/referensi/datapackage.yaml:{enum} (tabel satker, kolom kelas, "
        "`enum`))",
        f"{REGISTRY}:{line} [satker_id]: diharapkan kunci utama yang tidak dipakai baris lain; ditemukan "
        "'kanim-kupang', sudah ada di baris 4",
        "satker-baru: tidak ada yang ditulis (baris baru disebut dengan nomor baris yang akan ditempatinya)"]
    code, out, _ = run_portal("--lang", "en", *args, cwd=real_repo)
    assert code == 1
    assert out.splitlines() == [
        f"{REGISTRY}:{line} [induk_id]: expected a value listed in referensi/satker (satker_id); found "
        "'kanwil-ditjenim-nt' (hint: did you mean 'kanwil-ditjenim-ntt'?)",
        f"{REGISTRY}:{line} [kelas]: expected one of: I, II; found 'Kelas III' (hint: the allowed values are listed "
        f"in datapackages/referensi/datapackage.yaml:{enum} (resource satker, field kelas, `enum`))",
        f"{REGISTRY}:{line} [satker_id]: expected a primary key not used by another row; found 'kanim-kupang' "
        "already on line 4",
        "satker-baru: nothing written (a new row is named by the line it would take)"]
    assert {path: (real_repo / path).read_bytes() for path in before} == before


def test_a_hierarchy_period_that_overlaps_is_refused_on_its_own_line(real_repo, run_portal):
    """The registry row passes; its hierarchy row is checked with the hierarchy's rules."""
    hierarchy = lines(real_repo, HIERARCHY)
    (real_repo / HIERARCHY).write_text("\n".join(hierarchy + [
        "kanim-ende,kanwil-kemenkumham-ntt,2020,,,003_b1ce472e47b9e7be.txt,Teks: A. Latar Belakang,1,221"]) + "\n",
        encoding="utf-8")
    code, out, _ = run_portal(*ENDE, cwd=real_repo)
    assert code == 1
    assert out.splitlines()[0].startswith(
        f"{HIERARCHY}:{len(hierarchy) + 2} [tahun_mulai,tahun_selesai]: diharapkan masa yang tidak tumpang tindih "
        f"dengan masa lain satker ini; ditemukan tumpang tindih dengan baris {len(hierarchy) + 1}")


def test_an_option_this_data_has_no_column_for_is_refused_not_dropped(valid_copy, run_portal):
    """The smallest valid data: a registry without kind or parent columns, and no hierarchy."""
    before = (valid_copy / REGISTRY).read_bytes()
    code, out, _ = run_portal("satker-baru", "kanim-ende", "--nama", "Kantor Imigrasi Ende", "--nama-singkat",
                              "Kanim Ende", "--jenis", "Kanim", "--induk", "kanim-kupang", "--sumber-file",
                              "report.txt", "--sumber-tabel", "Tabel 1", "--sumber-baris", "3", cwd=valid_copy)
    assert code == 1
    assert out.splitlines() == [
        "datapackages/referensi/datapackage.yaml: diharapkan tabel satker_hierarki di paket referensi; ditemukan "
        "tidak ada",
        f"{REGISTRY}:1 [nama_singkat]: diharapkan kolom ini di baris judul tabel satker; ditemukan tidak ada",
        f"{REGISTRY}:1 [jenis]: diharapkan kolom ini di baris judul tabel satker; ditemukan tidak ada",
        f"{REGISTRY}:1 [induk_id]: diharapkan kolom ini di baris judul tabel satker; ditemukan tidak ada",
        "satker-baru: tidak ada yang ditulis (baris baru disebut dengan nomor baris yang akan ditempatinya)"]
    assert (valid_copy / REGISTRY).read_bytes() == before
