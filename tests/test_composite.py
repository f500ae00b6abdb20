"""Composite indices on the pages: the printed values beside the recomputed ones with the
engine's comparison, a root of any name, and an index per satker of its own units."""
import csv
import json
import os
import re
import shutil

import pytest
import yaml

from conftest import ROOT
from htmlpage import read

DATA = os.path.join(ROOT, "datapackages")


def rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def shown_number(text: str) -> float:
    return float(text.replace(".", "").replace(",", "."))


def within_rounding(printed: str, recomputed: float) -> bool:
    """Half a unit of the printed value's last decimal (worked out here from the CSV text)."""
    places = len(printed.split(".")[1]) if "." in printed else 0
    return abs(float(printed) - recomputed) <= 0.5 * 10 ** -places + 1e-9


def test_kanwil_page_shows_printed_recomputed_and_comparison(built):
    """Every component: the value printed in its calculation (else its first printing), every
    other printing, the value recomputed from the per-unit tables, and "Sesuai" only when
    the printed value is within its rounding of the recomputed one."""
    printed = [r for r in rows(os.path.join(DATA, "2025", "indeks_komposit.csv"))
               if r["satker_id"] == "kanwil-ditjenim-ntt" and r["nilai"] != ""]
    computed = [r for r in rows(built / "build" / "computed" / "indeks_komposit.csv")
                if r["satker_id"] == "kanwil-ditjenim-ntt" and r["year"] == "2025"]
    page = read(built / "site" / "satker" / "kanwil-ditjenim-ntt" / "2025" / "index.html")
    statuses = set()
    for indicator in sorted({r["indikator_id"] for r in computed}):
        table = page.tables[f"tabel-indeks-{indicator}"]
        header = table["header"]
        shown = {r[header.index("Komponen")]: dict(zip(header, r)) for r in table["rows"]}
        expected = [r for r in computed if r["indikator_id"] == indicator]
        assert list(shown) == [r["component"] for r in expected]
        for r in expected:
            row = shown[r["component"]]
            prints = [p for p in printed if p["indikator_id"] == indicator and p["komponen"] == r["component"]
                      and p["tahap"] != "definisi_bobot"]
            main = next((p for p in prints if p["tahap"] == "perhitungan"), None)
            if main is None:
                assert row["Perbandingan"].endswith("Tidak dicetak")
                continue
            assert shown_number(row["Nilai dicetak"]) == pytest.approx(float(main["nilai"]), abs=0.006)
            for other in (p for p in prints if p["tahap"] in ("tabel_ringkasan", "teks")):
                assert other["tahap"].replace("_", " ") in row["Cetakan lain"]
            if r["value"] == "":
                assert row["Hitung ulang"] == "–"
                assert "Tidak berlaku" in row["Perbandingan"] or "Tidak dapat" in row["Perbandingan"]
                continue
            recomputed = float(r["value"])
            assert shown_number(row["Hitung ulang"]) == pytest.approx(recomputed, abs=0.006)
            if within_rounding(main["nilai"], recomputed):
                assert row["Perbandingan"].endswith("Sesuai"), (indicator, row)
            else:
                difference = float(main["nilai"]) - recomputed
                words = "lebih tinggi" if difference > 0 else "lebih rendah"
                assert "Berbeda" in row["Perbandingan"] and words in row["Perbandingan"], (indicator, row)
                amount = re.search(r"dicetak ([0-9.,]+)", row["Perbandingan"]).group(1)
                assert shown_number(amount) == pytest.approx(abs(difference), abs=0.006)
            statuses.add(row["Perbandingan"].split(":")[0])
    assert {"✓ Sesuai", "⚠ Berbeda"} <= statuses  # the real 2025 report has both
    text = " ".join(" ".join(r) for t in page.tables.values() for r in t["rows"])
    for code in ("not_applicable", "no_data", "not_published", "mismatch", "tabel_ringkasan", "renormalise"):
        assert code not in text


def copy_definitions(tmp_path, edit):
    target = tmp_path / "definitions"
    shutil.copytree(os.path.join(ROOT, "definitions"), target)
    path = target / "indeks" / "indeks-kualitas-layanan-wilayah.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def composite_page(tmp_path, definitions):
    from generator.compute import run_compute
    from generator.pages import gather, satker_year_page

    computed, problems = run_compute(DATA, str(definitions), str(tmp_path / "computed"))
    assert not problems, problems[:5]
    site = gather(computed.packages, computed.definitions, computed.years)
    return satker_year_page(site, "kanwil-ditjenim-ntt", 2025)


def test_a_renamed_root_keeps_its_table_and_chart(tmp_path):
    definition = yaml.safe_load(open(os.path.join(ROOT, "definitions", "indeks", "indeks-kualitas-layanan-wilayah.yaml"),
                                     encoding="utf-8"))
    root = definition["root"]
    renamed = "IKL"
    assert renamed not in definition["nodes"]

    def rename(text):
        text = re.sub(rf"^root: {re.escape(root)}$", f"root: {renamed}", text, flags=re.M)
        return re.sub(rf"^  {re.escape(root)}:$", f"  {renamed}:", text, flags=re.M)

    pages = {}
    for name, edit in (("as-is", lambda text: text), ("renamed", rename)):
        (tmp_path / name).mkdir()
        pages[name] = composite_page(tmp_path / name, copy_definitions(tmp_path / name, edit))
    table_id = f"indeks-{definition['indicator']}"
    before, after = ({t.id: t for t in pages[k].tables}[table_id] for k in ("as-is", "renamed"))
    assert [r[0].text for r in after.rows] == [renamed] + [r[0].text for r in before.rows[1:]]
    assert [[c.text for c in r[1:]] for r in after.rows[1:]] == [[c.text for c in r[1:]] for r in before.rows[1:]]
    columns = [c.key for c in after.columns]
    same = [columns.index(k) for k in ("title", "weight_percent", "value", "contribution_to_index")]
    assert [after.rows[0][i].text for i in same] == [before.rows[0][i].text for i in same]
    # The report prints the root as "X": under another name it is recomputed but not printed.
    assert after.rows[0][columns.index("comparison")].text == "Tidak dicetak"
    charts = {k: [c for c in pages[k].charts if c.title.startswith("Kontribusi") and "Kualitas Layanan" in c.title]
              for k in pages}
    assert len(charts["as-is"]) == len(charts["renamed"]) == 1
    points = json.loads(charts["renamed"][0].inputs_json)["rows"]
    assert [p["komponen"].split()[0] for p in points] == list(definition["nodes"][root]["weights"])
    assert points == json.loads(charts["as-is"][0].inputs_json)["rows"]
