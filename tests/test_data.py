"""The real data packages: valid by our rules and by Frictionless alone, and complete."""
import csv
from decimal import Decimal, InvalidOperation
import glob
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, descriptor_of

DATA = os.path.join(ROOT, "datapackages")
PACKAGES = sorted(os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(DATA, "*", "datapackage.yaml")))
REPORTS = os.path.join(ROOT, "laporan")


def rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_all_packages_validate(run_portal):
    code, out, err = run_portal("validate", "--quiet")
    assert code == 0, out + err
    assert PACKAGES == ["2020", "2021", "2022", "2024", "2025", "2026", "referensi"]


@pytest.mark.parametrize("package", PACKAGES)
def test_frictionless_validates_each_package_alone(package):
    """--trusted: Frictionless follows `../skema/` paths only when told to."""
    exe = os.path.join(os.path.dirname(sys.executable), "frictionless")
    done = subprocess.run([exe, "validate", "--trusted", "datapackage.yaml"], cwd=os.path.join(DATA, package),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]


@pytest.mark.parametrize("package", [p for p in PACKAGES if p.isdigit()])
def test_the_published_descriptor_stands_alone(package, tmp_path):
    """The download writes each shared schema in, under its `schema:` line, every other line
    as in the repository: Frictionless validates it without --trusted, beside its CSVs only."""
    from generator.load import bundled, read_package

    read, problems = read_package(DATA, package)
    assert not problems
    text = bundled(read)
    raw = open(os.path.join(DATA, package, "datapackage.yaml"), "rb").read()
    assert yaml.safe_load(text) == read.descriptor and b"../skema/" not in text
    assert text.split(b"\n")[:2] == raw.split(b"\n")[:2]  # the descriptor's own lines, comments included
    (tmp_path / "datapackage.yaml").write_bytes(text)
    for resource in read.resources:
        shutil.copy(os.path.join(DATA, package, resource.path), tmp_path)
    exe = os.path.join(os.path.dirname(sys.executable), "frictionless")
    done = subprocess.run([exe, "validate", "datapackage.yaml"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]


def printed_tables(report_file):
    """Table ids the report prints: in its list of tables and as captions in the body."""
    text = open(os.path.join(REPORTS, report_file), encoding="utf-8").read()
    return {number.rstrip(".") for number in re.findall(r"^\(?(?:Tabel|Table) ([0-9][0-9.]*)", text, re.M)}


@pytest.mark.parametrize("report_file", sorted(os.listdir(REPORTS)))
def test_sources_register_covers_every_printed_table(report_file):
    register = [r for r in rows(os.path.join(DATA, "referensi", "sumber.csv")) if r["sumber_file"] == report_file]
    registered = {re.sub(r"^(Tabel|Table) ", "", r["sumber_tabel"]) for r in register}
    tables = printed_tables(report_file)
    assert len(tables) >= 12, tables
    missing = tables - registered
    assert not missing, f"tables of {report_file} missing from referensi/sumber.csv: {sorted(missing)}"


def test_every_cited_line_exists():
    lengths = {name: sum(1 for _ in open(os.path.join(REPORTS, name), encoding="utf-8"))
               for name in os.listdir(REPORTS)}
    bad = []
    for path in glob.glob(os.path.join(DATA, "*", "*.csv")):
        for row in rows(path):  # a report without its text has no lines (portal validate names it too)
            if row.get("sumber_baris") and not 1 <= int(row["sumber_baris"]) <= lengths.get(row["sumber_file"], 0):
                bad.append((path, row["sumber_file"], row["sumber_baris"]))
    assert not bad
    assert set(lengths) == {r["sumber_file"] for r in rows(os.path.join(DATA, "referensi", "laporan.csv"))}


def printed_numbers(text):
    """Every value a printed number can mean: Indonesian (1.234,5) or English (1,234.5)."""
    values = set()
    for token in re.findall(r"\d[\d.,]*", text):
        token = token.rstrip(".,")
        for reading in (token.replace(".", "").replace(",", "."), token.replace(",", ""), token.replace(".", "")):
            try:
                values.add(Decimal(reading))
            except InvalidOperation:
                pass
    return values


NOT_PRINTED = re.compile(r"^(tahun.*|sumber_.*|urutan.*|nomor.*|.*_baris|penyebut_tahun|aktif_sejak|baris_.*|halaman)$")


def test_every_number_is_printed_near_its_cited_line():
    """A transcribed number appears within 5 lines of the line its row cites.

    Table rows wrap and formulas span lines, hence the window; fields whose value is
    printed in another place (declared x-not-on-cited-line) are skipped."""
    text = {name: open(os.path.join(REPORTS, name), encoding="utf-8").read().split("\n") for name in os.listdir(REPORTS)}
    checked, missing = 0, []
    for descriptor_path in glob.glob(os.path.join(DATA, "*", "datapackage.yaml")):
        descriptor = descriptor_of(descriptor_path)
        for resource in descriptor["resources"]:
            numeric = [f["name"] for f in resource["schema"]["fields"] if f["type"] in ("number", "integer")
                       and not NOT_PRINTED.match(f["name"]) and not f.get("x-not-on-cited-line")]
            for row in rows(os.path.join(os.path.dirname(descriptor_path), resource["path"])):
                if not row.get("sumber_baris"):
                    continue
                line = int(row["sumber_baris"])
                near = printed_numbers(" ".join(text[row["sumber_file"]][max(0, line - 6):line + 5]))
                for name in numeric:
                    if row[name]:
                        checked += 1
                        if Decimal(row[name]) not in near:
                            missing.append(f"{resource['name']} line {line} {name}={row[name]}")
    assert checked > 800
    assert not missing, missing[:20]
