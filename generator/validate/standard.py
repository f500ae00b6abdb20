"""The Frictionless standard check, with its errors turned into located Problems."""
from __future__ import annotations

import copy
import os

from ..load import DataPackage
from ..messages import t
from ..problems import Problem, show

# Reported by our own rules with better locations: skip frictionless' versions.
OWN_RULES = {"foreign-key", "primary-key", "missing-cell", "extra-cell", "blank-row"}


def standard_job(package: DataPackage, readable: set[str]):
    """The arguments of run_frictionless for the `readable` resources, small enough to send
    to a worker process. (Results are cached by validate(), per resource.)"""
    descriptor = copy.deepcopy(package.descriptor)
    descriptor["resources"] = [r for r in descriptor.get("resources", [])
                               if isinstance(r, dict) and r.get("name") in readable]
    files = {r.name: r.file for r in package.resources}
    schemas = {r.name: r.schema_file for r in package.resources}
    return package.folder, package.descriptor_file, descriptor, files, schemas


def run_frictionless(folder: str, descriptor_file: str, descriptor: dict, files: dict[str, str],
                     schemas: dict[str, str]) -> list[Problem]:
    if not descriptor["resources"]:
        return []
    from frictionless import Package, Schema  # here, in the worker: the main process never pays for the import

    problems = []
    for resource in list(descriptor["resources"]):  # a schema's own errors are told in the file it is written in
        errors = Schema.validate_descriptor(resource.get("schema") or {}).errors
        if errors:
            descriptor["resources"].remove(resource)
            problems += [Problem(schemas[resource["name"]], None, None, t("frictionless.descriptor"), e.message)
                         for e in errors]
    if not descriptor["resources"]:
        return problems
    try:
        report = Package(descriptor, basepath=folder).validate()
    except Exception as exc:  # frictionless raises on descriptors it cannot read at all
        return problems + [Problem(descriptor_file, None, None, t("frictionless.descriptor"), show(str(exc), 200))]
    problems += [Problem(descriptor_file, None, None, t("frictionless.descriptor"), e.message)
                 for e in report.errors]
    for task in report.tasks:
        where = files.get(task.name) or os.path.join(descriptor_file, task.name)
        for error in task.errors:
            if error.type in OWN_RULES:
                continue
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            cell = getattr(error, "cell", None)
            found = show(str(cell)) if cell is not None else error.message
            problems.append(Problem(where, row, field, t("frictionless.check", title=error.title.lower(), note=error.note),
                                    found))
    return problems
