"""The indicator engine on the real data: hand-computed cases from the reports, every
published derived figure accounted for, and the computed package."""
import csv
import os
import subprocess
import sys

import pytest

from conftest import ROOT, descriptor_of


@pytest.fixture(scope="module")
def results(real_results):
    return real_results


def find(results, check_id, source_line, column=None, year=None):
    rows = [r for r in results["consistency"] if r["check_id"] == check_id and str(r["source_line"]) == str(source_line)
            and (column is None or r["column"] == column) and (year is None or r["year"] == year)]
    assert len(rows) == 1, rows
    return rows[0]


def test_capaian_truncated_by_the_report(results):
    # 2022 Tabel 3.1: Indeks Pengamanan 3,58 / 3,12 = 114,74 %, printed 114 %.
    row = find(results, "capaian", 461)
    assert row["recomputed"] == pytest.approx(3.58 / 3.12 * 100)
    assert (row["published"], row["status"]) == (114, "mismatch")
    assert "laporan memotong angka menjadi bilangan bulat, bukan membulatkannya" in row["explanation"]


def test_capaian_text_contradicting_its_table(results):
    # 2022 Table 3.5 prints 122 % for the same 3,58 / 3,12.
    row = find(results, "capaian", 517, year=2022)
    assert row["status"] == "mismatch" and row["difference"] == pytest.approx(122 - 114.7436, abs=1e-3)


def test_composite_ratio_from_per_unit_table(results):
    # 2025 Tabel 4: D1 = 23.382 issued / 24.677 (issued + refused + cancelled) = 94,75.
    row = find(results, "indeks-dari-data", 639)
    assert row["recomputed"] == pytest.approx(23382 / 24677 * 100)
    assert row["status"] == "match"
    inputs = [r for r in results["consistency"] if r["check_id"] == "indeks-masukan" and r["source_line"] == "639"]
    assert {(r["column"], r["recomputed"], r["status"]) for r in inputs} == {
        ("pembilang", 23382, "match"), ("penyebut", 24677, "match")}


def test_composite_step_rounded_from_truncated_terms(results):
    # K1 = 94,75 x 70 % + 99,99 x 30 % = 96,322; the report prints 96,31.
    row = find(results, "indeks-nilai", 659)
    assert row["recomputed"] == pytest.approx(96.322)
    assert row["status"] == "mismatch"


def test_zero_over_zero_is_not_applicable_with_the_reports_zero_beside_it(results):
    # Penyidikan D1 = 0/0, printed as 0 (lines 890-894).
    row = find(results, "indeks-nilai", 894)
    assert (row["published"], row["recomputed"], row["status"]) == (0, None, "not_applicable")
    assert "0/0" in row["explanation"]
    tree = {r["component"]: r for r in results["indeks_komposit"] if r["indikator_id"] == "indeks-penegakan-hukum-wilayah"}
    assert tree["K1.I1"]["status"] == "not_applicable"
    assert tree["K1"]["value"] == pytest.approx(100)  # I2 carries the whole weight
    assert tree["K1.I2"]["effective_weight_percent"] == pytest.approx(100)


def test_budget_percentage_copied_from_the_row_above(results):
    # 2025 Tabel 16: 1.114.081.167 / 1.629.443.000 = 68,37 %, printed 79,49 %.
    row = find(results, "serapan-kegiatan", 1494)
    assert row["recomputed"] == pytest.approx(1114081167 / 1629443000 * 100)
    assert row["status"] == "mismatch"


def test_total_that_differs_from_its_rows(results):
    # 2025 Tabel 17, 2024 column: JUMLAH realisation 3.707.965.092, rows sum to 3.707.934.092.
    row = find(results, "total-jenis-belanja", 1520, column="realisasi_rp", year=2024)
    assert (row["recomputed"], row["status"]) == (3707934092, "mismatch")


