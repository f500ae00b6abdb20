"""Load the definitions (definitions/*.yaml) and check them against the data's schemas."""
from __future__ import annotations

import glob
import os

from ..load import DataPackage
from ..problems import Problem, show
from ..strict_yaml import load_yaml
from ..yaml_schema import check_file, closest
from .composite import NOT_APPLICABLE_POLICIES, OWN_UNITS
from .formulas import OPERATORS, inputs_of

FILES = ("angka", "bands", "capaian", "checks", "ikpa", "series", "label", "istilah")
SCHEMAS = "skema"  # definitions/skema/<name>.schema.yaml: the shape of each file (indeks: of every index)


def load_definitions(folder: str) -> tuple[dict, list[Problem]]:
    """Every definition, parsed strictly and checked against its schema (skema/); the
    checks below assume the shape the schemas describe, so they run only when none fails."""
    definitions, problems = {"indeks": []}, []
    for name in FILES:
        data, found = load_checked(os.path.join(folder, f"{name}.yaml"), os.path.join(folder, SCHEMAS, name))
        problems += found
        definitions[name] = data if isinstance(data, dict) else {}
    for path in sorted(glob.glob(os.path.join(folder, "indeks", "*.yaml"))):
        data, found = load_checked(path, os.path.join(folder, SCHEMAS, "indeks"))
        problems += found
        if isinstance(data, dict):
            definitions["indeks"].append(dict(data, _file=os.path.relpath(path)))
    return definitions, list(dict.fromkeys(problems))  # a broken shared schema: once, not once per file using it


def load_checked(path: str, schema: str) -> tuple[object, list[Problem]]:
    """A YAML file and the problems of its syntax, else of its shape (`schema`.schema.yaml)."""
    data, problems = load_yaml(path, os.path.relpath(path))
    if problems:
        return data, problems
    return data, check_file(data, path, os.path.relpath(path), schema + ".schema.yaml")


class SchemaIndex:
    """Which columns each resource has, per year and across years."""

    def __init__(self, packages: list[DataPackage]):
        self.columns: dict[str, set[str]] = {}
        self.by_year: dict[tuple[int, str], set[str]] = {}
        self.in_years: dict[str, set[str]] = {}  # the resources of the year packages (not the reference package)
        for package in packages:
            for resource in package.resources:
                names = {f.get("name") for f in resource.fields}
                self.columns.setdefault(resource.name, set()).update(names)
                if package.year is not None:
                    self.by_year[(package.year, resource.name)] = names
                    self.in_years.setdefault(resource.name, set()).update(names)


def check_definitions(definitions: dict, packages: list[DataPackage], folder: str) -> list[Problem]:
    index = SchemaIndex(packages)
    problems = []
    problems += check_bands(definitions.get("bands") or {}, os.path.join(folder, "bands.yaml"))
    problems += check_capaian(definitions.get("capaian") or {}, packages, os.path.join(folder, "capaian.yaml"))
    problems += check_ikpa(definitions.get("ikpa") or {}, os.path.join(folder, "ikpa.yaml"))
    problems += check_checks(definitions.get("checks") or {}, index, os.path.join(folder, "checks.yaml"))
    indicators = reference_ids(packages, "indikator", "indikator_id")
    satkers = reference_ids(packages, "satker", "satker_id")
    for definition in definitions.get("indeks", []):
        problems += check_index(definition, index, indicators, satkers)
    problems += check_series(definitions.get("series") or {}, index, os.path.join(folder, "series.yaml"))
    problems += check_figures(definitions.get("angka") or {}, index, os.path.join(folder, "angka.yaml"))
    problems += check_labels(definitions.get("label") or {}, packages, os.path.join(folder, "label.yaml"))
    problems += check_glossary(definitions.get("istilah") or {}, os.path.join(folder, "istilah.yaml"))
    return problems


def label_for(labels: dict, resource: str, column: str, code: str) -> str | None:
    """The Indonesian label of a code (label.yaml: `resource.column`, else `column`), or None."""
    for key in (f"{resource}.{column}", column):
        found = (labels.get(key) or {}).get(code)
        if found is not None:
            return str(found)
    return None


