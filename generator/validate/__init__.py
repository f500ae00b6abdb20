"""Validate: every package, resource and cell, with all problems located and reported.

`validate(root)` runs the Frictionless standard check and our own rules and returns
every Problem it finds, sorted by file and line.
"""
from __future__ import annotations

from typing import Callable

from ..load import DataPackage, discover, read_package
from ..problems import Problem
from .cells import check_cells
from .descriptor import check_package
from .files import read_table
from .keys import check_foreign_keys, check_primary_key
from .rules import check_provenance_fields, check_shared_schemas, check_totals, check_year
from .standard import check_standard

Progress = Callable[[str], None]


def validate(root: str, progress: Progress = lambda message: None,
             cache_dir: str | None = None) -> tuple[list[DataPackage], list[Problem]]:
    names = discover(root)
    if not names:
        return [], [Problem(root, None, None, "data package folders with a datapackage.yaml", "none")]
    problems: list[Problem] = []
    packages: list[DataPackage] = []
    for index, name in enumerate(names, start=1):
        progress(f"[{index}/{len(names)}] reading {name}")
        package, found = read_package(root, name)
        problems += found
        packages.append(package)
        if package.descriptor is not None:
            problems += check_package(package)
            for resource in package.resources:
                problems += read_table(package, resource)
    if "referensi" not in names:
        problems.append(Problem(root, None, None, "a referensi/ package (registry, catalogue, sources)", "none"))
    by_name = {p.name: p for p in packages}
    for index, package in enumerate(packages, start=1):
        if package.descriptor is None:
            continue
        progress(f"[{index}/{len(packages)}] checking {package.name} ({len(package.resources)} resources)")
        problems += check_rows(package, by_name, cache_dir)
    problems += check_shared_schemas(packages)
    return packages, sorted(set(problems), key=sort_key)


def check_rows(package: DataPackage, packages: dict[str, DataPackage], cache_dir: str | None = None) -> list[Problem]:
    problems: list[Problem] = []
    for resource in package.resources:
        problems += check_provenance_fields(package, resource)
        if resource.table is None:
            continue
        problems += check_cells(resource)
        problems += check_primary_key(resource)
        problems += check_foreign_keys(resource, package, packages)
        problems += check_year(package, resource)
        problems += check_totals(package, resource)
    located = {(p.file, p.row, p.field) for p in problems}
    readable = {r.name for r in package.resources if r.table is not None}
    problems += [p for p in check_standard(package, readable, cache_dir) if (p.file, p.row, p.field) not in located]
    return problems


def sort_key(problem: Problem):
    return (problem.file, problem.row or 0, problem.field or "", problem.expected)
