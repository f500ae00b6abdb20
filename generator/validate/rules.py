"""Our own rules across rows: years, provenance, totals."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..load import DataPackage, Resource
from ..messages import t
from ..problems import Problem, show
from .keys import as_list

PROVENANCE = ("sumber_file", "sumber_tabel", "sumber_halaman", "sumber_baris")


def check_year(package: DataPackage, resource: Resource) -> list[Problem]:
    """Rows of a year package are about that year."""
    if package.year is None:
        return []
    names = [f.get("name") for f in resource.fields]
    if "tahun" not in names:
        return [Problem(resource.schema_file, None, resource.schema_label("tahun"), t("rule.tahun_column"),
                        t("word.none"))]
    problems = []
    for line, record in resource.records():
        if record["tahun"] not in ("", str(package.year)):
            problems.append(Problem(resource.file, line, "tahun", t("rule.year", year=package.year),
                                    show(record["tahun"]), t("rule.year_hint", year=record["tahun"])))
    return problems


def check_provenance_fields(package: DataPackage, resource: Resource) -> list[Problem]:
    if package.name == "referensi" and resource.name in ("laporan", "sumber", "perubahan"):
        return []
    names = {f.get("name") for f in resource.fields}
    return [Problem(resource.schema_file, None, resource.schema_label(name), t("rule.provenance"), t("word.none"))
            for name in PROVENANCE if name not in names]


def check_totals(package: DataPackage, resource: Resource) -> list[Problem]:
    """Declared sums (x-totals) hold: the total row equals the sum of its group's rows."""
    problems = []
    for rule in resource.descriptor.get("x-totals") or []:
        if package.year is not None and package.year not in (rule.get("years") or [package.year]):
            continue
        groups: dict[tuple, dict] = {}
        for line, record in resource.records():
            key = tuple(record.get(f, "") for f in as_list(rule.get("group_by")))
            group = groups.setdefault(key, {"items": [], "totals": []})
            is_total = record.get(rule.get("flag_field"), "") == "true"
            group["totals" if is_total else "items"].append((line, record))
        for group in groups.values():
            for line, total in group["totals"]:
                for name in as_list(rule.get("sum_fields")):
                    if any(rec.get(name, "") == "" for _, rec in group["items"]) and required(resource, name):
                        continue  # a required cell left empty is reported on its own; no sum follows from it
                    problems += compare_sum(resource, line, name, total, group["items"])
    return problems


def required(resource: Resource, name: str) -> bool:
    return any(f.get("name") == name and (f.get("constraints") or {}).get("required") for f in resource.fields)


def compare_sum(resource: Resource, line: int, name: str, total: dict, items: list) -> list[Problem]:
    try:
        expected = sum((Decimal(rec[name]) for _, rec in items if rec.get(name)), Decimal(0))
        found = Decimal(total[name]) if total.get(name) else None
    except InvalidOperation:
        return []  # the cell rule already reports the unreadable number
    if found is None or found == expected:
        return []
    lines = ", ".join(str(n) for n, _ in items)
    return [Problem(resource.file, line, name, t("rule.sum", value=str(expected), lines=lines), str(found),
                    t("rule.sum_hint"))]

