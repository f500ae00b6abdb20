"""`portal validate` rejects a bad definition with a located message."""
import os
import shutil

import pytest

from conftest import ROOT

CASES = {
    "weights-not-100": ("indeks/indeks-kualitas-layanan-wilayah.yaml", "weights: {K1: 50, K2: 50}",
                        "weights: {K1: 50, K2: 60}",
                        "definitions/indeks/indeks-kualitas-layanan-wilayah.yaml [nodes.X.weights]: "
                        "expected weights summing to 100 (%); found 110"),
    "input-column-missing": ("indeks/indeks-penegakan-hukum-wilayah.yaml", "sum: [jumlah_pemeriksaan]}",
                             "sum: [jumlah_diperiksa]}",
                             "definitions/indeks/indeks-penegakan-hukum-wilayah.yaml [nodes.K6.D1.numerator]: "
                             "expected a column of 2025/pemeriksaan_tpi; found 'jumlah_diperiksa'"),
    "input-resource-missing": ("indeks/indeks-kualitas-layanan-wilayah.yaml",
                               "numerator: {resource: layanan_permohonan,", "numerator: {resource: layanan,",
                               "[nodes.K1.D1.numerator]: expected a resource of the 2025 package; found 'layanan'"),
    "check-column-missing": ("checks.yaml", "published: capaian_persen", "published: capaian",
                             "definitions/checks.yaml [checks[0] capaian]: expected a column of capaian_kinerja; "
                             "found 'capaian'"),
    "ikpa-weights-not-100": ("ikpa.yaml", "      dispensasi_spm: 5", "      dispensasi_spm: 3",
                             "definitions/ikpa.yaml [years.2022.weights]: expected weights summing to 100 (%); found 98"),
    "unknown-operator": ("checks.yaml", "formula: {percent: [realisasi_rp, anggaran_rp]}",
                         "formula: {persen: [realisasi_rp, anggaran_rp]}", "expected an operator among"),
    "yaml-yes": ("bands.yaml", "target_met_minimum: 100", "target_met_minimum: 100\nshow: yes",
                 "definitions/bands.yaml:11: expected unambiguous YAML; found value 'yes' is ambiguous"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_definition_is_located(case, tmp_path, run_portal):
    file, old, new, expected = CASES[case]
    shutil.copytree(os.path.join(ROOT, "definitions"), tmp_path / "definitions")
    target = tmp_path / "definitions" / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = run_portal("validate", "--quiet", "--data", os.path.join(ROOT, "datapackages"),
                                "--definitions", "definitions", cwd=tmp_path)
    assert code == 1, out + err
    assert expected in out, out


def test_real_definitions_pass(run_portal):
    code, out, err = run_portal("validate", "--quiet")
    assert (code, out) == (0, ""), out + err
