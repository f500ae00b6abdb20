"""Load: find the data packages, read their descriptors and CSV files as text.

Nothing here judges the data; `validate` does. Cells stay strings so that the
validator sees exactly what was written.

A resource's schema is written once for every year, in `skema/<resource>.yaml` beside the
packages, and named from each year's descriptor as `schema: ../skema/<resource>.yaml`
(Frictionless reads it with `--trusted`: it refuses `../` paths otherwise). Reading a
package reads its shared schemas in, so every later stage sees whole schemas; `bundled`
writes them back into the descriptor for the published download, which stands alone.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field

import yaml

from .digests import GENERATOR_CODE, PickleCache, digest_of
from .messages import t
from .problems import Problem, show
from .strict_yaml import StrictLoader, load_yaml

DESCRIPTOR = "datapackage.yaml"
REFERENCE_PACKAGE = "referensi"
SCHEMAS = "skema"  # the folder beside the packages: one schema per resource name


def schema_reference(resource: str) -> str:
    """How a descriptor names the shared schema of `resource`, from its package folder."""
    return f"../{SCHEMAS}/{resource}.yaml"


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
    descriptor: dict  # its shared schema read in (`schema` is then the file's contents)
    table: Table | None = None  # None when the file could not be read as CSV
    schema_ref: str | None = None  # `schema:` as written when it names the shared file, else None
    schema_file: str = ""  # shown path of the file the schema is written in

    @property
    def schema(self) -> dict:
        schema = self.descriptor.get("schema")
        return schema if isinstance(schema, dict) else {}

    def schema_label(self, key: str) -> str:
        """A key of the schema as a message locates it: alone in the shared schema file,
        under its resource when the schema is written in the descriptor."""
        return key if self.schema_ref else f"resource {self.name}.{key}"

    @property
    def fields(self) -> list[dict]:
        return [f for f in self.schema.get("fields", []) if isinstance(f, dict)]

    def satker_ids(self) -> set[str]:
        """The satker_id of each row whose cells match the header (none without that column)."""
        if self.table is None or "satker_id" not in self.table.header:
            return set()
        header = self.table.header
        column = header.index("satker_id")
        return {cells[column] for _, cells in self.table.rows if len(cells) == len(header)}

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

    def descriptor_files(self) -> list[str]:
        """The descriptor and the shared schema files it names, by path from the package folder."""
        return [DESCRIPTOR] + sorted({r.schema_ref for r in self.resources if r.schema_ref})


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
    unreadable = []
    for index, res in enumerate(data.get("resources") or []):
        if not isinstance(res, dict):
            problems.append(Problem(package.descriptor_file, None, f"resources[{index}]", t("load.resource"),
                                    type(res).__name__))
            continue
        path = str(res.get("path", ""))
        resource = Resource(str(res.get("name", "")), path, shown(os.path.join(folder, path), root), res,
                            schema_file=package.descriptor_file)
        if isinstance(res.get("schema"), str):
            unreadable += read_shared_schema(root, package, resource, cache)
        package.resources.append(resource)
    if unreadable:  # a package without a resource's schema is not checked at all, like a broken descriptor
        package.resources = []
        return package, problems + unreadable
    package.descriptor = data
    return package, problems


def read_shared_schema(root: str, package: DataPackage, resource: Resource,
                       cache: PickleCache | None) -> list[Problem]:
    """Read the schema `schema: ../skema/<resource>.yaml` names into the resource."""
    written, expected = resource.descriptor["schema"], schema_reference(resource.name)
    label = f"resource {resource.name or '?'}.schema"
    line = line_of(os.path.join(package.folder, DESCRIPTOR), f"schema: {written}")
    if written != expected or not re.fullmatch(r"[a-z0-9_]+", resource.name):
        return [Problem(package.descriptor_file, line, label, t("load.schema_path", path=expected), show(written),
                        t("load.schema_path_hint", path=expected))]
    path = os.path.normpath(os.path.join(package.folder, written))
    if not os.path.isfile(path):
        return [Problem(package.descriptor_file, line, label, t("load.schema_file", file=shown(path, root)),
                        t("file.missing_found"), t("load.schema_file_hint", file=shown(path, root)))]
    resource.schema_ref, resource.schema_file = written, shown(path, root)
    schema, problems = read_descriptor(path, resource.schema_file, cache)
    if problems:
        return problems
    if not isinstance(schema, dict):
        return [Problem(resource.schema_file, None, None, t("load.schema_mapping"), type(schema).__name__)]
    resource.descriptor["schema"] = schema
    return []


def line_of(path: str, text: str) -> int | None:
    """The first line of a file that holds `text`, or None."""
    try:
        with open(path, encoding="utf-8") as fh:
            return next((number for number, line in enumerate(fh, start=1) if text in line), None)
    except (OSError, UnicodeDecodeError):
        return None


SCHEMA_LINE = re.compile(r"( *(?:- )?)schema: *([^\s'\"#]+) *")


def bundled(package: DataPackage) -> bytes:
    """The descriptor as published: each shared schema written in under the `schema:` line
    that names it, so the downloaded package stands alone. Every other line stays as it is
    (the shared files' opening comments are left out); a layout this does not recognise
    is published as the whole descriptor written out again."""
    with open(os.path.join(package.folder, DESCRIPTOR), "rb") as fh:
        raw = fh.read()
    shared = {r.schema_ref for r in package.resources if r.schema_ref}
    if not shared:
        return raw
    out = []
    for line in raw.decode("utf-8").split("\n"):
        found = SCHEMA_LINE.fullmatch(line)
        if not found or found[2] not in shared:
            out.append(line)
            continue
        with open(os.path.join(package.folder, found[2]), encoding="utf-8") as fh:
            body = fh.read().rstrip("\n").split("\n")
        while body and (not body[0].strip() or body[0].startswith("#")):
            body.pop(0)
        indent = " " * len(found[1]) + "  "
        out += [f"{found[1]}schema:"] + [indent + text if text.strip() else text for text in body]
    text = "\n".join(out)
    try:
        same = yaml.load(text, Loader=StrictLoader) == package.descriptor
    except yaml.YAMLError:
        same = False
    if not same:
        text = yaml.safe_dump(package.descriptor, allow_unicode=True, sort_keys=False, width=110)
    return text.encode("utf-8")


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
