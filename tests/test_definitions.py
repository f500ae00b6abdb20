"""`portal validate` rejects a bad definition with a located message."""
import os
import shutil
import subprocess
import sys

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
                         "formula: {persen: [realisasi_rp, anggaran_rp]}",
                         "definitions/checks.yaml:52 [checks[3].formula.persen]: expected one of the keys: percent, "
                         "ratio, divide, sum, subtract, multiply, const, capaian, cases, aggregate, ikpa_weight; found the "
                         "key 'persen' (hint: did you mean 'percent'? The allowed keys are listed in "
                         "definitions/skema/bersama.schema.yaml:9)"),
    "policy-misspelled": ("indeks/indeks-penegakan-hukum-wilayah.yaml", "not_applicable: renormalise",
                          "not_applicable: renormalize",
                          "indeks-penegakan-hukum-wilayah.yaml:13 [not_applicable]: expected one of: renormalise, zero; "
                          "found 'renormalize' (hint: did you mean 'renormalise'? The allowed values are listed in "
                          "definitions/skema/indeks.schema.yaml:31)"),
    "policy-missing": ("indeks/indeks-penegakan-hukum-wilayah.yaml", "not_applicable: renormalise\n", "",
                       "indeks-penegakan-hukum-wilayah.yaml [not_applicable]: expected the key not_applicable "
                       "(required); found none (hint: what may be written here is described in "
                       "definitions/skema/indeks.schema.yaml:31)"),
    "scope-unknown-satker": ("indeks/indeks-kualitas-layanan-wilayah.yaml", "scope: own_units",
                             "scope: [kanim-kupang, kanim-maumer]",
                             "[scope[1]]: expected a satker_id of referensi/satker.csv; found 'kanim-maumer' "
                             "(hint: did you mean 'kanim-maumere'?)"),
    "scope-missing": ("indeks/indeks-kualitas-layanan-wilayah.yaml", "scope: own_units\n", "",
                      "indeks-kualitas-layanan-wilayah.yaml [scope]: expected the key scope (required); found none "
                      "(hint: what may be written here is described in definitions/skema/indeks.schema.yaml:17)"),
    "owner-unknown": ("indeks/indeks-kualitas-layanan-wilayah.yaml", "satker_id: kanwil-ditjenim-ntt",
                      "satker_id: [kanwil-ditjenim-ntt, kanwil-ditjenim-nt]",
                      "[satker_id[1]]: expected a satker_id of referensi/satker.csv; found 'kanwil-ditjenim-nt'"),
    "root-unknown": ("indeks/indeks-kualitas-layanan-wilayah.yaml", "root: X", "root: Y",
                     "[root]: expected a node of `nodes`; found 'Y'"),
    "series-own-table": ("series.yaml", "    own_table: true\n", "    own_table: ya\n",
                         "definitions/series.yaml:40 [series[2].own_table]: expected true/false; found 'ya' (hint: what "
                         "may be written here is described in definitions/skema/series.schema.yaml:41)"),
    "polarity-without-formula": ("capaian.yaml", "  lebih_tinggi_lebih_baik: {percent: [realisasi, target]}\n", "",
                                 "definitions/capaian.yaml:4 [polarity]: expected a formula for every polarity of "
                                 "referensi/indikator.csv: lebih_tinggi_lebih_baik, lebih_rendah_lebih_baik; found no "
                                 "formula for lebih_tinggi_lebih_baik"),
    "aggregate-without-value": ("checks.yaml", "        how: mean\n        value: {capaian: {realisasi: realisasi, "
                                "target: target}}\n", "        how: mean\n",
                                "definitions/checks.yaml:26 [checks[1].formula.aggregate.value]: expected the key value "
                                "(required); found none (hint: what may be written here is described in "
                                "definitions/skema/bersama.schema.yaml:80)"),
    "adds-up-year-without-table": ("checks.yaml", "adds_up: {years: [2022]}", "adds_up: {years: [2021]}",
                                   "definitions/checks.yaml [checks[30] total-pegawai.adds_up.years]: expected a year "
                                   "whose package has pegawai; found '2021'"),
    "adds-up-column-not-summed": ("checks.yaml", "adds_up: {years: [2024, 2025], columns: [pagu_rp]}",
                                  "adds_up: {years: [2024, 2025], columns: [pagu]}",
                                  "[checks[7] total-jenis-belanja.adds_up.columns]: expected a column summed by this "
                                  "check: pagu_rp, realisasi_rp; found 'pagu'"),
    "adds-up-not-a-total": ("checks.yaml", "    formula: {percent: [realisasi_rp, pagu_rp]}\n",
                            "    formula: {percent: [realisasi_rp, pagu_rp]}\n    adds_up: {years: [2024]}\n",
                            "[checks[6] serapan-jenis-belanja.adds_up]: expected adds_up only on a check of kind total; "
                            "found 'row'"),
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
    'unknown-operator': "definitions/checks.yaml:52 [checks[3].formula.persen]: diharapkan salah satu kunci: percent, ratio, divide, sum, subtract, multiply, const, capaian, cases, aggregate, ikpa_weight; ditemukan kunci 'persen' (petunjuk: maksudnya 'percent'? Kunci yang boleh dipakai tertulis di definitions/skema/bersama.schema.yaml:9)",
    'policy-misspelled': "indeks-penegakan-hukum-wilayah.yaml:13 [not_applicable]: diharapkan salah satu dari: renormalise, zero; ditemukan 'renormalize' (petunjuk: maksudnya 'renormalise'? Nilai yang boleh dipakai tertulis di definitions/skema/indeks.schema.yaml:31)",
    'policy-missing': 'indeks-penegakan-hukum-wilayah.yaml [not_applicable]: diharapkan kunci not_applicable (wajib ada); ditemukan tidak ada (petunjuk: yang boleh ditulis di sini dijelaskan di definitions/skema/indeks.schema.yaml:31)',
    'scope-unknown-satker': "[scope[1]]: diharapkan satker_id dari referensi/satker.csv; ditemukan 'kanim-maumer' (petunjuk: maksudnya 'kanim-maumere'?)",
    'scope-missing': 'indeks-kualitas-layanan-wilayah.yaml [scope]: diharapkan kunci scope (wajib ada); ditemukan tidak ada (petunjuk: yang boleh ditulis di sini dijelaskan di definitions/skema/indeks.schema.yaml:17)',
    'owner-unknown': "[satker_id[1]]: diharapkan satker_id dari referensi/satker.csv; ditemukan 'kanwil-ditjenim-nt'",
    'root-unknown': "[root]: diharapkan simpul dari `nodes`; ditemukan 'Y'",
    'series-own-table': "definitions/series.yaml:40 [series[2].own_table]: diharapkan nilai true/false; ditemukan 'ya' (petunjuk: yang boleh ditulis di sini dijelaskan di definitions/skema/series.schema.yaml:41)",
    'polarity-without-formula': 'definitions/capaian.yaml:4 [polarity]: diharapkan rumus untuk setiap polaritas di referensi/indikator.csv: lebih_tinggi_lebih_baik, lebih_rendah_lebih_baik; ditemukan tidak ada rumus untuk lebih_tinggi_lebih_baik',
    'aggregate-without-value': 'definitions/checks.yaml:26 [checks[1].formula.aggregate.value]: diharapkan kunci value (wajib ada); ditemukan tidak ada (petunjuk: yang boleh ditulis di sini dijelaskan di definitions/skema/bersama.schema.yaml:80)',
    'adds-up-year-without-table': "definitions/checks.yaml [checks[30] total-pegawai.adds_up.years]: diharapkan tahun yang paketnya memuat tabel pegawai; ditemukan '2021'",
    'adds-up-column-not-summed': "[checks[7] total-jenis-belanja.adds_up.columns]: diharapkan kolom yang dijumlah pemeriksaan ini: pagu_rp, realisasi_rp; ditemukan 'pagu'",
    'adds-up-not-a-total': "[checks[6] serapan-jenis-belanja.adds_up]: diharapkan adds_up hanya pada pemeriksaan kind total; ditemukan 'row'",
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


