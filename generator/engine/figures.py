"""Figures and their printings (definitions/angka.yaml): one identity per published figure.

Every cell a declaration covers is a printing of one figure (satker, year, what it
measures, which measure). Each figure names its reference printing by the first
reference rule that matches one of its printings. `reconcile` then
- compares every other printing with the reference printing (`cetakan-rujukan`);
- gives a derived printing whose own row lacks an input the figure's recomputation from
  the reference printings of its inputs, wherever the report prints them;
- marks every consistency record of a printing with its figure key and role.
"""
from __future__ import annotations

from dataclasses import dataclass

from .compare import compare_printings
from .data import Data, Row, matches
from .formulas import evaluate, inputs_of
from .values import Outcome, no_data

REFERENCE, RESTATEMENT = "rujukan", "pengulangan"
PRINTING_CHECK = {"id": "cetakan-rujukan", "title": "Cetakan dibandingkan dengan cetakan rujukan angka yang sama"}


@dataclass
class Printing:
    figure: str  # the figure key without the measure
    measure: str
    year: int
    row: Row
    column: str
    declaration: dict
    remap_reason: str = ""

    @property
    def key(self) -> str:
        return f"{self.figure}/{self.measure}"

    @property
    def text(self) -> str:
        return self.row[self.column]

    @property
    def order(self) -> tuple:
        return (self.row.get("sumber_file", ""), int(self.row.get("sumber_baris") or 0), self.row["_line"], self.column)


@dataclass
class Figure:
    key: str
    printings: list[Printing]
    reference: Printing
    reason: str


def key_part(part, row: Row) -> str:
    if isinstance(part, str):
        return row.get(part, "")
    if "value" in part:
        return str(part["value"])
    printed = row.get(part["column"], "")
    return str((part.get("codes") or {}).get(printed, printed))


def figure_of(declaration: dict, row: Row, year: int) -> str:
    parts = [row.get("satker_id", ""), str(year), declaration["figure"]]
    return "/".join(parts + [key_part(p, row) for p in declaration.get("key") or []])


def remap(spec: dict, resource: str, year: int, row: Row, column: str) -> dict | None:
    for override in spec.get("printings") or []:
        if (override["resource"] == resource and override["column"] == column
                and matches(dict(row, tahun=str(year)), override.get("where") or {})):
            return override
    return None


def printings(spec: dict, data: Data, year: int) -> list[Printing]:
    """Every declared cell of one year with a value, as a printing of its figure."""
    out = []
    for declaration in spec.get("figures") or []:
        resource = declaration["resource"]
        for row in data.rows(year, resource):
            if not matches(row, declaration.get("where") or {}):
                continue
            figure = figure_of(declaration, row, year)
            for measure, column in declaration["measures"].items():
                if row.get(column, "") == "":
                    continue
                override = remap(spec, resource, year, row, column)
                out.append(Printing(figure, override["measure"] if override else measure, year, row, column,
                                    declaration, override["reason"] if override else ""))
    return out


def rule_matches(rule: dict, printing: Printing) -> bool:
    return (rule.get("resource") in (None, printing.row["_resource"])
            and rule.get("measure") in (None, printing.measure)
            and matches(printing.row, rule.get("where") or {}))


def figures(spec: dict, data: Data, year: int) -> list[Figure]:
    grouped: dict[str, list[Printing]] = {}
    for printing in printings(spec, data, year):
        grouped.setdefault(printing.key, []).append(printing)
    rules = spec.get("reference") or [{"where": {}, "reason": ""}]
    out = []
    for key, found in grouped.items():
        found.sort(key=lambda p: p.order)
        # The first rule that matches any printing, and the first printing it matches: each
        # printing's first matching rule, once (the figure's is the smallest of them).
        ranks = [next((i for i, rule in enumerate(rules) if rule_matches(rule, p)), len(rules)) for p in found]
        best = min(ranks)
        reference = found[ranks.index(best)]
        out.append(Figure(key, found, reference, rules[min(best, len(rules) - 1)]["reason"].strip()))
    return sorted(out, key=lambda f: f.key)


def where_printed(printing: Printing) -> str:
    row = printing.row
    return f"{row.get('sumber_tabel', '')}, baris {row.get('sumber_baris', '')} ({printing.column})"


