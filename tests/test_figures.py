"""Figures and their printings (definitions/angka.yaml) on the real data: every figure
printed more than once is reconciled against its named reference, remapped printings
count as the figure they print, and a declaration left out is caught."""
import copy
import csv
import os

import pytest

from conftest import ROOT, descriptor_of
from generator.engine import compute
from generator.engine.definitions import check_figures, SchemaIndex

IDENTITY_SKIP = ("sumber_", "urutan", "no_tercetak", "nomor")  # where and in which order a row is printed
ROW_KIND = ("jenis_baris", "program", "kegiatan", "baris_total", "tingkat", "periode", "indikator_id", "pembanding")


@pytest.fixture(scope="module")
def loaded(real_data):
    return real_data


@pytest.fixture(scope="module")
def results(real_results):
    return real_results


def repeated_cells(definitions) -> list[tuple[str, int, str]]:
    """Number cells printed in two or more rows that share satker, year and every identifying
    column of their resource's primary key (sources and print order left out): candidate
    restatements, found without the declarations, so a missing declaration shows."""
    skip = {d["resource"] for d in definitions["angka"].get("not_repeats") or []}
    out = []
    for folder in sorted(os.listdir(os.path.join(ROOT, "datapackages"))):
        path = os.path.join(ROOT, "datapackages", folder, "datapackage.yaml")
        if not os.path.exists(path) or folder == "referensi":
            continue
        for resource in descriptor_of(path)["resources"]:
            if resource["name"] in skip:
                continue
            names = [f["name"] for f in resource["schema"]["fields"]]
            identity = [c for c in resource["schema"]["primaryKey"] if not c.startswith(IDENTITY_SKIP)]
            identity += [c for c in ROW_KIND if c in names and c not in identity]
            numbers = [f["name"] for f in resource["schema"]["fields"] if f["type"] in ("number", "integer")
                       and f["name"] != "tahun" and not f["name"].startswith(IDENTITY_SKIP)]
            csv_path = os.path.join("datapackages", folder, resource["path"])
            with open(os.path.join(ROOT, csv_path), encoding="utf-8", newline="") as fh:
                rows = list(enumerate(csv.DictReader(fh), start=2))
            groups: dict[tuple, list] = {}
            for line, row in rows:
                groups.setdefault(tuple(row[c] for c in identity), []).append((line, row))
            for members in groups.values():
                for c in numbers:
                    printed = [line for line, row in members if row[c] != ""]
                    out += [(csv_path, line, c) for line in printed] if len(printed) > 1 else []
    return out


def uncovered(results, definitions) -> list[str]:
    compared = {(r["csv_file"], r["csv_line"], r["column"]) for r in results["consistency"] if r["figure_key"]}
    return [f"{p}:{line} {c}" for p, line, c in repeated_cells(definitions) if (p, line, c) not in compared]


def test_every_restatement_is_compared_with_something(results, loaded):
    assert len(repeated_cells(loaded[1])) > 150
    assert not uncovered(results, loaded[1])


def test_a_missing_declaration_is_caught(loaded):
    packages, definitions = loaded
    trimmed = copy.deepcopy(definitions)
    trimmed["angka"]["figures"] = [d for d in trimmed["angka"]["figures"] if d["resource"] != "tindakan_administratif"]
    missing = uncovered(compute(packages, trimmed), trimmed)
    assert missing and all("tindakan_administratif" in m for m in missing)


def test_each_figure_printed_twice_has_one_reference_with_a_reason(results):
    by_figure: dict[str, list[dict]] = {}
    for r in results["consistency"]:
        if r["check_id"] == "cetakan-rujukan":
            by_figure.setdefault(r["figure_key"], []).append(r)
    assert len(by_figure) > 60
    for key, records in by_figure.items():
        references = [r for r in records if r["role"] == "rujukan"]
        assert len(references) == 1 and len(records) >= 2, key
        assert references[0]["status"] == "reference" and "cetakan rujukan: " in references[0]["explanation"]
        assert all(r["status"] in ("match", "printing_mismatch") for r in records if r["role"] == "pengulangan")


def one(results, **where):
    rows = [r for r in results["consistency"] if all(str(r[k]) == str(v) for k, v in where.items())]
    assert len(rows) == 1, rows
    return rows[0]


