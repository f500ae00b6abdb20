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


def standard_job(package: DataPackage, readable: set[str], cache_dir: str | None = None):
    """The arguments of check_standard, small enough to send to a worker process."""
    descriptor = copy.deepcopy(package.descriptor)
    descriptor["resources"] = [r for r in descriptor.get("resources", [])
                               if isinstance(r, dict) and r.get("name") in readable]
    files = {r.name: r.file for r in package.resources}
    return package.folder, package.descriptor_file, descriptor, files, cache_dir


def check_standard(folder: str, descriptor_file: str, descriptor: dict, files: dict[str, str],
                   cache_dir: str | None = None) -> list[Problem]:
    """Validate a package's readable resources with frictionless (run in a worker).

    With a cache folder, a package whose descriptor and files are byte-identical to one
    that passed before is not validated again (the key is a hash of all of them)."""
    if not descriptor["resources"]:
        return []
    marker = os.path.join(cache_dir, content_key(folder, descriptor)) if cache_dir else None
    if marker and os.path.exists(marker):
        return []
    problems = run_frictionless(folder, descriptor_file, descriptor, files)
    if marker and not problems:
        os.makedirs(cache_dir, exist_ok=True)
        open(marker, "w").close()
    return problems


def content_key(folder: str, descriptor: dict) -> str:
    digest = hashlib.sha256(("frictionless " + frictionless_version).encode())
    digest.update(json.dumps(descriptor, sort_keys=True, default=str).encode())
    for resource in descriptor["resources"]:
        with open(os.path.join(folder, resource["path"]), "rb") as fh:
            digest.update(hashlib.sha256(fh.read()).digest())
    return digest.hexdigest()


def run_frictionless(folder: str, descriptor_file: str, descriptor: dict, files: dict[str, str]) -> list[Problem]:
    try:
        report = Package(descriptor, basepath=folder).validate()
    except Exception as exc:  # frictionless raises on descriptors it cannot read at all
        return [Problem(descriptor_file, None, None, "a valid Frictionless descriptor", show(str(exc), 200))]
    problems = [Problem(descriptor_file, None, None, "a valid Frictionless descriptor", e.message)
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
            problems.append(Problem(where, row, field, f"{error.title.lower()} to pass ({error.note})", found))
    return problems
