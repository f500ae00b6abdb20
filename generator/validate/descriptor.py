"""Descriptor rules: what every package and resource must declare."""
from __future__ import annotations

import os
import re

from ..load import SCHEMAS, DataPackage, Resource, schema_reference, shown
from ..messages import t
from ..problems import Problem, show

REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://|^//")
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
    problems = [Problem(where, None, key, t("descriptor.package_key", key=key), t("word.nothing"))
                for key in PACKAGE_KEYS if not desc.get(key)]
    if not desc.get("resources"):
        problems.append(Problem(where, None, "resources", t("descriptor.resources"), t("word.none")))
    names = [r.name for r in package.resources]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(Problem(where, None, "resources", t("descriptor.unique"), t("descriptor.twice", name=repr(name))))
    for resource in package.resources:
        problems += check_resource(package, resource)
    return problems


def check_resource(package: DataPackage, resource: Resource) -> list[Problem]:
    where = package.descriptor_file
    label = f"resource {resource.name or '?'}"  # a location (YAML keys), the same in every language
    problems = []
    if not re.fullmatch(r"[a-z0-9_]+", resource.name):
        problems.append(Problem(where, None, label, t("descriptor.name"), show(resource.name)))
    path = resource.path
    if REMOTE.match(path):
        problems.append(Problem(where, None, f"{label}.path", t("descriptor.inside"),
                                t("descriptor.remote", path=show(path)), t("descriptor.remote_hint")))
    elif path.startswith("/") or ".." in path.split("/") or "\\" in path:
        problems.append(Problem(where, None, f"{label}.path", t("descriptor.relative"), show(path)))
    elif path != f"{resource.name}.csv":
        problems.append(Problem(where, None, f"{label}.path", f"'{resource.name}.csv'", show(path),
                                t("descriptor.path_hint")))
    schema = resource.descriptor.get("schema")
    if package.year is not None and resource.schema_ref is None and re.fullmatch(r"[a-z0-9_]+", resource.name):
        # one file per resource name, so every year that has the resource has the same schema
        root, path = os.path.dirname(package.folder), schema_reference(resource.name)
        file = shown(os.path.join(root, SCHEMAS, f"{resource.name}.yaml"), root)
        problems.append(Problem(where, None, f"{label}.schema", t("descriptor.shared", path=path),
                                t("descriptor.inline"), t("descriptor.shared_hint", file=file, path=path)))
    if not isinstance(schema, dict) or not schema.get("fields"):
        at = resource.schema_label("fields") if resource.schema_ref else f"{label}.schema"
        problems.append(Problem(resource.schema_file, None, at, t("descriptor.schema"), show(str(schema))))
        return problems
    if not schema.get("primaryKey"):
        problems.append(Problem(resource.schema_file, None, resource.schema_label("primaryKey"),
                                t("descriptor.primary_key"), t("word.none")))
    for field in resource.fields:
        problems += check_field(resource, field)
    for key in ("title", "description"):
        if not resource.descriptor.get(key):
            problems.append(Problem(where, None, f"{label}.{key}", t("descriptor." + key), t("word.nothing")))
    return problems


def check_field(resource: Resource, field: dict) -> list[Problem]:
    where, at = resource.schema_file, resource.schema_label(str(field.get("name", "?")))
    problems = [Problem(where, None, at, t("descriptor.field_key", key=key), t("word.nothing"))
                for key in FIELD_TEXT if not field.get(key)]
    if field.get("type") not in FIELD_TYPES:
        problems.append(Problem(where, None, at, t("descriptor.type", types=", ".join(sorted(FIELD_TYPES))),
                                show(str(field.get("type")))))
    if field.get("type") in ("integer", "number") and field.get("unit") not in UNITS:
        problems.append(Problem(where, None, at, t("descriptor.unit", units=", ".join(sorted(UNITS))),
                                show(str(field.get("unit")))))
    for option in FORBIDDEN_FIELD_OPTIONS:
        if option in field:
            problems.append(Problem(where, None, at, t("descriptor.option", option=option),
                                    f"{option}: {show(str(field[option]))}", t("descriptor.option_hint")))
    return problems