# --- the shape of every definition and of sections.yaml, against their schemas
# (definitions/skema/, generator/pages/sections.schema.yaml; generator/yaml_schema.py)

INTERNAL = ("kesalahan internal", "internal error", "Traceback")

# (file, old, new, the whole located message in Indonesian, in English): nothing else is printed
SHAPES = {
    "bands-wrong-type": (
        "bands.yaml", "target_met_minimum: 100", "target_met_minimum: [100]",
        "definitions/bands.yaml:10 [target_met_minimum]: diharapkan angka; ditemukan [100] (petunjuk: yang boleh "
        "ditulis di sini dijelaskan di definitions/skema/bands.schema.yaml:22)",
        "definitions/bands.yaml:10 [target_met_minimum]: expected a number; found [100] (hint: what may be written "
        "here is described in definitions/skema/bands.schema.yaml:22)"),
    "series-unknown-key": (
        "series.yaml", "    key: [satker_id, jenis_belanja]\n    value: pagu_rp\n",
        "    key: [satker_id, jenis_belanja]\n    value: pagu_rp\n    satuan: rupiah\n",
        "definitions/series.yaml:40 [series[2].satuan]: diharapkan salah satu kunci: id, title, unit, unit_without_key, "
        "label_without_key, section, note, own_table, key, resource, where, value, sources; ditemukan kunci 'satuan' "
        "(petunjuk: kunci yang boleh dipakai tertulis di definitions/skema/series.schema.yaml:23)",
        "definitions/series.yaml:40 [series[2].satuan]: expected one of the keys: id, title, unit, unit_without_key, "
        "label_without_key, section, note, own_table, key, resource, where, value, sources; found the key 'satuan' "
        "(hint: the allowed keys are listed in definitions/skema/series.schema.yaml:23)"),
    # a key written twice (once by the schema's own list): the YAML message, never an internal error
    "series-duplicate-key": (
        "series.yaml", "    key: [satker_id, jenis_belanja]\n    value: pagu_rp\n",
        "    key: [satker_id, jenis_belanja]\n    value: pagu_rp\n    unit: rupiah\n",
        "definitions/series.yaml:40: diharapkan YAML yang tidak bermakna ganda; ditemukan kunci kembar 'unit' (nilai "
        "yang belakangan diam-diam menang)",
        "definitions/series.yaml:40: expected unambiguous YAML; found duplicate key 'unit' (the later value would "
        "silently win)"),
}


