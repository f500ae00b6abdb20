"""YAML loading without YAML 1.1 surprises.

PyYAML follows YAML 1.1: `Yes`/`No`/`On`/`Off` become booleans, `010` becomes 8,
`1:20` becomes 80 and duplicate keys silently overwrite. A communications officer
editing a descriptor cannot see any of that, so each is an error with its line.
"""
from __future__ import annotations

import re

import yaml

from .messages import recognise, t
from .problems import Problem, show

_PLAIN_BOOL = {"true", "false", "True", "False", "TRUE", "FALSE"}
_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_PLAIN_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")


class AmbiguousYAML(yaml.MarkedYAMLError):
    pass


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present: ~10x faster


class StrictLoader(_BASE):
    """Safe loader that refuses scalars whose YAML 1.1 meaning differs from their look."""

    def _refuse(self, node, meaning, advice):
        raise AmbiguousYAML(problem=t("yaml.ambiguous", value=repr(node.value), meaning=meaning, advice=advice),
                            problem_mark=node.start_mark)

    def construct_yaml_bool(self, node):
        if node.value not in _PLAIN_BOOL:
            self._refuse(node, t("yaml.boolean"), t("yaml.boolean_advice"))
        return super().construct_yaml_bool(node)

    def construct_yaml_int(self, node):
        if not _PLAIN_INT.match(node.value):
            self._refuse(node, t("yaml.integer", value=super().construct_yaml_int(node)), t("yaml.integer_advice"))
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):
        if not _PLAIN_FLOAT.match(node.value):
            self._refuse(node, t("yaml.float"), t("yaml.float_advice"))
        return super().construct_yaml_float(node)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise AmbiguousYAML(problem=t("yaml.duplicate", key=repr(key)), problem_mark=key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


StrictLoader.add_constructor("tag:yaml.org,2002:bool", StrictLoader.construct_yaml_bool)
StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)
StrictLoader.add_constructor("tag:yaml.org,2002:float", StrictLoader.construct_yaml_float)
StrictLoader.add_constructor("tag:yaml.org,2002:map", StrictLoader.construct_mapping)


def load_yaml(path: str, shown_as: str) -> tuple[object, list[Problem]]:
    """Parse a YAML file strictly; return (data, problems). data is None on error."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return None, [Problem(shown_as, None, None, t("yaml.readable"), t("yaml.unreadable", error=exc.strerror))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown_as, line, None, t("file.utf8"), t("yaml.byte", byte=f"0x{raw[exc.start]:02X}"),
                              t("yaml.byte_hint"))]
    try:
        data = yaml.load(text, Loader=StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or str(exc)
        if isinstance(exc, AmbiguousYAML):
            return None, [Problem(shown_as, line, None, t("yaml.unambiguous"), what)]
        return None, [Problem(shown_as, line, None, t("yaml.well_formed"), t("yaml.malformed", what=recognise(what)),
                              t("yaml.malformed_hint"))]
    except yaml.YAMLError as exc:
        return None, [Problem(shown_as, None, None, t("yaml.well_formed"), show(str(exc), 120))]
    return data, []
