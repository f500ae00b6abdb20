"""Cell rules: each text cell means exactly one thing.

Frictionless accepts `NaN`, `inf`, `1e3` and `1_000` in a number column and reads
`1.234` (meant 1234) as a decimal; it accepts `" "`, `-` and `N/A` as required
text. Each of those is an error here, named by file, line and column.
"""
from __future__ import annotations

import datetime
import re

from ..load import Resource
from ..problems import Problem, show

PLACEHOLDERS = {"-", "--", "–", "—", "n/a", "na", "null", "none", "nan", "?", "tidak ada", "kosong"}
INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
# 1.234 or 12.345.678: dot-grouped thousands, the Indonesian way of printing 1234.
DOT_THOUSANDS = re.compile(r"-?[1-9][0-9]{0,2}(\.[0-9]{3})+")
BOOLEAN = {"true", "false"}
PLAIN_NUMBER_HINT = "write digits with '.' only for decimals, e.g. 8844706000 or 99.74"


def check_cells(resource: Resource) -> list[Problem]:
    problems = []
    fields = {f.get("name"): f for f in resource.fields}
    for line, record in resource.records():
        for name, text in record.items():
            field = fields.get(name)
            if field is not None:
                problem = check_cell(field, text)
                if problem:
                    expected, hint = problem
                    problems.append(Problem(resource.file, line, name, expected, show(text), hint))
    return problems


def check_cell(field: dict, text: str) -> tuple[str, str] | None:
    """Return (expected, hint) when the cell is wrong, else None."""
    required = bool((field.get("constraints") or {}).get("required"))
    if text == "":
        return ("a value (this column is required)", "") if required else None
    if text != text.strip():
        return "no spaces or tabs around the value", "delete the surrounding blanks"
    if text.lower() in PLACEHOLDERS:
        return ("a real value or an empty cell",
                "leave the cell empty and say what the report printed in `catatan`")
    return check_type(field, text) or check_constraints(field, text)


def check_type(field: dict, text: str) -> tuple[str, str] | None:
    kind = field.get("type")
    if kind == "integer" and not INTEGER.fullmatch(text):
        return "a whole number", PLAIN_NUMBER_HINT
    if kind == "number":
        return check_number(field, text)
    if kind == "boolean" and text not in BOOLEAN:
        return "true or false", ""
    if kind == "date":
        return check_date(text)
    if kind == "year" and not re.fullmatch(r"[12][0-9]{3}", text):
        return "a four-digit year", ""
    return None


def check_constraints(field: dict, text: str) -> tuple[str, str] | None:
    """enum, minimum, maximum and pattern, with the allowed values spelled out."""
    constraints = field.get("constraints") or {}
    if "enum" in constraints and text not in [str(v) for v in constraints["enum"]]:
        return f"one of {constraints['enum']}", ""
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        return f"text matching the pattern {constraints['pattern']}", ""
    if field.get("type") in ("integer", "number", "year"):
        value = float(text)
        if "minimum" in constraints and value < constraints["minimum"]:
            return f"a value of at least {constraints['minimum']}", "amounts and counts cannot be negative"
        if "maximum" in constraints and value > constraints["maximum"]:
            return f"a value of at most {constraints['maximum']}", ""
    return None


def check_number(field: dict, text: str) -> tuple[str, str] | None:
    if not NUMBER.fullmatch(text):
        if "," in text:
            return "a plain number with '.' as decimal point", "Indonesian decimal comma: write 99.74 for 99,74"
        return "a plain number", PLAIN_NUMBER_HINT
    decimals = len(text.split(".")[1]) if "." in text else 0
    allowed = field.get("x-decimals")
    if allowed is not None and decimals > allowed:
        return f"at most {allowed} decimals", PLAIN_NUMBER_HINT
    if allowed is None and DOT_THOUSANDS.fullmatch(text):
        return ("a number without thousands separators",
                f"'{text}' reads as a decimal; if it means {text.replace('.', '')}, write that "
                "(if it really has three decimals, declare x-decimals on the field)")
    return None


def check_date(text: str) -> tuple[str, str] | None:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return "a date written YYYY-MM-DD", "keep the printed date text in a separate column"
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return "a date written YYYY-MM-DD", ""
    return None
