"""Key rules: primary keys complete and unique, references that resolve.

Frictionless passes a composite primary key with an empty part and reports a broken
foreign key without naming its field; here both are located errors.
"""
from __future__ import annotations

import difflib

from ..load import REFERENCE_PACKAGE, DataPackage, Resource
from ..messages import t
from ..problems import Problem, show


def as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def check_primary_key(resource: Resource) -> list[Problem]:
    key = as_list(resource.schema.get("primaryKey"))
    if not key or resource.table is None or not set(key) <= {f.get("name") for f in resource.fields}:
        return []  # a key naming no column is the schema's error (Frictionless reports it), not the rows'
    problems, seen = [], {}
    for line, record in resource.records():
        empty = [name for name in key if record.get(name, "") == ""]
        for name in empty:
            problems.append(Problem(resource.file, line, name, t("key.part"), "''"))
        if empty:
            continue
        value = tuple(record[name] for name in key)
        if value in seen:
            problems.append(Problem(resource.file, line, ",".join(key), t("key.unique"),
                                    t("key.unique_found", value=show(' / '.join(value), 100), line=seen[value])))
        else:
            seen[value] = line
    return problems


def references(resource: Resource):
    """Foreign keys, standard (same package) and x-foreignKeys (another package)."""
    for fk in resource.schema.get("foreignKeys") or []:
        yield fk, None
    for fk in resource.schema.get("x-foreignKeys") or []:
        yield fk, (fk.get("reference") or {}).get("package")


def check_foreign_keys(resource: Resource, package: DataPackage,
                       packages: dict[str, DataPackage]) -> list[Problem]:
    problems = []
    for fk, other in references(resource):
        fields = as_list(fk.get("fields"))
        ref = fk.get("reference") or {}
        target_package = packages.get(other) if other else package
        if other and (target_package is None and other == REFERENCE_PACKAGE
                      or target_package is not None and target_package.descriptor is None):
            continue  # its descriptor is unreadable, or it is missing: reported once, on its own
        target = target_package.resource(ref.get("resource") or resource.name) if target_package else None
        label = f"{other or package.name}/{ref.get('resource') or resource.name}"
        if target is None:
            problems.append(Problem(resource.schema_file, None, resource.schema_label(",".join(fields)),
                                    t("key.target"), t("key.target_found", target=label)))
            continue
        if resource.table is None or target.table is None:
            continue
        problems += unresolved(resource, fields, target, as_list(ref.get("fields")), label)
    return problems


def unresolved(resource: Resource, fields: list[str], target: Resource, target_fields: list[str],
               label: str) -> list[Problem]:
    known = {tuple(rec.get(f, "") for f in target_fields) for _, rec in target.records()}
    problems = []
    for line, record in resource.records():
        value = tuple(record.get(f, "") for f in fields)
        if all(v == "" for v in value) or value in known:
            continue  # an empty optional reference is allowed; required-ness is a cell rule
        shown_value = " / ".join(value)
        close = difflib.get_close_matches(shown_value, [" / ".join(k) for k in known], n=1)
        hint = t("key.close", close=repr(close[0])) if close else t("key.add", file=target.file)
        problems.append(Problem(resource.file, line, ",".join(fields),
                                t("key.listed", target=label, fields=",".join(target_fields)),
                                show(shown_value, 100), hint))
    return problems