def check_labels(labels: dict, packages: list[DataPackage], where: str) -> list[Problem]:
    """Every code an `enum` of a schema allows has a label (pages never show a bare code)."""
    problems = []
    for key, codes in labels.items():
        if not isinstance(codes, dict) or not all(isinstance(v, str) and v.strip() for v in codes.values()):
            problems.append(Problem(where, key_line(where, key), key, "code: label pairs, each label a text",
                                    show(str(codes))))
    missing: dict[tuple[str, str], list[str]] = {}
    for package in packages:
        for resource in package.resources:
            for field in resource.fields:
                for key in ("type", "unit"):  # the data dictionary shows both in words
                    if field.get(key) is not None and label_for(labels, "", key, str(field[key])) is None:
                        found = missing.setdefault(("", key), [])
                        if str(field[key]) not in found:
                            found.append(str(field[key]))
                for code in (field.get("constraints") or {}).get("enum") or []:
                    if label_for(labels, resource.name, field.get("name", ""), str(code)) is None:
                        found = missing.setdefault((resource.name, field.get("name", "")), [])
                        if str(code) not in found:
                            found.append(str(code))
    for (resource, column), codes in sorted(missing.items()):
        problems.append(Problem(where, key_line(where, column), column,
                                f"a label for every code of {resource + '.' if resource else 'every field’s '}{column}",
                                "no label for " + show(", ".join(codes)),
                                f"add under `{column}:` a line `{codes[0]}: <label in Indonesian>`"))
    return problems


def check_glossary(glossary: dict, where: str) -> list[Problem]:
    """Every entry has its term and meaning; no term twice; `lihat` names listed terms."""
    problems, seen = [], set()
    entries = glossary.get("istilah") or []
    for number, entry in enumerate(entries):
        at = f"istilah[{number}]"
        if not isinstance(entry, dict) or not str(entry.get("istilah") or "").strip() or not str(entry.get("arti") or "").strip():
            problems.append(Problem(where, None, at, "istilah and arti, each a text", show(str(entry))))
            continue
        if entry["istilah"] in seen:
            problems.append(Problem(where, None, at, "each term once", show(entry["istilah"])))
        seen.add(entry["istilah"])
    for number, entry in enumerate(entries):
        for other in (entry.get("lihat") or []) if isinstance(entry, dict) else []:
            if other not in seen:
                problems.append(Problem(where, None, f"istilah[{number}].lihat", "a term of this list", show(str(other))))
    return problems


def check_figures(spec: dict, index: SchemaIndex, where: str) -> list[Problem]:
    """Figure declarations, reference rules and single-cell remaps name existing resources and
    columns; every reference rule and remap gives its reason; the last rule matches anything."""
    problems = []
    families: dict[str, set[str]] = {}
    for number, declaration in enumerate(spec.get("figures") or []):
        at = f"figures[{number}] {declaration.get('figure', '?')}"
        columns = index.columns.get(declaration.get("resource"))
        if columns is None:
            problems.append(Problem(where, None, f"{at}.resource", "a resource of the data packages",
                                    show(str(declaration.get("resource")))))
            continue
        parts = [p if isinstance(p, str) else p.get("column") for p in declaration.get("key") or []]
        used = [c for c in parts if c] + list((declaration.get("measures") or {}).values())
        used += list((declaration.get("where") or {}).keys())
        problems += [Problem(where, None, at, f"a column of {declaration['resource']}", show(str(c)))
                     for c in used if c not in columns]
        if not declaration.get("measures") or not declaration.get("title"):
            problems.append(Problem(where, None, at, "a title and at least one measure", show(str(declaration))))
        families.setdefault(str(declaration.get("figure")), set()).update(declaration.get("measures") or {})
    rules = spec.get("reference") or []
    for number, rule in enumerate(rules):
        problems += reasoned(rule, where, f"reference[{number}]", index)
    if not rules or rules[-1].get("where") or rules[-1].get("resource") or rules[-1].get("measure"):
        problems.append(Problem(where, None, "reference", "a last rule without conditions (where: {}) that names the reference of any other figure",
                                "none"))
    measures = set().union(*families.values()) if families else set()
    for number, override in enumerate(spec.get("printings") or []):
        at = f"printings[{number}]"
        problems += reasoned(override, where, at, index)
        if override.get("measure") not in measures:
            problems.append(Problem(where, None, f"{at}.measure", "a measure declared under `figures`",
                                    show(str(override.get("measure")))))
    for number, item in enumerate(spec.get("not_repeats") or []):
        problems += reasoned(item, where, f"not_repeats[{number}]", index)
    return problems


