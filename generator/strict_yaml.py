"""YAML loading without YAML 1.1 surprises.

PyYAML follows YAML 1.1: `Yes`/`No`/`On`/`Off` become booleans, `010` becomes 8,
`1:20` becomes 80 and duplicate keys silently overwrite. A communications officer
editing a descriptor cannot see any of that, so each is an error with its line.
"""
from __future__ import annotations

import re

import yaml

from .problems import Problem, show

_PLAIN_BOOL = {"true", "false", "True", "False", "TRUE", "FALSE"}
_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_PLAIN_FLOAT = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")


class AmbiguousYAML(yaml.MarkedYAMLError):
    pass


_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when present: ~10x faster


class StrictLoader(_BASE):
    """Safe loader that refuses scalars whose YAML 1.1 meaning differs from their look."""

    def _refuse(self, node, meaning: str, advice: str):
        raise AmbiguousYAML(
            problem=f"value {node.value!r} is ambiguous: YAML 1.1 reads it as {meaning}; {advice}",
            problem_mark=node.start_mark,
        )

    def construct_yaml_bool(self, node):
        if node.value not in _PLAIN_BOOL:
            self._refuse(node, "a boolean", "write true/false, or quote it if it is text")
        return super().construct_yaml_bool(node)

    def construct_yaml_int(self, node):
        if not _PLAIN_INT.match(node.value):
            self._refuse(node, f"the integer {super().construct_yaml_int(node)}",
                         "write plain decimal digits without leading zeros, or quote it if it is a code")
        return super().construct_yaml_int(node)

    def construct_yaml_float(self, node):
        if not _PLAIN_FLOAT.match(node.value):
            self._refuse(node, "a special float", "write a plain decimal number, or quote it")
        return super().construct_yaml_float(node)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise AmbiguousYAML(problem=f"duplicate key {key!r} (the later value would silently win)",
                                    problem_mark=key_node.start_mark)
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
        return None, [Problem(shown_as, None, None, "a readable YAML file", f"cannot read it ({exc.strerror})")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown_as, line, None, "UTF-8 text", f"byte 0x{raw[exc.start]:02X}",
                              "save the file as UTF-8")]
    try:
        data = yaml.load(text, Loader=StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or str(exc)
        if isinstance(exc, AmbiguousYAML):
            return None, [Problem(shown_as, line, None, "unambiguous YAML", what)]
        return None, [Problem(shown_as, line, None, "well-formed YAML", f"malformed YAML: {what}",
                              "check indentation, colons and quotes on this line and the one above")]
    except yaml.YAMLError as exc:
        return None, [Problem(shown_as, None, None, "well-formed YAML", show(str(exc), 120))]
    return data, []
