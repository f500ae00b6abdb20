"""The Frictionless standard check, with its errors turned into located Problems."""
from __future__ import annotations

import copy
import hashlib
import json
import os

from frictionless import Package
from frictionless import __version__ as frictionless_version

from ..load import DataPackage
from ..problems import Problem, show

# Reported by our own rules with better locations: skip frictionless' versions.
OWN_RULES = {"foreign-key", "primary-key", "missing-cell", "extra-cell", "blank-row"}


def check_standard(package: DataPackage, readable: set[str], cache_dir: str | None = None) -> list[Problem]:
    """Validate the readable resources of a package with frictionless.

    With a cache folder, a package whose descriptor and files are byte-identical to one
    that passed before is not validated again (the key is a hash of all of them)."""
    descriptor = copy.deepcopy(package.descriptor)
    descriptor["resources"] = [r for r in descriptor.get("resources", [])
                               if isinstance(r, dict) and r.get("name") in readable]
    if not descriptor["resources"]:
        return []
    marker = os.path.join(cache_dir, content_key(package, descriptor)) if cache_dir else None
    if marker and os.path.exists(marker):
        return []
    problems = run_frictionless(package, descriptor)
    if marker and not problems:
        os.makedirs(cache_dir, exist_ok=True)
        open(marker, "w").close()
    return problems


def content_key(package: DataPackage, descriptor: dict) -> str:
    digest = hashlib.sha256(("frictionless " + frictionless_version).encode())
    digest.update(json.dumps(descriptor, sort_keys=True, default=str).encode())
    for resource in descriptor["resources"]:
        with open(os.path.join(package.folder, resource["path"]), "rb") as fh:
            digest.update(hashlib.sha256(fh.read()).digest())
    return digest.hexdigest()


def run_frictionless(package: DataPackage, descriptor: dict) -> list[Problem]:
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
