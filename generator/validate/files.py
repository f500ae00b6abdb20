"""File rules: the CSV behind a resource can be read exactly as intended.

A file that cannot be read as intended (byte-order mark, another encoding, another
delimiter, a header unlike the schema) is reported once, on its own: its cells are not
checked, so no message follows from the first. Empty rows are one message per file.
"""
from __future__ import annotations

import csv
import io
import os

from ..load import DataPackage, Resource, parse_csv, read_bytes
from ..messages import t
from ..problems import Problem, show
from .descriptor import REMOTE

BOM = b"\xef\xbb\xbf"
UTF16 = (b"\xff\xfe", b"\xfe\xff")
SEPARATORS = ((";", "file.semicolons"), ("\t", "file.tabs"), ("|", "file.pipes"))


def read_table(package: DataPackage, resource: Resource) -> list[Problem]:
    """Read the resource's CSV into resource.table, or explain why it cannot be."""
    where = resource.file
    if not inside(resource.path):
        return []  # the descriptor's rules name the path; there is nothing to read here
    raw = read_bytes(os.path.join(package.folder, resource.path))
    if raw is None:
        return [Problem(where, None, None, t("file.missing"), t("file.missing_found"),
                        t("file.missing_hint", resource=resource.name))]
    if not raw.strip(b" \t\r\n" + BOM):
        return [Problem(where, None, None, t("file.empty"), t("file.empty_found"))]
    tidy = t("file.tidy_hint", file=where)
    if raw.startswith(BOM):
        return [Problem(where, 1, None, t("file.bom"), t("file.bom_found"), tidy)]
    if raw.startswith(UTF16):
        return [Problem(where, 1, None, t("file.utf8"), t("file.utf16_found"), tidy)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [encoding_problem(resource, raw, exc.start)]
    try:
        table = parse_csv(text)
    except csv.Error as exc:
        return [Problem(where, None, None, t("file.csv"), t("file.csv_found", error=str(exc)), t("file.csv_hint"))]
    problems = header_problems(resource, table)
    if problems:  # every row would follow from it: the header alone is the message
        return problems
    empty = [line for line, cells in table.rows if not "".join(cells).strip()]
    if empty:
        lines = spans(empty)
        problems.append(Problem(where, empty[0], None, t("file.empty_rows"), t("file.empty_rows_found", lines=lines),
                                t("file.empty_rows_hint", lines=lines, file=where)))
        table.rows = [(line, cells) for line, cells in table.rows if "".join(cells).strip()]
    ragged = [Problem(where, line, None, t("file.row_cells", count=len(table.header)),
                      t("file.row_cells_found", count=len(cells)), t("file.row_cells_hint"))
              for line, cells in table.rows if len(cells) != len(table.header)]
    if not ragged:
        resource.table = table  # empty rows left out: the rest of the file is checked as usual
    return problems + ragged


def inside(path: str) -> bool:
    """A relative path inside the package folder (the descriptor rule reports any other)."""
    return bool(path) and not (REMOTE.match(path) or path.startswith("/") or ".." in path.split("/") or "\\" in path)


def spans(lines: list[int]) -> str:
    """1, 2, 3, 7 -> '1-3, 7'."""
    parts, start = [], lines[0]
    for before, line in zip(lines, lines[1:] + [None]):
        if line != before + 1:
            parts.append(str(start) if start == before else f"{start}-{before}")
            start = line
    return ", ".join(parts)


def encoding_problem(resource: Resource, raw: bytes, offset: int) -> Problem:
    """The first byte that is not UTF-8, on its line and in its column (by field name)."""
    line = raw[:offset].count(b"\n") + 1
    byte = raw[offset]
    guess = bytes([byte]).decode("cp1252", errors="replace")
    return Problem(resource.file, line, field_at(raw, offset), t("file.utf8"),
                   t("file.byte_found", byte=f"0x{byte:02X}", char=repr(guess)),
                   t("file.encoding_hint", file=resource.file))


def field_at(raw: bytes, offset: int) -> str | None:
    """The header name of the column that holds byte `offset` (read as Windows-1252, one
    character per byte, so the offset stays exact)."""
    text = raw.decode("cp1252", errors="replace")
    try:
        header = next(csv.reader(io.StringIO(text, newline="")))
    except (csv.Error, StopIteration):
        return None
    column, quoted = 0, False
    for char in text[:offset]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char == ",":
            column += 1
        elif not quoted and char == "\n":
            column = 0
    return header[column] if column < len(header) else None


def header_problems(resource: Resource, table) -> list[Problem]:
    where = resource.file
    expected = [f.get("name") for f in resource.fields]
    header = table.header
    if len(header) == 1 and len(expected) > 1:
        for sep, label in SEPARATORS:
            if sep in header[0]:
                return [Problem(where, 1, None, t("file.commas"), t("file.separated", separator=t(label)),
                                t("file.tidy_hint", file=where))]
    if header == expected:
        return []
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    problems = [Problem(where, 1, name, t("header.missing"), t("header.missing_found")) for name in missing]
    problems += [Problem(where, 1, name, t("header.extra", columns=", ".join(expected)),
                         t("header.extra_found", name=show(name)), t("header.extra_hint")) for name in extra]
    if not problems:
        problems.append(Problem(where, 1, None, t("header.order", columns=", ".join(expected)), ", ".join(header)))
    return problems