def edited_definitions(tmp_path, file: str, old: str, new: str):
    shutil.copytree(os.path.join(ROOT, "definitions"), tmp_path / "definitions")
    target = tmp_path / "definitions" / file
    text = target.read_text(encoding="utf-8")
    assert old in text, (file, old)
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("case", sorted(SHAPES))
def test_a_definition_of_the_wrong_shape_is_one_located_message(case, tmp_path, run_portal):
    """Exactly one message, in either language, with its line, key path, expectation and
    the schema that says what is allowed; never an internal error."""
    file, old, new, indonesian, english = SHAPES[case]
    edited_definitions(tmp_path, file, old, new)
    for lang, expected in (("id", indonesian), ("en", english)):
        code, out, err = run_portal("--lang", lang, "validate", "--quiet", "--data", os.path.join(ROOT, "datapackages"),
                                    "--definitions", "definitions", cwd=tmp_path)
        assert (code, out.splitlines()) == (1, [expected]), out + err
        assert not any(word in out + err for word in INTERNAL), err


def test_a_build_with_a_definition_of_the_wrong_shape_publishes_nothing(tmp_path, run_portal):
    """`portal build` prints the same message and stops before any page: the last good
    site stays as it was."""
    file, old, new, indonesian, _ = SHAPES["bands-wrong-type"]
    edited_definitions(tmp_path, file, old, new)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("situs terakhir yang baik", encoding="utf-8")
    code, out, err = run_portal("build", "--quiet", "--data", os.path.join(ROOT, "datapackages"), "--definitions",
                                "definitions", "--build-dir", "build", "--site-dir", "site", "--config",
                                os.path.join(ROOT, "mkdocs.yml"), cwd=tmp_path)
    assert (code, out.splitlines()) == (1, [indonesian]), out + err
    assert "tidak ada yang diterbitkan" in err and not any(word in out + err for word in INTERNAL), err
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "situs terakhir yang baik"


