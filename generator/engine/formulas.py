"""The one mechanism: evaluate a formula (a column name or a one-key mapping) on a row."""
from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean

from .data import Data, Row, matches
from .values import NO_DATA, Outcome, divide, first_failure, no_data, not_applicable, parse_number, value

OPERATORS = ("percent", "ratio", "sum", "subtract", "multiply", "divide", "const", "capaian", "cases",
             "aggregate", "ikpa_weight")


@dataclass
class Context:
    data: Data
    year: int
    capaian: dict  # definitions/capaian.yaml
    ikpa: dict  # definitions/ikpa.yaml


def evaluate(formula, row: Row, ctx: Context) -> Outcome:
    if isinstance(formula, str):
        return cell(row, formula)
    (operator, argument), = formula.items()
    return globals()[f"op_{operator}"](argument, row, ctx)


def cell(row: Row, column: str) -> Outcome:
    number = parse_number(row.get(column))
    return no_data(f"{column} kosong") if number is None else value(number)


def op_const(argument, row, ctx) -> Outcome:
    return value(argument)


def op_ratio(argument, row, ctx) -> Outcome:
    numerator, denominator = (evaluate(part, row, ctx) for part in argument)
    return divide(numerator, denominator)


def op_percent(argument, row, ctx) -> Outcome:
    ratio = op_ratio(argument, row, ctx)
    return value(ratio.value * 100) if ratio.ok else ratio


def op_divide(argument, row, ctx) -> Outcome:
    return op_ratio(argument, row, ctx)


def combine(argument, row, ctx, how) -> Outcome:
    parts = [evaluate(part, row, ctx) for part in argument]
    failed = first_failure(parts)
    return failed or value(how([p.value for p in parts]))


def op_sum(argument, row, ctx) -> Outcome:
    return combine(argument, row, ctx, sum)


def op_subtract(argument, row, ctx) -> Outcome:
    return combine(argument, row, ctx, lambda v: v[0] - sum(v[1:]))


def op_multiply(argument, row, ctx) -> Outcome:
    def product(values):
        result = 1.0
        for number in values:
            result *= number
        return result
    return combine(argument, row, ctx, product)


def op_cases(argument, row, ctx) -> Outcome:
    chosen = row.get(argument["by"], "")
    formula = argument.get(chosen, argument.get("_default"))
    if formula is None:
        return no_data(f"tidak ada rumus untuk {argument['by']} = {chosen!r}")
    return evaluate(formula, row, ctx)


def op_capaian(argument, row, ctx) -> Outcome:
    """Capaian by the polarity and cap of the row's indicator."""
    indicator = ctx.data.indicator(row.get("indikator_id", ""))
    if indicator is None:
        return no_data("indikator tidak dikenal")
    bound = {"realisasi": evaluate(argument["realisasi"], row, ctx), "target": evaluate(argument["target"], row, ctx)}
    failed = first_failure(list(bound.values()))
    if failed:
        return failed
    formula = ctx.capaian["polarity"][indicator["polaritas"]]
    outcome = evaluate(formula, {k: str(v.value) for k, v in bound.items()}, ctx)
    cap = parse_number(indicator.get("batas_capaian_persen"))
    if outcome.ok and cap is not None and outcome.value > cap:
        return Outcome(cap, note=f"dibatasi paling tinggi {cap:g}")
    return outcome


def op_ikpa_weight(argument, row, ctx) -> Outcome:
    weights = ((ctx.ikpa.get("years") or {}).get(ctx.year) or {}).get("weights") or {}
    component = row.get(argument, "")
    if row.get("bobot") == "0":  # the year's table marks a component that does not apply
        return Outcome(0.0, note=f"{component} dicetak dengan bobot 0: tidak berlaku tahun ini")
    if component not in weights:
        return no_data(f"tidak ada bobot IKPA untuk {component!r} pada {ctx.year}")
    return value(weights[component])


def op_aggregate(argument, row, ctx) -> Outcome:
    """sum / mean / count / first of `value` over matching rows of a resource of the same year."""
    where = dict(argument.get("where") or {})
    by = argument.get("where_by")
    if by:
        case = by["cases"].get(row.get(by["column"], ""))
        if case is None:
            return no_data(f"tidak ada kasus untuk {by['column']} = {row.get(by['column'])!r}")
        where.update(case)
    match = list(argument.get("match", []))
    rows = ctx.data.grouped(ctx.year, argument["resource"], where, match).get(tuple(row.get(c, "") for c in match), [])
    how = argument.get("how", "sum")
    if how == "count":
        return value(len(rows))
    outcomes = [evaluate(argument.get("value"), r, ctx) for r in sorted(rows, key=lambda r: r["_line"])]
    if how == "first":
        found = next((o for o in outcomes if o.ok), None)
        return found or no_data(f"tidak ada baris {argument['resource']} yang bernilai")
    if not outcomes:
        return no_data(f"tidak ada baris {argument['resource']} yang cocok")
    failed = first_failure(outcomes)
    if failed:
        return failed
    numbers = [o.value for o in outcomes]
    return value(sum(numbers) if how == "sum" else fmean(numbers))


def inputs_of(formula) -> list[str]:
    """Column names a formula reads from its own row (for documentation and validation)."""
    if isinstance(formula, str):
        return [formula]
    if not isinstance(formula, dict) or len(formula) != 1:
        return []
    (operator, argument), = formula.items()
    if operator in ("const", "aggregate"):
        return []
    if operator == "ikpa_weight":
        return [argument]
    if operator == "cases":
        return [argument["by"]] + [c for k, f in argument.items() if k != "by" for c in inputs_of(f)]
    if operator == "capaian":
        return inputs_of(argument["realisasi"]) + inputs_of(argument["target"]) + ["indikator_id"]
    return [c for part in argument for c in inputs_of(part)]


__all__ = ["Context", "evaluate", "inputs_of", "OPERATORS", "NO_DATA", "not_applicable", "matches"]


# The same formulas written for readers: the methodology page shows them as LaTeX (then
# MathML), the notes beneath capaian tables as plain text. Written from the definitions,
# so a changed formula changes what the site says of it. `names` gives each column's word.
def written(formula, names: dict[str, str], latex: bool = False) -> str:
    if isinstance(formula, str):
        word = names.get(formula, formula)
        return rf"\text{{{word}}}" if latex else word
    (operator, argument), = formula.items()
    parts = [written(part, names, latex) for part in argument] if isinstance(argument, list) else []
    if operator == "const":
        return str(argument)
    if operator in ("ratio", "divide"):
        return rf"\frac{{{parts[0]}}}{{{parts[1]}}}" if latex else f"{parts[0]} ÷ {parts[1]}"
    if operator == "percent":  # the caller writes the result's unit (%)
        return written({"multiply": [{"ratio": argument}, {"const": 100}]}, names, latex)
    if operator in ("sum", "subtract", "multiply"):
        sign = {"sum": " + ", "subtract": " - " if latex else " − ", "multiply": r" \times " if latex else " × "}[operator]
        inner = [grouped(part, text, operator, latex) for part, text in zip(argument, parts)]
        return sign.join(inner)
    raise ValueError(f"formula {operator} cannot be written out")


def grouped(formula, text: str, within: str, latex: bool) -> str:
    """Brackets around a sum or difference inside a product or difference."""
    inner = next(iter(formula)) if isinstance(formula, dict) else None
    if inner in ("sum", "subtract") and within in ("multiply", "subtract"):
        return rf"\left({text}\right)" if latex else f"({text})"
    return text