def reconcile(records: list[dict], spec: dict, checks: list[dict], context, data: Data, year: int) -> tuple[list[dict], list[Figure]]:
    """The year's consistency records, marked and completed by the figures they print."""
    found = figures(spec, data, year)
    by_key = {f.key: f for f in found}
    families: dict[str, list[Figure]] = {}
    for figure in found:
        families.setdefault(figure.reference.figure, []).append(figure)
    by_cell = {(p.row["_resource"], p.row["_line"], p.column): (f, p) for f in found for p in f.printings}
    row_checks = {(c["resource"], c["published"]): c for c in checks if c.get("kind", "row") == "row"}
    out, checked = [], set()
    for r in records:
        figure, printing = by_cell.get((r["resource"], r["csv_line"], r["column"]), (None, None))
        own = row_checks.get((r["resource"], r["column"]))
        if printing is not None and own is not None and own["id"] == r["check_id"]:
            if printing.remap_reason or r["status"] == "no_data":
                continue  # not this column's figure, or no inputs on the row: recomputed below
            checked.add(id(printing))
        out.append(mark(r, figure, printing))
    for figure in found:
        for printing in figure.printings:
            check = derived_check(spec, row_checks, printing)
            if check is not None and id(printing) not in checked and applies(check, printing, by_key):
                out.append(mark(recomputed(check, figure, printing, by_key, families, context, data, year), figure, printing))
            if len(figure.printings) > 1:
                out.append(mark(printing_record(figure, printing, data, year), figure, printing))
    return out, found


def derived_check(spec: dict, row_checks: dict, printing: Printing) -> dict | None:
    """The row check that recomputes this printing's measure, from the declaration of its
    family that stores that measure in a checked column."""
    family = printing.declaration["figure"]
    for declaration in [printing.declaration] + (spec.get("figures") or []):
        column = declaration["measures"].get(printing.measure) if declaration["figure"] == family else None
        if column and (declaration["resource"], column) in row_checks:
            return dict(row_checks[(declaration["resource"], column)], _declaration=declaration)
    return None


def applies(check: dict, printing: Printing, by_key: dict) -> bool:
    """The check's `where` holds for the figure: on the printing's row, with each measure
    taken from the figure's reference printing."""
    declaration = check["_declaration"]
    row = dict(printing.row)
    for measure, column in declaration["measures"].items():
        found = by_key.get(f"{printing.figure}/{measure}")
        row[column] = found.reference.text if found else ""
    return matches(row, check.get("where") or {})


def figure_value(check: dict, family: str, measure: str, printed: list[Printing], by_key: dict, ctx) -> tuple[Outcome, list[str]]:
    """The one path for a derived figure: the check's formula on a row of the table that
    defines it, with every measure of the figure taken from its reference printing.
    Returns the outcome and where the inputs were printed."""
    declaration = check["_declaration"]
    base = next((p.row for p in printed if p.row["_resource"] == declaration["resource"]), None)
    if base is None:
        return no_data("angka ini tidak dicetak di tabel yang mendefinisikan rumusnya"), []
    row, used = dict(base), []
    inputs = set(inputs_of(check["formula"]))
    for other, column in declaration["measures"].items():
        found = by_key.get(f"{family}/{other}")
        row[column] = found.reference.text if found else ""
        if found and other != measure and column in inputs:
            used.append(where_printed(found.reference))
    return evaluate(check["formula"], row, ctx), used


def recomputed(check: dict, figure: Figure, printing: Printing, by_key: dict, families: dict, context, data: Data,
               year: int) -> dict:
    """The printing against its figure recomputed from the reference printings of the
    figure's inputs, wherever the report prints them."""
    from .checks import record

    family = [f.reference for f in families[printing.figure]]
    outcome, used = figure_value(check, printing.figure, printing.measure, [figure.reference, printing] + family,
                                 by_key, context(year))
    result = record(check, year, printing.row, printing.column, printing.text, outcome, data,
                    figure=f"{check['title']}: {figure.key}")
    result["compared_with"] = ("hitung ulang dari cetakan rujukan masukannya: " + "; ".join(sorted(set(used)))
                               if used else "hitung ulang: tidak ada cetakan masukannya di laporan")
    return result


def printing_record(figure: Figure, printing: Printing, data: Data, year: int) -> dict:
    from .checks import record

    reference = figure.reference
    title = f"{printing.declaration['title']}: {printing.measure}"
    if printing is reference:
        others = len(figure.printings) - 1
        result = record(PRINTING_CHECK, year, printing.row, printing.column, printing.text,
                        Outcome(float(printing.text)), data, figure=title)
        result.update(status="reference", difference=None, within_rounding=None,
                      explanation=f"cetakan rujukan: {figure.reason}",
                      compared_with=f"{others} cetakan lain dari angka yang sama")
        return result
    result = record(PRINTING_CHECK, year, printing.row, printing.column, printing.text,
                    Outcome(float(reference.text)), data, figure=title)
    outcome = compare_printings(printing.text, reference.text)
    result.update(outcome, compared_with=f"cetakan rujukan: {where_printed(reference)}")
    return result


def mark(r: dict, figure: Figure | None, printing: Printing | None) -> dict:
    r.setdefault("compared_with", "hitung ulang dari masukan pada baris yang sama")
    r["figure_key"] = printing.key if printing else ""
    r["role"] = ("" if figure is None else REFERENCE if printing is figure.reference else RESTATEMENT)
    if printing is not None and printing.remap_reason:
        r["explanation"] = "; ".join(x for x in (r.get("explanation", ""), printing.remap_reason) if x)
    return r


__all__ = ["reconcile", "figures", "printings", "Figure", "Printing", "REFERENCE", "RESTATEMENT", "no_data"]
