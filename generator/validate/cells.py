"""Cell rules: each text cell means exactly one thing.

Frictionless accepts `NaN`, `inf`, `1e3` and `1_000` in a number column and reads
`1.234` (meant 1234) as a decimal; it accepts `" "`, `-` and `N/A` as required
text. Each of those is an error here, named by file, line and column.
"""
from __future__ import annotations

import datetime
import difflib
import os
import re

from ..load import DESCRIPTOR, Resource
from ..messages import t
from ..problems import Problem, show

PLACEHOLDERS = {"-", "--", "–", "—", "n/a", "na", "null", "none", "nan", "?", "tidak ada", "kosong"}
INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?")
# 1.234 or 12.345.678: dot-grouped thousands, the Indonesian way of printing 1234.
DOT_THOUSANDS = re.compile(r"-?[1-9][0-9]{0,2}(\.[0-9]{3})+")
BOOLEAN = {"true", "false"}
# Written by Excel in the Indonesian way (8.844.706.000 or 99,74): `portal rapikan` converts it.
EXCEL_NUMBER = re.compile(r"-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?|-?[0-9]+,[0-9]+")


def check_cells(resource: Resource, package) -> list[Problem]:
    problems = []
    fields = {f.get("name"): f for f in resource.fields}
    for line, record in resource.records():
        for name, text in record.items():
            field = fields.get(name)
            if field is not None:
                problem = check_cell(field, text)
                if problem:
                    expected, hint = problem
                    if hint == ENUM_HINT:
                        hint = enum_hint(field, text, resource, package)
                    elif hint == TIDY_HINT:
                        hint = t("cell.tidy_hint", file=resource.file, example=text,
                                 fixed=text.replace(".", "").replace(",", "."))
                    problems.append(Problem(resource.file, line, name, expected, show(text), hint))
    return problems


ENUM_HINT, TIDY_HINT = object(), object()  # filled in by check_cells, which knows where the schema is


def check_cell(field: dict, text: str) -> tuple[str, object] | None:
    """Return (expected, hint) when the cell is wrong, else None."""
    required = bool((field.get("constraints") or {}).get("required"))
    if text == "":
        return (t("cell.required"), "") if required else None
    if text != text.strip():
        return t("cell.blanks"), t("cell.blanks_hint")
    if text.lower() in PLACEHOLDERS:
        return t("cell.placeholder"), t("cell.placeholder_hint")
    return check_type(field, text) or check_constraints(field, text)


def check_type(field: dict, text: str) -> tuple[str, object] | None:
    kind = field.get("type")
    if kind == "integer" and not INTEGER.fullmatch(text):
        return t("cell.integer"), TIDY_HINT if EXCEL_NUMBER.fullmatch(text) else t("cell.plain_number_hint")
    if kind == "number":
        return check_number(field, text)
    if kind == "boolean" and text not in BOOLEAN:
        return t("cell.boolean"), ""
    if kind == "date":
        return check_date(text)
    if kind == "year" and not re.fullmatch(r"[12][0-9]{3}", text):
        return t("cell.year"), ""
    return None


def check_constraints(field: dict, text: str) -> tuple[str, object] | None:
    """enum, minimum, maximum and pattern, with the allowed values spelled out."""
    constraints = field.get("constraints") or {}
    if "enum" in constraints and text not in [str(v) for v in constraints["enum"]]:
        return t("cell.enum", values=", ".join(str(v) for v in constraints["enum"])), ENUM_HINT
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], text):
        return t("cell.pattern", pattern=constraints["pattern"]), ""
    if field.get("type") in ("integer", "number", "year"):
        value = float(text)
        if "minimum" in constraints and value < constraints["minimum"]:
            # the hint is about amounts and counts (minimum 0), not about years or lines
            hint = t("cell.minimum_hint") if constraints["minimum"] == 0 else ""
            return t("cell.minimum", minimum=constraints["minimum"]), hint
        if "maximum" in constraints and value > constraints["maximum"]:
            return t("cell.maximum", maximum=constraints["maximum"]), ""
    return None


def check_number(field: dict, text: str) -> tuple[str, object] | None:
    if not NUMBER.fullmatch(text):
        if EXCEL_NUMBER.fullmatch(text):
            return t("cell.decimal_comma") if "," in text else t("cell.thousands"), TIDY_HINT
        if "," in text:
            return t("cell.decimal_comma"), t("cell.decimal_comma_hint")
        return t("cell.number"), t("cell.plain_number_hint")
    decimals = len(text.split(".")[1]) if "." in text else 0
    allowed = field.get("x-decimals")
    if allowed is not None and decimals > allowed:
        return t("cell.decimals", allowed=allowed), t("cell.plain_number_hint")
    if allowed is None and DOT_THOUSANDS.fullmatch(text):
        return t("cell.thousands"), t("cell.thousands_hint", text=text, plain=text.replace(".", ""))
    return None


def check_date(text: str) -> tuple[str, object] | None:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return t("cell.date"), t("cell.date_hint")
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        return t("cell.date"), ""
    return None


def enum_hint(field: dict, text: str, resource: Resource, package) -> object:
    """Where the allowed values are written (the schema's file and line, resource and
    field), and the allowed value the cell most likely meant."""
    allowed = [str(v) for v in (field.get("constraints") or {}).get("enum") or []]
    path = os.path.join(package.folder, resource.schema_ref or DESCRIPTOR)
    line = enum_line(path, None if resource.schema_ref else resource.name, field.get("name", ""))
    where = f"{resource.schema_file}:{line}" if line else resource.schema_file
    close = [v for v in allowed if v.lower() == text.lower()] or difflib.get_close_matches(text, allowed, n=1)
    if close:
        return t("cell.enum_hint_close", close=close[0], where=where, resource=resource.name, field=field.get("name"))
    return t("cell.enum_hint", where=where, resource=resource.name, field=field.get("name"))


def _name_line(name: str) -> re.Pattern:
    """`name: x` as a block key (`- name: x`, `  name: x`) or the first key of a flow mapping."""
    return re.compile(r"\s*(- )?\{?\s*name:\s*['\"]?" + re.escape(name) + r"['\"]?\s*(,|\}|$)")


def indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def enum_line(path: str, resource: str | None, field: str) -> int | None:
    """The line of the field's `enum:` (block or flow style), or None: in a descriptor under
    its resource, in a shared schema file (`resource` None) anywhere."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().split("\n")
    except OSError:
        return None
    if resource is None:
        start, end = -1, len(lines)
    else:
        start = next((i for i, text in enumerate(lines) if text.lstrip().startswith("- ")
                      and _name_line(resource).match(text)), None)
        if start is None:
            return None
        end = next((i for i in range(start + 1, len(lines))
                    if lines[i].strip() and indent(lines[i]) <= indent(lines[start])), len(lines))
    at = next((i for i in range(start + 1, end) if _name_line(field).match(lines[i])), None)
    if at is None:
        return None
    if "enum" in lines[at]:
        return at + 1  # flow style: the whole field on one line
    item = next((i for i in range(at, start, -1) if lines[i].lstrip().startswith("- ")
                 and (i == at or indent(lines[i]) < indent(lines[at]))), at)
    following = next((i for i in range(item + 1, end) if lines[i].strip()
                      and indent(lines[i]) <= indent(lines[item])), end)
    return next((i + 1 for i in range(item, following) if re.match(r"\s*(- )?enum:", lines[i])), at + 1)
