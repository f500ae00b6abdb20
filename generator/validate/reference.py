"""Rules over the folders and the reference package, checked on every run (each is cheap):
no CSV a descriptor does not declare, no shared schema no descriptor names, a text in
laporan/ for every report, and a satker hierarchy that agrees with the registry."""
from __future__ import annotations

import os

from ..load import SCHEMAS, DataPackage, REFERENCE_PACKAGE, schema_reference, shown
from ..messages import t
from ..problems import Problem, show

REPORTS = "laporan"  # the reports' plain text, beside the data root


def undeclared_files(root: str, package: DataPackage) -> list[Problem]:
    """A CSV in a package folder that no resource names is data nobody checks or publishes."""
    # a resource owns its own name's CSV even when its path is wrong (that path is the message)
    declared = {os.path.normpath(r.path) for r in package.resources} | {f"{r.name}.csv" for r in package.resources}
    problems = []
    for name in sorted(os.listdir(package.folder)):
        if name.lower().endswith(".csv") and os.path.isfile(os.path.join(package.folder, name)) \
                and name not in declared:
            problems.append(Problem(shown(os.path.join(package.folder, name), root), None, None,
                                    t("folder.declared", descriptor=package.descriptor_file),
                                    t("folder.undeclared"), t("folder.undeclared_hint")))
    return problems


def unused_schemas(root: str, packages: list[DataPackage]) -> list[Problem]:
    """A schema in skema/ that no resource names is never checked: an edit to it changes
    nothing. (A resource owns its own name's schema even when it does not name it: that is
    its message. Not judged while a descriptor is unreadable: its names are unknown.)"""
    folder = os.path.join(root, SCHEMAS)
    if not os.path.isdir(folder) or any(p.descriptor is None for p in packages):
        return []
    used = {f"{r.name}.yaml" for p in packages for r in p.resources}
    return [Problem(shown(os.path.join(folder, name), root), None, None,
                    t("folder.schema_used", folder=shown(folder, root) + "/"), t("folder.schema_unused"),
                    t("folder.schema_unused_hint", path=schema_reference(name[:-len(".yaml")])))
            for name in sorted(os.listdir(folder)) if name.endswith(".yaml") and name not in used]


def report_texts(root: str, packages: dict[str, DataPackage]) -> list[Problem]:
    """Every report of referensi/laporan.csv has its text in laporan/ (every row's
    sumber_file and sumber_baris point into it)."""
    reference = packages.get(REFERENCE_PACKAGE)
    laporan = reference.resource("laporan") if reference else None
    if laporan is None or laporan.table is None or "sumber_file" not in laporan.table.header:
        return []
    folder = os.path.join(os.path.dirname(os.path.abspath(root)), REPORTS)
    present = set(os.listdir(folder)) if os.path.isdir(folder) else set()
    where = shown(folder, root)
    return [Problem(laporan.file, line, "sumber_file", t("folder.report", folder=where + "/"),
                    t("folder.report_missing", name=show(record["sumber_file"])),
                    t("folder.report_hint", path=f"{where}/{record['sumber_file']}"))
            for line, record in laporan.records() if record["sumber_file"] and record["sumber_file"] not in present]


def hierarchy(packages: dict[str, DataPackage]) -> list[Problem]:
    """referensi/satker_hierarki.csv (who is under whom, year by year) agrees with
    referensi/satker.csv (`induk_id`: the parent now): the current period of each satker
    names the registry's parent, a satker with a parent has a current period, no
    satker is its own parent, and a satker's periods neither overlap nor run backwards."""
    reference = packages.get(REFERENCE_PACKAGE)
    if reference is None:
        return []
    registry, periods = reference.resource("satker"), reference.resource("satker_hierarki")
    if registry is None or periods is None or registry.table is None or periods.table is None \
            or "induk_id" not in registry.table.header:
        return []
    parent = {record["satker_id"]: (line, record["induk_id"]) for line, record in registry.records()}
    problems, current, spans = [], {}, {}
    for line, row in periods.records():
        satker, induk = row.get("satker_id", ""), row.get("induk_id", "")
        start, end = year(row.get("tahun_mulai")), year(row.get("tahun_selesai"))
        if satker and satker == induk:
            problems.append(Problem(periods.file, line, "induk_id", t("hierarchy.other"), show(induk)))
        if start is not None and end is not None and start > end:
            problems.append(Problem(periods.file, line, "tahun_selesai", t("hierarchy.order", start=start),
                                    str(end)))
            continue
        for other_line, other_start, other_end in spans.get(satker, []):
            if (start or 0) <= (other_end or 9999) and (other_start or 0) <= (end or 9999):
                problems.append(Problem(periods.file, line, "tahun_mulai,tahun_selesai", t("hierarchy.overlap"),
                                        t("hierarchy.overlap_found", line=other_line), t("hierarchy.overlap_hint")))
        spans.setdefault(satker, []).append((line, start, end))
        if end is None:
            current[satker] = (line, induk)
    for satker, (line, induk) in sorted(current.items(), key=lambda item: item[1][0]):
        if satker in parent and parent[satker][1] != induk:
            problems.append(Problem(periods.file, line, "induk_id",
                                    t("hierarchy.registry", parent=show(parent[satker][1]), file=registry.file,
                                      line=parent[satker][0]),
                                    show(induk), t("hierarchy.registry_hint", satker=satker)))
    for satker, (line, induk) in parent.items():
        if induk and satker not in current:
            problems.append(Problem(registry.file, line, "induk_id", t("hierarchy.current", file=periods.file),
                                    t("hierarchy.no_current", satker=satker), t("hierarchy.current_hint", induk=induk)))
    return problems


def year(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None
