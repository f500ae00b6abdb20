"""The sections of a satker-year page (sections.yaml beside this file), read and checked
before any page is built: first its shape (sections.schema.yaml), then that every table's
resource, columns and `where` columns are names of the year packages' schemas. A page
built from a misspelt name would fail half-way, or silently show nothing."""
from __future__ import annotations

import os

from ..engine.definitions import SchemaIndex
from ..messages import t
from ..problems import Problem, show
from ..strict_yaml import load_yaml
from ..yaml_schema import Lines, check_file, closest

HERE = os.path.dirname(os.path.abspath(__file__))
SECTIONS = os.path.join(HERE, "sections.yaml")
SCHEMA = os.path.join(HERE, "sections.schema.yaml")


def load_sections(packages, path: str = SECTIONS) -> tuple[list[dict], list[Problem]]:
    """The sections, and the problems of sections.yaml (none: the pages can be built)."""
    shown = os.path.relpath(path)
    data, problems = load_yaml(path, shown)
    if not problems:
        problems = check_file(data, path, shown, SCHEMA)
    if problems:
        return [], problems
    return data["sections"], check_names(data, packages, path, shown)


def check_names(data: dict, packages, path: str, shown: str) -> list[Problem]:
    columns = SchemaIndex(packages).in_years
    lines, problems = Lines.of_file(path, data), []
    for number, section in enumerate(data["sections"]):
        for index, table in enumerate(section.get("tables") or []):
            at = ["sections", number, "tables", index]
            if table["resource"] not in columns:
                problems.append(unknown(lines, shown, at + ["resource"], table["resource"], columns,
                                        t("sections.resource", names=", ".join(sorted(columns)))))
                continue
            known = columns[table["resource"]]
            named = [(at + ["columns", k], c) for k, c in enumerate(table["columns"])]
            named += [(at + ["where", c], c) for c in table.get("where") or {}]
            expected = t("sections.column", resource=table["resource"], names=", ".join(sorted(known)))
            problems += [unknown(lines, shown, place, name, known, expected) for place, name in named if name not in known]
    return problems


def unknown(lines: Lines, shown: str, place: list, name: str, known, expected) -> Problem:
    """A name that is not among `known`: its line, what is known, the closest known name."""
    close = closest(name, sorted(known))
    return Problem(shown, lines.line(place), lines.name(place), expected, show(name),
                   t("key.close", close=repr(close)) if close else t("sections.hint"))
