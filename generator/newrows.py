"""Rows that `portal laporan-baru` and `portal satker-baru` add to the reference package.

Before a byte is written, the new rows are put beside the existing ones in memory, at the
lines they will take, and the validator's own rules run on them (cells, enums, keys,
references, the satker hierarchy): a bad option is refused with the message validation
would give that row, located on that line. Then they are appended to their CSV files,
every existing byte kept.
"""
from __future__ import annotations

import csv
import io
import os

from .load import REFERENCE_PACKAGE, DataPackage, Resource, read_package
from .messages import say, t
from .problems import Problem
from .validate import check_rows, one_per_cell, sort_key
from .validate.files import read_table
from .validate.reference import hierarchy

Added = tuple[Resource, int, list[str]]  # resource, line in its file, cells


def reference(root: str) -> tuple[DataPackage, list[Problem]]:
    """The reference package with its tables read (problems: what stops it being read)."""
    package, problems = read_package(root, REFERENCE_PACKAGE)
    for resource in package.resources if package.descriptor is not None else []:
        problems += read_table(package, resource)
    return package, problems


def next_line(path: str) -> int:
    """The line a row appended to the file starts on (the header is line 1)."""
    with open(path, "rb") as fh:
        data = fh.read()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0) + 1


def trial(package: DataPackage, rows: list[tuple[str, dict]]) -> tuple[list[Added], list[Problem]]:
    """Each (resource, record) put in memory at the line it will take, and what our rules
    find on those lines: for the first resource whose new rows have problems only (a later
    resource's rows follow from it: a hierarchy row from its registry row)."""
    added: list[Added] = []
    following: dict[str, int] = {}
    missing = [Problem(package.descriptor_file, None, None, t("baru.resource", name=name), t("word.none"))
               for name in dict.fromkeys(name for name, _ in rows) if package.resource(name) is None]
    missing += [Problem(package.resource(name).file, 1, column, t("baru.column", resource=name), t("word.none"))
                for name, record in rows if package.resource(name) is not None
                for column, value in record.items() if value and column not in package.resource(name).table.header]
    if missing:  # an option given for a table or column this data does not have is never dropped silently
        return [], missing
    for name, record in rows:
        resource = package.resource(name)
        line = following.get(name) or next_line(os.path.join(package.folder, resource.path))
        cells = [str(record.get(column, "")) for column in resource.table.header]
        resource.table.rows.append((line, cells))
        following[name] = line + 1 + sum(cell.count("\n") for cell in cells)
        added.append((resource, line, cells))
    found = one_per_cell(check_rows(package, {package.name: package}, {r.name for r, _, _ in added})
                         + hierarchy({package.name: package}))
    for name in dict.fromkeys(name for name, _ in rows):
        mine = {(r.file, line) for r, line, _ in added if r.name == name}
        problems = sorted((p for p in found if (p.file, p.row) in mine), key=sort_key)
        if problems:
            return added, problems
    return added, []


def append(package: DataPackage, added: list[Added]) -> None:
    """The rows at the end of their files, written as the CSVs are (commas, LF, quotes where needed)."""
    for name, path in dict.fromkeys((r.name, r.path) for r, _, _ in added):
        path = os.path.join(package.folder, path)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(cells for r, _, cells in added if r.name == name)
        with open(path, "rb") as fh:
            ends = fh.read().endswith(b"\n")
        with open(path, "a", encoding="utf-8", newline="") as fh:
            fh.write(("" if ends else "\n") + out.getvalue())


def refused(command: str, problems: list[Problem], out) -> int:
    for problem in problems:
        print(problem, file=out)
    print(say("baru.refused" if problems else "baru.nothing", command=command), file=out)
    return 1


def steps(keys: list[str], out, **values) -> None:
    for number, key in enumerate(keys, start=1):
        print(f"  {number}. " + say(key, **values), file=out)
