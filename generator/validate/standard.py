"""The Frictionless standard check, with its errors turned into located Problems."""
from __future__ import annotations

import copy
import os

from frictionless import Package

from ..load import DataPackage
from ..problems import Problem, show

# Reported by our own rules with better locations: skip frictionless' versions.
OWN_RULES = {"foreign-key", "primary-key", "missing-cell", "extra-cell", "blank-row"}


def check_standard(package: DataPackage, readable: set[str]) -> list[Problem]:
    """Validate the readable resources of a package with frictionless."""
    descriptor = copy.deepcopy(package.descriptor)
    descriptor["resources"] = [r for r in descriptor.get("resources", [])
                               if isinstance(r, dict) and r.get("name") in readable]
    if not descriptor["resources"]:
        return []
    by_name = {r.name: r for r in package.resources}
    try:
        report = Package(descriptor, basepath=package.folder).validate()
    except Exception as exc:  # frictionless raises on descriptors it cannot read at all
        return [Problem(package.descriptor_file, None, None, "a valid Frictionless descriptor", show(str(exc), 200))]
    problems = [Problem(package.descriptor_file, None, None, "a valid Frictionless descriptor", e.message)
                for e in report.errors]
    for task in report.tasks:
        resource = by_name.get(task.name)
        where = resource.file if resource else os.path.join(package.descriptor_file, task.name)
        for error in task.errors:
            if error.type in OWN_RULES:
                continue
            row = getattr(error, "row_number", None)
            field = getattr(error, "field_name", None)
            cell = getattr(error, "cell", None)
            found = show(str(cell)) if cell is not None else error.message
            problems.append(Problem(where, row, field, f"{error.title.lower()} to pass ({error.note})", found))
    return problems
