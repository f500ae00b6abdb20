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
    "policy-misspelled": ("indeks/indeks-penegakan-hukum-wilayah.yaml", "not_applicable: renormalise",
                          "not_applicable: renormalize",
                          "[not_applicable]: expected a known policy for 0/0 components: renormalise or zero; "
                          "found 'renormalize' (hint: renormalise = the weight of a 0/0 component is shared"),
    "policy-missing": ("indeks/indeks-penegakan-hukum-wilayah.yaml", "not_applicable: renormalise\n", "",
                       "indeks-penegakan-hukum-wilayah.yaml [not_applicable]: expected a known policy for 0/0 components: "
                       "renormalise or zero; found none (the key not_applicable is not written)"),
    "scope-unknown-satker": ("indeks/indeks-kualitas-layanan-wilayah.yaml", "scope: own_units",
                             "scope: [kanim-kupang, kanim-maumer]",
                             "[scope[1]]: expected a satker_id of referensi/satker.csv; found 'kanim-maumer' "
                             "(hint: did you mean 'kanim-maumere'?)"),
    "scope-missing": ("indeks/indeks-kualitas-layanan-wilayah.yaml", "scope: own_units\n", "",
                      "[scope]: expected own_units (the satker and the units under it that year) or a list of "
                      "satker_ids whose per-unit rows feed the index; found no scope"),
    "owner-unknown": ("indeks/indeks-kualitas-layanan-wilayah.yaml", "satker_id: kanwil-ditjenim-ntt",
                      "satker_id: [kanwil-ditjenim-ntt, kanwil-ditjenim-nt]",
                      "[satker_id[1]]: expected a satker_id of referensi/satker.csv; found 'kanwil-ditjenim-nt'"),
    "root-unknown": ("indeks/indeks-kualitas-layanan-wilayah.yaml", "root: X", "root: Y",
                     "[root]: expected a node of `nodes`; found 'Y'"),
    "series-own-table": ("series.yaml", "    own_table: true\n", "    own_table: ya\n",
                         "definitions/series.yaml [series[2] pagu-jenis-belanja own_table]: expected true or false; "
                         "found 'ya'"),
    "yaml-yes": ("bands.yaml", "target_met_minimum: 100", "target_met_minimum: 100\nshow: yes",
                 "definitions/bands.yaml:11: expected unambiguous YAML; found value 'yes' is ambiguous"),
}


# The same problems in Indonesian, the default (the engine writes them in English: its
# texts are matched against generator/messages.yaml).
INDONESIAN = {
    'weights-not-100': 'definitions/indeks/indeks-kualitas-layanan-wilayah.yaml [nodes.X.weights]: diharapkan bobot yang berjumlah 100 (%); ditemukan 110',
    'input-column-missing': "[nodes.K6.D1.numerator]: diharapkan kolom dari 2025/pemeriksaan_tpi; ditemukan 'jumlah_diperiksa'",
    'input-resource-missing': "[nodes.K1.D1.numerator]: diharapkan tabel dari paket 2025; ditemukan 'layanan'",
    'check-column-missing': "definitions/checks.yaml [checks[0] capaian]: diharapkan kolom dari capaian_kinerja; ditemukan 'capaian'",
    'ikpa-weights-not-100': 'definitions/ikpa.yaml [years.2022.weights]: diharapkan bobot yang berjumlah 100 (%); ditemukan 98',
    'unknown-operator': 'diharapkan operator di antara',
    'policy-misspelled': "[not_applicable]: diharapkan kebijakan komponen 0/0 yang dikenal: renormalise atau zero; ditemukan 'renormalize' (petunjuk: renormalise = bobot komponen 0/0 dibagi ke komponen lain",
    'policy-missing': '[not_applicable]: diharapkan kebijakan komponen 0/0 yang dikenal: renormalise atau zero; ditemukan tidak ada (kunci not_applicable belum ditulis)',
    'scope-unknown-satker': "[scope[1]]: diharapkan satker_id dari referensi/satker.csv; ditemukan 'kanim-maumer' (petunjuk: maksudnya 'kanim-maumere'?)",
    'scope-missing': '[scope]: diharapkan own_units (satker itu dan unit di bawahnya pada tahun itu) atau daftar satker_id yang baris per unitnya menjadi masukan indeks; ditemukan tanpa scope',
    'owner-unknown': "[satker_id[1]]: diharapkan satker_id dari referensi/satker.csv; ditemukan 'kanwil-ditjenim-nt'",
    'root-unknown': "[root]: diharapkan simpul dari `nodes`; ditemukan 'Y'",
    'series-own-table': "definitions/series.yaml [series[2] pagu-jenis-belanja own_table]: diharapkan true atau false; ditemukan 'ya'",
    'yaml-yes': "definitions/bands.yaml:11: diharapkan YAML yang tidak bermakna ganda; ditemukan nilai 'yes' bermakna ganda",
}


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_definition_is_located(case, lang, tmp_path, run_portal):
    file, old, new, expected = CASES[case]
    shutil.copytree(os.path.join(ROOT, "definitions"), tmp_path / "definitions")
    target = tmp_path / "definitions" / file
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = run_portal("--lang", lang, "validate", "--quiet", "--data", os.path.join(ROOT, "datapackages"),
                                "--definitions", "definitions", cwd=tmp_path)
    assert code == 1, out + err
    assert (INDONESIAN[case] if lang == "id" else expected) in out, out


def test_real_definitions_pass(run_portal):
    code, out, err = run_portal("validate", "--quiet")
    assert (code, out) == (0, ""), out + err


@pytest.mark.parametrize("key, old, new", [("not_applicable", "not_applicable: renormalise", "not_applicable: zeros"),
                                           ("scope", "scope: own_units", "scope: units")])
def test_bad_index_key_names_its_line(key, old, new, tmp_path, run_portal):
    """The line of the key is in the message (file:line [key]), found from the file, not assumed."""
    shutil.copytree(os.path.join(ROOT, "definitions"), tmp_path / "definitions")
    target = tmp_path / "definitions" / "indeks" / "indeks-kualitas-layanan-wilayah.yaml"
    lines = target.read_text(encoding="utf-8").split("\n")
    line = next(number for number, text in enumerate(lines, start=1) if text == old)
    target.write_text("\n".join(new if text == old else text for text in lines), encoding="utf-8")
    code, out, err = run_portal("validate", "--quiet", "--data", os.path.join(ROOT, "datapackages"),
                                "--definitions", "definitions", cwd=tmp_path)
    assert code == 1, out + err
    assert f"definitions/indeks/indeks-kualitas-layanan-wilayah.yaml:{line} [{key}]: diharapkan" in out, out