def test_ikpa_from_components_and_weights(results):
    # 2022 IKPA table (Gambar 3.4): the 2022 weights reproduce 96,68; the printed weights give 94,68.
    assert find(results, "ikpa-nilai-akhir", 616, year=2022)["status"] == "match"
    total = find(results, "ikpa-nilai-total", 616, year=2022)
    assert total["recomputed"] == pytest.approx(94.683) and total["status"] == "mismatch"


def test_printed_weights_that_do_not_sum_to_100(results):
    row = find(results, "indeks-jumlah-bobot", 888)
    assert (row["published"], row["status"]) == (110, "mismatch")


def test_every_published_derived_figure_is_confirmed_or_flagged(results):
    """Each cell of a column marked x-derived has a consistency row."""
    checked = {(r["csv_file"], r["csv_line"], r["column"]) for r in results["consistency"]}
    assert {r["status"] for r in results["consistency"]} <= {"match", "mismatch", "not_applicable", "no_data",
                                                             "printing_mismatch", "reference"}
    unchecked, derived = [], 0
    for folder in sorted(os.listdir(os.path.join(ROOT, "datapackages"))):
        descriptor_path = os.path.join(ROOT, "datapackages", folder, "datapackage.yaml")
        if not os.path.exists(descriptor_path):
            continue
        for resource in descriptor_of(descriptor_path)["resources"]:
            marked = {f["name"]: f["x-derived"] for f in resource["schema"]["fields"] if f.get("x-derived")}
            path = os.path.join("datapackages", folder, resource["path"])
            with open(os.path.join(ROOT, path), encoding="utf-8", newline="") as fh:
                for line, row in enumerate(csv.DictReader(fh), start=2):
                    for column, spec in marked.items():
                        rows = spec.get("rows", {}) if isinstance(spec, dict) else {}
                        if row[column] == "" or any(row[k] != v for k, v in rows.items()):
                            continue
                        derived += 1
                        if (path, line, column) not in checked:
                            unchecked.append(f"{path}:{line} {column}")
    assert derived > 150
    assert not unchecked, unchecked


def test_compute_writes_a_valid_package(tmp_path, run_portal):
    out = tmp_path / "computed"
    code, _, err = run_portal("compute", "--quiet", "--out", str(out))
    assert code == 0, err
    exe = os.path.join(os.path.dirname(sys.executable), "frictionless")
    done = subprocess.run([exe, "validate", "datapackage.yaml"], cwd=out, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:]
    with open(out / "consistency.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {"satker_id", "year", "figure", "published", "recomputed", "difference", "status",
            "source_file", "source_table", "source_page"} <= set(rows[0])
    assert sum(r["status"] == "mismatch" for r in rows) >= 30


def test_composite_rows_carry_the_same_comparison_as_the_consistency_report(results):
    """Each component's printed value against the value from the per-unit tables: the
    computed indeks_komposit row says what the consistency record of that printing says."""
    by_line = {(r["csv_file"], r["csv_line"]): r for r in results["consistency"] if r["check_id"] == "indeks-dari-data"}
    records = {}
    for year in {r["year"] for r in results["indeks_komposit"]}:
        path = os.path.join("datapackages", str(year), "indeks_komposit.csv")
        with open(os.path.join(ROOT, path), encoding="utf-8", newline="") as fh:
            for line, printed in enumerate(csv.DictReader(fh), start=2):
                if (path, line) in by_line:
                    records[(printed["satker_id"], year, printed["indikator_id"], printed["komponen"])] = by_line[(path, line)]
    assert len(records) == len(by_line)
    compared = 0
    for row in results["indeks_komposit"]:
        record = records.get((row["satker_id"], row["year"], row["indikator_id"], row["component"]))
        if row["compared_printing"] != "perhitungan":
            assert record is None
            continue
        assert (row["published_value"], row["comparison"], row["difference"]) == (
            record["published"], record["status"], record["difference"])
        compared += 1
    assert compared == len(records) > 10
    statuses = {r["comparison"] for r in results["indeks_komposit"]}
    assert {"match", "mismatch"} <= statuses