# sections.yaml is part of the code (generator/pages/): these cases edit a copy of the generator
SECTIONS = {
    "sections-key-misspelt": (
        "  - id: indeks\n", "  - idd: indeks\n",
        "generator/pages/sections.yaml:29 [sections[1].idd]: diharapkan salah satu kunci: id, title, special, tables; "
        "ditemukan kunci 'idd' (petunjuk: maksudnya 'id'? Kunci yang boleh dipakai tertulis di "
        "generator/pages/sections.schema.yaml:13)",
        "generator/pages/sections.yaml:29 [sections[1].idd]: expected one of the keys: id, title, special, tables; "
        "found the key 'idd' (hint: did you mean 'id'? The allowed keys are listed in "
        "generator/pages/sections.schema.yaml:13)"),
    "sections-column-misspelt": (
        "columns: [tingkat, sasaran_tercetak,", "columns: [tingkat, sasaran_tercetakk,",
        "generator/pages/sections.yaml:16 [sections[0].tables[0].columns[1]]: diharapkan kolom dari "
        "perjanjian_kinerja: catatan, indikator_id, indikator_tercetak, nomor_sasaran_tercetak, program, "
        "sasaran_tercetak, satker_id, satuan, sumber_baris, sumber_file, sumber_halaman, sumber_tabel, tahun, target, "
        "target_tercetak, tingkat; ditemukan 'sasaran_tercetakk' (petunjuk: maksudnya 'sasaran_tercetak'?)",
        "generator/pages/sections.yaml:16 [sections[0].tables[0].columns[1]]: expected a column of "
        "perjanjian_kinerja: catatan, indikator_id, indikator_tercetak, nomor_sasaran_tercetak, program, "
        "sasaran_tercetak, satker_id, satuan, sumber_baris, sumber_file, sumber_halaman, sumber_tabel, tahun, target, "
        "target_tercetak, tingkat; found 'sasaran_tercetakk' (hint: did you mean 'sasaran_tercetak'?)"),
    "sections-resource-unknown": (
        "resource: pnbp\n", "resource: pnbp_tahunan\n",
        "generator/pages/sections.yaml:51 [sections[2].tables[4].resource]: diharapkan tabel dari paket tahunan: "
        "anggaran_jenis_belanja, anggaran_kegiatan, anggaran_ringkasan, capaian_kinerja, capaian_rata_rata, "
        "desa_binaan, ikpa_bobot, ikpa_komponen, ikpa_nilai, indeks_komposit, inovasi, jumlah_teks, kinerja_anggaran, "
        "kinerja_anggaran_bobot, layanan_ketepatan_waktu, layanan_permohonan, manajemen_risiko, pegawai, "
        "pemeriksaan_tpi, penerbitan_paspor, pengawasan, penghargaan, penyidikan, perjanjian_kinerja, perlintasan, "
        "pk_anggaran, pnbp, sosialisasi, survei_indeks, target_kinerja_kementerian, tindakan_administratif; "
        "ditemukan 'pnbp_tahunan' (petunjuk: nama tabel dan kolom tertulis di datapackage.yaml setiap paket "
        "tahunan)",
        "generator/pages/sections.yaml:51 [sections[2].tables[4].resource]: expected a resource of the year "
        "packages: anggaran_jenis_belanja, anggaran_kegiatan, anggaran_ringkasan, capaian_kinerja, capaian_rata_rata, "
        "desa_binaan, ikpa_bobot, ikpa_komponen, ikpa_nilai, indeks_komposit, inovasi, jumlah_teks, kinerja_anggaran, "
        "kinerja_anggaran_bobot, layanan_ketepatan_waktu, layanan_permohonan, manajemen_risiko, pegawai, "
        "pemeriksaan_tpi, penerbitan_paspor, pengawasan, penghargaan, penyidikan, perjanjian_kinerja, perlintasan, "
        "pk_anggaran, pnbp, sosialisasi, survei_indeks, target_kinerja_kementerian, tindakan_administratif; found "
        "'pnbp_tahunan' (hint: the names of resources and columns are in each year package's datapackage.yaml)"),
}


