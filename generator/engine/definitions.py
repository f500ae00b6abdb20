"""Load the definitions (definitions/*.yaml) and check them against the data's schemas."""
from __future__ import annotations

import glob
import os

from ..load import DataPackage
from ..problems import Problem, show
from ..strict_yaml import load_yaml
from .formulas import OPERATORS, inputs_of

FILES = ("bands", "capaian", "checks", "ikpa", "series")


def load_definitions(folder: str) -> tuple[dict, list[Problem]]:
    definitions, problems = {"indeks": []}, []
    for name in FILES:
        path = os.path.join(folder, f"{name}.yaml")
        data, found = load_yaml(path, os.path.relpath(path))
        problems += found
        definitions[name] = data if isinstance(data, dict) else {}
    for path in sorted(glob.glob(os.path.join(folder, "indeks", "*.yaml"))):
        data, found = load_yaml(path, os.path.relpath(path))
        problems += found
        if isinstance(data, dict):
            definitions["indeks"].append(dict(data, _file=os.path.relpath(path)))
    return definitions, problems


class SchemaIndex:
    """Which columns each resource has, per year and across years."""

    def __init__(self, packages: list[DataPackage]):
        self.columns: dict[str, set[str]] = {}
        self.by_year: dict[tuple[int, str], set[str]] = {}
        for package in packages:
            for resource in package.resources:
                names = {f.get("name") for f in resource.fields}
                self.columns.setdefault(resource.name, set()).update(names)
                if package.year is not None:
                    self.by_year[(package.year, resource.name)] = names


def check_definitions(definitions: dict, packages: list[DataPackage], folder: str) -> list[Problem]:
    index = SchemaIndex(packages)
    problems = []
    problems += check_bands(definitions.get("bands") or {}, os.path.join(folder, "bands.yaml"))
    problems += check_ikpa(definitions.get("ikpa") or {}, os.path.join(folder, "ikpa.yaml"))
    problems += check_checks(definitions.get("checks") or {}, index, os.path.join(folder, "checks.yaml"))
    indicators = {r.get("indikator_id") for p in packages if p.name == "referensi"
                  for res in p.resources if res.name == "indikator" for _, r in res.records()}
    for definition in definitions.get("indeks", []):
        problems += check_index(definition, index, indicators)
    problems += check_series(definitions.get("series") or {}, index, os.path.join(folder, "series.yaml"))
    return problems


def check_series(spec: dict, index: SchemaIndex, where: str) -> list[Problem]:
    problems = []
    for number, series in enumerate(spec.get("series") or []):
        for origin in series.get("sources") or [series]:
            columns = index.columns.get(origin.get("resource"))
            at = f"series[{number}] {series.get('id', '?')}"
            if columns is None:
                problems.append(Problem(where, None, at, "a resource of the data packages", show(str(origin.get("resource")))))
                continue
            used = [origin.get("value")] + list(series.get("key", [])) + list((origin.get("where") or {}).keys())
            problems += [Problem(where, None, at, f"a column of {origin['resource']}", show(str(c)))
                         for c in used if c not in columns]
    return problems


def check_bands(bands: dict, where: str) -> list[Problem]:
    minimums = [b.get("minimum") for b in bands.get("bands") or []]
    if not minimums or any(not isinstance(m, (int, float)) for m in minimums):
        return [Problem(where, None, "bands", "bands with a numeric minimum each", show(str(minimums)))]
    if minimums != sorted(minimums, reverse=True):
        return [Problem(where, None, "bands", "minimums from the highest band down", str(minimums))]
    return []


def check_ikpa(ikpa: dict, where: str) -> list[Problem]:
    problems = []
    for year, spec in (ikpa.get("years") or {}).items():
        weights = (spec or {}).get("weights") or {}
        total = sum(weights.values()) if all(isinstance(w, (int, float)) for w in weights.values()) else None
        if total != 100:
            found = f"{total:g}" if total is not None else show(str(weights))
            problems.append(Problem(where, None, f"years.{year}.weights", "weights summing to 100 (%)", found))
    return problems