def test_a_realisation_the_text_calls_target(results):
    # 2022 line 510: "target sebesar 3,58 dengan capaian 122%"; 3,58 is the realisation (Tabel 3.1).
    key = "kanim-kupang/2022/capaian/indeks-pengamanan-wilayah/target_pk"
    printed = one(results, check_id="cetakan-rujukan", source_line=510, column="target")
    assert (printed["figure_key"], printed["status"]) == (f"{key}/realisasi", "match")
    # its capaian 122 %: recomputed from the target and realisation printed elsewhere ...
    arithmetic = one(results, check_id="capaian", source_line=510)
    assert arithmetic["recomputed"] == pytest.approx(3.58 / 3.12 * 100) and arithmetic["status"] == "mismatch"
    assert "Tabel 3.1" in arithmetic["compared_with"]
    # ... and against the reference printing (Tabel 3.1: 114 %)
    restated = one(results, check_id="cetakan-rujukan", source_line=510, column="capaian_persen")
    assert (restated["recomputed"], restated["status"]) == (114, "printing_mismatch")


def test_one_table_total_against_another_for_the_same_money(results):
    # 2025 Tabel 17 JUMLAH realisation 5.679.617.633; Tabel 16 total 5.679.617.677.
    row = one(results, check_id="cetakan-rujukan", source_line=1520, column="realisasi_rp", year=2025)
    assert (row["figure_key"], row["status"]) == ("kanwil-ditjenim-ntt/2025/anggaran/realisasi", "printing_mismatch")
    assert row["difference"] == -44 and "Tabel 16" in row["compared_with"]


def test_capaian_has_one_row_per_figure(results):
    kupang = [r for r in results["capaian"] if (r["satker_id"], r["year"]) == ("kanim-kupang", 2022)]
    assert sorted(r["indikator_id"] for r in kupang) == [
        "ikm-wilayah", "indeks-kepuasan-internal-wilayah", "indeks-pengamanan-wilayah"]
    pengamanan = next(r for r in kupang if r["indikator_id"] == "indeks-pengamanan-wilayah")
    assert (pengamanan["target"], pengamanan["realisation"], pengamanan["capaian_published"]) == (3.12, 3.58, 114)
    assert pengamanan["source_table"] == "Tabel 3.1" and pengamanan["printings_differing"] == 2


def test_no_data_only_where_no_place_prints_the_inputs(results):
    # 2025 executive summary: IKL "capaian [101,2%]" alone; target and realisation are printed elsewhere.
    row = one(results, check_id="capaian", source_line=108)
    assert row["status"] == "mismatch" and row["recomputed"] == pytest.approx(95.73 / 91 * 100)


def test_a_reference_rule_without_a_reason_is_a_located_error(loaded):
    packages, definitions = loaded
    broken = copy.deepcopy(definitions["angka"])
    broken["reference"][0]["reason"] = ""
    broken["printings"][0]["measure"] = "realisasii"
    problems = [str(p) for p in check_figures(broken, SchemaIndex(packages), "definitions/angka.yaml")]
    assert any("reference[0].reason" in p for p in problems)
    assert any("printings[0].measure" in p and "realisasii" in p for p in problems)


def test_series_take_the_reference_printing_of_the_figure_they_read(loaded, results):
    """A series value read from a cell that prints a figure is that figure's reference
    printing (angka), as every other page shows it; a series with `own_table` keeps the value
    of its own table (a breakdown's total stays its parts' total). Cells the report mislabels
    (remapped printings) are not values of the series."""
    from generator.engine.data import from_packages, matches
    from generator.engine.figures import remap
    from generator.engine.values import parse_number

    packages, definitions = loaded
    data = from_packages(packages)
    reference = {r["figure_key"]: r["value"] for r in results["angka"]}
    printing_of = {(r["year"], r["resource"], r["csv_line"], r["column"]): r["figure_key"]
                   for r in results["consistency"] if r["check_id"] == "cetakan-rujukan"}
    values = {(r["series"], r["satker_id"], r["key"], r["year"]): r["value"] for r in results["seri_tahunan"]}
    checked, own = 0, 0
    for spec in definitions["series"]["series"]:
        read: dict[tuple, list] = {}  # (satker, key, year) -> the cells the series reads for it
        for origin in spec.get("sources") or [spec]:
            for year, row in data.all_rows(origin["resource"]):
                column = origin["value"]
                if row.get(column, "") == "" or not matches(row, origin.get("where") or {}) \
                        or remap(definitions["angka"], row["_resource"], year, row, column):
                    continue
                key = tuple(row.get(c, "") for c in spec["key"])
                read.setdefault((key[0], " / ".join(key[1:]), year), []).append((row, column))
        for (satker_id, key, year), cells in read.items():
            value = values[(spec["id"], satker_id, key, year)]
            if spec.get("own_table"):
                assert value in [parse_number(row[column]) for row, column in cells], (spec["id"], satker_id, key, year)
                own += 1
                continue
            for row, column in cells:
                figure = printing_of.get((year, row["_resource"], row["_line"], column))
                if figure is not None:
                    assert value == pytest.approx(reference[figure]), (spec["id"], satker_id, key, year, figure)
                    checked += 1
    assert checked >= 10 and own >= 4
