"""Descriptor rules: what every package and resource must declare."""
from __future__ import annotations

import re

from ..load import DataPackage, Resource
from ..problems import Problem, show

_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://|^//")
PACKAGE_KEYS = ("name", "title", "licenses", "sources", "contributors")
FIELD_TEXT = ("title", "description", "title_en", "description_en")
# Our CSVs store plain numbers; these options would make frictionless read
# "98.5" as 985 or accept "1.234,5" silently.
FORBIDDEN_FIELD_OPTIONS = ("groupChar", "decimalChar", "bareNumber")
FIELD_TYPES = {"string", "integer", "number", "boolean", "date", "year"}
# Every number says what it counts. `indicator`: the unit of the row's indicator
# (referensi/indikator.satuan); `unknown`: the report prints none.
UNITS = {"IDR", "percent", "count", "index", "days", "people", "year", "line", "page", "order",
         "indicator", "unknown"}


def check_package(package: DataPackage) -> list[Problem]:
    desc, where = package.descriptor, package.descriptor_file
    problems = [Problem(where, None, key, f"package property `{key}`", "nothing")
                for key in PACKAGE_KEYS if not desc.get(key)]
    if not desc.get("resources"):
        problems.append(Problem(where, None, "resources", "at least one resource", "none"))
    names = [r.name for r in package.resources]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(where, None, "resources", "unique resource names", f"{name!r} twice"))
    for resource in package.resources:
        problems += check_resource(package, resource)
    return problems


def check_resource(package: DataPackage, resource: Resource) -> list[Problem]:
    where = package.descriptor_file
    label = f"resource {resource.name or '?'}"
    problems = []
    if not re.fullmatch(r"[a-z0-9_]+", resource.name):
        problems.append(Problem(where, None, label, "a resource name of a-z, 0-9 and _", show(resource.name)))
    path = resource.path
    if _REMOTE.match(path):
        problems.append(Problem(where, None, f"{label}.path", "a CSV file inside the package folder",
                                f"remote address {show(path)}", "published data must be in the repository"))
    elif path.startswith("/") or ".." in path.split("/") or "\\" in path:
        problems.append(Problem(where, None, f"{label}.path", "a relative path inside the package folder",
                                show(path)))
    elif path != f"{resource.name}.csv":
        problems.append(Problem(where, None, f"{label}.path", f"'{resource.name}.csv'", show(path),
                                "name each CSV after its resource"))
    schema = resource.descriptor.get("schema")
    if not isinstance(schema, dict) or not schema.get("fields"):
        problems.append(Problem(where, None, f"{label}.schema", "a schema with fields", show(str(schema))))
        return problems
    if not schema.get("primaryKey"):
        problems.append(Problem(where, None, f"{label}.schema.primaryKey", "a primary key", "none"))
    for field in resource.fields:
        problems += check_field(where, label, field)
    for key in ("title", "description"):
        if not resource.descriptor.get(key):
            problems.append(Problem(where, None, f"{label}.{key}", f"a {key}", "nothing"))
    return problems


def check_field(where: str, label: str, field: dict) -> list[Problem]:
    name = field.get("name", "?")
    at = f"{label}.{name}"
    problems = [Problem(where, None, at, f"field property `{key}`", "nothing")
                for key in FIELD_TEXT if not field.get(key)]
    if field.get("type") not in FIELD_TYPES:
        problems.append(Problem(where, None, at, f"a type among {sorted(FIELD_TYPES)}", show(str(field.get("type")))))
    if field.get("type") in ("integer", "number") and field.get("unit") not in UNITS:
        problems.append(Problem(where, None, at, f"a `unit` among {sorted(UNITS)}", show(str(field.get("unit")))))
    for option in FORBIDDEN_FIELD_OPTIONS:
        if option in field:
            problems.append(Problem(where, None, at, f"no `{option}` (numbers are stored plain)",
                                    f"{option}: {show(str(field[option]))}",
                                    "remove it and write numbers without thousands separators"))
    return problems
