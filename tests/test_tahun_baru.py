"""`portal tahun-baru`: a new year's package named and titled for that year, its CSVs
empty below their headers, the schemas of the latest year, valid at once.

(Following the old recipe, "copy the latest year folder", a 2027 folder kept the
2026 package's name `portal-kinerja-2026` and title "tahun 2026".)
"""
import os
import shutil

import pytest
import yaml

from conftest import ROOT, descriptor_of


@pytest.fixture
def real(tmp_path):
    for folder in ("datapackages", "laporan", "definitions"):
        shutil.copytree(os.path.join(ROOT, folder), tmp_path / folder)
    return tmp_path


def descriptor(root, year):
    return yaml.safe_load((root / "datapackages" / str(year) / "datapackage.yaml").read_text(encoding="utf-8"))


def test_a_new_year_from_the_latest(real, run_portal):
    code, out, err = run_portal("tahun-baru", "2027", cwd=real)
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0] == ("datapackages/2027/datapackage.yaml: dibuat dari paket 2026 (name: portal-kinerja-2027; "
                        "title: Kinerja satker imigrasi NTT tahun 2027)")
    assert lines[1].startswith("datapackages/2027/perjanjian_kinerja.csv: dibuat, hanya baris judul kolom: satker_id, "
                               "tahun, ")
    assert "ok: paket 2027 valid. Yang harus diisi sekarang:" in lines
    assert ("  2. daftarkan laporannya dengan portal laporan-baru (barisnya di datapackages/referensi/laporan.csv, "
            "teksnya di laporan/)") in lines
    new, old = descriptor(real, 2027), descriptor(real, 2026)
    assert (new["name"], new["title"]) == ("portal-kinerja-2027", "Kinerja satker imigrasi NTT tahun 2027")
    assert "2027" in new["description"] and "2026" not in new["description"]
    assert new["resources"] == old["resources"]  # the same schemas, so every year agrees
    assert [r["schema"] for r in new["resources"]] == [f"../skema/{r['name']}.yaml" for r in new["resources"]]
    assert "fields:" not in (real / "datapackages" / "2027" / "datapackage.yaml").read_text(encoding="utf-8")
    assert new["version"] == "1.0.0"  # a new package starts at 1.0.0 (README, "Data package versions")
    assert {k: v for k, v in new.items() if k not in ("name", "title", "description", "version")} == \
        {k: v for k, v in old.items() if k not in ("name", "title", "description", "version")}
    for resource in descriptor_of(real / "datapackages" / "2026" / "datapackage.yaml")["resources"]:
        header = ",".join(f["name"] for f in resource["schema"]["fields"]) + "\n"
        assert (real / "datapackages" / "2027" / resource["path"]).read_text(encoding="utf-8") == header
    code, out, err = run_portal("validate", "--quiet", cwd=real)
    assert code == 0, out + err
    code, out, err = run_portal("compute", "--quiet", "--out", str(real / "build" / "computed"), cwd=real)
    assert code == 0, out + err


def test_in_english_and_from_another_year(real, run_portal):
    code, out, err = run_portal("--lang", "en", "tahun-baru", "2027", "--dari", "2025", cwd=real)
    assert code == 0, out + err
    assert out.splitlines()[0] == ("datapackages/2027/datapackage.yaml: made from the 2025 package "
                                   "(name: portal-kinerja-2027; title: Kinerja satker imigrasi NTT tahun 2027)")
    assert "ok: the 2027 package is valid. What to fill next:" in out
    assert len(descriptor(real, 2027)["resources"]) == len(descriptor(real, 2025)["resources"]) >= 25


def test_an_existing_year_is_left_alone(real, run_portal):
    before = (real / "datapackages" / "2025" / "datapackage.yaml").read_bytes()
    code, out, _ = run_portal("tahun-baru", "2025", cwd=real)
    assert code == 1 and out == "tahun-baru: datapackages/2025 sudah ada; tidak ada yang diubah\n"
    assert (real / "datapackages" / "2025" / "datapackage.yaml").read_bytes() == before
    code, out, _ = run_portal("tahun-baru", "2027", "--dari", "2023", cwd=real)
    assert code == 1 and out == "tahun-baru: tidak ada paket 2023; yang ada: 2020, 2021, 2022, 2024, 2025, 2026\n"
    assert not (real / "datapackages" / "2027").exists()
