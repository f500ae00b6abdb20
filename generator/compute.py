"""Compute stage: validated packages + definitions -> build/computed/ (a data package)."""
from __future__ import annotations

import csv
import os
import shutil
import tempfile
from dataclasses import dataclass

import yaml

from .engine import compute
from .fmt import neutral
from .engine.definitions import check_definitions, load_definitions
from .problems import Problem
from .validate import validate

SCHEMA = os.path.join(os.path.dirname(__file__), "computed_schema.yaml")


def load_all_definitions(folder: str, packages) -> tuple[dict, list[Problem]]:
    definitions, problems = load_definitions(folder)
    if not problems:
        problems += check_definitions(definitions, packages, folder)
    return definitions, problems


@dataclass
class Computed:
    packages: list
    definitions: dict
    results: dict[str, list[dict]]


def run_compute(data_root: str, definitions_dir: str, out_dir: str, progress=lambda m: None,
                workers: int | None = None):
    """Validate, compute and write the computed package; nothing is written on any problem."""
    cache = os.path.join(os.path.dirname(os.path.abspath(out_dir)), "cache", "validate")
    packages, problems = validate(data_root, progress, cache, workers)
    definitions, found = load_all_definitions(definitions_dir, packages)
    problems += found
    if problems:
        return None, problems
    progress("computing")
    results = compute(packages, definitions)
    write_package(results, out_dir)
    return Computed(packages, definitions, results), []


def write_package(results: dict[str, list[dict]], out_dir: str) -> None:
    """Write CSVs and datapackage.yaml to a temporary folder, then swap it into place."""
    spec = yaml.safe_load(open(SCHEMA, encoding="utf-8"))
    parent = os.path.dirname(os.path.abspath(out_dir))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".computed-", dir=parent)
    descriptor = {"name": spec["name"], "title": spec["title"], "description": spec["description"],
                  "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                                "title": "Creative Commons Attribution 4.0 International"}],
                  "resources": []}
    for name, resource in spec["resources"].items():
        fields = [{"name": field, "type": kind, "title": title, "description": description}
                  for field, (kind, title, description) in resource["fields"].items()]
        write_csv(os.path.join(staging, f"{name}.csv"), fields, results[name])
        descriptor["resources"].append({"name": name, "path": f"{name}.csv", "title": resource["title"],
                                        "description": resource["description"], "format": "csv",
                                        "encoding": "utf-8", "schema": {"fields": fields,
                                                                        "primaryKey": resource["primaryKey"]}})
    with open(os.path.join(staging, "datapackage.yaml"), "w", encoding="utf-8") as fh:
        yaml.safe_dump(descriptor, fh, allow_unicode=True, sort_keys=False, width=110)
    if os.path.exists(out_dir):
        shutil.rmtree(out_dir)
    os.replace(staging, out_dir)


def write_csv(path: str, fields: list[dict], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([f["name"] for f in fields])
        for row in rows:
            writer.writerow([cell_text(row.get(f["name"]), f["type"]) for f in fields])


def cell_text(value, kind: str) -> str:
    if value is None or value == "":
        return ""
    if kind == "boolean":
        return "true" if value in (True, "true") else "false"
    if kind == "integer":
        return str(int(float(value)))
    if kind == "number":
        text = f"{float(value):.6f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text
    return neutral(str(value))
