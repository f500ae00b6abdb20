"""Load: find the data packages, read their descriptors and CSV files as text.

Nothing here judges the data; `validate` does. Cells stay strings so that the
validator sees exactly what was written.
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field

from .digests import GENERATOR_CODE, PickleCache, digest_of
from .messages import t
from .problems import Problem
from .strict_yaml import load_yaml

DESCRIPTOR = "datapackage.yaml"
REFERENCE_PACKAGE = "referensi"


@dataclass
class Table:
    """A resource's CSV as text: header and rows (each with its line number)."""

    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line number, cells)


@dataclass
class Resource:
    name: str
    path: str  # as written in the descriptor
    file: str  # shown path, relative to the data root's parent
    descriptor: dict
    table: Table | None = None  # None when the file could not be read as CSV

    @property
    def schema(self) -> dict:
        return self.descriptor.get("schema") or {}

    @property
    def fields(self) -> list[dict]:
        return [f for f in self.schema.get("fields", []) if isinstance(f, dict)]

    def rows_by_satker(self) -> dict[str, list[tuple[int, list[str]]]]:
        """(line, cells) of each row whose cells match the header, grouped by satker_id
        ("" for every row of a resource without that column)."""
        grouped: dict[str, list] = {}
        if self.table is None:
            return grouped
        header = self.table.header
        column = header.index("satker_id") if "satker_id" in header else None
        for line, cells in self.table.rows:
            if len(cells) == len(header):
                grouped.setdefault(cells[column] if column is not None else "", []).append((line, cells))
        return grouped

    def records(self):
        """Yield (line, {field: text}) for each row whose cells match the header."""
        if self.table is None:
            return
        for line, cells in self.table.rows:
            if len(cells) == len(self.table.header):
                yield line, dict(zip(self.table.header, cells))


@dataclass
class DataPackage:
    name: str  # folder name: "referensi" or a year
    folder: str
    descriptor_file: str  # shown path
    descriptor: dict | None
    resources: list[Resource] = field(default_factory=list)
    digest: str = ""  # hash of the descriptor and every file it names (set by validate)
    files: dict[str, str] = field(default_factory=dict)  # path -> SHA-256 of the file (set by validate)

    @property
    def year(self) -> int | None:
        return int(self.name) if self.name.isdigit() else None

    def resource(self, name: str) -> Resource | None:
        return next((r for r in self.resources if r.name == name), None)


def shown(path: str, root: str) -> str:
    """Path as shown in messages: relative to the folder that holds the data root."""
    return os.path.relpath(path, os.path.dirname(os.path.abspath(root)))


def discover(root: str) -> list[str]:
    """Package folders under root: referensi first, then years in order."""
    if not os.path.isdir(root):
        return []
    names = [n for n in os.listdir(root) if os.path.isfile(os.path.join(root, n, DESCRIPTOR))]
    return sorted(names, key=lambda n: (n != REFERENCE_PACKAGE, n))


def read_package(root: str, name: str, cache: PickleCache | None = None) -> tuple[DataPackage, list[Problem]]:
    folder = os.path.join(root, name)
    descriptor_path = os.path.join(folder, DESCRIPTOR)
    package = DataPackage(name, folder, shown(descriptor_path, root), None)
    data, problems = read_descriptor(descriptor_path, package.descriptor_file, cache)
    if data is None:
        return package, problems
    if not isinstance(data, dict):
        return package, [Problem(package.descriptor_file, None, None, t("load.mapping"), type(data).__name__)]
    package.descriptor = data
    for index, res in enumerate(data.get("resources") or []):
        if not isinstance(res, dict):
            problems.append(Problem(package.descriptor_file, None, f"resources[{index}]", t("load.resource"),
                                    type(res).__name__))
            continue
        path = str(res.get("path", ""))
        package.resources.append(Resource(str(res.get("name", "")), path,
                                          shown(os.path.join(folder, path), root), res))
    return package, problems


def read_descriptor(path: str, shown_path: str, cache: PickleCache | None):
    """The descriptor's YAML, from the cache when these bytes were read (and passed) before."""
    raw = read_bytes(path)
    if cache is None or raw is None:
        return load_yaml(path, shown_path)
    key = digest_of(GENERATOR_CODE, raw)
    data = cache.get(key)
    if data is not None:
        return data, []
    data, problems = load_yaml(path, shown_path)
    if not problems:
        cache.put(key, data)
    return data, problems


def read_bytes(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def parse_csv(text: str) -> Table:
    """Comma-separated, double-quoted CSV; line numbers count physical lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=",", quotechar='"', strict=True)
    rows, header, line = [], [], 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not header and not rows:
            header = cells
            continue
        if cells:  # csv yields [] for a blank line
            rows.append((start, cells))
    return Table(header, rows)