def reasoned(item: dict, where: str, at: str, index: SchemaIndex) -> list[Problem]:
    problems = []
    if not str(item.get("reason") or "").strip():
        problems.append(Problem(where, None, f"{at}.reason", "the reason, in Indonesian", "none"))
    resource = item.get("resource")
    if resource is not None:
        columns = index.columns.get(resource)
        if columns is None:
            return problems + [Problem(where, None, f"{at}.resource", "a resource of the data packages", show(str(resource)))]
        used = list((item.get("where") or {}).keys()) + ([item["column"]] if item.get("column") else [])
        problems += [Problem(where, None, at, f"a column of {resource}", show(str(c)))
                     for c in used if c not in columns and c != "tahun"]
    return problems


def reference_ids(packages: list[DataPackage], resource: str, column: str) -> set[str]:
    return {r.get(column) for p in packages if p.name == "referensi"
            for res in p.resources if res.name == resource for _, r in res.records()}


def key_line(path: str, key: str) -> int | None:
    """The line of a top-level key in a YAML file (None when it is not written there)."""
    try:
        with open(path, encoding="utf-8") as fh:
            for number, line in enumerate(fh, start=1):
                if line.startswith(f"{key}:"):
                    return number
    except OSError:
        pass
    return None


def check_series(spec: dict, index: SchemaIndex, where: str) -> list[Problem]:
    problems = []
    for number, series in enumerate(spec.get("series") or []):
        if series.get("own_table", False) not in (True, False):
            problems.append(Problem(where, None, f"series[{number}] {series.get('id', '?')} own_table", "true or false",
                                    show(str(series["own_table"]))))
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


def check_capaian(capaian: dict, packages: list[DataPackage], where: str) -> list[Problem]:
    """A formula for every polarity an indicator may have (the `enum` of
    referensi/indikator.polaritas), and for nothing else."""
    allowed = [str(code) for p in packages if p.name == "referensi" for res in p.resources if res.name == "indikator"
               for f in res.fields if f.get("name") == "polaritas" for code in (f.get("constraints") or {}).get("enum") or []]
    formulas = capaian.get("polarity") or {}
    names = ", ".join(allowed)
    problems = [Problem(where, key_line(where, "polarity"), "polarity",
                        f"a formula for every polarity of referensi/indikator.csv: {names}",
                        f"no formula for {polarity}") for polarity in allowed if polarity not in formulas]
    return problems + [Problem(where, key_line(where, "polarity"), f"polarity.{polarity}",
                               f"a polarity of referensi/indikator.csv: {names}", show(str(polarity)),
                               close_match(str(polarity), set(allowed)))
                       for polarity in formulas if polarity not in allowed]


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
        wanted += list((check.get("items") or {}).keys()) + list((check.get("parent") or {}).values())
        problems += check_formula(check.get("formula"), columns, index, where, f"{at}.formula")
        problems += [Problem(where, None, at, f"a column of {check['resource']}", show(str(c)))
                     for c in wanted if c not in columns]
        problems += check_adds_up(check, index, where, at)
    return problems


def check_adds_up(check: dict, index: SchemaIndex, where: str, at: str) -> list[Problem]:
    """A total that must add up names columns the check sums, in years that have the table:
    a year without it would make the rule check nothing, silently."""
    rule = check.get("adds_up") or {}
    if rule and check.get("kind", "row") != "total":
        return [Problem(where, None, f"{at}.adds_up", "adds_up only on a check of kind total",
                        show(check.get("kind", "row")))]
    problems = [Problem(where, None, f"{at}.adds_up.columns", f"a column summed by this check: {', '.join(check.get('columns', []))}",
                        show(str(c))) for c in rule.get("columns", []) if c not in check.get("columns", [])]
    problems += [Problem(where, None, f"{at}.adds_up.years", f"a year whose package has {check['resource']}",
                         show(str(year))) for year in rule.get("years", []) if (year, check["resource"]) not in index.by_year]
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


