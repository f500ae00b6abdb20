"""The benchmark cannot rot: a smoke run at 3 satkers x 2 years (no time is asserted)."""
import csv
import os
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_benchmark_smoke_run_prints_its_table():
    done = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "run.py"), "--smoke"], cwd=ROOT,
                          capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for line in ("3 satkers x 2 years", "time: charts", "peak memory", "search index", "Rebuild after changing one value",
                 "pages rendered / charts rendered", "Rebuild with nothing changed",
                 "a saved edit in the open preview", "plain MkDocs"):
        assert line in done.stdout, line
    no_change = done.stdout.split("Rebuild with nothing changed:")[1]
    assert "0 / 0" in no_change  # nothing rendered when nothing changed


def table_sum(rows: list[dict], spec: dict, scope: set[str]) -> float | None:
    """A ratio input of a definition, summed here from the CSV rows of `scope` (not by the engine)."""
    chosen = [r for r in rows if r["satker_id"] in scope
              and all(r.get(column, "") == str(wanted) for column, wanted in (spec.get("where") or {}).items())]
    if spec.get("count"):
        return float(len(chosen))
    cells = [r[c] for r in chosen for c in spec["sum"] if r[c] != ""]
    return sum(float(c) for c in cells) if cells else None


def test_each_kanwil_index_aggregates_only_its_own_units(tmp_path):
    """National scale: several Kanwils, each index recomputed from that Kanwil and its own units."""
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    import synth
    from generator.compute import load_all_definitions
    from generator.engine import compute
    from generator.validate import validate

    info = synth.generate(os.path.join(ROOT, "datapackages"), str(tmp_path / "datapackages"), 12, 1)
    synth.definitions_for(os.path.join(ROOT, "definitions"), str(tmp_path / "definitions"), info["first_year"], 1,
                          info["kanwils"])
    assert len(info["kanwils"]) >= 2
    packages, problems = validate(str(tmp_path / "datapackages"))
    assert not problems, problems[:5]
    definitions, problems = load_all_definitions(str(tmp_path / "definitions"), packages)
    assert not problems, problems[:5]
    computed = compute(packages, definitions)["indeks_komposit"]

    year = info["first_year"]
    folder = tmp_path / "datapackages" / str(year)
    with open(tmp_path / "datapackages" / "referensi" / "satker_hierarki.csv", encoding="utf-8") as fh:
        hierarchy = list(csv.DictReader(fh))
    csv_rows = {}
    everyone = {r["satker_id"] for r in hierarchy} | set(info["kanwils"])
    checked, differ, scoped = 0, 0, 0
    for definition in definitions["indeks"]:
        values = {}
        for kanwil in info["kanwils"]:
            own = {kanwil} | {r["satker_id"] for r in hierarchy if r["induk_id"] == kanwil}
            assert len(own) > 1, kanwil  # units under it
            rows = {r["component"]: r for r in computed
                    if r["satker_id"] == kanwil and r["indikator_id"] == definition["indicator"] and r["year"] == year}
            assert set(rows[definition["root"]]["scope"].split()) == own
            values[kanwil] = rows
            for node, spec in definition["nodes"].items():
                inputs = [spec.get("numerator"), spec.get("denominator")]
                if "weights" in spec or "published" in inputs:
                    continue
                resource = inputs[0]["resource"]
                if resource not in csv_rows:
                    with open(folder / f"{resource}.csv", encoding="utf-8") as fh:
                        csv_rows[resource] = list(csv.DictReader(fh))
                numerator, denominator = (table_sum(csv_rows[resource], s, own) for s in inputs)
                if numerator is None or not denominator:
                    continue
                expected = numerator / denominator * 100
                if spec.get("cap") is not None:
                    expected = min(expected, spec["cap"])
                assert rows[node]["value"] == pytest.approx(expected), (kanwil, node)
                everything = [table_sum(csv_rows[resource], s, everyone) for s in inputs]
                scoped += abs(everything[0] / everything[1] * 100 - expected) > 1e-9
                checked += 1
        first, second = (values[k] for k in info["kanwils"][:2])
        differ += first[definition["root"]]["value"] != pytest.approx(second[definition["root"]]["value"])
    assert checked >= 10
    assert differ == len(definitions["indeks"])  # each Kanwil has an index of its own
    assert scoped > 0  # and it is not the whole year's