def check_checks(spec: dict, index: SchemaIndex, where: str) -> list[Problem]:
    problems, seen = [], set()
    for number, check in enumerate(spec.get("checks") or []):
        at = f"checks[{number}] {check.get('id', '?')}"
        if check.get("id") in seen:
            problems.append(Problem(where, None, at, "a unique check id", "a repeated id"))
        seen.add(check.get("id"))
        columns = index.columns.get(check.get("resource"))
        if columns is None:
            problems.append(Problem(where, None, f"{at}.resource", "a resource of the data packages",
                                    show(str(check.get("resource")))))
            continue
        wanted = [check.get("published")] if check.get("kind", "row") == "row" else []
        wanted += list(check.get("group_by", [])) + list(check.get("columns", []))
        wanted += [check["column"]] if check.get("column") else []
        wanted += list((check.get("where") or {}).keys()) + list((check.get("total") or {}).keys())
        wanted += list((check.get("items") or {}).keys())
        problems += check_formula(check.get("formula"), columns, index, where, f"{at}.formula")
        problems += [Problem(where, None, at, f"a column of {check['resource']}", show(str(c)))
                     for c in wanted if c not in columns]
    return problems


def check_formula(formula, columns: set[str], index: SchemaIndex, where: str, at: str) -> list[Problem]:
    if formula is None:
        return []
    problems = []
    for operator, argument in walk(formula):
        if operator not in OPERATORS:
            problems.append(Problem(where, None, at, f"an operator among {list(OPERATORS)}", show(operator)))
        if operator == "aggregate":
            other = index.columns.get(argument.get("resource"))
            if other is None:
                problems.append(Problem(where, None, at, "an aggregate over an existing resource",
                                        show(str(argument.get("resource")))))
                continue
            used = inputs_of(argument.get("value")) if argument.get("value") else []
            used += list((argument.get("where") or {}).keys()) + list(argument.get("match", []))
            problems += [Problem(where, None, at, f"a column of {argument['resource']}", show(c))
                         for c in used if c not in other]
    problems += [Problem(where, None, at, "a column of the checked resource", show(c))
                 for c in inputs_of(formula) if c not in columns and c not in ("realisasi", "target")]
    return problems


def walk(formula):
    """(operator, argument) of every mapping in a formula, outside aggregates' own rows."""
    if isinstance(formula, dict) and len(formula) == 1:
        (operator, argument), = formula.items()
        yield operator, argument
        if operator == "aggregate":
            return
        parts = argument.values() if isinstance(argument, dict) else argument if isinstance(argument, list) else []
        for part in parts:
            yield from walk(part)


def check_index(definition: dict, index: SchemaIndex, indicators: set[str]) -> list[Problem]:
    where = definition["_file"]
    nodes = definition.get("nodes") or {}
    problems = []
    if definition.get("indicator") not in indicators:
        problems.append(Problem(where, None, "indicator", "an indikator_id of referensi/indikator.csv",
                                show(str(definition.get("indicator")))))
    if definition.get("root") not in nodes:
        problems.append(Problem(where, None, "root", "a node of `nodes`", show(str(definition.get("root")))))
    for name, spec in nodes.items():
        at = f"nodes.{name}"
        if "weights" in spec:
            weights = spec["weights"] or {}
            missing = [c for c in weights if c not in nodes]
            if missing:
                problems.append(Problem(where, None, f"{at}.weights", "components defined under `nodes`",
                                        show(", ".join(missing))))
            if sum(float(w) for w in weights.values()) != 100:
                problems.append(Problem(where, None, f"{at}.weights", "weights summing to 100 (%)",
                                        f"{sum(float(w) for w in weights.values()):g}"))
            continue
        for which in ("numerator", "denominator"):
            problems += check_input(spec.get(which), definition, index, where, f"{at}.{which}")
    return problems


def check_input(spec, definition: dict, index: SchemaIndex, where: str, at: str) -> list[Problem]:
    if spec == "published":
        return []
    if not isinstance(spec, dict) or ("sum" not in spec and not spec.get("count")):
        return [Problem(where, None, at, "`published` or {resource, where, sum|count}", show(str(spec)))]
    problems = []
    for year in definition.get("years", []):
        columns = index.by_year.get((year, spec.get("resource")))
        if columns is None:
            problems.append(Problem(where, None, at, f"a resource of the {year} package", show(str(spec.get("resource")))))
            continue
        used = list(spec.get("sum", [])) + list((spec.get("where") or {}).keys())
        problems += [Problem(where, None, at, f"a column of {year}/{spec['resource']}", show(c))
                     for c in used if c not in columns]
    return problems
