"""Synthetic national-scale data shaped like the real packages (same resources, schemas
and kinds of rows), with seeded plausible values: same seed, same data.

Each synthetic satker gets, for every year and every resource, a copy of the rows a real
satker of the same kind has for that resource, its numbers scaled by one seeded factor
per satker and year. Percentages are not scaled: they are ratios of figures scaled alike.
Totals, averages, ratios and weighted indices therefore keep the relation they have in the
real reports, and the consistency report flags about as much as it does there (the real
reports' own errors, plus a few where rounding or a range limit bites). Each achievement
row's realisation also moves on its own, with its capaian recomputed by the indicator's
polarity and cap, so every satker and year has achievements (and charts) of its own.
"""
from __future__ import annotations

import copy
import csv
import os
import random
import re
import shutil

import yaml

from generator.load import SCHEMAS, read_package, schema_reference

KEEP = re.compile(r"^(sumber_.*|tahun.*|urutan.*|nomor.*|no_.*|penyebut_tahun|periode_baris|kode_.*|aktif_sejak)$")
TEMPLATE = {"Kanwil": "kanwil-ditjenim-ntt", "Kanim": "kanim-kupang", "Rudenim": "rudenim-kupang"}
RATIOS = {"indeks_komposit": ("percent", "index")}  # units not scaled: a printed index value is a ratio
FALLBACK = ("kanwil-ditjenim-ntt", "kanim-kupang", "kanim-atambua", "rudenim-kupang", "wilayah-ntt")


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def registry(n: int) -> list[dict]:
    """Kanwil, Kanim and Rudenim in a plausible hierarchy (about 33 : 125 : 13 nationally)."""
    kanwil = max(1, round(n * 0.19))
    rudenim = max(1, round(n * 0.08)) if n >= 3 else 0
    units = []
    for i in range(n):
        kind = "Kanwil" if i < kanwil else ("Rudenim" if i >= n - rudenim else "Kanim")
        parent = "" if kind == "Kanwil" else f"kanwil-{(i % kanwil) + 1:03d}"
        number = i + 1 if kind == "Kanwil" else i + 1 - kanwil
        units.append({"satker_id": f"{kind.lower()}-{number:03d}", "kind": kind, "parent": parent,
                      "province": f"Provinsi {(i % kanwil) + 1:02d}"})
    return units


def scale(row: dict, fields: dict, factor: float, ratios: tuple = ("percent",)) -> dict:
    out = dict(row)
    for name, field in fields.items():
        text = row.get(name, "")
        if text == "" or field["type"] not in ("integer", "number") or KEEP.match(name) or field.get("unit") in ratios:
            continue
        value = float(text) * factor
        constraints = field.get("constraints") or {}
        value = max(value, constraints.get("minimum", value))
        value = min(value, constraints.get("maximum", value))
        out[name] = str(int(round(value))) if field["type"] == "integer" else f"{value:.2f}"
    return out


def achievement(row: dict, indicators: dict, rng: random.Random) -> dict:
    """The realisation moved by up to 10 %, and the capaian printed as the formula gives it."""
    indicator = indicators.get(row["indikator_id"])
    if not indicator or "" in (row["target"], row["realisasi"], row["capaian_persen"]) or not float(row["target"]):
        return row
    realisation, target = round(float(row["realisasi"]) * rng.uniform(0.9, 1.1), 2), float(row["target"])
    ratio = realisation / target
    capaian = ratio * 100 if indicator["polaritas"] == "lebih_tinggi_lebih_baik" else (2 - ratio) * 100
    if indicator["batas_capaian_persen"]:
        capaian = min(capaian, float(indicator["batas_capaian_persen"]))
    return dict(row, realisasi=f"{realisation:.2f}", capaian_persen=f"{capaian:.2f}")


def generate(real: str, out: str, satkers: int, years: int, seed: int = 20261123) -> dict:
    rng = random.Random(seed)
    units = registry(satkers)
    descriptors, samples = {}, {}
    for folder in sorted(os.listdir(real)):
        path = os.path.join(real, folder, "datapackage.yaml")
        if folder.isdigit() and os.path.exists(path):
            for resource in read_package(real, folder)[0].descriptor["resources"]:  # shared schemas read in
                descriptors[resource["name"]] = resource  # later years win: schemas are shared
                rows = read_rows(os.path.join(real, folder, resource["path"]))
                for satker_id in set(r["satker_id"] for r in rows):
                    samples.setdefault((resource["name"], satker_id), [r for r in rows if r["satker_id"] == satker_id])
    write_reference(real, out, units)
    os.makedirs(os.path.join(out, SCHEMAS), exist_ok=True)
    reports = os.path.join(os.path.dirname(os.path.abspath(out)), "laporan")  # the texts every row cites
    if not os.path.isdir(reports):
        shutil.copytree(os.path.join(os.path.dirname(os.path.abspath(real)), "laporan"), reports)
    indicators = {r["indikator_id"]: r for r in read_rows(os.path.join(real, "referensi", "indikator.csv"))}
    first_year = 2026 - years
    base = yaml.safe_load(open(os.path.join(real, "2025", "datapackage.yaml"), encoding="utf-8"))
    rows_written = 0
    for year in range(first_year, first_year + years):
        folder = os.path.join(out, str(year))
        os.makedirs(folder, exist_ok=True)
        package = {k: v for k, v in base.items() if k != "resources"}
        package.update(name=f"portal-kinerja-{year}", title=f"Kinerja satker imigrasi (sintetis) tahun {year}")
        package["resources"] = []
        factors = {unit["satker_id"]: rng.uniform(0.8, 1.2) for unit in units}
        for name, descriptor in sorted(descriptors.items()):
            resource = copy.deepcopy(descriptor)
            fields = {f["name"]: f for f in resource["schema"]["fields"]}
            rows = []
            for unit in units:
                template = sample_for(samples, name, unit["kind"])
                ratios = RATIOS.get(name, ("percent",))
                scaled = [dict(scale(r, fields, factors[unit["satker_id"]], ratios), satker_id=unit["satker_id"],
                               tahun=str(year)) for r in template]
                rows += [achievement(r, indicators, rng) for r in scaled] if name == "capaian_kinerja" else scaled
            if rows:
                write_rows(os.path.join(folder, resource["path"]), list(fields), rows)
                package["resources"].append(dict(resource, schema=schema_reference(name)))
                shutil.copy(os.path.join(real, SCHEMAS, f"{name}.yaml"), os.path.join(out, SCHEMAS))
                rows_written += len(rows)
        with open(os.path.join(folder, "datapackage.yaml"), "w", encoding="utf-8") as fh:
            yaml.safe_dump(package, fh, allow_unicode=True, sort_keys=False, width=110)
    return {"satkers": satkers, "years": years, "rows": rows_written, "first_year": first_year,
            "kanwils": [u["satker_id"] for u in units if u["kind"] == "Kanwil"]}


