"""The shape of the YAML files people edit, checked against JSON Schemas kept as data.

`definitions/skema/<name>.schema.yaml` describes `definitions/<name>.yaml`
(`indeks.schema.yaml` every file of `definitions/indeks/`; `bersama.schema.yaml` the parts
several files share: formulas, row filters); `generator/pages/sections.schema.yaml`
describes `sections.yaml` beside it. Only the shape: types, required and allowed keys,
fixed values. What a name must refer to (a resource, a column, a satker) is checked by
the code that knows the data, and only once the shape is right, so it never trips over a
list where it expects a number.

A file that breaks its schema gets one Problem per mistake: the line of the offending key
or value, its key path as the column (`bands[1].minimum`), what the schema expects in
plain words, what was found, and where the schema says what is allowed (file:line), with
the closest allowed key or value for a misspelling. A misspelt key is one message (the
unknown key, with the required key it was meant to be), not two.
"""
from __future__ import annotations

import difflib
import os
import re

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from .messages import t
from .problems import Problem, shorten, show
from .strict_yaml import StrictLoader, load_yaml

# JSON Schema's types in words (expected ...)
TYPE_WORDS = {"string": "schema.type_string", "number": "schema.type_number", "integer": "schema.type_integer",
              "boolean": "schema.type_boolean", "array": "schema.type_array", "object": "schema.type_object",
              "null": "schema.type_null"}
# keywords about the keys of a mapping, answered together (a misspelling is one message)
KEY_KEYWORDS = ("additionalProperties", "required")


def check_file(data, path: str, shown_as: str, schema_path: str) -> list[Problem]:
    """Problems of `data` (parsed from `path`, shown as `shown_as`) against the schema in
    `schema_path`; schemas it refers to by file name are read from the same folder."""
    schemas = Schemas(os.path.dirname(schema_path))
    schema, problems = schemas.load(os.path.basename(schema_path))
    if problems:
        return problems
    validator = Draft202012Validator(schema, registry=schemas.registry())
    try:
        errors = list(validator.iter_errors(data))
    except (SchemaError, Unresolvable) as exc:  # a $ref to a schema that is missing or broken
        return schemas.problems or [schemas.invalid(exc)]
    if schemas.problems or not errors:
        return schemas.problems
    lines = Lines.of_file(path, data)
    grouped: dict[tuple, list] = {}
    for error in errors:
        if error.context:  # anyOf / oneOf: the branch that came closest
            error = best_match(error.context)
        grouped.setdefault(tuple(error.absolute_path), []).append(error)
    problems = []
    for place, found in grouped.items():
        problems += problems_at(list(place), found, lines, shown_as, schemas)
    return sorted(problems, key=lambda p: (p.row or 0, p.field or ""))


class Schemas:
    """The schema files of one folder, read when first named, with the line of every
    mapping in them (for the hint: which line of which schema says what is allowed)."""

    def __init__(self, folder: str):
        self.folder, self.loaded, self.lines, self.problems = folder, {}, {}, []

    def load(self, name: str) -> tuple[dict | None, list[Problem]]:
        if name in self.loaded:
            return self.loaded[name], []
        path = os.path.join(self.folder, name)
        shown = os.path.relpath(path)
        schema, problems = load_yaml(path, shown)
        if problems:
            return None, problems
        if not isinstance(schema, dict):
            return None, [Problem(shown, None, None, t("schema.invalid"), found_text(schema))]
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            return None, [self.problem_in(shown, schema, path, exc)]
        self.loaded[name] = schema
        record_lines(yaml.compose(open(path, encoding="utf-8").read(), Loader=StrictLoader), schema, shown,
                     self.lines)
        return schema, []

    def registry(self) -> Registry:
        def retrieve(uri: str) -> Resource:
            schema, problems = self.load(uri)
            self.problems += problems
            return Resource.from_contents(schema if schema is not None else {}, default_specification=DRAFT202012)

        return Registry(retrieve=retrieve)

    def problem_in(self, shown: str, schema: dict, path: str, exc: SchemaError) -> Problem:
        """A schema that is not a valid JSON Schema: where, and the validator's own words."""
        lines, place = Lines.of_file(path, schema), list(exc.absolute_path)
        return Problem(shown, lines.line(place), lines.name(place) or None, t("schema.invalid"), show(exc.message, 120))

    def invalid(self, exc: Exception) -> Problem:
        found = t("schema.unresolvable", ref=show(exc.ref)) if isinstance(exc, Unresolvable) else \
            show(getattr(exc, "message", str(exc)), 120)
        return Problem(os.path.relpath(self.folder), None, None, t("schema.invalid"), found)

    def where(self, subschema) -> str:
        """file:line of a part of a schema, as the hint names it."""
        file, line = self.lines.get(id(subschema), (None, None))
        return f"{file}:{line}" if file else os.path.relpath(self.folder)