def code_copy(tmp_path, old: str, new: str):
    """A copy of the generator whose sections.yaml has one edit."""
    shutil.copytree(os.path.join(ROOT, "generator"), tmp_path / "generator",
                    ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "generator" / "pages" / "sections.yaml"
    text = target.read_text(encoding="utf-8")
    assert old in text, old
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_copy(tmp_path, *args):
    """`portal` from the copy of the generator (python -m, with the copy first on the path)."""
    done = subprocess.run([sys.executable, "-m", "generator.cli", *args, "--data", os.path.join(ROOT, "datapackages"),
                           "--definitions", os.path.join(ROOT, "definitions")], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, env=dict(os.environ, PYTHONPATH=str(tmp_path)))
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("case", sorted(SECTIONS))
def test_a_mistake_in_sections_yaml_is_one_located_message(case, tmp_path):
    old, new, indonesian, english = SECTIONS[case]
    code_copy(tmp_path, old, new)
    for lang, expected in (("id", indonesian), ("en", english)):
        code, out, err = run_copy(tmp_path, "--lang", lang, "validate", "--quiet")
        assert (code, out.splitlines()) == (1, [expected]), out + err
        assert not any(word in out + err for word in INTERNAL), err


def test_a_build_with_a_misspelt_column_in_sections_yaml_publishes_nothing(tmp_path):
    """Checked before any page is built (today's build ends in 'kesalahan internal:
    'sasaran_tercetakk''): the same message, exit 1, the last good site untouched."""
    old, new, indonesian, _ = SECTIONS["sections-column-misspelt"]
    code_copy(tmp_path, old, new)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("situs terakhir yang baik", encoding="utf-8")
    code, out, err = run_copy(tmp_path, "build", "--quiet", "--build-dir", "build", "--site-dir", "site", "--config",
                              os.path.join(ROOT, "mkdocs.yml"))
    assert (code, out.splitlines()) == (1, [indonesian]), out + err
    assert "tidak ada yang diterbitkan" in err and not any(word in out + err for word in INTERNAL), err
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "situs terakhir yang baik"
    assert not (tmp_path / "build" / "docs").exists()


def definition_files(folder: str) -> list[str]:
    from generator.engine.definitions import FILES

    return [f"{name}.yaml" for name in FILES] + sorted(
        os.path.join("indeks", name) for name in os.listdir(os.path.join(folder, "indeks")))


def test_every_schema_passes_the_real_files():
    """The schemas describe the files as they are: each real definition and sections.yaml
    passes its own, and every schema is itself a valid JSON Schema (checked on loading)."""
    from generator.engine.definitions import SCHEMAS
    from generator.pages.sections import SCHEMA, SECTIONS as SECTIONS_FILE
    from generator.strict_yaml import load_yaml
    from generator.yaml_schema import check_file

    folder = os.path.join(ROOT, "definitions")
    used = set()
    for name in definition_files(folder) + [SECTIONS_FILE]:
        path = os.path.join(folder, name)
        schema = SCHEMA if name == SECTIONS_FILE else os.path.join(
            folder, SCHEMAS, ("indeks" if name.startswith("indeks") else name.removesuffix(".yaml")) + ".schema.yaml")
        used.add(os.path.basename(schema))
        data, problems = load_yaml(path, name)
        assert problems == [] and check_file(data, path, name, schema) == [], name
    written = set(os.listdir(os.path.join(folder, SCHEMAS))) | {os.path.basename(SCHEMA)}
    assert written == used | {"bersama.schema.yaml"}  # no schema without its file (bersama: the shared parts)


def test_the_schemas_name_what_the_engine_knows():
    """Where a schema lists fixed values the code also knows, they agree: an operator,
    a kind of check or a 0/0 policy cannot be allowed by one and unknown to the other."""
    import yaml

    from generator.engine.checks import RUNNERS
    from generator.engine.composite import NOT_APPLICABLE_POLICIES
    from generator.engine.formulas import OPERATORS

    def schema(name):
        with open(os.path.join(ROOT, "definitions", "skema", name), encoding="utf-8") as fh:
            return yaml.safe_load(fh)

    assert set(schema("bersama.schema.yaml")["$defs"]["formula"]["properties"]) == set(OPERATORS)
    assert set(schema("indeks.schema.yaml")["properties"]["not_applicable"]["enum"]) == set(NOT_APPLICABLE_POLICIES)
    kinds = schema("checks.schema.yaml")["properties"]["checks"]["items"]["properties"]["kind"]["enum"]
    assert set(kinds) == set(RUNNERS)


# --- fuzzing: a definition with a key deleted or a value of another type, at random
# places (seeded), never ends in an internal error

OTHER_VALUES = [[1, 2], "teks", 7, None, {"x": 1}, True, []]


def places(value, path=()):
    """Every (path) of a mapping key or list item in a parsed YAML document."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, child in items:
        yield path + (key,)
        yield from places(child, path + (key,))


def mutate(data, rng) -> str:
    """Delete or retype the value at one random place; say what was done."""
    import copy

    path = rng.choice(list(places(data)))
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    if rng.random() < 0.4 and isinstance(parent, dict):
        del parent[path[-1]]
        return f"deleted {list(path)}"
    parent[path[-1]] = copy.deepcopy(rng.choice([v for v in OTHER_VALUES if type(v) is not type(parent[path[-1]])]))
    return f"{list(path)} = {parent[path[-1]]!r}"


def test_fuzzed_definitions_never_end_in_an_internal_error(tmp_path, real_data):
    """For every definitions file, 8 random edits (seeded): what `portal validate` runs
    (strict YAML, schema, the engine's checks, sections) returns problems or nothing, and
    when it returns nothing the engine computes: nothing raises."""
    import random

    import yaml

    from generator.compute import load_all_definitions
    from generator.engine import compute

    packages, _ = real_data
    rng = random.Random(16)
    folder = tmp_path / "definitions"
    shutil.copytree(os.path.join(ROOT, "definitions"), folder)
    caught = 0
    for name in definition_files(str(folder)):
        original = (folder / name).read_text(encoding="utf-8")
        for _ in range(8):
            data = yaml.safe_load(original)
            done = mutate(data, rng)
            (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            try:
                definitions, problems = load_all_definitions(str(folder), packages)
                if not problems:
                    compute(packages, definitions)
            except Exception as exc:  # noqa: BLE001: any exception is the internal error this test forbids
                pytest.fail(f"{name}: {done}: {type(exc).__name__}: {exc}")
            caught += bool(problems)
        (folder / name).write_text(original, encoding="utf-8")
    assert caught > 40  # most edits are mistakes the checks find (some delete an optional key)


def test_fuzzed_definitions_through_the_command(tmp_path, run_portal):
    """The same through `portal validate` itself, once, with one random edit in every
    file: located problems, exit 1, no internal error."""
    import random

    import yaml

    rng = random.Random(1616)
    folder = tmp_path / "definitions"
    shutil.copytree(os.path.join(ROOT, "definitions"), folder)
    for name in definition_files(str(folder)):
        data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
        mutate(data, rng)
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    code, out, err = run_portal("validate", "--quiet", "--data", os.path.join(ROOT, "datapackages"), "--definitions",
                                "definitions", cwd=tmp_path)
    assert code == 1 and out.strip(), out + err
    assert all(line.startswith("definitions/") and ": diharapkan " in line for line in out.splitlines()), out
    assert not any(word in out + err for word in INTERNAL), err


@pytest.mark.parametrize("schema, old, new, expected", [
    ("bands.schema.yaml", "          type: number\n", "          type: numbr\n",
     "definitions/skema/bands.schema.yaml:21 [properties.bands.items.properties.minimum.type]: expected a valid JSON "
     "Schema (2020-12); found \"'numbr' is not valid under any of the given schemas\""),
    ("bersama.schema.yaml", "  formula:\n", "  rumus:\n",
     "definitions/skema: expected a valid JSON Schema (2020-12); found $ref '/$defs/formula', which points at no part "
     "of any schema"),
])
def test_a_broken_schema_is_located_too(schema, old, new, expected, tmp_path, monkeypatch):
    """The schemas are data someone may edit: a schema that is itself wrong, or that refers
    to a part that is not there, is a located message about the schema, not an internal error."""
    from generator.engine.definitions import load_definitions

    edited_definitions(tmp_path, os.path.join("skema", schema), old, new)
    monkeypatch.chdir(tmp_path)
    problems = [p.text("en") for p in load_definitions("definitions")[1]]
    assert problems.count(expected) == 1, problems  # bersama.schema.yaml is used by five files: said once


def test_a_missing_schema_is_located(tmp_path, monkeypatch):
    from generator.engine.definitions import load_definitions

    shutil.copytree(os.path.join(ROOT, "definitions"), tmp_path / "definitions")
    (tmp_path / "definitions" / "skema" / "ikpa.schema.yaml").unlink()
    monkeypatch.chdir(tmp_path)
    assert [p.text("en") for p in load_definitions("definitions")[1]] == [
        "definitions/skema/ikpa.schema.yaml: expected a readable YAML file; found cannot read it (No such file or "
        "directory)"]