def sample_for(samples: dict, resource: str, kind: str) -> list[dict]:
    for satker_id in (TEMPLATE[kind],) + FALLBACK:
        if (resource, satker_id) in samples:
            return samples[(resource, satker_id)]
    return []


def write_reference(real: str, out: str, units: list[dict]) -> None:
    source = os.path.join(real, "referensi")
    folder = os.path.join(out, "referensi")
    os.makedirs(folder, exist_ok=True)
    descriptor = yaml.safe_load(open(os.path.join(source, "datapackage.yaml"), encoding="utf-8"))
    provenance = read_rows(os.path.join(source, "satker.csv"))[0]
    keep = {k: provenance[k] for k in ("sumber_file", "sumber_tabel", "sumber_halaman", "sumber_baris")}
    satker = [{"satker_id": u["satker_id"], "kode_satker": "", "nama": f"{u['kind']} sintetis {u['satker_id'][-3:]}",
               "nama_singkat": f"{u['kind']} {u['satker_id'][-3:]}", "jenis": u["kind"],
               "kelas": "II" if u["kind"] == "Kanim" else "", "induk_id": u["parent"], "provinsi": u["province"],
               "aktif_sejak": "", "catatan": "synthetic benchmark unit", **keep} for u in units]
    tables = {"satker": satker,
              "satker_hierarki": [{"satker_id": u["satker_id"], "induk_id": u["parent"], "tahun_mulai": "", "tahun_selesai": "",
                                   "catatan": "synthetic", **keep} for u in units if u["parent"]]}
    for name in ("tempat_pemeriksaan", "wilayah_kerja", "wilayah_kerja_jumlah"):
        rows, template = [], read_rows(os.path.join(source, f"{name}.csv"))
        by_kind = {"Kanwil": "kanwil-ditjenim-ntt", "Kanim": "kanim-atambua", "Rudenim": "rudenim-kupang"}
        for unit in units:
            own = [r for r in template if r["satker_id"] == by_kind[unit["kind"]]] or []
            for r in own:
                row = dict(r, satker_id=unit["satker_id"])
                if "tempat_pemeriksaan_id" in row:
                    row["tempat_pemeriksaan_id"] = f"{r['tempat_pemeriksaan_id']}-{unit['satker_id']}"
                rows.append(row)
        tables[name] = rows
    for resource in descriptor["resources"]:
        name = resource["name"]
        header = [f["name"] for f in resource["schema"]["fields"]]
        rows = tables.get(name) or read_rows(os.path.join(source, resource["path"]))
        if name == "laporan":
            rows = [dict(r, satker_id=units[0]["satker_id"]) for r in rows]
        write_rows(os.path.join(folder, resource["path"]), header, rows)
    with open(os.path.join(folder, "datapackage.yaml"), "w", encoding="utf-8") as fh:
        yaml.safe_dump(descriptor, fh, allow_unicode=True, sort_keys=False, width=110)


def definitions_for(real_definitions: str, out: str, first_year: int, years: int, kanwils: list[str]) -> None:
    """The real definitions, with the composite indices computed for every synthetic year and
    for every Kanwil, each from its own units (scope own_units: referensi/satker_hierarki.csv),
    and no total that must add up (scaled rows are rounded one by one)."""
    import shutil

    shutil.copytree(real_definitions, out)
    for name in os.listdir(os.path.join(out, "indeks")):
        path = os.path.join(out, "indeks", name)
        definition = yaml.safe_load(open(path, encoding="utf-8"))
        definition.update(years=list(range(first_year, first_year + years)), satker_id=list(kanwils), scope="own_units")
        with open(path, "w", encoding="utf-8") as fh:
            yaml.safe_dump(definition, fh, allow_unicode=True, sort_keys=False)
    path = os.path.join(out, "checks.yaml")
    checks = yaml.safe_load(open(path, encoding="utf-8"))
    for check in checks["checks"]:
        check.pop("adds_up", None)  # rounded scaled parts need not add up to the rounded scaled total
    with open(path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(checks, fh, allow_unicode=True, sort_keys=False)
    path = os.path.join(out, "ikpa.yaml")
    ikpa = yaml.safe_load(open(path, encoding="utf-8"))
    latest = ikpa["years"][max(ikpa["years"])]
    ikpa["years"] = {year: latest for year in range(first_year, first_year + years)}
    with open(path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(ikpa, fh, allow_unicode=True, sort_keys=False)