def check_index(definition: dict, index: SchemaIndex, indicators: set[str], satkers: set[str]) -> list[Problem]:
    where = definition["_file"]
    nodes = definition.get("nodes") or {}
    problems = []
    if definition.get("indicator") not in indicators:
        problems.append(Problem(where, None, "indicator", "an indikator_id of referensi/indikator.csv",
                                show(str(definition.get("indicator")))))
    problems += check_policy(definition, where)
    problems += check_scope(definition, satkers, where)
    root = definition.get("root")
    if root not in nodes:
        problems.append(Problem(where, key_line(where, "root"), "root", "a node of `nodes`", show(str(root))))
    else:
        reached = reachable(nodes, root)
        problems += [Problem(where, None, f"nodes.{name}", f"a component reached from the root {root}",
                             "a node that no `weights` names") for name in nodes if name not in reached]
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


def reachable(nodes: dict, root: str) -> set[str]:
    found, todo = {root}, [root]
    while todo:
        for child in (nodes.get(todo.pop()) or {}).get("weights") or {}:
            if child not in found and child in nodes:
                found.add(child)
                todo.append(child)
    return found


def check_policy(definition: dict, where: str) -> list[Problem]:
    """`not_applicable` names one of the declared policies: a misspelling is an error, never a default."""
    policy = definition.get("not_applicable")
    if isinstance(policy, str) and policy in NOT_APPLICABLE_POLICIES:
        return []
    names = " atau ".join(NOT_APPLICABLE_POLICIES)
    found = show(str(policy)) if "not_applicable" in definition else "tidak ada (kunci not_applicable belum ditulis)"
    return [Problem(where, key_line(where, "not_applicable"), "not_applicable",
                    f"kebijakan komponen 0/0 yang dikenal: {names}", found,
                    "renormalise = bobot komponen 0/0 dibagi ke komponen lain; zero = komponen 0/0 dihitung 0. "
                    "Periksa ejaannya; nilai lain tidak dipakai")]


def check_scope(definition: dict, satkers: set[str], where: str) -> list[Problem]:
    """`satker_id` (one or a list) and `scope` (own_units or a list) name satkers of the registry."""
    problems = []
    owners = definition.get("satker_id")
    owners = [owners] if isinstance(owners, str) else owners
    line = key_line(where, "satker_id")
    if not isinstance(owners, list) or not owners:
        problems.append(Problem(where, line, "satker_id", "a satker_id of referensi/satker.csv, or a list of them",
                                show(str(definition.get("satker_id")))))
        owners = []
    for number, owner in enumerate(owners):
        if owner not in satkers:
            at = "satker_id" if isinstance(definition.get("satker_id"), str) else f"satker_id[{number}]"
            problems.append(Problem(where, line, at, "a satker_id of referensi/satker.csv", show(str(owner)),
                                    close_match(str(owner), satkers)))
    scope = definition.get("scope")
    line = key_line(where, "scope")
    if scope == OWN_UNITS:
        return problems
    if not isinstance(scope, list) or not scope:
        problems.append(Problem(where, line, "scope", f"{OWN_UNITS} (the satker and the units under it that year) "
                                "or a list of satker_ids whose per-unit rows feed the index",
                                show(str(scope)) if "scope" in definition else "no scope"))
        return problems
    if len(owners) > 1:
        problems.append(Problem(where, line, "scope", f"{OWN_UNITS} when satker_id lists several satkers "
                                "(one list cannot be the scope of each)", show(str(scope))))
    for number, satker_id in enumerate(scope):
        if satker_id not in satkers:
            problems.append(Problem(where, line, f"scope[{number}]", "a satker_id of referensi/satker.csv",
                                    show(str(satker_id)), close_match(str(satker_id), satkers)))
    return problems


def close_match(value: str, known: set[str]) -> str:
    close = closest(value, sorted(k for k in known if k))
    return f"did you mean {close!r}?" if close else ""


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