def record_lines(node, value, shown: str, out: dict, line: int | None = None) -> None:
    """id(mapping) -> (file, line) for every mapping of a parsed schema: the line of the
    key it is the value of (`minimum:`), else its own first line."""
    if isinstance(node, yaml.MappingNode) and isinstance(value, dict):
        out[id(value)] = (shown, line or node.start_mark.line + 1)
        for (key, child), item in zip(node.value, value.values()):
            record_lines(child, item, shown, out, key.start_mark.line + 1)
    elif isinstance(node, yaml.SequenceNode) and isinstance(value, list):
        for child, item in zip(node.value, value):
            record_lines(child, item, shown, out)


class Lines:
    """The line and the name of any key path of a YAML file (from its nodes, as PyYAML
    composes them, and its data: a number is a list position only in a list)."""

    def __init__(self, root, data=None):
        self.root, self.data = root, data

    @classmethod
    def of_file(cls, path: str, data=None) -> "Lines":
        try:
            with open(path, encoding="utf-8") as fh:
                return cls(yaml.compose(fh.read(), Loader=StrictLoader), data)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            return cls(None, data)

    def name(self, path: list) -> str:
        """bands[1].minimum: keys joined by dots, list positions in brackets."""
        out, value = "", self.data
        for step in path:
            if isinstance(value, list):
                out += f"[{step}]"
                value = value[step] if isinstance(step, int) and step < len(value) else None
            else:
                out += f".{step}" if out else str(step)
                value = value.get(step) if isinstance(value, dict) else None
        return out

    def line(self, path: list) -> int | None:
        """The line of the key (in a mapping) or item (in a list) the path ends at; None
        for the whole file. A path that leaves the file (a missing key) stops at the last
        step that is there: the mapping the key is missing from."""
        node, line = self.root, None
        for step in path:
            if isinstance(node, yaml.MappingNode):
                pair = next(((k, v) for k, v in node.value if k.value == str(step)), None)
                if pair is None:
                    break
                line, node = pair[0].start_mark.line + 1, pair[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                break
        return line


def problems_at(place: list, errors: list, lines: Lines, shown: str, schemas: Schemas) -> list[Problem]:
    """One Problem per mistake at one place: a wrong type hides every other complaint
    about the same value; keys are answered together; otherwise the first complaint."""
    keyed = [e for e in errors if e.validator in KEY_KEYWORDS or of_key(e)]
    typed = next((e for e in errors if e.validator == "type" and not of_key(e)), None)
    if typed is not None:
        return [value_problem(place, typed, lines, shown, schemas)]
    if keyed:
        return key_problems(place, keyed, lines, shown, schemas)
    return [value_problem(place, errors[0], lines, shown, schemas)]


def key_problems(place: list, errors: list, lines: Lines, shown: str, schemas: Schemas) -> list[Problem]:
    """Unknown keys (each with the closest allowed key, preferring a required one that is
    missing: the misspelling), then required keys still missing, then keys of the wrong kind."""
    missing, unknown, allowed, problems, seen = [], [], [], [], set()
    where = schemas.where(errors[0].schema)
    described = {}  # a required key -> the part of the schema that describes it
    for error in errors:
        if error.validator == "required":
            missing += [k for k in error.validator_value if k not in error.instance and k not in missing]
            described.update({k: v for k, v in (error.schema.get("properties") or {}).items() if k in missing})
        elif error.validator == "additionalProperties":
            allowed, where = list(error.schema.get("properties") or {}), schemas.where(error.schema)
            unknown += [k for k in error.instance if k not in allowed and not patterned(k, error.schema)
                        and k not in unknown]
        else:  # propertyNames: the key itself is the offending value
            key = error.instance
            if key in seen:
                continue
            seen.add(key)
            problems.append(Problem(shown, lines.line(place + [key]), lines.name(place + [key]),
                                    expected_of(error), found_text(key),
                                    t("schema.allowed_hint", schema=schemas.where(error.schema))))
    for key in unknown:
        close = closest(str(key), [str(k) for k in missing]) or closest(str(key), [str(k) for k in allowed])
        if close in missing:
            missing.remove(close)
        hint = t("schema.key_close", close=close, schema=where) if close else t("schema.key_hint", schema=where)
        problems.append(Problem(shown, lines.line(place + [key]), lines.name(place + [key]),
                                t("schema.key_known", keys=", ".join(allowed)), t("schema.key_found", name=show(str(key))),
                                hint))
    for key in missing:
        problems.append(Problem(shown, lines.line(place), lines.name(place + [key]), t("schema.key_required", name=key),
                                t("word.none"),
                                t("schema.allowed_hint", schema=schemas.where(described[key]) if key in described else where)))
    return problems


def of_key(error) -> bool:
    """An error of `propertyNames`: about a key of the mapping, not the mapping."""
    return list(error.relative_schema_path)[-2:-1] == ["propertyNames"]


def value_problem(place: list, error, lines: Lines, shown: str, schemas: Schemas) -> Problem:
    where = schemas.where(error.schema)
    hint = t("schema.allowed_hint", schema=where)
    if error.validator == "enum" and isinstance(error.instance, str):
        close = closest(error.instance, [str(v) for v in error.validator_value])
        hint = t("schema.value_close", close=close, schema=where) if close else hint
    return Problem(shown, lines.line(place), lines.name(place) or None, expected_of(error), found_text(error.instance),
                   hint)


def expected_of(error):
    """What the failing keyword asks for, in words."""
    keyword, value = error.validator, error.validator_value
    if keyword == "type":
        return either([t(TYPE_WORDS[name]) for name in ([value] if isinstance(value, str) else value)])
    if keyword == "enum":
        return t("cell.enum", values=", ".join(plain(v) for v in value))
    if keyword == "const":
        return t("schema.const", value=plain(value))
    words = {"minimum": ("cell.minimum", "minimum"), "maximum": ("cell.maximum", "maximum"),
             "exclusiveMinimum": ("schema.above", "minimum"), "minItems": ("schema.min_items", "count"),
             "maxItems": ("schema.max_items", "count"), "minProperties": ("schema.min_keys", "count"),
             "maxProperties": ("schema.max_keys", "count"), "minLength": ("schema.min_length", "count"),
             "pattern": ("cell.pattern", "pattern"), "uniqueItems": ("schema.unique", None)}
    if keyword in words:
        key, name = words[keyword]
        return t(key, **({name: value} if name else {}))
    return t("schema.other", keyword=str(keyword))


def either(texts: list):
    """'a', 'a or b', 'a or b or c', in the language the message is printed in."""
    return texts[0] if len(texts) == 1 else t("schema.or", first=texts[0], rest=either(texts[1:]))


def plain(value) -> str:
    """An allowed value as the file would have it: a word as it is, anything else as found_text."""
    return value if isinstance(value, str) and value else found_text(value)


def found_text(value) -> str:
    """The value as written in YAML (flow style), shortened; a text quoted, as show() does."""
    if value is None:
        return t("word.nothing")
    if isinstance(value, str):
        return show(value)
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6)
    return shorten(text.strip().removesuffix("...").strip())


def patterned(key, schema: dict) -> bool:
    """A key `patternProperties` allows (not unknown, though not among `properties`)."""
    return any(re.search(pattern, str(key)) for pattern in (schema.get("patternProperties") or {}))


def closest(value: str, known: list[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    return close[0] if close else ""
