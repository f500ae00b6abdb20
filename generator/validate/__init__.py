"""Validate: every package, resource and cell, with all problems located and reported.

`validate(root)` runs the Frictionless standard check and our own rules and returns
every Problem it finds, sorted by file and line. With a cache folder, a resource whose
file, descriptor, reference package, foreign-key targets and rules are all unchanged
since it last passed is not checked again.
"""
from __future__ import annotations

import hashlib
import os
from contextlib import nullcontext
from importlib.metadata import version
from typing import Callable

from ..digests import PickleCache, checksum, digest_of, folder_digest
from ..load import DESCRIPTOR, DataPackage, discover, read_package
from ..messages import t
from ..problems import Problem
from .cells import check_cells
from .descriptor import check_package
from .files import read_table
from .keys import check_foreign_keys, check_primary_key, references
from .reference import hierarchy, report_texts, undeclared_files, unused_schemas
from .rules import check_provenance_fields, check_year
from .standard import run_frictionless, standard_job
from ..workers import Pool

Progress = Callable[[str], None]


def validate(root: str, progress: Progress = lambda message: None, cache_dir: str | None = None,
             pool: Pool | None = None, lazy: bool = False) -> tuple[list[DataPackage], list[Problem]]:
    """Frictionless runs in `pool` (a pool of its own when None). With `lazy`, the tables
    of a year package unchanged since it last passed are not even read here (load_tables
    reads them when they are needed)."""
    names = discover(root)
    if not names:
        return [], [Problem(root, None, None, t("validate.packages"), t("word.none"))]
    problems: list[Problem] = []
    packages: list[DataPackage] = []
    descriptors = PickleCache(os.path.join(cache_dir, "descriptors") if cache_dir else None)
    for index, name in enumerate(names, start=1):
        progress(t("progress.reading", index=index, total=len(names), name=name).render())
        package, found = read_package(root, name, descriptors)
        problems += found
        packages.append(package)
        if package.descriptor is not None:
            problems += check_package(package)
            problems += undeclared_files(root, package)
            package.digest = package_digest(package)
    if "referensi" not in names:
        problems.append(Problem(root, None, None, t("validate.reference"), t("word.none")))
    by_name = {p.name: p for p in packages}
    reference = by_name["referensi"].digest if "referensi" in by_name else ""
    markers = {(p.name, r.name): os.path.join(cache_dir, "rows-" + resource_key(p, r, reference, by_name))
               for p in packages if cache_dir and p.descriptor is not None for r in p.resources}
    pending = {p.name: [r.name for r in p.resources if not os.path.exists(markers.get((p.name, r.name), ""))]
               for p in packages if p.descriptor is not None}
    for package in packages:
        if package.descriptor is not None and not (lazy and not pending[package.name] and package.year is not None):
            for resource in package.resources:
                problems += read_table(package, resource)
    problems += report_texts(root, by_name) + hierarchy(by_name)
    with nullcontext(pool) if pool else Pool() as pool:
        todo = []
        for package in packages:
            if package.descriptor is None or not pending[package.name]:
                continue
            readable = {r.name for r in package.resources if r.table is not None} & set(pending[package.name])
            todo.append((package, pool.submit(run_frictionless, *standard_job(package, readable))))
        progress(t("progress.pending", count=sum(map(len, pending.values()))).render())
        for index, (package, standard) in enumerate(todo, start=1):
            progress(t("progress.checking", index=index, total=len(todo), name=package.name,
                       count=len(pending[package.name])).render())
            found = check_rows(package, by_name, set(pending[package.name]))
            located = {(p.file, p.row, p.field) for p in found}
            found += [p for p in standard.result() if (p.file, p.row, p.field) not in located]
            problems += found
            if cache_dir and not found and not problems:
                os.makedirs(cache_dir, exist_ok=True)
                for name in pending[package.name]:
                    open(markers[(package.name, name)], "w").close()
    problems += unused_schemas(root, packages)
    return packages, sorted(one_per_cell(problems), key=sort_key)


def one_per_cell(problems: list[Problem]) -> list[Problem]:
    """The first problem found in each cell (rules run from the most basic: a required
    cell left empty is not also an empty part of the primary key), and no repeats."""
    seen, kept = set(), []
    for problem in problems:
        where = (problem.file, problem.row, problem.field) if problem.row and problem.field else problem
        if where not in seen:
            seen.add(where)
            kept.append(problem)
    return kept


def resource_key(package: DataPackage, resource, reference: str, packages: dict[str, DataPackage]) -> str:
    """Everything our rules read to check one resource: its file, its package's descriptor
    and its shared schema, the rules, the reference package, and what its foreign keys
    point to."""
    parts = [RULES_CODE, reference, package.files.get(DESCRIPTOR, ""), package.files.get(resource.schema_ref or "", ""),
             package.files.get(resource.path, "")]
    for fk, other in references(resource):
        target = (fk.get("reference") or {}).get("resource") or resource.name
        if other and other in packages:
            parts.append(packages[other].digest)
        elif not other:
            parts += [r.path + package.files.get(r.path, "") for r in package.resources if r.name == target]
    return digest_of(*parts)


def load_tables(package: DataPackage) -> DataPackage:
    """Read the tables `validate(lazy=True)` left unread (their bytes passed before)."""
    for resource in package.resources:
        if resource.table is None:
            problems = read_table(package, resource)
            if problems:
                raise RuntimeError(t("validate.changed", problem=str(problems[0])).render())
    return package


def package_digest(package: DataPackage) -> str:
    """Hash of a package's descriptor and every file it names, shared schemas included
    (each file's hash is kept in package.files)."""
    digest = hashlib.sha256()
    for name in package.descriptor_files() + sorted(r.path for r in package.resources):
        path = os.path.join(package.folder, name)
        if os.path.isfile(path):
            with open(path, "rb") as fh:
                package.files[name] = checksum(fh.read())
            digest.update(name.encode() + bytes.fromhex(package.files[name]))
    return digest.hexdigest()


# The rules themselves (ours and Frictionless') are an input of a cached result: a changed
# rule invalidates it.
RULES_CODE = digest_of(folder_digest(os.path.dirname(os.path.abspath(__file__)), (".py",)), version("frictionless"))


def check_rows(package: DataPackage, packages: dict[str, DataPackage], only: set[str] | None = None) -> list[Problem]:
    """Our own rules on every row of the resources named in `only` (default: all);
    Frictionless' standard check runs beside, in a worker."""
    problems: list[Problem] = []
    for resource in package.resources:
        if only is not None and resource.name not in only:
            continue
        problems += check_provenance_fields(package, resource)
        if resource.table is None:
            continue
        problems += check_cells(resource, package)
        problems += check_primary_key(resource)
        problems += check_foreign_keys(resource, package, packages)
        problems += check_year(package, resource)
    return problems


def sort_key(problem: Problem):
    return (problem.file, problem.row or 0, problem.field or "", problem.expected)
